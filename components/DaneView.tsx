// The `dane` check's evidence per MX host (RFC 7672): the TLSA records with their DNSSEC state,
// which record matched which certificate on which address, the addresses no record matches (a
// broken rollover), and the record to publish for the certificate each host presents now.
// Host and address rows carry data-mx-host / data-status like the STARTTLS view.
import type { DaneAddressEvidence, DaneEvidence, DaneHostEvidence, TlsaState } from '../core/dane/evidence.ts';
import type { CheckStatus } from '../core/report/schema.ts';
import { CopyButton } from './CopyButton.tsx';
import { DnsQueryLine } from './DnsQueryLine.tsx';
import { StatusBadge } from './StatusBadge.tsx';

export interface DaneViewProps {
  evidence: DaneEvidence;
  /** Injected in tests; the page's clipboard otherwise. */
  writeText?: (text: string) => Promise<void>;
}

/** RFC 7672 §2.2: what each TLSA answer means to a sender. */
export const TLSA_STATE_WORDS: Record<TlsaState, string> = {
  secure: 'records, DNSSEC-validated: DANE applies',
  insecure: 'records, but not DNSSEC-validated: senders ignore them',
  absent: 'no TLSA records',
  bogus: 'DNSSEC validation failed (bogus): DANE senders treat the host as unreachable',
  'lookup-failed': 'the lookup failed',
};

const RESULT_WORDS: Record<DaneAddressEvidence['result'], string> = {
  match: 'a record matches the presented chain',
  mismatch: 'no usable record matches the presented chain',
  'no-tls': 'no TLS session (STARTTLS missing, refused or failed)',
  inconclusive: 'not reached, so not matched',
};

/** One address's status: a match passes; a chain no record matches, or no TLS at all, fails a DANE sender. */
export function daneAddressStatus(a: DaneAddressEvidence): CheckStatus {
  switch (a.result) {
    case 'match':
      return 'pass';
    case 'mismatch':
    case 'no-tls':
      return 'fail';
    case 'inconclusive':
      return a.outcome === 'refused-private' ? 'skipped' : 'error';
  }
}

function Records({ host }: { host: DaneHostEvidence }) {
  if (host.records.length === 0) return null;
  return (
    <table class="table tlsa-records">
      <caption>
        TLSA records at <code>{host.tlsaName}</code>
      </caption>
      <thead>
        <tr>
          <th scope="col">Record</th>
          <th scope="col">Meaning</th>
          <th scope="col">TTL</th>
          <th scope="col">Usable for SMTP</th>
          <th scope="col">Matched certificates</th>
        </tr>
      </thead>
      <tbody>
        {host.records.map((r, i) => (
          <tr key={`${i}-${r.text}`} data-tlsa-record={r.text}>
            <td>
              <code class="hash">{r.text}</code>
            </td>
            <td>{r.mnemonic}</td>
            <td>{r.ttl}</td>
            <td>
              {r.usable ? 'yes' : 'no'}
              {r.problems.length > 0 ? (
                <ul>
                  {r.problems.map((p) => (
                    <li key={p}>{p}</li>
                  ))}
                </ul>
              ) : null}
            </td>
            <td>
              {r.matched.length === 0 ? (
                'none'
              ) : (
                <ul>
                  {r.matched.map((m) => (
                    <li key={`${m.address}-${m.depth}`}>
                      <code>{m.address}</code>: {m.depth === 0 ? 'the leaf' : `chain certificate ${m.depth}`} ({m.subject}), SHA-256{' '}
                      <code class="hash">{m.sha256}</code>
                    </li>
                  ))}
                </ul>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Address({ host, a }: { host: DaneHostEvidence; a: DaneAddressEvidence }) {
  const status = daneAddressStatus(a);
  const matched = a.matchedRecords.map((i) => host.records[i]?.text).filter((t): t is string => t !== undefined);
  return (
    <li class="mx-address" data-mx-host={host.host} data-mx-address={a.address} data-status={status} data-dane-result={a.result}>
      <StatusBadge status={status} /> <code>{a.address}</code> — {RESULT_WORDS[a.result]}
      {a.result === 'inconclusive' || a.result === 'no-tls' ? <span class="muted"> (probe outcome {a.outcome})</span> : null}
      {matched.length > 0 ? (
        <p>
          Matched by: {matched.map((t, i) => (
            <span key={t}>
              {i > 0 ? ', ' : ''}
              <code class="hash">{t}</code>
            </span>
          ))}
        </p>
      ) : null}
      {a.leafSubject || a.leafSpkiSha256 ? (
        <p>
          Leaf certificate{a.leafSubject ? <> {a.leafSubject}</> : null}
          {a.leafSpkiSha256 ? (
            <>
              , SPKI SHA-256 <code class="hash">{a.leafSpkiSha256}</code>
            </>
          ) : null}
        </p>
      ) : null}
      {a.notes.length > 0 ? (
        <ul>
          {a.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      ) : null}
    </li>
  );
}

function Host({ host, writeText }: { host: DaneHostEvidence; writeText?: DaneViewProps['writeText'] }) {
  const unmatched = host.addresses.filter((a) => a.result === 'mismatch');
  return (
    <section class="mx-host" data-mx-host={host.host} data-mx-row="host" data-status={host.status} aria-label={`DANE for MX host ${host.host}`}>
      <h4>
        <StatusBadge status={host.status} /> <code>{host.host}</code>
        {host.preference !== undefined ? <span class="muted"> (preference {host.preference})</span> : null}
      </h4>
      <p>{host.summary}</p>
      <p>
        <strong>A DANE-capable sender:</strong> {host.senderAction}
      </p>
      <DnsQueryLine query={host.query} />
      <ul class="dane-facts">
        <li data-tlsa-state={host.state}>TLSA answer: {TLSA_STATE_WORDS[host.state]}.</li>
        <li>
          Address records of the host: {host.addressesSecure ? 'DNSSEC-validated' : 'not DNSSEC-validated (senders skip the TLSA lookup, RFC 7672 §2.2.2)'}.
        </li>
        <li>DANE in effect for senders: {host.daneInEffect ? 'yes' : 'no'}.</li>
      </ul>
      <Records host={host} />
      {unmatched.length > 0 ? (
        <p class="notice notice-problem" data-testid="dane-unmatched">
          No record matches the chain presented at {unmatched.map((a) => a.address).join(', ')}: DANE senders will not deliver there (a broken
          rollover, RFC 7671 §8).
        </p>
      ) : null}
      {host.addresses.length > 0 ? (
        <ul class="addresses" aria-label={`Addresses of ${host.host}`}>
          {host.addresses.map((a) => (
            <Address key={a.address} host={host} a={a} />
          ))}
        </ul>
      ) : null}
      {host.suggestedRecords.length > 0 ? (
        <div class="suggested">
          <p>For the certificate{host.suggestedRecords.length > 1 ? 's' : ''} this host presents now, publish (in a signed zone):</p>
          <ul>
            {host.suggestedRecords.map((r) => (
              <li key={r}>
                <code class="hash">{r}</code> <CopyButton text={r} label={`Copy TLSA record for ${host.host}`} writeText={writeText} />
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  );
}

export function DaneView({ evidence, writeText }: DaneViewProps) {
  return (
    <div class="evidence evidence-dane">
      {!evidence.probed ? (
        <p class="note">The MX hosts were not probed, so the records were checked for syntax and DNSSEC only: matching them needs the certificates the helper sees.</p>
      ) : null}
      {evidence.hosts.length === 0 ? <p class="note">No MX host to look up.</p> : null}
      {evidence.hosts.map((h) => (
        <Host key={h.host} host={h} writeText={writeText} />
      ))}
    </div>
  );
}
