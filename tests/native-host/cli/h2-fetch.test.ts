// The CLI's HTTP/2 fetch for DoH (RFC 8484 §5.2) against real TLS servers on loopback: one
// multiplexed connection, aborts, the body cap, reconnecting, and the fallback for h1-only origins.
import http2 from 'node:http2';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createH2Fetch, type H2FetchOptions } from '../../../native-host/cli/h2-fetch.ts';
import { TestPki, type CertificateAuthority, type Issued } from '../../helpers/pki.ts';

const HOST = 'doh.test';
const ADDRESS = '127.0.20.43';

let pki: TestPki;
let root: CertificateAuthority;
let leaf: Issued;
let h2: http2.Http2SecureServer;
let h1: https.Server;
let h2Port: number;
let h1Port: number;
let h2Sessions = 0;

// Every name is this test's loopback address; nothing else is ever contacted.
const lookup = ((_host: string, opts: unknown, cb?: (...a: unknown[]) => void) => {
  const callback = (typeof opts === 'function' ? opts : cb) as (...a: unknown[]) => void;
  if (typeof opts === 'object' && opts !== null && (opts as { all?: boolean }).all) callback(null, [{ address: ADDRESS, family: 4 }]);
  else callback(null, ADDRESS, 4);
}) as NonNullable<H2FetchOptions['tls']>['lookup'];

const tlsOptions = (): H2FetchOptions['tls'] => ({ ca: root.cert, lookup });

beforeAll(async () => {
  pki = new TestPki();
  root = pki.createRoot();
  leaf = pki.issueLeaf(root, { dnsNames: [HOST] });
  h2 = http2.createSecureServer({ key: leaf.key, cert: leaf.chain }, (req, res) => {
    const url = new URL(req.url, 'https://x');
    if (url.pathname === '/big') {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      res.end(Buffer.alloc(10_000, 1));
      return;
    }
    if (url.pathname === '/goaway') {
      res.end('bye', () => req.stream.session?.close());
      return;
    }
    if (url.pathname === '/redirect') {
      res.writeHead(302, { location: '/elsewhere' }).end();
      return;
    }
    if (url.pathname === '/slow') return; // never answers: the caller aborts
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/plain', 'x-method': req.method });
      res.end(req.method === 'POST' ? Buffer.concat(chunks) : (url.searchParams.get('q') ?? ''));
    });
  });
  h2.on('session', () => void h2Sessions++);
  h1 = https.createServer({ key: leaf.key, cert: leaf.chain }, (_req, res) => res.end('h1'));
  await Promise.all([new Promise<void>((r) => h2.listen(0, ADDRESS, r)), new Promise<void>((r) => h1.listen(0, ADDRESS, r))]);
  h2Port = (h2.address() as AddressInfo).port;
  h1Port = (h1.address() as AddressInfo).port;
});

afterAll(async () => {
  await Promise.all([new Promise((r) => h2.close(r)), new Promise((r) => h1.close(r))]);
  pki.dispose();
});

const noFallback: typeof fetch = async () => {
  throw new Error('the fallback must not be used here');
};

describe('createH2Fetch (RFC 8484 §5.2: DoH over HTTP/2)', () => {
  it('answers 200 concurrent GETs over one connection', async () => {
    const before = h2Sessions;
    const f = createH2Fetch({ fallback: noFallback, tls: tlsOptions() });
    try {
      const texts = await Promise.all(
        Array.from({ length: 200 }, async (_, i) => {
          const res = await f.fetch(`https://${HOST}:${h2Port}/dns-query?q=${i}`, { headers: { accept: 'text/plain' } });
          expect(res.headers.get('content-type')).toBe('text/plain');
          return res.text();
        }),
      );
      expect(texts).toEqual(Array.from({ length: 200 }, (_, i) => String(i)));
      expect({ opened: f.sessionsOpened, server: h2Sessions - before }).toEqual({ opened: 1, server: 1 });
    } finally {
      f.close();
    }
  });

  it('sends a POST body and gives the status and headers back', async () => {
    const f = createH2Fetch({ fallback: noFallback, tls: tlsOptions() });
    try {
      const res = await f.fetch(`https://${HOST}:${h2Port}/dns-query`, { method: 'POST', body: new Uint8Array([1, 2, 3]) });
      expect({ status: res.status, method: res.headers.get('x-method'), body: [...new Uint8Array(await res.arrayBuffer())] }).toEqual({ status: 200, method: 'POST', body: [1, 2, 3] });
    } finally {
      f.close();
    }
  });

  it('an aborted request rejects with the abort reason and the connection keeps serving', async () => {
    const f = createH2Fetch({ fallback: noFallback, tls: tlsOptions() });
    try {
      const controller = new AbortController();
      const pending = f.fetch(`https://${HOST}:${h2Port}/slow`, { signal: controller.signal });
      setTimeout(() => controller.abort(new Error('stop')), 20);
      await expect(pending).rejects.toThrow('stop');
      expect(await (await f.fetch(`https://${HOST}:${h2Port}/x?q=after`)).text()).toBe('after');
      expect(f.sessionsOpened).toBe(1);
    } finally {
      f.close();
    }
  });

  it('cuts a body after the cap plus one byte, so the reader sees the overflow', async () => {
    const f = createH2Fetch({ fallback: noFallback, tls: tlsOptions(), maxBodyBytes: 100 });
    try {
      const res = await f.fetch(`https://${HOST}:${h2Port}/big`);
      expect((await res.arrayBuffer()).byteLength).toBe(101);
    } finally {
      f.close();
    }
  });

  it('opens a new connection after the server closed the old one', async () => {
    const f = createH2Fetch({ fallback: noFallback, tls: tlsOptions() });
    try {
      expect(await (await f.fetch(`https://${HOST}:${h2Port}/goaway`)).text()).toBe('bye');
      await new Promise((r) => setTimeout(r, 50));
      expect(await (await f.fetch(`https://${HOST}:${h2Port}/x?q=again`)).text()).toBe('again');
      expect(f.sessionsOpened).toBe(2);
    } finally {
      f.close();
    }
  });

  it.each<[string, string, RequestInit]>([
    ['an http: URL', `http://${ADDRESS}:1/dns-query`, {}],
    ['a method other than GET or POST', `https://${HOST}:1/dns-query`, { method: 'PUT' }],
    ['a body that is not bytes', `https://${HOST}:1/dns-query`, { method: 'POST', body: new Blob(['x']) }],
  ])('hands %s to the fallback', async (_name, url, init) => {
    const seen: string[] = [];
    const f = createH2Fetch({ fallback: async (input) => (seen.push(String(input)), new Response('fb')), tls: tlsOptions() });
    expect(await (await f.fetch(url, init)).text()).toBe('fb');
    expect({ seen, opened: f.sessionsOpened }).toEqual({ seen: [url], opened: 0 });
  });

  it('a redirect is followed by the fallback', async () => {
    const seen: string[] = [];
    const f = createH2Fetch({ fallback: async (input) => (seen.push(String(input)), new Response('followed')), tls: tlsOptions() });
    try {
      expect(await (await f.fetch(`https://${HOST}:${h2Port}/redirect`)).text()).toBe('followed');
      expect(seen).toEqual([`https://${HOST}:${h2Port}/redirect`]);
    } finally {
      f.close();
    }
  });

  it('an origin without h2 goes to the fallback, and stays there without trying h2 again', async () => {
    const seen: string[] = [];
    const f = createH2Fetch({ fallback: async (input) => (seen.push(String(input)), new Response('h1 fallback')), tls: tlsOptions() });
    const url = `https://${HOST}:${h1Port}/dns-query`;
    expect(await (await f.fetch(url)).text()).toBe('h1 fallback');
    expect(await (await f.fetch(url)).text()).toBe('h1 fallback');
    expect({ seen: seen.length, opened: f.sessionsOpened }).toEqual({ seen: 2, opened: 1 });
  });
});
