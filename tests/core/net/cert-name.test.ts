import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { certNameMatches } from '../../../core/net/cert-name.ts';

describe('certNameMatches', () => {
  it.each<[string, string[], string, string | undefined]>([
    ['exact name', ['mx.example.com'], 'mx.example.com', 'mx.example.com'],
    ['case-insensitive ASCII', ['MX.Example.COM'], 'mx.example.com', 'MX.Example.COM'],
    ['reference in upper case', ['mx.example.com'], 'MX.EXAMPLE.COM', 'mx.example.com'],
    ['trailing dot on the host ignored', ['mx.example.com'], 'mx.example.com.', 'mx.example.com'],
    ['the second SAN matches', ['www.example.com', 'mx.example.com'], 'mx.example.com', 'mx.example.com'],
    ['wildcard as the whole left-most label', ['*.example.com'], 'mx.example.com', '*.example.com'],
    ['wildcard matches one label only', ['*.example.com'], 'a.b.example.com', undefined],
    ['wildcard does not match the bare parent', ['*.example.com'], 'example.com', undefined],
    ['partial-label wildcard b*z is ignored (A15)', ['b*z.example.com'], 'buzz.example.com', undefined],
    ['partial-label wildcard mx* is ignored (A15)', ['mx*.example.com'], 'mx1.example.com', undefined],
    ['wildcard not in the left-most label is ignored', ['mx.*.com'], 'mx.example.com', undefined],
    ['two wildcards are ignored', ['*.*.example.com'], 'a.b.example.com', undefined],
    ['wildcard over a TLD is ignored', ['*.com'], 'example.com', undefined],
    ['different name', ['mail.example.com'], 'mx.example.com', undefined],
    ['suffix is not a match', ['example.com'], 'mx.example.com', undefined],
    ['no SAN at all (no CN fallback)', [], 'mx.example.com', undefined],
    ['IP host never matches a dNSName', ['192.0.2.1'], '192.0.2.1', undefined],
    ['IDN host compared as A-label', ['xn--bcher-kva.example'], 'bücher.example', 'xn--bcher-kva.example'],
    ['IDN host under a wildcard', ['*.xn--bcher-kva.example'], 'mx.bücher.example', '*.xn--bcher-kva.example'],
    ['U-label SAN is malformed and ignored', ['bücher.example'], 'bücher.example', undefined],
    ['SAN with a trailing dot', ['mx.example.com.'], 'mx.example.com', 'mx.example.com.'],
    ['SAN with an empty label', ['mx..example.com'], 'mx..example.com', undefined],
    ['SAN with a NUL byte', ['mx.example.com\u0000.evil.com'], 'mx.example.com', undefined],
  ])('RFC 9525 §6.3: %s', (_name, sans, host, expected) => {
    expect(certNameMatches(sans, host)).toBe(expected);
  });

  const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/);
  // A top-level label is never all-digits (RFC 3696 §2), so a generated name is never an IP address
  // (which, rightly, never matches a dNSName: "0.0.0.0" under "*.0.0.0" would fail these properties).
  const tld = label.map((l) => `${l}x`);
  const name = fc.tuple(fc.array(label, { minLength: 1, maxLength: 4 }), tld).map(([l, t]) => [...l, t].join('.'));

  it('never throws, whatever the input', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 40 }), { maxLength: 5 }), fc.string({ maxLength: 60 }), (sans, host) => {
        const result = certNameMatches(sans, host);
        expect(result === undefined || sans.includes(result)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('RFC 9525 §6.3: a name always matches itself, in any case', () => {
    fc.assert(
      fc.property(name, (host) => {
        expect(certNameMatches([host.toUpperCase()], host)).toBe(host.toUpperCase());
      }),
    );
  });

  it('RFC 9525 §6.3: an all-digit name is an IP address and never matches a wildcard dNSName', () => {
    expect(certNameMatches(['*.0.0.0'], '0.0.0.0')).toBeUndefined();
  });

  it('RFC 9525 §6.3: a wildcard matches exactly one label, never two', () => {
    let matched = 0;
    fc.assert(
      fc.property(label, label, fc.array(label, { minLength: 1, maxLength: 2 }), tld, (a, b, middle, top) => {
        const parent = [...middle, top];
        const san = `*.${parent.join('.')}`;
        expect(certNameMatches([san], `${a}.${parent.join('.')}`)).toBe(san);
        matched++;
        expect(certNameMatches([san], `${a}.${b}.${parent.join('.')}`)).toBeUndefined();
      }),
    );
    expect(matched).toBeGreaterThan(0);
  });
});
