import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { suggestMode } from '../../../core/parse/policy-mode.ts';

describe('suggestMode: the fix for an unregistered mode value (RFC 8461 §3.2)', () => {
  it.each([
    ['CHECKLIST A4: "Enforce" differs only by case', 'Enforce', 'enforce', 'case'],
    ['CHECKLIST A4: "Testing" differs only by case', 'Testing', 'testing', 'case'],
    ['CHECKLIST A4: "None" differs only by case', 'None', 'none', 'case'],
    ['CHECKLIST A4: "ENFORCE" differs only by case', 'ENFORCE', 'enforce', 'case'],
    ['RFC 8461 §3.2: "enforcing" is an inflection of enforce', 'enforcing', 'enforce', 'near'],
    ['RFC 8461 §3.2: "enforced" is an inflection of enforce', 'enforced', 'enforce', 'near'],
    ['RFC 8461 §3.2: "Enforcement" is an inflection of enforce', 'Enforcement', 'enforce', 'near'],
    ['RFC 8461 §3.2: "enfroce" is a transposition typo of enforce', 'enfroce', 'enforce', 'near'],
    ['RFC 8461 §3.2: "enforse" is a one-letter typo of enforce', 'enforse', 'enforce', 'near'],
    ['RFC 8461 §3.2: "enf" abbreviates enforce', 'enf', 'enforce', 'near'],
    ['RFC 8461 §3.2: "test" is short for testing', 'test', 'testing', 'near'],
    ['RFC 8461 §3.2: "tested" is an inflection of testing', 'tested', 'testing', 'near'],
    ['RFC 8461 §3.2: "tesitng" is a transposition typo of testing', 'tesitng', 'testing', 'near'],
    ['RFC 8461 §3.2: "testin" drops a letter of testing', 'testin', 'testing', 'near'],
    ['RFC 8461 §3.2: "nnoe" is a transposition typo of none', 'nnoe', 'none', 'near'],
    ['RFC 8461 §3.2: "non" abbreviates none', 'non', 'none', 'near'],
    ['RFC 8461 §8.3: "off" means none', 'off', 'none', 'synonym'],
    ['RFC 8461 §8.3: "disabled" means none', 'disabled', 'none', 'synonym'],
    ['RFC 8461 §8.3: "false" means none', 'false', 'none', 'synonym'],
    ['RFC 8461 §5: "report-only" means testing', 'report-only', 'testing', 'synonym'],
    ['RFC 8461 §5: "monitor" means testing', 'monitor', 'testing', 'synonym'],
    ['RFC 8461 §5: "strict" means enforce', 'strict', 'enforce', 'synonym'],
    ['RFC 8461 §5: "reject" means enforce', 'reject', 'enforce', 'synonym'],
    ['RFC 8461 §5: "on" does not say how strictly: testing, with the reason', 'on', 'testing', 'unclear'],
    ['RFC 8461 §5: "enabled" does not say how strictly: testing, with the reason', 'enabled', 'testing', 'unclear'],
    ['RFC 8461 §5: "true" does not say how strictly: testing, with the reason', 'true', 'testing', 'unclear'],
    ['RFC 8461 §5: an unrecognisable value gets testing, with the reason', 'xyzzy', 'testing', 'unclear'],
    ['RFC 8461 §5: an empty value gets testing, with the reason', '', 'testing', 'unclear'],
    ['RFC 8461 §5: a long value is not compared letter by letter', 'enforce'.repeat(10), 'enforce', 'near'],
    ['RFC 8461 §5: a long unrelated value gets testing', 'q'.repeat(5000), 'testing', 'unclear'],
  ] as const)('%s', (_name, value, mode, kind) => {
    const s = suggestMode(value);
    expect(s.mode).toBe(mode);
    expect(s.kind).toBe(kind);
    expect(s.explanation).toContain(`"${mode}"`);
    if (kind === 'unclear') expect(s.explanation).toMatch(/safe first step.*still deliver/);
    else expect(s.explanation).not.toMatch(/safe first step/);
  });

  it('RFC 8461 §3.2: never throws and always suggests a registered mode; every kind is reached', () => {
    const kinds = new Map<string, number>();
    const word = fc.oneof(
      fc.constantFrom('enforce', 'testing', 'none', 'Enforce', 'enforcing', 'test', 'off', 'on', 'report', 'nnoe'),
      fc.string({ unit: fc.constantFrom(...'enforcetsign-_ OFX'.split('')), maxLength: 12 }),
      fc.string({ maxLength: 40 }),
    );
    fc.assert(
      fc.property(word, (value) => {
        const s = suggestMode(value);
        kinds.set(s.kind, (kinds.get(s.kind) ?? 0) + 1);
        expect(['enforce', 'testing', 'none']).toContain(s.mode);
        expect(s.explanation.startsWith(' ')).toBe(true);
        // Only an unclear value falls back to testing without saying why.
        if (s.kind === 'unclear') expect(s.mode).toBe('testing');
      }),
      { seed: 8461, numRuns: 2000 },
    );
    for (const kind of ['case', 'near', 'synonym', 'unclear']) expect(kinds.get(kind) ?? 0).toBeGreaterThan(0);
  });
});
