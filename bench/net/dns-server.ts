// A small DNS server for the bench: it plays a nearby caching, validating resolver that already
// holds every answer (so each lookup costs exactly the one round trip the proxy adds). Plain
// DNS over UDP and TCP (RFC 1035 §4.2), and DoH (RFC 8484, GET and POST) over HTTP/2 or
// HTTP/1.1. Answers carry AD when the query set DO, as a validating resolver's would.
import * as dnsPacket from '@dnsquery/dns-packet';
import { createSocket } from 'node:dgram';
import http2 from 'node:http2';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import type { BenchRecord } from './zone.ts';

const NXDOMAIN = 3;
const FORMERR = 1;
const MAX_BODY = 64 * 1024;

export interface QueryLog {
  count: number;
  byKey: Map<string, number>;
}

function toAnswer(name: string, r: BenchRecord): dnsPacket.Answer {
  switch (r.type) {
    case 'A':
      return { type: 'A', name, ttl: 300, class: 'IN', data: r.address };
    case 'AAAA':
      return { type: 'AAAA', name, ttl: 300, class: 'IN', data: r.address };
    case 'MX':
      return { type: 'MX', name, ttl: 300, class: 'IN', data: { preference: r.preference, exchange: r.exchange } };
    case 'TXT':
      return { type: 'TXT', name, ttl: 300, class: 'IN', data: [r.text] };
  }
}

export function createAnswerer(records: Map<string, BenchRecord[]>, zoneApex: string, log: QueryLog) {
  const soa: dnsPacket.Answer = {
    type: 'SOA',
    name: zoneApex,
    ttl: 300,
    class: 'IN',
    data: { mname: `ns.${zoneApex}`, rname: `hostmaster.${zoneApex}`, serial: 1, refresh: 3600, retry: 600, expire: 86400, minimum: 60 },
  };
  return (query: Uint8Array): Uint8Array => {
    let q: dnsPacket.Packet;
    try {
      q = dnsPacket.decode(query);
    } catch {
      // why: a malformed query still gets an answer, with its id when the header is readable.
      const id = query.length >= 2 ? ((query[0] ?? 0) << 8) | (query[1] ?? 0) : 0;
      return dnsPacket.encode({ type: 'response', id, flags: FORMERR, questions: [] });
    }
    const question = q.questions?.[0];
    const opt = (q.additionals ?? []).find((a) => a.type === 'OPT') as { flags?: number } | undefined;
    const dnssecOk = ((opt?.flags ?? 0) & dnsPacket.DNSSEC_OK) !== 0;
    let flags = dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | (dnssecOk ? dnsPacket.AUTHENTIC_DATA : 0);
    const answers: dnsPacket.Answer[] = [];
    const authorities: dnsPacket.Answer[] = [];
    if (question) {
      const name = question.name.toLowerCase().replace(/\.$/, '');
      const key = `${name}/${question.type}`;
      log.count++;
      log.byKey.set(key, (log.byKey.get(key) ?? 0) + 1);
      const rrs = records.get(name);
      if (!rrs) {
        flags |= NXDOMAIN;
        authorities.push(soa);
      } else {
        for (const r of rrs) if (r.type === question.type) answers.push(toAnswer(question.name, r));
        if (answers.length === 0) authorities.push(soa);
      }
    }
    return dnsPacket.encode({
      type: 'response',
      id: q.id ?? 0,
      flags,
      questions: q.questions ?? [],
      answers,
      authorities,
      ...(opt ? { additionals: [{ type: 'OPT', name: '.', udpPayloadSize: 1232, flags: dnssecOk ? dnsPacket.DNSSEC_OK : 0, options: [] } as unknown as dnsPacket.Answer] } : {}),
    });
  };
}

export interface DnsServers {
  udpPort: number;
  tcpPort: number;
  dohPort: number;
  /** Open TCP/DoH connections, destroyed between runs. */
  resetConnections(): void;
  close(): Promise<void>;
}

export async function startDnsServers(answer: (q: Uint8Array) => Uint8Array, tls: { key: string; cert: string }): Promise<DnsServers> {
  const udp = createSocket('udp4');
  udp.on('message', (msg, rinfo) => udp.send(answer(msg), rinfo.port, rinfo.address));
  await new Promise<void>((r) => udp.bind(0, '127.0.0.1', () => r()));

  const sockets = new Set<net.Socket>();
  const tcp = net.createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => s.destroy());
    let buf = Buffer.alloc(0);
    s.on('data', (chunk) => {
      buf = Buffer.concat([buf, chunk]);
      while (buf.length >= 2) {
        const len = buf.readUInt16BE(0);
        if (buf.length < 2 + len) break;
        const reply = answer(buf.subarray(2, 2 + len));
        buf = buf.subarray(2 + len);
        const head = Buffer.alloc(2);
        head.writeUInt16BE(reply.length);
        s.write(Buffer.concat([head, reply]));
      }
    });
  });
  await new Promise<void>((r) => tcp.listen(0, '127.0.0.1', () => r()));

  const doh = http2.createSecureServer({ ...tls, allowHTTP1: true }, (req, res) => {
    const url = new URL(req.url ?? '/', 'https://resolver');
    const reply = (bytes: Uint8Array) => {
      res.writeHead(200, { 'content-type': 'application/dns-message', 'cache-control': 'max-age=60', 'content-length': bytes.length });
      res.end(bytes);
    };
    if (url.pathname !== '/dns-query') return void res.writeHead(404).end();
    if (req.method === 'GET') {
      const dns = url.searchParams.get('dns');
      if (!dns) return void res.writeHead(400).end();
      return reply(answer(Buffer.from(dns, 'base64url')));
    }
    if (req.method !== 'POST') return void res.writeHead(405).end();
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) req.destroy();
      else chunks.push(c);
    });
    req.on('end', () => reply(answer(Buffer.concat(chunks))));
  });
  doh.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => doh.listen(0, '127.0.0.1', () => r()));

  return {
    udpPort: (udp.address() as AddressInfo).port,
    tcpPort: (tcp.address() as AddressInfo).port,
    dohPort: (doh.address() as AddressInfo).port,
    resetConnections: () => {
      for (const s of sockets) s.destroy();
      sockets.clear();
    },
    close: async () => {
      for (const s of sockets) s.destroy();
      udp.close();
      await Promise.all([new Promise((r) => tcp.close(r)), new Promise((r) => doh.close(r))]);
    },
  };
}
