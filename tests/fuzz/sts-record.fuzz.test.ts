// Fuzzing the `_mta-sts` TXT parser (RFC 8461 §3.1): random text, grammatical records and
// mutations of them. Never throws; whatever is accepted is re-checked against an independent
// transcription of the ABNF; the tallies prove both the accept and the reject paths ran.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isStsCandidate, parseStsRecord } from '../../core/parse/sts-record.ts';
import { FindingSchema } from '../../core/report/schema.ts';
import { fcParams, fuzzRuns, fuzzSeed, Tally } from './budget.ts';
import { mutatedText } from './text-mutations.ts';

const SEED = fuzzSeed(0x5751);
const RUNS = fuzzRuns(12_000);

// RFC 8461 §3.1, written out independently of the parser:
//   sts-text-record = sts-version 1*(*WSP %x3B *WSP sts-field) [%x3B]
//   sts-id = %s"id=" 1*32(ALPHA / DIGIT); sts-extension = sts-ext-name "=" sts-ext-value
// plus what the parser deliberately tolerates with a warning: whitespace after the last field
// (CHECKLIST A3) and after a trailing ";". Whitespace before the first ";" is refused (A2).
const FIELD = String.raw`(?:[A-Za-z0-9][A-Za-z0-9_.\-]{0,31}=[\x21-\x3a\x3c\x3e-\x7e]+)`;
const GRAMMAR = new RegExp(String.raw`^v=STSv1;[ \t]*${FIELD}(?:[ \t]*;[ \t]*${FIELD})*[ \t]*(?:;[ \t]*)?$`);

const wsp = fc.stringMatching(/^[ \t]{0,2}$/);
const alnum = fc.stringMatching(/^[A-Za-z0-9]{1,32}$/);
const extName = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,8}$/);
const extValue = fc.stringMatching(/^[\x21-\x3a\x3c\x3e-\x7e]{1,12}$/);
const field = fc.oneof(
  { weight: 3, arbitrary: alnum.map((v) => `id=${v}`) },
  { weight: 2, arbitrary: fc.tuple(extName, extValue).map(([n, v]) => `${n}=${v}`) },
);

/** Grammatical records (with tolerated trailing whitespace now and then). */
const grammatical = fc
  .tuple(alnum, fc.nat(), fc.array(fc.tuple(wsp, wsp, field), { maxLength: 4 }), wsp, wsp, fc.boolean(), wsp)
  .map(([id, at, others, a0, b0, trailingSemi, tail]) => {
    // At least one `id=` field, somewhere among the others.
    const fields = [...others];
    fields.splice(at % (others.length + 1), 0, [a0, b0, `id=${id}`]);
    let out = 'v=STSv1';
    fields.forEach(([a, b, f], i) => (out += `${i === 0 ? '' : a};${b}${f}`));
    return out + (trailingSemi ? ';' : '') + tail;
  });

const HOSTILE = [';', ';;', ' ', '\t', '=', 'id=', 'ID=', 'V', 'v=STSv1', '\0', '\n', '\r', '\x7f', '\\', '"', 'é', '\u{1F4E7}', '<script>', '\uFEFF', 'a'.repeat(40)];
/** One or a few edits of a grammatical record: insertions, deletions, case flips, truncation. */
const mutated = mutatedText(grammatical, HOSTILE, ['insert', 'delete', 'upper', 'truncate']);
const soup = fc.array(fc.constantFrom(...HOSTILE, 'x', '1', '.', '-', '_'), { maxLength: 30 }).map((parts) => parts.join(''));
const anyText = fc.oneof(
  { weight: 3, arbitrary: grammatical },
  { weight: 4, arbitrary: mutated },
  { weight: 2, arbitrary: soup.map((s) => `v=STSv1;${s}`) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
);

describe(`fuzz parseStsRecord (RFC 8461 §3.1), seed ${SEED}, ${RUNS} runs per property`, () => {
  it(`never throws, stays bounded, and accepts only grammatical records (seed ${SEED})`, () => {
    const tally = new Tally();
    fc.assert(
      fc.property(anyText, (text) => {
        const parsed = parseStsRecord(text);
        tally.hit(parsed.valid ? 'valid' : 'invalid');
        // Bounded output: one finding per shape problem at most, never proportional to hostile repetition beyond the text.
        expect(parsed.findings.length).toBeLessThanOrEqual(text.length + 4);
        for (const f of parsed.findings) {
          tally.hit(f.id);
          expect(f.id.startsWith('sts-record.')).toBe(true);
        }
        if (parsed.valid) {
          expect(parsed.findings.some((f) => f.severity === 'fail')).toBe(false);
          expect(isStsCandidate(text)).toBe(true);
          expect(text).toMatch(GRAMMAR);
          expect(parsed.record?.id).toMatch(/^[A-Za-z0-9]{1,32}$/);
          // The id is the first `id=` field (RFC 8461 §3.2: duplicates are ignored).
          expect(parsed.record?.id).toBe(/(?:^v=STSv1|;)[ \t]*id=([A-Za-z0-9]+)/.exec(text)?.[1]);
          for (const e of parsed.record?.extensions ?? []) expect(`${e.name}=${e.value}`).toMatch(new RegExp(`^${FIELD}$`));
        } else {
          expect(parsed.record).toBeUndefined();
          expect(parsed.findings.some((f) => f.severity === 'fail')).toBe(true);
        }
      }),
      fcParams(SEED, RUNS),
    );
    expect(tally.get('valid')).toBeGreaterThan(RUNS / 10);
    expect(tally.get('invalid')).toBeGreaterThan(RUNS / 10);
    const ids = [
      'sts-record.non-ascii', 'sts-record.control-character', 'sts-record.bad-version', 'sts-record.missing-version',
      'sts-record.bad-id', 'sts-record.missing-id', 'sts-record.duplicate-field', 'sts-record.unknown-fields', 'sts-record.empty-field',
    ];
    expect(tally.missing(ids, 20)).toEqual([]);
  });

  it(`every finding fits the report schema and a grammatical record is always accepted (seed ${SEED + 1})`, () => {
    let accepted = 0;
    fc.assert(
      fc.property(grammatical, (text) => {
        const parsed = parseStsRecord(text);
        for (const f of parsed.findings) expect(FindingSchema.safeParse(f).success).toBe(true);
        expect(parsed.valid).toBe(true);
        accepted++;
      }),
      fcParams(SEED + 1, Math.round(RUNS / 4)),
    );
    expect(accepted).toBe(Math.round(RUNS / 4));
  });

  it('a record at the size limit and one past it are both handled without throwing', () => {
    const big = `v=STSv1; id=1; ${'x=y;'.repeat(5000)}`;
    expect(() => parseStsRecord(big)).not.toThrow();
    expect(parseStsRecord(big).findings.map((f) => f.id)).toContain('sts-record.too-long');
  });
});

// Inputs the fuzzer found, kept as fixed rows so they stay fixed.
describe('RFC 8461 §3.1: regressions found by fuzzing', () => {
  it.each([
    ['an ignored duplicate id holding "="', 'v=STSv1; id=abc; id=def=ghi'],
    ['an ignored duplicate extension with an empty value', 'v=STSv1; id=abc; x=1; x='],
    ['an ignored duplicate extension holding a space', 'v=STSv1; id=abc; x=1; x=a b'],
  ])('rejects %s: even an ignored field must match sts-field', (_name, text) => {
    const parsed = parseStsRecord(text);
    expect(parsed.valid).toBe(false);
    expect(parsed.findings.map((f) => f.id)).toContain('sts-record.bad-field-value');
  });
});
