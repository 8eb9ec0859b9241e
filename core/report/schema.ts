// The report, schema version 1 (../shared/DESIGN.md "The report"). Defined once here;
// the popup, the report page, the CLI's --json and the cache all parse it with these schemas.
import { z } from 'zod';
import { RFCS, type RfcId } from './refs.ts';

import { CHECK_IDS, CHECK_STATUSES, OVERALL_STATUSES } from './catalog.ts';

export { CHECK_IDS, CHECK_TITLES, CHECK_STATUSES, overallStatus } from './catalog.ts';
export type { CheckId, CheckStatus, OverallStatus } from './catalog.ts';

export const CheckIdSchema = z.enum(CHECK_IDS);
export const CheckStatusSchema = z.enum(CHECK_STATUSES);
export const OverallStatusSchema = z.enum(OVERALL_STATUSES);

export const SeveritySchema = z.enum(['fail', 'warn', 'info']);
export type Severity = z.infer<typeof SeveritySchema>;

/** What senders will put in their TLSRPT reports because of a finding (RFC 8460 §4.3). */
export const TlsrptResultTypeSchema = z.enum([
  'sts-policy-fetch-error',
  'sts-policy-invalid',
  'sts-webpki-invalid',
  'certificate-host-mismatch',
  'certificate-expired',
  'certificate-not-trusted',
  'starttls-not-supported',
  'validation-failure',
  'tlsa-invalid',
  'dnssec-invalid',
  'dane-required',
]);
export type TlsrptResultType = z.infer<typeof TlsrptResultTypeSchema>;

/** The BCP 14 keyword a finding comes from, when it comes from one ("ABNF" for grammar rules). */
export const NormativeLevelSchema = z.enum(['MUST', 'MUST NOT', 'SHOULD', 'SHOULD NOT', 'MAY', 'ABNF']);
export type NormativeLevel = z.infer<typeof NormativeLevelSchema>;

export const RfcRefSchema = z.object({
  rfc: z.enum(Object.keys(RFCS) as [RfcId, ...RfcId[]]),
  section: z.string().max(40),
  url: z.url(),
});

export const LocationSchema = z.object({
  line: z.number().int().min(1),
  column: z.number().int().min(1),
});
export type Location = z.infer<typeof LocationSchema>;

export const FindingSchema = z.object({
  /** Stable: `<check>.<slug>`, e.g. `policy-syntax.max-age-too-large`. */
  id: z.string().regex(/^[a-z-]+\.[a-z0-9-]+$/),
  severity: SeveritySchema,
  message: z.string(),
  refs: z.array(RfcRefSchema),
  level: NormativeLevelSchema.optional(),
  /** The exact record or policy line to publish, where one exists. */
  fix: z.string().optional(),
  location: LocationSchema.optional(),
  tlsrptResultType: TlsrptResultTypeSchema.optional(),
  /** Which MX host (or address) the finding is about, where it is about one. */
  host: z.string().optional(),
});
export type Finding = z.infer<typeof FindingSchema>;

export const CheckResultSchema = z.object({
  id: CheckIdSchema,
  title: z.string(),
  status: CheckStatusSchema,
  summary: z.string(),
  durationMs: z.number().nonnegative(),
  findings: z.array(FindingSchema),
  // Check-specific: each check module exports the schema of its own evidence.
  evidence: z.record(z.string(), z.unknown()),
});
export type CheckResult = z.infer<typeof CheckResultSchema>;

export const PolicyModeSchema = z.enum(['enforce', 'testing', 'none']);
export type PolicyMode = z.infer<typeof PolicyModeSchema>;

export const AdviceSchema = z.object({
  severity: SeveritySchema,
  text: z.string(),
  refs: z.array(RfcRefSchema),
});
export type Advice = z.infer<typeof AdviceSchema>;

export const ReportSchema = z.object({
  schema: z.literal(1),
  /** A-label form. */
  domain: z.string(),
  /** What the user typed. */
  input: z.string(),
  checkedAt: z.iso.datetime(),
  durationMs: z.number().nonnegative(),
  resolver: z.object({ name: z.string(), url: z.string() }),
  status: OverallStatusSchema,
  /** The mode of the policy that was fetched (absent when none could be read), and what it means for senders. */
  mode: z.object({ value: PolicyModeSchema, meaning: z.string() }).optional(),
  /** In order of importance. */
  advice: z.array(AdviceSchema),
  checks: z.array(CheckResultSchema),
});
export type Report = z.infer<typeof ReportSchema>;

/** A check's status from its findings: the worst severity wins; info-only is a pass. */
export function statusFromFindings(findings: readonly Pick<Finding, 'severity'>[]): 'pass' | 'warn' | 'fail' {
  if (findings.some((f) => f.severity === 'fail')) return 'fail';
  if (findings.some((f) => f.severity === 'warn')) return 'warn';
  return 'pass';
}
