// The evidence of the `dane` check: per MX host, the TLSA answer and its DNSSEC state, each record
// with its verdict, and per probed address which record matched which certificate.
import { z } from 'zod';
import { DnsQueryEvidenceSchema } from '../checks/dns-evidence.ts';
import { ProbeOutcomeSchema } from '../protocol/probe.ts';
import { CheckStatusSchema, PolicyModeSchema } from '../report/schema.ts';

/**
 * The TLSA RRset as a sender sees it (RFC 7672 §2.1.1, §2.2):
 * - `secure`: records, DNSSEC-validated (AD): DANE applies.
 * - `insecure`: records, not validated: senders ignore them.
 * - `absent`: NXDOMAIN or NODATA (see `query.ad` for authenticated denial).
 * - `bogus`: SERVFAIL with a DNSSEC Extended DNS Error: senders treat the host as unreachable.
 * - `lookup-failed`: no usable answer (resolver error, timeout, SERVFAIL without a reason).
 */
export const TlsaStateSchema = z.enum(['secure', 'insecure', 'absent', 'bogus', 'lookup-failed']);
export type TlsaState = z.infer<typeof TlsaStateSchema>;

export const DaneCertRefSchema = z.object({
  address: z.string(),
  /** Position in the presented chain, 0 = the leaf. */
  depth: z.number().int().nonnegative(),
  subject: z.string(),
  sha256: z.string(),
});

export const DaneRecordEvidenceSchema = z.object({
  /** `3 1 1 <hex>` (RFC 8460 §4.5 form). */
  text: z.string(),
  /** `DANE-EE(3) SPKI(1) SHA2-256(1)`. */
  mnemonic: z.string(),
  usage: z.number().int(),
  selector: z.number().int(),
  matchingType: z.number().int(),
  ttl: z.number().int().nonnegative(),
  usable: z.boolean(),
  /** Why the record is unusable for SMTP. */
  problems: z.array(z.string()),
  /** The certificates this record matched (only with probes). */
  matched: z.array(DaneCertRefSchema),
});
export type DaneRecordEvidence = z.infer<typeof DaneRecordEvidenceSchema>;

/**
 * - `match`: a usable record authenticates the presented chain.
 * - `mismatch`: TLS worked but no usable record authenticates the chain.
 * - `no-tls`: STARTTLS missing or refused, or the handshake failed.
 * - `inconclusive`: not reached (timeout, unreachable, refused, private address...).
 */
export const DaneAddressResultSchema = z.enum(['match', 'mismatch', 'no-tls', 'inconclusive']);

export const DaneAddressEvidenceSchema = z.object({
  address: z.string(),
  outcome: ProbeOutcomeSchema,
  result: DaneAddressResultSchema,
  leafSubject: z.string().optional(),
  leafSpkiSha256: z.string().optional(),
  /** Indexes into the host's `records` of the records that authenticated this chain. */
  matchedRecords: z.array(z.number().int().nonnegative()),
  /** Why a match did not count (DANE-TA name, chain or expiry problems), or why there was none. */
  notes: z.array(z.string()),
});
export type DaneAddressEvidence = z.infer<typeof DaneAddressEvidenceSchema>;

export const DaneHostEvidenceSchema = z.object({
  host: z.string(),
  preference: z.number().int().optional(),
  /** `_25._tcp.<host>`. */
  tlsaName: z.string(),
  query: DnsQueryEvidenceSchema,
  /** The host's A/AAAA answers were validated; otherwise senders skip the TLSA lookup (RFC 7672 §2.2.2). */
  addressesSecure: z.boolean(),
  state: TlsaStateSchema,
  /** DANE applies to this host for senders: secure TLSA, secure addresses, at least one usable record. */
  daneInEffect: z.boolean(),
  status: CheckStatusSchema,
  summary: z.string(),
  /** What a DANE-capable sender does with this host, in one sentence. */
  senderAction: z.string(),
  records: z.array(DaneRecordEvidenceSchema),
  /** Per probed address, the matching verdict; empty when the host has no TLSA records (nothing to match). */
  addresses: z.array(DaneAddressEvidenceSchema),
  /** `_25._tcp.<host>. IN TLSA 3 1 1 <spki sha256>` for each certificate the host presents now. */
  suggestedRecords: z.array(z.string()),
});
export type DaneHostEvidence = z.infer<typeof DaneHostEvidenceSchema>;

export const DaneEvidenceSchema = z.object({
  /** Whether MX probes (the helper) were available to match records against certificates. */
  probed: z.boolean(),
  stsMode: PolicyModeSchema.optional(),
  hosts: z.array(DaneHostEvidenceSchema),
});
export type DaneEvidence = z.infer<typeof DaneEvidenceSchema>;
