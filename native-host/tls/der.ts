// Just enough DER (X.690) to read what Node's X509Certificate does not expose in Node 20:
// the signature AlgorithmIdentifier, the exact SubjectPublicKeyInfo bytes and the SAN entries.
// Bounded and total: malformed input gives undefined, never an exception.

export interface Tlv {
  tag: number;
  /** Offset of the tag byte. */
  start: number;
  /** Offset of the first content byte. */
  contentStart: number;
  /** Offset just past the content. */
  end: number;
}

/** One TLV at `offset` (single-byte tags, definite lengths up to 4 length bytes), inside `limit`. */
export function readTlv(bytes: Uint8Array, offset: number, limit = bytes.length): Tlv | undefined {
  if (offset + 2 > limit) return undefined;
  const tag = bytes[offset] ?? 0;
  if ((tag & 0x1f) === 0x1f) return undefined; // multi-byte tags do not occur in certificates
  let length = bytes[offset + 1] ?? 0;
  let contentStart = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4 || contentStart + count > limit) return undefined;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (bytes[contentStart + i] ?? 0);
    contentStart += count;
  }
  const end = contentStart + length;
  if (end > limit) return undefined;
  return { tag, start: offset, contentStart, end };
}

/** The TLVs inside a constructed TLV, or undefined if they do not tile its content exactly. */
export function childrenOf(bytes: Uint8Array, parent: Tlv, max = 256): Tlv[] | undefined {
  const out: Tlv[] = [];
  let offset = parent.contentStart;
  while (offset < parent.end) {
    if (out.length >= max) return undefined;
    const child = readTlv(bytes, offset, parent.end);
    if (!child) return undefined;
    out.push(child);
    offset = child.end;
  }
  return out;
}

/** Dotted OID text from the content of an OBJECT IDENTIFIER TLV. */
export function oidText(bytes: Uint8Array, tlv: Tlv): string | undefined {
  if (tlv.tag !== 0x06 || tlv.end === tlv.contentStart || tlv.end - tlv.contentStart > 64) return undefined;
  const arcs: number[] = [];
  let value = 0;
  for (let i = tlv.contentStart; i < tlv.end; i++) {
    const b = bytes[i] ?? 0;
    value = value * 128 + (b & 0x7f);
    if (value > Number.MAX_SAFE_INTEGER / 128) return undefined;
    if ((b & 0x80) === 0) {
      arcs.push(value);
      value = 0;
    }
  }
  if (value !== 0 || (bytes[tlv.end - 1] ?? 0) & 0x80) return undefined;
  const first = arcs.shift();
  if (first === undefined) return undefined;
  const head = first < 80 ? [Math.floor(first / 40), first % 40] : [2, first - 80];
  return [...head, ...arcs].join('.');
}

export interface CertificateParts {
  /** The outer signatureAlgorithm OID. */
  signatureOid?: string;
  /** The exact DER of subjectPublicKeyInfo (what TLSA selector 1 hashes). */
  spki?: Uint8Array;
  /** dNSName SAN entries (IA5String, read as latin1 so nothing is lost). */
  dnsNames: string[];
  /** iPAddress SAN entries as raw 4- or 16-byte values. */
  ipAddresses: Uint8Array[];
}

const SAN_OID = '2.5.29.17';
const MAX_SAN_ENTRIES = 1000;

function latin1(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

function readSan(bytes: Uint8Array, extnValue: Tlv, parts: CertificateParts): void {
  const names = readTlv(bytes, extnValue.contentStart, extnValue.end);
  if (!names || names.tag !== 0x30) return;
  for (const name of childrenOf(bytes, names, MAX_SAN_ENTRIES) ?? []) {
    const content = bytes.subarray(name.contentStart, name.end);
    if (name.tag === 0x82) parts.dnsNames.push(latin1(content).slice(0, 512));
    else if (name.tag === 0x87) parts.ipAddresses.push(content.slice());
  }
}

/** Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue } (RFC 5280 §4.1). */
export function parseCertificateParts(der: Uint8Array): CertificateParts {
  const parts: CertificateParts = { dnsNames: [], ipAddresses: [] };
  const cert = readTlv(der, 0);
  if (!cert || cert.tag !== 0x30) return parts;
  const [tbs, sigAlg] = childrenOf(der, cert, 3) ?? [];
  if (sigAlg?.tag === 0x30) {
    const oid = childrenOf(der, sigAlg, 2)?.[0];
    if (oid) parts.signatureOid = oidText(der, oid);
  }
  if (!tbs || tbs.tag !== 0x30) return parts;
  const fields = childrenOf(der, tbs, 10) ?? [];
  // version [0] is optional; then serial, signature, issuer, validity, subject, subjectPublicKeyInfo.
  const base = fields[0]?.tag === 0xa0 ? 1 : 0;
  const spki = fields[base + 5];
  if (spki?.tag === 0x30) parts.spki = der.slice(spki.start, spki.end);
  const extensions = fields.slice(base + 6).find((f) => f.tag === 0xa3);
  const list = extensions ? readTlv(der, extensions.contentStart, extensions.end) : undefined;
  if (!list || list.tag !== 0x30) return parts;
  for (const extension of childrenOf(der, list, 256) ?? []) {
    const items = childrenOf(der, extension, 3);
    const oid = items?.[0];
    const value = items?.[items.length - 1];
    if (!oid || !value || value.tag !== 0x04) continue;
    if (oidText(der, oid) === SAN_OID) readSan(der, value, parts);
  }
  return parts;
}

const SIGNATURE_NAMES: Record<string, string> = {
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.10': 'RSASSA-PSS',
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.113549.1.1.14': 'sha224WithRSAEncryption',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.1': 'ecdsa-with-SHA224',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
  '1.2.840.10040.4.3': 'dsa-with-SHA1',
  '2.16.840.1.101.3.4.3.2': 'dsa-with-SHA256',
};

/** A readable name for a signature algorithm OID (the OID itself when unknown). */
export function signatureAlgorithmName(oid: string): string {
  return SIGNATURE_NAMES[oid] ?? oid;
}
