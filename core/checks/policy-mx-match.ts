// `policy-mx-match`: every MX host senders may use (or the implicit MX) is allowed by an `mx`
// pattern of the policy (RFC 8461 §4, §4.1; `*.` covers exactly one leftmost label). Severity of a
// mismatch follows the mode (ambiguity A7): fail under enforce, warn under testing, info under none.
import { checkMxPatternSyntax, matchingPatterns } from '../parse/mx-pattern.ts';
import { ref } from '../report/refs.ts';
import { statusFromFindings, type Finding } from '../report/schema.ts';
import type { PolicyMxMatchEvidence } from './evidence.ts';
import { listSome, modeConsequence, modeSeverity, plural, sortFindings } from './helpers.ts';
import type { MxPlan } from './mx.ts';
import type { ParsedPolicySummary } from './policy-syntax.ts';
import type { CheckOutcome } from './types.ts';

export interface PolicyMxMatchCheckInput {
  domain: string;
  /** From mxTargets(); undefined when the MX lookup gave no answer. */
  plan?: MxPlan;
  policy?: ParsedPolicySummary;
  /** Why there is no policy to match against, when there is none. */
  noPolicyReason?: string;
}

const R41 = ref('RFC8461', '4.1');

/** A "*.suffix" pattern whose suffix ends the host, but with more than one label in front (RFC 8461 §4.1). */
function wildcardTooDeep(patterns: string[], host: string): string | undefined {
  return patterns.find((p) => {
    if (!p.startsWith('*.')) return false;
    const suffix = p.slice(1).toLowerCase().replace(/\.$/, '');
    return host.endsWith(suffix) && host.slice(0, -suffix.length).includes('.');
  });
}

export function checkPolicyMxMatch(input: PolicyMxMatchCheckInput): CheckOutcome<PolicyMxMatchEvidence> {
  const { domain, plan, policy } = input;
  const evidence: PolicyMxMatchEvidence = {
    mode: policy?.mode,
    patterns: policy?.mx ?? [],
    implicit: plan?.kind === 'implicit',
    hosts: [],
    unusedPatterns: [],
  };
  if (!policy) return { status: 'skipped', summary: input.noPolicyReason ?? 'No policy was read, so there are no mx patterns to match.', findings: [], evidence };
  if (!plan || plan.kind === 'unknown') return { status: 'skipped', summary: 'The MX hosts are not known (the MX lookup failed), so they cannot be matched.', findings: [], evidence };
  if (plan.kind === 'null') return { status: 'skipped', summary: 'Null MX: the domain accepts no mail, so there is nothing to match.', findings: [], evidence };

  const findings: Finding[] = [];
  const mode = policy.mode;
  if (policy.mx.length === 0 && mode === 'none') {
    findings.push({ id: 'policy-mx-match.none-without-mx', severity: 'info', message: 'The policy has mode none and no mx lines, which the grammar allows: senders apply no MX restriction.', refs: [ref('RFC8461', '3.2')] });
    return { status: 'pass', summary: 'mode none: no mx patterns to match.', findings, evidence };
  }
  const patterns = policy.mx;
  const implicit = plan.kind === 'implicit';
  if (patterns.length === 0) {
    // STS-POL-06 (policy-syntax) already fails the missing field; here one finding says what it
    // means for the MX hosts, with every line to add, rather than one per host.
    for (const h of plan.hosts) evidence.hosts.push({ host: h.host, preference: h.preference, matchedBy: [] });
    findings.push({
      id: 'policy-mx-match.no-patterns',
      severity: modeSeverity(mode),
      message: `The policy has no mx lines, so it allows none of the MX hosts (${listSome(plan.hosts.map((h) => h.host))}): senders MUST treat every one as invalid (RFC 8461 §4.1). ${modeConsequence(mode).replace('this host', 'any of them')}`,
      refs: [R41, ref('RFC8461', '3.2')],
      level: 'MUST',
      fix: plan.hosts.slice(0, 16).map((h) => `mx: ${h.host}`).join('\n'),
    });
    const tail = policy.valid ? '' : ' (The policy itself is invalid, so senders ignore it anyway.)';
    return { status: statusFromFindings(findings), summary: `The policy lists no mx patterns: none of ${plural(plan.hosts.length, 'MX host')} is allowed.${tail}`, findings, evidence };
  }
  const used = new Set<string>();
  const matched = plan.hosts.map((h) => matchingPatterns(patterns, h.host));
  for (const [i, h] of plan.hosts.entries()) {
    const matchedBy = matched[i] ?? [];
    matchedBy.forEach((p) => used.add(p));
    evidence.hosts.push({ host: h.host, preference: h.preference, matchedBy });
    if (matchedBy.length > 0) continue;
    // STS-MX-07 (RFC 8461 §8.4): "backup" only when a more preferred host is allowed, i.e. the
    // failure really hides behind a working primary.
    const backup = !implicit && plan.hosts.some((o, j) => o.preference < h.preference && (matched[j]?.length ?? 0) > 0);
    const tooDeep = wildcardTooDeep(patterns, h.host);
    findings.push({
      id: 'policy-mx-match.host-not-allowed',
      severity: modeSeverity(mode),
      message:
        (implicit
          ? `${domain} has no MX records, so senders use ${h.host} itself (implicit MX, RFC 5321 §5.1), and no mx pattern of the policy allows it.`
          : `MX host ${h.host} is not allowed by any mx pattern of the policy (${listSome(patterns)}). Senders MUST treat it as invalid (RFC 8461 §4.1).`) +
        (tooDeep ? ` The pattern "${tooDeep}" does not cover it: a "*." wildcard matches exactly one label, and ${h.host} has more than one in front of "${tooDeep.slice(2)}".` : '') +
        ` ${modeConsequence(mode)}` +
        (backup ? ' It is a backup MX: senders try it only when a preferred host fails, so this goes unnoticed until an outage (RFC 8461 §8.4).' : ''),
      refs: implicit ? [R41, ref('RFC5321', '5.1')] : [R41, ref('RFC8461', '4'), ref('RFC8461', '8.4')],
      level: 'MUST',
      host: h.host,
      fix: `mx: ${h.host}`,
    });
  }
  evidence.unusedPatterns = patterns.filter((p) => !used.has(p));
  // One finding per stale pattern, up to a few; a policy of thousands of mx lines gets one summary.
  const UNUSED_SHOWN = 10;
  if (evidence.unusedPatterns.length > UNUSED_SHOWN) {
    findings.push({ id: 'policy-mx-match.unused-pattern', severity: 'info', message: `${evidence.unusedPatterns.length} patterns match none of the current MX hosts (${listSome(evidence.unusedPatterns, 5)}). That is harmless but they may be stale (RFC 8461 §4.1).`, refs: [R41] });
  }
  for (const p of evidence.unusedPatterns.length > UNUSED_SHOWN ? [] : evidence.unusedPatterns) {
    findings.push({ id: 'policy-mx-match.unused-pattern', severity: 'info', message: `The pattern "${p}" matches none of the current MX hosts. That is harmless (for example a host kept during a migration) but it may be stale (RFC 8461 §4.1).`, refs: [R41] });
  }
  for (const p of patterns) {
    const syn = checkMxPatternSyntax(p);
    if (syn.ok && syn.normalized === `*.${domain}`) {
      findings.push({
        id: 'policy-mx-match.broad-wildcard',
        severity: 'info',
        message: `The pattern "${p}" allows every host directly under ${domain}. Anyone who controls such a host and gets a certificate for it can receive your mail under the policy; list the MX hosts by name if you can (RFC 8461 §10.4).`,
        refs: [ref('RFC8461', '10.4')],
      });
      break; // once, however often the policy repeats it
    }
  }
  const bad = evidence.hosts.filter((h) => h.matchedBy.length === 0).length;
  const status = statusFromFindings(findings);
  const tail = policy.valid ? '' : ' (The policy itself is invalid, so senders ignore it anyway.)';
  const summary =
    bad === 0
      ? `Every MX host (${listSome(plan.hosts.map((h) => h.host))}) is allowed by the policy.${tail}`
      : `${bad} of ${plan.hosts.length} MX host${plan.hosts.length === 1 ? '' : 's'} not allowed by the policy.${tail}`;
  return { status, summary, findings: sortFindings(findings), evidence };
}
