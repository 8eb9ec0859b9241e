// The bench's SMTP servers: a minimal ESMTP server with STARTTLS (RFC 5321, RFC 3207) that greets
// at once. The smtp-server package waits a hard-coded 100 ms before its 220 (its "early talker"
// pause): at RTT 50 ms that is 2 RTT of server think time in every session, which is not ours to
// measure and would hide our own overhead against the round-trip bound. Real MTAs greet at once
// (Postfix smtpd) or pause for unknown clients only (postscreen); the bench wants the network alone.
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import tls from 'node:tls';
import type { Listening } from './servers.ts';

/** RFC 5321 §4.5.3.1.4: a command line is at most 512 octets; allow slack, refuse beyond. */
const MAX_LINE = 4096;
/** An idle client is dropped (RFC 5321 §4.5.3.2.7 allows 5 minutes; the bench never idles that long). */
const IDLE_MS = 30_000;

export async function startSmtpServer(name: string, cert: { key: string; chain: string }): Promise<Listening> {
  const context = tls.createSecureContext({ key: cert.key, cert: cert.chain });
  // TLS sockets first: a raw socket whose handle a TLS socket took over must not be destroyed before it.
  const secured = new Set<tls.TLSSocket>();
  const raw = new Set<net.Socket>();
  const ehlo = (secure: boolean) =>
    [name, 'PIPELINING', '8BITMIME', 'SIZE 10485760', ...(secure ? [] : ['STARTTLS']), 'SMTPUTF8']
      .map((line, i, all) => `250${i === all.length - 1 ? ' ' : '-'}${line}\r\n`)
      .join('');

  const converse = (stream: net.Socket | tls.TLSSocket, secure: boolean): void => {
    let buffer = '';
    const onData = (chunk: Buffer): void => {
      buffer += chunk.toString('latin1');
      let lf: number;
      while ((lf = buffer.indexOf('\n')) !== -1) {
        const line = buffer.slice(0, lf).replace(/\r$/, '');
        buffer = buffer.slice(lf + 1);
        const verb = (line.split(' ')[0] ?? '').toUpperCase();
        if (verb === 'EHLO') stream.write(ehlo(secure));
        else if (verb === 'HELO' || verb === 'NOOP' || verb === 'RSET') stream.write(`250 ${name}\r\n`);
        else if (verb === 'QUIT') return void stream.end(`221 2.0.0 ${name} closing\r\n`);
        else if (verb === 'STARTTLS' && !secure) {
          // RFC 3207 §4.2: anything the client pipelined after STARTTLS is discarded.
          stream.off('data', onData);
          stream.write('220 2.0.0 Ready to start TLS\r\n');
          return upgrade(stream as net.Socket);
        } else if (verb === 'STARTTLS') stream.write('503 5.5.1 TLS already active\r\n');
        else stream.write('502 5.5.1 Command not implemented\r\n');
      }
      if (buffer.length > MAX_LINE) {
        stream.off('data', onData);
        stream.end('500 5.5.2 Line too long\r\n');
      }
    };
    stream.on('data', onData);
  };

  const upgrade = (socket: net.Socket): void => {
    socket.setTimeout(0); // the TLS socket below keeps its own idle timer
    const secure = new tls.TLSSocket(socket, { isServer: true, secureContext: context });
    secured.add(secure);
    secure.on('error', () => undefined);
    // A raw socket handed to TLS emits no 'close' of its own.
    secure.on('close', () => {
      secured.delete(secure);
      raw.delete(socket);
    });
    secure.setTimeout(IDLE_MS, () => secure.destroy());
    secure.once('secure', () => converse(secure, true));
  };

  const server = net.createServer((socket) => {
    raw.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => raw.delete(socket));
    socket.setTimeout(IDLE_MS, () => socket.destroy());
    socket.write(`220 ${name} ESMTP bench\r\n`);
    converse(socket, false);
  });
  server.maxConnections = 1000;
  server.on('error', () => undefined);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));

  const destroyAll = (): void => {
    for (const s of secured) s.destroy();
    for (const s of raw) s.destroy();
    secured.clear();
    raw.clear();
  };
  return {
    port: (server.address() as AddressInfo).port,
    resetConnections: destroyAll,
    close: () =>
      new Promise<void>((r) => {
        destroyAll();
        server.close(() => r());
      }),
  };
}
