// Purpose-built SMTP servers for behaviour real servers will not produce on demand: silence,
// a 421 greeting, 454 to STARTTLS (RFC 3207 §4), an endless multi-line banner, and bytes that
// are not TLS after a 220 to STARTTLS. Bounded in lines, bytes and time; never throws.
import net from 'node:net';
import type { SmtpBehaviour } from './scenarios.ts';

export type MisbehaviourKind = Exclude<SmtpBehaviour, 'normal' | 'no-starttls'>;

const MAX_LINE = 4096;
/** The endless banner stops after this many bytes or this long, whichever comes first. */
const ENDLESS_MAX_BYTES = 32 * 1024 * 1024;
const ENDLESS_MAX_MS = 60_000;
const IDLE_MS = 60_000;

function ehloReply(host: string): string {
  return `250-${host} at your service\r\n250-PIPELINING\r\n250-SIZE 10485760\r\n250-STARTTLS\r\n250 8BITMIME\r\n`;
}

/** Bytes that cannot start a TLS record (content types are 20..24) and carry on as noise. */
function garbage(): Uint8Array {
  const bytes = new Uint8Array(2048);
  let x = 0x9e3779b9;
  for (let i = 0; i < bytes.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    bytes[i] = x & 0xff;
  }
  bytes[0] = 0x47; // 'G'
  return bytes;
}

function endlessBanner(socket: net.Socket, host: string): void {
  const started = Date.now();
  let sent = 0;
  let n = 0;
  const pump = (): void => {
    while (!socket.destroyed && sent < ENDLESS_MAX_BYTES && Date.now() - started < ENDLESS_MAX_MS) {
      const line = `220-${host} banner line ${++n} of a banner that never ends\r\n`;
      sent += line.length;
      if (!socket.write(line)) {
        socket.once('drain', pump);
        return;
      }
      if (n % 256 === 0) {
        setImmediate(pump); // let the event loop breathe
        return;
      }
    }
    socket.destroy();
  };
  pump();
}

function commandLoop(socket: net.Socket, host: string, kind: 'starttls-454' | 'garbage-tls'): void {
  let buffer = '';
  socket.write(`220 ${host} ESMTP test server\r\n`);
  socket.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('latin1');
    if (buffer.length > MAX_LINE && !buffer.includes('\n')) {
      socket.end('500 5.5.2 line too long\r\n');
      return;
    }
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl).replace(/\r$/, '');
      buffer = buffer.slice(nl + 1);
      const verb = line.split(' ')[0]?.toUpperCase() ?? '';
      if (verb === 'EHLO') socket.write(ehloReply(host));
      else if (verb === 'HELO') socket.write(`250 ${host}\r\n`);
      else if (verb === 'STARTTLS' && kind === 'starttls-454') socket.write('454 4.7.0 TLS not available due to temporary reason\r\n');
      else if (verb === 'STARTTLS') {
        socket.write('220 2.0.0 Ready to start TLS\r\n');
        socket.end(garbage());
        return;
      } else if (verb === 'QUIT') {
        socket.end(`221 2.0.0 ${host} closing connection\r\n`);
        return;
      } else if (verb === 'NOOP' || verb === 'RSET') socket.write('250 2.0.0 OK\r\n');
      else socket.write('502 5.5.1 command not implemented\r\n');
    }
  });
}

export interface MisbehavingServer {
  server: net.Server;
  stop(): Promise<void>;
}

export async function startMisbehavingSmtp(kind: MisbehaviourKind, host: string, address: string, port = 25): Promise<MisbehavingServer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    socket.setTimeout(IDLE_MS, () => socket.destroy());
    switch (kind) {
      case 'silent':
        socket.resume(); // read and ignore: never a byte back
        break;
      case 'greeting-421':
        socket.end(`421 4.3.2 ${host} service not available, closing transmission channel\r\n`);
        break;
      case 'endless-banner':
        socket.resume();
        endlessBanner(socket, host);
        break;
      case 'starttls-454':
      case 'garbage-tls':
        commandLoop(socket, host, kind);
        break;
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    server,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
