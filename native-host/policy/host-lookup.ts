// The A + AAAA lookup of the policy host (RFC 8461 §3.3) and the sentence for its failure. "The
// name does not exist / has no address" is a fact about the zone; "the lookup failed" (SERVFAIL,
// DNSSEC bogus, refused, timeout) is not, and a report must never say the first for the second.
import { Resolver as DnsResolver } from 'node:dns/promises';
import type { DnsAnswer, Ede, Resolver } from '../../core/dns/types.ts';
import { describeEde } from '../../core/dns/ede.ts';

export type ResolveResult = { ok: true; addresses: string[] } | { ok: false; message: string };
/** Resolves a host to its A and AAAA addresses (tests plug in their own). */
export type HostResolver = (host: string, signal: AbortSignal) => Promise<ResolveResult>;

/** What one A or AAAA query gave. `ede`: Extended DNS Errors (RFC 8914) the resolver attached. */
export type LookupOutcome =
  | { kind: 'addresses'; addresses: string[] }
  | { kind: 'nodata'; ede?: Ede[] }
  | { kind: 'nxdomain'; ede?: Ede[] }
  /** `reason`: a clause without a full stop ("the resolver answered SERVFAIL"). */
  | { kind: 'failed'; reason: string; ede?: Ede[] };

const DNS_TIMEOUT_MS = 5_000;
const MAX_REASON = 300;

function clip(text: string, max = MAX_REASON): string {
  const flat = text.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max)}…` : flat;
}

/** "Blocked (EDE 15: listed)"s of an answer, at most three. */
function edeList(ede: Ede[] | undefined): string[] {
  return (ede ?? []).slice(0, 3).map((e) => clip(describeEde(e)));
}

/**
 * The result of the two lookups: addresses if either gave some; else NXDOMAIN ("does not exist"),
 * all NODATA ("has no A or AAAA record"), or any failure ("the lookup failed: <reason>"), naming
 * the resolver's EDEs where there are some. `via`: the resolver's name, for the sentence.
 */
export function hostLookupResult(host: string, a: LookupOutcome, aaaa: LookupOutcome, via?: string): ResolveResult {
  const both = [
    { type: 'A', outcome: a },
    { type: 'AAAA', outcome: aaaa },
  ] as const;
  const addresses = both.flatMap(({ outcome }) => (outcome.kind === 'addresses' ? outcome.addresses : []));
  if (addresses.length > 0) return { ok: true, addresses };
  const by = via ? ` via ${clip(via, 100)}` : '';
  const missing = both.find(({ outcome }) => outcome.kind === 'nxdomain')?.outcome;
  if (missing?.kind === 'nxdomain') {
    // A filtering resolver's NXDOMAIN carries an EDE (Blocked, Filtered…): say so, it is not the zone's word.
    return { ok: false, message: `${host} does not exist in the DNS (${[`NXDOMAIN${by}`, ...edeList(missing.ede)].join('; ')}).` };
  }
  const failures = both.flatMap(({ type, outcome }) => (outcome.kind === 'failed' ? [{ type, outcome }] : []));
  if (failures.length === 0) {
    const notes = [...(by ? [by.trim()] : []), ...edeList(both.flatMap(({ outcome }) => (outcome.kind === 'nodata' ? (outcome.ede ?? []) : [])))];
    return { ok: false, message: `${host} has no A or AAAA record${notes.length > 0 ? ` (${notes.join('; ')})` : ''}.` };
  }
  const said = failures.map(({ outcome }) => {
    const ede = edeList(outcome.ede);
    return `${clip(outcome.reason, 2 * MAX_REASON)}${ede.length > 0 ? ` with ${ede.join(', ')}` : ''}`;
  });
  // One reason for both queries is said once; different ones each with their type.
  const reasons = said.every((r) => r === said[0])
    ? `${said[0]} for ${failures.map((f) => f.type).join(' and ')}`
    : failures.map((f, i) => `${f.type}: ${said[i]}`).join('; ');
  const nodata = both.filter(({ outcome }) => outcome.kind === 'nodata').map(({ type }) => type);
  const rest = nodata.length > 0 ? ` (${nodata.join(' and ')}: no record)` : '';
  return { ok: false, message: `The lookup of ${host} failed${by}: ${reasons}${rest}.` };
}

/** One answer of the DNS port (core/dns/types.ts) as a lookup outcome. */
export function outcomeOfAnswer<T extends 'A' | 'AAAA'>(answer: DnsAnswer<T>): LookupOutcome {
  const ede = answer.ede.length > 0 ? { ede: answer.ede } : {};
  // The resolver's own sentence, unless it only repeats the status or kind.
  const message = answer.message?.replace(/[.\s]+$/, '') ?? '';
  const repeats = [answer.status, answer.errorKind ?? ''].some((w) => w.toLowerCase() === message.toLowerCase());
  const detail = message && !repeats ? `: ${clip(message)}` : '';
  switch (answer.status) {
    case 'ok':
      return answer.records.length > 0 ? { kind: 'addresses', addresses: answer.records.map((r) => r.address) } : { kind: 'nodata', ...ede };
    case 'nodata':
      return { kind: 'nodata', ...ede };
    case 'nxdomain':
      return { kind: 'nxdomain', ...ede };
    case 'servfail':
      return { kind: 'failed', reason: `the resolver answered SERVFAIL${detail}`, ...ede };
    case 'refused':
      return { kind: 'failed', reason: `the resolver refused the query${detail}`, ...ede };
    case 'error':
      return { kind: 'failed', reason: `no usable answer (${answer.errorKind ?? 'error'})${detail}`, ...ede };
  }
}

/** The policy host (and redirect targets) resolved through the resolver the user chose, like every other name. */
export function hostResolverOf(resolver: Resolver): HostResolver {
  return async (host, signal) => {
    const [a, aaaa] = await Promise.all([resolver.query(host, 'A', { signal }), resolver.query(host, 'AAAA', { signal })]);
    return hostLookupResult(host, outcomeOfAnswer(a), outcomeOfAnswer(aaaa), resolver.name);
  };
}

/** c-ares error codes (node:dns) in words; node:dns does not pass EDEs on. */
const NODE_DNS_REASONS: Record<string, string> = {
  ESERVFAIL: 'the resolver answered SERVFAIL',
  EREFUSED: 'the resolver refused the query',
  ETIMEOUT: 'no answer from the DNS server in time',
  ECONNREFUSED: 'the DNS server refused the connection',
  EBADRESP: 'the DNS answer was malformed',
  ECANCELLED: 'the lookup was cancelled',
};

/** One node:dns resolve4/resolve6 settlement as a lookup outcome. */
export function outcomeOfNodeDns(settled: PromiseSettledResult<string[]>): LookupOutcome {
  if (settled.status === 'fulfilled') return settled.value.length > 0 ? { kind: 'addresses', addresses: settled.value } : { kind: 'nodata' };
  const code = (settled.reason as NodeJS.ErrnoException | undefined)?.code ?? 'ERROR';
  if (code === 'ENOTFOUND') return { kind: 'nxdomain' };
  if (code === 'ENODATA') return { kind: 'nodata' };
  return { kind: 'failed', reason: `${NODE_DNS_REASONS[code] ?? 'the DNS library reported an error'} (${clip(code, 40)})` };
}

export interface SystemHostResolverOptions {
  /** DNS servers ("address" or "address:port"); default: the system's. */
  servers?: string[];
  timeoutMs?: number;
}

/** A and AAAA through DNS servers (not /etc/hosts: senders use the DNS). */
export function createSystemHostResolver(options: SystemHostResolverOptions = {}): HostResolver {
  return async (host, signal) => {
    const resolver = new DnsResolver({ timeout: options.timeoutMs ?? DNS_TIMEOUT_MS, tries: 2 });
    if (options.servers) resolver.setServers(options.servers);
    const onAbort = (): void => resolver.cancel();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const [v4, v6] = await Promise.allSettled([resolver.resolve4(host), resolver.resolve6(host)]);
      return hostLookupResult(host, outcomeOfNodeDns(v4), outcomeOfNodeDns(v6));
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  };
}

export const systemHostResolver: HostResolver = createSystemHostResolver();
