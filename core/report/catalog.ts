// The checks' ids, titles and statuses and the overall-status rule, without zod: the popup imports
// these and must not carry zod's classic build (issue 6: popup under 60 KB gzipped).
// core/report/schema.ts builds the report's zod schemas from the same lists.

export const CHECK_IDS = [
  'mx',
  'starttls',
  'dane',
  'sts-record',
  'tlsrpt-record',
  'policy-fetch',
  'policy-syntax',
  'policy-mx-match',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

export const CHECK_TITLES: Record<CheckId, string> = {
  mx: 'MX records',
  starttls: 'STARTTLS on every MX host',
  dane: 'DANE (TLSA) for the MX hosts',
  'sts-record': 'MTA-STS TXT record',
  'tlsrpt-record': 'TLS reporting (TLSRPT) record',
  'policy-fetch': 'Policy fetch over HTTPS',
  'policy-syntax': 'Policy file syntax',
  'policy-mx-match': 'MX hosts allowed by the policy',
};

export const CHECK_STATUSES = ['pass', 'warn', 'fail', 'skipped', 'error'] as const;
export type CheckStatus = (typeof CHECK_STATUSES)[number];

export const OVERALL_STATUSES = ['pass', 'warn', 'fail'] as const;
export type OverallStatus = (typeof OVERALL_STATUSES)[number];

/** DESIGN.md: fail if any check fails; else warn if any warns or errored; else pass. */
export function overallStatus(checks: readonly { status: CheckStatus }[]): OverallStatus {
  if (checks.some((c) => c.status === 'fail')) return 'fail';
  if (checks.some((c) => c.status === 'warn' || c.status === 'error')) return 'warn';
  return 'pass';
}
