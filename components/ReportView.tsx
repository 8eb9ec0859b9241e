// The whole result as the report page shows it (expandable, with export); with expandable false,
// the compact form. The popup uses ReportLayout directly so its bundle carries none of the
// evidence views.
import type { RunState } from './run-state.ts';
import { ReportLayout } from './ReportLayout.tsx';
import { CheckDetails } from './CheckDetails.tsx';
import { ExportBar } from './ExportBar.tsx';
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
  return (
    <ReportLayout
      state={state}
      details={expandable ? (check) => <CheckDetails check={check} now={now} /> : undefined}
      onRecheck={onRecheck}
      onAllowHostPermission={onAllowHostPermission}
    >
      {state.helperMissing && expandable ? <HelperNotice message={state.helperMissing} /> : null}
      {expandable && state.report ? <ExportBar report={state.report} /> : null}
    </ReportLayout>
  );
}
