// A check's findings: severity, message, where (policy line, MX host), RFC links, and the fix
// with a copy button. Messages come partly from the network: rendered as text only.
import type { Finding } from '../core/report/schema.ts';
import { StatusBadge } from './StatusBadge.tsx';
import { CopyButton } from './CopyButton.tsx';

export interface FindingListProps {
  findings: Finding[];
}

const ORDER = { fail: 0, warn: 1, info: 2 } as const;

export function FindingList({ findings }: FindingListProps) {
  if (findings.length === 0) return <p class="note">No findings.</p>;
  const sorted = [...findings].sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);
  return (
    <ul class="findings" aria-label="Findings">
      {sorted.map((f, i) => (
        <li key={`${f.id}-${i}`} class={`finding finding-${f.severity}`} data-finding={f.id} data-severity={f.severity}>
          <div class="finding-head">
            <StatusBadge status={f.severity} />{' '}
            <span class="finding-message">{f.message}</span>
          </div>
          <div class="finding-meta">
            <code class="finding-id">{f.id}</code>
            {f.host ? <span> · host {f.host}</span> : null}
            {f.location ? (
              <span>
                {' '}
                · line {f.location.line}, column {f.location.column}
              </span>
            ) : null}
            {f.level ? <span> · {f.level}</span> : null}
            {f.tlsrptResultType ? <span> · senders report “{f.tlsrptResultType}”</span> : null}
            {f.refs.map((r) => (
              <span key={r.url}>
                {' '}
                ·{' '}
                <a href={r.url} target="_blank" rel="noreferrer noopener">
                  {r.rfc.replace('RFC', 'RFC ')} {r.section}
                </a>
              </span>
            ))}
          </div>
          {f.fix ? (
            <div class="fix">
              <span class="fix-label">Fix:</span>
              <pre class="fix-text">{f.fix}</pre>
              <CopyButton text={f.fix} label="Copy fix" />
            </div>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
