import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fmtRatio, fmtSummary, ratio, summarize } from '../../bench/stats.ts';

describe('bench stats', () => {
  it.each([
    { samples: [3, 1, 2], median: 2, min: 1, max: 3, q1: 1.5, q3: 2.5 },
    { samples: [4, 1, 3, 2], median: 2.5, min: 1, max: 4, q1: 1.75, q3: 3.25 },
    { samples: [5], median: 5, min: 5, max: 5, q1: 5, q3: 5 },
    { samples: [1, Number.NaN, 3], median: 2, min: 1, max: 3, q1: 1.5, q3: 2.5 },
  ])('summarizes $samples', ({ samples, ...expected }) => {
    expect(summarize(samples)).toMatchObject(expected);
  });

  it('gives NaN (printed n/a) for no samples, never a fast-looking zero', () => {
    const s = summarize([]);
    expect(s.n).toBe(0);
    expect(Number.isNaN(s.median)).toBe(true);
    expect(fmtSummary(s)).toBe('n/a');
  });

  it.each([
    { a: 10, b: 4, text: '2.50×' },
    { a: 10, b: 0, text: 'n/a' },
    { a: Number.NaN, b: 4, text: 'n/a' },
  ])('ratio $a / $b is $text', ({ a, b, text }) => {
    expect(fmtRatio(ratio(a, b))).toBe(text);
  });

  it('keeps min ≤ q1 ≤ median ≤ q3 ≤ max for any samples', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 50 }), (xs) => {
        const s = summarize(xs);
        expect(s.n).toBe(xs.length);
        expect(s.min).toBeLessThanOrEqual(s.q1);
        expect(s.q1).toBeLessThanOrEqual(s.median);
        expect(s.median).toBeLessThanOrEqual(s.q3);
        expect(s.q3).toBeLessThanOrEqual(s.max);
      }),
    );
  });
});
