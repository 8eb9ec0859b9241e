// The expanded body of a finished check on the report page: findings, evidence, duration.
import type { CheckResult } from '../core/report/schema.ts';
import { FindingList } from './FindingList.tsx';
import { EvidenceView } from './EvidenceView.tsx';

export interface CheckDetailsProps {
  check: CheckResult;
  now?: Date;
}

export function CheckDetails({ check, now }: CheckDetailsProps) {
  return (
    <>
      <h3 class="visually-hidden">{check.title}: findings</h3>
      <FindingList findings={check.findings} />
      <EvidenceView check={check} now={now} />
      <p class="muted">Took {Math.round(check.durationMs)} ms.</p>
    </>
  );
}
