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

export function modeInfo(mode: PolicyMode, inEffect: { stsValid?: boolean; policyValid?: boolean } = {}): { value: PolicyMode; meaning: string } {
  // The mode says what senders do with the policy, which is nothing while they cannot use it.
  const note =
    inEffect.stsValid === false
      ? ' Not in effect today: without exactly one valid _mta-sts TXT record senders never fetch this policy (RFC 8461 §3.1).'
      : inEffect.policyValid === false
        ? ' Not in effect today: the policy is invalid, so senders ignore it (RFC 8461 §3.2).'
        : '';
  return { value: mode, meaning: MODE_MEANINGS[mode] + note };
}

export interface AdviceContext {
  domain: string;
  checks: readonly CheckResult[];
  mode?: PolicyMode;
  maxAge?: number;
  /** Exactly one valid _mta-sts record (undefined: not known). */
  stsValid?: boolean;
  /** The policy read parses (undefined: not known). */
  policyValid?: boolean;
}

const DAY = 86_400;
const WEEK = 604_800;
const MAX_AGE_MAX = 31_557_600;
const RANK: Record<Severity, number> = { fail: 0, warn: 1, info: 2 };

const byId = (checks: readonly CheckResult[], id: string) => checks.find((c) => c.id === id);
const has = (c: CheckResult | undefined, findingId: string) => c?.findings.some((f) => f.id === findingId) ?? false;

/**
 * The first sentence of a message, for a one-line advice. A full stop inside parentheses or quotes
 * ("<example.com. MX IN>", "v=STSv1; id=…") does not end it.
 */
export function firstSentence(message: string, max = 300): string {
  let depth = 0;
  let quoted = false;
  for (let i = 0; i < message.length && i < 2000; i++) {
    const c = message[i];
    if (c === '"') quoted = !quoted;
    else if (c === '(' || c === '<' || c === '[') depth++;
    else if ((c === ')' || c === '>' || c === ']') && depth > 0) depth--;
    else if (c === '.' && !quoted && depth === 0 && (i === message.length - 1 || /\s/.test(message[i + 1] ?? ''))) {
      const s = message.slice(0, i + 1);
      return s.length <= max ? s : `${s.slice(0, max)}…`;
    }
  }
  const s = message.trimEnd().replace(/[.\s]+$/, '');
  return `${s.length <= max ? s : `${s.slice(0, max)}…`}.`;
}

/** A fix is either what to publish (a record, a policy line) or an instruction ("Serve the policy…"). */
function fixText(fixes: string[]): string {
  if (fixes.length === 0) return '';
  const instruction = (f: string) => /^[A-Z][a-z]+ /.test(f);
  // Advice is one line of text: several records or policy lines are listed inline (each finding
  // keeps its multi-line fix for copying).
  const records = fixes.filter((f) => !instruction(f)).flatMap((f) => f.split('\n'));
  const steps = fixes.filter(instruction).map((f) => f.replaceAll('\n', ' '));
  const shown = records.length > 3 ? [...records.slice(0, 2), `${records.length - 2} more (see the check's findings)`] : records;
  const list = shown.length > 1 ? `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}` : (shown[0] ?? '');
  return [steps.length ? ` ${steps.join(' ')}` : '', records.length ? ` Publish: ${list}` : ''].join('');
}

/** Findings that have advice of their own below, so the generic "fix this check" lines skip them. */
const COVERED = /\.(dnssec-not-validated|dnssec-bogus|certificate-expiring-soon|testing-without-tlsrpt|backup-mx-failing)$|^tlsrpt-record\.not-deployed$|^sts-record\.not-deployed$/;
const TLSRPT_MISSING = ['tlsrpt-record.not-deployed', 'tlsrpt-record.discarded-record', 'tlsrpt-record.multiple-records', 'tlsrpt-record.no-usable-rua'];

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
  const rptMissing = TLSRPT_MISSING.some((id) => has(rpt, id));

  if (has(mx, 'mx.null-mx')) {
    add('info', `${domain} publishes a null MX: it accepts no mail, so MTA-STS and TLSRPT are not needed. Remove them if they are left over.`, [ref('RFC7505', '3')]);
    return out;
  }
  const notDeployed = has(sts, 'sts-record.not-deployed');
  if (notDeployed) {
    const record = sts?.findings.find((f) => f.id === 'sts-record.not-deployed')?.fix;
    const servedOk = (fetch?.status === 'pass' || fetch?.status === 'warn') && (syntax?.status === 'pass' || syntax?.status === 'warn');
    if (servedOk && record) {
      add(
        'fail',
        `Publish the _mta-sts TXT record: ${record}. The policy at https://mta-sts.${domain}/.well-known/mta-sts.txt is already served${mode ? ` (mode ${mode})` : ''}, but senders never look for it without this record.` +
          (rptMissing ? ` Also publish a TLSRPT record: _smtp._tls.${domain}. IN TXT "v=TLSRPTv1; rua=mailto:tlsrpt@${domain}"` : ''),
        [ref('RFC8461', '3.1')],
      );
    } else {
      add(
        'fail',
        `Deploy MTA-STS: serve a policy with "mode: testing" at https://mta-sts.${domain}/.well-known/mta-sts.txt, publish the _mta-sts TXT record with a new id` +
          (rptMissing ? ', and publish a TLSRPT record to receive reports.' : '.'),
        [ref('RFC8461', '3.1'), ref('RFC8461', '3.2'), ref('RFC8460', '3')],
      );
    }
  }
  // DNS-02: one line for every bogus answer, since they share one cause (the zone's signatures).
  const bogus = checks.flatMap((c) => c.findings.filter((f) => f.id.endsWith('.dnssec-bogus')));
  if (bogus.length > 0) {
    // dnssecBogusFinding(): "DNSSEC validation of <TYPE> <name> failed (<EDE reason>). …"
    const parts = bogus.map((f) => /^DNSSEC validation of (\S+ \S+) failed \((.*)\)\. Validating/.exec(f.message));
    const names = [...new Set(parts.map((m) => m?.[1]).filter((x): x is string => Boolean(x)))];
    const reason = parts.find((m) => m)?.[2];
    add(
      'fail',
      names.length > 0 && reason
        ? `Fix the DNSSEC signatures of the zone: validating resolvers answer SERVFAIL for ${names.slice(0, 6).join(', ')} (${reason.length > 200 ? `${reason.slice(0, 200)}…` : reason}), so senders behind them cannot read these records at all. Re-sign the zone and check the DS record at the parent.`
        : `Fix the DNSSEC signatures of the zone: ${firstSentence(bogus[0]!.message)} Re-sign the zone and check the DS record at the parent.`,
      bogus[0]!.refs,
    );
  }
  // The failing checks, with their fixes, in report order; a check whose fixes were all given
  // already (the same mx lines from policy-syntax and policy-mx-match) adds nothing.
  const given = new Set<string>();
  for (const c of checks) {
    if (c.status !== 'fail') continue;
    const fails = c.findings.filter((f) => f.severity === 'fail' && !COVERED.test(f.id));
    const first = fails[0];
    if (!first) continue;
    const fixes = [...new Set(fails.map((f) => f.fix).filter((x): x is string => Boolean(x)))].slice(0, 6);
    if (fixes.length > 0 && fixes.every((x) => given.has(x))) continue;
    fixes.forEach((x) => given.add(x));
    add('fail', `Fix "${c.title}": ${firstSentence(first.message)}${fixText(fixes)}`, first.refs);
  }
  // RFC 8461 §8.4: a failing backup MX stays hidden until the primary is down.
  const backup = [...(tls?.findings ?? []), ...(match?.findings ?? [])].find(
    (f) => f.id === 'starttls.backup-mx-failing' || (f.id === 'policy-mx-match.host-not-allowed' && f.message.includes('backup MX')),
  );
  if (backup) {
    add('warn', 'Fix the failing backup MX first: senders try it only when the primary fails, so its problem would surface during an outage, when mail is already at risk.', [ref('RFC8461', '8.4')]);
  }
  if (mode === 'testing') {
    if (rptMissing) {
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
      // policy-syntax fails it with the line to publish; say it here only when that finding is absent.
      if (!has(syntax, 'policy-syntax.max-age-too-large')) {
        add('fail', `Lower max_age to at most ${MAX_AGE_MAX} (one year), the RFC maximum; senders may reject or clamp larger values.`, [ref('RFC8461', '3.2')]);
      }
    } else if (maxAge < WEEK) {
      // STS-POL-05: under a day is a warning, under a week a note.
      add(maxAge < DAY ? 'warn' : 'info', `Raise max_age to at least ${WEEK} (one week), better ${WEEK * 2} or more once stable: RFC 8461 expects "weeks or greater" (§3.2) and as long as practical (§10.2), since a short max_age gives attackers who block policy refresh an easy window.`, [
        ref('RFC8461', '3.2'),
        ref('RFC8461', '10.2'),
      ]);
    } else if (mode === 'enforce' && maxAge < 2 * WEEK && ctx.stsValid !== false && ctx.policyValid !== false) {
      add('info', `Consider a longer max_age for the enforced policy (e.g. ${4 * WEEK}, four weeks): longer values resist downgrade attacks on refresh (RFC 8461 §10.2).`, [ref('RFC8461', '10.2')]);
    }
  }
  if (rptMissing && has(rpt, 'tlsrpt-record.not-deployed') && mode !== 'testing' && !notDeployed) {
    add('warn', `Publish a TLSRPT record (e.g. _smtp._tls.${domain}. IN TXT "v=TLSRPTv1; rua=mailto:tlsrpt@${domain}") so senders tell you when TLS delivery to you fails.`, [ref('RFC8460', '3')]);
  }
  if (has(sts, 'sts-record.id-not-changed')) {
    add('warn', 'Change the id of the _mta-sts TXT record: the policy changed but the id did not, so senders keep their cached copy.', [ref('RFC8461', '3.1')]);
  }
  // The checks that warn, with their first problem and its fix (after the failures above).
  for (const c of checks) {
    if (c.status !== 'warn') continue;
    if (c.id === 'tlsrpt-record' && (notDeployed || (mode === 'testing' && rptMissing) || has(rpt, 'tlsrpt-record.not-deployed'))) continue;
    const warns = c.findings.filter((f) => f.severity === 'warn' && !COVERED.test(f.id));
    const first = warns.find((f) => f.fix) ?? warns[0];
    if (!first) continue;
    add('warn', `Check "${c.title}": ${firstSentence(first.message)}${fixText(first.fix ? [first.fix] : [])}`, first.refs);
  }
  if (tls?.status === 'skipped' && tls.evidence['probed'] === false) {
    add('info', `STARTTLS and the MX certificates were not tested. ${tls.summary || 'Install the helper to probe them: a browser cannot open SMTP connections.'}`, [ref('RFC8461', '4.2')]);
  }
  if (tls?.evidence['port25Blocked'] === true) {
    add('info', 'Outbound port 25 seems blocked on this network: run the check from a network that allows it (for example from a mail server) to test STARTTLS.', [ref('RFC3207', '4')]);
  }
  if (fetch?.findings.some((f) => f.id === 'policy-fetch.certificate-expiring-soon') || tls?.findings.some((f) => f.id === 'starttls.certificate-expiring-soon')) {
    add('warn', 'Renew the certificates that expire within two weeks, and make sure renewal is automatic: an expired certificate breaks delivery under enforce.', [ref('RFC8461', '3.3'), ref('RFC8461', '4.2')]);
  }
  if (checks.some((c) => c.findings.some((f) => f.id.endsWith('.dnssec-not-validated')))) {
    add('info', 'Consider signing the zone with DNSSEC: MTA-STS works without it, but DNSSEC protects the discovery records from being hidden or altered.', [ref('RFC8461', '10.2'), ref('RFC4035', '3.2.3')]);
  }
  if (syntax?.status === 'pass' && mode === 'enforce' && ctx.stsValid !== false && checks.every((c) => c.status === 'pass' || c.status === 'skipped')) {
    add('info', 'MTA-STS is enforced and every check passes. Before changing MX hosts, add them to the policy first and change the TXT id; keep certificates renewed.', [ref('RFC8461', '8.1')]);
  }
  return out.map((a, i) => ({ a, i })).sort((x, y) => RANK[x.a.severity] - RANK[y.a.severity] || x.i - y.i).map((x) => x.a);
}
