// The parts of an X.509 certificate (RFC 5280 §4.1) that DANE needs: the exact DER of the
// SubjectPublicKeyInfo (TLSA selector SPKI(1), RFC 6698 §2.1.2) and the raw issuer and subject
// Names (to follow a presented chain from the leaf to a DANE-TA(2) trust anchor by name).
// Never throws: results are values.
import { readChildren, readSingle, readTlv, TAG, tlvBytes, type Tlv } from './der.ts';
import { bytesEqual } from './bytes.ts';

/** A certificate is at most a few KiB; the helper's schema caps the base64 at 64 KiB. */
export const MAX_CERTIFICATE_BYTES = 64 * 1024;

export interface CertificateStructure {
  /** The DER of tbsCertificate. */
  tbs: Uint8Array;
  /** The DER of the issuer Name. */
  issuer: Uint8Array;
  /** The DER of the subject Name. */
  subject: Uint8Array;
  /** The DER of subjectPublicKeyInfo, exactly as in the certificate. */
  spki: Uint8Array;
}

export type X509Result<T> = { ok: true; value: T } | { ok: false; message: string };

function bad(message: string): { ok: false; message: string } {
  return { ok: false, message: `Not a readable X.509 certificate (RFC 5280 §4.1): ${message}` };
}

/**
 * Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }
 * TBSCertificate ::= SEQUENCE { [0] version OPTIONAL, serialNumber, signature, issuer, validity,
 *                               subject, subjectPublicKeyInfo, ... }
 */
export function parseCertificateDer(der: Uint8Array): X509Result<CertificateStructure> {
  if (!(der instanceof Uint8Array) || der.length === 0) return bad('no bytes');
  if (der.length > MAX_CERTIFICATE_BYTES) return bad(`${der.length} bytes is more than the ${MAX_CERTIFICATE_BYTES} accepted`);
  const cert = readSingle(der, TAG.SEQUENCE);
  if (!cert.ok) return bad(`${cert.message} at offset ${cert.offset}`);
  const top = readChildren(der, cert.value, 3);
  if (!top.ok) return bad(`${top.message} at offset ${top.offset}`);
  const [tbs, sigAlg, sig] = top.value;
  if (!tbs || !sigAlg || !sig || top.value.length !== 3) return bad('a certificate has exactly three elements');
  if (tbs.tag !== TAG.SEQUENCE || sigAlg.tag !== TAG.SEQUENCE || sig.tag !== TAG.BIT_STRING) return bad('unexpected element types');
  const fields = readChildren(der, tbs, 12);
  if (!fields.ok) return bad(`tbsCertificate: ${fields.message} at offset ${fields.offset}`);
  const base = fields.value[0]?.tag === TAG.CONTEXT_0 ? 1 : 0;
  const at = (i: number): Tlv | undefined => fields.value[base + i];
  const serial = at(0);
  const issuer = at(2);
  const validity = at(3);
  const subject = at(4);
  const spki = at(5);
  if (serial?.tag !== TAG.INTEGER) return bad('serialNumber missing');
  if (issuer?.tag !== TAG.SEQUENCE || validity?.tag !== TAG.SEQUENCE || subject?.tag !== TAG.SEQUENCE) return bad('issuer, validity or subject missing');
  if (spki?.tag !== TAG.SEQUENCE) return bad('subjectPublicKeyInfo missing');
  const spkiBytes = tlvBytes(der, spki);
  const spkiOk = checkSpki(spkiBytes);
  if (!spkiOk.ok) return spkiOk;
  return {
    ok: true,
    value: { tbs: tlvBytes(der, tbs), issuer: tlvBytes(der, issuer), subject: tlvBytes(der, subject), spki: spkiBytes },
  };
}

/** SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING } */
export function checkSpki(bytes: Uint8Array): X509Result<true> {
  if (!(bytes instanceof Uint8Array) || bytes.length > MAX_CERTIFICATE_BYTES) return { ok: false, message: 'Not a SubjectPublicKeyInfo: too large' };
  const seq = readSingle(bytes, TAG.SEQUENCE);
  if (!seq.ok) return { ok: false, message: `Not a SubjectPublicKeyInfo (RFC 5280 §4.1.2.7): ${seq.message}` };
  const parts = readChildren(bytes, seq.value, 2);
  if (!parts.ok || parts.value.length !== 2 || parts.value[0]?.tag !== TAG.SEQUENCE || parts.value[1]?.tag !== TAG.BIT_STRING) {
    return { ok: false, message: 'Not a SubjectPublicKeyInfo (RFC 5280 §4.1.2.7): expected SEQUENCE { AlgorithmIdentifier, BIT STRING }' };
  }
  const alg = readChildren(bytes, parts.value[0], 2);
  if (!alg.ok || alg.value[0]?.tag !== TAG.OID) return { ok: false, message: 'Not a SubjectPublicKeyInfo (RFC 5280 §4.1.2.7): the algorithm has no OID' };
  return { ok: true, value: true };
}

/** The exact SubjectPublicKeyInfo bytes of a DER certificate (TLSA selector 1). */
export function extractSpki(der: Uint8Array): X509Result<Uint8Array> {
  const parsed = parseCertificateDer(der);
  return parsed.ok ? { ok: true, value: parsed.value.spki } : parsed;
}

/** `child` names `parent` as its issuer (byte-equal Names; DER makes equal Names equal bytes in practice). */
export function issuedBy(child: CertificateStructure, parent: CertificateStructure): boolean {
  return bytesEqual(child.issuer, parent.subject);
}

/** A first TLV that parses, for quick "is this DER at all" tests of TLSA Full(0) data. */
export function looksLikeDer(bytes: Uint8Array): boolean {
  const tlv = readTlv(bytes, 0);
  return tlv.ok && tlv.value.end === bytes.length;
}
