import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { firstInvalidUtf8 } from '../../../core/parse/utf8.ts';

describe('firstInvalidUtf8', () => {
  it.each([
    ['RFC 3629 §4: ASCII', [0x61, 0x62], -1],
    ['RFC 3629 §4: two-byte sequence', [0x61, 0xc3, 0xa9], -1],
    ['RFC 3629 §4: four-byte sequence', [0xf0, 0x9d, 0x84, 0x9e], -1],
    ['RFC 3629 §3: overlong two-byte form', [0x61, 0xc1, 0x81], 1],
    ['RFC 3629 §3: overlong three-byte form', [0xe0, 0x80, 0xaf], 0],
    ['RFC 3629 §3: surrogate code point', [0x61, 0x61, 0xed, 0xb0, 0x80], 2],
    ['RFC 3629 §3: above U+10FFFF', [0xf4, 0x90, 0x80, 0x80], 0],
    ['RFC 3629 §3: truncated at the end', [0x61, 0xe2, 0x82], 1],
    ['RFC 3629 §3: lone continuation byte', [0x80], 0],
    ['RFC 3629 §3: 0xFF never appears', [0x61, 0xff], 1],
  ])('%s', (_name, bytes, expected) => {
    expect(firstInvalidUtf8(new Uint8Array(bytes))).toBe(expected);
  });

  it('RFC 3629 §4: agrees with a fatal TextDecoder, and the reported byte starts the bad part', () => {
    const decoder = new TextDecoder('utf-8', { fatal: true });
    let valid = 0;
    let invalid = 0;
    const bytes = fc.oneof(
      fc.uint8Array({ maxLength: 24 }),
      fc.string({ unit: 'binary', maxLength: 12 }).map((s) => new TextEncoder().encode(s)),
      fc.tuple(fc.string({ unit: 'binary', maxLength: 6 }), fc.uint8Array({ minLength: 1, maxLength: 3 })).map(([s, tail]) => new Uint8Array([...new TextEncoder().encode(s), ...tail])),
    );
    fc.assert(
      fc.property(bytes, (b) => {
        let ok = true;
        try {
          decoder.decode(b);
        } catch {
          ok = false;
        }
        const at = firstInvalidUtf8(b);
        expect(at === -1).toBe(ok);
        if (ok) {
          valid++;
          return;
        }
        invalid++;
        // Everything before the reported byte is valid UTF-8 on its own.
        expect(() => decoder.decode(b.subarray(0, at))).not.toThrow();
      }),
      { seed: 3629, numRuns: 3000 },
    );
    expect(valid).toBeGreaterThan(300);
    expect(invalid).toBeGreaterThan(300);
  });
});
