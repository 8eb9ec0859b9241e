// The engine's ports for the CLI: DoH or plain DNS, the Node policy fetcher, the STARTTLS prober.
import { createDohResolver, resolverFromSetting } from '../../core/dns/doh.ts';
import type { EnginePorts, Resolver } from '../../core/ports.ts';
import { createSystemResolver } from '../dns/system-resolver.ts';
import { fetchPolicyWithEvidence, hostResolverOf } from '../policy/fetch-policy.ts';
import { probeMx } from '../probe/probe-mx.ts';
import { createH2Fetch } from './h2-fetch.ts';
import { UsageError } from './io.ts';

export interface CliPortDeps {
  /** The fetch the DoH resolver uses (tests point it at a local server). */
  fetch?: typeof fetch;
  fetchPolicy?: typeof fetchPolicyWithEvidence;
  probeMx?: typeof probeMx;
}

export interface CheckPortOptions {
  resolver: string;
  probe: boolean;
  allowPrivate: boolean;
  timeoutMs?: number;
  /** Keep DNS answers for their TTL across the domains of one run (bulk runs share MX hosts). */
  dnsCache?: boolean;
}

/** The ports and what closes them: the DoH resolver's HTTP/2 connection outlives a check. */
export type CliPorts = EnginePorts & { close(): void };

/**
 * ONE resolver per run, shared by every domain: identical queries in flight are asked once, and
 * DoH goes over one HTTP/2 connection (unless a test hands in its own fetch).
 */
export function buildResolver(setting: string, timeoutMs: number | undefined, deps: CliPortDeps, dnsCache = false): { resolver: Resolver; close(): void } {
  if (setting === 'system') return { resolver: createSystemResolver({ ...(timeoutMs ? { timeoutMs } : {}), cache: dnsCache }), close: () => undefined };
  const h2 = deps.fetch ? undefined : createH2Fetch();
  const fetchImpl = deps.fetch ?? h2?.fetch;
  const r = resolverFromSetting(setting, fetchImpl);
  if ('error' in r) throw new UsageError(`--resolver ${setting}: ${r.error}`, 'check');
  // resolverFromSetting validated the setting; the same resolver again with its answer cache on.
  const resolver = dnsCache ? createDohResolver({ name: r.name, url: r.url, cache: true, ...(fetchImpl ? { fetch: fetchImpl } : {}) }) : r;
  return { resolver, close: () => h2?.close() };
}

/** The policy host (and redirect targets) are resolved through the resolver the user chose, like every other name. */
// Kept exported from here for existing callers; the lookup rules live with the fetch.
export { hostResolverOf };

export function buildPorts(options: CheckPortOptions, deps: CliPortDeps = {}): CliPorts {
  const fetchPolicy = deps.fetchPolicy ?? fetchPolicyWithEvidence;
  const probe = deps.probeMx ?? probeMx;
  const { allowPrivate } = options;
  const { resolver, close } = buildResolver(options.resolver, options.timeoutMs, deps, options.dnsCache);
  const resolve = hostResolverOf(resolver);
  const ports: CliPorts = {
    close,
    resolver,
    policyFetcher: {
      fetchPolicy: (domain, o = {}) =>
        fetchPolicy(domain, {
          ...(o.addresses ? { addresses: o.addresses } : {}),
          ...(o.signal ? { signal: o.signal } : {}),
          timeoutMs: o.timeoutMs ?? options.timeoutMs,
          allowPrivate,
          resolve,
          via: 'node',
        }),
    },
  };
  if (options.probe) {
    ports.prober = {
      probe: (host, addresses, o = {}) =>
        probe({ host, addresses, port: 25, timeoutMs: o.timeoutMs ?? options.timeoutMs, allowPrivate, ...(o.signal ? { signal: o.signal } : {}) }),
    };
  } else {
    ports.proberMissingReason = 'STARTTLS probes were switched off with --no-probe.';
  }
  return ports;
}
