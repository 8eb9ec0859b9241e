import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { X509Certificate, createHash } from 'node:crypto';
import { TestPki, type CertificateAuthority } from '../../helpers/pki.ts';
import { issueLeafWithAia, selfSignedLeaf, selfSignedWith } from './pki-extra.ts';
import { cachedCertificates, caIssuersUris, certificateFromDer, isSelfSignedDer } from '../../../native-host/tls/certificate.ts';
import { parseCertificateParts, signatureAlgorithmName, readTlv, oidText } from '../../../native-host/tls/der.ts';
import { CertificateSchema } from '../../../core/protocol/tls.ts';

let pki: TestPki;
let root: CertificateAuthority;
let intermediate: CertificateAuthority;

const der = (pem: string): Uint8Array => new Uint8Array(new X509Certificate(pem).raw);

beforeAll(() => {
  pki = new TestPki();
  root = pki.createRoot();
  intermediate = pki.createIntermediate(root);
});
afterAll(() => pki.dispose());

describe('certificateFromDer', () => {
  it('RFC 5280 §4.1: reads names, validity, hashes and algorithms of an EC leaf', () => {
    const notAfter = new Date(Date.UTC(2031, 0, 2, 3, 4, 5));
    const leaf = pki.issueLeaf(intermediate, { dnsNames: ['mx.example.test', '*.example.test'], ipAddresses: ['192.0.2.7', '2001:db8::1'], notAfter });
    const bytes = der(leaf.cert);
    const cert = certificateFromDer(bytes)!;
    expect(CertificateSchema.safeParse(cert).success).toBe(true);
    expect(cert).toMatchObject({
      subject: 'CN=mx.example.test',
      issuer: 'CN=MTA-STS Inspector Test Intermediate',
      dnsNames: ['mx.example.test', '*.example.test'],
      ipAddresses: ['192.0.2.7', '2001:db8::1'],
      validTo: '2031-01-02T03:04:05.000Z',
      keyType: 'ec',
      keyBits: 256,
      signatureAlgorithm: 'ecdsa-with-SHA256',
      selfSigned: false,
      isCA: false,
    });
    expect(cert.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
    // RFC 6698 §1.1.3 selector 1: the SPKI as Node exports it (same bytes for a named-curve key).
    const spki = new X509Certificate(leaf.cert).publicKey.export({ type: 'spki', format: 'der' });
    expect(cert.spkiSha256).toBe(createHash('sha256').update(spki).digest('hex'));
    expect(Buffer.from(cert.derBase64, 'base64').equals(Buffer.from(bytes))).toBe(true);
  });

  it('RFC 5280 §4.1.2.7: an RSA key reports its modulus length', () => {
    const leaf = pki.issueLeaf(intermediate, { dnsNames: ['rsa.example.test'], keyType: 'rsa' });
    expect(certificateFromDer(der(leaf.cert))).toMatchObject({ keyType: 'rsa', keyBits: 2048, signatureAlgorithm: 'ecdsa-with-SHA256' });
  });

  it('RFC 5280 §6.1: a root is self-signed and a CA', () => {
    expect(certificateFromDer(der(root.cert))).toMatchObject({ selfSigned: true, isCA: true, dnsNames: [] });
  });

  // Self-signed is RFC 5280's word (self-issued and verifiable with its own key), not OpenSSL's
  // X509_check_issued, which also wants keyCertSign.
  it.each([
    ['a root CA', () => root.cert, true],
    ['a CA certificate used as a server certificate', () => pki.selfSigned(['self.example.test']).cert, true],
    ['a leaf (CA:FALSE, digitalSignature only)', () => selfSignedLeaf(pki, ['leaf.example.test']).cert, true],
    [
      'a leaf without keyCertSign or serverAuth',
      () => selfSignedWith(pki, ['odd.example.test'], { extensions: 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,keyEncipherment\nextendedKeyUsage=clientAuth' }).cert,
      true,
    ],
    ['a self-issued leaf signed by another key (same name as its CA)', () => pki.issueLeaf(pki.createRoot('twin.example.test'), { dnsNames: ['twin.example.test'] }).cert, false],
    ['a leaf issued by an intermediate', () => pki.issueLeaf(intermediate, { dnsNames: ['mx.example.test'] }).cert, false],
  ])('RFC 5280 §3.2: %s is self-signed: %s', (_label, pem, expected) => {
    const bytes = der(pem());
    expect(certificateFromDer(bytes)?.selfSigned).toBe(expected);
    expect(isSelfSignedDer(bytes)).toBe(expected);
  });

  it('RFC 5280 §3.2: bytes OpenSSL cannot read are not self-signed', () => {
    expect(isSelfSignedDer(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00]))).toBe(false);
  });

  it('a CN-only certificate has no DNS names (no CN fallback)', () => {
    const leaf = pki.issueLeaf(intermediate, { dnsNames: [] });
    expect(certificateFromDer(der(leaf.cert))?.dnsNames).toEqual([]);
  });

  it('garbage is not a certificate', () => {
    expect(certificateFromDer(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00]))).toBeUndefined();
  });
});

describe('parsed-certificate cache', () => {
  it('RFC 5280 §4.1: a certificate read again gives equal evidence, as a copy the caller may change', () => {
    const bytes = der(pki.issueLeaf(intermediate, { dnsNames: ['cache.example.test'], ipAddresses: ['192.0.2.9'] }).cert);
    const first = certificateFromDer(bytes)!;
    const fresh = structuredClone(first);
    first.dnsNames.push('changed.example.test');
    first.ipAddresses.length = 0;
    first.subject = 'CN=changed';
    const second = certificateFromDer(bytes.slice())!;
    expect(second).toEqual(fresh);
    expect(second).not.toBe(first);
  });

  it('RFC 5280 §4.2.2.1: caIssuers URIs are the same whether the certificate was parsed before or not', () => {
    const bytes = der(issueLeafWithAia(pki, intermediate, ['aia-cache.example.test']).cert);
    const before = caIssuersUris(bytes);
    certificateFromDer(bytes);
    expect(before).toEqual(['http://ca.example.test/intermediate.der']);
    expect(caIssuersUris(bytes)).toEqual(before);
    expect(caIssuersUris(der(root.cert))).toEqual([]);
  });

  it('is bounded: hundreds of distinct certificates keep at most 256 entries, each still read correctly', () => {
    // Distinct DER with the same content: the last byte belongs to the signature (RFC 5280 §4.1.1.3), which parsing does not check.
    const base = der(pki.issueLeaf(intermediate, { dnsNames: ['many.example.test'] }).cert);
    for (let i = 0; i < 300; i += 1) {
      const bytes = base.slice();
      bytes[bytes.length - 1] = i & 0xff;
      bytes[bytes.length - 2] = (bytes[bytes.length - 2] ?? 0) ^ (i >> 8);
      const cert = certificateFromDer(bytes);
      expect(cert?.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
      expect(cert?.dnsNames).toEqual(['many.example.test']);
    }
    expect(cachedCertificates()).toBeLessThanOrEqual(256);
    expect(cachedCertificates()).toBeGreaterThan(0);
  });
});

describe('der', () => {
  it.each([
    ['1.2.840.113549.1.1.11', 'sha256WithRSAEncryption'],
    ['1.2.840.10045.4.3.3', 'ecdsa-with-SHA384'],
    ['1.3.101.112', 'Ed25519'],
    ['1.2.3.4', '1.2.3.4'],
  ])('X.690 §8.19: names signature OID %s as %s', (oid, name) => {
    expect(signatureAlgorithmName(oid)).toBe(name);
  });

  it('X.690 §8.19: decodes an OID with multi-byte arcs', () => {
    const bytes = new Uint8Array([0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b]);
    expect(oidText(bytes, readTlv(bytes, 0)!)).toBe('1.2.840.113549.1.1.11');
  });

  it('never throws on mutated certificates, and reads the unmutated one', () => {
    const leaf = der(pki.issueLeaf(intermediate, { dnsNames: ['fuzz.example.test'] }).cert);
    expect(parseCertificateParts(leaf).dnsNames).toEqual(['fuzz.example.test']);
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(leaf.length - 1), fc.integer({ min: 0, max: 255 })), { maxLength: 8 }), fc.nat(leaf.length), (edits, cut) => {
        const mutated = leaf.slice(0, Math.max(1, cut));
        for (const [at, value] of edits) if (at < mutated.length) mutated[at] = value;
        const parts = parseCertificateParts(mutated);
        expect(parts.dnsNames.length).toBeLessThanOrEqual(1000);
        expect(certificateFromDer(mutated) === undefined || typeof certificateFromDer(mutated)?.sha256 === 'string').toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('never throws on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), (bytes) => {
        expect(Array.isArray(parseCertificateParts(bytes).ipAddresses)).toBe(true);
      }),
    );
  });
});
