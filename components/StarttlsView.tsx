// Each MX host and each of its addresses: how far the SMTP/STARTTLS exchange got, the TLS
// result and certificate, and what failed. Rows carry data-mx-host / data-status for tests.
import type { StarttlsEvidence } from '../core/checks/evidence.ts';
import type { AddressProbe } from '../core/protocol/probe.ts';
import type { CheckStatus } from '../core/report/schema.ts';
import { StatusBadge } from './StatusBadge.tsx';
import { TlsSummary } from './TlsSummary.tsx';

export interface StarttlsViewProps {
  evidence: StarttlsEvidence;
  now?: Date;
}

const FAILED = new Set(['no-starttls', 'starttls-rejected', 'tls-failed', 'protocol-error', 'ehlo-rejected', 'greeting-rejected']);

/** One address's status: a completed handshake with a trusted, matching certificate passes. */
export function addressStatus(a: AddressProbe): CheckStatus {
  if (a.outcome === 'ok') return a.tls?.trusted && a.tls.nameMatches ? 'pass' : 'fail';
  if (a.outcome === 'refused-private') return 'skipped';
  return FAILED.has(a.outcome) ? 'fail' : 'error';
}

export function StarttlsView({ evidence, now }: StarttlsViewProps) {
  if (!evidence.probed) return <p class="note">The MX hosts were not probed.</p>;
  return (
    <div class="evidence evidence-starttls">
      {evidence.port25Blocked ? (
        <p class="note">Every address timed out: outbound port 25 is probably blocked on this network, which says nothing about the domain.</p>
      ) : null}
      {evidence.hosts.map((h) => (
        <section key={h.host} class="mx-host" data-mx-host={h.host} data-mx-row="host" data-status={h.status} aria-label={`MX host ${h.host}`}>
          <h4>
            <StatusBadge status={h.status} /> <code>{h.host}</code>
            {h.preference !== undefined ? <span class="muted"> (preference {h.preference})</span> : null}
          </h4>
          <p>{h.summary}</p>
          <ul class="addresses">
            {h.addresses.map((a) => {
              const status = addressStatus(a);
              return (
                <li key={a.address} class="mx-address" data-mx-host={h.host} data-mx-address={a.address} data-status={status}>
                  <details>
                    <summary>
                      <StatusBadge status={status} /> <code>{a.address}</code> (IPv{a.family}) — {a.message}
                    </summary>
                    <p>
                      Stopped at: {a.step} · outcome {a.outcome}
                      {a.starttlsOffered !== undefined ? ` · STARTTLS ${a.starttlsOffered ? 'offered' : 'not offered'}` : ''} ·{' '}
                      {Math.round(a.timings.totalMs)} ms
                    </p>
                    {a.greeting ? (
                      <p>
                        Greeting: <code>{`${a.greeting.code} ${a.greeting.lines.join(' / ')}`}</code>
                      </p>
                    ) : null}
                    {a.starttlsReply ? (
                      <p>
                        STARTTLS reply: <code>{`${a.starttlsReply.code} ${a.starttlsReply.lines.join(' / ')}`}</code>
                      </p>
                    ) : null}
                    {a.tls ? <TlsSummary tls={a.tls} host={h.host} now={now} /> : null}
                    {a.noSni ? (
                      <p>
                        Without SNI: {a.noSni.handshakeCompleted ? 'handshake completed' : `failed${a.noSni.error ? ` (${a.noSni.error})` : ''}`}
                        {a.noSni.differentCertificate ? ', with a different certificate' : ''}
                      </p>
                    ) : null}
                    {a.starttlsAfterTls ? <p>STARTTLS was offered again after TLS (RFC 3207 §4.2 forbids it).</p> : null}
                  </details>
                </li>
              );
            })}
          </ul>
        </section>
      ))}
    </div>
  );
}
