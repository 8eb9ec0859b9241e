// The policy web server (HTTPS, one certificate per SNI name) of the bench network (the SMTP
// servers are in smtp-server.ts). Each listens on 127.0.0.1 at a random port; a delaying proxy on
// the published address:port sits in front of it.
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type net from 'node:net';
import tls from 'node:tls';

export interface Listening {
  port: number;
  resetConnections(): void;
  close(): Promise<void>;
}

export interface PolicyServerOptions {
  /** Certificate (chain) and key by SNI name; `fallback` when the name is unknown. */
  certs: Map<string, { key: string; chain: string }>;
  fallback: { key: string; chain: string };
  /** Policy text by domain (the Host is mta-sts.<domain>). */
  policies: Map<string, string>;
}

export async function startPolicyServer(o: PolicyServerOptions): Promise<Listening> {
  const contexts = new Map<string, tls.SecureContext>();
  const ctx = (c: { key: string; chain: string }) => tls.createSecureContext({ key: c.key, cert: c.chain });
  const fallback = ctx(o.fallback);
  for (const [name, c] of o.certs) contexts.set(name, ctx(c));
  const sockets = new Set<net.Socket>();
  const server = https.createServer(
    { key: o.fallback.key, cert: o.fallback.chain, SNICallback: (name, cb) => cb(null, contexts.get(name.toLowerCase()) ?? fallback) },
    (req, res) => {
      const host = (req.headers.host ?? '').toLowerCase().replace(/:\d+$/, '');
      const policy = host.startsWith('mta-sts.') ? o.policies.get(host.slice('mta-sts.'.length)) : undefined;
      if (req.url !== '/.well-known/mta-sts.txt' || policy === undefined) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(policy) });
      res.end(policy);
    },
  );
  server.on('connection', (s: net.Socket) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return listening(server, sockets);
}

function destroyAll(sockets: Set<net.Socket>): void {
  for (const s of sockets) s.destroy();
  sockets.clear();
}

function listening(server: https.Server, sockets: Set<net.Socket>): Listening {
  return {
    port: (server.address() as AddressInfo).port,
    resetConnections: () => destroyAll(sockets),
    close: () =>
      new Promise<void>((r) => {
        destroyAll(sockets);
        server.close(() => r());
      }),
  };
}
