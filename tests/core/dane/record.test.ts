import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkTlsaSyntax, isRecommendedCombination, tlsaMnemonic, tlsaQueryName, tlsaText } from '../../../core/dane/record.ts';
import { makeDanePki, tlsa, tlsaData, type DanePki } from './fixtures.ts';

let p: DanePki;
beforeAll(() => {
  p = makeDanePki();
});
afterAll(() => p.pki.dispose());

const H32 = 'ab'.repeat(32);
const H64 = 'cd'.repeat(64);

describe('checkTlsaSyntax (RFC 6698 §2.1, RFC 7672 §3.1)', () => {
  it.each([
    ['RFC 7672 §3.1.1: 3 1 1 with 32 bytes is usable', () => tlsa(3, 1, 1, H32), true, /^$/],
    ['RFC 7672 §3.1.2: 2 0 1 with 32 bytes is usable', () => tlsa(2, 0, 1, H32), true, /^$/],
    ['RFC 6698 §2.1.3: 3 1 2 with 64 bytes is usable', () => tlsa(3, 1, 2, H64), true, /^$/],
    ['RFC 6698 §2.1.3: SHA2-256 data of 64 bytes is malformed', () => tlsa(3, 1, 1, H64), false, /must be 32 bytes/],
    ['RFC 6698 §2.1.3: SHA2-512 data of 32 bytes is malformed', () => tlsa(3, 1, 2, H32), false, /must be 64 bytes/],
    ['RFC 6698 §2.1.4: empty data is malformed', () => tlsa(3, 1, 1, ''), false, /empty or not hexadecimal/],
    ['RFC 6698 §2.1.4: odd-length hex is malformed', () => tlsa(3, 1, 1, 'abc'), false, /empty or not hexadecimal/],
    ['RFC 7672 §3.1.3: PKIX-TA(0) is unusable for SMTP', () => tlsa(0, 0, 1, H32), false, /not for SMTP/],
    ['RFC 7672 §3.1.3: PKIX-EE(1) is unusable for SMTP', () => tlsa(1, 1, 1, H32), false, /not for SMTP/],
    ['RFC 6698 §2.1.1: usage 4 is undefined', () => tlsa(4, 1, 1, H32), false, /usage 4 is not defined/],
    ['RFC 6698 §2.1.2: selector 2 is undefined', () => tlsa(3, 2, 1, H32), false, /selector 2/],
    ['RFC 6698 §2.1.3: matching type 3 is undefined', () => tlsa(3, 1, 3, H32), false, /matching type 3/],
    ['RFC 6698 §2.1.3: 3 0 0 with a real certificate is usable', () => tlsa(3, 0, 0, tlsaData(p.leaf.pem, 0, 0)), true, /^$/],
    ['RFC 6698 §2.1.3: 3 1 0 with a real SPKI is usable', () => tlsa(3, 1, 0, tlsaData(p.leaf.pem, 1, 0)), true, /^$/],
    ['RFC 6698 §2.1.3: 3 0 0 with bytes that are not a certificate is malformed', () => tlsa(3, 0, 0, '3003020101'), false, /not a DER certificate/],
    ['RFC 6698 §2.1.3: 3 1 0 with a certificate instead of an SPKI is malformed', () => tlsa(3, 1, 0, tlsaData(p.leaf.pem, 0, 0)), false, /SubjectPublicKeyInfo/],
  ])('%s', (_n, record, usable, problem) => {
    const r = checkTlsaSyntax(record());
    expect(r.usable).toBe(usable);
    expect(r.problems.join('; ')).toMatch(problem);
  });

  it('never throws on arbitrary parameters and data (property)', () => {
    fc.assert(
      fc.property(fc.nat(255), fc.nat(255), fc.nat(255), fc.string({ maxLength: 200 }), (u, s, m, data) => {
        const r = checkTlsaSyntax(tlsa(u, s, m, data));
        expect(r.usable).toBe(r.problems.length === 0);
      }),
      { numRuns: 500 },
    );
  });
});

describe('TLSA naming', () => {
  it.each([
    ['mx1.example.com', '_25._tcp.mx1.example.com'],
    ['MX1.Example.COM.', '_25._tcp.mx1.example.com'],
  ])('RFC 7672 §2.2.3: the TLSA query name of %s is %s', (host, name) => {
    expect(tlsaQueryName(host)).toBe(name);
  });

  it.each([
    [3, 1, 1, 'DANE-EE(3) SPKI(1) SHA2-256(1)', true],
    [2, 0, 1, 'DANE-TA(2) Cert(0) SHA2-256(1)', true],
    [3, 0, 2, 'DANE-EE(3) Cert(0) SHA2-512(2)', false],
    [9, 9, 9, 'unknown(9) unknown(9) unknown(9)', false],
  ])('RFC 7672 §3.1: %i %i %i reads %s (recommended: %s)', (u, s, m, mnemonic, recommended) => {
    expect(tlsaMnemonic({ usage: u, selector: s, matchingType: m })).toBe(mnemonic);
    expect(isRecommendedCombination({ usage: u, selector: s, matchingType: m })).toBe(recommended);
  });

  it('RFC 8460 §4.5: the presentation text is "usage selector mtype hex" in lower case', () => {
    expect(tlsaText(tlsa(3, 1, 1, 'AB'.repeat(32)))).toBe(`3 1 1 ${'ab'.repeat(32)}`);
  });
});
