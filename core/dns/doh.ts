// DNS over HTTPS (RFC 8484) behind the Resolver port. Every failure is a DnsAnswer value
// whose message says what went wrong and where: the DNS answer, the HTTP exchange, or the network.
import { startDeadline } from '../deadline.ts';
import { abortedAnswer, memoizeResolver } from './memo.ts';
import { answerFromResponse, elapsedSince, errorAnswer, now } from './answer.ts';
import { decodeResponse, encodeQuery } from './codec.ts';
import type { DnsAnswer, DnsErrorKind, QueryOptions, Resolver, RRType } from './types.ts';

export const DNS_MESSAGE_TYPE = 'application/dns-message';
/** A DNS message is at most 65535 bytes (RFC 8484 §6 inherits RFC 1035's 16-bit length). */
export const MAX_DOH_BODY_BYTES = 64 * 1024;
const MAX_ERROR_BODY_BYTES = 4096;

export const BUILTIN_RESOLVERS = [
  { id: 'cloudflare', name: 'Cloudflare', url: 'https://cloudflare-dns.com/dns-query' },
  { id: 'google', name: 'Google', url: 'https://dns.google/dns-query' },
  { id: 'quad9', name: 'Quad9', url: 'https://dns.quad9.net/dns-query' },
] as const;
export type BuiltinResolverId = (typeof BUILTIN_RESOLVERS)[number]['id'];

export interface DohResolverOptions {
  /** Shown in reports: "Cloudflare", "custom". */
  name: string;
  url: string;
  fetch?: typeof fetch;
  /** GET (default) is cache-friendly (RFC 8484 §4.1); POST sends the query as the body. */
  method?: 'GET' | 'POST';
  /** Per attempt, covering the HTTP exchange and reading the body. Default 5000. */
  timeoutMs?: number;
  /** Extra attempts after a timeout, network error or HTTP 5xx. Default 1. */
  retries?: number;
  /** Keep answers for their TTL (bounded); identical in-flight queries are always shared. */
  cache?: boolean;
}

type Config = Required<Omit<DohResolverOptions, 'cache'>>;

type Attempt =
  | { ok: true; bytes: Uint8Array }
  | { ok: false; kind: DnsErrorKind; message: string; retryable: boolean };

export function createDohResolver(options: DohResolverOptions): Resolver {
  const cfg: Config = {
    name: options.name,
    url: options.url,
    fetch: options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
    method: options.method ?? 'GET',
    timeoutMs: clamp(options.timeoutMs ?? 5000, 1, 60_000),
    retries: clamp(options.retries ?? 1, 0, 5),
  };
  const raw: Resolver = {
    name: cfg.name,
    url: cfg.url,
    query: <T extends RRType>(name: string, type: T, opts?: QueryOptions) => dohQuery(cfg, name, type, opts?.signal),
  };
  return memoizeResolver(raw, { cache: options.cache ?? false });
}

/** A resolver for a setting: a built-in id, or a custom RFC 8484 URL (https:, or http: on loopback for tests). */
export function resolverFromSetting(idOrUrl: string, fetchImpl?: typeof fetch): Resolver | { error: string } {
  // RFC 8484 §4.1 documents endpoints as URI templates ("…/dns-query{?dns}"): accept them pasted whole.
  const setting = idOrUrl.trim().replace(/\{\?dns\}$/, '');
  if (setting.length > 2048) return { error: 'The DoH URL is longer than 2048 characters.' };
  const builtin = BUILTIN_RESOLVERS.find((r) => r.id === setting.toLowerCase());
  if (builtin) return createDohResolver({ name: builtin.name, url: builtin.url, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
  if (setting.toLowerCase() === 'system') return { error: 'The system resolver is only available in the command-line tool (--resolver system).' };
  let url: URL;
  try {
    url = new URL(setting);
  } catch {
    return { error: `"${setting.slice(0, 100)}" is not cloudflare, google, quad9 or a DoH URL such as https://dns.example/dns-query.` };
  }
  if (url.username || url.password) return { error: 'A DoH URL must not carry a user name or password.' };
  if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
    return { error: `A DoH resolver must use https: (RFC 8484 §5); plain http: is allowed only on loopback, not ${url.hostname}.` };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { error: `A DoH resolver URL must start with https:, not ${url.protocol}` };
  url.hash = '';
  return createDohResolver({ name: 'custom', url: url.href, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
}

function isLoopbackHost(hostname: string): boolean {
  // URL has already normalised IPv4 forms (0x7f.1 → 127.0.0.1) and brackets IPv6.
  return /^127\.\d+\.\d+\.\d+$/.test(hostname) || hostname === '[::1]' || hostname === 'localhost';
}

async function dohQuery<T extends RRType>(cfg: Config, name: string, type: T, signal?: AbortSignal): Promise<DnsAnswer<T>> {
  const started = now();
  // RFC 8484 §4.1: GET uses id 0 so HTTP caches can share answers; POST keeps a random id to check.
  const encoded = encodeQuery(name, type, cfg.method === 'GET' ? { id: 0 } : {});
  if (!encoded.ok) return errorAnswer(name, type, 'other', `${name} cannot be looked up: ${encoded.message}.`, 0);
  const attempts = cfg.retries + 1;
  let last: Extract<Attempt, { ok: false }> | undefined;
  for (let i = 0; i < attempts; i++) {
    if (signal?.aborted) return abortedAnswer(name, type, elapsedSince(started));
    const result = await attempt(cfg, encoded.bytes, signal);
    if (result.ok) {
      const decoded = decodeResponse(result.bytes, cfg.method === 'GET' ? { name: encoded.name, type } : { name: encoded.name, type, id: encoded.id });
      const who = `the DNS resolver ${cfg.name}`;
      if (!decoded.ok) {
        return errorAnswer(name, type, 'malformed', `${who} sent an answer for ${name} ${type} that cannot be used: ${decoded.message}.`, elapsedSince(started));
      }
      return answerFromResponse(decoded.response, name, type, who, elapsedSince(started));
    }
    if (result.kind === 'aborted') return abortedAnswer(name, type, elapsedSince(started));
    last = result;
    if (!result.retryable) break;
  }
  const failure = last as Extract<Attempt, { ok: false }>;
  const tries = last?.retryable && attempts > 1 ? ` (tried ${attempts} times)` : '';
  return errorAnswer(name, type, failure.kind, `${failure.message}${tries}.`, elapsedSince(started));
}

async function attempt(cfg: Config, query: Uint8Array, signal?: AbortSignal): Promise<Attempt> {
  const deadline = startDeadline(cfg.timeoutMs, signal);
  const who = `the DNS resolver ${cfg.name} (${cfg.url})`;
  try {
    const url = new URL(cfg.url);
    const headers: Record<string, string> = { accept: DNS_MESSAGE_TYPE };
    const init: RequestInit = { method: cfg.method, headers, signal: deadline.signal, credentials: 'omit', redirect: 'follow' };
    if (cfg.method === 'GET') {
      url.searchParams.set('dns', base64url(query));
    } else {
      headers['content-type'] = DNS_MESSAGE_TYPE;
      // why: TS's BodyInit wants an ArrayBuffer-backed view; ours always is.
      init.body = query as Uint8Array<ArrayBuffer>;
    }
    const res = await cfg.fetch(url.href, init);
    const contentType = (res.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
    if (!res.ok) {
      const peek = await readCapped(res, MAX_ERROR_BODY_BYTES).catch(() => undefined);
      const html = peek && looksLikeHtml(contentType, peek.bytes) ? ', an HTML page' : '';
      const hint = res.status >= 500 ? 'a server error' : res.status === 400 || res.status === 415 ? 'the server did not accept the DNS query' : 'not a DNS answer';
      return { ok: false, kind: 'http', retryable: res.status >= 500, message: `${who} answered HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''} (${hint}${html})` };
    }
    if (contentType !== DNS_MESSAGE_TYPE) {
      const peek = await readCapped(res, MAX_ERROR_BODY_BYTES).catch(() => undefined);
      const html = peek && looksLikeHtml(contentType, peek.bytes) ? ': an HTML page, so this is probably not the address of a DoH endpoint' : '';
      return {
        ok: false,
        kind: 'http',
        retryable: false,
        message: `${who} answered with content type "${contentType || 'none'}" instead of ${DNS_MESSAGE_TYPE} (RFC 8484 §6)${html}`,
      };
    }
    const body = await readCapped(res, MAX_DOH_BODY_BYTES);
    if (body.overflow) {
      return { ok: false, kind: 'malformed', retryable: false, message: `${who} sent an answer larger than ${MAX_DOH_BODY_BYTES} bytes, more than any DNS message (RFC 1035 §4.2.2)` };
    }
    return { ok: true, bytes: body.bytes };
  } catch (err) {
    if (signal?.aborted) return { ok: false, kind: 'aborted', retryable: false, message: 'The lookup was cancelled' };
    if (deadline.timedOut()) return { ok: false, kind: 'timeout', retryable: true, message: `${who} did not answer within ${cfg.timeoutMs} ms` };
    return { ok: false, kind: 'network', retryable: true, message: `${who} could not be reached: ${describeError(err)}` };
  } finally {
    deadline.dispose();
  }
}

/** Reads at most `cap` bytes, whatever Content-Length claims; stops (and cancels) past it. */
async function readCapped(res: Response, cap: number): Promise<{ bytes: Uint8Array; overflow: boolean }> {
  if (!res.body) return { bytes: new Uint8Array(0), overflow: false };
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > cap) {
      await reader.cancel().catch(() => undefined);
      return { bytes: concat(chunks, total - value.byteLength), overflow: true };
    }
    chunks.push(value);
  }
  return { bytes: concat(chunks, total), overflow: false };
}

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.byteLength;
  }
  return out;
}

function looksLikeHtml(contentType: string, body: Uint8Array): boolean {
  if (contentType === 'text/html' || contentType === 'application/xhtml+xml') return true;
  const start = new TextDecoder().decode(body.subarray(0, 512)).trimStart().toLowerCase();
  return start.startsWith('<!doctype html') || start.startsWith('<html');
}

/** base64url without padding (RFC 8484 §4.1, RFC 4648 §5). */
export function base64url(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function describeError(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  // Node's fetch hides the socket error in `cause` ("fetch failed" alone helps nobody).
  const cause = (err as Error & { cause?: unknown }).cause;
  const detail = cause instanceof Error ? `${cause.message}${'code' in cause ? ` (${String(cause.code)})` : ''}` : '';
  return detail ? `${err.message}: ${detail}` : err.message;
}

function clamp(value: number, min: number, max: number): number {
  return Number.isFinite(value) ? Math.min(max, Math.max(min, Math.floor(value))) : min;
}
