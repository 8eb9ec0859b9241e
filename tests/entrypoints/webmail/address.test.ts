import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseSenderAddress } from '../../../entrypoints/shared/webmail/address.ts';

describe('parseSenderAddress (RFC 5322 §3.4 addr-spec, strictly)', () => {
  it.each([
    ['a bare address', 'alice@example.org', 'alice@example.org'],
    ['an address in angle brackets', '<alice@example.org>', 'alice@example.org'],
    ['a display name and address', 'Alice Example <alice@Example.ORG>', 'alice@example.org'],
    ['an IDN domain, as A-label', 'bob@bücher.example', 'bob@xn--bcher-kva.example'],
    ['surrounding white space', '  carol@example.net \n', 'carol@example.net'],
  ])('RFC 5322 §3.4: accepts %s', (_n, input, expected) => {
    expect(parseSenderAddress(input)).toBe(expected);
  });

  it.each([
    ['a display name holding another address', 'paypal.com@evil.example <x@y.example>'],
    ['two addresses', 'a@b.example, c@d.example'],
    ['a right-to-left override', 'alice@exa\u202emple.org'],
    ['a zero-width space', 'alice@exam\u200bple.org'],
    ['HTML', '<script>alert(1)</script>@x.example'],
    ['a single-label domain', 'alice@localhost'],
    ['two @', 'a@b@c.example'],
    ['an IP literal', 'alice@[192.0.2.1]'],
    ['nothing', ''],
    ['null', null],
    ['an over-long value', `${'a'.repeat(600)}@example.org`],
  ])('RFC 5322 §3.4: refuses %s', (_n, input) => {
    expect(parseSenderAddress(input as string | null)).toBeUndefined();
  });

  it('never throws and returns only a local@domain it could check', () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.emailAddress(), fc.emailAddress().map((e) => `Name <${e}>`)), (s) => {
        const r = parseSenderAddress(s);
        if (r !== undefined) {
          accepted++;
          expect(r).toMatch(/^[^@\s<>]+@[a-z0-9.-]+$/);
        }
      }),
      { numRuns: 500 },
    );
    // The generator reaches the accepting path, so the property is not vacuous.
    expect(accepted).toBeGreaterThan(0);
  });
});
