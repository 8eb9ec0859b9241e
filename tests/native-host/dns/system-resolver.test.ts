// The system resolver against a real UDP+TCP DNS server on loopback.
import * as dgram from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createSystemResolver } from '../../../native-host/dns/system-resolver.ts';
import { buildResponse, RCODE, rr, type ResponseSpec } from '../../core/dns/packets.ts';
import { TestDnsServer, type Query } from './dns-server.ts';

let server: TestDnsServer;

beforeAll(async () => {
  server = await new TestDnsServer().start();
});
afterAll(async () => {
  await server.stop();
});
afterEach(() => {
  server.hits.length = 0;
  server.tcpHangUp = false;
  server.handler = () => undefined;
});

const reply = (q: Query, spec: Omit<ResponseSpec, 'id' | 'name' | 'type'> = {}) => buildResponse({ ...spec, id: q.id, name: q.name, type: q.type });
const resolver = (timeoutMs = 2000, extra: string[] = []) => createSystemResolver({ nameservers: [server.address, ...extra], timeoutMs });

describe('createSystemResolver over UDP (RFC 1035 §4.2.1)', () => {
  it('RFC 4035 §3.2.3: asks with DO set and reads the AD flag', async () => {
    server.handler = (q) => reply(q, { ad: true, answers: [rr.mx(q.name, 10, 'mx.example.com.')] });
    const answer = await resolver().query('example.com', 'MX');
    expect({ dnssecOk: server.hits[0]?.query.dnssecOk, status: answer.status, ad: answer.ad, exchange: answer.records[0]?.exchange }).toEqual({
      dnssecOk: true,
      status: 'ok',
      ad: true,
      exchange: 'mx.example.com',
    });
  });

  it.each([
    ['RFC 2308 §2.1: NXDOMAIN', { rcode: RCODE.NXDOMAIN }, 'nxdomain'],
    ['RFC 2308 §2.2: NODATA', {}, 'nodata'],
    ['RFC 8914: SERVFAIL with EDE', { rcode: RCODE.SERVFAIL, ede: [{ code: 7 }] }, 'servfail'],
    ['RFC 1035 §4.1.1: REFUSED', { rcode: RCODE.REFUSED }, 'refused'],
  ] as [string, Omit<ResponseSpec, 'id' | 'name' | 'type'>, string][])('%s', async (_title, spec, status) => {
    server.handler = (q) => reply(q, spec);
    expect((await resolver().query('example.com', 'TXT')).status).toBe(status);
  });

  it('RFC 5452 §9.1: ignores a datagram with another id and takes the real answer', async () => {
    server.handler = (q) => [buildResponse({ id: (q.id + 1) & 0xffff, name: q.name, type: q.type, rcode: RCODE.NXDOMAIN }), reply(q, { answers: [rr.a(q.name, '192.0.2.9')] })];
    const answer = await resolver().query('example.com', 'A');
    expect({ status: answer.status, address: answer.records[0]?.address }).toEqual({ status: 'ok', address: '192.0.2.9' });
  });

  it('RFC 1035 §4.1: a garbage datagram is malformed, not retried', async () => {
    server.handler = () => Uint8Array.from(Buffer.from('garbage'));
    const answer = await resolver().query('example.com', 'A');
    expect({ kind: answer.errorKind, hits: server.hits.length }).toEqual({ kind: 'malformed', hits: 1 });
  });

  it('no answer: times out and retries once', async () => {
    const answer = await resolver(150).query('example.com', 'A');
    expect({ kind: answer.errorKind, hits: server.hits.length, message: answer.message }).toEqual({
      kind: 'timeout',
      hits: 2,
      message: expect.stringMatching(/did not answer within 150 ms \(tried 2 times\)/),
    });
  });

  it('the retry goes to the next nameserver', async () => {
    const second = await new TestDnsServer().start();
    try {
      second.handler = (q) => reply(q, { answers: [rr.a(q.name, '192.0.2.2')] });
      const answer = await resolver(150, [second.address]).query('example.com', 'A');
      expect({ status: answer.status, first: server.hits.length, second: second.hits.length }).toEqual({ status: 'ok', first: 1, second: 1 });
    } finally {
      await second.stop();
    }
  });

  it('a closed port is a network error', async () => {
    const probe = dgram.createSocket('udp4');
    await new Promise<void>((resolve) => probe.bind(0, '127.0.0.1', resolve));
    const port = probe.address().port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const answer = await createSystemResolver({ nameservers: [`127.0.0.1:${port}`], timeoutMs: 2000 }).query('example.com', 'A');
    expect({ kind: answer.errorKind, message: answer.message }).toEqual({ kind: 'network', message: expect.stringMatching(/ECONNREFUSED/) });
  });

  it('an AbortSignal cancels the lookup', async () => {
    const controller = new AbortController();
    server.handler = () => {
      controller.abort();
      return undefined;
    };
    const answer = await resolver().query('example.com', 'A', { signal: controller.signal });
    expect({ kind: answer.errorKind, hits: server.hits.length }).toEqual({ kind: 'aborted', hits: 1 });
  });
});

describe('createSystemResolver: TCP fallback (RFC 7766 §5)', () => {
  const answers = (name: string) => Array.from({ length: 40 }, (_, i) => rr.txt(name, [`record ${i} `.padEnd(200, 'x')]));

  it('RFC 1035 §4.2.1: a truncated UDP answer is asked again over TCP', async () => {
    server.handler = (q, transport) => (transport === 'udp' ? reply(q, { tc: true }) : reply(q, { answers: answers(q.name) }));
    const answer = await resolver().query('big.example', 'TXT');
    expect({ status: answer.status, records: answer.records.length, transports: server.hits.map((h) => h.transport) }).toEqual({
      status: 'ok',
      records: 40,
      transports: ['udp', 'tcp'],
    });
  });

  it('a TCP connection closed before the answer is a network error', async () => {
    server.tcpHangUp = true;
    server.handler = (q) => reply(q, { tc: true });
    const answer = await createSystemResolver({ nameservers: [server.address], timeoutMs: 2000, retries: 0 }).query('big.example', 'TXT');
    expect({ kind: answer.errorKind, message: answer.message }).toEqual({ kind: 'network', message: expect.stringMatching(/closed the TCP connection/) });
  });
});

describe('createSystemResolver: configuration', () => {
  it('reads the nameservers of resolv.conf and names them in its url', () => {
    const dir = mkdtempSync(join(tmpdir(), 'resolv-'));
    try {
      const path = join(dir, 'resolv.conf');
      writeFileSync(path, '# generated\nsearch example.com\nnameserver 127.0.0.53\nnameserver ::1\noptions edns0 trust-ad\n');
      expect(createSystemResolver({ resolvConfPath: path })).toMatchObject({ name: 'system', url: 'system (127.0.0.53, ::1)' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('falls back to 127.0.0.1 without a resolv.conf', () => {
    expect(createSystemResolver({ resolvConfPath: '/nonexistent/resolv.conf' }).url).toBe('system (127.0.0.1)');
  });

  it('with no usable nameserver every query is an error value', async () => {
    const answer = await createSystemResolver({ nameservers: ['not-an-ip'] }).query('example.com', 'A');
    expect({ status: answer.status, kind: answer.errorKind }).toEqual({ status: 'error', kind: 'other' });
  });
});
