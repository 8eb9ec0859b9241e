// The result of fetching https://mta-sts.<domain>/.well-known/mta-sts.txt (RFC 8461 §3.3).
// Produced by the helper (full TLS evidence) or the browser's fetch() (less detail);
// interpreted by core/checks/policy-fetch.ts. The body is kept byte-exact (base64) so the
// policy parser can judge line terminators and encodings.
import { z } from 'zod';
import { TlsInfoSchema } from './tls.ts';

/** 64 KiB: RFC 8461 §3.3 suggests a maximum policy size of 64 kilobytes. */
export const POLICY_SIZE_LIMIT = 65536;
/** RFC 8461 §3.3: a suggested timeout of one minute. */
export const POLICY_TIMEOUT_MS = 60_000;

export const FetchErrorKindSchema = z.enum([
  'dns', // the policy host does not resolve
  'connect', // refused, unreachable
  'tls', // handshake failed or certificate rejected (see `tls`)
  'timeout',
  'too-large', // body over the cap (we stopped reading)
  'protocol', // not HTTP, garbage, bad encoding
  'blocked', // the browser or an extension blocked it, or permission missing
  'aborted',
  'other',
]);
export type FetchErrorKind = z.infer<typeof FetchErrorKindSchema>;

export const HttpResponseSchema = z.object({
  status: z.number().int().min(0).max(999),
  statusText: z.string().max(512).optional(),
  httpVersion: z.string().max(16).optional(),
  /** Lower-case names, in order received (capped). */
  headers: z.array(z.tuple([z.string().max(256), z.string().max(8192)])).max(200),
  /** The body bytes read, base64 (at most the cap plus a little, to say by how much it was exceeded). */
  bodyBase64: z.string().max(200_000),
  /** Bytes of body seen in total (may exceed what was kept). */
  bodyBytes: z.number().int().nonnegative(),
  /** We stopped reading at the cap: the body is longer than `bodyBytes`. */
  bodyTruncated: z.boolean(),
  /** Content-Encoding that was declared (we ask for identity and never inflate without a bound). */
  contentEncoding: z.string().max(128).optional(),
});
export type HttpResponse = z.infer<typeof HttpResponseSchema>;

export const RedirectHopSchema = z.object({
  url: z.string().max(4096),
  status: z.number().int(),
  location: z.string().max(4096).optional(),
});

export const PolicyAttemptSchema = z.object({
  /** The address connected to (absent when the browser chose). */
  address: z.string().max(64).optional(),
  /** What happened: a response (any status) or an error. */
  response: HttpResponseSchema.optional(),
  error: z.object({ kind: FetchErrorKindSchema, message: z.string().max(2048) }).optional(),
  tls: TlsInfoSchema.optional(),
  /** 3xx hops followed for diagnosis only (senders MUST NOT follow them), each with what it answered. */
  redirects: z.array(RedirectHopSchema).max(10),
  /** When redirects were followed: the final response. */
  redirectTarget: z
    .object({ url: z.string().max(4096), response: HttpResponseSchema.optional(), error: z.string().max(2048).optional() })
    .optional(),
  timings: z.object({
    dnsMs: z.number().nonnegative().optional(),
    connectMs: z.number().nonnegative().optional(),
    tlsMs: z.number().nonnegative().optional(),
    ttfbMs: z.number().nonnegative().optional(),
    totalMs: z.number().nonnegative(),
  }),
});
export type PolicyAttempt = z.infer<typeof PolicyAttemptSchema>;

export const PolicyFetchResultSchema = z.object({
  url: z.string().max(4096),
  host: z.string().max(255),
  /** Who fetched: the helper or CLI (full TLS evidence), or the browser (the browser does not say why TLS failed). */
  via: z.enum(['helper', 'node', 'browser']),
  /** One attempt per address of the policy host (helper), or a single one (browser). */
  attempts: z.array(PolicyAttemptSchema).max(32),
});
export type PolicyFetchResult = z.infer<typeof PolicyFetchResultSchema>;
