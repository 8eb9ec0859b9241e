// Misbehaving servers on loopback 127.0.30.0/24 for the hostile-input suite: a DoH server whose
// answers each test scripts down to the byte, HTTPS and raw listeners on 443, SMTP on 25.
// Every socket is tracked so `closeAll()` leaves nothing behind, whatever a server was doing.
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import net from 'node:net';
import tls from 'node:tls';
import * as dnsPacket from '@dnsquery/dns-packet';

/** One address of this suite's loopback range; each test file uses its own block of `n`. */
export const addr = (n: number): string => `127.0.30.${n}`;

export class Listeners {
  private readonly servers: net.Server[] = [];
  private readonly sockets = new Set<net.Socket>();
  private readonly timers = new Set<NodeJS.Timeout>();

  async listen(server: net.Server, host: string, port: number): Promise<number> {
    this.servers.push(server);
    server.on('connection', (s: net.Socket) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
      s.on('error', () => undefined);
    });
    // A TLS server whose client sends garbage emits tlsClientError: that is the point of the test.
    server.on('tlsClientError', () => undefined);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return (server.address() as net.AddressInfo).port;
  }

  /** setInterval that closeAll() clears, and that stops by itself when `until` closes. */
  every(ms: number, fn: () => void, until?: net.Socket | ServerResponse): void {
    const t = setInterval(fn, ms);
    this.timers.add(t);
    until?.on('close', () => {
      clearInterval(t);
      this.timers.delete(t);
    });
  }

  async closeAll(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    for (const s of this.sockets) s.destroy();
    await Promise.all(this.servers.map((s) => new Promise<void>((r) => s.close(() => r()))));
  }
}

/** Write `chunk` for as long as the peer reads, with backpressure (a flood, not a memory leak here). */
export function flood(out: net.Socket | ServerResponse, chunk: string | Buffer): void {
  let stopped = false;
  out.on('close', () => (stopped = true));
  out.on('error', () => (stopped = true));
  const pump = (): void => {
    while (!stopped && !out.destroyed && out.write(chunk)) {
      // keep writing until the buffer is full
    }
  };
  out.on('drain', pump);
  pump();
}

// ---- DNS over HTTPS ----

export interface DnsQuestion {
  id: number;
  /** Without the trailing dot, lower case. */
  name: string;
  type: string;
}

export type DohReply =
  | { dns: Uint8Array }
  | { status: number; contentType?: string; body?: string | Uint8Array }
  | 'hang';

/** A DoH endpoint (GET and POST) on `host`, port chosen by the system. Returns its URL. */
export async function startDoh(l: Listeners, host: string, respond: (q: DnsQuestion) => DohReply): Promise<string> {
  const server = createHttpServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const body = req.method === 'GET' ? Buffer.from(url.searchParams.get('dns') ?? '', 'base64url') : Buffer.concat(chunks);
      let q: DnsQuestion;
      try {
        const query = dnsPacket.decode(body);
        const first = query.questions?.[0];
        if (!first) throw new Error('no question');
        q = { id: query.id ?? 0, name: first.name.toLowerCase().replace(/\.$/, ''), type: String(first.type) };
      } catch {
        res.writeHead(400).end();
        return;
      }
      const reply = respond(q);
      if (reply === 'hang') return; // the connection stays open, nothing is ever sent
      if ('dns' in reply) {
        res.writeHead(200, { 'content-type': 'application/dns-message', 'content-length': reply.dns.byteLength }).end(reply.dns);
        return;
      }
      res.writeHead(reply.status, { 'content-type': reply.contentType ?? 'text/plain' }).end(reply.body ?? '');
    });
  });
  const port = await l.listen(server, host, 0);
  return `http://${host}:${port}/dns-query`;
}

export type ZoneData = { A?: string[]; AAAA?: string[]; MX?: [number, string][]; TXT?: string[][]; CNAME?: string };

const HEADER_FLAGS = dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | dnsPacket.AUTHENTIC_DATA;

/** A well-formed response from a zone: records, a CNAME, NODATA or NXDOMAIN. */
export function zoneReply(q: DnsQuestion, zone: Record<string, ZoneData>, over: { id?: number; qname?: string } = {}): Uint8Array {
  const data = zone[q.name];
  const answers: dnsPacket.Answer[] = [];
  if (data?.CNAME) answers.push({ name: q.name, type: 'CNAME', class: 'IN', ttl: 300, data: data.CNAME });
  else if (data) {
    if (q.type === 'A' || q.type === 'AAAA') for (const a of data[q.type] ?? []) answers.push({ name: q.name, type: q.type, class: 'IN', ttl: 300, data: a });
    if (q.type === 'MX') for (const [preference, exchange] of data.MX ?? []) answers.push({ name: q.name, type: 'MX', class: 'IN', ttl: 300, data: { preference, exchange } });
    if (q.type === 'TXT') for (const strings of data.TXT ?? []) answers.push({ name: q.name, type: 'TXT', class: 'IN', ttl: 300, data: strings.map((s) => Buffer.from(s, 'latin1')) });
  }
  // A CNAME to a name of the zone: add the target's records like a recursive resolver does.
  if (data?.CNAME && zone[data.CNAME] && !zone[data.CNAME]?.CNAME) {
    const target = zone[data.CNAME];
    if (q.type === 'A') for (const a of target?.A ?? []) answers.push({ name: data.CNAME, type: 'A', class: 'IN', ttl: 300, data: a });
  }
  return Buffer.from(
    dnsPacket.encode({
      type: 'response',
      id: over.id ?? q.id,
      flags: HEADER_FLAGS | (data ? 0 : 3),
      questions: [{ name: over.qname ?? q.name, type: q.type as dnsPacket.RecordType, class: 'IN' }],
      answers,
    }),
  );
}

function wireName(name: string): Buffer {
  const parts = name.split('.').filter(Boolean).map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'latin1')]));
  return Buffer.concat([...parts, Buffer.from([0])]);
}

const TYPE_CODES: Record<string, number> = { A: 1, MX: 15, TXT: 16, AAAA: 28, CNAME: 5 };

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n & 0xffff);
  return b;
}

/**
 * A response assembled by hand: the question, then answers whose owner is `owner` (default: a
 * compression pointer to the question name at offset 12) and whose RDATA is given raw.
 */
export function rawReply(q: DnsQuestion, rdatas: { type: string; rdata: Buffer; owner?: Buffer }[], flags = 0x81a0): Buffer {
  const header = Buffer.concat([u16(q.id), u16(flags), u16(1), u16(rdatas.length), u16(0), u16(0)]);
  const question = Buffer.concat([wireName(q.name), u16(TYPE_CODES[q.type] ?? 1), u16(1)]);
  const answers = rdatas.map(({ type, rdata, owner }) =>
    Buffer.concat([owner ?? Buffer.from([0xc0, 0x0c]), u16(TYPE_CODES[type] ?? 1), u16(1), Buffer.from([0, 0, 1, 44]), u16(rdata.length), rdata]),
  );
  return Buffer.concat([header, question, ...answers]);
}

/** An answer whose owner name is a compression pointer to itself (RFC 1035 §4.1.4 loop). */
export function pointerLoopReply(q: DnsQuestion): Buffer {
  const head = rawReply(q, []);
  const at = head.length; // where the answer's owner name starts
  const withCount = Buffer.from(head);
  withCount.writeUInt16BE(1, 6);
  const owner = Buffer.from([0xc0 | (at >> 8), at & 0xff]);
  return Buffer.concat([withCount, owner, u16(TYPE_CODES[q.type] ?? 1), u16(1), Buffer.from([0, 0, 1, 44]), u16(4), Buffer.from([127, 0, 30, 9])]);
}

/** A name of `labels` labels of 63 octets: 64 × labels + 1 octets on the wire. */
export function longWireName(labels: number): Buffer {
  return wireName(Array.from({ length: labels }, (_, i) => String.fromCharCode(97 + i).repeat(63)).join('.'));
}

export const txtRdata = (text: string): Buffer => Buffer.concat([Buffer.from([text.length]), Buffer.from(text, 'latin1')]);
export const aRdata = (a: string): Buffer => Buffer.from(a.split('.').map(Number));
export const mxRdata = (pref: number, exchange: Buffer): Buffer => Buffer.concat([u16(pref), exchange]);

// ---- HTTPS and raw TCP ----

export interface TlsCredentials {
  key: string;
  cert: string;
}

export async function startHttps(l: Listeners, host: string, creds: TlsCredentials, handler: (req: IncomingMessage, res: ServerResponse) => void, port = 443): Promise<void> {
  const server = createHttpsServer({ key: creds.key, cert: creds.cert }, handler);
  await l.listen(server, host, port);
}

export async function startHttp(l: Listeners, host: string, handler: (req: IncomingMessage, res: ServerResponse) => void, port = 80): Promise<void> {
  await l.listen(createHttpServer(handler), host, port);
}

/** A TCP listener that hands each connection to `onConnection` (garbage, stalls, SMTP scripts). */
export async function startRaw(l: Listeners, host: string, port: number, onConnection: (s: net.Socket) => void): Promise<void> {
  await l.listen(net.createServer(onConnection), host, port);
}

// ---- SMTP ----

/** Calls `onLine` for each CRLF-terminated line the client sends (until `detach()`). */
export function readLines(s: net.Socket, onLine: (line: string) => void): { detach: () => void } {
  let buf = '';
  const onData = (d: Buffer): void => {
    buf += d.toString('latin1');
    let i: number;
    while ((i = buf.indexOf('\r\n')) >= 0) {
      const line = buf.slice(0, i);
      buf = buf.slice(i + 2);
      onLine(line);
    }
  };
  s.on('data', onData);
  return { detach: () => s.off('data', onData) };
}

export type SmtpStep = 'banner' | 'ehlo' | 'starttls' | 'tls' | 'ehlo-after-tls';

export interface SmtpBehaviour {
  /** Close the connection when this step comes (before answering it). */
  closeAt?: SmtpStep;
  /** Lines of the EHLO reply (default: the name and STARTTLS). */
  ehloLines?: number;
  /** After "220 ready to start TLS": what to do instead of a TLS handshake. */
  afterStarttls?: 'garbage' | 'garbage-with-reply' | 'stall-mid-handshake';
}

/** A small SMTP server with STARTTLS (RFC 5321, RFC 3207) that misbehaves as told. */
export function smtpSession(s: net.Socket, creds: TlsCredentials, b: SmtpBehaviour = {}): void {
  if (b.closeAt === 'banner') return void s.destroy();
  s.write('220 mx.hostile.test ESMTP\r\n');
  const reader = readLines(s, (line) => {
    const verb = line.slice(0, 8).toUpperCase();
    if (verb.startsWith('EHLO') || verb.startsWith('HELO')) {
      if (b.closeAt === 'ehlo') return void s.destroy();
      const n = b.ehloLines ?? 2;
      const lines = Array.from({ length: n }, (_, i) => (i === 0 ? 'mx.hostile.test' : i === n - 1 ? 'STARTTLS' : `X-EXTENSION-${i}`));
      s.write(lines.map((t, i) => `250${i === n - 1 ? ' ' : '-'}${t}\r\n`).join(''));
    } else if (verb.startsWith('STARTTLS')) {
      if (b.closeAt === 'starttls') return void s.destroy();
      reader.detach();
      const ready = '220 2.0.0 Ready to start TLS\r\n';
      const garbage = Buffer.from('HTTP/1.1 400 Bad Request\r\n\r\n\x00\x01\x02 not a TLS record at all '.repeat(20), 'latin1');
      // Sent in one write with the 220, so that it arrives with it (before any ClientHello), or as the answer to the ClientHello.
      if (b.afterStarttls === 'garbage-with-reply') return void s.write(Buffer.concat([Buffer.from(ready, 'latin1'), garbage]));
      s.write(ready);
      if (b.afterStarttls === 'garbage') return void s.once('data', () => s.write(garbage));
      if (b.afterStarttls === 'stall-mid-handshake' || b.closeAt === 'tls') {
        s.once('data', () => {
          // The ClientHello arrived: half a TLS record header, then nothing (or a close).
          if (b.closeAt === 'tls') s.destroy();
          else s.write(Buffer.from([0x16, 0x03, 0x03]));
        });
        return;
      }
      const secure = new tls.TLSSocket(s, { isServer: true, key: creds.key, cert: creds.cert });
      secure.on('error', () => undefined);
      readLines(secure, (l2) => {
        const v2 = l2.slice(0, 8).toUpperCase();
        if (v2.startsWith('EHLO')) {
          if (b.closeAt === 'ehlo-after-tls') return void secure.destroy();
          secure.write('250-mx.hostile.test\r\n250 PIPELINING\r\n');
        } else if (v2.startsWith('QUIT')) secure.end('221 2.0.0 Bye\r\n');
        else secure.write('502 5.5.2 Not implemented\r\n');
      });
    } else if (verb.startsWith('QUIT')) s.end('221 2.0.0 Bye\r\n');
    else s.write('502 5.5.2 Not implemented\r\n');
  });
}
