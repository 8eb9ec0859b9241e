// A raw DNS client for the harness and the integration tests (independent of the product's own
// DoH client, so the network can be proven on its own): plain UDP (RFC 1035) and DoH over
// HTTP/2 (RFC 8484, POST). Queries carry EDNS with the DO bit, so the AD flag and Extended DNS
// Errors (RFC 8914) come back.
import { createSocket } from 'node:dgram';
import * as dnsPacket from '@dnsquery/dns-packet';
import type { Answer, Packet, RecordType } from '@dnsquery/dns-packet';

export interface DnsResult {
  rcode: string;
  ad: boolean;
  answers: Answer[];
  /** Extended DNS Errors (option 15) from the OPT record. */
  ede: { code: number; text: string }[];
}

const EDE_OPTION = 15;
const MAX_MESSAGE = 65_535;

export function encodeQuery(name: string, type: RecordType): Uint8Array {
  return dnsPacket.encode({
    type: 'query',
    id: 0, // RFC 8484 §4.1: DoH clients use id 0; fine for UDP in a test network too.
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type, name, class: 'IN' }],
    additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 1232, flags: dnsPacket.DNSSEC_OK, options: [] } as unknown as Answer],
  });
}

export function decodeResult(bytes: Uint8Array): DnsResult {
  const p: Packet = dnsPacket.decode(bytes);
  const ede: DnsResult['ede'] = [];
  for (const extra of p.additionals ?? []) {
    if (extra.type !== 'OPT') continue;
    // dns-packet puts OPT options in `options`, not `data`.
    const options = (extra as unknown as { options?: { code: number; data?: Uint8Array }[] }).options ?? [];
    for (const opt of options) {
      if (opt.code !== EDE_OPTION || !opt.data || opt.data.length < 2) continue;
      const d = opt.data;
      ede.push({ code: ((d[0] ?? 0) << 8) | (d[1] ?? 0), text: new TextDecoder().decode(d.subarray(2)) });
    }
  }
  return {
    rcode: String(p.rcode ?? 'NOERROR'),
    ad: ((p.flags ?? 0) & dnsPacket.AUTHENTIC_DATA) !== 0,
    answers: p.answers ?? [],
    ede,
  };
}

/** One UDP query; rejects on timeout. */
export function udpQuery(server: string, name: string, type: RecordType, timeoutMs = 2000, port = 53): Promise<DnsResult> {
  return new Promise((resolve, reject) => {
    const sock = createSocket(server.includes(':') ? 'udp6' : 'udp4');
    const done = (err?: Error, result?: DnsResult): void => {
      clearTimeout(timer);
      sock.close();
      if (err) reject(err);
      else if (result) resolve(result);
    };
    const timer = setTimeout(() => done(new Error(`DNS ${type} ${name} @${server}: timeout after ${timeoutMs} ms`)), timeoutMs);
    sock.on('error', (e) => done(e));
    sock.on('message', (msg) => {
      try {
        done(undefined, decodeResult(new Uint8Array(msg.buffer, msg.byteOffset, Math.min(msg.byteLength, MAX_MESSAGE))));
      } catch (e) {
        done(e instanceof Error ? e : new Error(String(e)));
      }
    });
    sock.send(encodeQuery(name, type), port, server);
  });
}

export type FetchLike = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** One DoH POST query (RFC 8484 §4.1) through `fetchImpl`. */
export async function dohQuery(fetchImpl: FetchLike, url: string, name: string, type: RecordType): Promise<DnsResult & { httpStatus: number }> {
  const res = await fetchImpl(url, {
    method: 'POST',
    headers: { 'content-type': 'application/dns-message', accept: 'application/dns-message' },
    body: new Uint8Array(encodeQuery(name, type)),
  });
  const bytes = new Uint8Array(await res.arrayBuffer());
  if (res.status !== 200) return { rcode: 'HTTP', ad: false, answers: [], ede: [], httpStatus: res.status };
  return { ...decodeResult(bytes), httpStatus: res.status };
}
