import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { freshStsId, isStsCandidate, looksLikeSts, parseStsRecord, suggestStsId } from '../../../core/parse/sts-record.ts';
import { FindingSchema } from '../../../core/report/schema.ts';

const ids = (text: string) => parseStsRecord(text).findings.map((f) => f.id);

describe('isStsCandidate / looksLikeSts', () => {
  it.each([
    ['RFC 8461 §3.1: the literal prefix counts', 'v=STSv1; id=1', true, true],
    ['RFC 8461 §3.1: no space is needed after ";"', 'v=STSv1;id=1', true, true],
    ['CHECKLIST A2: a space before ";" fails the prefix test', 'v=STSv1 ; id=1', false, true],
    ['CHECKLIST A4: the prefix is case-sensitive', 'V=STSv1; id=1', false, true],
    ['CHECKLIST A9: no ";" at all', 'v=STSv1', false, true],
    ['RFC 8461 §3.1: leading whitespace', ' v=STSv1; id=1', false, true],
    ['RFC 8461 §3.1: other TXT records', 'v=spf1 -all', false, false],
    ['RFC 8461 §3.1: TLSRPT is not STS', 'v=TLSRPTv1; rua=mailto:a@b.c', false, false],
  ])('%s', (_name, text, candidate, looks) => {
    expect(isStsCandidate(text)).toBe(candidate);
    expect(looksLikeSts(text)).toBe(looks);
  });
});

describe('parseStsRecord: valid records', () => {
  it.each([
    ['RFC 8461 §3.1: the RFC example with a trailing ";"', 'v=STSv1; id=20160831085700Z;', '20160831085700Z', []],
    ['RFC 8461 §3.1: no trailing ";"', 'v=STSv1; id=abc', 'abc', []],
    ['RFC 8461 §3.1: no space after ";"', 'v=STSv1;id=abc', 'abc', []],
    ['CHECKLIST A3: a trailing ";" followed by spaces', 'v=STSv1; id=abc;  ', 'abc', []],
    ['RFC 8461 §3.1: tabs and spaces around later delimiters', 'v=STSv1;\tid=abc \t;  foo=bar', 'abc', ['sts-record.unknown-fields']],
    ['CHECKLIST A5: 32 characters is the maximum id', `v=STSv1; id=${'a1'.repeat(16)}`, 'a1'.repeat(16), []],
    ['CHECKLIST A5: one character is the minimum id', 'v=STSv1; id=Z', 'Z', []],
    ['RFC 8461 §3.1: the order of fields after the version is free', 'v=STSv1; ext=1; id=abc', 'abc', ['sts-record.unknown-fields']],
    ['CHECKLIST A12: a duplicate id warns and the first wins', 'v=STSv1; id=first; id=second', 'first', ['sts-record.duplicate-field']],
    ['CHECKLIST A3: trailing whitespace without ";" only warns', 'v=STSv1; id=abc ', 'abc', ['sts-record.trailing-whitespace']],
    ['RFC 8461 §3.1: extension names may hold "_", "-" and "."', 'v=STSv1; id=1; a_b-c.d=x!~', '1', ['sts-record.unknown-fields']],
  ])('%s', (_name, text, id, expected) => {
    const result = parseStsRecord(text);
    expect(result.valid).toBe(true);
    expect(result.record?.id).toBe(id);
    expect(result.findings.map((f) => f.id)).toEqual(expected);
  });

  it('RFC 8461 §3.2: unknown fields are listed and kept as extensions (STS-TXT-09)', () => {
    const result = parseStsRecord('v=STSv1; id=1; foo=bar; Foo=baz');
    expect(result.record?.extensions).toEqual([
      { name: 'foo', value: 'bar' },
      { name: 'Foo', value: 'baz' },
    ]);
    expect(result.findings[0]?.message).toContain('foo=bar, Foo=baz');
    expect(result.findings[0]?.severity).toBe('info');
  });

  it('CHECKLIST A12: the duplicate finding names the value that wins', () => {
    const f = parseStsRecord('v=STSv1; id=first; id=second').findings[0];
    expect(f?.severity).toBe('warn');
    expect(f?.message).toContain('id=first');
    expect(f?.message).toContain('id=second');
  });
});

describe('parseStsRecord: invalid records', () => {
  it.each([
    ['STS-TXT-03 RFC 8461 §3.1: non-ASCII is not allowed', 'v=STSv1; id=abc; x=é', 'sts-record.non-ascii'],
    ['STS-TXT-04 RFC 8461 §3.1: missing version', 'id=abc', 'sts-record.missing-version'],
    ['STS-TXT-04 CHECKLIST A4: wrong-case version', 'v=stsv1; id=abc', 'sts-record.bad-version'],
    ['STS-TXT-04 CHECKLIST A4: wrong-case key', 'V=STSv1; id=abc', 'sts-record.bad-version'],
    ['STS-TXT-04 RFC 8461 §3.1: spaces around "=" in the version', 'v = STSv1; id=abc', 'sts-record.bad-version'],
    ['STS-TXT-04 RFC 8461 §3.1: leading whitespace', ' v=STSv1; id=abc', 'sts-record.bad-version'],
    ['STS-TXT-04 RFC 8461 §3.1: literal quotes pasted into the record', '"v=STSv1; id=abc"', 'sts-record.bad-version'],
    ['CHECKLIST A2: whitespace before the first ";" (erratum 6285)', 'v=STSv1 ; id=abc', 'sts-record.space-before-semicolon'],
    ['STS-TXT-05 RFC 8461 §3.1: no ";" after the version', 'v=STSv1 id=abc', 'sts-record.missing-semicolon'],
    ['STS-TXT-05 RFC 8461 §3.1: a comma instead of ";"', 'v=STSv1, id=abc', 'sts-record.missing-semicolon'],
    ['STS-TXT-06 RFC 8461 §3.1: version alone', 'v=STSv1', 'sts-record.missing-id'],
    ['STS-TXT-06 RFC 8461 §3.1: version and ";" alone', 'v=STSv1;', 'sts-record.missing-id'],
    ['STS-TXT-06 RFC 8461 §3.1: no id field', 'v=STSv1; foo=bar', 'sts-record.missing-id'],
    ['STS-TXT-06 CHECKLIST A4: "ID=" is not "id="', 'v=STSv1; ID=abc', 'sts-record.missing-id'],
    ['STS-TXT-06 CHECKLIST A5: hyphens in the id', 'v=STSv1; id=2024-01-01', 'sts-record.bad-id'],
    ['STS-TXT-06 CHECKLIST A5: an ISO-8601 id with punctuation', 'v=STSv1; id=2024-01-01T00:00:00Z', 'sts-record.bad-id'],
    ['STS-TXT-06 CHECKLIST A5: a SHA-256 in hex is 64 characters', `v=STSv1; id=${'ab'.repeat(32)}`, 'sts-record.bad-id'],
    ['STS-TXT-06 CHECKLIST A5: base64 with "+" and "/"', 'v=STSv1; id=ab+cd/ef', 'sts-record.bad-id'],
    ['STS-TXT-06 CHECKLIST A5: base64 padding "="', 'v=STSv1; id=abcd==', 'sts-record.bad-id'],
    ['STS-TXT-06 RFC 8461 §3.1: an empty id', 'v=STSv1; id=', 'sts-record.bad-id'],
    ['STS-TXT-11 RFC 8461 §3.1: an empty field ";;"', 'v=STSv1; id=abc;; foo=bar', 'sts-record.empty-field'],
    ['STS-TXT-11 RFC 8461 §3.1: two trailing delimiters', 'v=STSv1; id=abc; ;', 'sts-record.empty-field'],
    ['STS-TXT-11 RFC 8461 §3.1: empty field right after the version', 'v=STSv1;; id=abc', 'sts-record.empty-field'],
    ['STS-TXT-05 RFC 8461 §3.1: whitespace around "="', 'v=STSv1; id = abc', 'sts-record.space-around-equals'],
    ['STS-TXT-05 RFC 8461 §3.1: a field without "="', 'v=STSv1; id=abc; garbage', 'sts-record.bad-field'],
    ['STS-TXT-05 RFC 8461 §3.1: a space inside a value', 'v=STSv1; id=abc; foo=a b', 'sts-record.bad-field-value'],
    ['STS-TXT-05 RFC 8461 §3.1: "=" inside an extension value', 'v=STSv1; id=abc; foo=a=b', 'sts-record.bad-field-value'],
    ['STS-TXT-05 RFC 8461 §3.1: an empty extension value', 'v=STSv1; id=abc; foo=', 'sts-record.bad-field-value'],
    ['STS-TXT-05 RFC 8461 §3.1: extension name starting with "_"', 'v=STSv1; id=abc; _x=1', 'sts-record.bad-field-name'],
    ['STS-TXT-05 RFC 8461 §3.1: extension name over 32 characters', `v=STSv1; id=abc; ${'x'.repeat(33)}=1`, 'sts-record.bad-field-name'],
    ['STS-TXT-05 RFC 8461 §3.1: a control character', 'v=STSv1; id=abc;\nfoo=1', 'sts-record.control-character'],
    ['STS-TXT-05 RFC 8461 §3.1: refuses absurdly long input', `v=STSv1; id=abc; x=${'y'.repeat(9000)}`, 'sts-record.too-long'],
  ])('%s', (_name, text, expected) => {
    const result = parseStsRecord(text);
    expect(result.valid).toBe(false);
    expect(result.record).toBeUndefined();
    expect(ids(text)).toContain(expected);
    const f = result.findings.find((x) => x.id === expected);
    expect(f?.severity).toBe('fail');
  });

  it.each([
    ['CHECKLIST A5: hyphens are dropped from the suggested id', 'v=STSv1; id=2024-01-01', 'v=STSv1; id=20240101'],
    ['CHECKLIST A5: a long id is cut to 32 characters', `v=STSv1; id=${'ab'.repeat(32)}`, `v=STSv1; id=${'ab'.repeat(16)}`],
    ['CHECKLIST A4: the wrong-case id key keeps its value', 'v=STSv1; ID=abc', 'v=STSv1; id=abc'],
    ['CHECKLIST A4: the version is rewritten in the right case', 'V=STSv1; id=abc', 'v=STSv1; id=abc'],
  ])('%s', (_name, text, fix) => {
    expect(parseStsRecord(text).findings.map((f) => f.fix)).toContain(fix);
  });

  const NOW = new Date('2026-11-28T23:59:00Z');
  const fixOf = (text: string, id: string) => parseStsRecord(text, { now: NOW }).findings.find((f) => f.id === id)?.fix;

  it.each([
    ['CHECKLIST A2: one space before ";"', 'v=STSv1 ; id=20250101000000', 'v=STSv1; id=20250101000000'],
    ['CHECKLIST A2: a tab and spaces before ";", none after', 'v=STSv1\t ;id=abc', 'v=STSv1;id=abc'],
    ['CHECKLIST A2: the rest of the record is kept as published', 'v=STSv1 ; id=abc; foo=bar;', 'v=STSv1; id=abc; foo=bar;'],
    ['CHECKLIST A2: other problems are left for their own findings', 'v=STSv1 ; id=a-b', 'v=STSv1; id=a-b'],
  ])('RFC 8461 §3.1 %s: the space-before-semicolon fix is the corrected record', (_name, text, fix) => {
    expect(fixOf(text, 'sts-record.space-before-semicolon')).toBe(fix);
    expect(isStsCandidate(fix)).toBe(true);
  });

  it.each([
    ['CHECKLIST A2/A4: wrong case and a space before ";"', 'V=STSv1 ; id=abc', 'v=STSv1; id=abc'],
    ['CHECKLIST A4: whitespace inside the tag', 'v = STSv1; id=abc', 'v=STSv1; id=abc'],
    ['CHECKLIST A4: a bare wrong-case tag becomes a whole record', 'V=STSv1', 'v=STSv1; id=20261128235900'],
  ])('RFC 8461 §3.1 %s: the bad-version fix is a record that passes the prefix test', (_name, text, fix) => {
    expect(fixOf(text, 'sts-record.bad-version')).toBe(fix);
    expect(parseStsRecord(fix).valid).toBe(true);
  });

  it.each([
    ['version alone', 'v=STSv1', 'sts-record.missing-id'],
    ['no id field', 'v=STSv1; foo=bar', 'sts-record.missing-id'],
    ['not an MTA-STS record at all', 'hello', 'sts-record.missing-version'],
  ])('RFC 8461 §3.1 %s: the suggested id comes from the current UTC time', (_name, text, id) => {
    expect(fixOf(text, id)).toBe('v=STSv1; id=20261128235900');
  });

  it.each([
    ['RFC 8461 §3.1: midnight UTC', new Date('2030-01-02T00:00:00Z'), '20300102000000'],
    ['RFC 8461 §3.1: a local-time offset does not change the UTC id', new Date('2026-11-29T01:59:00+02:00'), '20261128235900'],
    ['RFC 8461 §3.1: an invalid date falls back to the clock, never throws', new Date(Number.NaN), /^\d{14}$/],
    ['RFC 8461 §3.1: a year past 9999 still gives letters and digits only', new Date('+010000-01-01T00:00:00Z'), /^[0-9]{14}$/],
  ])('%s', (_name, now, expected) => {
    const id = freshStsId(now);
    if (typeof expected === 'string') expect(id).toBe(expected);
    else expect(id).toMatch(expected);
    expect(id).toMatch(/^[A-Za-z0-9]{1,32}$/);
  });

  it('CHECKLIST A5: an id with no letters or digits left is replaced by a time-based one', () => {
    expect(suggestStsId('---', NOW)).toBe('20261128235900');
    expect(fixOf('v=STSv1; id=---', 'sts-record.bad-id')).toBe('v=STSv1; id=20261128235900');
  });

  it('RFC 8461 §3.1: without the option, the suggested id is from the clock', () => {
    const before = freshStsId(new Date());
    const fix = parseStsRecord('v=STSv1').findings.find((f) => f.id === 'sts-record.missing-id')?.fix ?? '';
    const after = freshStsId(new Date());
    const id = fix.replace('v=STSv1; id=', '');
    expect(id >= before && id <= after).toBe(true);
  });

  it('CHECKLIST A2: the space-before-semicolon finding explains the prefix test and erratum 6285', () => {
    const f = parseStsRecord('v=STSv1 ; id=abc').findings.find((x) => x.id === 'sts-record.space-before-semicolon');
    expect(f?.message).toContain('"v=STSv1;"');
    expect(f?.message).toContain('6285');
  });

  it('RFC 8461 §3.1: every finding matches the report schema and cites RFC 8461', () => {
    for (const text of ['v=STSv1 ; ID=a-b;; x', 'v=STSv1; id=abc; id=d; foo=bar ', 'V=STSv1', 'nothing']) {
      for (const f of parseStsRecord(text).findings) {
        expect(FindingSchema.safeParse(f).success).toBe(true);
        expect(f.refs.some((r) => r.rfc === 'RFC8461')).toBe(true);
      }
    }
  });
});

describe('parseStsRecord: properties', () => {
  // Mostly grammatical pieces with a few broken ones, so both outcomes are common.
  const idValue = fc.oneof(
    { weight: 4, arbitrary: fc.stringMatching(/^[A-Za-z0-9]{1,32}$/) },
    { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...'abcXYZ019-_.:+='.split('')), maxLength: 34 }) },
  );
  const extName = fc.oneof({ weight: 4, arbitrary: fc.constantFrom('foo', 'x_y', 'A.b-c') }, { weight: 1, arbitrary: fc.constantFrom('_bad', 'id', 'ID', '') });
  const extValue = fc.oneof(
    { weight: 4, arbitrary: fc.stringMatching(/^[a-z0-9!~]{1,4}$/) },
    { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom('a', ' ', '=', '\n', 'é'), maxLength: 3 }) },
  );
  const delim = fc.oneof({ weight: 4, arbitrary: fc.constantFrom('; ', ';', ' ;\t') }, { weight: 1, arbitrary: fc.constantFrom(';;', ',', ' ') });
  const recordish = fc
    .tuple(
      fc.oneof({ weight: 5, arbitrary: fc.constant('v=STSv1') }, { weight: 1, arbitrary: fc.constantFrom('V=STSv1', 'v=STSv1 ', '', 'v=STSv2') }),
      fc.array(fc.tuple(delim, fc.oneof({ weight: 2, arbitrary: idValue.map((v) => `id=${v}`) }, { weight: 1, arbitrary: fc.tuple(extName, extValue).map(([n, v]) => `${n}=${v}`) })), {
        maxLength: 4,
      }),
      fc.constantFrom('', ';', ' ', '; '),
    )
    .map(([v, fields, tail]) => v + fields.map(([d, f], i) => (i === 0 ? d.trimStart() : d) + f).join('') + tail);

  it('RFC 8461 §3.1: never throws; every accepted record is a candidate with a grammatical id', () => {
    let accepted = 0;
    let rejected = 0;
    fc.assert(
      fc.property(fc.oneof(recordish, fc.string({ maxLength: 80 })), (text) => {
        const result = parseStsRecord(text);
        if (result.valid) {
          accepted++;
          expect(result.record?.id).toMatch(/^[A-Za-z0-9]{1,32}$/);
          expect(isStsCandidate(text)).toBe(true);
          expect(result.findings.every((f) => f.severity !== 'fail')).toBe(true);
        } else {
          rejected++;
          expect(result.findings.some((f) => f.severity === 'fail')).toBe(true);
        }
      }),
      { seed: 83101, numRuns: 4000 },
    );
    expect(accepted).toBeGreaterThan(100);
    expect(rejected).toBeGreaterThan(100);
  });

  it('RFC 8461 §3.1: fixes that are records are records: repaired prefixes pass the literal test, suggested ids are grammatical', () => {
    const now = new Date('2026-11-28T23:59:00Z');
    let prefixFixes = 0;
    let idFixes = 0;
    fc.assert(
      fc.property(fc.oneof(recordish, fc.string({ maxLength: 80 })), (text) => {
        for (const f of parseStsRecord(text, { now }).findings) {
          if (f.id === 'sts-record.space-before-semicolon' || f.id === 'sts-record.bad-version') {
            prefixFixes++;
            // A bad version tag is fixed on its own; a missing ";" after it has its own finding.
            if (f.id === 'sts-record.space-before-semicolon') expect(isStsCandidate(f.fix ?? '')).toBe(true);
            else expect(f.fix?.startsWith('v=STSv1')).toBe(true);
            const again = parseStsRecord(f.fix ?? '', { now }).findings.map((x) => x.id);
            expect(again).not.toContain('sts-record.space-before-semicolon');
            expect(again).not.toContain('sts-record.bad-version');
          }
          if (f.id === 'sts-record.missing-id' || f.id === 'sts-record.bad-id' || f.id === 'sts-record.missing-version') {
            idFixes++;
            expect(f.fix).toMatch(/^v=STSv1; id=[A-Za-z0-9]{1,32}$/);
            expect(parseStsRecord(f.fix ?? '', { now }).valid).toBe(true);
          }
        }
      }),
      { seed: 83102, numRuns: 3000 },
    );
    expect(prefixFixes).toBeGreaterThan(50);
    expect(idFixes).toBeGreaterThan(50);
  });

  it('RFC 8461 §3.1: every record built from the ABNF is accepted with its id', () => {
    const id = fc.string({ unit: fc.constantFrom(...'aZ09xQ'.split('')), minLength: 1, maxLength: 32 });
    const extName = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/).filter((n) => n !== 'id');
    const extValue = fc.stringMatching(/^[\x21-\x3a\x3c\x3e-\x7e]{1,10}$/);
    const laterDelim = fc.tuple(fc.constantFrom('', ' ', '\t '), fc.constantFrom('', ' ', '\t')).map(([a, b]) => `${a};${b}`);
    let withExtensions = 0;
    fc.assert(
      fc.property(id, fc.uniqueArray(fc.tuple(extName, extValue), { maxLength: 3, selector: ([n]) => n }), fc.nat(3), fc.constantFrom('', ';', '; '), laterDelim, fc.constantFrom('', ' '), (theId, exts, at, tail, d, firstWs) => {
        const fields = exts.map(([n, v]) => `${n}=${v}`);
        fields.splice(Math.min(at, fields.length), 0, `id=${theId}`);
        const text = `v=STSv1;${firstWs}${fields.join(d)}${tail}`;
        const result = parseStsRecord(text);
        expect(result.valid).toBe(true);
        expect(result.record?.id).toBe(theId);
        expect(result.record?.extensions.map((e) => e.name)).toEqual(exts.map(([n]) => n));
        if (exts.length > 0) withExtensions++;
      }),
      { seed: 31, numRuns: 1500 },
    );
    expect(withExtensions).toBeGreaterThan(100);
  });
});
