// The default A/AAAA lookup of the policy host, against a tiny loopback DNS server.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import dgram from 'node:dgram';
import { fetchPolicyWithEvidence } from '../../../native-host/policy/fetch-policy.ts';
import { createSystemHostResolver } from '../../../native-host/policy/host-lookup.ts';

const DNS_IP = '127.0.10.7';
type Zone = Record<string, { rcode?: number; a?: string[]; aaaa?: string[] }>;
const zone: Zone = {
  'both.example.test': { a: ['192.0.2.10'], aaaa: ['2001:db8::10'] },
  'v6only.example.test': { aaaa: ['2001:db8::11'] },
  'empty.example.test': {},
  'broken.example.test': { rcode: 2 },
};
let socket: dgram.Socket;
let server: string;

function answer(query: Buffer): Buffer {
  // Question name: labels from offset 12; then QTYPE, QCLASS.
  const labels: string[] = [];
  let offset = 12;
  while (query[offset]) {
    const len = query[offset]!;
    labels.push(query.subarray(offset + 1, offset + 1 + len).toString('latin1'));
    offset += len + 1;
  }
  const qtype = query.readUInt16BE(offset + 1);
  const question = query.subarray(12, offset + 5);
  const entry = zone[labels.join('.').toLowerCase()];
  const rcode = entry ? (entry.rcode ?? 0) : 3;
  const records = qtype === 1 ? (entry?.a ?? []) : qtype === 28 ? (entry?.aaaa ?? []) : [];
  const rrs = records.map((ip) => {
    const rdata = qtype === 1 ? Buffer.from(ip.split('.').map(Number)) : ipv6Bytes(ip);
    const rr = Buffer.alloc(12);
    rr.writeUInt16BE(0xc00c, 0);
    rr.writeUInt16BE(qtype, 2);
    rr.writeUInt16BE(1, 4);
    rr.writeUInt32BE(60, 6);
    rr.writeUInt16BE(rdata.length, 10);
    return Buffer.concat([rr, rdata]);
  });
  const header = Buffer.alloc(12);
  query.copy(header, 0, 0, 2);
  header.writeUInt16BE(0x8180 | rcode, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(rrs.length, 6);
  return Buffer.concat([header, question, ...rrs]);
}

function ipv6Bytes(ip: string): Buffer {
  const [head, tail = ''] = ip.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = [...h, ...new Array(8 - h.length - t.length).fill('0'), ...t];
  return Buffer.from(groups.flatMap((g) => [parseInt(g, 16) >> 8, parseInt(g, 16) & 0xff]));
}

beforeAll(async () => {
  socket = dgram.createSocket('udp4');
  socket.on('message', (msg, rinfo) => socket.send(answer(msg), rinfo.port, rinfo.address));
  await new Promise<void>((r) => socket.bind(0, DNS_IP, () => r()));
  server = `${DNS_IP}:${socket.address().port}`;
});
afterAll(() => socket.close());

describe('createSystemHostResolver', () => {
  it.each([
    ['both.example.test', { ok: true, addresses: ['192.0.2.10', '2001:db8::10'] }],
    ['v6only.example.test', { ok: true, addresses: ['2001:db8::11'] }],
    ['empty.example.test', { ok: false, message: expect.stringMatching(/has no A or AAAA record/) }],
    ['missing.example.test', { ok: false, message: expect.stringMatching(/does not exist in the DNS \(NXDOMAIN\)/) }],
    ['broken.example.test', { ok: false, message: 'The lookup of broken.example.test failed: the resolver answered SERVFAIL (ESERVFAIL) for A and AAAA.' }],
  ])('RFC 8461 §3.3: %s resolves to %o', async (host, expected) => {
    const resolve = createSystemHostResolver({ servers: [server], timeoutMs: 1000 });
    expect(await resolve(host, new AbortController().signal)).toEqual(expected);
  });

  it('RFC 8461 §3.3: a policy host without addresses is a dns error', async () => {
    const result = await fetchPolicyWithEvidence('empty.test', { resolve: createSystemHostResolver({ servers: [server], timeoutMs: 1000 }) });
    expect(result.attempts).toEqual([expect.objectContaining({ error: { kind: 'dns', message: expect.stringMatching(/mta-sts\.empty\.test does not exist/) } })]);
    expect(result.attempts[0]?.timings.dnsMs).toBeGreaterThanOrEqual(0);
  });
});
