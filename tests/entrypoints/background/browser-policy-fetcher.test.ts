import { describe, expect, it } from 'vitest';
import { BROWSER_OPAQUE_ERROR, NO_PERMISSION_MESSAGE, browserPolicyFetcher, readCapped } from '../../../entrypoints/background/browser-policy-fetcher.ts';
import { POLICY_SIZE_LIMIT, PolicyFetchResultSchema } from '../../../core/protocol/policy-fetch.ts';

const POLICY = 'version: STSv1\r\nmode: enforce\r\nmx: mx.example.com\r\nmax_age: 86400\r\n';

function fakeFetch(make: (url: string, init?: RequestInit) => Response | Promise<Response>) {
  const calls: { url: string; init?: RequestInit }[] = [];
  const f = (async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), init });
    return make(String(input), init);
  }) as typeof fetch;
  return { f, calls };
}

const granted = async () => true;

describe('browserPolicyFetcher (RFC 8461 §3.3 without the helper)', () => {
  it('RFC 8461 §3.3: fetches the well-known URL without cache or credentials and keeps the body byte-exact', async () => {
    const { f, calls } = fakeFetch(() => new Response(POLICY, { headers: { 'Content-Type': 'text/plain' } }));
    const r = await browserPolicyFetcher({ fetch: f, hasHostPermission: granted }).fetchPolicy('example.com');
    expect(PolicyFetchResultSchema.safeParse(r).success).toBe(true);
    expect(calls[0]).toMatchObject({ url: 'https://mta-sts.example.com/.well-known/mta-sts.txt', init: { cache: 'no-store', credentials: 'omit', redirect: 'follow' } });
    const a = r.attempts[0]!;
    expect(r.via).toBe('browser');
    expect(a.response?.status).toBe(200);
    expect(a.response?.headers).toContainEqual(['content-type', 'text/plain']);
    expect(atob(a.response!.bodyBase64)).toBe(POLICY);
    expect(a.response?.bodyTruncated).toBe(false);
  });

  it('RFC 8461 §3.3: a redirect the browser followed is reported, with the target, as a failure', async () => {
    const { f } = fakeFetch(() => {
      const res = new Response(POLICY, { status: 200 });
      Object.defineProperty(res, 'redirected', { value: true });
      Object.defineProperty(res, 'url', { value: 'https://www.example.com/mta-sts.txt' });
      return res;
    });
    const a = (await browserPolicyFetcher({ fetch: f, hasHostPermission: granted }).fetchPolicy('example.com')).attempts[0]!;
    expect(a.redirects).toEqual([{ url: 'https://mta-sts.example.com/.well-known/mta-sts.txt', status: 0, location: 'https://www.example.com/mta-sts.txt' }]);
    expect(a.redirectTarget?.response?.status).toBe(200);
    expect(a.response).toBeUndefined();
    expect(a.error?.message).toMatch(/MUST NOT follow redirects/);
  });

  it('RFC 8461 §3.3: stops reading past the size limit', async () => {
    const big = new Uint8Array(POLICY_SIZE_LIMIT * 3).fill(0x61);
    const { f } = fakeFetch(() => new Response(big));
    const r = (await browserPolicyFetcher({ fetch: f, hasHostPermission: granted }).fetchPolicy('example.com')).attempts[0]!.response!;
    expect(r.bodyTruncated).toBe(true);
    expect(r.bodyBytes).toBeGreaterThan(POLICY_SIZE_LIMIT);
    expect(atob(r.bodyBase64).length).toBeLessThanOrEqual(POLICY_SIZE_LIMIT + 1024);
  });

  it('says honestly that the browser does not say why a fetch failed', async () => {
    const { f } = fakeFetch(() => Promise.reject(new TypeError('Failed to fetch')));
    const a = (await browserPolicyFetcher({ fetch: f, hasHostPermission: granted }).fetchPolicy('example.com')).attempts[0]!;
    expect(a.error).toEqual({ kind: 'other', message: `${BROWSER_OPAQUE_ERROR} (Failed to fetch)` });
  });

  it('does not fetch without the host permission, and says what is missing', async () => {
    const { f, calls } = fakeFetch(() => new Response(POLICY));
    const a = (await browserPolicyFetcher({ fetch: f, hasHostPermission: async () => false }).fetchPolicy('example.com')).attempts[0]!;
    expect(calls).toHaveLength(0);
    expect(a.error).toEqual({ kind: 'blocked', message: NO_PERMISSION_MESSAGE });
  });

  it.each([
    ['a time limit', { timeoutMs: 1 }, 'timeout'],
    ['the caller cancelling', { abort: true }, 'aborted'],
  ])('ends on %s', async (_n, o, kind) => {
    const { f } = fakeFetch(
      (_u, init) =>
        new Promise<Response>((_resolve, reject) => init?.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')))),
    );
    const ac = new AbortController();
    const p = browserPolicyFetcher({ fetch: f, hasHostPermission: granted }).fetchPolicy('example.com', {
      signal: ac.signal,
      ...('timeoutMs' in o ? { timeoutMs: o.timeoutMs } : {}),
    });
    if ('abort' in o) setTimeout(() => ac.abort(), 1);
    expect((await p).attempts[0]?.error?.kind).toBe(kind);
  });

  it('readCapped counts what it saw across chunks', async () => {
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array([1, 2, 3]));
        c.enqueue(new Uint8Array([4, 5, 6]));
        c.close();
      },
    });
    const r = await readCapped(new Response(stream), 4);
    expect([...r.bytes]).toEqual([1, 2, 3, 4]);
    expect(r).toMatchObject({ seen: 6, truncated: true });
  });
});
