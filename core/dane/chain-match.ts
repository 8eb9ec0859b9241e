// Match the usable TLSA records of one MX host against the chain one address presented
// (RFC 7672 §3.1, §3.2): DANE-EE(3) against the leaf only, with no name or expiry checks
// (§3.1.1, §3.2.1); DANE-TA(2) against a certificate the server SENT above the leaf (§3.1.2),
// then the leaf must chain to it by name, be within its validity (RFC 6698 §2.1.1: PKIX path
// validation with that trust anchor) and name a reference identifier (§3.2.2, §3.2.3).
// Signatures are not re-verified here: the chain linkage is by issuer/subject Names.
import type { TlsaRecord } from '../dns/types.ts';
import { certNameMatches } from '../net/cert-name.ts';
import type { AddressProbe } from '../protocol/probe.ts';
import type { Certificate } from '../protocol/tls.ts';
import { base64ToBytes } from '../x509/bytes.ts';
import { issuedBy, parseCertificateDer, type CertificateStructure } from '../x509/spki.ts';
import type { DaneAddressEvidence } from './evidence.ts';
import { tlsaAssociate } from './match.ts';

export interface UsableRecord {
  /** Index in the host's record list (evidence). */
  index: number;
  record: TlsaRecord;
}

export interface RecordHit {
  index: number;
  depth: number;
  cert: Certificate;
}

/** Why a DANE-TA(2) record that matched a certificate of the chain still did not authenticate it. */
export type TaProblem = 'ta-name' | 'ta-chain' | 'ta-expired';

export interface AddressMatch {
  evidence: DaneAddressEvidence;
  hits: RecordHit[];
  /** For `no-tls`: STARTTLS missing or refused (DANE-03), or the handshake failed. */
  noTlsKind?: 'starttls' | 'handshake';
  taProblems: TaProblem[];
  /** A DANE-TA(2) record matched only the leaf, which is not a trust anchor position. */
  taMatchedLeafOnly: boolean;
  /** DANE-EE(3) matched although the leaf is expired or does not name the host (§3.1.1: fine for DANE). */
  eeIgnored: { expired: boolean; nameMismatch: boolean };
}

/** CN values of a one-line DN ("CN=a, O=b"), for the §3.2.3 CN-ID fallback when there are no DNS-IDs. */
function commonNames(subject: string): string[] {
  return [...subject.matchAll(/(?:^|,\s*)CN=([^,]+)/g)].map((m) => (m[1] ?? '').trim()).filter(Boolean);
}

/** The presented identifier that matches one of the reference identifiers, if any (RFC 7672 §3.2.3). */
export function daneNameMatch(cert: Certificate, referenceIds: string[]): string | undefined {
  const presented = cert.dnsNames.length > 0 ? cert.dnsNames : commonNames(cert.subject);
  for (const ref of referenceIds) {
    const m = certNameMatches(presented, ref);
    if (m) return m;
  }
  return undefined;
}

function structure(cert: Certificate): CertificateStructure | undefined {
  const der = cert.derBase64 ? base64ToBytes(cert.derBase64) : undefined;
  if (!der) return undefined;
  const parsed = parseCertificateDer(der);
  return parsed.ok ? parsed.value : undefined;
}

/** Each certificate from the leaf up to `depth` is issued by the next one (by Name). Unknown bytes: assume yes. */
function linkedUpTo(chain: Certificate[], depth: number): boolean {
  for (let i = 0; i < depth; i++) {
    const child = chain[i];
    const parent = chain[i + 1];
    if (!child || !parent) return false;
    const c = structure(child);
    const p = structure(parent);
    if (c && p && !issuedBy(c, p)) return false;
  }
  return true;
}

function withinValidity(cert: Certificate, now: Date): boolean {
  const from = Date.parse(cert.validFrom);
  const to = Date.parse(cert.validTo);
  return !(Number.isFinite(to) && to < now.getTime()) && !(Number.isFinite(from) && from > now.getTime());
}

export async function matchAddress(p: AddressProbe, host: string, usable: UsableRecord[], referenceIds: string[], now: Date): Promise<AddressMatch> {
  const evidence: DaneAddressEvidence = { address: p.address, outcome: p.outcome, result: 'inconclusive', matchedRecords: [], notes: [] };
  const out: AddressMatch = { evidence, hits: [], taProblems: [], taMatchedLeafOnly: false, eeIgnored: { expired: false, nameMismatch: false } };
  if (p.outcome === 'no-starttls' || p.outcome === 'starttls-rejected') {
    evidence.result = 'no-tls';
    out.noTlsKind = 'starttls';
    evidence.notes.push(p.outcome === 'no-starttls' ? 'STARTTLS is not offered.' : `STARTTLS is refused: ${p.message}`);
    return out;
  }
  const tls = p.tls;
  if (p.outcome === 'tls-failed' || (p.outcome === 'ok' && tls && !tls.handshakeCompleted)) {
    evidence.result = 'no-tls';
    out.noTlsKind = 'handshake';
    evidence.notes.push(`The TLS handshake failed: ${tls?.error?.message ?? p.message}`);
    return out;
  }
  const chain = tls?.chain ?? [];
  const leaf = chain[0];
  if (p.outcome !== 'ok' || !leaf) {
    evidence.notes.push(p.outcome === 'ok' ? 'No certificate was presented.' : `Not reached: ${p.message}`);
    return out;
  }
  evidence.leafSubject = leaf.subject;
  evidence.leafSpkiSha256 = leaf.spkiSha256;
  const problems = new Set<TaProblem>();
  for (const { index, record } of usable) {
    if (record.usage === 3) {
      const r = await tlsaAssociate(record, leaf);
      if (r.ok && r.matches) out.hits.push({ index, depth: 0, cert: leaf });
      else if (!r.ok) evidence.notes.push(`Record ${index + 1}: ${r.reason}`);
      continue;
    }
    // DANE-TA(2): the trust anchor must be among the certificates the server sent (RFC 7672 §3.1.2).
    let matchedAbove = false;
    for (let depth = 1; depth < chain.length; depth++) {
      const ta = chain[depth]!;
      const r = await tlsaAssociate(record, ta);
      if (!r.ok || !r.matches) continue;
      matchedAbove = true;
      const local: TaProblem[] = [];
      if (!linkedUpTo(chain, depth)) local.push('ta-chain');
      if (!withinValidity(leaf, now)) local.push('ta-expired');
      if (!daneNameMatch(leaf, referenceIds)) local.push('ta-name');
      if (local.length === 0) {
        out.hits.push({ index, depth, cert: ta });
        break;
      }
      for (const x of local) problems.add(x);
    }
    if (!matchedAbove) {
      const r = await tlsaAssociate(record, leaf);
      if (r.ok && r.matches) out.taMatchedLeafOnly = true;
    }
  }
  evidence.matchedRecords = [...new Set(out.hits.map((h) => h.index))];
  if (out.hits.length > 0) {
    evidence.result = 'match';
    if (out.hits.some((h) => h.depth === 0)) {
      out.eeIgnored.expired = !withinValidity(leaf, now);
      out.eeIgnored.nameMismatch = !certNameMatches(leaf.dnsNames, host);
    }
  } else {
    evidence.result = 'mismatch';
    out.taProblems = [...problems];
    if (problems.has('ta-chain')) evidence.notes.push('A DANE-TA record matches a certificate of the chain, but the leaf does not chain up to it.');
    if (problems.has('ta-expired')) evidence.notes.push('A DANE-TA record matches, but the leaf certificate is expired or not yet valid.');
    if (problems.has('ta-name')) evidence.notes.push(`A DANE-TA record matches, but the leaf names none of ${referenceIds.join(', ')}.`);
    if (out.taMatchedLeafOnly) evidence.notes.push('A DANE-TA record matches the leaf itself; DANE-TA records must match an issuer certificate sent above the leaf.');
    if (problems.size === 0 && !out.taMatchedLeafOnly) evidence.notes.push(`No usable TLSA record matches the presented chain (leaf SPKI SHA-256 ${leaf.spkiSha256}).`);
  }
  return out;
}
