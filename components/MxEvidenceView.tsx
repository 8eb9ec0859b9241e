// The MX list with preferences, addresses and DNSSEC state; implicit and null MX explained.
import type { MxEvidence } from '../core/checks/evidence.ts';
import { DnsQueryLine } from './DnsQueryLine.tsx';

export interface MxEvidenceViewProps {
  evidence: MxEvidence;
}

export function MxEvidenceView({ evidence }: MxEvidenceViewProps) {
  return (
    <div class="evidence evidence-mx">
      <DnsQueryLine query={evidence.query} />
      {evidence.nullMx ? <p class="note">Null MX (RFC 7505): this domain accepts no mail.</p> : null}
      {evidence.implicit ? <p class="note">No MX records: senders use the domain itself as the mail host (implicit MX, RFC 5321 §5.1).</p> : null}
      {evidence.hosts.length > 0 ? (
        <table class="table">
          <caption>MX hosts in preference order</caption>
          <thead>
            <tr>
              <th scope="col">Preference</th>
              <th scope="col">Host</th>
              <th scope="col">IPv4</th>
              <th scope="col">IPv6</th>
              <th scope="col">DNSSEC</th>
            </tr>
          </thead>
          <tbody>
            {evidence.hosts.map((h) => (
              <tr key={`${h.preference}-${h.host}`}>
                <td>{h.preference}</td>
                <td>
                  <code>{h.host}</code>
                  {h.cnameTarget ? <span class="note"> (a CNAME to {h.cnameTarget})</span> : null}
                  {h.ipLiteral ? <span class="note"> (an IP address, not a host name)</span> : null}
                </td>
                <td>{h.ipv4.length ? h.ipv4.join(', ') : 'none'}</td>
                <td>{h.ipv6.length ? h.ipv6.join(', ') : 'none'}</td>
                <td>{h.addressesSecure ? 'validated' : 'not validated'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
