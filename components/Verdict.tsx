// The verdict at the top: overall status in words, progress while running, the policy mode and
// what it means, and the advice in order of importance.
import { overallStatus } from '../core/report/catalog.ts';
import type { ReportLike, RunState } from './run-state.ts';
import { StatusBadge } from './StatusBadge.tsx';

export interface VerdictProps {
  state: RunState<ReportLike>;
}

const WORDS = {
  pass: 'MTA-STS is set up correctly.',
  warn: 'MTA-STS works, with warnings.',
  fail: 'MTA-STS is broken or missing: see the failing checks.',
} as const;

export function Verdict({ state }: VerdictProps) {
  const done = state.slots.filter((s) => s.status !== 'pending').length;
  if (state.phase === 'idle') return null;
  if (state.phase === 'error') {
    return (
      <div class="verdict verdict-error" role="alert">
        <StatusBadge status="error" /> {state.error}
      </div>
    );
  }
  if (state.phase === 'running') {
    return (
      <div class="verdict verdict-running" role="status">
        <StatusBadge status="pending" label="running" /> Checking {state.domain ?? state.input}… {done} of {state.slots.length} checks done.
      </div>
    );
  }
  const status = state.report?.status ?? overallStatus(state.slots.flatMap((s) => (s.status === 'pending' ? [] : [{ status: s.status }])));
  return (
    <div class={`verdict verdict-${status}`} role="status" data-verdict={status}>
      <p class="verdict-line">
        <StatusBadge status={status} /> <strong>{state.domain}</strong>: {WORDS[status]}
      </p>
      {state.report?.mode ? (
        <p>
          Policy mode <code>{state.report.mode.value}</code>: {state.report.mode.meaning}
        </p>
      ) : null}
      {state.report && state.report.advice.length > 0 ? (
        <ol class="advice" aria-label="Advice, most important first">
          {state.report.advice.map((a, i) => (
            <li key={i}>
              <StatusBadge status={a.severity} /> {a.text}
            </li>
          ))}
        </ol>
      ) : null}
    </div>
  );
}
