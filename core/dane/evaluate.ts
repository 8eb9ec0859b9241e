// `dane`: TLSA records of every MX host (RFC 7672), CHECKLIST §10 (DANE-01..14). A pure check in
// the style of core/checks/*.ts: the engine looks up `_25._tcp.<host>` TLSA and hands over the MX
// probes; this module judges. Status choices (documented for the UI and the lead):
// - no MX host: `skipped`;
// - no TLSA records anywhere (DANE not deployed): `skipped` with an info finding, because DANE is
//   optional and "pass" would read as "DANE works";
// - records but no probes: the worst syntax/DNSSEC finding if any is warn/fail, else `skipped`
//   with the reason (matching needs the certificates the helper sees);
// - otherwise from the findings; every lookup failed or no address reached: `error`.
import type { DnsAnswer, TlsaRecord } from '../dns/types.ts';
import type { MxProbeResult } from '../protocol/probe.ts';
import type { Certificate } from '../protocol/tls.ts';
import { ref } from '../report/refs.ts';
import { statusFromFindings, type CheckStatus, type Finding, type PolicyMode, type Severity } from '../report/schema.ts';
import { describeDnsFailure, dnsEvidence, dnssecBogusReason, hostName, isResolverFailure, plural, sortFindings } from '../checks/helpers.ts';
import type { CheckOutcome } from '../checks/types.ts';
import { matchAddress, type AddressMatch, type TaProblem, type UsableRecord } from './chain-match.ts';
import type { DaneEvidence, DaneHostEvidence, DaneRecordEvidence, TlsaState } from './evidence.ts';
import { checkTlsaSyntax, isRecommendedCombination, tlsaMnemonic, tlsaQueryName, tlsaText } from './record.ts';

export interface DaneHostInput {
  host: string;
  preference?: number;
  /** The answer for `_25._tcp.<host>` TLSA (CNAMEs at that name already followed). */
  tlsa: DnsAnswer<'TLSA'>;
  /** The host's A/AAAA answers were DNSSEC-validated (MxHostEvidence.addressesSecure). */
  addressesSecure: boolean;
  probe?: MxProbeResult;
}

export interface DaneCheckInput {
  mxHosts: DaneHostInput[];
  /** A prober (the helper) was available, so `probe` results can be matched. */
  probed: boolean;
  stsMode?: PolicyMode;
  /** The email domain: a second DANE-TA reference identifier when the MX RRset is secure (RFC 7672 §3.2.2). */
  domain?: string;
  mxSecure?: boolean;
  proberMissingReason?: string;
  now?: Date;
}

const R = (s: string) => ref('RFC7672', s);
const DAY = 86_400_000;
/** A single DANE-EE SPKI record is worth a warning when the certificate renews within this many days. */
const RENEWAL_SOON_DAYS = 30;

type F = Omit<Finding, 'host'>;

interface HostWork {
  input: DaneHostInput;
  host: string;
  state: TlsaState;
  records: TlsaRecord[];
  usable: UsableRecord[];
  inEffect: boolean;
  matches: AddressMatch[];
  findings: Finding[];
  ev: DaneHostEvidence;
}

function classify(answer: DnsAnswer<'TLSA'>): TlsaState {
  if (dnssecBogusReason(answer)) return 'bogus';
  if (isResolverFailure(answer)) return 'lookup-failed';
  if (answer.status !== 'ok' || answer.records.length === 0) return 'absent';
  return answer.ad ? 'secure' : 'insecure';
}

function suggested(host: string, certs: Certificate[]): string[] {
  return [...new Set(certs.map((c) => c.spkiSha256))].map((spki) => `${tlsaQueryName(host)}. IN TLSA 3 1 1 ${spki}`);
}

function recordFindings(w: HostWork): F[] {
  const out: F[] = [];
  const seen = new Set<string>();
  for (const r of w.records) {
    const text = tlsaText(r);
    if (seen.has(text)) continue;
    seen.add(text);
    const syn = checkTlsaSyntax(r);
    if (syn.pkix) {
      out.push({ id: 'dane.pkix-usage', severity: 'warn', level: 'SHOULD NOT', refs: [R('3.1.3')], message: `The record "${text}" uses ${tlsaMnemonic(r).split(' ')[0]}, which is not for SMTP: TLSA records for port 25 SHOULD NOT use PKIX-TA(0) or PKIX-EE(1), and senders may treat them as unusable (RFC 7672 §3.1.3). Publish a DANE-EE(3) record instead.` });
    }
    if (syn.unknownParameters) {
      out.push({ id: 'dane.unknown-parameters', severity: 'warn', refs: [ref('RFC6698', '2.1')], message: `The record "${text}" has undefined parameters (${syn.problems.join('; ')}); senders treat it as unusable.` });
    }
    if (syn.malformedData) {
      out.push({ id: 'dane.record-malformed', severity: 'warn', refs: [ref('RFC6698', '2.1.3')], message: `The record "${text.slice(0, 120)}" is malformed: ${syn.problems.filter((p) => !p.startsWith('usage')).join('; ')}. Senders treat it as unusable.`, tlsrptResultType: 'tlsa-invalid' });
    }
    if (!syn.usable) continue;
    if (r.matchingType === 0) {
      out.push({ id: 'dane.full-matching-type', severity: 'warn', level: 'SHOULD', refs: [R('3.1.2')], message: `The record "${text.slice(0, 60)}…" uses matching type Full(0). Publishers SHOULD use a digest instead: large records cause interoperability problems (RFC 7672 §3.1.2).` });
    }
    if (r.usage === 2 && r.selector === 1) {
      out.push({ id: 'dane.ta-spki-selector', severity: 'warn', level: 'SHOULD', refs: [R('3.1.2')], message: `The DANE-TA record "${text}" uses selector SPKI(1). DANE-TA records SHOULD use Cert(0), so that the whole trust anchor certificate, with its constraints, is pinned (RFC 7672 §3.1.2).` });
    }
    if (!isRecommendedCombination(r) && r.matchingType !== 0 && !(r.usage === 2 && r.selector === 1)) {
      out.push({ id: 'dane.uncommon-combination', severity: 'info', refs: [R('3.1')], message: `The record "${text}" is ${tlsaMnemonic(r)}. RFC 7672 §3.1 recommends DANE-EE(3) SPKI(1) SHA2-256(1) ("3 1 1"), with DANE-TA(2) Cert(0) SHA2-256(1) ("2 0 1") as the second choice.` });
    }
  }
  return out;
}

function dnsFindings(w: HostWork): F[] {
  const a = w.input.tlsa;
  const name = tlsaQueryName(w.host);
  switch (w.state) {
    case 'bogus':
      return [{ id: 'dane.tlsa-dnssec-bogus', severity: 'fail', refs: [R('2.1.1'), ref('RFC8914', '5')], tlsrptResultType: 'dnssec-invalid', message: `DNSSEC validation of ${name} TLSA failed (${dnssecBogusReason(a)}). DANE senders MUST treat ${w.host} as unreachable: they try another MX or defer delivery (RFC 7672 §2.1.1, §2.2). Fix the zone's signatures (re-sign, check the DS record at the parent).` }];
    case 'lookup-failed': {
      const servfail = a.status === 'servfail';
      return [{ id: 'dane.lookup-failed', severity: servfail ? 'warn' : 'info', refs: [R('2.2.2')], message: servfail
        ? `${describeDnsFailure(a)}. If senders' resolvers fail the same way, DANE senders treat ${w.host} as unreachable (RFC 7672 §2.1.2, §2.2.2: some nameservers mishandle TLSA queries and must answer NODATA instead).`
        : `${describeDnsFailure(a)}. This is a resolver problem here, not a verdict on the domain.` }];
    }
    case 'insecure':
      return [{ id: 'dane.tlsa-not-validated', severity: 'warn', refs: [R('2.1.1'), R('2.2')], message: `${name} has ${plural(w.records.length, 'TLSA record')}, but the answer was not DNSSEC-validated (no AD flag): the zone is unsigned or its chain of trust is broken. Senders ignore TLSA records that are not "secure", so DANE is not in effect for ${w.host} (RFC 7672 §2.1.1, §2.2). Sign the zone and publish a DS record at the parent.` }];
    default:
      return [];
  }
}

function noteAddresses(list: AddressMatch[]): string {
  return list.map((m) => m.evidence.address).join(', ');
}

function matchFindings(w: HostWork, input: DaneCheckInput): F[] {
  const out: F[] = [];
  const s: Severity = w.inEffect ? 'fail' : 'warn';
  const notInEffect = w.inEffect ? '' : ' DANE is not in effect for this host yet (see above), so senders do not act on this today; it matters once it is.';
  const fix = w.ev.suggestedRecords.join('\n') || undefined;
  const noStarttls = w.matches.filter((m) => m.noTlsKind === 'starttls');
  const noHandshake = w.matches.filter((m) => m.noTlsKind === 'handshake');
  const tlsRequired = w.state === 'secure' && w.input.addressesSecure;
  const sNoTls: Severity = tlsRequired ? 'fail' : 'warn';
  if (noStarttls.length > 0) {
    out.push({ id: 'dane.starttls-not-offered', severity: sNoTls, level: 'MUST NOT', refs: [R('2.2')], tlsrptResultType: 'starttls-not-supported', message: `TLSA records are published for ${w.host} but ${noteAddresses(noStarttls)} ${noStarttls.length === 1 ? 'does' : 'do'} not offer STARTTLS. Validated TLSA records MUST NOT be published for servers without TLS; DANE senders will not deliver there (RFC 7672 §2.2).${tlsRequired ? '' : notInEffect}` });
  }
  if (noHandshake.length > 0) {
    out.push({ id: 'dane.tls-failed', severity: sNoTls, refs: [R('2.2')], tlsrptResultType: 'validation-failure', message: `The TLS handshake with ${noteAddresses(noHandshake)} failed. With TLSA records published, DANE senders require TLS and will try another MX or defer (RFC 7672 §2.2).${tlsRequired ? '' : notInEffect}` });
  }
  const matched = w.matches.filter((m) => m.evidence.result === 'match');
  const mismatched = w.matches.filter((m) => m.evidence.result === 'mismatch');
  const byProblem = (p: TaProblem) => mismatched.filter((m) => m.taProblems.includes(p));
  const taTexts: Record<TaProblem, [string, string, Finding['tlsrptResultType'], string]> = {
    'ta-name': ['dane.ta-name-mismatch', `a DANE-TA record matches the chain, but the leaf certificate names none of the reference identifiers (${[w.host, ...(input.mxSecure && input.domain ? [input.domain] : [])].join(', ')}). With DANE-TA(2) senders MUST check names (RFC 7672 §3.2.2, §3.2.3).`, 'certificate-host-mismatch', '3.2.2'],
    'ta-chain': ['dane.ta-chain-broken', 'a DANE-TA record matches a certificate of the presented chain, but the leaf does not chain up to it (issuer and subject names do not link).', 'certificate-not-trusted', '3.1.2'],
    'ta-expired': ['dane.ta-leaf-expired', 'a DANE-TA record matches, but the leaf certificate is expired or not yet valid. Only DANE-EE(3) ignores validity (RFC 7672 §3.1.1); with DANE-TA(2) the chain must pass path validation (RFC 6698 §2.1.1).', 'certificate-expired', '3.1.1'],
  };
  const specific = new Set<AddressMatch>();
  for (const p of ['ta-name', 'ta-chain', 'ta-expired'] as TaProblem[]) {
    const list = byProblem(p);
    if (list.length === 0) continue;
    list.forEach((m) => specific.add(m));
    const [id, text, type, sec] = taTexts[p];
    out.push({ id, severity: s, refs: [R(sec)], tlsrptResultType: type, message: `On ${noteAddresses(list)} ${text}${notInEffect}` });
  }
  const generic = mismatched.filter((m) => !specific.has(m));
  if (generic.length > 0) {
    const allTa = w.usable.every((u) => u.record.usage === 2);
    if (matched.length > 0) {
      out.push({ id: 'dane.rollover-broken', severity: s, level: 'MUST', refs: [R('3.2'), ref('RFC7671', '8.1')], tlsrptResultType: 'tlsa-invalid', fix, message: `${noteAddresses(generic)} present${generic.length === 1 ? 's' : ''} a chain that no TLSA record matches, while ${noteAddresses(matched)} match${matched.length === 1 ? 'es' : ''}: the servers behind ${w.host} disagree, typically a key rollover done on some servers only, or records changed before every server had the new key. DANE senders MUST NOT deliver through the mismatching addresses (RFC 7672 §3.2; RFC 7671 §8.1: publish the new key's record next to the old one before deploying it).${notInEffect}` });
    } else if (allTa) {
      out.push({ id: 'dane.ta-not-in-chain', severity: s, level: 'MUST', refs: [R('3.1.2')], tlsrptResultType: 'tlsa-invalid', fix, message: `No certificate sent by ${noteAddresses(generic)} matches the DANE-TA record${w.usable.length === 1 ? '' : 's'}${generic.some((m) => m.taMatchedLeafOnly) ? ' (one matches only the leaf, which is not a trust anchor position)' : ''}. Servers relying on DANE-TA(2) MUST include the trust anchor certificate in the chain they present, even when it is a self-signed root (RFC 7672 §3.1.2); or the record names an old CA. Either send the TA certificate, or publish a DANE-EE record for the current key.${notInEffect}` });
    } else {
      out.push({ id: 'dane.no-match', severity: s, level: 'MUST', refs: [R('3.2')], tlsrptResultType: 'tlsa-invalid', fix, message: `The chain presented by ${noteAddresses(generic)} matches none of the ${plural(w.usable.length, 'usable TLSA record')} (leaf SPKI SHA-256 ${[...new Set(generic.map((m) => m.evidence.leafSpkiSha256))].join(', ')}). DANE senders MUST NOT deliver to this host when authentication fails (RFC 7672 §3.2): replace the record with one for the current certificate.${notInEffect}` });
    }
  }
  // Which record matched which certificate on which address.
  for (const u of w.usable) {
    const refs = w.ev.records[u.index]?.matched ?? [];
    if (refs.length === 0) continue;
    const certs = [...new Set(refs.map((c) => `${c.depth === 0 ? 'leaf' : `depth ${c.depth}`} ${c.subject}`))].join('; ');
    out.push({ id: 'dane.record-matches', severity: 'info', refs: [R(u.record.usage === 3 ? '3.1.1' : '3.1.2')], message: `The record "${tlsaText(u.record)}" (${tlsaMnemonic(u.record)}) matches ${certs} on ${[...new Set(refs.map((c) => c.address))].join(', ')}.` });
  }
  // With no record matching anywhere on the host, the unmatched records ARE the failure reported
  // above, not a possible "next" key.
  if (matched.length > 0) {
    for (const u of w.usable) {
      if ((w.ev.records[u.index]?.matched.length ?? 0) > 0) continue;
      out.push({ id: 'dane.record-unmatched', severity: 'info', refs: [ref('RFC7671', '8.1')], message: `The record "${tlsaText(u.record)}" matches no certificate presented now: either the "next" key published ahead of a rollover (fine, RFC 7671 §8.1), or a stale record to remove once it is no longer needed.` });
    }
  }
  if (matched.some((m) => m.eeIgnored.expired || m.eeIgnored.nameMismatch)) {
    const what = [matched.some((m) => m.eeIgnored.expired) ? 'is expired' : '', matched.some((m) => m.eeIgnored.nameMismatch) ? `does not name ${w.host}` : ''].filter(Boolean).join(' and ');
    out.push({ id: 'dane.ee-ignores-name-expiry', severity: 'info', level: 'MUST', refs: [R('3.1.1'), R('3.2.1'), ref('RFC8461', '4.2')], message: `The certificate ${what}, but a DANE-EE(3) record matches it: DANE senders ignore names and expiry for DANE-EE (RFC 7672 §3.1.1, §3.2.1), so DANE delivery works. Senders applying MTA-STS still require a valid, matching certificate (RFC 8461 §4.2; see the starttls check).` });
  }
  return out;
}

/** An address of the host fails DANE (no TLS, or a chain no record authenticates). */
function hostFails(w: HostWork): boolean {
  return w.matches.some((m) => m.evidence.result === 'mismatch' || m.evidence.result === 'no-tls');
}

function rolloverFindings(w: HostWork, input: DaneCheckInput): F[] {
  // Rollover advice on top of a failing host would contradict the failure findings (which give the fix).
  if (!w.inEffect || hostFails(w)) return [];
  const usable = w.usable.map((u) => u.record);
  if (usable.length >= 2) {
    const unmatched = w.usable.filter((u) => (w.ev.records[u.index]?.matched.length ?? 0) === 0).length;
    if (input.probed && unmatched > 0 && unmatched < usable.length) {
      return [{ id: 'dane.rollover-ready', severity: 'info', refs: [ref('RFC7671', '8.1'), R('9.2')], message: `${w.host} publishes ${usable.length} usable records, ${usable.length - unmatched} matching the current chain and ${unmatched} for another key: a "current + next" set that lets the key change without breaking DANE (RFC 7671 §8.1).` }];
    }
    return [];
  }
  const only = usable[0];
  if (!only) return [];
  const leaves = w.matches.map((m) => m.hits.find((h) => h.depth === 0)?.cert).filter((c): c is Certificate => c !== undefined);
  const daysLeft = leaves.length > 0 ? Math.min(...leaves.map((c) => Math.floor((Date.parse(c.validTo) - (input.now ?? new Date()).getTime()) / DAY))) : undefined;
  const base = `Only one usable TLSA record is published for ${w.host}. Before the key or certificate it pins changes, publish the next one's record next to it at least two TTLs ahead, then remove the old one after the change (RFC 7671 §8.1, RFC 7672 §9.2).`;
  const refs = [ref('RFC7671', '8.1'), R('9.2')];
  if (only.usage === 3 && only.selector === 0) {
    return [{ id: 'dane.single-record', severity: 'warn', refs, message: `${base} This "3 0 x" record pins the whole certificate, which changes at every renewal: DANE senders will refuse the host from the first renewal unless the record is updated first. Prefer "3 1 1" (the key) and keep the key across renewals.` }];
  }
  if (only.usage === 3) {
    const soon = daysLeft !== undefined && daysLeft <= RENEWAL_SOON_DAYS;
    return [{ id: 'dane.single-record', severity: soon ? 'warn' : 'info', refs, message: `${base}${soon ? ` The certificate is renewed within ${plural(Math.max(daysLeft ?? 0, 0), 'day')}: if the renewal makes a new key (many ACME clients do by default), DANE senders will refuse the host until the record is updated.` : ' A "3 1 1" record survives renewals only while the key is reused (e.g. certbot --reuse-key).'}` }];
  }
  const ta = w.matches.flatMap((m) => m.hits).find((h) => h.index === w.usable[0]?.index)?.cert;
  const intermediate = ta ? !ta.selfSigned : false;
  return [{ id: 'dane.single-record', severity: intermediate ? 'warn' : 'info', refs, message: `${base}${intermediate ? ` The DANE-TA record pins an intermediate CA (${ta?.subject}); CAs rotate intermediates, so publish the next intermediate's record too (or pin the root and send it in the chain).` : ''}` }];
}

function senderAction(w: HostWork, stsMode: PolicyMode | undefined): string {
  const fallback = stsMode === 'enforce' || stsMode === 'testing' ? `the domain's MTA-STS policy (mode ${stsMode}) applies instead` : 'the sender uses opportunistic TLS (possibly cleartext)';
  switch (w.state) {
    case 'bogus':
      return 'Treats the host as unreachable (DNSSEC-bogus TLSA answer): tries another MX or defers delivery.';
    case 'lookup-failed':
      return w.input.tlsa.status === 'servfail' ? 'If its resolver also fails, treats the host as unreachable and defers.' : 'Unknown: the TLSA lookup failed here.';
    case 'absent':
    case 'insecure':
      return `No DANE for this host: ${fallback}.`;
  }
  if (!w.input.addressesSecure) return `Skips the TLSA lookup because the host's addresses are not DNSSEC-validated: ${fallback}.`;
  if (!w.inEffect) return 'Requires TLS but cannot authenticate the certificate (every TLSA record is unusable).';
  const bad = w.matches.filter((m) => m.evidence.result === 'mismatch' || m.evidence.result === 'no-tls');
  const good = w.matches.filter((m) => m.evidence.result === 'match');
  if (bad.length > 0) return `Refuses ${noteAddresses(bad)} (no authenticated TLS)${good.length > 0 ? ` and delivers through ${noteAddresses(good)}` : ', then tries another MX or defers delivery'}; MTA-STS must not override this (RFC 8461 §2).`;
  if (good.length > 0) return 'Requires TLS and authenticates the certificate with the TLSA records: delivers.';
  return 'Requires TLS and a certificate matching the TLSA records (not tested here).';
}

async function evaluateHost(h: DaneHostInput, input: DaneCheckInput, now: Date): Promise<HostWork> {
  const host = hostName(h.host);
  const state = classify(h.tlsa);
  const records = state === 'secure' || state === 'insecure' ? h.tlsa.records : [];
  const recEv: DaneRecordEvidence[] = records.map((r) => {
    const syn = checkTlsaSyntax(r);
    return { text: tlsaText(r), mnemonic: tlsaMnemonic(r), usage: r.usage, selector: r.selector, matchingType: r.matchingType, ttl: r.ttl, usable: syn.usable, problems: syn.problems, matched: [] };
  });
  const usable: UsableRecord[] = records.map((record, index) => ({ record, index })).filter((u) => recEv[u.index]?.usable);
  const inEffect = state === 'secure' && h.addressesSecure && usable.length > 0;
  const ev: DaneHostEvidence = {
    host,
    preference: h.preference,
    tlsaName: tlsaQueryName(host),
    query: dnsEvidence(h.tlsa),
    addressesSecure: h.addressesSecure,
    state,
    daneInEffect: inEffect,
    status: 'skipped',
    summary: '',
    senderAction: '',
    records: recEv,
    addresses: [],
    suggestedRecords: [],
  };
  const w: HostWork = { input: h, host, state, records, usable, inEffect, matches: [], findings: [], ev };
  const probes = input.probed ? (h.probe?.addresses ?? []) : [];
  const referenceIds = [host, ...(input.mxSecure && input.domain ? [hostName(input.domain)] : [])];
  // Without records there is nothing to match: no per-address verdicts, only the suggested record.
  for (const p of records.length > 0 ? probes : []) {
    const m = await matchAddress(p, host, usable, referenceIds, now);
    w.matches.push(m);
    ev.addresses.push(m.evidence);
    for (const hit of m.hits) ev.records[hit.index]?.matched.push({ address: p.address, depth: hit.depth, subject: hit.cert.subject, sha256: hit.cert.sha256 });
  }
  ev.suggestedRecords = suggested(host, probes.flatMap((p) => (p.outcome === 'ok' && p.tls?.chain[0] ? [p.tls.chain[0]] : [])));
  const f: F[] = [...dnsFindings(w)];
  if (records.length > 0) {
    f.push(...recordFindings(w));
    if (state === 'secure' && usable.length === 0) {
      f.push({ id: 'dane.no-usable-records', severity: 'warn', refs: [R('2.2'), ref('RFC8460', '4.3.2.1')], tlsrptResultType: 'tlsa-invalid', message: `${ev.tlsaName} has validated TLSA records, but none is usable for SMTP. DANE senders then require TLS without authenticating the certificate (RFC 7672 §2.2). Publish a "3 1 1" record for the current key.`, fix: ev.suggestedRecords.join('\n') || undefined });
    }
    if (state === 'secure' && !h.addressesSecure) {
      f.push({ id: 'dane.addresses-not-validated', severity: 'warn', refs: [R('2.2.2')], message: `The TLSA records of ${host} are validated, but its A/AAAA answers are not. Senders SHOULD NOT look up TLSA records when the address records are "insecure" (RFC 7672 §2.2.2), so DANE is not in effect for this host. Sign the zone that holds ${host}'s addresses.` });
    }
    if (probes.length > 0) f.push(...matchFindings(w, input));
    f.push(...rolloverFindings(w, input));
  }
  w.findings = f.map((x) => ({ ...x, host }));
  ev.senderAction = senderAction(w, input.stsMode);
  ev.status = hostStatus(w, input);
  ev.summary = hostSummary(w, input);
  return w;
}

function hostStatus(w: HostWork, input: DaneCheckInput): CheckStatus {
  if (w.state === 'lookup-failed') return statusFromFindings(w.findings) === 'warn' ? 'warn' : 'error';
  if (w.state === 'absent') return 'skipped';
  const st = statusFromFindings(w.findings);
  if (st !== 'pass') return st;
  if (!input.probed || !w.input.probe) return 'skipped';
  if (w.inEffect && w.matches.every((m) => m.evidence.result === 'inconclusive')) return 'error';
  return 'pass';
}

function hostSummary(w: HostWork, input: DaneCheckInput): string {
  const n = plural(w.records.length, 'TLSA record');
  switch (w.state) {
    case 'absent':
      return `No TLSA records at ${w.ev.tlsaName}${w.input.tlsa.ad ? ' (authenticated denial)' : ''}: DANE is not deployed for ${w.host}.${w.ev.suggestedRecords.length > 0 ? ` To deploy it, publish the suggested record${w.ev.suggestedRecords.length === 1 ? '' : 's'} in a DNSSEC-signed zone.` : ''}`;
    case 'bogus':
      return `The TLSA answer is DNSSEC-bogus: DANE senders treat ${w.host} as unreachable.`;
    case 'lookup-failed':
      return `Could not look up the TLSA records. ${describeDnsFailure(w.input.tlsa)}.`;
    case 'insecure':
      return `${n}, not DNSSEC-validated: senders ignore them.`;
  }
  if (!w.inEffect) return `${n}, validated, but DANE is not in effect (${w.usable.length === 0 ? 'no usable record' : 'addresses not validated'}).`;
  if (!input.probed || !w.input.probe) return `${n}, validated; matching skipped (no probe).`;
  const good = w.matches.filter((m) => m.evidence.result === 'match').length;
  const reached = w.matches.filter((m) => m.evidence.result !== 'inconclusive').length;
  if (reached === 0) return `${n}, validated; no address could be reached to match them.`;
  return `${n}, validated; ${good} of ${plural(reached, 'reached address', 'reached addresses')} authenticated by DANE.`;
}

function interplayFinding(hosts: HostWork[], stsMode: PolicyMode | undefined): F {
  const inEffect = hosts.filter((w) => w.inEffect);
  const failing = inEffect.filter((w) => w.matches.some((m) => m.evidence.result === 'mismatch' || m.evidence.result === 'no-tls'));
  const sts = stsMode === 'enforce' || stsMode === 'testing' ? `The domain also has an MTA-STS policy in mode ${stsMode}: it` : 'MTA-STS';
  const failingText = failing.length > 0
    ? ` Today DANE fails on at least one address of ${failing.map((w) => w.host).join(', ')}: a DANE-capable sender will not deliver there even where MTA-STS would accept the certificate.`
    : '';
  return {
    id: 'dane.mta-sts-interplay',
    severity: 'info',
    level: 'MUST NOT',
    refs: [ref('RFC8461', '2'), R('2.2')],
    message: `A sender that supports DANE uses the TLSA records of ${inEffect.map((w) => w.host).join(', ')} and, if it also implements MTA-STS, MUST NOT let MTA-STS validation override a failing DANE validation (RFC 8461 §2). ${sts} governs senders that do not do DANE, and hosts without validated TLSA records.${failingText} Note that some sender software lets a passing MTA-STS check override DANE, or checks only one of the two, so keep both valid.`,
  };
}

/**
 * The first sentence of a finding, with its full stop: the end is a full stop followed by a
 * sentence start, so "e.g. certbot" and addresses like 192.0.2.1 do not cut it short.
 */
export function firstSentence(text: string): string {
  const m = /^([\s\S]*?[.!?])\s+(?=[A-Z0-9_"(])/.exec(text);
  const first = (m?.[1] ?? text).trim();
  return /[.!?]$/.test(first) ? first : `${first}.`;
}

export async function evaluateDane(input: DaneCheckInput): Promise<CheckOutcome<DaneEvidence>> {
  const now = input.now ?? new Date();
  const evidence: DaneEvidence = { probed: input.probed, hosts: [] };
  if (input.stsMode) evidence.stsMode = input.stsMode;
  if (input.mxHosts.length === 0) return { status: 'skipped', summary: 'No MX host to look up TLSA records for.', findings: [], evidence };
  const hosts: HostWork[] = [];
  for (const h of input.mxHosts) hosts.push(await evaluateHost(h, input, now));
  evidence.hosts = hosts.map((w) => w.ev);
  const findings: Finding[] = hosts.flatMap((w) => w.findings);

  const withRecords = hosts.filter((w) => w.records.length > 0);
  const inEffect = hosts.filter((w) => w.inEffect);
  const failedLookups = hosts.filter((w) => w.state === 'lookup-failed' || w.state === 'bogus');
  if (withRecords.length === 0 && failedLookups.length === 0) {
    const fixes = hosts.flatMap((w) => w.ev.suggestedRecords);
    findings.push({ id: 'dane.not-deployed', severity: 'info', refs: [R('2.2'), ref('RFC8461', '2')], message: `DANE is not deployed: no MX host has TLSA records at _25._tcp.<host>. DANE is optional; it needs a DNSSEC-signed zone for the MX hosts and gives downgrade-resistant TLS to senders that support it (RFC 7672), next to MTA-STS.${fixes.length > 0 ? ' The records matching the certificates the MX hosts present now are given as the fix.' : ''}`, ...(fixes.length > 0 ? { fix: fixes.join('\n') } : {}) });
    return { status: 'skipped', summary: 'DANE is not deployed: no TLSA records for any MX host (optional).', findings, evidence };
  }
  if (inEffect.length > 0 && inEffect.length < hosts.length) {
    const without = hosts.filter((w) => !w.inEffect).map((w) => w.host);
    findings.push({ id: 'dane.partial', severity: 'info', refs: [R('2.2.1')], message: `DANE protects only some MX hosts: ${inEffect.map((w) => w.host).join(', ')} ${inEffect.length === 1 ? 'has' : 'have'} validated TLSA records, ${without.join(', ')} ${without.length === 1 ? 'has' : 'have'} none in effect. Senders keep MX preference order (RFC 7672 §2.2.1), so mail through the hosts without DANE is not downgrade-resistant.` });
  }
  if (inEffect.length > 0) findings.push(interplayFinding(hosts, input.stsMode));
  if (!input.probed && withRecords.length > 0) {
    findings.push({ id: 'dane.matching-skipped', severity: 'info', refs: [R('3.2')], message: `The records were checked for syntax and DNSSEC only. ${input.proberMissingReason ?? 'Matching them against the certificates the MX hosts present needs the helper (a browser cannot open SMTP connections).'}` });
  }

  let status: CheckStatus = statusFromFindings(findings);
  const statuses = hosts.map((w) => w.ev.status).filter((s) => s !== 'skipped');
  if (status === 'pass') {
    if (statuses.length === 0) status = 'skipped';
    else if (statuses.every((s) => s === 'error')) status = 'error';
    else if (statuses.some((s) => s === 'error')) status = 'warn';
  }
  const sorted = sortFindings(findings);
  const worst = sorted.find((f) => f.severity !== 'info');
  const head = `${inEffect.length} of ${plural(hosts.length, 'MX host')} with DANE in effect`;
  const summary =
    status === 'skipped'
      ? `${head}; matching skipped: ${input.probed ? 'no address was probed' : 'no MX probe (needs the helper)'}.`
      : status === 'error'
        ? `${head}; could not ${failedLookups.length > 0 ? 'look up TLSA records' : 'reach an MX address to match the records'}.`
        : status === 'pass'
          ? `${head}; every reached address presents a certificate that matches its TLSA records.`
          : `${head}. ${worst ? firstSentence(worst.message) : 'Some MX hosts could not be checked (see each host).'}`;
  return { status, summary, findings: sorted, evidence };
}
