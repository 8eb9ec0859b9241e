// Wraps a resolver so one check never asks the same question twice: identical queries in
// flight share one lookup, and (optionally) answers are kept for their TTL, bounded.
import { errorAnswer } from './answer.ts';
import { dnsLower, stripDot } from './codec.ts';
import type { DnsAnswer, QueryOptions, Resolver, RRType } from './types.ts';

export interface MemoOptions {
  /** Keep answers for their TTL (default false: only in-flight queries are shared). */
  cache?: boolean;
  maxEntries?: number;
  /** Upper bound on how long any answer is kept, whatever its TTL. */
  maxTtlSeconds?: number;
  /** How long NXDOMAIN/NODATA answers are kept (RFC 2308 lets resolvers bound this). */
  negativeTtlSeconds?: number;
  /** Wall clock in ms, for tests. */
  clock?: () => number;
}

type Flight = { promise: Promise<DnsAnswer>; controller: AbortController; waiters: number };

export function abortedAnswer<T extends RRType>(name: string, type: T, elapsedMs = 0): DnsAnswer<T> {
  return errorAnswer(name, type, 'aborted', `The lookup of ${name} ${type} was cancelled.`, elapsedMs);
}

function cacheSeconds(answer: DnsAnswer, maxTtl: number, negativeTtl: number): number {
  if (answer.status === 'nodata' || answer.status === 'nxdomain') return Math.min(negativeTtl, maxTtl);
  if (answer.status !== 'ok') return 0;
  const ttls = [...answer.records, ...answer.cnameChain].map((r) => r.ttl);
  return Math.min(maxTtl, ...ttls);
}

export function memoizeResolver(inner: Resolver, options: MemoOptions = {}): Resolver {
  const maxEntries = options.maxEntries ?? 256;
  const maxTtl = options.maxTtlSeconds ?? 300;
  const negativeTtl = options.negativeTtlSeconds ?? 60;
  const clock = options.clock ?? Date.now;
  const inflight = new Map<string, Flight>();
  const cache = new Map<string, { answer: DnsAnswer; expires: number }>();

  function remember(key: string, answer: DnsAnswer): void {
    if (!options.cache) return;
    const seconds = cacheSeconds(answer, maxTtl, negativeTtl);
    if (seconds <= 0) return;
    cache.delete(key);
    cache.set(key, { answer, expires: clock() + seconds * 1000 });
    // Map keeps insertion order: the first key is the oldest entry.
    while (cache.size > maxEntries) cache.delete(cache.keys().next().value as string);
  }

  function start(key: string, name: string, type: RRType): Flight {
    const controller = new AbortController();
    const flight: Flight = { controller, waiters: 0, promise: Promise.resolve(undefined as unknown as DnsAnswer) };
    flight.promise = inner
      .query(name, type, { signal: controller.signal })
      // The port says resolvers never throw; one that does still yields a value here.
      .catch((err: unknown): DnsAnswer => errorAnswer(name, type, 'other', `The resolver failed: ${String(err)}`, 0))
      .then((answer) => {
        if (inflight.get(key) === flight) inflight.delete(key);
        if (!controller.signal.aborted) remember(key, answer);
        return answer;
      });
    inflight.set(key, flight);
    return flight;
  }

  async function query<T extends RRType>(name: string, type: T, opts: QueryOptions = {}): Promise<DnsAnswer<T>> {
    const { signal } = opts;
    if (signal?.aborted) return abortedAnswer(name, type);
    const key = `${dnsLower(stripDot(name))} ${type}`;
    const hit = cache.get(key);
    // why (both casts): entries are keyed by type, so an entry for this key answers type T.
    if (hit && hit.expires > clock()) return { ...(hit.answer as unknown as DnsAnswer<T>), name, elapsedMs: 0 };
    if (hit) cache.delete(key);

    const flight = inflight.get(key) ?? start(key, name, type);
    flight.waiters += 1;
    const shared = flight.promise as unknown as Promise<DnsAnswer<T>>;
    if (!signal) return { ...(await shared), name };
    return new Promise<DnsAnswer<T>>((resolve) => {
      const onAbort = () => {
        flight.waiters -= 1;
        // Only the last one waiting cancels the lookup others share.
        if (flight.waiters === 0) {
          flight.controller.abort();
          if (inflight.get(key) === flight) inflight.delete(key);
        }
        resolve(abortedAnswer(name, type));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      void shared.then((answer) => {
        signal.removeEventListener('abort', onAbort);
        resolve({ ...answer, name });
      });
    });
  }

  return { name: inner.name, url: inner.url, query };
}
