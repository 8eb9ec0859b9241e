// The result of probing one MX host on port 25 (RFC 3207 STARTTLS), every address in parallel.
// Produced by the helper (native-host/probe/), interpreted by core/checks/starttls.ts.
import { z } from 'zod';
import { TlsInfoSchema } from './tls.ts';

export const ProbeStepSchema = z.enum(['connect', 'banner', 'ehlo', 'starttls', 'tls', 'ehlo-after-tls', 'quit']);
export type ProbeStep = z.infer<typeof ProbeStepSchema>;

/**
 * How the probe of one address ended:
 * - `ok`: STARTTLS offered, accepted, handshake completed (the certificate may still be bad: see `tls`).
 * - `refused`: TCP connection refused.            - `timeout`: a step took too long (see `step`).
 * - `unreachable`: no route / network down.        - `closed`: the server closed the connection (see `step`).
 * - `greeting-rejected`: 4xx/5xx greeting (e.g. 421 too many connections, 554 no service).
 * - `ehlo-rejected`: EHLO answered 4xx/5xx.         - `no-starttls`: EHLO did not advertise STARTTLS.
 * - `starttls-rejected`: STARTTLS answered other than 220 (454 temporarily unavailable, 501, ...).
 * - `tls-failed`: the TLS handshake failed (alert, garbage, protocol mismatch).
 * - `protocol-error`: the server broke SMTP (over-long lines, too many lines, garbage).
 * - `refused-private`: not probed: a loopback, private or link-local address (public senders cannot reach it).
 * - `error`: anything else (see `message`).
 */
export const ProbeOutcomeSchema = z.enum([
  'ok',
  'refused',
  'timeout',
  'unreachable',
  'closed',
  'greeting-rejected',
  'ehlo-rejected',
  'no-starttls',
  'starttls-rejected',
  'tls-failed',
  'protocol-error',
  'refused-private',
  'error',
]);
export type ProbeOutcome = z.infer<typeof ProbeOutcomeSchema>;

export const SmtpReplySchema = z.object({
  code: z.number().int().min(0).max(999),
  /** Reply text lines without the code, each capped. */
  lines: z.array(z.string().max(1024)).max(200),
});
export type SmtpReply = z.infer<typeof SmtpReplySchema>;

export const AddressProbeSchema = z.object({
  address: z.string().max(64),
  family: z.union([z.literal(4), z.literal(6)]),
  outcome: ProbeOutcomeSchema,
  /** The step at which the probe stopped (or the last one, when it completed). */
  step: ProbeStepSchema,
  /** A sentence a postmaster understands. */
  message: z.string().max(2048),
  greeting: SmtpReplySchema.optional(),
  ehlo: SmtpReplySchema.optional(),
  /** EHLO advertised STARTTLS. */
  starttlsOffered: z.boolean().optional(),
  starttlsReply: SmtpReplySchema.optional(),
  /** With SNI = the MX host name. */
  tls: TlsInfoSchema.optional(),
  /** A second handshake without SNI (RFC 8461 §7.1: servers must not require SNI). */
  noSni: z
    .object({
      handshakeCompleted: z.boolean(),
      /** The leaf differs from the one presented with SNI. */
      differentCertificate: z.boolean().optional(),
      leafSha256: z.string().optional(),
      error: z.string().max(1024).optional(),
    })
    .optional(),
  /** EHLO after TLS advertised STARTTLS again (RFC 3207 §4.2 forbids it). */
  starttlsAfterTls: z.boolean().optional(),
  timings: z.object({
    connectMs: z.number().nonnegative().optional(),
    bannerMs: z.number().nonnegative().optional(),
    tlsMs: z.number().nonnegative().optional(),
    totalMs: z.number().nonnegative(),
  }),
});
export type AddressProbe = z.infer<typeof AddressProbeSchema>;

export const MxProbeResultSchema = z.object({
  host: z.string().max(255),
  port: z.number().int().min(1).max(65535),
  addresses: z.array(AddressProbeSchema).max(64),
});
export type MxProbeResult = z.infer<typeof MxProbeResultSchema>;
