// The certificates a TLS server presented, as evidence (core/protocol/tls.ts): names, validity,
// hashes for DANE (full certificate and SPKI), key and signature algorithm.
import { X509Certificate, createHash } from 'node:crypto';
import type { DetailedPeerCertificate, TLSSocket } from 'node:tls';
import type { Certificate } from '../../core/protocol/tls.ts';
import { formatIp } from '../../core/net/address.ts';
import { parseCertificateParts, signatureAlgorithmName } from './der.ts';
import { isStoreCopy } from './trust-store.ts';

/** The schema's limits: 20 certificates, 64 KiB of base64 each. */
const MAX_CHAIN = 20;
const MAX_DER_BASE64 = 65_536;

const CURVE_BITS: Record<string, number> = {
  prime256v1: 256,
  'P-256': 256,
  secp384r1: 384,
  'P-384': 384,
  secp521r1: 521,
  'P-521': 521,
  secp256k1: 256,
};

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Node prints DNs one attribute per line ("CN=a\nO=b"); one line reads better in a report. */
function oneLineDn(dn: string): string {
  return dn.split('\n').filter(Boolean).join(', ').slice(0, 4096);
}

function isoDate(text: string): string {
  const d = new Date(text);
  return Number.isNaN(d.getTime()) ? new Date(0).toISOString() : d.toISOString();
}

function keyInfo(x509: X509Certificate): { keyType: string; keyBits?: number } {
  try {
    const key = x509.publicKey;
    const keyType = key.asymmetricKeyType ?? 'unknown';
    const details = key.asymmetricKeyDetails;
    if (details?.modulusLength) return { keyType, keyBits: details.modulusLength };
    if (details?.namedCurve && CURVE_BITS[details.namedCurve]) return { keyType, keyBits: CURVE_BITS[details.namedCurve] };
    if (keyType === 'ed25519' || keyType === 'x25519') return { keyType, keyBits: 256 };
    if (keyType === 'ed448' || keyType === 'x448') return { keyType, keyBits: 448 };
    return { keyType };
  } catch {
    // An algorithm OpenSSL cannot load: still report the certificate.
    return { keyType: 'unknown' };
  }
}

function spkiDer(x509: X509Certificate, fromDer: Uint8Array | undefined): Uint8Array {
  // The bytes exactly as in the certificate (TLSA selector 1, RFC 6698 §1.1.3); re-exporting could re-encode.
  if (fromDer) return fromDer;
  try {
    return x509.publicKey.export({ type: 'spki', format: 'der' });
  } catch {
    return new Uint8Array(0);
  }
}

function isSelfSigned(x509: X509Certificate): boolean {
  try {
    return x509.subject === x509.issuer && x509.checkIssued(x509) && x509.verify(x509.publicKey);
  } catch {
    return false;
  }
}

/** One DER certificate as evidence; undefined when OpenSSL cannot read it at all. */
export function certificateFromDer(der: Uint8Array): Certificate | undefined {
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(der);
  } catch {
    return undefined;
  }
  const parts = parseCertificateParts(der);
  const base64 = Buffer.from(der).toString('base64');
  return {
    subject: oneLineDn(x509.subject),
    issuer: oneLineDn(x509.issuer),
    dnsNames: parts.dnsNames.slice(0, 1000),
    ipAddresses: parts.ipAddresses
      .filter((b) => b.length === 4 || b.length === 16)
      .map((bytes) => formatIp({ family: bytes.length === 4 ? 4 : 6, bytes }))
      .slice(0, 1000),
    validFrom: isoDate(x509.validFrom),
    validTo: isoDate(x509.validTo),
    serialNumber: x509.serialNumber.slice(0, 256),
    sha256: sha256Hex(der),
    spkiSha256: sha256Hex(spkiDer(x509, parts.spki)),
    ...keyInfo(x509),
    ...(parts.signatureOid ? { signatureAlgorithm: signatureAlgorithmName(parts.signatureOid) } : {}),
    selfSigned: isSelfSigned(x509),
    isCA: x509.ca,
    // A certificate over 48 KiB is absurd; keep the evidence within the schema rather than drop it.
    derBase64: base64.length <= MAX_DER_BASE64 ? base64 : '',
  };
}

/**
 * The chain the server sent, leaf first, following `issuerCertificate` links until a certificate
 * repeats (a self-signed root points at itself). Node orders the sent certificates by issuer (and
 * leaves out any that are not on the leaf's issuer path), then appends issuers from the secure
 * context's store; those are our marked store copies (trust-store.ts) and end the chain, so a root
 * in the result was sent by the server (RFC 7672 §3.1.2).
 */
export function peerChainDer(socket: TLSSocket): Uint8Array[] {
  let peer: DetailedPeerCertificate | undefined;
  try {
    peer = socket.getPeerCertificate(true);
  } catch {
    return [];
  }
  const out: Uint8Array[] = [];
  const seen = new Set<string>();
  while (peer && peer.raw && out.length < MAX_CHAIN) {
    const fingerprint = sha256Hex(peer.raw);
    if (seen.has(fingerprint) || isStoreCopy(peer.raw)) break;
    seen.add(fingerprint);
    out.push(new Uint8Array(peer.raw));
    peer = peer.issuerCertificate;
  }
  return out;
}

/** The chain the server sent, as evidence, leaf first. */
export function certificatesFromSocket(socket: TLSSocket): Certificate[] {
  return peerChainDer(socket)
    .map(certificateFromDer)
    .filter((c): c is Certificate => c !== undefined);
}

/** The leaf's Authority Information Access caIssuers URIs (a public CA's way to say where its intermediate is). */
export function caIssuersUris(der: Uint8Array): string[] {
  try {
    const info = new X509Certificate(der).infoAccess ?? '';
    return [...info.matchAll(/CA Issuers - URI:([^\n]+)/g)].map((m) => (m[1] ?? '').slice(0, 512));
  } catch {
    return [];
  }
}
