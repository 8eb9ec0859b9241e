// A fetch()-shaped client over node:http2 that trusts the test CA. unbound serves DoH over
// HTTP/2 only, and Node's global fetch cannot be given a CA per call; this keeps the product's
// DoH client (which takes any `fetch`) usable against the test resolver without undici.
import http2 from 'node:http2';
import type { FetchLike } from './dns-client.ts';

export interface H2FetchOptions {
  /** PEM certificates to trust (the test CA). */
  ca: string[];
  timeoutMs?: number;
  /** Cap on a response body. */
  maxBytes?: number;
}

export interface H2Fetch {
  fetch: FetchLike;
  /** Close the cached HTTP/2 sessions. */
  close(): void;
}

const NULL_BODY = new Set([101, 204, 205, 304]);

async function bodyBytes(body: unknown, req: Request | undefined): Promise<Uint8Array | undefined> {
  if (body == null) return req && req.body ? new Uint8Array(await req.arrayBuffer()) : undefined;
  if (typeof body === 'string') return new TextEncoder().encode(body);
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  throw new TypeError('h2-fetch: unsupported body type');
}

export function createH2Fetch(options: H2FetchOptions): H2Fetch {
  const timeoutMs = options.timeoutMs ?? 5000;
  const maxBytes = options.maxBytes ?? 1 << 20;
  const sessions = new Map<string, http2.ClientHttp2Session>();

  function session(origin: string): http2.ClientHttp2Session {
    const existing = sessions.get(origin);
    if (existing && !existing.closed && !existing.destroyed) return existing;
    const s = http2.connect(origin, { ca: options.ca });
    s.on('error', () => sessions.delete(origin));
    s.on('close', () => sessions.delete(origin));
    s.unref();
    sessions.set(origin, s);
    return s;
  }

  const fetchImpl: FetchLike = async (input, init) => {
    const req = input instanceof Request ? input : undefined;
    const url = new URL(req ? req.url : String(input));
    if (url.protocol !== 'https:') throw new TypeError(`h2-fetch: only https: URLs (${url.protocol})`);
    const method = (init?.method ?? req?.method ?? 'GET').toUpperCase();
    const headers = new Headers(req?.headers);
    new Headers(init?.headers).forEach((v, k) => headers.set(k, v));
    const body = await bodyBytes(init?.body, req);
    const signal = init?.signal ?? req?.signal ?? undefined;
    signal?.throwIfAborted();

    return new Promise<Response>((resolve, reject) => {
      const outgoing: http2.OutgoingHttpHeaders = {
        ':method': method,
        ':path': `${url.pathname}${url.search}`,
        ':authority': url.host,
      };
      headers.forEach((v, k) => {
        outgoing[k] = v;
      });
      let stream: http2.ClientHttp2Stream;
      try {
        stream = session(url.origin).request(outgoing, { endStream: !body });
      } catch (e) {
        reject(e);
        return;
      }
      let settled = false;
      const finish = (err: unknown, res?: Response): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        if (err !== undefined) {
          if (!stream.closed) stream.close(http2.constants.NGHTTP2_CANCEL);
          reject(err);
        } else if (res) resolve(res);
      };
      const onAbort = (): void => finish(signal?.reason ?? new DOMException('aborted', 'AbortError'));
      signal?.addEventListener('abort', onAbort, { once: true });
      const timer = setTimeout(() => finish(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError')), timeoutMs);

      let status = 0;
      const resHeaders = new Headers();
      const chunks: Buffer[] = [];
      let total = 0;
      stream.on('response', (h) => {
        status = Number(h[':status'] ?? 0);
        for (const [k, v] of Object.entries(h)) {
          if (k.startsWith(':') || v === undefined) continue;
          resHeaders.set(k, Array.isArray(v) ? v.join(', ') : String(v));
        }
      });
      stream.on('data', (c: Buffer) => {
        total += c.length;
        if (total > maxBytes) finish(new Error(`h2-fetch: body over ${maxBytes} bytes`));
        else chunks.push(c);
      });
      stream.on('end', () => {
        const payload = NULL_BODY.has(status) ? null : new Uint8Array(Buffer.concat(chunks));
        finish(undefined, new Response(payload, { status, headers: resHeaders }));
      });
      stream.on('error', (e) => finish(e));
      if (body) stream.end(body);
    });
  };

  return {
    fetch: fetchImpl,
    close() {
      for (const s of sessions.values()) s.close();
      sessions.clear();
    },
  };
}
