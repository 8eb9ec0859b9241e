// The whole result as the popup (compact) and the report page (expandable, with export) show it.
import type { RunState } from './run-state.ts';
import { Verdict } from './Verdict.tsx';
import { CheckList } from './CheckList.tsx';
import { ReportHeader } from './ReportHeader.tsx';
import { ExportBar } from './ExportBar.tsx';
import { PermissionNotice } from './PermissionNotice.tsx';
import { HelperNotice } from './HelperNotice.tsx';

export interface ReportViewProps {
  state: RunState;
  /** Report page: checks expand to findings and evidence, and the export bar is shown. */
  expandable: boolean;
  onRecheck?: () => void;
  onAllowHostPermission?: () => void;
  now?: Date;
}

export function ReportView({ state, expandable, onRecheck, onAllowHostPermission, now }: ReportViewProps) {
  if (state.phase === 'idle') return null;
  const running = state.phase === 'running';
  return (
    <section class="report" aria-label={`Report for ${state.domain ?? state.input ?? 'the domain'}`} data-phase={state.phase}>
      <Verdict state={state} />
      <ReportHeader
        domain={state.domain}
        checkedAt={state.report?.checkedAt}
        cachedAt={state.cachedAt}
        running={running}
        onRecheck={onRecheck}
      />
      {state.needsHostPermission && onAllowHostPermission ? <PermissionNotice domain={state.domain} onAllow={onAllowHostPermission} /> : null}
      {state.phase !== 'error' || state.slots.some((s) => s.result) ? <CheckList slots={state.slots} expandable={expandable} running={running} now={now} /> : null}
      {state.helperMissing && expandable ? <HelperNotice message={state.helperMissing} /> : null}
      {expandable && state.report ? <ExportBar report={state.report} /> : null}
    </section>
  );
}
