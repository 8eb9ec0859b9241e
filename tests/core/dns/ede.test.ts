import { describe, expect, it } from 'vitest';
import { decodeEdeOption, describeEde, isDnssecEde } from '../../../core/dns/ede.ts';

const option = (code: number, text: string) => {
  const bytes = new TextEncoder().encode(text);
  return Uint8Array.from([code >> 8, code & 0xff, ...bytes]);
};

describe('decodeEdeOption (RFC 8914 §2)', () => {
  it.each([
    ['RFC 8914 §2: info-code alone', Uint8Array.of(0, 6), { code: 6 }],
    ['RFC 8914 §2: info-code and UTF-8 extra text', option(9, 'no DNSKEY for example.com — übel'), { code: 9, text: 'no DNSKEY for example.com — übel' }],
    ['RFC 8914 §2: a NUL-terminated text loses the NUL', option(7, 'expired\0'), { code: 7, text: 'expired' }],
    ['RFC 8914 §2: control characters become spaces', option(0, 'a\u001b[31mb\r\n'), { code: 0, text: 'a [31mb' }],
    ['RFC 8914 §2: a code above the registry is kept', Uint8Array.of(0xff, 0xff), { code: 65535 }],
  ])('%s', (_title, data, expected) => {
    expect(decodeEdeOption(data)).toEqual(expected);
  });

  it('RFC 8914 §2: a body shorter than the info-code is refused', () => {
    expect(decodeEdeOption(Uint8Array.of(6))).toBeUndefined();
  });

  it('bounds the extra text', () => {
    expect(decodeEdeOption(option(0, 'x'.repeat(5000)))?.text?.length).toBe(301);
  });
});

describe('describeEde / isDnssecEde', () => {
  it.each([
    [{ code: 6, text: 'sig failed' }, 'DNSSEC Bogus (EDE 6: sig failed)', true],
    [{ code: 22 }, 'No Reachable Authority (EDE 22)', false],
    [{ code: 4000 }, 'unregistered code (EDE 4000)', false],
  ])('RFC 8914 §4: %j', (ede, text, dnssec) => {
    expect({ text: describeEde(ede), dnssec: isDnssecEde(ede.code) }).toEqual({ text, dnssec });
  });
});
