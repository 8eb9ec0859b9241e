// Several TLSRPT reports summed into one view per policy domain and UTC day (RFC 8460 §4.1: a
// report covers a UTC day): who reported, successful and failed sessions per policy type,
// failures by result type with the hosts and IPs involved, and which check explains each one.
import { describeResultType, type RelatedCheckId } from './result-types.ts';
import type { PolicyType, TlsrptReport } from './schema.ts';

/** Lists of hosts and IPs are cut here; the counts stay exact. */
const MAX_LIST = 100;

export interface FailureSummary {
  resultType: string;
  count: number;
  meaning: string;
  checkId: RelatedCheckId;
  /** Registered in RFC 8460 §4.3. */
  known: boolean;
  receivingMxHosts: string[];
  receivingIps: string[];
  sendingIps: string[];
  reasonCodes: string[];
}

export interface PolicySummary {
  policyType: PolicyType;
  /** The distinct policies reported (each as its policy-string lines). */
  policyStrings: string[][];
  mxHosts: string[];
  successful: number;
  failed: number;
  /** Most sessions first. */
  failures: FailureSummary[];
}

export interface DaySummary {
  policyDomain: string;
  /** YYYY-MM-DD (UTC) of the reports' start-datetime. */
  day: string;
  organizations: string[];
  reportIds: string[];
  /** Earliest start and latest end of the reports summed here. */
  start: string;
  end: string;
  successful: number;
  failed: number;
  policies: PolicySummary[];
  receivingMxHosts: string[];
  sendingIps: string[];
}

export interface Summary {
  /** Reports summed (duplicates excluded). */
  reports: number;
  /** Reports skipped because the same organisation and report-id came twice. */
  duplicates: number;
  successful: number;
  failed: number;
  /** By policy domain, then day. */
  days: DaySummary[];
}

function addTo(list: string[], value: string | undefined): void {
  if (value && list.length < MAX_LIST && !list.includes(value)) list.push(value);
}

const POLICY_ORDER: PolicyType[] = ['sts', 'tlsa', 'no-policy-found'];

export function summarizeReports(reports: readonly TlsrptReport[]): Summary {
  const out: Summary = { reports: 0, duplicates: 0, successful: 0, failed: 0, days: [] };
  const seen = new Set<string>();
  const groups = new Map<string, DaySummary>();
  const failureMaps = new Map<PolicySummary, Map<string, FailureSummary>>();
  for (const report of reports) {
    const key = `${report['organization-name']}\u0000${report['report-id']}`;
    if (seen.has(key)) {
      out.duplicates++;
      continue;
    }
    seen.add(key);
    out.reports++;
    const start = report['date-range']['start-datetime'];
    const end = report['date-range']['end-datetime'];
    const day = new Date(Date.parse(start)).toISOString().slice(0, 10);
    // An entry without policy-domain (sys4's no-policy-found, ambiguity A18) takes the body's other
    // entries' domain (the body wins, RFC 8460 §5.6); parseTlsrptReport has already filled in the
    // §5.1 file name's domain when the body names none, so "(unknown)" means neither had one.
    const fallbackDomain = report.policies.find((p) => p.policy['policy-domain'])?.policy['policy-domain'];
    for (const entry of report.policies) {
      const domain = (entry.policy['policy-domain'] ?? fallbackDomain ?? '(unknown)').toLowerCase().replace(/\.$/, '');
      const gKey = `${domain}\u0000${day}`;
      let g = groups.get(gKey);
      if (!g) {
        g = { policyDomain: domain, day, organizations: [], reportIds: [], start, end, successful: 0, failed: 0, policies: [], receivingMxHosts: [], sendingIps: [] };
        groups.set(gKey, g);
      }
      addTo(g.organizations, report['organization-name']);
      addTo(g.reportIds, report['report-id']);
      if (Date.parse(start) < Date.parse(g.start)) g.start = start;
      if (Date.parse(end) > Date.parse(g.end)) g.end = end;
      const type = entry.policy['policy-type'];
      let p = g.policies.find((x) => x.policyType === type);
      if (!p) {
        p = { policyType: type, policyStrings: [], mxHosts: [], successful: 0, failed: 0, failures: [] };
        g.policies.push(p);
        failureMaps.set(p, new Map());
      }
      const ps = entry.policy['policy-string'];
      if (ps.length > 0 && p.policyStrings.length < MAX_LIST && !p.policyStrings.some((x) => x.join('\n') === ps.join('\n'))) p.policyStrings.push(ps);
      for (const mx of entry.policy['mx-host']) addTo(p.mxHosts, mx);
      const ok = entry.summary['total-successful-session-count'];
      const failed = entry.summary['total-failure-session-count'];
      p.successful += ok;
      p.failed += failed;
      g.successful += ok;
      g.failed += failed;
      out.successful += ok;
      out.failed += failed;
      const fmap = failureMaps.get(p)!;
      for (const d of entry['failure-details']) {
        const rt = d['result-type'];
        let f = fmap.get(rt);
        if (!f) {
          const info = describeResultType(rt, type);
          f = { resultType: rt, count: 0, meaning: info.meaning, checkId: info.checkId, known: info.known, receivingMxHosts: [], receivingIps: [], sendingIps: [], reasonCodes: [] };
          fmap.set(rt, f);
          p.failures.push(f);
        }
        f.count += d['failed-session-count'];
        addTo(f.receivingMxHosts, d['receiving-mx-hostname']);
        addTo(f.receivingIps, d['receiving-ip']);
        addTo(f.sendingIps, d['sending-mta-ip']);
        addTo(f.reasonCodes, d['failure-reason-code']);
        addTo(g.receivingMxHosts, d['receiving-mx-hostname']);
        addTo(g.sendingIps, d['sending-mta-ip']);
      }
    }
  }
  out.days = [...groups.values()].sort((a, b) => a.policyDomain.localeCompare(b.policyDomain) || a.day.localeCompare(b.day));
  for (const g of out.days) {
    g.policies.sort((a, b) => POLICY_ORDER.indexOf(a.policyType) - POLICY_ORDER.indexOf(b.policyType));
    for (const p of g.policies) p.failures.sort((a, b) => b.count - a.count || a.resultType.localeCompare(b.resultType));
  }
  return out;
}
