// The policy fetch: who fetched it, each attempt's HTTP status and headers, redirects, TLS, timings.
import type { PolicyFetchEvidence } from '../core/checks/evidence.ts';
import type { HttpResponse } from '../core/protocol/policy-fetch.ts';
import { TlsSummary } from './TlsSummary.tsx';

export interface PolicyFetchViewProps {
  evidence: PolicyFetchEvidence;
  now?: Date;
}

const VIA: Record<PolicyFetchEvidence['via'], string> = {
  helper: 'the helper (full TLS details)',
  node: 'Node.js (full TLS details)',
  browser: 'the browser (it does not reveal certificates or why TLS failed)',
};

function Response({ r, label }: { r: HttpResponse; label: string }) {
  return (
    <div class="http">
      <p>
        {label}: HTTP {r.status}
        {r.statusText ? ` ${r.statusText}` : ''}
        {r.httpVersion ? ` (HTTP/${r.httpVersion})` : ''} · {r.bodyBytes} bytes{r.bodyTruncated ? ' (stopped reading at the limit)' : ''}
      </p>
      {r.headers.length ? (
        <table class="table headers">
          <caption>Response headers</caption>
          <tbody>
            {r.headers.map(([k, v], i) => (
              <tr key={i}>
                <th scope="row">
                  <code>{k}</code>
                </th>
                <td>
                  <code>{v}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}

export function PolicyFetchView({ evidence, now }: PolicyFetchViewProps) {
  const host = (() => {
    try {
      return new URL(evidence.url).hostname;
    } catch {
      return evidence.url;
    }
  })();
  return (
    <div class="evidence evidence-fetch">
      <p>
        <code>{evidence.url}</code>, fetched by {VIA[evidence.via]}.
      </p>
      {evidence.attempts.map((a, i) => (
        <div key={i} class="attempt" data-attempt={i}>
          <h4>
            Attempt {i + 1}
            {a.address ? ` to ${a.address}` : ''}
            {evidence.usedAttempt === i ? ' (used by the other checks)' : ''}
          </h4>
          {a.error ? (
            <p>
              Error ({a.error.kind}): {a.error.message}
            </p>
          ) : null}
          {a.response ? <Response r={a.response} label="Answer" /> : null}
          {a.redirects.map((r, j) => (
            <p key={j}>
              Redirect: <code>{r.url}</code> → {r.status ? `HTTP ${r.status}` : 'status not known'}
              {r.location ? (
                <>
                  {' '}
                  to <code>{r.location}</code>
                </>
              ) : null}
            </p>
          ))}
          {a.redirectTarget?.response ? <Response r={a.redirectTarget.response} label={`Redirect target ${a.redirectTarget.url}`} /> : null}
          {a.tls ? <TlsSummary tls={a.tls} host={host} now={now} /> : null}
          <p class="muted">
            {[
              a.timings.dnsMs !== undefined ? `DNS ${Math.round(a.timings.dnsMs)} ms` : '',
              a.timings.connectMs !== undefined ? `connect ${Math.round(a.timings.connectMs)} ms` : '',
              a.timings.tlsMs !== undefined ? `TLS ${Math.round(a.timings.tlsMs)} ms` : '',
              `total ${Math.round(a.timings.totalMs)} ms`,
            ]
              .filter(Boolean)
              .join(' · ')}
          </p>
        </div>
      ))}
    </div>
  );
}
