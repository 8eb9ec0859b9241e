// Certificates from the test PKI as the helper would report them (native-host/tls/certificate.ts),
// TLSA data computed with node:crypto, and builders for TLSA answers and MX probes.
import { X509Certificate, createHash } from 'node:crypto';
import { certificateFromDer } from '../../../native-host/tls/certificate.ts';
import type { DnsAnswer, TlsaRecord } from '../../../core/dns/types.ts';
import type { AddressProbe, MxProbeResult } from '../../../core/protocol/probe.ts';
import type { Certificate } from '../../../core/protocol/tls.ts';
import { TestPki, type CertificateAuthority } from '../../helpers/pki.ts';

export function toCertificate(pem: string): Certificate {
  const c = certificateFromDer(new Uint8Array(new X509Certificate(pem).raw));
  if (!c) throw new Error('certificateFromDer failed');
  return c;
}

/** The TLSA association data for a certificate, computed independently of the code under test. */
export function tlsaData(pem: string, selector: number, matchingType: number): string {
  const x = new X509Certificate(pem);
  const bytes = selector === 0 ? x.raw : x.publicKey.export({ type: 'spki', format: 'der' });
  if (matchingType === 0) return Buffer.from(bytes).toString('hex');
  return createHash(matchingType === 1 ? 'sha256' : 'sha512').update(bytes).digest('hex');
}

export function tlsa(usage: number, selector: number, matchingType: number, data: string, name = '_25._tcp.mx1.example.com'): TlsaRecord {
  return { type: 'TLSA', name, ttl: 3600, usage, selector, matchingType, data };
}

export function tlsaAnswer(records: TlsaRecord[], opts: Partial<DnsAnswer<'TLSA'>> = {}): DnsAnswer<'TLSA'> {
  return {
    name: records[0]?.name ?? '_25._tcp.mx1.example.com',
    type: 'TLSA',
    status: records.length > 0 ? 'ok' : 'nodata',
    records,
    cnameChain: [],
    ad: true,
    ede: [],
    elapsedMs: 3,
    ...opts,
  };
}

export function okProbe(address: string, chain: Certificate[], extra: Partial<AddressProbe> = {}): AddressProbe {
  return {
    address,
    family: address.includes(':') ? 6 : 4,
    outcome: 'ok',
    step: 'quit',
    message: 'STARTTLS completed',
    starttlsOffered: true,
    tls: { handshakeCompleted: true, protocol: 'TLSv1.3', chain, trusted: false, nameMatches: true },
    timings: { totalMs: 12 },
    ...extra,
  };
}

export function failedProbe(address: string, outcome: AddressProbe['outcome'], message: string = outcome): AddressProbe {
  return { address, family: 4, outcome, step: outcome === 'timeout' ? 'connect' : 'ehlo', message, timings: { totalMs: 5 } };
}

export function mxProbe(host: string, addresses: AddressProbe[]): MxProbeResult {
  return { host, port: 25, addresses };
}

export interface DanePki {
  pki: TestPki;
  root: CertificateAuthority;
  inter: CertificateAuthority;
  /** mx1.example.com, current key. */
  leaf: { pem: string; cert: Certificate };
  /** mx1.example.com, the next key. */
  next: { pem: string; cert: Certificate };
  /** mx1.example.com, expired. */
  expired: { pem: string; cert: Certificate };
  /** Names only other.example.net. */
  wrongName: { pem: string; cert: Certificate };
  /** Names the email domain example.com only. */
  domainName: { pem: string; cert: Certificate };
  /** mx2.example.com. */
  mx2: { pem: string; cert: Certificate };
  interCert: Certificate;
  rootCert: Certificate;
}

export function makeDanePki(): DanePki {
  const pki = new TestPki();
  const root = pki.createRoot('DANE Test Root');
  const inter = pki.createIntermediate(root, 'DANE Test Intermediate');
  const issue = (dnsNames: string[], o: { notBefore?: Date; notAfter?: Date } = {}) => {
    const pem = pki.issueLeaf(inter, { dnsNames, ...o }).cert;
    return { pem, cert: toCertificate(pem) };
  };
  const day = 86_400_000;
  return {
    pki,
    root,
    inter,
    leaf: issue(['mx1.example.com']),
    next: issue(['mx1.example.com']),
    expired: issue(['mx1.example.com'], { notBefore: new Date(Date.now() - 100 * day), notAfter: new Date(Date.now() - 10 * day) }),
    wrongName: issue(['other.example.net']),
    domainName: issue(['example.com']),
    mx2: issue(['mx2.example.com']),
    interCert: toCertificate(inter.cert),
    rootCert: toCertificate(root.cert),
  };
}
