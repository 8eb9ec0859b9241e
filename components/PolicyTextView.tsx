// The policy body with line numbers, each line's terminator shown (CRLF / LF / CR / none), and
// the byte a finding points at marked. The text is the server's: rendered as text only.
import { Fragment } from 'preact';
import type { PolicySyntaxEvidence } from '../core/checks/evidence.ts';
import type { Finding } from '../core/report/schema.ts';
import { utc, visible } from './visible-text.ts';

export interface PolicyTextViewProps {
  evidence: PolicySyntaxEvidence;
  /** Findings with a `location` mark their line and column. */
  findings: Finding[];
}

const TERMINATOR: Record<string, string> = { CRLF: '␍␊ CRLF', LF: '␊ LF', CR: '␍ CR', none: '(no line end)' };

/** One line cut into plain and marked pieces at the columns findings point to. */
function segments(text: string, marks: Finding[]): { text: string; mark?: Finding[] }[] {
  const chars = Array.from(text);
  const byCol = new Map<number, Finding[]>();
  for (const f of marks) {
    const col = Math.min(Math.max(1, f.location?.column ?? 1), chars.length + 1);
    byCol.set(col, [...(byCol.get(col) ?? []), f]);
  }
  const out: { text: string; mark?: Finding[] }[] = [];
  let plain = '';
  chars.forEach((c, i) => {
    const m = byCol.get(i + 1);
    if (m) {
      if (plain) out.push({ text: plain });
      plain = '';
      // A marked space or invisible byte is shown as an escape so the mark has something to show.
      out.push({ text: c === ' ' ? '␠' : visible(c), mark: m });
    } else plain += c;
  });
  if (plain) out.push({ text: plain });
  const end = byCol.get(chars.length + 1);
  if (end) out.push({ text: '⏎', mark: end });
  return out;
}

export function PolicyTextView({ evidence, findings }: PolicyTextViewProps) {
  const located = findings.filter((f) => f.location);
  return (
    <div class="evidence evidence-policy">
      <p>
        Line endings: <strong>{evidence.terminators}</strong>
        {evidence.mode ? (
          <>
            {' '}
            · mode <code>{evidence.mode}</code>
          </>
        ) : null}
        {evidence.maxAge !== undefined ? (
          <>
            {' '}
            · max_age <code>{evidence.maxAge}</code> s ({Math.round(evidence.maxAge / 86400)} days)
          </>
        ) : null}
        {evidence.sha256 ? (
          <>
            {' '}
            · SHA-256 <code class="hash">{evidence.sha256.slice(0, 16)}…</code>
          </>
        ) : null}
      </p>
      {evidence.cachedUntil ? <p class="note">Senders that fetch the policy now may keep it until {utc(evidence.cachedUntil)}.</p> : null}
      <table class="policy-text" aria-label="Policy file">
        <thead>
          <tr>
            <th scope="col">Line</th>
            <th scope="col">Text</th>
            <th scope="col">Ends with</th>
          </tr>
        </thead>
        <tbody>
          {evidence.lines.map((line) => {
            const marks = located.filter((f) => f.location?.line === line.number);
            return (
              <tr key={line.number} data-line={line.number} class={marks.length ? 'line-marked' : undefined}>
                <td class="line-no">{line.number}</td>
                <td class="line-text">
                  <code>
                    {segments(line.text, marks).map((s, i) =>
                      s.mark ? (
                        // aria-label is not announced on <mark> (no role): the finding ids follow as hidden text.
                        <Fragment key={i}>
                          <mark title={s.mark.map((f) => f.message).join('\n')}>{s.text}</mark>
                          <span class="visually-hidden"> (problem: {s.mark.map((f) => f.id).join(', ')})</span>
                        </Fragment>
                      ) : (
                        <span key={i}>{visible(s.text)}</span>
                      ),
                    )}
                  </code>
                </td>
                <td class={`line-end line-end-${line.terminator}`}>{TERMINATOR[line.terminator] ?? line.terminator}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
