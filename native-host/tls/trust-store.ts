// The trust store of diagnostic connections, built so the recorded chain is exactly what the
// server sent. Node's getPeerCertificate(true) (src/crypto/crypto_common.cc GetLastIssuedCert,
// Node 20) extends the peer chain with issuers looked up in the secure context's own store, so a
// root the server never sent shows up at the end of the chain. DANE-TA (RFC 7672 §3.1.2) needs the
// trust anchor to be among the certificates the SERVER sends, and our evidence says "as presented".
//
// The remedy, without a second handshake: each self-signed anchor goes into the store with one bit
// of its signature flipped. OpenSSL never checks the signature of a self-signed trust anchor (only
// with X509_V_FLAG_CHECK_SS_SIGNATURE, which Node does not set): it finds the anchor by subject
// and key, so trust is judged exactly as with the original. But a copy Node appends has DER bytes
// no server can send, so `isStoreCopy` recognises it and the chain stops there. A chain the server
// sends with its root keeps the original bytes. Anchors that are not self-signed (an intermediate
// in NODE_EXTRA_CA_CERTS) are stored unchanged: their signature is checked, so they cannot be
// marked, and if Node appends one it cannot be told apart (rare; said in the report to the lead).
import { X509Certificate, createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { rootCertificates } from 'node:tls';

/** NODE_EXTRA_CA_CERTS larger than this is not read (a CA bundle is well under 1 MiB). */
const MAX_EXTRA_FILE = 4 * 1024 * 1024;
/** Distinct marked anchors remembered; bundled roots plus test roots stay far below. */
const MAX_MARKED = 4096;

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;

/** sha256 hex of every store copy made so far (only ever in our stores, never sent by a server). */
const storeCopies = new Set<string>();
/** Original PEM → stored PEM, so the ~150 bundled roots are parsed once per process. */
const marked = new Map<string, string>();

function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** The certificates of a PEM text (a bundle may hold several). */
export function splitPem(text: string): string[] {
  return text.match(PEM_BLOCK) ?? [];
}

function pemToDer(pem: string): Uint8Array {
  const body = pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, '');
  return new Uint8Array(Buffer.from(body, 'base64'));
}

function derToPem(der: Uint8Array): string {
  const lines = Buffer.from(der).toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/**
 * Node's bundled roots: all self-signed (Mozilla's root program). Parsing and verifying each of them
 * would cost ~60 ms of CPU on every process's first TLS connection, so they are marked unparsed.
 */
const BUNDLED = new Set(rootCertificates);

/**
 * Self-signed as OpenSSL judges an anchor (X509_check_issued: names, key identifiers, keyCertSign),
 * deliberately not certificate.ts's RFC 5280 rule: only an anchor OpenSSL itself treats as
 * self-signed has its signature left unchecked, so only such an anchor may be marked.
 */
function isSelfSignedAnchor(x509: X509Certificate): boolean {
  try {
    return x509.subject === x509.issuer && x509.checkIssued(x509) && x509.verify(x509.publicKey);
  } catch {
    return false;
  }
}

/**
 * The PEM to put in the store for one anchor: a self-signed certificate with the last bit of its
 * DER flipped (the last byte of a certificate is the last byte of its signatureValue, RFC 5280
 * §4.1.1.3, so names, key and extensions stay intact), anything else unchanged.
 */
export function storeCopyOf(pem: string): string {
  const known = marked.get(pem);
  if (known !== undefined) return known;
  let out = pem;
  try {
    const der = pemToDer(pem);
    if (der.length > 0 && (BUNDLED.has(pem) || isSelfSignedAnchor(new X509Certificate(der)))) {
      const copy = der.slice();
      copy[copy.length - 1] = (copy[copy.length - 1] ?? 0) ^ 0x01;
      if (storeCopies.size < MAX_MARKED) {
        storeCopies.add(sha256Hex(copy));
        out = derToPem(copy);
      }
    }
  } catch {
    // Not a certificate OpenSSL reads: pass it on unchanged, createSecureContext will judge it.
  }
  if (marked.size < MAX_MARKED) marked.set(pem, out);
  return out;
}

/** True for a certificate that came from our store, not from the server. */
export function isStoreCopy(der: Uint8Array): boolean {
  return storeCopies.size > 0 && storeCopies.has(sha256Hex(der));
}

/** isStoreCopy for a caller that already has the certificate's SHA-256 (lowercase hex). */
export function isStoreCopyHash(sha256: string): boolean {
  return storeCopies.has(sha256);
}

/** The certificates of NODE_EXTRA_CA_CERTS (Node's own default store includes them too). */
export function extraCaFromEnv(env: NodeJS.ProcessEnv = process.env): string[] {
  const file = env.NODE_EXTRA_CA_CERTS;
  if (!file) return [];
  try {
    if (statSync(file).size > MAX_EXTRA_FILE) return [];
    return splitPem(readFileSync(file, 'utf8'));
  } catch {
    // Node already warned at start-up that it could not read the file.
    return [];
  }
}

/**
 * The trust anchors of a diagnostic connection, as stored: Node's bundled roots, NODE_EXTRA_CA_CERTS
 * and the caller's extra roots (tests), self-signed ones marked (see above).
 */
export function storedAnchors(extra: string[] = [], env: NodeJS.ProcessEnv = process.env): string[] {
  const all = [...rootCertificates, ...extraCaFromEnv(env), ...extra.flatMap(splitPem)];
  return [...new Set(all)].map(storeCopyOf);
}
