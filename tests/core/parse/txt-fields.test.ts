import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ref } from '../../../core/report/refs.ts';
import { checkVersion, splitFields, txtRecordKind, type ShapeIssue } from '../../../core/parse/txt-fields.ts';

describe('splitFields', () => {
  it.each([
    ['RFC 8461 §3.1: one field after ";"', '; id=1', [['id', '1', 10]], []],
    ['RFC 8461 §3.1: *WSP ";" *WSP between later fields', ';id=1 \t; x=y', [['id', '1', 9], ['x', 'y', 17]], []],
    ['CHECKLIST A3: one trailing ";" with spaces', '; id=1;  ', [['id', '1', 10]], []],
    ['CHECKLIST A3: trailing whitespace without ";"', '; id=1  ', [['id', '1', 10]], [{ kind: 'trailing-whitespace', column: 14 }]],
    ['CHECKLIST A2: whitespace before the first ";"', ' ; id=1', [['id', '1', 11]], [{ kind: 'space-before-first-delimiter', column: 8 }]],
    ['RFC 8461 §3.1: an empty field', '; id=1;; x=y', [['id', '1', 10], ['x', 'y', 17]], [{ kind: 'empty-field', column: 15 }]],
    ['RFC 8461 §3.1: nothing after the version', '', [], [{ kind: 'no-fields' }]],
    ['RFC 8461 §3.1: only a ";" after the version', ';', [], [{ kind: 'no-fields' }]],
    ['RFC 8461 §3.1: no ";" after the version', ' id=1', [], [{ kind: 'missing-delimiter-after-version', column: 9, found: 'i' }]],
    ['RFC 8461 §3.1: a field without "="', '; junk', [], [{ kind: 'missing-equals', column: 10, text: 'junk' }]],
    ['RFC 8461 §3.1: whitespace around "="', '; id = 1', [['id', '1', 10]], [{ kind: 'space-around-equals', column: 12, name: 'id' }]],
  ])('%s', (_name, rest, fields, issues) => {
    const split = splitFields(rest, 8);
    expect(split.fields.map((f) => [f.name, f.value, f.column])).toEqual(fields);
    expect(split.issues).toEqual(issues as ShapeIssue[]);
  });

  it('RFC 8461 §3.1: field columns point at the field names in the record', () => {
    let fieldsSeen = 0;
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '=', ';', ' ', '\t', 'b'), maxLength: 30 }), (rest) => {
        const record = `v=STSv1${rest}`;
        for (const f of splitFields(rest, 8).fields) {
          fieldsSeen++;
          expect(record.slice(f.column - 1, f.column - 1 + f.name.length)).toBe(f.name);
          expect(record.slice(f.valueColumn - 1, f.valueColumn - 1 + f.value.length)).toBe(f.value);
          expect(f.value).not.toContain(';');
        }
      }),
      { seed: 1, numRuns: 2000 },
    );
    expect(fieldsSeen).toBeGreaterThan(100);
  });
});

describe('checkVersion: the version-tag diagnosis both records share', () => {
  const STS = txtRecordKind('v=STSv1', 'an MTA-STS record', 'sts-record', ref('RFC8461', '3.1'));
  const TLSRPT = txtRecordKind('v=TLSRPTv1', 'a TLSRPT record', 'tlsrpt-record', ref('RFC8460', '3'));
  it.each([
    ['RFC 8461 §3.1: the exact tag', STS, 'v=STSv1; id=1', 7, undefined, undefined],
    ['RFC 8460 §3: the exact tag', TLSRPT, 'v=TLSRPTv1; rua=x', 10, undefined, undefined],
    ['CHECKLIST A4: the wrong case', STS, 'V=STSv1; id=1', 7, 'sts-record.bad-version', 'v=STSv1; id=1'],
    ['CHECKLIST A4: a bare variant tag gets the whole-record fix', STS, 'V=stsv1;', 7, 'sts-record.bad-version', 'WHOLE'],
    ['CHECKLIST A4: whitespace around "="', TLSRPT, 'v = TLSRPTv1 ; rua=x', 12, 'tlsrpt-record.bad-version', 'v=TLSRPTv1; rua=x'],
    ['CHECKLIST A4: a leading quote', TLSRPT, '"v=TLSRPTv1; rua=x', 11, 'tlsrpt-record.bad-version', 'v=TLSRPTv1; rua=x'],
    ['RFC 8460 §3: no tag at all', TLSRPT, 'rua=x', undefined, 'tlsrpt-record.missing-version', 'WHOLE'],
  ])('%s', (_name, kind, text, restStart, id, fix) => {
    const checked = checkVersion(text, kind, { missing: 'WHOLE', ...(kind === STS ? { bare: 'WHOLE' } : {}) });
    expect(checked.restStart).toBe(restStart);
    expect(checked.finding?.id).toBe(id);
    expect(checked.finding?.fix).toBe(fix);
  });
});
