// One check: status (icon + word), title, summary; on the report page it expands (a native
// <details>, so keyboard and screen readers work) to its findings and evidence.
import type { CheckSlot } from './run-state.ts';
import { StatusBadge } from './StatusBadge.tsx';
import { FindingList } from './FindingList.tsx';
import { EvidenceView } from './EvidenceView.tsx';

export interface CheckItemProps {
  slot: CheckSlot;
  expandable: boolean;
  /** A run in progress: pending checks say "running" rather than "pending". */
  running: boolean;
  /** Open the details at first render (report page: failing checks). */
  open?: boolean;
  now?: Date;
}

export function CheckItem({ slot, expandable, running, open, now }: CheckItemProps) {
  const r = slot.result;
  const badge = <StatusBadge status={slot.status} label={slot.status === 'pending' ? (running ? 'running' : 'not run') : undefined} />;
  const head = (
    <>
      {badge} <span class="check-title">{slot.title}</span>
      {r ? <span class="check-summary"> — {r.summary}</span> : null}
    </>
  );
  return (
    <li class={`check check-${slot.status}`} data-check={slot.id} data-status={slot.status} aria-busy={slot.status === 'pending' && running}>
      {expandable && r ? (
        <details open={open}>
          <summary>{head}</summary>
          <div class="check-body">
            <h3 class="visually-hidden">{slot.title}: findings</h3>
            <FindingList findings={r.findings} />
            <EvidenceView check={r} now={now} />
            <p class="muted">Took {Math.round(r.durationMs)} ms.</p>
          </div>
        </details>
      ) : (
        <div class="check-line">{head}</div>
      )}
    </li>
  );
}
