// The report's `mode` (what the policy mode means for senders) and `advice`, in order of
// importance: what to fix first, then how to strengthen the set-up (RFC 8461 §5, §3.2, §10.2, §8.4).
import { ref } from './report/refs.ts';
import type { Advice, CheckResult, PolicyMode, Severity } from './report/schema.ts';

export const MODE_MEANINGS: Record<PolicyMode, string> = {
  enforce:
    'Senders that apply MTA-STS refuse to deliver to an MX host that fails MX matching or certificate validation or lacks STARTTLS, and retry later instead (RFC 8461 §5).',
  testing:
    'Senders deliver even when validation fails, and report the failures through TLSRPT if you publish a TLSRPT record (RFC 8461 §5). Nothing is protected yet.',
  none: 'Senders treat the domain as having no active policy: the documented way to remove MTA-STS (RFC 8461 §5, §8.3).',
};

export function modeInfo(mode: PolicyMode): { value: PolicyMode; meaning: string } {
  return { value: mode, meaning: MODE_MEANINGS[mode] };
}

export interface AdviceContext {
  domain: string;
  checks: readonly CheckResult[];
  mode?: PolicyMode;
  maxAge?: number;
}

const WEEK = 604_800;
const MAX_AGE_MAX = 31_557_600;
const RANK: Record<Severity, number> = { fail: 0, warn: 1, info: 2 };

const byId = (checks: readonly CheckResult[], id: string) => checks.find((c) => c.id === id);
const has = (c: CheckResult | undefined, findingId: string) => c?.findings.some((f) => f.id === findingId) ?? false;

export function buildAdvice(ctx: AdviceContext): Advice[] {
  const { domain, checks, mode, maxAge } = ctx;
  const out: Advice[] = [];
  const add = (severity: Severity, text: string, refs: Advice['refs']) => out.push({ severity, text, refs });
  const mx = byId(checks, 'mx');
  const sts = byId(checks, 'sts-record');
  const rpt = byId(checks, 'tlsrpt-record');
  const fetch = byId(checks, 'policy-fetch');
  const syntax = byId(checks, 'policy-syntax');
  const match = byId(checks, 'policy-mx-match');
  const tls = byId(checks, 'starttls');

  if (has(mx, 'mx.null-mx')) {
    add('info', `${domain} publishes a null MX: it accepts no mail, so MTA-STS and TLSRPT are not needed. Remove them if they are left over.`, [ref('RFC7505', '3')]);
    return out;
  }
  const notDeployed = has(sts, 'sts-record.not-deployed');
  if (notDeployed) {
    add(
      'fail',
      `Deploy MTA-STS: serve a policy with "mode: testing" at https://mta-sts.${domain}/.well-known/mta-sts.txt, publish the _mta-sts TXT record with a new id, and publish a TLSRPT record to receive reports.`,
      [ref('RFC8461', '3.1'), ref('RFC8461', '3.2'), ref('RFC8460', '3')],
    );
  }
  // The failing checks, with their first fix, in report order.
  for (const c of checks) {
    if (c.status !== 'fail' || (notDeployed && c.id === 'sts-record')) continue;
    const first = c.findings.find((f) => f.severity === 'fail');
    if (!first) continue;
    add('fail', `Fix "${c.title}": ${first.message.split('. ')[0]}.${first.fix ? ` Publish: ${first.fix}` : ''}`, first.refs);
  }
  // RFC 8461 §8.4: a failing backup MX stays hidden until the primary is down.
  const backup = [...(tls?.findings ?? []), ...(match?.findings ?? [])].find(
    (f) => f.id === 'starttls.backup-mx-failing' || (f.id === 'policy-mx-match.host-not-allowed' && f.message.includes('backup MX')),
  );
  if (backup) {
    add('warn', 'Fix the failing backup MX first: senders try it only when the primary fails, so its problem would surface during an outage, when mail is already at risk.', [ref('RFC8461', '8.4')]);
  }
  if (mode === 'testing') {
    if (rpt && rpt.status !== 'pass') {
      add('warn', 'Publish a TLSRPT record before relying on testing mode: testing only tells you something through the reports senders send.', [ref('RFC8461', '5'), ref('RFC8460', '3')]);
    }
    const clean = checks.every((c) => c.status === 'pass' || c.status === 'skipped' || c.id === 'tlsrpt-record');
    add(
      clean ? 'warn' : 'info',
      'Move from testing to enforce once your TLSRPT reports show no failures for a few weeks; in testing mode the policy does not protect any mail. Change the id of the _mta-sts TXT record when you change the policy.',
      [ref('RFC8461', '5'), ref('RFC8461', '3.1')],
    );
  }
  if (mode === 'none') {
    add('info', 'The policy is in mode none: MTA-STS is being removed or is inactive. If you mean to protect mail, switch to testing and then enforce.', [ref('RFC8461', '8.3')]);
  }
  if (maxAge !== undefined && mode !== 'none') {
    if (maxAge > MAX_AGE_MAX) {
      add('fail', `Lower max_age to at most ${MAX_AGE_MAX} (one year), the RFC maximum; senders may reject or clamp larger values.`, [ref('RFC8461', '3.2')]);
    } else if (maxAge < WEEK) {
      add('warn', `Raise max_age to at least ${WEEK} (one week), better ${WEEK * 2} or more once stable: RFC 8461 expects "weeks or greater" (§3.2) and as long as practical (§10.2), since a short max_age gives attackers who block policy refresh an easy window.`, [
        ref('RFC8461', '3.2'),
        ref('RFC8461', '10.2'),
      ]);
    } else if (mode === 'enforce' && maxAge < 2 * WEEK) {
      add('info', `Consider a longer max_age (e.g. ${4 * WEEK}, four weeks) now that the policy is enforced; longer values resist downgrade attacks on refresh (RFC 8461 §10.2).`, [ref('RFC8461', '10.2')]);
    }
  }
  if (rpt && rpt.status !== 'pass' && rpt.status !== 'error' && mode !== 'testing' && !notDeployed) {
    add('warn', `Publish a TLSRPT record (e.g. _smtp._tls.${domain}. IN TXT "v=TLSRPTv1; rua=mailto:tlsrpt@${domain}") so senders tell you when TLS delivery to you fails.`, [ref('RFC8460', '3')]);
  }
  if (has(sts, 'sts-record.id-not-changed')) {
    add('warn', 'Change the id of the _mta-sts TXT record: the policy changed but the id did not, so senders keep their cached copy.', [ref('RFC8461', '3.1')]);
  }
  if (tls?.status === 'skipped' && tls.evidence['probed'] === false) {
    add('info', 'Install the helper to probe STARTTLS and the MX certificates: a browser cannot open SMTP connections.', [ref('RFC8461', '4.2')]);
  }
  if (tls?.evidence['port25Blocked'] === true) {
    add('info', 'Outbound port 25 seems blocked on this network: run the check from a network that allows it (for example from a mail server) to test STARTTLS.', [ref('RFC3207', '4')]);
  }
  if (fetch?.findings.some((f) => f.id === 'policy-fetch.certificate-expiring-soon') || tls?.findings.some((f) => f.id === 'starttls.certificate-expiring-soon')) {
    add('warn', 'Renew the certificates that expire within two weeks, and make sure renewal is automatic: an expired certificate breaks delivery under enforce.', [ref('RFC8461', '3.3'), ref('RFC8461', '4.2')]);
  }
  if ([mx, sts].some((c) => c?.findings.some((f) => f.id.endsWith('.dnssec-not-validated')))) {
    add('info', 'Consider signing the zone with DNSSEC: MTA-STS works without it, but DNSSEC protects the discovery records from being hidden or altered.', [ref('RFC8461', '10.2'), ref('RFC4035', '3.2.3')]);
  }
  if (syntax?.status === 'pass' && mode === 'enforce' && checks.every((c) => c.status === 'pass' || c.status === 'skipped')) {
    add('info', 'MTA-STS is enforced and every check passes. Before changing MX hosts, add them to the policy first and change the TXT id; keep certificates renewed.', [ref('RFC8461', '8.1')]);
  }
  return out.map((a, i) => ({ a, i })).sort((x, y) => RANK[x.a.severity] - RANK[y.a.severity] || x.i - y.i).map((x) => x.a);
}
