import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodePunycodeLabel, toUnicodeDomain } from '../../../core/parse/punycode.ts';

describe('decodePunycodeLabel', () => {
  it.each([
    ['RFC 3492 §7.1: (B) Chinese (simplified)', 'ihqwcrb4cv8a8dqg056pqjye', '他们为什么不说中文'],
    ['RFC 3492 §7.1: (L) 3年B組金八先生', '3B-ww4c5e180e575a65lsy2b', '3年B組金八先生'],
    ['RFC 3492 §7.1: (O) Pročprostěnemluvíčesky', 'Proprostnemluvesky-uyb24dma41a', 'Pročprostěnemluvíčesky'],
    ['RFC 3492 §7.1: (Q) -> $1.00 <-', '-> $1.00 <--', '-> $1.00 <-'],
    ['RFC 5891: bücher', 'bcher-kva', 'bücher'],
  ])('%s', (_name, input, expected) => {
    expect(decodePunycodeLabel(input)).toBe(expected);
  });

  it.each([
    ['RFC 3492 §6.2: empty input', ''],
    ['RFC 3492 §6.2: a digit sequence that never ends', 'zz'],
    ['RFC 3492 §6.2: a non-basic code point before the delimiter', 'ü-abc'],
    ['RFC 3492 §6.2: a character that is not a digit', 'abc-!!'],
  ])('%s → undefined', (_name, input) => {
    expect(decodePunycodeLabel(input)).toBeUndefined();
  });

  it('RFC 3492 §6.4: never throws and never returns a lone surrogate', () => {
    let decoded = 0;
    let refused = 0;
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'abcxyz0189-'.split('')), maxLength: 20 }), (s) => {
        const out = decodePunycodeLabel(s);
        if (out === undefined) {
          refused++;
          return;
        }
        decoded++;
        // A lone surrogate would show up as U+FFFD after a UTF-8 round trip.
        expect(new TextDecoder().decode(new TextEncoder().encode(out))).toBe(out);
      }),
      { seed: 3492, numRuns: 2000 },
    );
    expect(decoded).toBeGreaterThan(100);
    expect(refused).toBeGreaterThan(100);
  });
});

describe('toUnicodeDomain', () => {
  it.each([
    ['RFC 5891 §5: A-labels become U-labels', 'mail.xn--bcher-kva.de', 'mail.bücher.de'],
    ['RFC 5891 §5: ASCII labels stay', 'example.com', 'example.com'],
    ['RFC 5891 §5: invalid Punycode stays as written', 'xn--zz.com', 'xn--zz.com'],
  ])('%s', (_name, input, expected) => {
    expect(toUnicodeDomain(input)).toBe(expected);
  });
});
