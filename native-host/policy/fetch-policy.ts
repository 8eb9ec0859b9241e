// Fetch https://mta-sts.<domain>/.well-known/mta-sts.txt from every address of the policy host
// (RFC 8461 §3.3) with full evidence: TLS chain and verdict (recorded even when it fails: we
// connect without rejecting and judge ourselves, then still read what is served), status line,
// headers, the exact body bytes, timings. Redirects are not valid for senders but are followed
// (at most 5 hops) so the report can show where they lead. Never throws.
import type { PolicyAttempt, PolicyFetchResult } from '../../core/protocol/policy-fetch.ts';
import { POLICY_TIMEOUT_MS } from '../../core/protocol/policy-fetch.ts';
import { toALabel } from '../../core/parse/domain-name.ts';
import { parseIp } from '../../core/net/address.ts';
import { gateAddress, privateAllowed, resolveStepTimeouts, type StepTimeouts } from '../net/limits.ts';
import { connectionSemaphore } from '../net/concurrency.ts';
import { SocketTracker } from '../net/socket.ts';
import { httpExchange, type ExchangeResult } from './http-exchange.ts';
import { systemHostResolver, type HostResolver, type ResolveResult } from './host-lookup.ts';

// The lookup's API, where callers (the CLI) have always found it.
export { createSystemHostResolver, hostResolverOf, type HostResolver, type ResolveResult } from './host-lookup.ts';

export interface FetchPolicyOptions {
  /** Addresses of mta-sts.<domain> already resolved; otherwise resolved here (A + AAAA). */
  addresses?: string[];
  /** For the whole fetch of each address, redirects included (RFC 8461 §3.3 suggests one minute). */
  timeoutMs?: number;
  stepTimeouts?: Partial<StepTimeouts>;
  allowPrivate?: boolean;
  signal?: AbortSignal;
  /** Extra trusted roots (tests), added to Node's bundled ones. */
  ca?: string[];
  via?: 'helper' | 'node';
  resolve?: HostResolver;
}

const MAX_ATTEMPTS = 32;
export const MAX_REDIRECTS = 5;
const POLICY_PATH = '/.well-known/mta-sts.txt';

/**
 * `resolve` bounded by `deadline` and `signal`: a resolver that ignores its signal cannot hold
 * the fetch past the time limit. Never throws.
 */
async function resolveBounded(resolve: HostResolver, host: string, signal: AbortSignal, deadline: number): Promise<ResolveResult | 'timeout' | 'aborted'> {
  if (signal.aborted) return 'aborted';
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stopped = new Promise<'timeout' | 'aborted'>((done) => {
    timer = setTimeout(() => done('timeout'), Math.max(0, deadline - Date.now()));
    onAbort = (): void => done('aborted');
    signal.addEventListener('abort', onAbort, { once: true });
  });
  const lookup = (async (): Promise<ResolveResult> => {
    try {
      return await resolve(host, controller.signal);
    } catch (err) {
      return { ok: false, message: `The lookup of ${host} failed: ${String(err).slice(0, 300)}.` };
    }
  })();
  try {
    const outcome = await Promise.race([lookup, stopped]);
    if (typeof outcome === 'string') controller.abort();
    return outcome;
  } finally {
    clearTimeout(timer);
    if (onAbort) signal.removeEventListener('abort', onAbort);
  }
}

interface Context {
  timeouts: StepTimeouts;
  allowPrivate: boolean;
  ca?: string[];
  signal: AbortSignal;
  resolve: HostResolver;
}

/** Address family, or undefined when the string is not an IP. */
function familyOf(address: string): 4 | 6 | undefined {
  return parseIp(address)?.family;
}

function certificateProblem(result: ExchangeResult, host: string): string | undefined {
  const tls = result.tls;
  if (!tls || !tls.handshakeCompleted) return undefined;
  if (!tls.trusted) return `the certificate is not trusted: ${tls.trustError?.message ?? 'the chain does not verify'}`;
  if (!tls.nameMatches) {
    const names = tls.chain[0]?.dnsNames.slice(0, 5).join(', ') || 'no DNS names';
    return `the certificate is not valid for ${host} (it names ${names})`;
  }
  return undefined;
}

async function exchange(url: URL, address: string, ctx: Context, deadline: number, signal: AbortSignal, tracker: SocketTracker): Promise<ExchangeResult> {
  const family = familyOf(address) ?? 4;
  let release: (() => void) | undefined;
  try {
    release = await connectionSemaphore.acquire(signal);
  } catch {
    return { error: { kind: Date.now() >= deadline ? 'timeout' : 'aborted', message: 'Cancelled before a connection slot was free.' }, timings: {} };
  }
  try {
    return await httpExchange({
      url,
      address,
      family,
      host: url.hostname,
      connectMs: ctx.timeouts.connectMs,
      stepMs: ctx.timeouts.stepMs,
      deadline,
      ...(ctx.ca ? { ca: ctx.ca } : {}),
      signal,
      tracker,
    });
  } finally {
    release();
  }
}

/** Follow a 3xx for diagnosis: record each hop; the final answer (or why we stopped) goes in redirectTarget. */
async function followRedirects(
  start: URL,
  first: ExchangeResult,
  address: string,
  ctx: Context,
  deadline: number,
  signal: AbortSignal,
  tracker: SocketTracker,
): Promise<Pick<PolicyAttempt, 'redirects' | 'redirectTarget'>> {
  const redirects: PolicyAttempt['redirects'] = [];
  let current = start;
  let result = first;
  for (;;) {
    const status = result.response?.status ?? 0;
    const location = result.response?.headers.find(([name]) => name === 'location')?.[1];
    if (status < 300 || status > 399) return { redirects };
    redirects.push({ url: current.href.slice(0, 4096), status, ...(location ? { location: location.slice(0, 4096) } : {}) });
    if (!location) return { redirects, redirectTarget: { url: current.href.slice(0, 4096), error: `A ${status} without a Location header.` } };
    let target: URL;
    try {
      target = new URL(location, current);
    } catch {
      return { redirects, redirectTarget: { url: location.slice(0, 4096), error: 'The Location header is not a valid URL.' } };
    }
    const stop = (error: string): Pick<PolicyAttempt, 'redirects' | 'redirectTarget'> => ({
      redirects,
      redirectTarget: { url: target.href.slice(0, 4096), error: error.slice(0, 2048) },
    });
    if (redirects.length > MAX_REDIRECTS) return stop(`Not followed: more than ${MAX_REDIRECTS} redirects.`);
    if (target.protocol !== 'https:' && target.protocol !== 'http:') return stop(`Not followed: ${target.protocol} is not HTTP.`);
    const defaultPort = target.protocol === 'https:' ? '443' : '80';
    if (target.port && target.port !== defaultPort) return stop(`Not followed: port ${target.port} (only ${defaultPort} is contacted).`);
    if (target.username || target.password) return stop('Not followed: the URL carries credentials.');
    // Same host: the same address; another host: look it up (an IP literal is its own address).
    const hostname = target.hostname.replace(/^\[(.*)\]$/, '$1');
    let targetAddress: string | undefined = hostname === start.hostname ? address : parseIp(hostname) ? hostname : undefined;
    if (!targetAddress) {
      const resolved = await resolveBounded(ctx.resolve, hostname, signal, deadline);
      if (resolved === 'timeout' || resolved === 'aborted') return stop(`Not followed: the lookup of ${hostname} did not finish in time.`);
      if (!resolved.ok) return stop(`Not followed: ${resolved.message}`);
      targetAddress = resolved.addresses.find((a) => gateAddress(a, ctx.allowPrivate).ok);
      if (!targetAddress) return stop(`Not followed: ${hostname} has only addresses this check may not contact (${resolved.addresses.slice(0, 4).join(', ')}).`);
    }
    const gate = gateAddress(targetAddress, ctx.allowPrivate);
    if (!gate.ok) return stop(`Not followed: ${gate.message}`);
    current = target;
    result = await exchange(target, targetAddress, ctx, deadline, signal, tracker);
    const status2 = result.response?.status ?? 0;
    if (status2 >= 300 && status2 <= 399) continue; // the hop count is checked at the top
    const problems = [
      result.error?.message,
      target.protocol === 'http:' ? 'plain HTTP, without TLS' : certificateProblem(result, target.hostname),
    ].filter(Boolean);
    return {
      redirects,
      redirectTarget: {
        url: target.href.slice(0, 4096),
        ...(result.response ? { response: result.response } : {}),
        ...(problems.length ? { error: problems.join('; ').slice(0, 2048) } : {}),
      },
    };
  }
}

/** One address; `deadline` is the fetch's, started before the lookup of the policy host. */
async function attempt(url: URL, address: string, dnsMs: number | undefined, ctx: Context, deadline: number): Promise<PolicyAttempt> {
  const started = performance.now();
  const timings = (r: ExchangeResult['timings']): PolicyAttempt['timings'] => ({
    ...(dnsMs !== undefined ? { dnsMs } : {}),
    ...r,
    totalMs: performance.now() - started + (dnsMs ?? 0),
  });
  const gate = gateAddress(address, ctx.allowPrivate);
  if (!gate.ok) {
    return { address: address.slice(0, 64), error: { kind: 'blocked', message: gate.message }, redirects: [], timings: timings({}) };
  }
  const controller = new AbortController();
  const onAbort = (): void => controller.abort();
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  if (ctx.signal.aborted) controller.abort();
  const timer = setTimeout(() => controller.abort(), Math.max(0, deadline - Date.now()));
  const tracker = new SocketTracker();
  try {
    const first = await exchange(url, address, ctx, deadline, controller.signal, tracker);
    const { redirects, redirectTarget } = await followRedirects(url, first, address, ctx, deadline, controller.signal, tracker);
    let error = first.error;
    const certificate = certificateProblem(first, url.hostname);
    if (!error && certificate) {
      // What a sender would see: the fetch fails on this certificate (the body is still shown).
      error = { kind: 'tls', message: `Senders will refuse this policy host: ${certificate} (RFC 8461 §3.3).` };
    }
    return {
      address: address.slice(0, 64),
      ...(first.response ? { response: first.response } : {}),
      ...(error ? { error: { kind: error.kind, message: error.message.slice(0, 2048) } } : {}),
      ...(first.tls ? { tls: first.tls } : {}),
      redirects,
      ...(redirectTarget ? { redirectTarget } : {}),
      timings: timings(first.timings),
    };
  } catch (err) {
    // Defensive: nothing above should throw.
    return { address, error: { kind: 'other', message: `Internal error: ${String(err).slice(0, 500)}` }, redirects: [], timings: timings({}) };
  } finally {
    clearTimeout(timer);
    ctx.signal.removeEventListener('abort', onAbort);
    tracker.destroyAll();
  }
}

/** Fetch the policy of `domain` from each address of mta-sts.<domain>. Never throws. */
export async function fetchPolicyWithEvidence(domain: string, options: FetchPolicyOptions = {}): Promise<PolicyFetchResult> {
  const via = options.via ?? 'node';
  const aLabel = typeof domain === 'string' ? toALabel(domain) : undefined;
  const host = aLabel ? `mta-sts.${aLabel}` : `mta-sts.${String(domain).slice(0, 200)}`;
  const urlText = `https://${host}${POLICY_PATH}`;
  const base = { url: urlText.slice(0, 4096), host: host.slice(0, 255), via };
  const failed = (kind: 'dns' | 'other' | 'aborted' | 'timeout', message: string, dnsMs?: number): PolicyFetchResult => ({
    ...base,
    attempts: [{ error: { kind, message }, redirects: [], timings: { ...(dnsMs !== undefined ? { dnsMs } : {}), totalMs: dnsMs ?? 0 } }],
  });
  if (!aLabel || host.length > 253) return failed('other', `"${String(domain).slice(0, 100)}" is not a valid domain name.`);
  const url = new URL(urlText);
  const signal = options.signal ?? new AbortController().signal;
  const ctx: Context = {
    timeouts: resolveStepTimeouts(options.stepTimeouts, options.timeoutMs ?? POLICY_TIMEOUT_MS),
    allowPrivate: privateAllowed(options.allowPrivate),
    ...(options.ca ? { ca: options.ca } : {}),
    signal,
    resolve: options.resolve ?? systemHostResolver,
  };
  // One time limit for everything, the lookup of the policy host included: lookup plus a full
  // limit per address could outlast the caller's own deadline and lose the whole result.
  const deadline = Date.now() + ctx.timeouts.totalMs;
  let addresses = options.addresses;
  let dnsMs: number | undefined;
  if (!addresses) {
    const started = performance.now();
    const resolved = await resolveBounded(ctx.resolve, host, signal, deadline);
    dnsMs = performance.now() - started;
    if (resolved === 'aborted' || signal.aborted) return failed('aborted', 'The fetch was cancelled.', dnsMs);
    if (resolved !== 'timeout' && !resolved.ok) return failed('dns', resolved.message, dnsMs);
    if (resolved === 'timeout' || Date.now() >= deadline) {
      const limit = `${Number((ctx.timeouts.totalMs / 1000).toFixed(1))} s`;
      return failed('timeout', `Looking up ${host} (A and AAAA) took longer than the ${limit} time limit of the whole fetch.`, dnsMs);
    }
    addresses = resolved.addresses;
  }
  const unique = [...new Set(addresses.map(String))].slice(0, MAX_ATTEMPTS);
  if (unique.length === 0) {
    // Addresses the caller resolved itself and found none of, or a resolver that said ok with none.
    return failed('dns', options.addresses ? `No address of ${host} was given to fetch from.` : `${host} has no A or AAAA record.`, dnsMs);
  }
  const attempts = await Promise.all(unique.map((a) => attempt(url, a, dnsMs, ctx, deadline)));
  return { ...base, attempts };
}
