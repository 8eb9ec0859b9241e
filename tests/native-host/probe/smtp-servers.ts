// Loopback SMTP servers for the probe tests: the real smtp-server package for well-behaved
// servers, and a scripted one for servers that misbehave in a precise way.
import net from 'node:net';
import tls from 'node:tls';
import { SMTPServer } from 'smtp-server';

export interface Running {
  port: number;
  /** Connections currently open on the server side. */
  open(): number;
  /** Total connections accepted. */
  accepted(): number;
  /** SNI seen in each TLS handshake ('' when none was sent). */
  servernames: string[];
  /** QUIT commands received (scripted servers). */
  quits?: () => number;
  close(): Promise<void>;
}

export interface SmtpOptions {
  key: string;
  cert: string;
  host?: string;
  hideSTARTTLS?: boolean;
  /** Refuse every connection with this code (e.g. 421). */
  rejectWith?: number;
}

export async function startSmtpServer(options: SmtpOptions): Promise<Running> {
  const servernames: string[] = [];
  // Counted through smtp-server's own hooks: a socket handed to TLS never emits 'close' itself.
  let open = 0;
  let accepted = 0;
  const server = new SMTPServer({
    name: 'mx.example.test',
    key: options.key,
    cert: options.cert,
    logger: false,
    authOptional: true,
    disabledCommands: ['AUTH'],
    hideSTARTTLS: options.hideSTARTTLS ?? false,
    onConnect(_session, callback) {
      open++;
      accepted++;
      if (!options.rejectWith) return callback();
      const err = Object.assign(new Error('Too many connections, try again later'), { responseCode: options.rejectWith });
      callback(err);
    },
    onClose() {
      open--;
    },
    onSecure(socket, _session, callback) {
      servernames.push((socket as tls.TLSSocket).servername || '');
      callback();
    },
  });
  server.on('error', () => {});
  const running = await track(server.server as net.Server, options.host ?? '127.0.10.1', servernames, () => new Promise((r) => server.close(() => r())));
  return { ...running, open: () => open, accepted: () => accepted };
}

async function track(server: net.Server, host: string, servernames: string[], close: () => Promise<void>): Promise<Running> {
  let open = 0;
  let accepted = 0;
  server.on('connection', (socket: net.Socket) => {
    open++;
    accepted++;
    socket.on('close', () => open--);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const address = server.address() as net.AddressInfo;
  return { port: address.port, open: () => open, accepted: () => accepted, servernames, close };
}

export interface Script {
  /** Written on connect; default a one-line 220. */
  greeting?: string;
  /** EHLO reply before TLS; default offers STARTTLS. */
  ehlo?: string;
  /** EHLO reply after TLS; default without STARTTLS. */
  ehloAfterTls?: string;
  /** Reply to STARTTLS; default "220 go ahead". */
  starttls?: string;
  /** After the STARTTLS reply, instead of a TLS handshake. */
  afterStarttls?: 'garbage' | 'close';
  /** Close the connection right when this happens. */
  closeAt?: 'connect' | 'ehlo' | 'starttls' | 'tls-hello';
  tls?: tls.SecureContextOptions & { minVersion?: tls.SecureVersion; maxVersion?: tls.SecureVersion };
  /** Fail the TLS handshake of clients that send no SNI (no certificate without it). */
  requireSni?: boolean;
  /** Greet nobody until this many connections are open at once (proves sessions run together). */
  greetWhenOpen?: number;
  /** Never answer QUIT and never close after it (the client must not wait for 221). */
  silentQuit?: boolean;
  /** A per-client limit of one session: 421 to a connection while another has not sent QUIT yet. */
  onePerClient?: boolean;
  host?: string;
}

const DEFAULT_EHLO = '250-raw.example.test greets you\r\n250-PIPELINING\r\n250-STARTTLS\r\n250 8BITMIME\r\n';

/** A line-based fake SMTP server that follows `script`. */
export async function startScriptedServer(script: Script): Promise<Running> {
  const servernames: string[] = [];
  // A socket handed to TLS emits no close of its own: count its TLS socket instead.
  let closed = 0;
  let quits = 0;
  const closers = new WeakMap<net.Socket, () => void>();
  const sockets = new Set<net.Socket>();
  /** Connections that have neither closed nor sent QUIT. */
  const busy = new Set<net.Socket>();
  const waitingForGreeting: Array<() => void> = [];
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    // One connection is closed once, whether its raw or its TLS socket reports it.
    let done = false;
    const markClosed = (): void => {
      if (!done) closed++;
      done = true;
      busy.delete(socket);
    };
    closers.set(socket, markClosed);
    socket.on('close', markClosed);
    if (script.closeAt === 'connect') return void socket.destroy();
    if (script.onePerClient && busy.size > 0) {
      // Drain what the client still sends (its QUIT) so its FIN is seen and the connection closes.
      socket.resume();
      return void socket.end('421 4.7.0 Too many connections from your address\r\n');
    }
    busy.add(socket);
    const greet = (): void => {
      if (script.greeting !== '') socket.write(script.greeting ?? '220 raw.example.test ESMTP\r\n');
      converse(socket, false, socket);
    };
    waitingForGreeting.push(greet);
    if (waitingForGreeting.length >= (script.greetWhenOpen ?? 1)) for (const g of waitingForGreeting.splice(0)) g();
  });
  const converse = (stream: net.Socket | tls.TLSSocket, secure: boolean, raw: net.Socket): void => {
    let buffer = '';
    const onData = (chunk: Buffer): void => {
      buffer += chunk.toString('latin1');
      let lf: number;
      while ((lf = buffer.indexOf('\n')) !== -1) {
        const line = buffer.slice(0, lf).replace(/\r$/, '');
        buffer = buffer.slice(lf + 1);
        const verb = line.split(' ')[0]?.toUpperCase();
        if (verb === 'EHLO') {
          if (script.closeAt === 'ehlo') return void stream.destroy();
          stream.write(secure ? (script.ehloAfterTls ?? '250-raw.example.test\r\n250 8BITMIME\r\n') : (script.ehlo ?? DEFAULT_EHLO));
        } else if (verb === 'STARTTLS' && !secure) {
          if (script.closeAt === 'starttls') return void stream.destroy();
          const reply = script.starttls ?? '220 go ahead\r\n';
          stream.write(reply);
          if (!reply.startsWith('220')) continue;
          stream.off('data', onData);
          if (script.afterStarttls === 'garbage') {
            stream.write('this is not TLS at all, just text\r\n'.repeat(20));
            return;
          }
          if (script.afterStarttls === 'close' || script.closeAt === 'tls-hello') {
            stream.once('data', () => stream.destroy());
            return;
          }
          const context = tls.createSecureContext(script.tls);
          const secureSocket = new tls.TLSSocket(stream, {
            isServer: true,
            // Without SNI the certificate-less default context is used, and the handshake fails.
            ...(script.requireSni
              ? { secureContext: tls.createSecureContext({}), SNICallback: (_name: string, cb: (e: Error | null, c?: tls.SecureContext) => void) => cb(null, context) }
              : { secureContext: context }),
          });
          secureSocket.on('error', () => {});
          const markClosed = closers.get(stream as net.Socket);
          if (markClosed) secureSocket.on('close', markClosed);
          secureSocket.on('secure', () => {
            servernames.push((secureSocket as tls.TLSSocket & { servername?: string | false }).servername || '');
            converse(secureSocket, true, raw);
          });
          return;
        } else if (verb === 'QUIT') {
          quits++;
          busy.delete(raw);
          if (!script.silentQuit) stream.end('221 bye\r\n');
        } else {
          stream.write('502 not implemented\r\n');
        }
      }
    };
    stream.on('data', onData);
  };
  const running = await track(server, script.host ?? '127.0.10.1', servernames, () => {
    for (const s of sockets) s.destroy();
    return new Promise((r) => server.close(() => r()));
  });
  return { ...running, open: () => running.accepted() - closed, quits: () => quits };
}

/** A server that runs `handler` for each connection and nothing else. */
export async function startRawServer(handler: (socket: net.Socket) => void, host = '127.0.10.1'): Promise<Running> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    socket.on('close', () => sockets.delete(socket));
    handler(socket);
  });
  return track(server, host, [], () => {
    for (const s of sockets) s.destroy();
    return new Promise((r) => server.close(() => r()));
  });
}

/** A port on `host` where nothing listens (bound, then released). */
export async function closedPort(host = '127.0.10.1'): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, host, () => r()));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return port;
}

/** Resolve once `predicate` holds (polling), or fail after `ms`. */
export async function until(predicate: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > end) throw new Error('condition not reached');
    await new Promise((r) => setTimeout(r, 20));
  }
}
