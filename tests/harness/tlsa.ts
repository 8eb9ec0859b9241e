// TLSA records (RFC 6698 §2, RFC 7672 §3) of the test network, computed from the certificates
// the harness issues, so the DANE scenarios match (or deliberately do not match) what the SMTP
// hosts really present. Presentation format, as in a zone file: "3 1 1 <hex>".
import { createHash, generateKeyPairSync, X509Certificate } from 'node:crypto';
import type { TlsaSpec } from './scenarios.ts';

const sha256Hex = (der: Uint8Array): string => createHash('sha256').update(der).digest('hex');

/** SHA-256 of the DER SubjectPublicKeyInfo of a certificate, PEM or DER (selector 1, matching type 1). */
export function spkiSha256(cert: string | Uint8Array): string {
  return sha256Hex(new X509Certificate(cert).publicKey.export({ type: 'spki', format: 'der' }));
}

/** SHA-256 of the whole DER certificate, given as PEM or DER (selector 0, matching type 1). */
export function certSha256(cert: string | Uint8Array): string {
  return sha256Hex(new X509Certificate(cert).raw);
}

/**
 * Whether one "usage selector 1 hex" record matches a presented chain (leaf first), by the rules
 * the DANE scenarios use: DANE-EE(3) the leaf only (RFC 7672 §3.1.1), DANE-TA(2) a certificate
 * after the leaf (§3.1.2). SHA2-256 only. Name checks and path validation are not done here.
 */
export function tlsaMatchesChain(record: string, chainDer: readonly Uint8Array[]): boolean {
  const [usage, selector, matching, data] = record.split(' ');
  if (matching !== '1' || !data) return false;
  const candidates = usage === '3' ? chainDer.slice(0, 1) : usage === '2' ? chainDer.slice(1) : [];
  const digest = selector === '1' ? spkiSha256 : selector === '0' ? certSha256 : undefined;
  return digest !== undefined && candidates.some((der) => digest(der) === data.toLowerCase());
}

/** SHA-256 of the SPKI of a fresh P-256 key nobody uses: a "next" key, or a wrong one. */
function unusedKeySha256(): string {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return sha256Hex(publicKey.export({ type: 'spki', format: 'der' }));
}

export interface TlsaSources {
  /** PEM of the leaf the host presents. */
  leaf: string;
  /** PEM of the intermediate that issued it. */
  intermediate: string;
  root: string;
}

/** The records of one host, in the order of `specs`; each ee-next / ee-wrong gets its own key. */
export function tlsaRecords(specs: readonly TlsaSpec[], src: TlsaSources): string[] {
  return specs.map((spec) => {
    switch (spec) {
      case 'ee-current':
        return `3 1 1 ${spkiSha256(src.leaf)}`;
      case 'ee-next':
      case 'ee-wrong':
        return `3 1 1 ${unusedKeySha256()}`;
      case 'ta-intermediate':
        return `2 0 1 ${certSha256(src.intermediate)}`;
      case 'ta-root':
        return `2 0 1 ${certSha256(src.root)}`;
    }
  });
}

/** The owner name of an SMTP host's TLSA records (RFC 7672 §2.2.3: port 25, tcp). */
export const tlsaOwner = (fqdn: string): string => `_25._tcp.${fqdn}`;
