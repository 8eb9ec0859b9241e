// Fuzzing `mx` pattern syntax and matching (RFC 8461 §3.2 `["*."] Domain`, §4.1 with RFC 6125
// §6.4): the syntax check never accepts a non-LDH pattern, and matching agrees with a
// reference written from RFC 8461 Appendix B on lower-case names, and case-insensitively.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkMxPatternSyntax, matchingPatterns, mxPatternMatches } from '../../core/parse/mx-pattern.ts';
import { fcParams, fuzzRuns, fuzzSeed, Tally } from './budget.ts';

const SEED = fuzzSeed(0x3a7c);
const RUNS = fuzzRuns(15_000);

const LABEL = String.raw`(?!-)[a-z0-9-]{1,63}(?<!-)`;
const NORMALIZED = new RegExp(String.raw`^(?:\*\.)?${LABEL}(?:\.${LABEL})*$`);

/** RFC 8461 Appendix B `certMatches`, transcribed: a `*.` pattern covers exactly one extra leftmost label. */
function referenceMatches(pattern: string, host: string): boolean {
  const h = host.endsWith('.') ? host.slice(0, -1) : host;
  const p = pattern.endsWith('.') ? pattern.slice(0, -1) : pattern;
  if (p.startsWith('*.')) {
    const parts = h.split('.');
    return parts.length >= 2 && (parts[0] ?? '') !== '' && parts.slice(1).join('.') === p.slice(2);
  }
  return h === p;
}

const PIECES = ['*', '*.', 'mail', 'mx', 'example', 'com', '.', '..', '-', 'a-b', 'x*', '*x', 'ü', '[', ']', ':', ',', ' ', '_', '1', '192.0.2.1', 'a'.repeat(64)];
const label = fc.constantFrom('a', 'b', 'mx', 'mail', 'x-1', '0', 'MX');
const name = fc.array(label, { minLength: 1, maxLength: 4 }).map((l) => l.join('.'));
const patternish = fc.oneof(
  { weight: 3, arbitrary: fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 6 }).map((p) => p.join('')) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('', '*.', '*', 'a*.', '*.*.'), name, fc.constantFrom('', '.', '..')).map((p) => p.join('')) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 40 }) },
);
const pair = fc.tuple(fc.boolean(), name, fc.nat({ max: 3 }), name, fc.boolean(), fc.boolean()).map(([wild, base, how, other, dotP, dotH]) => {
  const pattern = (wild ? '*.' : '') + base + (dotP ? '.' : '');
  // Hosts related to the pattern most of the time: its base, one label under it, two under it, or unrelated.
  const host = [base, `mx.${base}`, `a.b.${base}`, other][how] ?? other;
  // The reference is defined on lower-case names; case is exercised separately below.
  return { pattern: pattern.toLowerCase(), host: (host + (dotH ? '.' : '')).toLowerCase() };
});
const flipCase = (s: string, mask: number) => [...s].map((c, i) => ((mask >> i % 30) & 1 ? c.toUpperCase() : c)).join('');

describe(`fuzz mx patterns, seed ${SEED}, ${RUNS} runs`, () => {
  it(`checkMxPatternSyntax never throws and accepts only ["*."] LDH names (seed ${SEED})`, () => {
    const tally = new Tally();
    fc.assert(
      fc.property(patternish, (pattern) => {
        const r = checkMxPatternSyntax(pattern);
        if (!r.ok) {
          tally.hit('rejected');
          expect(r.reason.length).toBeGreaterThan(0);
          return;
        }
        tally.hit(r.normalized.startsWith('*.') ? 'ok-wildcard' : 'ok-plain');
        expect(r.normalized).toMatch(NORMALIZED);
        expect(r.normalized.length).toBeLessThanOrEqual(253);
        expect(r.trailingDot).toBe(pattern.endsWith('.'));
        expect(r.normalized).toBe((r.trailingDot ? pattern.slice(0, -1) : pattern).toLowerCase());
      }),
      fcParams(SEED, RUNS),
    );
    expect(tally.missing(['rejected', 'ok-wildcard', 'ok-plain'], 100)).toEqual([]);
  });

  it(`mxPatternMatches agrees with RFC 8461 Appendix B, in any letter case (seed ${SEED + 1})`, () => {
    const tally = new Tally();
    fc.assert(
      fc.property(pair, fc.nat(), fc.nat(), ({ pattern, host }, m1, m2) => {
        const expected = referenceMatches(pattern, host);
        tally.hit(expected ? 'match' : 'no-match');
        if (pattern.startsWith('*.') && host.replace(/\.$/, '') === pattern.slice(2).replace(/\.$/, '')) tally.hit('bare-suffix');
        expect(mxPatternMatches(pattern, host)).toBe(expected);
        expect(mxPatternMatches(flipCase(pattern, m1), flipCase(host, m2))).toBe(expected);
        expect(matchingPatterns([pattern, 'unrelated.invalid'], host)).toEqual(expected ? [pattern] : []);
      }),
      fcParams(SEED + 1, RUNS),
    );
    expect(tally.missing(['match', 'no-match', 'bare-suffix'], 500)).toEqual([]);
  });

  it(`never throws on arbitrary pattern and host text, and a pattern with a syntax error matches nothing (seed ${SEED + 2})`, () => {
    let invalid = 0;
    fc.assert(
      fc.property(patternish, fc.string({ unit: 'binary', maxLength: 60 }), (pattern, host) => {
        const matched = mxPatternMatches(pattern, host);
        if (!checkMxPatternSyntax(pattern).ok) {
          invalid++;
          expect(matched).toBe(false);
        }
      }),
      fcParams(SEED + 2, Math.round(RUNS / 3)),
    );
    expect(invalid).toBeGreaterThan(RUNS / 30);
  });
});
