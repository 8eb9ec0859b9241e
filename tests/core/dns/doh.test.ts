// The DoH client against a real HTTP server on 127.0.0.1, answering with packets the test encodes.
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BUILTIN_RESOLVERS, createDohResolver, resolverFromSetting, type DohResolverOptions } from '../../../core/dns/doh.ts';
import { buildResponse, RCODE, readQuery, rr, type ResponseSpec } from './packets.ts';

type Seen = { method: string; url: URL; headers: http.IncomingHttpHeaders; query: Uint8Array };
type Handler = (seen: Seen, res: http.ServerResponse) => void;

let server: http.Server;
let base: string;
let handler: Handler;
let seen: Seen[] = [];

function fromBase64url(s: string): Uint8Array {
  return Uint8Array.from(Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64'));
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', base);
      const param = url.searchParams.get('dns');
      const query = param !== null ? fromBase64url(param) : Uint8Array.from(Buffer.concat(chunks));
      const entry = { method: req.method ?? '', url, headers: req.headers, query };
      seen.push(entry);
      handler(entry, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  seen = [];
});

/** Answer every query with a response built from `spec` (id and question copied from the query). */
function answerWith(spec: Omit<ResponseSpec, 'name' | 'type' | 'id'>): Handler {
  return ({ query }, res) => {
    const q = readQuery(query);
    const body = buildResponse({ ...spec, id: q.id, name: q.name, type: q.type });
    res.writeHead(200, { 'content-type': 'application/dns-message', 'content-length': body.length });
    res.end(body);
  };
}

function resolver(options: Partial<DohResolverOptions> = {}) {
  return createDohResolver({ name: 'Test', url: `${base}/dns-query`, timeoutMs: 2000, ...options });
}

describe('createDohResolver: the HTTP exchange (RFC 8484 §4.1)', () => {
  it('GET sends ?dns= as base64url without padding, id 0, DO set, and accept: application/dns-message', async () => {
    handler = answerWith({ answers: [rr.txt('_mta-sts.example.com', ['v=STSv1; ', 'id=20240101'])] });
    const answer = await resolver({ method: 'GET' }).query('_mta-sts.example.com', 'TXT');
    const request = seen[0] as Seen;
    const param = request.url.searchParams.get('dns') ?? '';
    expect({
      method: request.method,
      accept: request.headers.accept,
      paramChars: /^[A-Za-z0-9_-]+$/.test(param),
      query: readQuery(request.query),
      text: answer.records[0]?.text,
      status: answer.status,
    }).toEqual({
      method: 'GET',
      accept: 'application/dns-message',
      paramChars: true,
      query: { id: 0, name: '_mta-sts.example.com', type: 'TXT', dnssecOk: true },
      text: 'v=STSv1; id=20240101',
      status: 'ok',
    });
  });

  it('POST sends the query as an application/dns-message body and checks the echoed id', async () => {
    handler = answerWith({ answers: [rr.mx('example.com', 10, 'mx.example.com.')] });
    const answer = await resolver({ method: 'POST' }).query('example.com', 'MX');
    const request = seen[0] as Seen;
    expect({ method: request.method, type: request.headers['content-type'], records: answer.records }).toEqual({
      method: 'POST',
      type: 'application/dns-message',
      records: [{ type: 'MX', name: 'example.com', ttl: 300, preference: 10, exchange: 'mx.example.com' }],
    });
  });

  it('RFC 1035 §4.1.1: POST answer with another id is refused as malformed', async () => {
    handler = ({ query }, res) => {
      const q = readQuery(query);
      res.writeHead(200, { 'content-type': 'application/dns-message' });
      res.end(buildResponse({ id: (q.id + 1) & 0xffff, name: q.name, type: q.type }));
    };
    const answer = await resolver({ method: 'POST' }).query('example.com', 'MX');
    expect(answer).toMatchObject({ status: 'error', errorKind: 'malformed', message: expect.stringMatching(/does not match the query id/) });
  });
});

describe('createDohResolver: DNS outcomes (RFC 8484 §4.2.1)', () => {
  it.each([
    ['RFC 4035 §3.2.3: AD flag set by a validating resolver', { ad: true, answers: [rr.a('example.com', '192.0.2.1')] }, { status: 'ok', ad: true }],
    ['RFC 4035 §3.2.3: AD flag clear', { answers: [rr.a('example.com', '192.0.2.1')] }, { status: 'ok', ad: false }],
    ['RFC 2308 §2.1: NXDOMAIN', { rcode: RCODE.NXDOMAIN }, { status: 'nxdomain', ad: false }],
    ['RFC 2308 §2.2: NODATA', {}, { status: 'nodata', ad: false }],
    ['RFC 1035 §4.1.1: REFUSED', { rcode: RCODE.REFUSED }, { status: 'refused', ad: false }],
  ])('%s', async (_title, spec, expected) => {
    handler = answerWith(spec);
    const answer = await resolver().query('example.com', 'A');
    expect({ status: answer.status, ad: answer.ad }).toEqual(expected);
  });

  it('RFC 8914: SERVFAIL carries the EDE reason and is not retried', async () => {
    handler = answerWith({ rcode: RCODE.SERVFAIL, ede: [{ code: 6, text: 'validation failure <example.com. TXT>' }] });
    const answer = await resolver().query('example.com', 'TXT');
    expect({ status: answer.status, ede: answer.ede, message: answer.message, requests: seen.length }).toEqual({
      status: 'servfail',
      ede: [{ code: 6, text: 'validation failure <example.com. TXT>' }],
      message: expect.stringMatching(/DNSSEC Bogus \(EDE 6/),
      requests: 1,
    });
  });

  it('RFC 1034 §3.6.2: follows a CNAME chain to the records', async () => {
    handler = answerWith({
      answers: [rr.cname('_mta-sts.example.com', '_mta-sts.provider.net'), rr.cname('_mta-sts.provider.net', 'sts.provider.net'), rr.txt('sts.provider.net', ['v=STSv1; id=1'])],
    });
    const answer = await resolver().query('_mta-sts.example.com', 'TXT');
    expect({ status: answer.status, chain: answer.cnameChain.map((c) => c.target), owner: answer.records[0]?.name }).toEqual({
      status: 'ok',
      chain: ['_mta-sts.provider.net', 'sts.provider.net'],
      owner: 'sts.provider.net',
    });
  });

  it('RFC 1034 §3.6.2: a CNAME loop is an error', async () => {
    handler = answerWith({ answers: [rr.cname('example.com', 'a.example.com'), rr.cname('a.example.com', 'example.com')] });
    const answer = await resolver().query('example.com', 'TXT');
    expect({ status: answer.status, kind: answer.errorKind }).toEqual({ status: 'error', kind: 'cname-loop' });
  });
});

describe('createDohResolver: failures are values', () => {
  it('HTTP 500 is an http error, retried once', async () => {
    handler = (_s, res) => {
      res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('oops');
    };
    const answer = await resolver().query('example.com', 'A');
    expect({ status: answer.status, kind: answer.errorKind, requests: seen.length, message: answer.message }).toEqual({
      status: 'error',
      kind: 'http',
      requests: 2,
      message: expect.stringMatching(/HTTP 500.*tried 2 times/),
    });
  });

  it('HTTP 404 with an HTML page is an http error, not retried, and says it was HTML', async () => {
    handler = (_s, res) => {
      res.writeHead(404, { 'content-type': 'text/html' });
      res.end('<!DOCTYPE html><html><body>Not here</body></html>');
    };
    const answer = await resolver().query('example.com', 'A');
    expect({ kind: answer.errorKind, requests: seen.length, message: answer.message }).toEqual({
      kind: 'http',
      requests: 1,
      message: expect.stringMatching(/HTTP 404.*HTML page/),
    });
  });

  it('RFC 8484 §6: 200 with an HTML body instead of application/dns-message', async () => {
    handler = (_s, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end('<html><body>Welcome to our homepage</body></html>');
    };
    const answer = await resolver().query('example.com', 'A');
    expect({ kind: answer.errorKind, message: answer.message }).toEqual({
      kind: 'http',
      message: expect.stringMatching(/content type "text\/html" instead of application\/dns-message.*HTML page/),
    });
  });

  it('RFC 1035 §4.1: a garbage body is malformed', async () => {
    handler = (_s, res) => {
      res.writeHead(200, { 'content-type': 'application/dns-message' });
      res.end(Buffer.from('not a dns message at all'));
    };
    const answer = await resolver().query('example.com', 'A');
    expect({ status: answer.status, kind: answer.errorKind }).toEqual({ status: 'error', kind: 'malformed' });
  });

  it('caps the body at 64 KiB whatever Content-Length says', async () => {
    handler = (_s, res) => {
      // Chunked, no Content-Length: the client must count for itself.
      res.writeHead(200, { 'content-type': 'application/dns-message' });
      for (let i = 0; i < 20; i++) res.write(Buffer.alloc(8192));
      res.end();
    };
    const answer = await resolver().query('example.com', 'A');
    expect({ kind: answer.errorKind, message: answer.message }).toEqual({ kind: 'malformed', message: expect.stringMatching(/larger than 65536 bytes/) });
  });

  it('no answer: times out and retries once', async () => {
    handler = () => undefined; // never answers
    const answer = await resolver({ timeoutMs: 150 }).query('example.com', 'A');
    expect({ kind: answer.errorKind, requests: seen.length, message: answer.message }).toEqual({
      kind: 'timeout',
      requests: 2,
      message: expect.stringMatching(/did not answer within 150 ms \(tried 2 times\)/),
    });
  });

  it('a slow body counts against the timeout', async () => {
    handler = (_s, res) => {
      res.writeHead(200, { 'content-type': 'application/dns-message' });
      res.write(Buffer.alloc(4)); // then stalls
    };
    const answer = await resolver({ timeoutMs: 150, retries: 0 }).query('example.com', 'A');
    expect({ kind: answer.errorKind, requests: seen.length }).toEqual({ kind: 'timeout', requests: 1 });
  });

  it('an AbortSignal cancels the lookup without a retry', async () => {
    const controller = new AbortController();
    handler = () => controller.abort();
    const answer = await resolver().query('example.com', 'A', { signal: controller.signal });
    expect({ kind: answer.errorKind, requests: seen.length }).toEqual({ kind: 'aborted', requests: 1 });
  });

  it('a refused connection is a network error, retried once', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const answer = await createDohResolver({ name: 'Gone', url: `http://127.0.0.1:${port}/dns-query`, timeoutMs: 2000 }).query('example.com', 'A');
    expect({ kind: answer.errorKind, message: answer.message }).toEqual({
      kind: 'network',
      message: expect.stringMatching(/could not be reached.*ECONNREFUSED.*tried 2 times/),
    });
  });

  it('a name that cannot be asked is an error without a request', async () => {
    handler = answerWith({});
    const answer = await resolver().query('bad name.example', 'A');
    expect({ kind: answer.errorKind, requests: seen.length }).toEqual({ kind: 'other', requests: 0 });
  });
});

describe('createDohResolver: one question, one request', () => {
  it('shares identical queries in flight', async () => {
    handler = answerWith({ answers: [rr.a('example.com', '192.0.2.1')] });
    const r = resolver();
    await Promise.all([r.query('example.com', 'A'), r.query('EXAMPLE.com', 'A')]);
    expect(seen.length).toBe(1);
  });

  it('with cache: asks once for a repeated question', async () => {
    handler = answerWith({ answers: [rr.a('example.com', '192.0.2.1')] });
    const r = resolver({ cache: true });
    await r.query('example.com', 'A');
    const again = await r.query('example.com', 'A');
    expect({ requests: seen.length, status: again.status }).toEqual({ requests: 1, status: 'ok' });
  });
});

describe('resolverFromSetting', () => {
  it.each(BUILTIN_RESOLVERS.map((r) => [r.id, r.name, r.url]))('built-in %s', (id, name, url) => {
    expect(resolverFromSetting(id)).toMatchObject({ name, url });
  });

  it.each([
    ['a custom https: URL', 'https://dns.example.net/dns-query', { name: 'custom', url: 'https://dns.example.net/dns-query' }],
    ['http: on 127.0.0.0/8 (tests)', 'http://127.0.40.1:8053/dns-query', { name: 'custom', url: 'http://127.0.40.1:8053/dns-query' }],
    ['http: on [::1]', 'http://[::1]:8053/q', { name: 'custom', url: 'http://[::1]:8053/q' }],
    ['RFC 8484 §4.1: a pasted URI template', 'https://dns.example.net/dns-query{?dns}', { name: 'custom', url: 'https://dns.example.net/dns-query' }],
  ])('accepts %s', (_title, setting, expected) => {
    expect(resolverFromSetting(setting)).toMatchObject(expected);
  });

  it.each([
    ['RFC 8484 §5: plain http: off loopback', 'http://dns.example.net/dns-query'],
    ['another scheme', 'ftp://dns.example.net/'],
    ['credentials in the URL', 'https://user:pw@dns.example.net/dns-query'],
    ['"system" (CLI only)', 'system'],
    ['neither an id nor a URL', 'cloudflair'],
    ['an over-long URL', `https://dns.example.net/${'a'.repeat(2100)}`],
  ])('refuses %s', (_title, setting) => {
    expect(resolverFromSetting(setting)).toHaveProperty('error', expect.any(String));
  });

  it('uses the injected fetch', async () => {
    handler = answerWith({ answers: [rr.a('example.com', '192.0.2.7')] });
    let used = 0;
    const r = resolverFromSetting(`${base}/dns-query`, (input, init) => {
      used += 1;
      return fetch(input, init);
    });
    const answer = 'error' in r ? undefined : await r.query('example.com', 'A');
    expect({ used, address: answer?.records[0]?.address }).toEqual({ used: 1, address: '192.0.2.7' });
  });
});
