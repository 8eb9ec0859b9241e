// Does a TLSA record match a certificate? RFC 6698 §2.1.2 (selector: the full certificate or its
// SubjectPublicKeyInfo) and §2.1.3 (matching type: the bytes, SHA-256 or SHA-512). The usage
// decides WHICH certificate of the chain is compared; that is evaluate.ts's business.
import type { TlsaRecord } from '../dns/types.ts';
import type { Certificate } from '../protocol/tls.ts';
import { base64ToBytes, bytesToHex, digestHex } from '../x509/bytes.ts';
import { extractSpki } from '../x509/spki.ts';

export type TlsaMatchResult = { ok: true; matches: boolean } | { ok: false; reason: string };

type Cert = Pick<Certificate, 'derBase64' | 'sha256' | 'spkiSha256'>;

/** The bytes a selector picks from a certificate, or why they cannot be had. */
function selected(selector: number, der: Uint8Array): { ok: true; bytes: Uint8Array } | { ok: false; reason: string } {
  if (selector === 0) return { ok: true, bytes: der };
  if (selector === 1) {
    const spki = extractSpki(der);
    return spki.ok ? { ok: true, bytes: spki.value } : { ok: false, reason: spki.message };
  }
  return { ok: false, reason: `selector ${selector} is not defined (RFC 6698 §2.1.2)` };
}

/** Compare one record with one certificate, saying why when it cannot be compared. */
export async function tlsaAssociate(record: Pick<TlsaRecord, 'selector' | 'matchingType' | 'data'>, cert: Cert): Promise<TlsaMatchResult> {
  const want = record.data.toLowerCase();
  if (record.matchingType !== 0 && record.matchingType !== 1 && record.matchingType !== 2) {
    return { ok: false, reason: `matching type ${record.matchingType} is not defined (RFC 6698 §2.1.3)` };
  }
  const der = cert.derBase64 ? base64ToBytes(cert.derBase64) : undefined;
  if (!der || der.length === 0) {
    // The helper leaves derBase64 empty for absurdly large certificates; its SHA-256 hashes remain.
    if (record.matchingType === 1 && record.selector === 0) return { ok: true, matches: cert.sha256 === want };
    if (record.matchingType === 1 && record.selector === 1) return { ok: true, matches: cert.spkiSha256 === want };
    return { ok: false, reason: 'the certificate bytes are not available' };
  }
  const sel = selected(record.selector, der);
  if (!sel.ok) return sel;
  try {
    switch (record.matchingType) {
      case 0:
        return { ok: true, matches: bytesToHex(sel.bytes) === want };
      case 1:
        return { ok: true, matches: (await digestHex('SHA-256', sel.bytes)) === want };
      default:
        return { ok: true, matches: (await digestHex('SHA-512', sel.bytes)) === want };
    }
  } catch (e) {
    return { ok: false, reason: `digest failed: ${e instanceof Error ? e.message : String(e)}` };
  }
}

/** True when the record's association data matches the certificate (selector 0/1, matching type 0/1/2). */
export async function tlsaMatches(record: TlsaRecord, cert: Certificate): Promise<boolean> {
  const r = await tlsaAssociate(record, cert);
  return r.ok && r.matches;
}
