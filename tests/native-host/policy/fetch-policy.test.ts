import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import https from 'node:https';
import http from 'node:http';
import net from 'node:net';
import { gzipSync } from 'node:zlib';
import { TestPki, type CertificateAuthority, type Issued } from '../../helpers/pki.ts';
import { fetchPolicyWithEvidence, type FetchPolicyOptions, type HostResolver } from '../../../native-host/policy/fetch-policy.ts';
import { hostResolverOf } from '../../../native-host/policy/host-lookup.ts';
import { FakeZone } from '../../helpers/fake-zone.ts';
import { PolicyFetchResultSchema, type PolicyAttempt, type PolicyFetchResult } from '../../../core/protocol/policy-fetch.ts';

// Fixed loopback addresses of this file (port 443 and 80, as the fetcher only contacts those).
const POLICY_IP = '127.0.10.2';
const OTHER_IP = '127.0.10.3';
const NOTHING_IP = '127.0.10.9';
const DOMAIN = 'example.test';
const POLICY_HOST = `mta-sts.${DOMAIN}`;
const POLICY = 'version: STSv1\r\nmode: enforce\r\nmx: mx.example.test\r\nmax_age: 86400\r\n';
const DAY = 86_400_000;

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

let pki: TestPki;
let root: CertificateAuthority;
const certs: Record<string, Issued> = {};
const servers: Array<http.Server | net.Server> = [];
const seen: Array<{ headers: http.IncomingHttpHeaders; url?: string; servername?: string }> = [];

beforeAll(() => {
  pki = new TestPki();
  root = pki.createRoot();
  const intermediate = pki.createIntermediate(root);
  certs.good = pki.issueLeaf(intermediate, { dnsNames: [POLICY_HOST] });
  certs.other = pki.issueLeaf(intermediate, { dnsNames: ['other.example.test'] });
  certs.expired = pki.issueLeaf(intermediate, { dnsNames: [POLICY_HOST], notBefore: new Date(Date.now() - 100 * DAY), notAfter: new Date(Date.now() - DAY) });
  certs.selfSigned = pki.selfSigned([POLICY_HOST]);
  certs.untrusted = pki.issueLeaf(pki.createIntermediate(pki.createRoot('Private Root')), { dnsNames: [POLICY_HOST] });
});
afterAll(() => pki.dispose());
afterEach(async () => {
  vi.unstubAllEnvs();
  seen.length = 0;
  await Promise.all(
    servers.splice(0).map(
      (s) =>
        new Promise<void>((r) => {
          if ('closeAllConnections' in s) s.closeAllConnections();
          s.close(() => r());
        }),
    ),
  );
});

async function listen(server: http.Server | net.Server, address: string, port: number): Promise<void> {
  servers.push(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, () => resolve());
  });
}

async function serveHttps(handler: Handler, cert: Issued = certs.good!, address = POLICY_IP): Promise<void> {
  const server = https.createServer({ key: cert.key, cert: cert.chain }, (req, res) => {
    seen.push({ headers: req.headers, url: req.url, servername: (req.socket as unknown as { servername?: string }).servername });
    handler(req, res);
  });
  await listen(server, address, 443);
}

const resolver: HostResolver = async (host) => {
  const table: Record<string, string[]> = { [POLICY_HOST]: [POLICY_IP], 'other.example.test': [OTHER_IP] };
  const addresses = table[host];
  return addresses ? { ok: true, addresses } : { ok: false, message: `${host} does not exist in the DNS (NXDOMAIN).` };
};

async function fetchIt(options: FetchPolicyOptions = {}): Promise<PolicyFetchResult> {
  const result = await fetchPolicyWithEvidence(DOMAIN, { allowPrivate: true, ca: [root.cert], resolve: resolver, ...options });
  expect(PolicyFetchResultSchema.safeParse(result).success).toBe(true);
  return result;
}

async function only(options: FetchPolicyOptions = {}): Promise<PolicyAttempt> {
  const result = await fetchIt(options);
  expect(result.attempts).toHaveLength(1);
  return result.attempts[0]!;
}

const body = (a: PolicyAttempt): string => Buffer.from(a.response?.bodyBase64 ?? '', 'base64').toString('latin1');
const header = (a: { response?: { headers: [string, string][] } }, name: string): string | undefined =>
  a.response?.headers.find(([n]) => n === name)?.[1];

describe('fetchPolicyWithEvidence', () => {
  it('RFC 8461 §3.3: fetches the policy with SNI, identity encoding and full TLS evidence', async () => {
    await serveHttps((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(POLICY);
    });
    const result = await fetchIt();
    expect(result).toMatchObject({ url: `https://${POLICY_HOST}/.well-known/mta-sts.txt`, host: POLICY_HOST, via: 'node' });
    const attempt = result.attempts[0]!;
    expect(attempt).toMatchObject({
      address: POLICY_IP,
      response: { status: 200, statusText: 'OK', httpVersion: '1.1', bodyBytes: POLICY.length, bodyTruncated: false },
      tls: { handshakeCompleted: true, trusted: true, nameMatches: true, matchedName: POLICY_HOST, servername: POLICY_HOST },
      redirects: [],
    });
    expect(attempt.error).toBeUndefined();
    // RFC 7672 §3.1.2: the chain as sent (leaf, intermediate); the trusted root is not added to it.
    expect(attempt.tls?.chain.map((c) => c.selfSigned)).toEqual([false, false]);
    expect(body(attempt)).toBe(POLICY);
    expect(header(attempt, 'content-type')).toBe('text/plain; charset=utf-8');
    expect(Object.keys(attempt.timings).sort()).toEqual(['connectMs', 'dnsMs', 'tlsMs', 'totalMs', 'ttfbMs']);
    expect(seen[0]).toMatchObject({ url: '/.well-known/mta-sts.txt', servername: POLICY_HOST, headers: { host: POLICY_HOST, 'accept-encoding': 'identity' } });
    // RFC 8461 §3.3: no HTTP caching, so no validators or cache directives are sent.
    for (const name of ['cache-control', 'pragma', 'if-modified-since', 'if-none-match']) expect(seen[0]?.headers[name]).toBeUndefined();
  });

  it.each([
    [404, 'Not Found'],
    [500, 'Internal Server Error'],
  ])('RFC 8461 §3.3: a %i is recorded as a response, not hidden', async (status, text) => {
    await serveHttps((_req, res) => {
      res.writeHead(status, { 'content-type': 'text/html' });
      res.end('<h1>nope</h1>');
    });
    const attempt = await only();
    expect(attempt.response).toMatchObject({ status, statusText: text });
    expect(attempt.error).toBeUndefined();
  });

  it('RFC 8461 §3.2: a wrong Content-Type is recorded as served', async () => {
    await serveHttps((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(POLICY);
    });
    const attempt = await only();
    expect(header(attempt, 'content-type')).toBe('application/octet-stream');
    expect(body(attempt)).toBe(POLICY);
  });

  it('RFC 8461 §3.3: a redirect on the same host is followed for diagnosis only', async () => {
    await serveHttps((req, res) => {
      if (req.url === '/.well-known/mta-sts.txt') {
        res.writeHead(301, { location: '/policy.txt' });
        return res.end();
      }
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(POLICY);
    });
    const attempt = await only();
    expect(attempt.response?.status).toBe(301);
    expect(attempt.redirects).toEqual([{ url: `https://${POLICY_HOST}/.well-known/mta-sts.txt`, status: 301, location: '/policy.txt' }]);
    expect(attempt.redirectTarget).toMatchObject({ url: `https://${POLICY_HOST}/policy.txt`, response: { status: 200 } });
    expect(attempt.redirectTarget?.error).toBeUndefined();
  });

  it.each([
    ['a certificate for it', 'other', undefined],
    ['the policy host certificate', 'good', /not valid for other\.example\.test/],
  ])('RFC 8461 §3.3: a redirect to another host is followed, with %s checked', async (_name, cert, problem) => {
    await serveHttps((_req, res) => {
      res.writeHead(302, { location: 'https://other.example.test/mta-sts.txt' });
      res.end();
    });
    await serveHttps((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(POLICY);
    }, certs[cert], OTHER_IP);
    const attempt = await only();
    expect(attempt.redirects).toHaveLength(1);
    expect(attempt.redirectTarget).toMatchObject({ url: 'https://other.example.test/mta-sts.txt', response: { status: 200 } });
    if (problem) expect(attempt.redirectTarget?.error).toMatch(problem);
    else expect(attempt.redirectTarget?.error).toBeUndefined();
  });

  it('RFC 8461 §3.3: a redirect to http: is recorded as plain HTTP', async () => {
    await serveHttps((_req, res) => {
      res.writeHead(301, { location: `http://${POLICY_HOST}/.well-known/mta-sts.txt` });
      res.end();
    });
    await listen(
      http.createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(POLICY);
      }),
      POLICY_IP,
      80,
    );
    const attempt = await only();
    expect(attempt.redirectTarget).toMatchObject({ url: `http://${POLICY_HOST}/.well-known/mta-sts.txt`, response: { status: 200 } });
    expect(attempt.redirectTarget?.error).toMatch(/plain HTTP/);
  });

  it('RFC 8461 §3.3: a redirect loop stops after 5 hops', async () => {
    let n = 0;
    await serveHttps((_req, res) => {
      res.writeHead(302, { location: `/hop${++n}` });
      res.end();
    });
    const attempt = await only();
    expect(attempt.redirects).toHaveLength(6);
    expect(attempt.redirectTarget?.error).toMatch(/more than 5 redirects/);
    expect(seen).toHaveLength(6);
  });

  it.each([
    ['expired', 'expired'],
    ['selfSigned', 'self-signed'],
    ['untrusted', 'unknown-issuer'],
  ])('RFC 8461 §3.3: a %s certificate is recorded, judged, and the body still shown', async (cert, kind) => {
    await serveHttps((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(POLICY);
    }, certs[cert]);
    const attempt = await only();
    expect(attempt.tls).toMatchObject({ handshakeCompleted: true, trusted: false, trustError: { kind } });
    expect(attempt.error?.kind).toBe('tls');
    expect(body(attempt)).toBe(POLICY);
  });

  it('RFC 8461 §3.3: a certificate for another name fails the DNS-ID match', async () => {
    await serveHttps((_req, res) => res.end(POLICY), certs.other);
    const attempt = await only();
    expect(attempt.tls).toMatchObject({ trusted: true, nameMatches: false });
    expect(attempt.error).toMatchObject({ kind: 'tls', message: expect.stringMatching(/not valid for mta-sts\.example\.test/) });
  });

  it('RFC 8461 §3.3: a body over 64 KiB is too-large, kept bounded', async () => {
    const big = 'x'.repeat(200_000);
    await serveHttps((_req, res) => res.end(big));
    const attempt = await only();
    expect(attempt.error?.kind).toBe('too-large');
    expect(attempt.response).toMatchObject({ bodyBytes: 200_000, bodyTruncated: false });
    expect(body(attempt).length).toBeLessThan(70_000);
    expect(body(attempt).length).toBeGreaterThan(65_536);
  });

  it('RFC 8461 §3.3: an endless body is cut off and marked truncated', async () => {
    await serveHttps((_req, res) => {
      const chunk = 'y'.repeat(64 * 1024);
      const pump = (): void => {
        while (res.write(chunk)) {
          /* fill the buffer */
        }
      };
      res.on('drain', pump);
      pump();
    });
    const attempt = await only();
    expect(attempt.error?.kind).toBe('too-large');
    expect(attempt.response?.bodyTruncated).toBe(true);
    expect(attempt.response?.bodyBytes).toBeGreaterThanOrEqual(1024 * 1024);
  });

  it('RFC 8461 §3.3: a body that drips past the time limit is a timeout with the bytes seen', async () => {
    await serveHttps((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain' });
      const timer = setInterval(() => res.write('v'), 20);
      res.on('close', () => clearInterval(timer));
    });
    const attempt = await only({ timeoutMs: 600 });
    expect(attempt.error?.kind).toBe('timeout');
    expect(attempt.error?.message).toMatch(/\d+ bytes received so far/);
    expect(attempt.response?.status).toBe(200);
    expect(attempt.response?.bodyBytes).toBeGreaterThan(0);
  });

  it('a server that never answers the request times out', async () => {
    await serveHttps(() => {});
    const attempt = await only({ stepTimeouts: { stepMs: 300 } });
    expect(attempt.error).toMatchObject({ kind: 'timeout', message: expect.stringMatching(/no response headers/) });
    expect(attempt.tls?.handshakeCompleted).toBe(true);
    expect(attempt.response).toBeUndefined();
  });

  it('Content-Encoding gzip served anyway is recorded and never inflated', async () => {
    const gz = gzipSync(Buffer.from(POLICY));
    await serveHttps((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain', 'content-encoding': 'gzip' });
      res.end(gz);
    });
    const attempt = await only();
    expect(attempt.response?.contentEncoding).toBe('gzip');
    expect(Buffer.from(attempt.response?.bodyBase64 ?? '', 'base64').equals(gz)).toBe(true);
  });

  it('garbage instead of TLS is a tls error with the handshake evidence', async () => {
    const server = net.createServer((socket) => {
      socket.on('error', () => {});
      socket.resume(); // read, or the client's close is never seen and close() waits forever
      socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
    });
    await listen(server, POLICY_IP, 443);
    const attempt = await only();
    expect(attempt.error?.kind).toBe('tls');
    expect(attempt.tls).toMatchObject({ handshakeCompleted: false, error: expect.objectContaining({ code: expect.any(String) }) });
  });

  it('garbage instead of TLS is explained in words, the OpenSSL reason kept and its code in error.code', async () => {
    const server = net.createServer((socket) => {
      socket.on('error', () => {});
      socket.resume();
      socket.end('HTTP/1.1 400 Bad Request\r\n\r\n');
    });
    await listen(server, POLICY_IP, 443);
    const attempt = await only();
    expect(attempt.tls?.error).toEqual({ code: 'ERR_SSL_WRONG_VERSION_NUMBER', message: 'the server did not answer with TLS (it sent something else: wrong version number)' });
    expect(attempt.error?.message).toBe(`The TLS handshake with ${POLICY_IP} failed: the server did not answer with TLS (it sent something else: wrong version number).`);
    expect(attempt.error?.message).not.toMatch(/error:[0-9A-F]{8}|SSL routines|\.c:\d+/);
  });

  it('RFC 8461 §3.3: the time limit covers the lookup of the policy host too', async () => {
    await serveHttps(() => {}); // never answers: the fetch ends only at the time limit
    // The lookup "takes" all but half a second of the default one-minute limit (the clock jumps):
    // what is left for the fetch is that half second, not another full minute.
    const realNow = Date.now.bind(Date);
    let skew = 0;
    const clock = vi.spyOn(Date, 'now').mockImplementation(() => realNow() + skew);
    const slowLookup: HostResolver = async () => {
      skew += 59_500;
      return { ok: true, addresses: [POLICY_IP] };
    };
    try {
      const attempt = await only({ resolve: slowLookup });
      expect(attempt.error).toMatchObject({ kind: 'timeout', message: expect.stringMatching(/time limit for the whole fetch|within 1 s/) });
      expect(attempt.timings.dnsMs).toBeGreaterThanOrEqual(0);
    } finally {
      clock.mockRestore();
    }
  });

  it('RFC 8461 §3.3: a lookup that outlasts the time limit (and ignores its signal) is a timeout', async () => {
    const hung: HostResolver = () => new Promise(() => {});
    const result = await fetchIt({ resolve: hung, timeoutMs: 300 });
    expect(result.attempts).toEqual([
      expect.objectContaining({ error: { kind: 'timeout', message: expect.stringMatching(/Looking up mta-sts\.example\.test .*took longer than/) } }),
    ]);
    expect(result.attempts[0]?.timings.dnsMs).toBeGreaterThan(0);
  });

  it('RFC 8461 §3.3: the CLI path (resolve through the chosen resolver) records timings.dnsMs', async () => {
    await serveHttps((_req, res) => res.end(POLICY));
    const zone = new FakeZone({ [POLICY_HOST]: { A: [POLICY_IP], AAAA: [], latencyMs: 30 } });
    const attempt = await only({ resolve: hostResolverOf(zone) });
    expect(attempt.response?.status).toBe(200);
    expect(attempt.timings.dnsMs).toBeGreaterThan(0);
    expect(attempt.timings.totalMs).toBeGreaterThanOrEqual(attempt.timings.dnsMs ?? Infinity);
    expect(zone.queries.map((q) => q.type).sort()).toEqual(['A', 'AAAA']);
  });

  it('one attempt per address: a refused address and a working one', async () => {
    await serveHttps((_req, res) => res.end(POLICY));
    const result = await fetchIt({ addresses: [NOTHING_IP, POLICY_IP] });
    expect(result.attempts.map((a) => [a.address, a.error?.kind, a.response?.status])).toEqual([
      [NOTHING_IP, 'connect', undefined],
      [POLICY_IP, undefined, 200],
    ]);
    expect(result.attempts[1]?.timings.dnsMs).toBeUndefined();
  });

  it('RFC 8461 §3.3: a policy host that does not resolve is a dns error', async () => {
    const result = await fetchPolicyWithEvidence('nowhere.test', { resolve: resolver, allowPrivate: true });
    expect(result.attempts).toEqual([expect.objectContaining({ error: { kind: 'dns', message: expect.stringMatching(/NXDOMAIN/) } })]);
  });

  it('an invalid domain is refused before any lookup', async () => {
    const result = await fetchPolicyWithEvidence('exa mple..test', { resolve: resolver });
    expect(result.attempts[0]?.error?.kind).toBe('other');
  });

  it.each([
    [false, ''],
    [undefined, ''],
  ])('private-address gate: allowPrivate=%s blocks loopback without connecting', async (allowPrivate, env) => {
    vi.stubEnv('MTA_STS_INSPECTOR_ALLOW_PRIVATE', env);
    await serveHttps((_req, res) => res.end(POLICY));
    const result = await fetchPolicyWithEvidence(DOMAIN, { resolve: resolver, ca: [root.cert], ...(allowPrivate === undefined ? {} : { allowPrivate }) });
    expect(result.attempts[0]?.error?.kind).toBe('blocked');
    expect(seen).toHaveLength(0);
  });

  it('private-address gate: MTA_STS_INSPECTOR_ALLOW_PRIVATE=1 opens it', async () => {
    vi.stubEnv('MTA_STS_INSPECTOR_ALLOW_PRIVATE', '1');
    await serveHttps((_req, res) => res.end(POLICY));
    const result = await fetchPolicyWithEvidence(DOMAIN, { resolve: resolver, ca: [root.cert] });
    expect(result.attempts[0]?.response?.status).toBe(200);
  });

  it('a signal aborts the fetch', async () => {
    await serveHttps(() => {});
    const controller = new AbortController();
    const pending = fetchIt({ signal: controller.signal });
    setTimeout(() => controller.abort(), 200);
    const result = await pending;
    expect(result.attempts[0]?.error?.kind).toBe('aborted');
  });
});
