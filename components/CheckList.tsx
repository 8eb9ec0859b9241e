// The seven checks, all shown at once in DESIGN.md order, each turning as it finishes.
import type { CheckSlot } from './run-state.ts';
import { CheckItem } from './CheckItem.tsx';

export interface CheckListProps {
  slots: CheckSlot[];
  expandable: boolean;
  running: boolean;
  now?: Date;
}

export function CheckList({ slots, expandable, running, now }: CheckListProps) {
  return (
    <ol class="checks" aria-label="Checks" aria-live="polite">
      {slots.map((s) => (
        <CheckItem key={s.id} slot={s} expandable={expandable} running={running} open={s.status === 'fail'} now={now} />
      ))}
    </ol>
  );
}
