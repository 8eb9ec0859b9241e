// Which policy `mx` pattern allows each MX host, and patterns that match none.
import type { PolicyMxMatchEvidence } from '../core/checks/evidence.ts';
import { StatusBadge } from './StatusBadge.tsx';

export interface PolicyMxMatchViewProps {
  evidence: PolicyMxMatchEvidence;
}

export function PolicyMxMatchView({ evidence }: PolicyMxMatchViewProps) {
  return (
    <div class="evidence evidence-match">
      <p>
        Patterns: {evidence.patterns.length ? evidence.patterns.map((p) => <code key={p}>{p} </code>) : 'none'}
        {evidence.implicit ? ' · the domain itself is the implicit MX' : ''}
      </p>
      <table class="table">
        <caption>MX hosts against the policy</caption>
        <thead>
          <tr>
            <th scope="col">MX host</th>
            <th scope="col">Allowed by</th>
          </tr>
        </thead>
        <tbody>
          {evidence.hosts.map((h) => (
            <tr key={h.host}>
              <td>
                <code>{h.host}</code>
              </td>
              <td>
                {h.matchedBy.length ? (
                  <>
                    <StatusBadge status="pass" label="allowed" /> {h.matchedBy.join(', ')}
                  </>
                ) : (
                  <StatusBadge status="fail" label="no pattern matches" />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {evidence.unusedPatterns.length ? <p class="note">Patterns matching no current MX host: {evidence.unusedPatterns.join(', ')}</p> : null}
    </div>
  );
}
