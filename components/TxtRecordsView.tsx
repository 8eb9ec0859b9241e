// The raw TXT records at _mta-sts or _smtp._tls: every character-string as published, with
// invisible characters escaped, which ones count, and why the others do not.
import type { StsRecordEvidence, TlsrptRecordEvidence } from '../core/checks/evidence.ts';
import { DnsQueryLine } from './DnsQueryLine.tsx';
import { visible } from './visible-text.ts';

export interface TxtRecordsViewProps {
  evidence: StsRecordEvidence | TlsrptRecordEvidence;
}

export function TxtRecordsView({ evidence }: TxtRecordsViewProps) {
  return (
    <div class="evidence evidence-txt">
      <DnsQueryLine query={evidence.query} />
      {evidence.records.length === 0 ? <p class="note">No TXT records.</p> : null}
      <ol class="txt-records" aria-label="TXT records">
        {evidence.records.map((r, i) => (
          <li key={i} class="txt-record" data-counted={r.counted ? 'true' : 'false'}>
            <div>
              {r.strings.map((s, j) => (
                <code key={j} class="txt-string">
                  "{visible(s)}"
                </code>
              ))}
            </div>
            <div class="note">
              {r.counted ? 'Counts as a record of this kind.' : 'Not counted.'}
              {r.discardReason ? ` ${r.discardReason}` : ''}
              {r.strings.length > 1 ? ` (${r.strings.length} strings, joined without spaces)` : ''}
            </div>
          </li>
        ))}
      </ol>
      {'id' in evidence && evidence.id ? (
        <p>
          Policy id: <code>{evidence.id}</code>
        </p>
      ) : null}
      {'rua' in evidence && evidence.rua && evidence.rua.length > 0 ? (
        <ul aria-label="Report destinations">
          {evidence.rua.map((u) => (
            <li key={u.uri}>
              <code>{visible(u.uri)}</code> ({u.scheme}
              {u.supported ? '' : ', not a scheme senders support'})
            </li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
