// Every check, all shown at once in DESIGN.md order, each turning as it finishes.
import type { ComponentChildren } from 'preact';
import type { CheckLike, CheckSlot } from './run-state.ts';
import { CheckItem } from './CheckItem.tsx';

export interface CheckListProps<C extends CheckLike> {
  slots: CheckSlot<C>[];
  /** Report page: what a finished check expands to. */
  details?: (check: C) => ComponentChildren;
  running: boolean;
}

export function CheckList<C extends CheckLike>({ slots, details, running }: CheckListProps<C>) {
  return (
    <ol class="checks" aria-label="Checks" aria-live="polite">
      {slots.map((s) => (
        <CheckItem key={s.id} slot={s} details={details} running={running} open={s.status === 'fail'} />
      ))}
    </ol>
  );
}
