// `sts-record`: the `_mta-sts.<domain>` TXT record (RFC 8461 §3.1): exactly one record that begins
// with "v=STSv1;", strict grammar (parsed by core/parse/sts-record.ts), plus the policy history
// comparison (STS-TXT-07: the policy changed but the id did not).
import type { DnsAnswer } from '../dns/types.ts';
import { looksLikeSts, isStsCandidate, parseStsRecord } from '../parse/sts-record.ts';
import type { PolicyHistoryEntry } from '../ports.ts';
import { ref } from '../report/refs.ts';
import { statusFromFindings, type Finding } from '../report/schema.ts';
import type { StsRecordEvidence } from './evidence.ts';
import {
  describeDnsFailure,
  dnsEvidence,
  dnssecBogusFinding,
  dnssecBogusReason,
  dnssecUnsignedFinding,
  freshPolicyId,
  isResolverFailure,
  listSome,
  clip,
  sortFindings,
} from './helpers.ts';
import type { CheckOutcome } from './types.ts';

export interface StsRecordCheckInput {
  domain: string;
  txt: DnsAnswer<'TXT'>;
  /** The policy host answered with a policy (HTTP 200): said when there is no TXT record. */
  policyServed?: boolean;
  /** STS-TXT-07: what the local history holds and the hash of the body fetched now. */
  history?: { previous?: PolicyHistoryEntry; currentSha256?: string };
  now: Date;
}

const REF31 = ref('RFC8461', '3.1');

/** Why a record that resembles an STS record is discarded before counting (ambiguity A9, A2, A4). */
export function stsDiscardReason(text: string): string {
  const t = text;
  if (/^\s/.test(t)) return 'it starts with whitespace; the record must begin with exactly "v=STSv1;"';
  if (/^v\s*=\s*STSv1\s+;/.test(t) || /^v\s+=/.test(t) || /^v=\s+/.test(t)) return 'it has whitespace inside "v=STSv1;"';
  if (/^v=STSv1$/.test(t) || /^v=STSv1\s*$/.test(t)) return 'it is "v=STSv1" without the ";" and an id';
  if (/^v=stsv1/i.test(t) && !t.startsWith('v=STSv1')) return 'the version tag is case-sensitive: it must be "v=STSv1"';
  if (/^v=STSv1[^;]/.test(t)) return 'the version tag is not followed directly by ";"';
  return 'it does not begin with exactly "v=STSv1;"';
}

export function checkStsRecord(input: StsRecordCheckInput): CheckOutcome<StsRecordEvidence> {
  const { domain, txt, now } = input;
  const name = `_mta-sts.${domain}`;
  const evidence: StsRecordEvidence = { query: dnsEvidence(txt), records: [] };
  const findings: Finding[] = [];

  const bogus = dnssecBogusReason(txt);
  if (bogus) {
    findings.push(dnssecBogusFinding('sts-record', txt, bogus));
    return { status: 'fail', summary: `The ${name} lookup failed DNSSEC validation: senders behind validating resolvers see no MTA-STS.`, findings, evidence };
  }
  if (isResolverFailure(txt)) {
    const why = describeDnsFailure(txt);
    findings.push({ id: 'sts-record.lookup-failed', severity: 'warn', message: `${why}. This is a resolver problem, not a verdict on the domain.`, refs: [ref('RFC8484')] });
    return { status: 'error', summary: `Could not look up ${name}: ${why}.`, findings, evidence };
  }

  const records = txt.status === 'ok' ? txt.records : [];
  const counted = records.filter((r) => isStsCandidate(r.text));
  const nearMisses: { text: string; reason: string }[] = [];
  for (const r of records) {
    const isCounted = isStsCandidate(r.text);
    const rec: StsRecordEvidence['records'][number] = { strings: r.strings, text: r.text, counted: isCounted };
    if (!isCounted && looksLikeSts(r.text)) {
      rec.discardReason = stsDiscardReason(r.text);
      nearMisses.push({ text: r.text, reason: rec.discardReason });
    }
    evidence.records.push(rec);
  }
  for (const miss of nearMisses.slice(0, 8)) findings.push(discardedFinding(domain, miss, counted.length, now, input.policyServed === true));

  if (txt.cnameChain.length > 0) {
    findings.push({
      id: 'sts-record.cname',
      severity: 'info',
      message: `${name} is an alias (${txt.cnameChain.map((c) => `${c.name} → ${c.target}`).join(', ')}); senders follow it (policy delegation, RFC 8461 §8.2).`,
      refs: [REF31, ref('RFC8461', '8.2')],
    });
  }
  if (txt.status === 'ok' || txt.status === 'nodata') {
    if (!txt.ad) findings.push(dnssecUnsignedFinding('sts-record', txt));
  }

  if (counted.length === 0 && nearMisses.length > 0) {
    // The administrator did publish a record, but senders throw it away: that is the failure to
    // name (discardedFinding), not "MTA-STS is not deployed".
    return {
      status: 'fail',
      summary: `No usable v=STSv1 record at ${name}: senders discard "${clip(nearMisses[0]!.text, 80)}" (${nearMisses[0]!.reason}).`,
      findings: sortFindings(findings),
      evidence,
    };
  }
  if (counted.length === 0) {
    const served = input.policyServed
      ? ` A policy file is served at https://mta-sts.${domain}/.well-known/mta-sts.txt, but senders never fetch it without this record.`
      : '';
    findings.push({
      id: 'sts-record.not-deployed',
      severity: 'fail',
      message:
        `MTA-STS is not deployed: there is no TXT record beginning with "v=STSv1;" at ${name}` +
        (txt.status === 'nxdomain' ? ' (the name does not exist)' : '') +
        `, so senders never look for a policy (RFC 8461 §3.1).${served}`,
      refs: [REF31],
      level: 'MUST',
      fix: `${name}. IN TXT "v=STSv1; id=${freshPolicyId(now)}"`,
    });
    return { status: 'fail', summary: `MTA-STS is not deployed: no v=STSv1 record at ${name}.${input.policyServed ? ' A policy is served anyway.' : ''}`, findings: sortFindings(findings), evidence };
  }
  if (counted.length > 1) {
    // A capped answer (thousands of records) says how many there were in all.
    const many = txt.recordsCapped ? `${txt.recordsCapped.total} TXT records, at least ${counted.length}` : String(counted.length);
    findings.push({
      id: 'sts-record.multiple-records',
      severity: 'fail',
      message: `${name} has ${many} records beginning with "v=STSv1;" (${listSome(counted.map((r) => `"${clip(r.text, 100)}"`), 4)}). If the number is not exactly one, senders MUST assume the domain has no MTA-STS policy (RFC 8461 §3.1), even when the records are identical. Delete all of them and publish the single record below.`,
      refs: [REF31],
      level: 'MUST',
      // The one record to keep (a fresh id, so senders that cached anything refetch).
      fix: `${name}. IN TXT "v=STSv1; id=${freshPolicyId(now)}"`,
    });
    return { status: 'fail', summary: `${many} v=STSv1 records: senders ignore them all.`, findings: sortFindings(findings), evidence };
  }

  const only = counted[0]!;
  if (only.strings.length > 1) {
    findings.push({
      id: 'sts-record.split-strings',
      severity: 'info',
      message: `The record is split into ${only.strings.length} character-strings (${listSome(only.strings.map((s) => `"${clip(s, 100)}"`), 8, ' ')}); senders join them without adding spaces (RFC 8461 §3.1), giving "${clip(only.text, 300)}".`,
      refs: [REF31],
    });
  }
  const parsed = parseStsRecord(only.text, { now });
  findings.push(...parsed.findings.map((f) => withRecordFix(f, name)));
  if (parsed.valid && parsed.record) {
    evidence.id = parsed.record.id;
    if (parsed.record.extensions.length > 0) evidence.extensions = parsed.record.extensions.map((e) => ({ name: e.name, value: e.value }));
    findings.push(...historyFindings(input, parsed.record.id));
  }
  const status = parsed.valid ? statusFromFindings(findings) : 'fail';
  const summary = parsed.valid
    ? `One valid record, id=${parsed.record?.id ?? '?'}.`
    : `The record is invalid: senders treat the domain as having no MTA-STS policy.`;
  return { status, summary, findings: sortFindings(findings), evidence };
}

/** The parser's fixes are record texts ("v=STSv1; id=…"): give them as the whole TXT record to publish. */
function withRecordFix(f: Finding, name: string): Finding {
  return f.fix?.startsWith('v=STSv1') ? { ...f, fix: `${name}. IN TXT "${f.fix}"` } : f;
}

/**
 * A near-miss ("v=STSv1 ; id=…", "v=stsv1; …") is thrown away before counting (RFC 8461 §3.1,
 * ambiguity A2/A4/A9). With no other record it is why MTA-STS is off: fail, with the corrected
 * record as the fix. Next to a counted record it changes nothing for senders: warn, delete it.
 */
function discardedFinding(domain: string, miss: { text: string; reason: string }, countedRecords: number, now: Date, policyServed: boolean): Finding {
  const name = `_mta-sts.${domain}`;
  const text = clip(miss.text, 300);
  // The parser explains whitespace and case in the version tag, naming the RFC ambiguity.
  const parserWhy = parseStsRecord(miss.text, { now }).findings.find((f) => f.id === 'sts-record.space-before-semicolon' || f.id === 'sts-record.bad-version');
  const why = parserWhy ? parserWhy.message : `Senders discard it because ${miss.reason} (RFC 8461 §3.1).`;
  if (countedRecords > 0) {
    return {
      id: 'sts-record.discarded-record',
      severity: 'warn',
      message: `The TXT record "${text}" looks like an MTA-STS record but is not one for senders: ${why} It does not count against the record that does, but it confuses whoever edits the zone next: delete it.`,
      refs: [REF31],
    };
  }
  const served = policyServed ? ` A policy file is served at https://mta-sts.${domain}/.well-known/mta-sts.txt, but senders never fetch it while this record is discarded.` : '';
  return {
    id: 'sts-record.discarded-record',
    severity: 'fail',
    message: `The TXT record "${text}" at ${name} looks like an MTA-STS record, but senders discard it, so for them MTA-STS is not deployed: ${why}${served}`,
    refs: [REF31],
    level: 'MUST',
    fix: `${name}. IN TXT "${correctedRecord(miss.text, now)}"`,
  };
}

/** The look-alike with its version tag repaired, when the rest of it is valid; else a fresh record. */
export function correctedRecord(text: string, now: Date): string {
  const repaired = text.trim().replace(/^v\s*=\s*stsv1\s*(;\s*|\s+|$)/i, 'v=STSv1; ');
  const parsed = parseStsRecord(repaired, { now });
  return parsed.valid ? repaired.trimEnd() : `v=STSv1; id=${freshPolicyId(now)}`;
}

/** STS-TXT-07 (RFC 8461 §3.1): the id must change whenever the policy changes. */
function historyFindings(input: StsRecordCheckInput, id: string): Finding[] {
  const h = input.history;
  if (!h || !h.currentSha256) return [];
  const prev = h.previous;
  if (!prev) {
    return [
      {
        id: 'sts-record.history-first-seen',
        severity: 'info',
        message: `First time this policy is seen here: from now on, a change of the policy without a change of id=${id} will be flagged.`,
        refs: [REF31],
      },
    ];
  }
  if (prev.id === id && prev.policySha256 !== h.currentSha256) {
    return [
      {
        id: 'sts-record.id-not-changed',
        severity: 'warn',
        message: `The policy file changed since ${prev.lastSeen} but the TXT record still says id=${id}. Senders that cached the old policy only refetch when the id changes, so they keep applying the old policy until its max_age runs out (RFC 8461 §3.1: the id MUST change whenever the policy changes).`,
        refs: [REF31, ref('RFC8461', '3.3')],
        level: 'MUST',
        fix: `_mta-sts.${input.domain}. IN TXT "v=STSv1; id=${freshPolicyId(input.now)}"`,
      },
    ];
  }
  return [];
}

/** What senders conclude from the TXT answer: how many records count, and whether the one record is valid. */
export function stsRecordState(txt: DnsAnswer<'TXT'>): { counted: number; valid: boolean; id?: string } {
  const counted = txt.status === 'ok' ? txt.records.filter((r) => isStsCandidate(r.text)) : [];
  if (counted.length !== 1) return { counted: counted.length, valid: false };
  const parsed = parseStsRecord(counted[0]!.text);
  return parsed.valid && parsed.record ? { counted: 1, valid: true, id: parsed.record.id } : { counted: 1, valid: false };
}
