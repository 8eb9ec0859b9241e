// One check: status (icon + word), title, summary; on the report page it expands (a native
// <details>, so keyboard and screen readers work) to what `details` renders (CheckDetails).
// Kept free of the evidence views so the popup's bundle stays small. The element's id is the
// check id, so report.html?domain=…#starttls (the TLSRPT viewer's links) lands on it.
import type { ComponentChildren } from 'preact';
import type { CheckLike, CheckSlot } from './run-state.ts';
import { StatusBadge } from './StatusBadge.tsx';

export interface CheckItemProps<C extends CheckLike> {
  slot: CheckSlot<C>;
  /** Report page: the expanded body of a finished check. Absent: one line, not expandable. */
  details?: (check: C) => ComponentChildren;
  /** A run in progress: pending checks say "running" rather than "pending". */
  running: boolean;
  /** Open the details at first render (report page: failing checks). */
  open?: boolean;
}

export function CheckItem<C extends CheckLike>({ slot, details, running, open }: CheckItemProps<C>) {
  const r = slot.result;
  const badge = <StatusBadge status={slot.status} label={slot.status === 'pending' ? (running ? 'running' : 'not run') : undefined} />;
  const head = (
    <>
      {badge} <span class="check-title">{slot.title}</span>
      {r ? <span class="check-summary"> — {r.summary}</span> : null}
    </>
  );
  return (
    <li id={slot.id} class={`check check-${slot.status}`} data-check={slot.id} data-status={slot.status} aria-busy={slot.status === 'pending' && running}>
      {details && r ? (
        <details open={open}>
          <summary>{head}</summary>
          <div class="check-body">{details(r)}</div>
        </details>
      ) : (
        <div class="check-line">{head}</div>
      )}
    </li>
  );
}
