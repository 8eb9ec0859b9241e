// Export a finished report: copy the JSON, download it, or copy a Markdown summary.
import { reportToMarkdown } from '../core/markdown.ts';
import type { Report } from '../core/report/schema.ts';
import { CopyButton } from './CopyButton.tsx';

export interface ExportBarProps {
  report: Report;
  writeText?: (text: string) => Promise<void>;
}

export function ExportBar({ report, writeText }: ExportBarProps) {
  const json = JSON.stringify(report, null, 2);
  const download = () => {
    const url = URL.createObjectURL(new Blob([json], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = `mta-sts-${report.domain}-${report.checkedAt.replace(/[:.]/g, '-')}.json`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };
  return (
    <div class="export" role="group" aria-label="Export">
      <CopyButton text={json} label="Copy JSON" writeText={writeText} />
      <button type="button" onClick={download}>
        Download JSON
      </button>
      <CopyButton text={reportToMarkdown(report)} label="Copy Markdown summary" writeText={writeText} />
    </div>
  );
}
