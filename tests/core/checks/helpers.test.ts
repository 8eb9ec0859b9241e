import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { clip, describeDnsFailure, listSome, period, visibleText } from '../../../core/checks/helpers.ts';
import { dns } from './fixtures.ts';

describe('check helpers: bounded, safe text for messages', () => {
  it.each([
    [['a', 'b'], 8, 'a, b'],
    [['a', 'b', 'c', 'd'], 2, 'a, b and 2 more'],
    [[], 8, ''],
  ])('RFC 8461 §3.1 (hostile answers): listSome(%j, %i) = %j', (items, max, out) => {
    expect(listSome(items, max)).toBe(out);
  });

  it('clip keeps short text and says how long long text was', () => {
    expect(clip('abc', 5)).toBe('abc');
    expect(clip('x'.repeat(50), 10)).toBe(`${'x'.repeat(10)}… (50 characters)`);
  });

  it.each([
    ['done', 'done.'],
    ['done.', 'done.'],
    ['done. ', 'done.'],
    ['really?', 'really?'],
  ])('period(%j) = %j', (input, out) => expect(period(input)).toBe(out));

  it.each([
    ['a\x00b', 'a\\x00b'],
    ['\x1b[2J', '\\x1B[2J'],
    ['bell\x07', 'bell\\x07'],
    ['rtl\u202eevil', 'rtl\\u{202E}evil'],
    ['line\nbreak\ttab', 'line\nbreak\ttab'],
  ])('visibleText(%j) shows control characters as escapes', (input, out) => expect(visibleText(input)).toBe(out));

  it('visibleText never lets a C0/C1 control or a bidi override through (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 200 }), (s) => {
        expect(visibleText(s)).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
      }),
      { numRuns: 2000, seed: 7 },
    );
  });

  it('RFC 8484 (DNS-03): describeDnsFailure drops the final full stop of the resolver text (callers continue the sentence)', () => {
    const a = dns.status('example.com', 'MX', 'error', { message: 'The resolver timed out.' });
    expect(describeDnsFailure(a)).toMatch(/The resolver timed out$/);
  });
});
