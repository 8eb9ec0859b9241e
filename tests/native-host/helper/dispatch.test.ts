import { afterEach, describe, expect, it, vi } from 'vitest';
import type { HelperResponse } from '../../../core/protocol/helper.ts';
import type { MxProbeResult } from '../../../core/protocol/probe.ts';
import type { PolicyFetchResult } from '../../../core/protocol/policy-fetch.ts';
import { createDispatcher, type DispatcherOptions } from '../../../native-host/helper/dispatch.ts';

type ProbeReq = Parameters<NonNullable<NonNullable<DispatcherOptions['workers']>['probeMx']>>[0];

function probeResult(host: string): MxProbeResult {
  return { host, port: 25, addresses: [] };
}
function policyResult(domain: string): PolicyFetchResult {
  return { url: `https://mta-sts.${domain}/.well-known/mta-sts.txt`, host: `mta-sts.${domain}`, via: 'helper', attempts: [] };
}

function setup(overrides: Partial<DispatcherOptions> = {}) {
  const sent: HelperResponse[] = [];
  const probes: ProbeReq[] = [];
  const d = createDispatcher({
    send: (r) => sent.push(r),
    log: () => undefined,
    version: '9.9.9',
    workers: {
      probeMx: async (req) => {
        probes.push(req);
        return probeResult(req.host);
      },
      fetchPolicy: async (domain) => policyResult(domain),
    },
    ...overrides,
  });
  return { d, sent, probes };
}

const probe = (extra: Record<string, unknown> = {}) => ({ type: 'probe-mx', id: 'p1', host: 'mx.example.com', addresses: ['192.0.2.1'], ...extra });

afterEach(() => {
  vi.useRealTimers();
});

describe('helper dispatcher: one reply per message, stable error codes', () => {
  it.each<[string, unknown, { code: string; id?: string }]>([
    ['an array is not a message', [], { code: 'bad-request' }],
    ['a string is not a message', 'hello', { code: 'bad-request' }],
    ['null is not a message', null, { code: 'bad-request' }],
    ['an object without type', { id: 'x1' }, { code: 'bad-request', id: 'x1' }],
    ['a non-string type', { type: 7 }, { code: 'bad-request' }],
    ['an unknown type keeps its id', { type: 'launch-missiles', id: 'u1' }, { code: 'unknown-type', id: 'u1' }],
    ['probe-mx without addresses', { type: 'probe-mx', id: 'p2', host: 'mx.example.com' }, { code: 'bad-request', id: 'p2' }],
    ['probe-mx with 33 addresses', probe({ addresses: Array.from({ length: 33 }, (_, i) => `192.0.2.${i}`) }), { code: 'bad-request', id: 'p1' }],
    ['probe-mx with timeoutMs below 100', probe({ timeoutMs: 50 }), { code: 'bad-request', id: 'p1' }],
    ['probe-mx on port 587', probe({ port: 587 }), { code: 'forbidden-port', id: 'p1' }],
    ['probe-mx on port "25" (a string)', probe({ port: '25' }), { code: 'forbidden-port', id: 'p1' }],
    ['an address that is not an IP literal', probe({ addresses: ['mx.example.com'] }), { code: 'bad-request', id: 'p1' }],
    ['the unspecified IPv4 address', probe({ addresses: ['0.0.0.0'] }), { code: 'forbidden-address', id: 'p1' }],
    ['the unspecified IPv6 address', { type: 'fetch-policy', id: 'f1', domain: 'example.com', addresses: ['::'] }, { code: 'forbidden-address', id: 'f1' }],
    ['a multicast address', probe({ addresses: ['224.0.0.251'] }), { code: 'forbidden-address', id: 'p1' }],
    ['an over-long id is not echoed', { type: 'nope', id: 'x'.repeat(65) }, { code: 'unknown-type' }],
  ])('%s', (_name, message, expected) => {
    const { d, sent, probes } = setup();
    d.handle(message);
    expect(sent).toEqual([expect.objectContaining({ type: 'error', ...expected })]);
    expect(sent[0] && 'id' in sent[0] ? sent[0].id : undefined).toBe(expected.id);
    expect(probes).toEqual([]);
  });

  it('hello answers with the version and protocol 1', () => {
    const { d, sent } = setup();
    d.handle({ type: 'hello' });
    expect(sent).toEqual([{ type: 'hello', version: '9.9.9', protocol: 1 }]);
  });

  it.each<[string, Record<string, unknown>, Record<string, string | undefined>, boolean]>([
    ['private addresses refused by default', {}, {}, false],
    ['the request allows private addresses', { allowPrivate: true }, {}, true],
    ['MTA_STS_INSPECTOR_ALLOW_PRIVATE=1 allows them', {}, { MTA_STS_INSPECTOR_ALLOW_PRIVATE: '1' }, true],
    ['MTA_STS_INSPECTOR_ALLOW_PRIVATE=0 does not', {}, { MTA_STS_INSPECTOR_ALLOW_PRIVATE: '0' }, false],
  ])('probe-mx: %s', async (_name, extra, env, allowed) => {
    const { d, sent, probes } = setup({ env });
    d.handle(probe({ addresses: ['127.0.20.1'], ...extra }));
    await d.idle();
    expect(probes.map((p) => ({ allowPrivate: p.allowPrivate, port: p.port }))).toEqual([{ allowPrivate: allowed, port: 25 }]);
    expect(sent).toEqual([{ type: 'probe-mx-result', id: 'p1', result: probeResult('mx.example.com') }]);
  });

  it('fetch-policy passes the domain and addresses and answers with the result', async () => {
    const seen: unknown[] = [];
    const { d, sent } = setup({
      workers: {
        fetchPolicy: async (domain, o) => {
          seen.push({ domain, addresses: o?.addresses, via: o?.via, timeoutMs: o?.timeoutMs });
          return policyResult(domain);
        },
      },
    });
    d.handle({ type: 'fetch-policy', id: 'f1', domain: 'example.com', addresses: ['192.0.2.80'] });
    await d.idle();
    expect(seen).toEqual([{ domain: 'example.com', addresses: ['192.0.2.80'], via: 'helper', timeoutMs: 60_000 }]);
    expect(sent).toEqual([{ type: 'fetch-policy-result', id: 'f1', result: policyResult('example.com') }]);
  });

  it('answers concurrent requests as each finishes, not in arrival order', async () => {
    const release = new Map<string, () => void>();
    const { d, sent } = setup({
      workers: {
        probeMx: (req) => new Promise((resolve) => release.set(req.host, () => resolve(probeResult(req.host)))),
      },
    });
    d.handle(probe({ id: 'slow', host: 'slow.example.com' }));
    d.handle(probe({ id: 'fast', host: 'fast.example.com' }));
    d.handle({ type: 'hello' });
    expect(d.inFlight).toBe(2);
    release.get('fast.example.com')?.();
    await vi.waitFor(() => expect(sent.length).toBe(2));
    release.get('slow.example.com')?.();
    await d.idle();
    expect(sent.map((r) => (r.type === 'hello' ? 'hello' : r.id))).toEqual(['hello', 'fast', 'slow']);
  });

  it('answers busy beyond the in-flight bound, and accepts work again once one finishes', async () => {
    const release: (() => void)[] = [];
    const { d, sent } = setup({
      maxInFlight: 2,
      workers: { probeMx: (req) => new Promise((resolve) => release.push(() => resolve(probeResult(req.host)))) },
    });
    d.handle(probe({ id: 'a' }));
    d.handle(probe({ id: 'b' }));
    d.handle(probe({ id: 'c' }));
    expect(sent).toEqual([expect.objectContaining({ type: 'error', code: 'busy', id: 'c' })]);
    release[0]?.();
    await vi.waitFor(() => expect(d.inFlight).toBe(1));
    d.handle(probe({ id: 'd' }));
    expect(d.inFlight).toBe(2);
  });

  it('answers timeout at the deadline and aborts the worker', async () => {
    vi.useFakeTimers();
    let signal: AbortSignal | undefined;
    const { d, sent } = setup({
      graceMs: 50,
      workers: {
        probeMx: (req) => {
          signal = req.signal;
          return new Promise(() => undefined);
        },
      },
    });
    d.handle(probe({ timeoutMs: 100 }));
    await vi.advanceTimersByTimeAsync(149);
    expect(sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(sent).toEqual([expect.objectContaining({ type: 'error', code: 'timeout', id: 'p1' })]);
    expect(signal?.aborted).toBe(true);
    expect(d.inFlight).toBe(0);
  });

  it('a worker that throws is answered internal, and the dispatcher goes on', async () => {
    const { d, sent } = setup({ workers: { probeMx: async () => Promise.reject(new Error('boom')) } });
    d.handle(probe());
    await d.idle();
    d.handle({ type: 'hello' });
    expect(sent).toEqual([expect.objectContaining({ type: 'error', code: 'internal', id: 'p1', message: expect.stringContaining('boom') }), expect.objectContaining({ type: 'hello' })]);
  });

  it('abortAll aborts every request in flight', async () => {
    const signals: AbortSignal[] = [];
    const { d } = setup({
      workers: {
        probeMx: (req) =>
          new Promise((resolve) => {
            if (req.signal) signals.push(req.signal);
            req.signal?.addEventListener('abort', () => resolve(probeResult(req.host)));
          }),
      },
    });
    d.handle(probe({ id: 'a' }));
    d.handle(probe({ id: 'b' }));
    d.abortAll();
    await d.idle();
    expect(signals.map((s) => s.aborted)).toEqual([true, true]);
  });
});
