// `--resolver system`: plain DNS to the nameservers of /etc/resolv.conf, UDP first and TCP
// when the answer is truncated (RFC 1035 §4.2.1, RFC 7766 §5), with the DO bit so a validating
// resolver's AD flag is still seen. Same codec and classification as the DoH client.
import { startDeadline } from '../../core/deadline.ts';
import { readFileSync } from 'node:fs';
import { answerFromResponse, elapsedSince, errorAnswer, now } from '../../core/dns/answer.ts';
import { decodeResponse, encodeQuery, type DecodeExpectation } from '../../core/dns/codec.ts';
import { abortedAnswer, memoizeResolver } from '../../core/dns/memo.ts';
import type { DnsAnswer, QueryOptions, Resolver, RRType } from '../../core/dns/types.ts';
import { DEFAULT_NAMESERVER, formatServer, parseResolvConf, parseServerAddress, type ServerAddress } from './resolv-conf.ts';
import { tcpExchange, udpExchange, type Exchange } from './transport.ts';

export interface SystemResolverOptions {
  /** "host" or "host:port" ("[v6]:port"); default: the nameservers of /etc/resolv.conf, else 127.0.0.1. */
  nameservers?: string[];
  /** Per attempt, UDP and any TCP fallback together. Default 5000. */
  timeoutMs?: number;
  /** Extra attempts after a timeout or network error, on the next nameserver. Default 1. */
  retries?: number;
  /** Answers kept for their TTL (identical in-flight queries are always shared). */
  cache?: boolean;
  resolvConfPath?: string;
}

type Config = { servers: ServerAddress[]; timeoutMs: number; retries: number };
type Failure = Extract<Exchange, { ok: false }>;

function systemNameservers(path: string): string[] {
  try {
    const found = parseResolvConf(readFileSync(path, 'utf8'));
    return found.length ? found : [DEFAULT_NAMESERVER];
  } catch {
    return [DEFAULT_NAMESERVER];
  }
}

export function createSystemResolver(options: SystemResolverOptions = {}): Resolver {
  const listed = options.nameservers?.length ? options.nameservers : systemNameservers(options.resolvConfPath ?? '/etc/resolv.conf');
  const servers = listed.map(parseServerAddress).filter((s): s is ServerAddress => s !== undefined);
  const cfg: Config = {
    servers,
    timeoutMs: Math.min(60_000, Math.max(1, Math.floor(options.timeoutMs ?? 5000))),
    retries: Math.min(5, Math.max(0, Math.floor(options.retries ?? 1))),
  };
  const raw: Resolver = {
    name: 'system',
    url: `system (${servers.length ? servers.map(formatServer).join(', ') : 'no usable nameserver'})`,
    query: <T extends RRType>(name: string, type: T, opts?: QueryOptions) => systemQuery(cfg, name, type, opts?.signal),
  };
  return memoizeResolver(raw, { cache: options.cache ?? false });
}

async function systemQuery<T extends RRType>(cfg: Config, name: string, type: T, signal?: AbortSignal): Promise<DnsAnswer<T>> {
  const started = now();
  if (cfg.servers.length === 0) {
    return errorAnswer(name, type, 'other', 'No usable nameserver: give addresses such as 192.0.2.53 or [2001:db8::53]:53.', 0);
  }
  const attempts = cfg.retries + 1;
  let last: Failure | undefined;
  for (let i = 0; i < attempts; i++) {
    if (signal?.aborted) return abortedAnswer(name, type, elapsedSince(started));
    const server = cfg.servers[i % cfg.servers.length] as ServerAddress;
    // A fresh random id each attempt (RFC 5452 §9.2).
    const encoded = encodeQuery(name, type);
    if (!encoded.ok) return errorAnswer(name, type, 'other', `${name} cannot be looked up: ${encoded.message}.`, 0);
    const expect: DecodeExpectation = { name: encoded.name, type, id: encoded.id };
    const who = `the system resolver ${formatServer(server)}`;
    const result = await attempt(server, encoded.bytes, expect, cfg.timeoutMs, signal);
    if (result.ok) {
      const decoded = decodeResponse(result.bytes, expect);
      if (!decoded.ok) return errorAnswer(name, type, 'malformed', `${who} sent an answer for ${name} ${type} that cannot be used: ${decoded.message}.`, elapsedSince(started));
      return answerFromResponse(decoded.response, name, type, who, elapsedSince(started));
    }
    if (result.kind === 'aborted') return abortedAnswer(name, type, elapsedSince(started));
    last = { ...result, message: result.kind === 'timeout' ? `${who} did not answer within ${cfg.timeoutMs} ms` : `${who}: ${result.message}` };
    if (result.kind === 'malformed') break;
  }
  const failure = last as Failure;
  const tries = failure.kind !== 'malformed' && attempts > 1 ? ` (tried ${attempts} times)` : '';
  return errorAnswer(name, type, failure.kind, `${failure.message}${tries}.`, elapsedSince(started));
}

/** UDP, then TCP to the same server if the UDP answer has TC set; one deadline for both. */
async function attempt(server: ServerAddress, query: Uint8Array, expect: DecodeExpectation, timeoutMs: number, signal?: AbortSignal): Promise<Exchange> {
  const deadline = startDeadline(timeoutMs, signal);
  try {
    // Datagrams answering another query (stale or spoofed) are ignored, not fatal.
    const isAnswer = (bytes: Uint8Array) => {
      const decoded = decodeResponse(bytes, expect);
      return decoded.ok || decoded.kind !== 'mismatch';
    };
    let result = await udpExchange(server, query, isAnswer, deadline.signal);
    if (result.ok) {
      const decoded = decodeResponse(result.bytes, expect);
      if (decoded.ok && decoded.response.header.tc) result = await tcpExchange(server, query, deadline.signal);
    }
    if (!result.ok && result.kind === 'aborted' && deadline.timedOut() && !signal?.aborted) {
      return { ok: false, kind: 'timeout', message: `no answer within ${timeoutMs} ms` };
    }
    return result;
  } finally {
    deadline.dispose();
  }
}
