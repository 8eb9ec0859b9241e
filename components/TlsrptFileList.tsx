// The files loaded into the TLSRPT viewer: each read (organisation, report-id, gzip) with the
// deviations from RFC 8460 §4.4 it tolerated and the §5.1 file-name notes, or why it was refused.
import type { LoadedFile } from './tlsrpt-files.ts';
import { StatusBadge } from './StatusBadge.tsx';

export interface TlsrptFileListProps {
  files: LoadedFile[];
}

export function TlsrptFileList({ files }: TlsrptFileListProps) {
  if (files.length === 0) return null;
  return (
    <ul class="tlsrpt-files" aria-label="Loaded report files">
      {files.map((f) => (
        <li key={f.key} data-file={f.name} data-status={f.ok ? (f.deviations.length > 0 ? 'warn' : 'pass') : 'fail'}>
          {f.ok ? (
            <>
              <StatusBadge status={f.deviations.length > 0 ? 'warn' : 'pass'} label={f.deviations.length > 0 ? 'read, with deviations' : 'read'} />{' '}
              <code>{f.name}</code>: {f.report['organization-name']}, report <code>{f.report['report-id']}</code>
              {f.gzipped ? ' (gzip)' : ''}
              {f.deviations.length > 0 ? (
                <details>
                  <summary>
                    {f.deviations.length} tolerated deviation{f.deviations.length === 1 ? '' : 's'} from RFC 8460 §4.4
                  </summary>
                  <ul class="deviations">
                    {f.deviations.map((d) => (
                      <li key={d}>{d}</li>
                    ))}
                  </ul>
                </details>
              ) : null}
              {f.filenameNotes.length > 0 ? (
                <ul class="filename-notes">
                  {f.filenameNotes.map((d) => (
                    <li key={d} class="note">
                      {d}
                    </li>
                  ))}
                </ul>
              ) : null}
            </>
          ) : (
            <>
              <StatusBadge status="fail" label="not read" /> <code>{f.name}</code>: {f.message}
            </>
          )}
        </li>
      ))}
    </ul>
  );
}
