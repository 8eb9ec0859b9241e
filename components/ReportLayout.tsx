// The verdict, the time of the results (cached or not), re-check and the check list: everything the
// popup shows. The report page adds each check's details and a footer through ReportView.
import type { ComponentChildren } from 'preact';
import type { CheckOf, ReportLike, RunState } from './run-state.ts';
import { Verdict } from './Verdict.tsx';
import { CheckList } from './CheckList.tsx';
import { ReportHeader } from './ReportHeader.tsx';
import { PermissionNotice } from './PermissionNotice.tsx';

export interface ReportLayoutProps<R extends ReportLike> {
  state: RunState<R>;
  /** What a finished check expands to; absent: checks are one line each. */
  details?: (check: CheckOf<R>) => ComponentChildren;
  onRecheck?: () => void;
  onAllowHostPermission?: () => void;
  /** After the check list (report page: helper notice, export). */
  children?: ComponentChildren;
}

export function ReportLayout<R extends ReportLike>({
  state,
  details,
  onRecheck,
  onAllowHostPermission,
  children,
}: ReportLayoutProps<R>) {
  if (state.phase === 'idle') return null;
  const running = state.phase === 'running';
  return (
    <section class="report" aria-labelledby="report-heading" data-phase={state.phase}>
      {/* Between the page's h1 and each check's h3 (heading order); the verdict line already shows the domain. */}
      <h2 id="report-heading" class="visually-hidden">
        Report for {state.domain ?? state.input ?? 'the domain'}
      </h2>
      <Verdict state={state} />
      <ReportHeader domain={state.domain} checkedAt={state.report?.checkedAt} cachedAt={state.cachedAt} running={running} onRecheck={onRecheck} />
      {state.needsHostPermission && onAllowHostPermission ? <PermissionNotice domain={state.domain} onAllow={onAllowHostPermission} /> : null}
      {state.phase !== 'error' || state.slots.some((s) => s.result) ? <CheckList slots={state.slots} details={details} running={running} /> : null}
      {children}
    </section>
  );
}
