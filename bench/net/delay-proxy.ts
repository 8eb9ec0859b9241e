// User-space latency: the kernel here has no netem, so every server of the bench network sits
// behind one of these proxies. UDP: each datagram waits `delayMs` each way (a DNS query costs
// one RTT = 2 × delayMs). TCP: each chunk waits `delayMs` each way, and the upstream connection
// is opened 1.5 RTT after the client's connect, which is when a server sees a real connection
// (SYN, SYN-ACK, ACK). The client's connect() itself returns at once on loopback, but the first
// reply reaches it exactly when it would with netem: a connect + greeting still costs 2 RTT,
// a connect + client-first request (TLS) 2 RTT.
import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import net from 'node:net';

export interface Endpoint {
  host: string;
  port: number;
}

export interface DelayProxy {
  /** The port it listens on (useful when asked for port 0). */
  port: number;
  /** Destroy every open connection (fresh connections for the next measured run). */
  resetConnections(): void;
  close(): Promise<void>;
}

export function startTcpDelayProxy(listen: Endpoint, target: Endpoint, delayMs: number): Promise<DelayProxy> {
  const open = new Set<net.Socket>();
  const server = net.createServer((client) => {
    open.add(client);
    client.setNoDelay(true);
    const pending: Buffer[] = [];
    let upstream: net.Socket | undefined;
    let clientEnded = false;
    let closed = false;
    const later = (fn: () => void) => setTimeout(() => !closed && fn(), delayMs);
    const closeBoth = () => {
      if (closed) return;
      closed = true;
      client.destroy();
      upstream?.destroy();
    };
    client.on('data', (chunk) =>
      later(() => {
        if (upstream?.readyState === 'open') upstream.write(chunk);
        else pending.push(chunk);
      }),
    );
    client.on('end', () =>
      later(() => {
        clientEnded = true;
        if (upstream?.readyState === 'open') upstream.end();
      }),
    );
    client.on('error', () => later(closeBoth));
    client.on('close', () => later(closeBoth));
    setTimeout(() => {
      if (closed) return;
      const up = net.connect(target.port, target.host);
      upstream = up;
      open.add(up);
      up.setNoDelay(true);
      up.on('connect', () => {
        for (const chunk of pending.splice(0)) up.write(chunk);
        if (clientEnded) up.end();
      });
      up.on('data', (chunk) => later(() => client.write(chunk)));
      up.on('end', () => later(() => client.end()));
      up.on('error', () => later(closeBoth));
      up.on('close', () => {
        open.delete(up);
        later(closeBoth);
      });
    }, 3 * delayMs);
    client.on('close', () => open.delete(client));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: listen.host, port: listen.port, backlog: 2048 }, () =>
      resolve({
        port: (server.address() as net.AddressInfo).port,
        resetConnections: () => {
          for (const s of open) s.destroy();
          open.clear();
        },
        close: () =>
          new Promise<void>((done) => {
            for (const s of open) s.destroy();
            server.close(() => done());
          }),
      }),
    );
  });
}

/** One upstream socket per client address:port, so replies find their way back; idle ones are closed. */
export function startUdpDelayProxy(listen: Endpoint, target: Endpoint, delayMs: number): Promise<DelayProxy> {
  const front: UdpSocket = createSocket('udp4');
  const flows = new Map<string, { sock: UdpSocket; last: number }>();
  const flow = (rinfo: RemoteInfo) => {
    const key = `${rinfo.address}:${rinfo.port}`;
    let f = flows.get(key);
    if (!f) {
      const sock = createSocket('udp4');
      sock.on('message', (msg) => setTimeout(() => front.send(msg, rinfo.port, rinfo.address), delayMs));
      sock.on('error', () => undefined);
      f = { sock, last: Date.now() };
      flows.set(key, f);
    }
    f.last = Date.now();
    return f.sock;
  };
  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [key, f] of flows) if (now - f.last > 10_000) (f.sock.close(), flows.delete(key));
  }, 5_000);
  sweep.unref();
  front.on('message', (msg, rinfo) => {
    const sock = flow(rinfo);
    setTimeout(() => sock.send(msg, target.port, target.host), delayMs);
  });
  front.on('error', () => undefined);
  return new Promise((resolve, reject) => {
    front.once('error', reject);
    front.bind(listen.port, listen.host, () =>
      resolve({
        port: front.address().port,
        resetConnections: () => undefined,
        close: async () => {
          clearInterval(sweep);
          for (const f of flows.values()) f.sock.close();
          flows.clear();
          front.close();
        },
      }),
    );
  });
}
