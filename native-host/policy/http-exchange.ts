// One bounded HTTP/1.1 GET over a connection we open ourselves (so the TLS evidence is ours):
// connect to a chosen address, TLS with SNI, request with `accept-encoding: identity`, read the
// status, headers and at most a capped number of body bytes, never decompressing.
import http from 'node:http';
import type net from 'node:net';
import type { FetchErrorKind, HttpResponse } from '../../core/protocol/policy-fetch.ts';
import { POLICY_SIZE_LIMIT } from '../../core/protocol/policy-fetch.ts';
import type { TlsInfo } from '../../core/protocol/tls.ts';
import { SocketTracker, connectTcp, upgradeToTls } from '../net/socket.ts';
import { failedTlsInfo, tlsInfoFromSocket } from '../tls/tls-info.ts';

/** Body bytes kept: the policy limit plus a little, so the report can show where it went over. */
export const BODY_KEEP_BYTES = POLICY_SIZE_LIMIT + 4096;
/** We stop reading here: enough to say "at least N bytes" without downloading a flood. */
export const BODY_READ_LIMIT = 1024 * 1024;
const MAX_HEADERS = 200;
const MAX_HEADER_NAME = 256;
const MAX_HEADER_VALUE = 8192;
const USER_AGENT = 'mta-sts-inspector/0.1 (+RFC 8461 policy check)';

export interface ExchangeRequest {
  url: URL;
  address: string;
  family: 4 | 6;
  /** Expected host for the certificate (the URL's host name). */
  host: string;
  connectMs: number;
  stepMs: number;
  deadline: number;
  ca?: string[];
  signal: AbortSignal;
  tracker: SocketTracker;
}

export interface ExchangeResult {
  response?: HttpResponse;
  error?: { kind: FetchErrorKind; message: string };
  tls?: TlsInfo;
  timings: { connectMs?: number; tlsMs?: number; ttfbMs?: number };
}

function seconds(ms: number): string {
  return `${Math.ceil(ms / 1000)} s`;
}

function headerPairs(raw: string[]): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (let i = 0; i + 1 < raw.length && out.length < MAX_HEADERS; i += 2) {
    out.push([(raw[i] ?? '').toLowerCase().slice(0, MAX_HEADER_NAME), (raw[i + 1] ?? '').slice(0, MAX_HEADER_VALUE)]);
  }
  return out;
}

/** GET `url` from `address`. Never throws. */
export async function httpExchange(req: ExchangeRequest): Promise<ExchangeResult> {
  const timings: ExchangeResult['timings'] = {};
  const remaining = (ms: number): number => Math.max(1, Math.min(ms, req.deadline - Date.now()));
  const aborted = (): ExchangeResult['error'] =>
    Date.now() >= req.deadline
      ? { kind: 'timeout', message: 'The time limit for the whole fetch ran out.' }
      : { kind: 'aborted', message: 'The fetch was cancelled.' };
  const isHttps = req.url.protocol === 'https:';
  const port = Number(req.url.port) || (isHttps ? 443 : 80);

  const connectMs = remaining(req.connectMs);
  const tcp = await connectTcp(req.address, port, req.family, connectMs, req.tracker, req.signal);
  if (!tcp.ok) {
    // A step cut short by the whole-fetch deadline is said as such, not as "no answer within 0 s".
    if (tcp.kind === 'aborted' || (tcp.kind === 'timeout' && Date.now() >= req.deadline)) return { error: aborted(), timings };
    if (tcp.kind === 'timeout') {
      return { error: { kind: 'timeout', message: `No answer to the TCP connection to ${req.address} port ${port} within ${seconds(connectMs)}.` }, timings };
    }
    const why = tcp.kind === 'refused' ? 'connection refused' : tcp.kind === 'unreachable' ? 'no route to the address' : tcp.message;
    return { error: { kind: 'connect', message: `Could not connect to ${req.address} port ${port}: ${why} (${tcp.code ?? 'error'}).` }, timings };
  }
  timings.connectMs = tcp.ms;
  let socket: net.Socket = tcp.socket;
  let tlsInfo: TlsInfo | undefined;
  if (isHttps) {
    const tlsMs = remaining(req.stepMs);
    const upgraded = await upgradeToTls(socket, req.host, req.ca, tlsMs, req.tracker, req.signal);
    if (!upgraded.ok) {
      const tls = failedTlsInfo({ code: upgraded.code, message: upgraded.message }, req.host);
      if (upgraded.kind === 'aborted' || (upgraded.kind === 'timeout' && Date.now() >= req.deadline)) return { error: aborted(), tls, timings };
      if (upgraded.kind === 'timeout') {
        return { error: { kind: 'timeout', message: `The TLS handshake with ${req.address} did not finish within ${seconds(tlsMs)}.` }, tls, timings };
      }
      return { error: { kind: 'tls', message: `The TLS handshake with ${req.address} failed: ${upgraded.message}.` }, tls, timings };
    }
    timings.tlsMs = upgraded.ms;
    socket = upgraded.socket;
    tlsInfo = tlsInfoFromSocket(upgraded.socket, req.host, { servername: req.host });
  }
  const result = await getOverSocket(req, socket, remaining, aborted);
  return { ...result, ...(tlsInfo ? { tls: tlsInfo } : {}), timings: { ...timings, ...result.timings } };
}

function getOverSocket(
  req: ExchangeRequest,
  socket: net.Socket,
  remaining: (ms: number) => number,
  aborted: () => ExchangeResult['error'],
): Promise<ExchangeResult> {
  return new Promise((resolve) => {
    const sentAt = performance.now();
    const timings: ExchangeResult['timings'] = {};
    let response: HttpResponse | undefined;
    const kept: Buffer[] = [];
    let keptBytes = 0;
    let seenBytes = 0;
    let settled = false;
    let timer: NodeJS.Timeout | undefined;

    const snapshot = (truncated: boolean): HttpResponse | undefined =>
      response && {
        ...response,
        bodyBase64: Buffer.concat(kept).toString('base64'),
        bodyBytes: seenBytes,
        bodyTruncated: truncated,
      };
    const finish = (error?: ExchangeResult['error'], truncated = false): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.signal.removeEventListener('abort', onAbort);
      const res = snapshot(truncated);
      if (!error && res && res.bodyBytes > POLICY_SIZE_LIMIT) {
        error = {
          kind: 'too-large',
          message: `The body is ${truncated ? 'at least ' : ''}${res.bodyBytes} bytes, over the ${POLICY_SIZE_LIMIT}-byte (64 KiB) limit that senders may apply (RFC 8461 §3.3).`,
        };
      }
      request.destroy();
      socket.destroy();
      resolve({ ...(res ? { response: res } : {}), ...(error ? { error } : {}), timings });
    };
    // The whole-fetch deadline ends a slow body too: say how far it got.
    const onAbort = (): void =>
      finish(
        response && Date.now() >= req.deadline
          ? { kind: 'timeout', message: `The body did not finish within the time limit (${seenBytes} bytes received so far).` }
          : aborted(),
        true,
      );
    const arm = (ms: number, message: () => string): void => {
      clearTimeout(timer);
      timer = setTimeout(() => finish({ kind: 'timeout', message: message() }, true), ms);
    };

    const hostHeader = req.url.port ? `${req.url.hostname}:${req.url.port}` : req.url.hostname;
    const request = http.request({
      method: 'GET',
      path: `${req.url.pathname}${req.url.search}`,
      createConnection: () => socket,
      // No cache validators, no cache directives: what a sender sends (RFC 8461 §3.3: no HTTP caching).
      headers: { host: hostHeader, 'user-agent': USER_AGENT, accept: '*/*', 'accept-encoding': 'identity', connection: 'close' },
    });
    request.on('error', (err: NodeJS.ErrnoException) => {
      const code = err.code ?? 'ERROR';
      if (code.startsWith('HPE_')) return finish({ kind: 'protocol', message: `The server did not answer with valid HTTP (${code}: ${err.message}).` });
      if (!response) return finish({ kind: code === 'ECONNRESET' ? 'protocol' : 'other', message: `The server closed the connection without an HTTP response (${code}).` });
      finish({ kind: 'other', message: `The connection failed while reading the body (${code}).` }, true);
    });
    request.on('response', (res: http.IncomingMessage) => {
      timings.ttfbMs = performance.now() - sentAt;
      const headers = headerPairs(res.rawHeaders);
      const encoding = res.headers['content-encoding'];
      response = {
        status: res.statusCode ?? 0,
        ...(res.statusMessage ? { statusText: res.statusMessage.slice(0, 512) } : {}),
        httpVersion: res.httpVersion.slice(0, 16),
        headers,
        bodyBase64: '',
        bodyBytes: 0,
        bodyTruncated: false,
        ...(encoding ? { contentEncoding: encoding.slice(0, 128) } : {}),
      };
      arm(remaining(Number.MAX_SAFE_INTEGER), () => `The body did not finish within the time limit (${seenBytes} bytes received so far).`);
      res.on('data', (chunk: Buffer) => {
        seenBytes += chunk.length;
        if (keptBytes < BODY_KEEP_BYTES) {
          const part = chunk.subarray(0, BODY_KEEP_BYTES - keptBytes);
          kept.push(part);
          keptBytes += part.length;
        }
        if (seenBytes >= BODY_READ_LIMIT) finish(undefined, true);
      });
      res.on('end', () => finish());
      res.on('aborted', () => finish({ kind: 'other', message: `The server closed the connection in the middle of the body (${seenBytes} bytes received).` }, true));
      res.on('error', () => finish({ kind: 'other', message: `The connection failed in the middle of the body (${seenBytes} bytes received).` }, true));
    });
    if (req.signal.aborted) return finish(aborted());
    req.signal.addEventListener('abort', onAbort, { once: true });
    const waitMs = remaining(req.stepMs);
    arm(waitMs, () => `The server accepted the request but sent no response headers within ${seconds(waitMs)}.`);
    request.end();
  });
}
