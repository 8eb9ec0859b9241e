import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkMxPatternSyntax, matchingPatterns, mxPatternMatches } from '../../../core/parse/mx-pattern.ts';

describe('checkMxPatternSyntax', () => {
  it.each([
    ['RFC 8461 §3.2: accepts a plain Domain', 'mail.example.com', 'mail.example.com', false],
    ['RFC 8461 §3.2: accepts a leading "*." wildcard', '*.example.net', '*.example.net', false],
    ['RFC 6125 §6.4.1: normalises to lower case', 'MX1.Example.COM', 'mx1.example.com', false],
    ['CHECKLIST A6: a trailing dot is reported, not fatal', 'mail.example.com.', 'mail.example.com', true],
    ['RFC 5321 §4.1.2: labels may be all digits (A22 warns elsewhere)', '192.0.2.1', '192.0.2.1', false],
    ['RFC 5321 §4.1.2: a single label is a Domain', 'localhost', 'localhost', false],
    ['RFC 8461 §3.2: A-labels are plain LDH', '*.xn--bcher-kva.de', '*.xn--bcher-kva.de', false],
  ])('%s', (_name, pattern, normalized, trailingDot) => {
    expect(checkMxPatternSyntax(pattern)).toEqual({ ok: true, normalized, trailingDot });
  });

  it.each([
    ['CHECKLIST §5.1 rule 5: partial-label wildcard "mx*.example.com"', 'mx*.example.com', /leftmost label/],
    ['CHECKLIST §5.1 rule 5: wildcard not in the leftmost label', 'mail.*.example.com', /leftmost label/],
    ['CHECKLIST §5.1 rule 5: "*" without the following dot', '*example.com', /leftmost label/],
    ['CHECKLIST §5.1 rule 5: double wildcard', '*.*.example.com', /leftmost label/],
    ['RFC 8461 §3.2: bare "*"', '*', /bare/],
    ['RFC 5321 §4.1.2: empty label', 'mail..example.com', /empty/],
    ['RFC 5321 §4.1.2: leading hyphen', '-mail.example.com', /starts or ends with "-"/],
    ['RFC 5321 §4.1.2: trailing hyphen', 'mail-.example.com', /starts or ends with "-"/],
    ['RFC 5321 §4.1.2: underscore', 'mail_1.example.com', /"_"/],
    ['RFC 5321 §4.1.2: label over 63 characters', `${'a'.repeat(64)}.example.com`, /at most 63/],
    ['RFC 1035 §2.3.4: name over 253 characters', `${'a.'.repeat(127)}com`, /at most 253/],
    ['RFC 8461 §3.2: U-label instead of A-label', 'bücher.de', /A-labels/],
    ['CHECKLIST A22: IPv6 literal', '2001:db8::1', /IP address/],
    ['CHECKLIST A22: bracketed literal', '[192.0.2.1]', /IP address/],
    ['RFC 8461 §3.2: a list in one value', 'a.example.com,b.example.com', /one pattern per mx line/],
    ['RFC 8461 §3.2: empty pattern', '', /empty/],
    ['RFC 5321 §4.1.2: two trailing dots', 'mail.example.com..', /dot/],
  ])('%s', (_name, pattern, reason) => {
    const result = checkMxPatternSyntax(pattern);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});

describe('mxPatternMatches', () => {
  it.each([
    ['RFC 8461 §4.1: "*.example.com" matches "mail.example.com"', '*.example.com', 'mail.example.com', true],
    ['RFC 8461 §4.1: "*.example.com" does not match "example.com"', '*.example.com', 'example.com', false],
    ['RFC 8461 §4.1: "*.example.com" does not match "foo.bar.example.com"', '*.example.com', 'foo.bar.example.com', false],
    ['RFC 6125 §6.4.1: literal match is case-insensitive', 'mail.example.com', 'MAIL.Example.Com', true],
    ['RFC 6125 §6.4.1: wildcard match is case-insensitive', '*.EXAMPLE.com', 'Mx1.example.COM', true],
    ['CHECKLIST A6: one trailing dot is stripped from the MX host', 'mail.example.com', 'mail.example.com.', true],
    ['CHECKLIST A6: a trailing dot in the pattern matches as if absent', 'mail.example.com.', 'mail.example.com', true],
    ['CHECKLIST A6: only one trailing dot is stripped', 'mail.example.com', 'mail.example.com..', false],
    ['RFC 8461 §4.1: a literal pattern matches only the identical name', 'mail.example.com', 'mail2.example.com', false],
    ['RFC 8461 §4.1: no suffix matching without a wildcard', 'example.com', 'mail.example.com', false],
    ['CHECKLIST §5.1 rule 4: the wildcard label must be non-empty', '*.example.com', '.example.com', false],
    ['CHECKLIST §5.1 rule 5: partial-label wildcards never match', 'mx*.example.com', 'mx1.example.com', false],
    ['CHECKLIST §5.1 rule 2: a Unicode MX host is compared as its A-label', 'mail.xn--bcher-kva.de', 'mail.bücher.de', true],
    ['CHECKLIST §5.1 rule 2: a Unicode host under a wildcard', '*.xn--bcher-kva.de', 'MX.Bücher.de', true],
    ['RFC 8461 §3.2: a U-label pattern is a syntax error and matches nothing', 'mail.bücher.de', 'mail.xn--bcher-kva.de', false],
    ['RFC 8461 §4.1: an empty host matches nothing', '*.example.com', '', false],
  ])('%s', (_name, pattern, host, expected) => {
    expect(mxPatternMatches(pattern, host)).toBe(expected);
  });

  it('RFC 8461 §4.1: matchingPatterns returns every allowing pattern in policy order', () => {
    const patterns = ['mail.example.com', '*.example.net', '*.example.com', 'MAIL.EXAMPLE.COM'];
    expect(matchingPatterns(patterns, 'mail.example.com.')).toEqual(['mail.example.com', '*.example.com', 'MAIL.EXAMPLE.COM']);
    expect(matchingPatterns(patterns, 'other.org')).toEqual([]);
  });

  // The pseudocode of RFC 8461 Appendix B, transcribed literally.
  function appendixB(candidate: string, mxs: readonly string[]): boolean {
    for (const mx of mxs) {
      if (mx === candidate) return true;
      if (mx[0] === '*') {
        const dot = candidate.indexOf('.');
        const parts = dot === -1 ? [candidate] : [candidate.slice(0, dot), candidate.slice(dot + 1)];
        if (parts.length > 1 && parts[1] === mx.slice(2)) return true;
      }
    }
    return false;
  }

  const label = fc.constantFrom('a', 'b', 'mail', 'mx1', 'example', 'com', 'net', 'xn--bcher-kva');
  const name = (min: number, max: number) => fc.array(label, { minLength: min, maxLength: max }).map((ls) => ls.join('.'));

  it('RFC 8461 Appendix B: agrees with the reference pseudocode on lower-case valid names', () => {
    const seen = { literal: 0, wildcard: 0, miss: 0 };
    fc.assert(
      fc.property(fc.boolean(), name(1, 3), name(1, 4), (wild, suffix, host) => {
        const pattern = wild ? `*.${suffix}` : suffix;
        const expected = appendixB(host, [pattern]);
        expect(mxPatternMatches(pattern, host)).toBe(expected);
        if (!expected) seen.miss++;
        else if (wild) seen.wildcard++;
        else seen.literal++;
      }),
      { seed: 8461, numRuns: 2000 },
    );
    // The property reached all three outcomes, so it cannot pass vacuously.
    expect(seen.literal).toBeGreaterThan(10);
    expect(seen.wildcard).toBeGreaterThan(10);
    expect(seen.miss).toBeGreaterThan(10);
  });

  it('RFC 8461 §4.1: never throws, and only syntactically valid patterns ever match', () => {
    let matched = 0;
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), fc.boolean(), (pattern, host, sameHost) => {
        const h = sameHost ? pattern : host;
        const result = mxPatternMatches(pattern, h);
        if (result) {
          matched++;
          expect(checkMxPatternSyntax(pattern).ok).toBe(true);
        }
      }),
      { seed: 6125, numRuns: 3000 },
    );
    expect(matched).toBeGreaterThan(0);
  });
});
