// `tlsrpt-record`: the `_smtp._tls.<domain>` TXT record (RFC 8460 §3). TLSRPT is optional, so every
// finding here is capped at warn (DESIGN.md project rule); the parser's own severities are kept
// in the message when they are lowered.
import type { DnsAnswer } from '../dns/types.ts';
import { isTlsrptCandidate, looksLikeTlsrpt, parseTlsrptRecord } from '../parse/tlsrpt-record.ts';
import { ref } from '../report/refs.ts';
import { statusFromFindings, type Finding } from '../report/schema.ts';
import type { TlsrptRecordEvidence } from './evidence.ts';
import {
  capSeverity,
  describeDnsFailure,
  dnsEvidence,
  dnssecBogusFinding,
  dnssecBogusReason,
  dnssecUnsignedFinding,
  isResolverFailure,
  sortFindings,
  listSome,
  clip,
} from './helpers.ts';
import type { CheckOutcome } from './types.ts';

export interface TlsrptRecordCheckInput {
  domain: string;
  txt: DnsAnswer<'TXT'>;
}

const REF3 = ref('RFC8460', '3');

export function tlsrptFix(domain: string): string {
  return `_smtp._tls.${domain}. IN TXT "v=TLSRPTv1; rua=mailto:tlsrpt@${domain}"`;
}

export function tlsrptDiscardReason(text: string): string {
  if (/^\s/.test(text)) return 'it starts with whitespace';
  if (/^v=tlsrptv1/i.test(text) && !text.startsWith('v=TLSRPTv1')) return 'the version tag is case-sensitive: it must be "v=TLSRPTv1"';
  if (/^v\s+=|^v=\s/.test(text)) return 'it has whitespace inside "v=TLSRPTv1"';
  if (/^v=TLSRPTv1\s*$/.test(text)) return 'it has no ";" and no rua field';
  return 'it does not begin with exactly "v=TLSRPTv1;"';
}

/** Lower a finding to warn at most, saying so when the RFC alone would make it a failure. */
function capped(f: Finding): Finding {
  if (f.severity !== 'fail') return f;
  return { ...f, severity: capSeverity(f.severity, 'warn'), message: `${f.message} (Senders then send no TLS reports; TLSRPT is optional, so this is a warning.)` };
}

export function checkTlsrptRecord(input: TlsrptRecordCheckInput): CheckOutcome<TlsrptRecordEvidence> {
  const { domain, txt } = input;
  const name = `_smtp._tls.${domain}`;
  const evidence: TlsrptRecordEvidence = { query: dnsEvidence(txt), records: [] };
  const findings: Finding[] = [];

  const bogus = dnssecBogusReason(txt);
  if (bogus) {
    findings.push(capped(dnssecBogusFinding('tlsrpt-record', txt, bogus)));
    return { status: 'warn', summary: `The ${name} lookup failed DNSSEC validation: senders cannot read it.`, findings, evidence };
  }
  if (isResolverFailure(txt)) {
    const why = describeDnsFailure(txt);
    findings.push({ id: 'tlsrpt-record.lookup-failed', severity: 'warn', message: `${why}. This is a resolver problem, not a verdict on the domain.`, refs: [ref('RFC8484')] });
    return { status: 'error', summary: `Could not look up ${name}: ${why}.`, findings, evidence };
  }
  const records = txt.status === 'ok' ? txt.records : [];
  const counted = records.filter((r) => isTlsrptCandidate(r.text));
  let discarded = 0;
  for (const r of records) {
    const isCounted = isTlsrptCandidate(r.text);
    const rec: TlsrptRecordEvidence['records'][number] = { strings: r.strings, text: r.text, counted: isCounted };
    if (!isCounted && looksLikeTlsrpt(r.text)) {
      rec.discardReason = tlsrptDiscardReason(r.text);
      if (discarded++ < 8) {
        findings.push({
          id: 'tlsrpt-record.discarded-record',
          severity: 'warn',
          message:
            `The TXT record "${clip(r.text, 300)}" looks like a TLSRPT record but senders discard it because ${rec.discardReason} (RFC 8460 §3).` +
            (counted.length > 0 ? ' It does not count against the record that does; delete it.' : ' With no other record, senders send no reports.'),
          refs: [REF3],
          level: 'MUST',
          ...(counted.length > 0 ? {} : { fix: tlsrptFix(domain) }),
        });
      }
    }
    evidence.records.push(rec);
  }
  if (txt.status === 'ok' && !txt.ad) findings.push(dnssecUnsignedFinding('tlsrpt-record', txt));
  if (counted.length === 0 && discarded > 0) {
    // A record was published but is thrown away: that finding says it all (not "not deployed").
    return { status: 'warn', summary: `No usable v=TLSRPTv1 record at ${name}: senders discard the one published.`, findings: sortFindings(findings), evidence };
  }
  if (counted.length === 0) {
    findings.push({
      id: 'tlsrpt-record.not-deployed',
      severity: 'warn',
      message: `TLS reporting is not deployed: no TXT record beginning with "v=TLSRPTv1;" at ${name}. Senders cannot tell you when TLS or MTA-STS validation fails for your domain, which is what makes mode "testing" useful (RFC 8460 §3, RFC 8461 §5).`,
      refs: [REF3, ref('RFC8461', '5')],
      fix: tlsrptFix(domain),
    });
    return { status: 'warn', summary: `TLSRPT is not deployed (no v=TLSRPTv1 record at ${name}).`, findings: sortFindings(findings), evidence };
  }
  if (counted.length > 1) {
    findings.push(
      capped({
        id: 'tlsrpt-record.multiple-records',
        severity: 'fail',
        message: `${name} has ${counted.length} records beginning with "v=TLSRPTv1;". If the number is not exactly one, senders MUST NOT send reports (RFC 8460 §3). Merge the rua addresses into one record.`,
        refs: [REF3],
        level: 'MUST',
        fix: tlsrptFix(domain),
      }),
    );
    return { status: 'warn', summary: `${counted.length} v=TLSRPTv1 records: senders send no reports.`, findings: sortFindings(findings), evidence };
  }
  const only = counted[0]!;
  if (only.strings.length > 1) {
    findings.push({
      id: 'tlsrpt-record.split-strings',
      severity: 'info',
      message: `The record is split into ${only.strings.length} character-strings; senders join them without adding spaces (RFC 8460 §3), giving "${only.text}".`,
      refs: [REF3],
    });
  }
  const parsed = parseTlsrptRecord(only.text);
  findings.push(...parsed.findings.map(capped).map((f) => withRecordFix(f, domain)));
  if (parsed.record) evidence.rua = parsed.record.rua.map((u) => ({ uri: u.uri, scheme: u.scheme, supported: u.supported }));
  if (parsed.valid && !txt.ad && only && records.length > 0) {
    const ttl = txt.records.find((r) => r.text === only.text)?.ttl ?? Infinity;
    if (ttl < 3600) {
      findings.push({
        id: 'tlsrpt-record.short-ttl',
        severity: 'info',
        message: `The record's TTL is ${ttl} s and the zone is not DNSSEC-signed. RFC 8460 §7 encourages a large TTL (or DNSSEC) so that an attacker cannot easily redirect your reports.`,
        refs: [ref('RFC8460', '7')],
      });
    }
  }
  let status = statusFromFindings(findings);
  if (!parsed.valid && status === 'pass') status = 'warn';
  const summary = parsed.valid
    ? `One valid record; reports go to ${listSome((evidence.rua ?? []).filter((u) => u.supported).map((u) => clip(u.uri, 200)), 4) || 'no supported address'}.`
    : findings.some((f) => f.id === 'tlsrpt-record.no-usable-rua')
      ? 'No usable rua address (only mailto: and https: are supported): senders send no reports.'
      : 'The record is invalid: senders send no reports.';
  return { status: status === 'fail' ? 'warn' : status, summary, findings: sortFindings(findings), evidence };
}

/**
 * The parser's fixes are record texts with a placeholder address ("v=TLSRPTv1; rua=mailto:…@example.com"):
 * give the whole TXT record for this domain, reports going to tlsrpt@<domain> as in tlsrptFix().
 */
function withRecordFix(f: Finding, domain: string): Finding {
  if (!f.fix?.startsWith('v=TLSRPTv1')) return f;
  const text = domain === 'example.com' ? f.fix : f.fix.replace(/mailto:[^@;,\s]+@example\.com\b/g, `mailto:tlsrpt@${domain}`);
  return { ...f, fix: `_smtp._tls.${domain}. IN TXT "${text}"` };
}

/** Exactly one record that parses: senders will send reports (RFC 8460 §3). */
export function tlsrptDeployed(txt: DnsAnswer<'TXT'>): boolean {
  const counted = txt.status === 'ok' ? txt.records.filter((r) => isTlsrptCandidate(r.text)) : [];
  return counted.length === 1 && parseTlsrptRecord(counted[0]!.text).valid;
}
