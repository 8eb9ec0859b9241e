// Several TLSRPT reports summed per policy domain and UTC day (RFC 8460 §4): who reported, the
// session counts per policy type, each failure type with its count, hosts and IPs, what it means,
// and a link to the check of this tool that looks at its cause.
import type { DaySummary, FailureSummary, PolicySummary, Summary } from '../core/tlsrpt-report/summary.ts';
import { CHECK_TITLES } from '../core/report/catalog.ts';

export interface TlsrptSummaryViewProps {
  summary: Summary;
}

const POLICY_WORDS: Record<PolicySummary['policyType'], string> = {
  sts: 'MTA-STS policy (sts)',
  tlsa: 'DANE TLSA records (tlsa)',
  'no-policy-found': 'no policy found (no-policy-found)',
};

/** The report page for the domain, opened at the check (its element id is the check id). */
export function checkLink(domain: string, checkId: string): string {
  return `report.html?domain=${encodeURIComponent(domain)}#${encodeURIComponent(checkId)}`;
}

/** A domain we may link to: a policy domain the reporter named (not the placeholder for none). */
const linkable = (domain: string) => /^[a-z0-9._-]+$/i.test(domain) && domain.includes('.');

const n = (x: number) => x.toLocaleString('en-US');

function List({ label, items }: { label: string; items: string[] }) {
  if (items.length === 0) return null;
  return (
    <p>
      {label}: {items.map((x, i) => (
        <span key={x}>
          {i > 0 ? ', ' : ''}
          <code>{x}</code>
        </span>
      ))}
    </p>
  );
}

function Failure({ f, domain }: { f: FailureSummary; domain: string }) {
  const title = (CHECK_TITLES as Record<string, string>)[f.checkId] ?? f.checkId;
  return (
    <tr data-result-type={f.resultType}>
      <td>
        <code>{f.resultType}</code>
        {f.known ? null : <span class="note"> (not registered in RFC 8460 §4.3)</span>}
      </td>
      <td>{n(f.count)}</td>
      <td>
        {f.meaning}{' '}
        {linkable(domain) ? (
          <a href={checkLink(domain, f.checkId)} data-check-link={f.checkId}>
            Look at the “{title}” check
          </a>
        ) : (
          <span>See the “{title}” check.</span>
        )}
      </td>
      <td>
        <List label="MX hosts" items={f.receivingMxHosts} />
        <List label="Receiving IPs" items={f.receivingIps} />
        <List label="Sending IPs" items={f.sendingIps} />
        <List label="Reason codes" items={f.reasonCodes} />
      </td>
    </tr>
  );
}

function Policy({ p, domain }: { p: PolicySummary; domain: string }) {
  return (
    <section class="tlsrpt-policy" data-policy-type={p.policyType} aria-label={`${POLICY_WORDS[p.policyType]} for ${domain}`}>
      <h4>{POLICY_WORDS[p.policyType]}</h4>
      <p>
        <span data-testid="successful">{n(p.successful)}</span> successful sessions, <span data-testid="failed">{n(p.failed)}</span> failed.
      </p>
      <List label="MX hosts in the policy" items={p.mxHosts} />
      {p.policyStrings.length > 0 ? (
        <details>
          <summary>Policy as the senders saw it ({p.policyStrings.length})</summary>
          {p.policyStrings.map((lines) => (
            <pre key={lines.join('\n')}>{lines.join('\n')}</pre>
          ))}
        </details>
      ) : null}
      {p.failures.length > 0 ? (
        <table class="table">
          <caption>Failures by result type</caption>
          <thead>
            <tr>
              <th scope="col">Result type</th>
              <th scope="col">Sessions</th>
              <th scope="col">What it means</th>
              <th scope="col">Where</th>
            </tr>
          </thead>
          <tbody>
            {p.failures.map((f) => (
              <Failure key={f.resultType} f={f} domain={domain} />
            ))}
          </tbody>
        </table>
      ) : null}
    </section>
  );
}

function Day({ d }: { d: DaySummary }) {
  return (
    <section class="tlsrpt-day" data-policy-domain={d.policyDomain} data-day={d.day} aria-label={`${d.policyDomain} on ${d.day}`}>
      <h3>
        <code>{d.policyDomain}</code> on {d.day} (UTC)
      </h3>
      <p>
        Reported by {d.organizations.join(', ')} · from <time dateTime={d.start}>{d.start}</time> to <time dateTime={d.end}>{d.end}</time> ·{' '}
        {n(d.successful)} successful, {n(d.failed)} failed sessions.
      </p>
      <List label="Report ids" items={d.reportIds} />
      {d.policies.map((p) => (
        <Policy key={p.policyType} p={p} domain={d.policyDomain} />
      ))}
      <List label="Receiving MX hosts with failures" items={d.receivingMxHosts} />
      <List label="Sending IPs with failures" items={d.sendingIps} />
    </section>
  );
}

export function TlsrptSummaryView({ summary }: TlsrptSummaryViewProps) {
  return (
    <div class="tlsrpt-summary" data-testid="tlsrpt-summary">
      <p>
        {summary.reports} report{summary.reports === 1 ? '' : 's'} summed
        {summary.duplicates > 0 ? ` (${summary.duplicates} duplicate${summary.duplicates === 1 ? '' : 's'} of the same organisation and report-id skipped)` : ''}:{' '}
        {n(summary.successful)} successful and {n(summary.failed)} failed sessions.
      </p>
      {summary.days.map((d) => (
        <Day key={`${d.policyDomain}-${d.day}`} d={d} />
      ))}
    </div>
  );
}
