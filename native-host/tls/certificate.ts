// The certificates a TLS server presented, as evidence (core/protocol/tls.ts): names, validity,
// hashes for DANE (full certificate and SPKI), key and signature algorithm.
import { X509Certificate, createHash } from 'node:crypto';
import type { DetailedPeerCertificate, PeerCertificate, TLSSocket } from 'node:tls';
import type { Certificate } from '../../core/protocol/tls.ts';
import { formatIp } from '../../core/net/address.ts';
import { parseCertificateParts, signatureAlgorithmName } from './der.ts';
import { isStoreCopyHash } from './trust-store.ts';

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

/**
 * RFC 5280 §3.2: self-issued (subject = issuer) and verifiable with its own key. Not OpenSSL's
 * X509_check_issued, which also demands keyCertSign: a self-signed server certificate with
 * keyUsage digitalSignature only is still self-signed to a postmaster (trust-store.ts keeps
 * OpenSSL's rule, as it must predict what OpenSSL does with an anchor).
 */
function isSelfSigned(x509: X509Certificate): boolean {
  try {
    return x509.subject === x509.issuer && x509.verify(x509.publicKey);
  } catch {
    return false;
  }
}

/** Parsed certificates remembered, by SHA-256 of the DER (a bulk run meets the same few MX chains again and again). */
const MAX_PARSED = 256;

interface Parsed {
  /** Undefined: OpenSSL cannot read these bytes (remembered too: a hostile server may repeat them). */
  certificate: Certificate | undefined;
  caIssuers: string[];
}

/**
 * Least recently used first (Map keeps insertion order; a hit is re-inserted). Only facts of the
 * DER itself are kept: the certificate evidence is a pure function of its bytes, while anything that
 * depends on the time (daysToExpiry, expired) or the connection (trust, name match) is computed by
 * tls-info.ts on every handshake.
 */
const parsedCache = new Map<string, Parsed>();

function parseDer(der: Uint8Array, sha256: string): Parsed {
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(der);
  } catch {
    return { certificate: undefined, caIssuers: [] };
  }
  const parts = parseCertificateParts(der);
  const base64 = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  const certificate: Certificate = {
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
    sha256,
    spkiSha256: sha256Hex(spkiDer(x509, parts.spki)),
    ...keyInfo(x509),
    ...(parts.signatureOid ? { signatureAlgorithm: signatureAlgorithmName(parts.signatureOid) } : {}),
    selfSigned: isSelfSigned(x509),
    isCA: x509.ca,
    // A certificate over 48 KiB is absurd; keep the evidence within the schema rather than drop it.
    derBase64: base64.length <= MAX_DER_BASE64 ? base64 : '',
  };
  return { certificate, caIssuers: caIssuersOf(x509) };
}

function parsedFor(der: Uint8Array, sha256 = sha256Hex(der)): Parsed {
  const hit = parsedCache.get(sha256);
  if (hit) {
    parsedCache.delete(sha256);
    parsedCache.set(sha256, hit);
    return hit;
  }
  const parsed = parseDer(der, sha256);
  if (parsedCache.size >= MAX_PARSED) {
    const oldest = parsedCache.keys().next().value;
    if (oldest !== undefined) parsedCache.delete(oldest);
  }
  parsedCache.set(sha256, parsed);
  return parsed;
}

/** A copy the caller may change without changing what the cache hands out next time. */
function copyOf(certificate: Certificate | undefined): Certificate | undefined {
  return certificate && { ...certificate, dnsNames: [...certificate.dnsNames], ipAddresses: [...certificate.ipAddresses] };
}

/** One DER certificate as evidence; undefined when OpenSSL cannot read it at all. */
export function certificateFromDer(der: Uint8Array): Certificate | undefined {
  return copyOf(parsedFor(der).certificate);
}

/** The certificate is self-signed (RFC 5280 §3.2); false when OpenSSL cannot read it. */
export function isSelfSignedDer(der: Uint8Array): boolean {
  return parsedFor(der).certificate?.selfSigned ?? false;
}

/** How many parsed certificates are remembered (tests: the cache is bounded). */
export function cachedCertificates(): number {
  return parsedCache.size;
}

/**
 * The detailed peer certificate Node built for its identity check (tls-info.ts passes our
 * checkServerIdentity to tls.connect), per socket: the same call on the same connection, so reading
 * it instead of calling getPeerCertificate(true) again changes nothing but the cost. Node skips the
 * identity check when the chain does not verify or a session is resumed; then we ask ourselves.
 */
const nodeBuiltChains = new WeakMap<TLSSocket, DetailedPeerCertificate>();

export function keepPeerChain(socket: TLSSocket, peer: PeerCertificate): void {
  // Node 20 passes getPeerCertificate(true); a plain one (no issuer links) is not kept, so another
  // Node would cost a second call, never a shorter chain.
  const detailed = peer as Partial<DetailedPeerCertificate>;
  if (detailed.issuerCertificate !== undefined && detailed.raw) nodeBuiltChains.set(socket, peer as DetailedPeerCertificate);
}

interface ChainEntry {
  der: Uint8Array;
  sha256: string;
}

/*
 * Not socket.getPeerX509Certificate().issuerCertificate: in Node 20 (src/crypto/crypto_x509.cc
 * X509Certificate::GetPeerCert) it removes each certificate from OpenSSL's own peer chain as it
 * wraps it (nodejs/node#65579), so the chain is gone for any later reader and the removed copies
 * leak; and it links by sent position, not by issuer as the evidence always has.
 */
function peerChain(socket: TLSSocket): ChainEntry[] {
  let peer: DetailedPeerCertificate | undefined = nodeBuiltChains.get(socket);
  if (!peer) {
    try {
      peer = socket.getPeerCertificate(true);
    } catch {
      return [];
    }
  }
  const out: ChainEntry[] = [];
  const seen = new Set<string>();
  while (peer && peer.raw && out.length < MAX_CHAIN) {
    const sha256 = sha256Hex(peer.raw);
    if (seen.has(sha256) || isStoreCopyHash(sha256)) break;
    seen.add(sha256);
    out.push({ der: new Uint8Array(peer.raw.buffer, peer.raw.byteOffset, peer.raw.byteLength), sha256 });
    peer = peer.issuerCertificate;
  }
  return out;
}

/**
 * The chain the server sent, leaf first, following `issuerCertificate` links until a certificate
 * repeats (a self-signed root points at itself). Node orders the sent certificates by issuer (and
 * leaves out any that are not on the leaf's issuer path), then appends issuers from the secure
 * context's store; those are our marked store copies (trust-store.ts) and end the chain, so a root
 * in the result was sent by the server (RFC 7672 §3.1.2).
 */
export function peerChainDer(socket: TLSSocket): Uint8Array[] {
  return peerChain(socket).map((e) => e.der);
}

/** The sent chain as DER and as evidence (leaf first), each certificate hashed and parsed at most once. */
export function peerChainEvidence(socket: TLSSocket): { der: Uint8Array[]; certificates: Certificate[] } {
  const entries = peerChain(socket);
  const certificates: Certificate[] = [];
  for (const e of entries) {
    const certificate = copyOf(parsedFor(e.der, e.sha256).certificate);
    if (certificate) certificates.push(certificate);
  }
  return { der: entries.map((e) => e.der), certificates };
}

/** The chain the server sent, as evidence, leaf first. */
export function certificatesFromSocket(socket: TLSSocket): Certificate[] {
  return peerChainEvidence(socket).certificates;
}

function caIssuersOf(x509: X509Certificate): string[] {
  try {
    const info = x509.infoAccess ?? '';
    return [...info.matchAll(/CA Issuers - URI:([^\n]+)/g)].map((m) => (m[1] ?? '').slice(0, 512));
  } catch {
    return [];
  }
}

/** The leaf's Authority Information Access caIssuers URIs (a public CA's way to say where its intermediate is). */
export function caIssuersUris(der: Uint8Array): string[] {
  return [...parsedFor(der).caIssuers];
}
