// A status as icon + word (never colour alone). The icon is decorative; the word is read out.
import type { OverallStatus, Severity } from '../core/report/schema.ts';
import type { SlotStatus } from './run-state.ts';

export type BadgeStatus = SlotStatus | OverallStatus | Severity;

export interface StatusBadgeProps {
  status: BadgeStatus;
  /** Replaces the word (e.g. "running" for pending while a check runs). */
  label?: string;
}

const ICON: Record<BadgeStatus, string> = {
  pass: '✓',
  warn: '!',
  fail: '✗',
  skipped: '–',
  error: '⚠',
  info: 'i',
  pending: '…',
};

export function StatusBadge({ status, label }: StatusBadgeProps) {
  return (
    <span class={`badge badge-${status}`} data-testid="status-badge">
      <span class="badge-icon" aria-hidden="true">
        {ICON[status]}
      </span>
      <span class="badge-word">{label ?? status}</span>
    </span>
  );
}
