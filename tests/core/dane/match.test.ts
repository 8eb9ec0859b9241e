import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { tlsaAssociate, tlsaMatches } from '../../../core/dane/match.ts';
import { makeDanePki, tlsa, tlsaData, type DanePki } from './fixtures.ts';

let p: DanePki;
beforeAll(() => {
  p = makeDanePki();
});
afterAll(() => p.pki.dispose());

const COMBOS = [0, 1].flatMap((selector) => [0, 1, 2].map((matchingType) => ({ selector, matchingType })));

describe('tlsaMatches (RFC 6698 §2.1.2, §2.1.3)', () => {
  it.each(COMBOS)('RFC 6698 §2.1: selector $selector matching type $matchingType matches the certificate it was computed from', async ({ selector, matchingType }) => {
    const record = tlsa(3, selector, matchingType, tlsaData(p.leaf.pem, selector, matchingType));
    expect(await tlsaMatches(record, p.leaf.cert)).toBe(true);
    expect(await tlsaMatches(record, p.next.cert)).toBe(false);
  });

  it.each(COMBOS)('RFC 6698 §2.1: selector $selector matching type $matchingType: one changed hex digit does not match', async ({ selector, matchingType }) => {
    const data = tlsaData(p.leaf.pem, selector, matchingType);
    const flipped = (data[data.length - 1] === '0' ? '1' : '0');
    expect(await tlsaMatches(tlsa(3, selector, matchingType, data.slice(0, -1) + flipped), p.leaf.cert)).toBe(false);
  });

  it('RFC 6698 §2.1.4: data in upper-case hex still matches', async () => {
    expect(await tlsaMatches(tlsa(3, 1, 1, tlsaData(p.leaf.pem, 1, 1).toUpperCase()), p.leaf.cert)).toBe(true);
  });

  it.each([
    ['an undefined selector', tlsa(3, 2, 1, 'aa'), /selector 2/],
    ['an undefined matching type', tlsa(3, 1, 7, 'aa'), /matching type 7/],
  ])('RFC 6698 §2.1: %s cannot be compared', async (_n, record, reason) => {
    const r = await tlsaAssociate(record, p.leaf.cert);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(reason);
    expect(await tlsaMatches(record, p.leaf.cert)).toBe(false);
  });

  it('without DER bytes, SHA-256 records fall back to the helper\'s hashes; others cannot be compared', async () => {
    const bare = { ...p.leaf.cert, derBase64: '' };
    expect(await tlsaMatches(tlsa(3, 1, 1, p.leaf.cert.spkiSha256), bare)).toBe(true);
    expect(await tlsaMatches(tlsa(3, 0, 1, p.leaf.cert.sha256), bare)).toBe(true);
    expect((await tlsaAssociate(tlsa(3, 1, 2, tlsaData(p.leaf.pem, 1, 2)), bare)).ok).toBe(false);
  });

  it('corrupt DER in the certificate gives a reason, never an exception (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 2 }), async (bytes, selector, matchingType) => {
        const cert = { ...p.leaf.cert, derBase64: Buffer.from(bytes).toString('base64') };
        const r = await tlsaAssociate(tlsa(3, selector, matchingType, 'ab'), cert);
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 200 },
    );
  });
});
