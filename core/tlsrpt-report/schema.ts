// RFC 8460 §4.4 aggregate report, as this tool holds it AFTER normalize.ts has tolerated the
// deviations real reporters produce (ambiguity A17, A18): optional where reporters omit fields,
// `mx-host` and `policy-string` always arrays, counts always integers. Member names are the
// RFC's, so the JSON a user dropped reads the same here. Every string and array is bounded.
import { z } from 'zod';

const Count = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
/** RFC 3339 §5.6 date-time (normalize.ts has already added a missing zone as UTC). */
const DateTime = z
  .string()
  .max(64)
  .regex(/^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/, 'expected an RFC 3339 date-time')
  .refine((s) => Number.isFinite(Date.parse(s)), 'not a valid date');

export const PolicyTypeSchema = z.enum(['sts', 'tlsa', 'no-policy-found']);
export type PolicyType = z.infer<typeof PolicyTypeSchema>;

export const FailureDetailSchema = z.object({
  'result-type': z.string().min(1).max(128),
  'sending-mta-ip': z.string().max(64).optional(),
  'receiving-mx-hostname': z.string().max(255).optional(),
  'receiving-mx-helo': z.string().max(255).optional(),
  'receiving-ip': z.string().max(64).optional(),
  'failed-session-count': Count,
  'additional-information': z.string().max(2048).optional(),
  'failure-reason-code': z.string().max(1024).optional(),
});
export type FailureDetail = z.infer<typeof FailureDetailSchema>;

export const ReportPolicySchema = z.object({
  policy: z.object({
    'policy-type': PolicyTypeSchema,
    'policy-string': z.array(z.string().max(4096)).max(1000),
    'policy-domain': z.string().min(1).max(255).optional(),
    'mx-host': z.array(z.string().max(255)).max(1000),
  }),
  summary: z.object({
    'total-successful-session-count': Count,
    'total-failure-session-count': Count,
  }),
  'failure-details': z.array(FailureDetailSchema).max(100_000),
});
export type ReportPolicy = z.infer<typeof ReportPolicySchema>;

export const TlsrptReportSchema = z
  .object({
    'organization-name': z.string().min(1).max(1024),
    'date-range': z.object({ 'start-datetime': DateTime, 'end-datetime': DateTime }),
    'contact-info': z.string().max(1024).optional(),
    'report-id': z.string().min(1).max(1024),
    policies: z.array(ReportPolicySchema).max(10_000),
  })
  .refine((r) => Date.parse(r['date-range']['end-datetime']) >= Date.parse(r['date-range']['start-datetime']), {
    message: 'end-datetime is before start-datetime',
    path: ['date-range', 'end-datetime'],
  });
export type TlsrptReport = z.infer<typeof TlsrptReportSchema>;

/** The result types registered by RFC 8460 §4.3 (IANA "STARTTLS Validation Result Types", §6.6). */
export const KNOWN_RESULT_TYPES = [
  'starttls-not-supported',
  'certificate-host-mismatch',
  'certificate-expired',
  'certificate-not-trusted',
  'validation-failure',
  'tlsa-invalid',
  'dnssec-invalid',
  'dane-required',
  'sts-policy-fetch-error',
  'sts-policy-invalid',
  'sts-webpki-invalid',
] as const;
