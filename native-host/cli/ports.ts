// The engine's ports for the CLI: DoH or plain DNS, the Node policy fetcher, the STARTTLS prober.
import { resolverFromSetting } from '../../core/dns/doh.ts';
import type { EnginePorts, Resolver } from '../../core/ports.ts';
import { createSystemResolver } from '../dns/system-resolver.ts';
import { fetchPolicyWithEvidence, type HostResolver } from '../policy/fetch-policy.ts';
import { probeMx } from '../probe/probe-mx.ts';
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
}

export function buildResolver(setting: string, timeoutMs: number | undefined, deps: CliPortDeps): Resolver {
  if (setting === 'system') return createSystemResolver(timeoutMs ? { timeoutMs } : {});
  const r = resolverFromSetting(setting, deps.fetch);
  if ('error' in r) throw new UsageError(`--resolver ${setting}: ${r.error}`, 'check');
  return r;
}

/** The policy host (and redirect targets) are resolved through the resolver the user chose, like every other name. */
export function hostResolverOf(resolver: Resolver): HostResolver {
  return async (host, signal) => {
    const [a, aaaa] = await Promise.all([resolver.query(host, 'A', { signal }), resolver.query(host, 'AAAA', { signal })]);
    const addresses = [...a.records, ...aaaa.records].map((r) => r.address);
    if (addresses.length > 0) return { ok: true, addresses };
    const why = [a, aaaa].map((x) => (x.status === 'error' ? (x.message ?? 'error') : x.status)).join(' / ');
    return { ok: false, message: `${host} has no A or AAAA records (${why}, via ${resolver.name}).` };
  };
}

export function buildPorts(options: CheckPortOptions, deps: CliPortDeps = {}): EnginePorts {
  const fetchPolicy = deps.fetchPolicy ?? fetchPolicyWithEvidence;
  const probe = deps.probeMx ?? probeMx;
  const { allowPrivate } = options;
  const resolver = buildResolver(options.resolver, options.timeoutMs, deps);
  const resolve = hostResolverOf(resolver);
  const ports: EnginePorts = {
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
