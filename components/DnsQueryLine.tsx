// One DNS question and its answer, with the DNSSEC state (AD flag) in words.
import type { DnsQueryEvidence } from '../core/checks/evidence.ts';

export interface DnsQueryLineProps {
  query: DnsQueryEvidence;
}

export function DnsQueryLine({ query }: DnsQueryLineProps) {
  return (
    <p class="dns-query">
      <code>
        {query.name} {query.type}
      </code>{' '}
      → {query.status}
      {query.cnameChain && query.cnameChain.length > 0 ? <> via CNAME {query.cnameChain.join(' → ')}</> : null} ·{' '}
      <span class={query.ad ? 'dnssec-yes' : 'dnssec-no'}>
        {query.ad ? 'DNSSEC: validated (AD set)' : 'DNSSEC: not validated (AD not set)'}
      </span>
      {query.ede && query.ede.length > 0
        ? query.ede.map((e) => (
            <span key={e.code}>
              {' '}
              · EDE {e.code}
              {e.text ? ` ${e.text}` : ''}
            </span>
          ))
        : null}
      {query.message ? <span> · {query.message}</span> : null}
      {query.elapsedMs !== undefined ? <span class="muted"> · {Math.round(query.elapsedMs)} ms</span> : null}
    </p>
  );
}
