// The checks' ids and titles and the overall-status rule, without zod: the popup must not
// carry zod's classic build (issue 6: popup under 60 KB gzipped), and core/report/schema.ts builds
// zod schemas at module load. tests/components/check-catalog.test.ts keeps these equal to core's.
import type { CheckId, CheckStatus, OverallStatus } from '../core/report/schema.ts';

export const CHECK_IDS = [
  'mx',
  'starttls',
  'dane',
  'sts-record',
  'tlsrpt-record',
  'policy-fetch',
  'policy-syntax',
  'policy-mx-match',
] as const satisfies readonly CheckId[];

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

export const CHECK_STATUSES = ['pass', 'warn', 'fail', 'skipped', 'error'] as const satisfies readonly CheckStatus[];

/** DESIGN.md: fail if any check fails; else warn if any warns or errored; else pass. */
export function overallStatus(checks: readonly { status: CheckStatus }[]): OverallStatus {
  if (checks.some((c) => c.status === 'fail')) return 'fail';
  if (checks.some((c) => c.status === 'warn' || c.status === 'error')) return 'warn';
  return 'pass';
}
