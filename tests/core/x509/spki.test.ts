import { X509Certificate, createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { TestPki } from '../../helpers/pki.ts';
import { readChildren, readSingle, readTlv, TAG } from '../../../core/x509/der.ts';
import { checkSpki, extractSpki, issuedBy, parseCertificateDer } from '../../../core/x509/spki.ts';
import { base64ToBytes, bytesToHex, digestHex, hexToBytes } from '../../../core/x509/bytes.ts';

let pki: TestPki;
let leafEc: Uint8Array;
let leafRsa: Uint8Array;
let interDer: Uint8Array;
let rootDer: Uint8Array;

const der = (pem: string) => new Uint8Array(new X509Certificate(pem).raw);
const nodeSpki = (d: Uint8Array) => new Uint8Array(new X509Certificate(d).publicKey.export({ type: 'spki', format: 'der' }));

beforeAll(() => {
  pki = new TestPki();
  const root = pki.createRoot();
  const inter = pki.createIntermediate(root);
  leafEc = der(pki.issueLeaf(inter, { dnsNames: ['mx1.example.com'] }).cert);
  leafRsa = der(pki.issueLeaf(inter, { dnsNames: ['mx2.example.com'], keyType: 'rsa' }).cert);
  interDer = der(inter.cert);
  rootDer = der(root.cert);
});
afterAll(() => pki.dispose());

describe('parseCertificateDer (RFC 5280 §4.1)', () => {
  it.each([
    ['EC P-256 leaf', () => leafEc],
    ['RSA 2048 leaf', () => leafRsa],
    ['intermediate CA', () => interDer],
    ['self-signed root', () => rootDer],
  ])('RFC 6698 §2.1.2: the SPKI of a %s is the exact bytes OpenSSL exports', (_name, get) => {
    const cert = get();
    const r = extractSpki(cert);
    expect(r.ok).toBe(true);
    if (r.ok) expect(bytesToHex(r.value)).toBe(bytesToHex(nodeSpki(cert)));
  });

  it('RFC 5280 §4.1.2.4: issuer and subject Names link leaf → intermediate → root', () => {
    const [l, i, r] = [leafEc, interDer, rootDer].map((d) => parseCertificateDer(d));
    if (!l?.ok || !i?.ok || !r?.ok) throw new Error('parse failed');
    expect(issuedBy(l.value, i.value)).toBe(true);
    expect(issuedBy(i.value, r.value)).toBe(true);
    expect(issuedBy(r.value, r.value)).toBe(true);
    expect(issuedBy(l.value, r.value)).toBe(false);
  });

  it('X.690: truncation at every offset gives an error value, never an exception', () => {
    for (let n = 0; n < leafEc.length; n++) {
      const r = parseCertificateDer(leafEc.subarray(0, n));
      expect(r.ok).toBe(false);
    }
  });

  it.each([
    ['empty input', new Uint8Array(0), /no bytes/],
    ['indefinite length (X.690 §10.1)', new Uint8Array([0x30, 0x80, 0x00, 0x00]), /indefinite/],
    ['a length of 5 octets', new Uint8Array([0x30, 0x85, 1, 0, 0, 0, 0]), /too long/],
    ['trailing bytes after the certificate', null, /trailing/],
    ['a SEQUENCE of the wrong shape', new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]), /three elements/],
    ['a multi-byte tag', new Uint8Array([0x1f, 0x81, 0x01, 0x00]), /multi-byte tag/],
    ['a 70 KiB input', new Uint8Array(70 * 1024), /accepted/],
  ])('RFC 5280 §4.1: rejects %s with a message', (_name, input, message) => {
    const bytes = input ?? new Uint8Array([...leafEc, 0x00]);
    const r = parseCertificateDer(bytes);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });

  it('X.690: arbitrary bytes never throw (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        const r = parseCertificateDer(bytes);
        expect(typeof r.ok).toBe('boolean');
        const s = checkSpki(bytes);
        expect(typeof s.ok).toBe('boolean');
      }),
      { numRuns: 500 },
    );
  });

  it('X.690: single-byte corruptions of a real certificate never throw (property)', () => {
    fc.assert(
      fc.property(fc.nat(leafEc.length - 1), fc.integer({ min: 0, max: 255 }), (at, value) => {
        const copy = leafEc.slice();
        copy[at] = value;
        const r = parseCertificateDer(copy);
        if (r.ok) expect(r.value.spki.length).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });
});

describe('der reader', () => {
  it.each([
    ['short form length', [0x04, 0x02, 0xaa, 0xbb], 2, 4],
    ['long form length (0x81)', [0x04, 0x81, 0x01, 0xaa], 3, 4],
    ['long form length (0x82)', [0x04, 0x82, 0x00, 0x01, 0xaa], 4, 5],
  ])('X.690 §8.1.3: reads a %s', (_name, bytes, contentStart, end) => {
    const r = readTlv(new Uint8Array(bytes), 0);
    expect(r.ok && r.value.contentStart).toBe(contentStart);
    expect(r.ok && r.value.end).toBe(end);
  });

  it('X.690 §8.1.3: a length running past the parent is an error', () => {
    const bytes = new Uint8Array([0x30, 0x04, 0x04, 0x05, 0x00, 0x00]);
    const seq = readTlv(bytes, 0);
    if (!seq.ok) throw new Error('outer');
    const kids = readChildren(bytes, seq.value);
    expect(kids.ok).toBe(false);
  });

  it('X.690: children of a primitive value are refused', () => {
    const bytes = new Uint8Array([0x04, 0x01, 0x00]);
    const tlv = readSingle(bytes, TAG.OCTET_STRING);
    if (!tlv.ok) throw new Error('tlv');
    expect(readChildren(bytes, tlv.value).ok).toBe(false);
  });

  it('caps the number of children', () => {
    const inner = Array.from({ length: 10 }, () => [0x05, 0x00]).flat();
    const bytes = new Uint8Array([0x30, inner.length, ...inner]);
    const seq = readSingle(bytes, TAG.SEQUENCE);
    if (!seq.ok) throw new Error('seq');
    expect(readChildren(bytes, seq.value, 9).ok).toBe(false);
    expect(readChildren(bytes, seq.value, 10).ok).toBe(true);
  });
});

describe('bytes', () => {
  it.each([
    ['SHA-256', 'sha256'],
    ['SHA-512', 'sha512'],
  ] as const)('RFC 6698 §2.1.3: WebCrypto %s equals node:crypto', async (alg, nodeAlg) => {
    expect(await digestHex(alg, leafEc)).toBe(createHash(nodeAlg).update(leafEc).digest('hex'));
  });

  it.each([['zz'], ['abc'], [' 0a']])('hexToBytes refuses %j', (hex) => {
    expect(hexToBytes(hex)).toBeUndefined();
  });

  it('base64 and hex round trip (property)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(hexToBytes(bytesToHex(bytes))).toEqual(bytes);
        expect(base64ToBytes(Buffer.from(bytes).toString('base64'))).toEqual(bytes);
      }),
    );
  });

  it('base64ToBytes refuses invalid base64', () => {
    expect(base64ToBytes('***')).toBeUndefined();
  });
});
