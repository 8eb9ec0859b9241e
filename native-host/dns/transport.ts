// One DNS exchange with one server: UDP (RFC 1035 §4.2.1) or TCP with a 2-byte length
// prefix (RFC 1035 §4.2.2, RFC 7766). Ends on the answer, an error, or the signal.
import * as dgram from 'node:dgram';
import * as net from 'node:net';
import type { DnsErrorKind } from '../../core/dns/types.ts';
import type { ServerAddress } from './resolv-conf.ts';

export type Exchange = { ok: true; bytes: Uint8Array } | { ok: false; kind: DnsErrorKind; message: string };

/** The largest message a TCP length prefix can announce. */
const MAX_TCP_MESSAGE = 65535;

const aborted: Exchange = { ok: false, kind: 'aborted', message: 'cancelled' };

function view(buf: Buffer): Uint8Array {
  return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
}

function describe(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const code = (err as NodeJS.ErrnoException).code;
  return code && !err.message.includes(code) ? `${err.message} (${code})` : err.message;
}

/**
 * Sends the query over a connected UDP socket (so only the server's datagrams arrive) and
 * resolves with the first datagram `isAnswer` accepts; others (stale ids, spoofs) are dropped.
 */
export function udpExchange(server: ServerAddress, query: Uint8Array, isAnswer: (bytes: Uint8Array) => boolean, signal: AbortSignal): Promise<Exchange> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(aborted);
    const socket = dgram.createSocket(server.family === 6 ? 'udp6' : 'udp4');
    let done = false;
    const finish = (result: Exchange) => {
      if (done) return;
      done = true;
      signal.removeEventListener('abort', onAbort);
      socket.close();
      resolve(result);
    };
    const onAbort = () => finish(aborted);
    signal.addEventListener('abort', onAbort, { once: true });
    socket.on('error', (err) => finish({ ok: false, kind: 'network', message: describe(err) }));
    socket.on('message', (msg) => {
      const bytes = view(msg);
      if (isAnswer(bytes)) finish({ ok: true, bytes: Uint8Array.from(bytes) });
    });
    socket.connect(server.port, server.host, () => {
      socket.send(query, (err) => {
        if (err) finish({ ok: false, kind: 'network', message: describe(err) });
      });
    });
  });
}

/** Sends the query over TCP and reads one length-prefixed answer. */
export function tcpExchange(server: ServerAddress, query: Uint8Array, signal: AbortSignal): Promise<Exchange> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(aborted);
    const socket = net.connect({ host: server.host, port: server.port });
    const chunks: Buffer[] = [];
    let received = 0;
    let done = false;
    const finish = (result: Exchange) => {
      if (done) return;
      done = true;
      signal.removeEventListener('abort', onAbort);
      socket.destroy();
      resolve(result);
    };
    const onAbort = () => finish(aborted);
    signal.addEventListener('abort', onAbort, { once: true });
    socket.on('connect', () => {
      const framed = new Uint8Array(2 + query.length);
      framed[0] = query.length >> 8;
      framed[1] = query.length & 0xff;
      framed.set(query, 2);
      socket.write(framed);
    });
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      received += chunk.length;
      if (received < 2) return;
      const all = Buffer.concat(chunks);
      const length = all.readUInt16BE(0);
      if (received > 2 + MAX_TCP_MESSAGE) return finish({ ok: false, kind: 'malformed', message: 'the server sent more than one DNS message over TCP' });
      if (all.length >= 2 + length) finish({ ok: true, bytes: Uint8Array.from(all.subarray(2, 2 + length)) });
    });
    socket.on('error', (err) => finish({ ok: false, kind: 'network', message: describe(err) }));
    socket.on('close', () => finish({ ok: false, kind: 'network', message: 'the server closed the TCP connection before the whole answer arrived (RFC 1035 §4.2.2)' }));
  });
}
