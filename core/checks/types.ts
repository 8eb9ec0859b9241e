// What every check function returns; the engine adds id, title and durationMs to make a CheckResult.
import type { CheckStatus, Finding } from '../report/schema.ts';

export interface CheckOutcome<E extends Record<string, unknown> = Record<string, unknown>> {
  status: CheckStatus;
  summary: string;
  findings: Finding[];
  evidence: E;
}
