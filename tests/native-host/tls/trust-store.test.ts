import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';
import { TestPki, type CertificateAuthority } from '../../helpers/pki.ts';
import { extraCaFromEnv, isStoreCopy, splitPem, storeCopyOf, storedAnchors } from '../../../native-host/tls/trust-store.ts';

let pki: TestPki;
let root: CertificateAuthority;
let intermediate: CertificateAuthority;
let dir: string;

beforeAll(() => {
  pki = new TestPki();
  root = pki.createRoot();
  intermediate = pki.createIntermediate(root);
  dir = mkdtempSync(join(tmpdir(), 'trust-store-'));
});
afterAll(() => {
  pki.dispose();
  rmSync(dir, { recursive: true, force: true });
});

const raw = (pem: string): Buffer => new X509Certificate(pem).raw;

function differingBits(a: Uint8Array, b: Uint8Array): number {
  let bits = 0;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    let x = (a[i] ?? 0) ^ (b[i] ?? 0);
    for (; x; x &= x - 1) bits++;
  }
  return bits;
}

describe('storeCopyOf', () => {
  it('RFC 5280 §4.1.1.3: a self-signed root is stored with one signature bit flipped, names and key intact', () => {
    const copy = storeCopyOf(root.cert);
    const original = new X509Certificate(root.cert);
    const stored = new X509Certificate(copy);
    expect(raw(copy)).toHaveLength(original.raw.length);
    expect(differingBits(raw(copy), original.raw)).toBe(1);
    expect(stored.subject).toBe(original.subject);
    expect(stored.publicKey.export({ type: 'spki', format: 'der' })).toEqual(original.publicKey.export({ type: 'spki', format: 'der' }));
    expect(stored.checkIssued(stored)).toBe(true);
    // The copy's own signature no longer verifies: no server can send these bytes as a valid root.
    expect(stored.verify(stored.publicKey)).toBe(false);
    expect(isStoreCopy(stored.raw)).toBe(true);
    expect(isStoreCopy(original.raw)).toBe(false);
  });

  it.each([
    ['an intermediate (its signature is checked, so it cannot be marked)', () => intermediate.cert],
    ['a leaf', () => pki.issueLeaf(intermediate, { dnsNames: ['a.example.test'] }).cert],
    ['text that is not a certificate', () => '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'],
  ])('%s is stored unchanged', (_label, pem) => {
    const text = pem();
    expect(storeCopyOf(text)).toBe(text);
  });

  it('is stable: the same root gives the same copy (bundled roots are parsed once)', () => {
    expect(storeCopyOf(root.cert)).toBe(storeCopyOf(root.cert));
  });
});

describe('storedAnchors', () => {
  it("holds every bundled root, the self-signed ones marked", () => {
    const anchors = storedAnchors([], {});
    expect(anchors).toHaveLength(new Set(rootCertificates).size);
    const markedCount = anchors.filter((pem) => isStoreCopy(raw(pem))).length;
    // Mozilla's roots are self-signed; allow for an odd one out rather than pin the bundle.
    expect(markedCount).toBeGreaterThan(anchors.length * 0.9);
  });

  it('adds NODE_EXTRA_CA_CERTS and the extra roots, each certificate of a bundle separately', () => {
    const file = join(dir, 'extra.pem');
    writeFileSync(file, `# a comment\n${root.cert}\n${intermediate.cert}`);
    expect(extraCaFromEnv({ NODE_EXTRA_CA_CERTS: file })).toEqual(splitPem(root.cert + intermediate.cert));
    const anchors = storedAnchors([], { NODE_EXTRA_CA_CERTS: file });
    expect(anchors).toContain(storeCopyOf(root.cert));
    expect(anchors).toContain(intermediate.cert.trim());
    expect(storedAnchors([root.cert + intermediate.cert], {})).toHaveLength(rootCertificates.length + 2);
  });

  it.each([
    ['unset', {}],
    ['a missing file', { NODE_EXTRA_CA_CERTS: '/nonexistent/ca.pem' }],
    ['a directory', { NODE_EXTRA_CA_CERTS: '/' }],
  ])('NODE_EXTRA_CA_CERTS %s adds nothing', (_label, env) => {
    expect(extraCaFromEnv(env)).toEqual([]);
  });
});
