// The report page's TLSRPT viewer (issue 8): drop or choose aggregate reports (.json, .json.gz),
// read and parsed in this page only (core/tlsrpt-report), summed per policy domain and UTC day.
import type { JSX } from 'preact';
import { useMemo, useRef, useState } from 'preact/hooks';
import { summarizeReports } from '../core/tlsrpt-report/summary.ts';
import { addReportFiles, type FileLike, type LoadedFile, type ParseFn } from './tlsrpt-files.ts';
import { TlsrptFileList } from './TlsrptFileList.tsx';
import { TlsrptSummaryView } from './TlsrptSummaryView.tsx';

export interface TlsrptViewerProps {
  /** Injected in tests; core's parseTlsrptReport otherwise. */
  parse?: ParseFn;
}

const ACCEPT = '.json,.gz,application/json,application/gzip,application/tlsrpt+json,application/tlsrpt+gzip';

export function TlsrptViewer({ parse }: TlsrptViewerProps) {
  const [files, setFiles] = useState<LoadedFile[]>([]);
  const [reading, setReading] = useState(0);
  const [over, setOver] = useState(false);

  // Reads run one after another on the latest list, so the viewer's bounds hold across drops.
  const latest = useRef<LoadedFile[]>([]);
  const queue = useRef<Promise<void>>(Promise.resolve());
  const show = (next: LoadedFile[]) => {
    latest.current = next;
    setFiles(next);
  };

  const add = (list: FileList | readonly FileLike[] | null | undefined): Promise<void> => {
    const chosen: FileLike[] = list ? Array.from(list as ArrayLike<FileLike>) : [];
    if (chosen.length === 0) return Promise.resolve();
    setReading((r) => r + chosen.length);
    queue.current = queue.current.then(async () => {
      try {
        show(await addReportFiles(latest.current, chosen, parse));
      } finally {
        setReading((r) => r - chosen.length);
      }
    });
    return queue.current;
  };

  const summary = useMemo(() => {
    const reports = files.flatMap((f) => (f.ok ? [f.report] : []));
    return reports.length > 0 ? summarizeReports(reports) : undefined;
  }, [files]);

  const onDrop = (e: JSX.TargetedDragEvent<HTMLDivElement>) => {
    e.preventDefault();
    setOver(false);
    void add(e.dataTransfer?.files);
  };
  const onDragOver = (e: JSX.TargetedDragEvent<HTMLDivElement>) => {
    e.preventDefault(); // allows the drop
    if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    setOver(true);
  };

  return (
    <section class="tlsrpt-viewer" aria-labelledby="tlsrpt-heading">
      <h2 id="tlsrpt-heading">TLSRPT report viewer</h2>
      <p>
        Open the aggregate reports that senders mail to your TLSRPT address (RFC 8460): <code>.json</code> or <code>.json.gz</code> files, one
        or several. They are read and summed in this page only: <strong>nothing is uploaded anywhere</strong>.
      </p>
      <div
        class={`drop-zone${over ? ' drop-zone-over' : ''}`}
        data-testid="tlsrpt-drop-zone"
        onDragOver={onDragOver}
        onDragEnter={onDragOver}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <label for="tlsrpt-files">Choose TLSRPT report files</label>{' '}
        <input
          id="tlsrpt-files"
          type="file"
          multiple
          accept={ACCEPT}
          onChange={(e) => {
            const input = e.currentTarget;
            void add(input.files).finally(() => {
              input.value = ''; // the same file can be chosen again after "Clear"
            });
          }}
        />
        <p class="muted">or drop them here.</p>
      </div>
      <p role="status" aria-live="polite" class="muted">
        {reading > 0 ? `Reading ${reading} file${reading === 1 ? '' : 's'}…` : ''}
      </p>
      <TlsrptFileList files={files} />
      {files.length > 0 ? (
        <button type="button" onClick={() => show([])}>
          Clear the viewer
        </button>
      ) : null}
      {summary ? <TlsrptSummaryView summary={summary} /> : null}
    </section>
  );
}
