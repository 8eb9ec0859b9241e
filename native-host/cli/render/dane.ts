// The `dane` check's evidence for people (RFC 7672): per MX host the TLSA records and whether
// DNSSEC validated them, which record matched which certificate on which address, the addresses
// nothing matched, and the `3 1 1` record to publish for the certificate the host presents now.
import { DaneEvidenceSchema, type DaneAddressEvidence, type DaneHostEvidence, type TlsaState } from '../../../core/dane/evidence.ts';
import { statusLabel, type Style } from '../style.ts';
import { printable } from './text.ts';

const STATE_TEXT: Record<TlsaState, string> = {
  secure: 'TLSA records, DNSSEC-validated',
  insecure: 'TLSA records, NOT DNSSEC-validated (senders ignore them)',
  absent: 'no TLSA records',
  bogus: 'DNSSEC bogus (senders treat the host as unreachable)',
  'lookup-failed': 'the TLSA lookup failed',
};

const I = '      ';

export function renderDane(evidence: unknown, style: Style): string[] {
  const parsed = DaneEvidenceSchema.safeParse(evidence);
  if (!parsed.success) return [];
  const lines: string[] = [];
  if (!parsed.data.probed) lines.push(style.dim(`${I}No MX probes: TLSA records were not matched against certificates.`));
  for (const h of parsed.data.hosts) lines.push(...renderHost(h, parsed.data.probed, style));
  return lines;
}

function renderHost(h: DaneHostEvidence, probed: boolean, style: Style): string[] {
  const pref = h.preference !== undefined ? style.dim(` (preference ${h.preference})`) : '';
  const lines = [`${I}${statusLabel(h.status, style)}  ${style.bold(printable(h.host, 253))}${pref}: ${printable(h.summary, 500)}`];
  const stateColour = h.state === 'secure' ? style.green : h.state === 'absent' ? style.dim : h.state === 'insecure' ? style.yellow : style.red;
  const denial = h.state === 'absent' && h.query.ad ? ' (authenticated denial)' : '';
  const why = h.state === 'lookup-failed' || h.state === 'bogus' ? queryReason(h) : '';
  lines.push(`${I}    ${printable(h.tlsaName, 260)} TLSA: ${stateColour(STATE_TEXT[h.state] + denial)}${why}`);
  if (h.state === 'secure' && !h.addressesSecure) lines.push(style.yellow(`${I}    the host's A/AAAA records are not DNSSEC-validated, so senders skip its TLSA records (RFC 7672 §2.2.2)`));
  lines.push(`${I}    ${h.daneInEffect ? style.green('DANE in effect') : 'DANE not in effect'}: ${printable(h.senderAction, 500)}`);
  h.records.forEach((r, i) => {
    const verdict = r.usable ? style.green('usable') : style.red('unusable');
    lines.push(`${I}    [${i}] ${printable(r.text, 600)}  ${style.dim(`${r.mnemonic}, TTL ${r.ttl}`)}: ${verdict}`);
    for (const p of r.problems) lines.push(style.yellow(`${I}        ${printable(p, 500)}`));
    for (const m of r.matched) lines.push(`${I}        matched ${m.depth === 0 ? 'the leaf' : `chain certificate ${m.depth}`} ${printable(m.subject, 200)} on ${printable(m.address, 60)}`);
  });
  if (probed) for (const a of h.addresses) lines.push(...renderAddress(a, h, style));
  const unmatched = h.addresses.filter((a) => a.result === 'mismatch').map((a) => a.address);
  if (unmatched.length > 0) lines.push(style.red(`${I}    no record matches the certificate on ${unmatched.map((a) => printable(a, 60)).join(', ')}`));
  for (const s of h.suggestedRecords) lines.push(`${I}    suggested: ${style.bold(printable(s, 600))}`);
  return lines;
}

function renderAddress(a: DaneAddressEvidence, h: DaneHostEvidence, style: Style): string[] {
  const colour = a.result === 'match' ? style.green : a.result === 'mismatch' ? style.red : style.yellow;
  const leaf = a.leafSubject ? `leaf ${printable(a.leafSubject, 200)}${a.leafSpkiSha256 ? style.dim(` (SPKI SHA-256 ${printable(a.leafSpkiSha256, 64)})`) : ''}` : '';
  const by = a.matchedRecords.length > 0 ? `record ${a.matchedRecords.map((i) => `[${i}]${h.records[i] ? ` ${printable(h.records[i].text, 80)}` : ''}`).join(', ')}` : '';
  const detail = [by && `by ${by}`, leaf].filter(Boolean).join('; ');
  const lines = [`${I}    ${printable(a.address, 60)}: ${colour(a.result)}${a.outcome === 'ok' ? '' : ` (${a.outcome})`}${detail ? `, ${detail}` : ''}`];
  for (const n of a.notes) lines.push(style.dim(`${I}        ${printable(n, 500)}`));
  return lines;
}

function queryReason(h: DaneHostEvidence): string {
  const ede = h.query.ede?.map((e) => `EDE ${e.code}${e.text ? ` ${printable(e.text, 100)}` : ''}`).join(', ');
  const parts = [h.query.status, ede, h.query.message && printable(h.query.message, 200)].filter(Boolean);
  return parts.length > 0 ? ` (${parts.join('; ')})` : '';
}
