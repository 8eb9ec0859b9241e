// Small pieces shared by the check modules: DNS answers as evidence, DNSSEC verdicts (DNS-01..03),
// mode-dependent severities (ambiguity A7), and finding bookkeeping.
import { EDE_NAMES, isDnssecEde } from '../dns/ede.ts';
import type { AddressRecord, DnsAnswer, RRType } from '../dns/types.ts';
import type { Finding, PolicyMode, Severity } from '../report/schema.ts';
import { ref } from '../report/refs.ts';
import type { DnsQueryEvidence } from './evidence.ts';

/** Everything of an answer but its records: what these helpers need, for answers of any type. */
export type AnswerMeta = Omit<DnsAnswer<RRType>, 'records'>;

export function dnsEvidence(answer: AnswerMeta): DnsQueryEvidence {
  const ev: DnsQueryEvidence = {
    name: answer.name,
    type: answer.type,
    status: answer.status,
    ad: answer.ad,
    elapsedMs: answer.elapsedMs,
  };
  if (answer.ede.length > 0) ev.ede = answer.ede.map((e) => (e.text ? { code: e.code, text: e.text } : { code: e.code }));
  if (answer.message) ev.message = answer.message;
  if (answer.cnameChain.length > 0) ev.cnameChain = answer.cnameChain.map((c) => `${c.name} → ${c.target}`);
  return ev;
}

/** SERVFAIL with a DNSSEC Extended DNS Error: the zone's signatures are broken (DNS-02). */
export function dnssecBogusReason(answer: AnswerMeta): string | undefined {
  if (answer.status !== 'servfail') return undefined;
  const ede = answer.ede.find((e) => isDnssecEde(e.code));
  if (!ede) return undefined;
  const name = EDE_NAMES[ede.code] ?? 'DNSSEC failure';
  return ede.text ? `EDE ${ede.code} "${name}": ${ede.text}` : `EDE ${ede.code} "${name}"`;
}

/** The answer is a resolver failure rather than a statement about the zone (DNS-03). */
export function isResolverFailure(answer: AnswerMeta): boolean {
  return answer.status === 'error' || answer.status === 'refused' || (answer.status === 'servfail' && !dnssecBogusReason(answer));
}

/** A sentence saying why a lookup gave no usable answer (DNS-03 keeps these apart). */
export function describeDnsFailure(answer: AnswerMeta): string {
  const q = `${answer.type} ${answer.name}`;
  // Without its final full stop: callers continue the sentence. Clipped: a resolver's text is untrusted.
  const detail = answer.message ? `: ${clip(answer.message.replace(/[.\s]+$/, ''), 600)}` : '';
  switch (answer.status) {
    case 'servfail':
      return `The resolver answered SERVFAIL for ${q}${detail}`;
    case 'refused':
      return `The resolver refused the query ${q}${detail}`;
    case 'error':
      return `No usable answer for ${q} (${answer.errorKind ?? 'error'})${detail}`;
    case 'nxdomain':
      return `${answer.name} does not exist (NXDOMAIN)`;
    case 'nodata':
      return `${answer.name} exists but has no ${answer.type} records`;
    default:
      return `${q} answered`;
  }
}

/** DNS-02: a bogus answer is a failure of the check that needed it, naming the EDE reason. */
export function dnssecBogusFinding(check: string, answer: AnswerMeta, reason: string): Finding {
  return {
    id: `${check}.dnssec-bogus`,
    severity: 'fail',
    message:
      `DNSSEC validation of ${answer.type} ${answer.name} failed (${reason}). Validating resolvers answer SERVFAIL, ` +
      `so senders behind them cannot read this record at all. Fix the zone's signatures (re-sign, check the DS record at the parent).`,
    refs: [ref('RFC4035', '5.5'), ref('RFC8914', '5')],
  };
}

/** DNS-01: the answer was not validated (zone unsigned, or the resolver does not validate). */
export function dnssecUnsignedFinding(check: string, answer: AnswerMeta, severity: Severity = 'warn'): Finding {
  return {
    id: `${check}.dnssec-not-validated`,
    severity,
    message:
      `The answer for ${answer.type} ${answer.name} was not DNSSEC-validated (no AD flag): the zone is unsigned or the resolver ` +
      `does not validate. MTA-STS does not require DNSSEC, but without it an attacker on the path can hide or alter this record.`,
    refs: [ref('RFC4035', '3.2.3'), ref('RFC8461', '10.2')],
  };
}

/** ambiguity A7: MX-level problems are fail under enforce, warn under testing, info under none. Unknown mode: warn. */
export function modeSeverity(mode: PolicyMode | undefined): Severity {
  if (mode === 'enforce') return 'fail';
  if (mode === 'none') return 'info';
  return 'warn';
}

/** What a mode-dependent problem means for delivery, as a clause for messages. */
export function modeConsequence(mode: PolicyMode | undefined): string {
  switch (mode) {
    case 'enforce':
      return 'With mode enforce, compliant senders will not deliver to this host.';
    case 'testing':
      return 'With mode testing, senders still deliver but report the failure (TLSRPT); under enforce they would refuse this host.';
    case 'none':
      return 'With mode none, senders ignore the policy, so this has no effect today.';
    default:
      return 'No valid policy was read; once a policy is in enforce mode, senders will refuse this host.';
  }
}

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warn: 1, fail: 2 };

export function capSeverity(severity: Severity, max: Severity): Severity {
  return SEVERITY_RANK[severity] > SEVERITY_RANK[max] ? max : severity;
}

export function worstSeverity(a: Severity, b: Severity): Severity {
  return SEVERITY_RANK[a] >= SEVERITY_RANK[b] ? a : b;
}

/** Worst first, stable otherwise: the UI shows what matters at the top. */
export function sortFindings(findings: Finding[]): Finding[] {
  return findings
    .map((f, i) => ({ f, i }))
    .sort((x, y) => SEVERITY_RANK[y.f.severity] - SEVERITY_RANK[x.f.severity] || x.i - y.i)
    .map((x) => x.f);
}

/** Lower-case, without one trailing root dot (ambiguity A6: strip it from DNS answers). */
export function hostName(name: string): string {
  const lower = name.toLowerCase();
  return lower.endsWith('.') ? lower.slice(0, -1) : lower;
}

export { base64ToBytes } from '../x509/bytes.ts';

/** A record id for fixes: UTC date and time, digits only (RFC 8461 §3.1: 1-32 alphanumerics). */
export function freshPolicyId(now: Date): string {
  return now.toISOString().replace(/[^0-9]/g, '').slice(0, 14);
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The addresses of an A or AAAA answer ([] unless NOERROR with records). */
export function addressesOf(answer: DnsAnswer<'A'> | DnsAnswer<'AAAA'> | undefined): string[] {
  if (answer?.status !== 'ok') return [];
  // why: RecordOf<'A'> is Extract<…, {type:'A'}>, which excludes AddressRecord (type 'A'|'AAAA'); the records are AddressRecords.
  return (answer.records as unknown as AddressRecord[]).map((r) => r.address);
}

/** At most `max` items of a list for a message ("a, b, c and 997 more"): hostile answers can hold thousands. */
export function listSome(items: readonly string[], max = 8, sep = ', '): string {
  if (items.length <= max) return items.join(sep);
  return `${items.slice(0, max).join(sep)} and ${items.length - max} more`;
}

/** Text from a server or a record, shortened for a message (the evidence keeps it whole). */
export function clip(text: string, max = 200): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length} characters)`;
}

/** `text` ending with exactly one full stop, for messages built from other messages. */
export function period(text: string): string {
  return /[.!?]$/.test(text.trimEnd()) ? text.trimEnd() : `${text.trimEnd()}.`;
}

/**
 * Text for people, from untrusted input: C0/C1 control characters (terminal escapes, NUL, bell) and
 * bidirectional overrides are shown as \xNN / \u{NNNN} instead of acting on a terminal or a page.
 */
export function visibleText(text: string): string {
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0').toUpperCase()}` : `\\u{${code.toString(16).toUpperCase()}}`;
  });
}
