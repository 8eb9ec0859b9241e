// The evidence each check puts in its result (`CheckResult.evidence`). The report schema keeps
// evidence open (a record); these schemas are what the checks write and what the UI and CLI
// safeParse before rendering. Changing a field here is changing the JSON report.
import { z } from 'zod';
// The DNS schemas live in a leaf module that core/dane/evidence.ts imports too: importing them from
// here would make an import cycle, which leaves one side reading an uninitialised schema.
import { DnsQueryEvidenceSchema } from './dns-evidence.ts';
import { DaneEvidenceSchema } from '../dane/evidence.ts';
import { AddressProbeSchema } from '../protocol/probe.ts';
import { PolicyAttemptSchema } from '../protocol/policy-fetch.ts';
import { CheckStatusSchema, PolicyModeSchema } from '../report/schema.ts';

export { DnsQueryEvidenceSchema, DnsStatusSchema, type DnsQueryEvidence } from './dns-evidence.ts';
export { DaneEvidenceSchema, type DaneEvidence } from '../dane/evidence.ts';

export const MxHostEvidenceSchema = z.object({
  preference: z.number().int(),
  /** Without the trailing root dot. */
  host: z.string(),
  /** The MX target is itself a CNAME (RFC 5321 §5.1, RFC 2181 §10.3). */
  cnameTarget: z.string().optional(),
  /** The target is written as an IP address. */
  ipLiteral: z.boolean().optional(),
  ipv4: z.array(z.string()),
  ipv6: z.array(z.string()),
  /** Both address lookups were validated (AD). */
  addressesSecure: z.boolean(),
  queries: z.array(DnsQueryEvidenceSchema),
});
export type MxHostEvidence = z.infer<typeof MxHostEvidenceSchema>;

export const MxEvidenceSchema = z.object({
  query: DnsQueryEvidenceSchema,
  /** No MX records: the domain itself is the implicit MX (RFC 5321 §5.1). */
  implicit: z.boolean(),
  /** A single `0 .` record (RFC 7505): the domain accepts no mail. */
  nullMx: z.boolean(),
  /** In preference order. */
  hosts: z.array(MxHostEvidenceSchema),
});
export type MxEvidence = z.infer<typeof MxEvidenceSchema>;

export const StarttlsHostEvidenceSchema = z.object({
  host: z.string(),
  preference: z.number().int().optional(),
  status: CheckStatusSchema,
  summary: z.string(),
  addresses: z.array(AddressProbeSchema),
});
export const StarttlsEvidenceSchema = z.object({
  /** False when no prober was available (the check is then skipped). */
  probed: z.boolean(),
  /** Every address of every MX timed out: outbound port 25 is probably blocked here. */
  port25Blocked: z.boolean().optional(),
  hosts: z.array(StarttlsHostEvidenceSchema),
});
export type StarttlsEvidence = z.infer<typeof StarttlsEvidenceSchema>;

export const TxtRecordEvidenceSchema = z.object({
  /** The record as published: its character-strings (one JS char per byte). */
  strings: z.array(z.string()),
  /** The strings joined without separators, as senders read them. */
  text: z.string(),
  /** Starts with the version tag plus `;` and so counts (RFC 8461 §3.1, RFC 8460 §3). */
  counted: z.boolean(),
  /** Why a record was not counted, when it looked like one of ours. */
  discardReason: z.string().optional(),
});
export const StsRecordEvidenceSchema = z.object({
  query: DnsQueryEvidenceSchema,
  records: z.array(TxtRecordEvidenceSchema),
  /** The `id` of the one valid record. */
  id: z.string().optional(),
  extensions: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
});
export type StsRecordEvidence = z.infer<typeof StsRecordEvidenceSchema>;

export const TlsrptRecordEvidenceSchema = z.object({
  query: DnsQueryEvidenceSchema,
  records: z.array(TxtRecordEvidenceSchema),
  rua: z
    .array(z.object({ uri: z.string(), scheme: z.string(), supported: z.boolean() }))
    .optional(),
});
export type TlsrptRecordEvidence = z.infer<typeof TlsrptRecordEvidenceSchema>;

export const PolicyFetchEvidenceSchema = z.object({
  url: z.string(),
  via: z.enum(['helper', 'node', 'browser']),
  /** The attempt whose answer the other policy checks used. */
  usedAttempt: z.number().int().optional(),
  attempts: z.array(PolicyAttemptSchema),
});
export type PolicyFetchEvidence = z.infer<typeof PolicyFetchEvidenceSchema>;

export const PolicyLineSchema = z.object({
  number: z.number().int().min(1),
  /** The line without its terminator, decoded as UTF-8. */
  text: z.string(),
  terminator: z.enum(['CRLF', 'LF', 'CR', 'none']),
});
export const PolicySyntaxEvidenceSchema = z.object({
  lines: z.array(PolicyLineSchema),
  /** What the terminators are overall. */
  terminators: z.enum(['CRLF', 'LF', 'mixed', 'none']),
  version: z.string().optional(),
  mode: PolicyModeSchema.optional(),
  maxAge: z.number().int().optional(),
  mx: z.array(z.string()),
  extensions: z.array(z.object({ name: z.string(), value: z.string(), line: z.number().int() })),
  /** SHA-256 of the body bytes, hex: for the local policy history. */
  sha256: z.string().optional(),
  /** Senders that fetched the policy now may keep it until this time (now + max_age). */
  cachedUntil: z.string().optional(),
  /** Only the start of an over-long body was parsed: how much of how much (RFC 8461 §3.3, A16). */
  truncation: z
    .object({
      parsedBytes: z.number().int().nonnegative(),
      bodyBytes: z.number().int().nonnegative(),
      /** False: the fetcher stopped reading, the body is longer still. */
      bodyComplete: z.boolean(),
    })
    .optional(),
});
export type PolicySyntaxEvidence = z.infer<typeof PolicySyntaxEvidenceSchema>;

export const PolicyMxMatchEvidenceSchema = z.object({
  mode: PolicyModeSchema.optional(),
  patterns: z.array(z.string()),
  implicit: z.boolean(),
  hosts: z.array(
    z.object({ host: z.string(), preference: z.number().int().optional(), matchedBy: z.array(z.string()) }),
  ),
  /** Patterns that match no current MX (stale but harmless, RFC 8461 §4.1). */
  unusedPatterns: z.array(z.string()),
});
export type PolicyMxMatchEvidence = z.infer<typeof PolicyMxMatchEvidenceSchema>;

export const EVIDENCE_SCHEMAS = {
  mx: MxEvidenceSchema,
  starttls: StarttlsEvidenceSchema,
  dane: DaneEvidenceSchema,
  'sts-record': StsRecordEvidenceSchema,
  'tlsrpt-record': TlsrptRecordEvidenceSchema,
  'policy-fetch': PolicyFetchEvidenceSchema,
  'policy-syntax': PolicySyntaxEvidenceSchema,
  'policy-mx-match': PolicyMxMatchEvidenceSchema,
} as const;
