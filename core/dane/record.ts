// TLSA records (RFC 6698 §2.1) as SMTP sees them (RFC 7672 §3.1): names of the parameters, the
// presentation text, and whether a record is "usable" for opportunistic DANE TLS.
import type { TlsaRecord } from '../dns/types.ts';
import { hexToBytes } from '../x509/bytes.ts';
import { checkSpki, parseCertificateDer } from '../x509/spki.ts';

/** RFC 7218 mnemonics. */
export const USAGE_NAMES: Record<number, string> = { 0: 'PKIX-TA', 1: 'PKIX-EE', 2: 'DANE-TA', 3: 'DANE-EE' };
export const SELECTOR_NAMES: Record<number, string> = { 0: 'Cert', 1: 'SPKI' };
export const MATCHING_NAMES: Record<number, string> = { 0: 'Full', 1: 'SHA2-256', 2: 'SHA2-512' };

/** Digest lengths in bytes for matching types 1 and 2 (RFC 6698 §2.1.3). */
const DIGEST_BYTES: Record<number, number> = { 1: 32, 2: 64 };

/** A TLSA record bigger than this cannot fit a sane DNS answer (RFC 7671 §10.1). */
const MAX_FULL_BYTES = 16 * 1024;

/** `3 1 1 <hex>`: the RDATA in presentation form, as RFC 8460 §4.5 reports it. */
export function tlsaText(r: Pick<TlsaRecord, 'usage' | 'selector' | 'matchingType' | 'data'>): string {
  return `${r.usage} ${r.selector} ${r.matchingType} ${r.data.toLowerCase()}`;
}

/** `DANE-EE(3) SPKI(1) SHA2-256(1)`. */
export function tlsaMnemonic(r: Pick<TlsaRecord, 'usage' | 'selector' | 'matchingType'>): string {
  const n = (table: Record<number, string>, v: number) => `${table[v] ?? 'unknown'}(${v})`;
  return `${n(USAGE_NAMES, r.usage)} ${n(SELECTOR_NAMES, r.selector)} ${n(MATCHING_NAMES, r.matchingType)}`;
}

export interface TlsaSyntax {
  /** Usable for SMTP: DANE-TA/DANE-EE, known selector and matching type, well-formed data. */
  usable: boolean;
  /** Why the record is unusable (empty when usable). */
  problems: string[];
  /** PKIX-TA(0)/PKIX-EE(1): not for SMTP (RFC 7672 §3.1.3). */
  pkix: boolean;
  /** The certificate association data is malformed for its selector and matching type. */
  malformedData: boolean;
  /** Usage, selector or matching type not defined. */
  unknownParameters: boolean;
}

/** Check one record's parameters and data (RFC 6698 §2.1, RFC 7672 §3.1). */
export function checkTlsaSyntax(r: TlsaRecord): TlsaSyntax {
  const problems: string[] = [];
  let malformedData = false;
  let unknownParameters = false;
  const pkix = r.usage === 0 || r.usage === 1;
  if (pkix) problems.push(`usage ${USAGE_NAMES[r.usage]}(${r.usage}) is not for SMTP: senders treat it as unusable (RFC 7672 §3.1.3)`);
  else if (r.usage !== 2 && r.usage !== 3) {
    unknownParameters = true;
    problems.push(`usage ${r.usage} is not defined (RFC 6698 §2.1.1)`);
  }
  if (r.selector !== 0 && r.selector !== 1) {
    unknownParameters = true;
    problems.push(`selector ${r.selector} is not defined (RFC 6698 §2.1.2)`);
  }
  if (r.matchingType !== 0 && r.matchingType !== 1 && r.matchingType !== 2) {
    unknownParameters = true;
    problems.push(`matching type ${r.matchingType} is not defined (RFC 6698 §2.1.3)`);
  }
  const data = hexToBytes(r.data);
  if (!data || data.length === 0) {
    malformedData = true;
    problems.push('the certificate association data is empty or not hexadecimal (RFC 6698 §2.1.4)');
  } else {
    const want = DIGEST_BYTES[r.matchingType];
    if (want !== undefined && data.length !== want) {
      malformedData = true;
      problems.push(`${MATCHING_NAMES[r.matchingType]} data must be ${want} bytes (${want * 2} hex digits), this is ${data.length} bytes (RFC 6698 §2.1.3)`);
    } else if (r.matchingType === 0) {
      if (data.length > MAX_FULL_BYTES) {
        malformedData = true;
        problems.push(`Full(0) data of ${data.length} bytes is too large`);
      } else if (r.selector === 0) {
        const cert = parseCertificateDer(data);
        if (!cert.ok) {
          malformedData = true;
          problems.push(`Full(0) Cert(0) data is not a DER certificate: ${cert.message}`);
        }
      } else if (r.selector === 1) {
        const spki = checkSpki(data);
        if (!spki.ok) {
          malformedData = true;
          problems.push(`Full(0) SPKI(1) data: ${spki.message}`);
        }
      }
    }
  }
  return { usable: problems.length === 0, problems, pkix, malformedData, unknownParameters };
}

/** The RFC 7672 §3.1 recommendations: `3 1 1` first, `2 0 1` second. */
export function isRecommendedCombination(r: Pick<TlsaRecord, 'usage' | 'selector' | 'matchingType'>): boolean {
  return (r.usage === 3 && r.selector === 1 && r.matchingType === 1) || (r.usage === 2 && r.selector === 0 && r.matchingType === 1);
}

/** The TLSA query name for an SMTP server (RFC 7672 §2.2.3): `_25._tcp.<host>`. */
export function tlsaQueryName(host: string, port = 25): string {
  const h = host.endsWith('.') ? host.slice(0, -1) : host;
  return `_${port}._tcp.${h.toLowerCase()}`;
}
