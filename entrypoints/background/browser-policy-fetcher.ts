// The policy fetch without the helper: the browser's fetch(). Less detail than the helper (no
// certificate, no per-address attempts, no redirect statuses), and it says so rather than guess.
// RFC 8461 §3.3: HTTPS GET of the well-known URL, no redirects honoured, a time and size limit.
import { startDeadline } from '../../core/deadline.ts';
import type { PolicyFetcher } from '../../core/ports.ts';
import {
  POLICY_SIZE_LIMIT,
  POLICY_TIMEOUT_MS,
  type HttpResponse,
  type PolicyAttempt,
  type PolicyFetchResult,
} from '../../core/protocol/policy-fetch.ts';

/** Read a little past the limit so the report can say the body is too large. */
const READ_CAP = POLICY_SIZE_LIMIT + 1024;

export interface BrowserPolicyFetcherOptions {
  fetch: typeof fetch;
  /** Whether `https://*\/*` is granted: without it the browser would block the cross-origin read. */
  hasHostPermission: () => Promise<boolean>;
  now?: () => number;
}

export const NO_PERMISSION_MESSAGE =
  'Fetching the policy without the helper needs access to https:// sites, which has not been granted. ' +
  'Grant it from the report ("Allow policy fetches"), or install the helper.';

export const BROWSER_OPAQUE_ERROR =
  'The browser could not fetch the policy: a DNS, connection or TLS (certificate) failure, and the browser does not say why. ' +
  'Install the helper (npx mta-sts-inspector host install) for the exact reason.';

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** Read at most `cap` bytes by streaming; count (up to the cap) what was seen. */
export async function readCapped(response: Response, cap: number): Promise<{ bytes: Uint8Array; seen: number; truncated: boolean }> {
  const chunks: Uint8Array[] = [];
  let seen = 0;
  let truncated = false;
  const reader = response.body?.getReader();
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const room = cap - seen;
      if (value.byteLength > room) {
        chunks.push(value.subarray(0, room));
        seen += value.byteLength;
        truncated = true;
        await reader.cancel().catch(() => undefined);
        break;
      }
      chunks.push(value);
      seen += value.byteLength;
    }
  }
  const bytes = new Uint8Array(Math.min(seen, cap));
  let off = 0;
  for (const c of chunks) {
    bytes.set(c, off);
    off += c.byteLength;
  }
  return { bytes, seen, truncated };
}

function headersOf(response: Response): [string, string][] {
  const out: [string, string][] = [];
  response.headers.forEach((value, name) => {
    if (out.length < 200) out.push([name.toLowerCase().slice(0, 256), value.slice(0, 8192)]);
  });
  return out;
}

async function toHttpResponse(response: Response): Promise<HttpResponse> {
  const body = await readCapped(response, READ_CAP);
  const encoding = response.headers.get('content-encoding');
  return {
    status: response.status,
    statusText: response.statusText.slice(0, 512) || undefined,
    headers: headersOf(response),
    bodyBase64: toBase64(body.bytes),
    bodyBytes: body.seen,
    bodyTruncated: body.truncated,
    ...(encoding ? { contentEncoding: encoding.slice(0, 128) } : {}),
  };
}

export function browserPolicyFetcher(o: BrowserPolicyFetcherOptions): PolicyFetcher {
  const now = o.now ?? (() => Date.now());
  return {
    async fetchPolicy(domain, options = {}): Promise<PolicyFetchResult> {
      const host = `mta-sts.${domain}`;
      const url = `https://${host}/.well-known/mta-sts.txt`;
      const start = now();
      const result = (attempt: Omit<PolicyAttempt, 'timings' | 'redirects'> & Partial<Pick<PolicyAttempt, 'redirects'>>): PolicyFetchResult => ({
        url,
        host,
        via: 'browser',
        attempts: [{ redirects: [], ...attempt, timings: { totalMs: now() - start } }],
      });

      if (!(await o.hasHostPermission().catch(() => false))) {
        return result({ error: { kind: 'blocked', message: NO_PERMISSION_MESSAGE } });
      }
      const timeoutMs = Math.min(options.timeoutMs ?? POLICY_TIMEOUT_MS, POLICY_TIMEOUT_MS);
      const deadline = startDeadline(timeoutMs, options.signal);
      try {
        const response = await o.fetch(url, {
          method: 'GET',
          cache: 'no-store',
          credentials: 'omit',
          redirect: 'follow',
          referrerPolicy: 'no-referrer',
          headers: { accept: 'text/plain' },
          signal: deadline.signal,
        });
        const http = await toHttpResponse(response);
        if (response.redirected) {
          // The browser followed the redirect and hides the 3xx status: report the hop as unknown (0).
          return result({
            redirects: [{ url, status: 0, location: response.url.slice(0, 4096) }],
            redirectTarget: { url: response.url.slice(0, 4096), response: http },
            // 'other', not 'protocol': the HTTP was fine, the redirect itself is the failure.
            error: {
              kind: 'other',
              message: `the server redirected to ${response.url.slice(0, 512)} (the browser followed it and does not say with which status). Senders MUST NOT follow redirects (RFC 8461 §3.3), so for them there is no policy`,
            },
          });
        }
        return result({ response: http });
      } catch (e) {
        if (deadline.timedOut()) return result({ error: { kind: 'timeout', message: `no complete answer within ${timeoutMs} ms` } });
        if (options.signal?.aborted) return result({ error: { kind: 'aborted', message: 'The fetch was cancelled.' } });
        const detail = e instanceof Error && e.message ? ` (${e.message.slice(0, 200)})` : '';
        return result({ error: { kind: 'other', message: `${BROWSER_OPAQUE_ERROR}${detail}` } });
      } finally {
        deadline.dispose();
      }
    },
  };
}
