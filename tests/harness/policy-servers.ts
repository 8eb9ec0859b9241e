// HTTPS policy hosts (RFC 8461 §3.3): one node:https server per scenario on its own loopback
// address, port 443, answering /.well-known/mta-sts.txt as the scenario says. SNI-aware: the
// policy host's certificate for its own name, a default one for a missing or unknown SNI.
import https from 'node:https';
import { createSecureContext, type SecureContext } from 'node:tls';
import type { Issued } from '../helpers/pki.ts';
import { policyAddress } from './addresses.ts';
import { absoluteName, type PolicySpec, type Scenario } from './scenarios.ts';

export const POLICY_PATH = '/.well-known/mta-sts.txt';

export interface PolicyResponse {
  status: number;
  headers: Record<string, string>;
  body: Uint8Array;
}

/** The policy body as served (padding included), byte-exact. */
export function policyBodyBytes(spec: PolicySpec): Uint8Array {
  let text = spec.body;
  const target = spec.padToBytes ?? 0;
  const encoder = new TextEncoder();
  let size = encoder.encode(text).length;
  for (let n = 1; size < target; n++) {
    // Long values, so that any cut a client makes at ~64 KiB lands inside a value, not a key.
    const line = `x-padding-${n}: ${'a'.repeat(8000)}\r\n`;
    text += line;
    size += line.length;
  }
  return encoder.encode(text);
}

/** What the policy host of scenario `s` answers for `path`. */
export function policyResponse(s: Scenario, path: string): PolicyResponse {
  const spec = s.policy;
  const plain = { 'content-type': 'text/plain; charset=utf-8' };
  const notFound: PolicyResponse = { status: 404, headers: plain, body: new TextEncoder().encode('not found\n') };
  if (!spec) return notFound;
  if (spec.redirectTo && path === spec.redirectTo) return { status: 200, headers: plain, body: policyBodyBytes(spec) };
  if (path !== POLICY_PATH) return notFound;
  if (spec.redirectTo) {
    const location = `https://${absoluteName(s, 'mta-sts')}${spec.redirectTo}`;
    return { status: spec.status ?? 301, headers: { ...plain, location }, body: new TextEncoder().encode(`moved to ${location}\n`) };
  }
  return { status: spec.status ?? 200, headers: { 'content-type': spec.contentType ?? 'text/plain' }, body: policyBodyBytes(spec) };
}

export interface RunningServer {
  address: string;
  port: number;
  stop(): Promise<void>;
}

function contextOf(c: Issued): SecureContext {
  return createSecureContext({ key: c.key, cert: c.chain, minVersion: 'TLSv1.2' });
}

export async function startPolicyServer(s: Scenario, index: number, cert: Issued, fallback: Issued): Promise<RunningServer> {
  const host = absoluteName(s, 'mta-sts');
  const own = contextOf(cert);
  const server = https.createServer(
    {
      key: fallback.key,
      cert: fallback.chain,
      minVersion: 'TLSv1.2',
      SNICallback: (servername, cb) => cb(null, servername.toLowerCase() === host ? own : undefined),
    },
    (req, res) => {
      const path = new URL(req.url ?? '/', `https://${host}`).pathname;
      const answer = req.method === 'GET' || req.method === 'HEAD' ? policyResponse(s, path) : { status: 405, headers: {}, body: new Uint8Array() };
      res.writeHead(answer.status, { ...answer.headers, 'content-length': String(answer.body.length), 'cache-control': 'no-store' });
      res.end(req.method === 'HEAD' ? undefined : answer.body);
    },
  );
  server.headersTimeout = 5000;
  server.requestTimeout = 10_000;
  server.keepAliveTimeout = 1000;
  const address = policyAddress(index);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(443, address, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    address,
    port: 443,
    stop: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
