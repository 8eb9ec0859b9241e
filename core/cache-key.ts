// The key under which a report is cached: a result is only reused for the same domain, the same
// resolver and the same probe settings, since each of those changes what the report says.

export interface CacheKeyInput {
  /** A-label domain, as in Report.domain. */
  domain: string;
  /** A built-in resolver id or a DoH URL. */
  resolver: string;
  /** Whether MX hosts were probed (false also when the helper was missing). */
  probe: boolean;
  /** Allowing non-public addresses changes the mx outcome (mx.non-public-address) and what is probed. */
  allowPrivate: boolean;
}

export const CACHE_KEY_PREFIX = 'report:v1:';

/** Deterministic and case-insensitive in the domain; the parts are URI-encoded so none can forge a separator. */
export function cacheKey(input: CacheKeyInput): string {
  const domain = input.domain.trim().toLowerCase().replace(/\.$/, '');
  const probe = `${input.probe ? 'probe' : 'no-probe'}${input.allowPrivate ? '+private' : ''}`;
  return `${CACHE_KEY_PREFIX}${encodeURIComponent(domain)}|${encodeURIComponent(input.resolver)}|${probe}`;
}

/** Whether an entry made at `storedAt` is still fresh `now` for a lifetime of `minutes` (0: never cache). */
export function isFresh(storedAt: number, now: number, minutes: number): boolean {
  if (!(minutes > 0)) return false;
  return now >= storedAt && now - storedAt < minutes * 60_000;
}
