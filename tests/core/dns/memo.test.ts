import { describe, expect, it } from 'vitest';
import { memoizeResolver } from '../../../core/dns/memo.ts';
import type { DnsAnswer, DnsStatus, QueryOptions, Resolver, RRType } from '../../../core/dns/types.ts';

/** A resolver whose answers the test releases by hand, recording every query it got. */
class ManualResolver implements Resolver {
  readonly name = 'manual';
  readonly url = 'manual:';
  readonly calls: { name: string; type: RRType; signal?: AbortSignal }[] = [];
  private pending: (() => void)[] = [];
  constructor(private readonly status: DnsStatus = 'ok', private readonly ttl = 60) {}

  query<T extends RRType>(name: string, type: T, options?: QueryOptions): Promise<DnsAnswer<T>> {
    this.calls.push({ name, type, signal: options?.signal });
    return new Promise((resolve) => {
      this.pending.push(() =>
        resolve({
          name,
          type,
          status: this.status,
          records: this.status === 'ok' ? [{ type: 'A', name, ttl: this.ttl, address: '192.0.2.1' } as DnsAnswer<T>['records'][number]] : [],
          cnameChain: [],
          ad: false,
          ede: [],
          elapsedMs: 3,
        }),
      );
    });
  }

  release(): void {
    for (const r of this.pending.splice(0)) r();
  }
}

describe('memoizeResolver', () => {
  it('shares identical queries in flight (case and trailing dot ignored, RFC 4343)', async () => {
    const inner = new ManualResolver();
    const resolver = memoizeResolver(inner);
    const both = Promise.all([resolver.query('Example.com', 'A'), resolver.query('example.com.', 'A')]);
    inner.release();
    const answers = await both;
    expect({ calls: inner.calls.length, statuses: answers.map((a) => a.status) }).toEqual({ calls: 1, statuses: ['ok', 'ok'] });
  });

  it('asks again for a different type', async () => {
    const inner = new ManualResolver();
    const resolver = memoizeResolver(inner);
    const both = Promise.all([resolver.query('example.com', 'A'), resolver.query('example.com', 'AAAA')]);
    inner.release();
    await both;
    expect(inner.calls.length).toBe(2);
  });

  it.each([
    ['keeps an ok answer for its TTL', 'ok' as const, 30_000, 1],
    ['asks again once the TTL has passed', 'ok' as const, 61_000, 2],
    ['RFC 2308 §5: keeps NXDOMAIN for the negative TTL', 'nxdomain' as const, 30_000, 1],
    ['never keeps SERVFAIL', 'servfail' as const, 1_000, 2],
  ])('with cache: %s', async (_title, status, advanceMs, expectedCalls) => {
    let clock = 1_000_000;
    const inner = new ManualResolver(status, 60);
    const resolver = memoizeResolver(inner, { cache: true, clock: () => clock });
    const first = resolver.query('example.com', 'A');
    inner.release();
    await first;
    clock += advanceMs;
    const second = resolver.query('example.com', 'A');
    inner.release();
    await second;
    expect(inner.calls.length).toBe(expectedCalls);
  });

  it('without cache asks again after the first answer', async () => {
    const inner = new ManualResolver();
    const resolver = memoizeResolver(inner);
    const first = resolver.query('example.com', 'A');
    inner.release();
    await first;
    const second = resolver.query('example.com', 'A');
    inner.release();
    await second;
    expect(inner.calls.length).toBe(2);
  });

  it('one caller aborting does not cancel the lookup another still waits for', async () => {
    const inner = new ManualResolver();
    const resolver = memoizeResolver(inner);
    const controller = new AbortController();
    const cancelled = resolver.query('example.com', 'A', { signal: controller.signal });
    const kept = resolver.query('example.com', 'A', { signal: new AbortController().signal });
    controller.abort();
    const first = await cancelled;
    inner.release();
    const second = await kept;
    expect({ first: first.errorKind, second: second.status, innerAborted: inner.calls[0]?.signal?.aborted }).toEqual({
      first: 'aborted',
      second: 'ok',
      innerAborted: false,
    });
  });

  it('the last caller aborting cancels the shared lookup', async () => {
    const inner = new ManualResolver();
    const resolver = memoizeResolver(inner);
    const controller = new AbortController();
    const pending = resolver.query('example.com', 'A', { signal: controller.signal });
    controller.abort();
    const answer = await pending;
    expect({ status: answer.status, kind: answer.errorKind, innerAborted: inner.calls[0]?.signal?.aborted }).toEqual({
      status: 'error',
      kind: 'aborted',
      innerAborted: true,
    });
  });

  it('answers an already aborted query without asking', async () => {
    const inner = new ManualResolver();
    const answer = await memoizeResolver(inner).query('example.com', 'A', { signal: AbortSignal.abort() });
    expect({ kind: answer.errorKind, calls: inner.calls.length }).toEqual({ kind: 'aborted', calls: 0 });
  });
});
