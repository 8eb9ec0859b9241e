import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_AGE_LIMIT, parsePolicy, serializePolicy, type Policy } from '../../../core/parse/sts-policy.ts';
import { checkMxPatternSyntax } from '../../../core/parse/mx-pattern.ts';
import { FindingSchema } from '../../../core/report/schema.ts';

const CRLF = (...lines: string[]) => lines.map((l) => `${l}\r\n`).join('');
const BASE = ['version: STSv1', 'mode: enforce', 'mx: mail.example.com', 'max_age: 604800'];
const body = (...extra: string[]) => CRLF(...BASE, ...extra);
const ids = (b: string | Uint8Array, lenient = false) => parsePolicy(b, { lenient }).findings.map((f) => f.id);
const meaning = (p: Policy) => ({
  version: p.version,
  mode: p.mode,
  maxAge: p.maxAge,
  mx: p.mx.map((m) => m.pattern),
  extensions: p.extensions.map((e) => [e.name, e.value]),
});

describe('parsePolicy: valid policies', () => {
  it('STS-POL-01 RFC 8461 §3.2: the RFC example parses, with every line and its byte offset', () => {
    const text = CRLF('version: STSv1', 'mode: enforce', 'mx: mail.example.com', 'mx: *.example.net', 'mx: backupmx.example.com', 'max_age: 604800');
    const result = parsePolicy(new TextEncoder().encode(text));
    expect(result.valid).toBe(true);
    expect(result.findings).toEqual([]);
    expect(result.terminators).toBe('CRLF');
    expect(meaning(result.policy)).toEqual({
      version: 'STSv1',
      mode: 'enforce',
      maxAge: 604800,
      mx: ['mail.example.com', '*.example.net', 'backupmx.example.com'],
      extensions: [],
    });
    expect(result.policy.mx.map((m) => m.line)).toEqual([3, 4, 5]);
    expect(result.lines[1]).toEqual({ number: 2, text: 'mode: enforce', terminator: 'CRLF', startByte: 16 });
    expect(result.lines).toHaveLength(6);
  });

  it.each([
    ['STS-POL-12 CHECKLIST A1: LF-only lines are accepted with an info (erratum 6253)', BASE.join('\n'), ['policy-syntax.lf-line-endings'], 'LF'],
    ['STS-POL-12 RFC 8461 §3.2: no terminator after the last line', BASE.join('\r\n'), [], 'CRLF'],
    ['STS-POL-12 RFC 8461 §3.2: a single line has no terminator at all', 'mode: none', ['policy-syntax.missing-version', 'policy-syntax.missing-max-age'], 'none'],
    ['STS-POL-12 CHECKLIST A1: mixed CRLF and LF warns', 'version: STSv1\r\nmode: enforce\nmx: a.example.com\r\nmax_age: 604800\r\n', ['policy-syntax.mixed-line-endings'], 'mixed'],
  ])('%s', (_name, text, expected, terminators) => {
    const result = parsePolicy(text);
    expect(result.findings.map((f) => f.id)).toEqual(expected);
    expect(result.terminators).toBe(terminators);
  });

  it.each([
    ['CHECKLIST A11: fields in any order', CRLF('max_age: 86400', 'mx: a.example.com', 'mode: testing', 'version: STSv1'), ['policy-syntax.max-age-below-week']],
    ['STS-POL-13 RFC 8461 §3.2: whitespace after ":" and at the end of a line', CRLF('version:STSv1', 'mode:\t enforce \t', 'mx:   a.example.com ', 'max_age: 604800'), []],
    ['STS-POL-06 RFC 8461 §3.2: mode none needs no mx', CRLF('version: STSv1', 'mode: none', 'max_age: 86400'), []],
    ['STS-POL-10 RFC 8461 §3.2: unknown fields are noted', body('comment: hello'), ['policy-syntax.unknown-field']],
    ['STS-POL-14 CHECKLIST A21: UTF-8 is allowed in extension values', body('note: Grüße, ☃ 𝄞'), ['policy-syntax.unknown-field']],
    ['STS-POL-11 CHECKLIST A12: a duplicated field warns', body('mode: testing'), ['policy-syntax.duplicate-field']],
    ['STS-POL-11 CHECKLIST A12: a duplicated extension warns too', body('x: 1', 'x: 2'), ['policy-syntax.unknown-field', 'policy-syntax.duplicate-field']],
    ['CHECKLIST A6: a trailing dot in mx warns', body('mx: backup.example.com.'), ['policy-syntax.mx-trailing-dot']],
    ['CHECKLIST A22: an IPv4 address in mx warns', body('mx: 192.0.2.25'), ['policy-syntax.mx-ipv4']],
    ['RFC 8461 §3.2: the same mx twice is noted', body('mx: MAIL.example.com'), ['policy-syntax.mx-duplicate']],
    ['STS-POL-05 CHECKLIST A8: max_age 0 warns', CRLF('version: STSv1', 'mode: testing', 'mx: a.example.com', 'max_age: 0'), ['policy-syntax.max-age-zero']],
    ['STS-POL-05 RFC 8461 §3.2: max_age under a day warns', CRLF('version: STSv1', 'mode: testing', 'mx: a.example.com', 'max_age: 3600'), ['policy-syntax.max-age-short']],
    ['STS-POL-05 RFC 8461 §10.2: max_age under a week is noted', CRLF('version: STSv1', 'mode: testing', 'mx: a.example.com', 'max_age: 86400'), ['policy-syntax.max-age-below-week']],
    ['STS-POL-05 RFC 8461 §8.3: a short max_age with mode none is the removal procedure', CRLF('version: STSv1', 'mode: none', 'max_age: 86400'), []],
    ['STS-POL-04 RFC 8461 §3.2: exactly 31557600 is allowed', CRLF('version: STSv1', 'mode: enforce', 'mx: a.example.com', 'max_age: 31557600'), []],
    ['STS-POL-04 CHECKLIST A8: leading zeros are noted', CRLF('version: STSv1', 'mode: enforce', 'mx: a.example.com', 'max_age: 0000604800'), ['policy-syntax.max-age-leading-zeros']],
    ['STS-POL-10 CHECKLIST A4: a case variant next to the real field is only unknown', body('MODE: testing'), ['policy-syntax.unknown-field']],
  ])('%s', (_name, text, expected) => {
    const result = parsePolicy(text);
    expect(result.valid).toBe(true);
    expect(result.findings.map((f) => f.id)).toEqual(expected);
  });

  it('STS-POL-14 RFC 8461 §3.2: a BOM warns and the first key is still read', () => {
    const bytes = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(body())]);
    const result = parsePolicy(bytes);
    expect(result.valid).toBe(true);
    expect(result.findings.map((f) => [f.id, f.severity])).toEqual([['policy-syntax.bom', 'warn']]);
    expect(result.policy.version).toBe('STSv1');
    expect(result.lines[0]?.startByte).toBe(3);
  });

  it('STS-POL-11 CHECKLIST A12: the first value wins and the finding says which', () => {
    const result = parsePolicy(body('mode: testing'));
    expect(result.policy.mode).toBe('enforce');
    const f = result.findings[0];
    expect(f?.message).toContain('"enforce"');
    expect(f?.message).toContain('"testing" is ignored');
    expect(f?.location).toEqual({ line: 5, column: 1 });
  });

  it('STS-POL-13 CHECKLIST A2: lenient mode turns whitespace problems into warnings', () => {
    const text = CRLF(' version: STSv1', '', 'mode : enforce', 'mx: a.example.com', 'max_age: 604800', '');
    const strict = parsePolicy(text);
    const lenient = parsePolicy(text, { lenient: true });
    expect(strict.valid).toBe(false);
    expect(lenient.valid).toBe(true);
    const expected = ['policy-syntax.blank-line', 'policy-syntax.leading-whitespace', 'policy-syntax.space-before-colon', 'policy-syntax.blank-line'];
    expect(lenient.findings.map((f) => f.id).sort()).toEqual([...expected].sort());
    expect(lenient.findings.every((f) => f.severity === 'warn')).toBe(true);
    expect(meaning(lenient.policy)).toEqual({ version: 'STSv1', mode: 'enforce', maxAge: 604800, mx: ['a.example.com'], extensions: [] });
  });
});

describe('parsePolicy: invalid policies', () => {
  it.each([
    ['STS-POL-12 RFC 8461 §3.2: a bare CR is not a terminator', 'version: STSv1\rmode: enforce\r\nmx: a.example.com\r\nmax_age: 604800\r\n', 'policy-syntax.bare-cr', { line: 1, column: 15 }],
    ['STS-POL-13 CHECKLIST A2: a blank line between fields', CRLF('version: STSv1', '', 'mode: enforce', 'mx: a.example.com', 'max_age: 604800'), 'policy-syntax.blank-line', { line: 2, column: 1 }],
    ['STS-POL-13 CHECKLIST A2: two terminators after the last field', `${body()}\r\n`, 'policy-syntax.blank-line', { line: 5, column: 1 }],
    ['STS-POL-13 CHECKLIST A2: a whitespace-only line', CRLF(...BASE.slice(0, 2), ' \t', ...BASE.slice(2)), 'policy-syntax.blank-line', { line: 3, column: 1 }],
    ['STS-POL-13 CHECKLIST A2: leading whitespace', CRLF(...BASE.slice(0, 3), '  max_age: 604800'), 'policy-syntax.leading-whitespace', { line: 4, column: 1 }],
    ['STS-POL-13 CHECKLIST A2: whitespace before ":"', CRLF('version : STSv1', ...BASE.slice(1)), 'policy-syntax.space-before-colon', { line: 1, column: 8 }],
    ['STS-POL-01 RFC 8461 §3.2: a line without ":"', body('mx mail.example.com'), 'policy-syntax.missing-colon', { line: 5, column: 1 }],
    ['STS-POL-01 RFC 8461 §3.2: a line with no key', body(': value'), 'policy-syntax.missing-key', { line: 5, column: 1 }],
    ['STS-POL-02 CHECKLIST A4: "Version" is an unknown field and version is missing', CRLF('Version: STSv1', ...BASE.slice(1)), 'policy-syntax.field-case', { line: 1, column: 1 }],
    ['STS-POL-03 CHECKLIST A4: "Mode" is an unknown field and mode is missing', CRLF('version: STSv1', 'Mode: enforce', ...BASE.slice(2)), 'policy-syntax.field-case', { line: 2, column: 1 }],
    ['STS-POL-02 RFC 8461 §3.2: a wrong version value', CRLF('version: STSv2', ...BASE.slice(1)), 'policy-syntax.bad-version', { line: 1, column: 10 }],
    ['STS-POL-02 CHECKLIST A4: a wrong-case version value', CRLF('version: stsv1', ...BASE.slice(1)), 'policy-syntax.bad-version', { line: 1, column: 10 }],
    ['STS-POL-03 CHECKLIST A4: a wrong-case mode value', CRLF('version: STSv1', 'mode: Enforce', ...BASE.slice(2)), 'policy-syntax.bad-mode', { line: 2, column: 7 }],
    ['STS-POL-03 RFC 8461 §3.2: an unknown mode', CRLF('version: STSv1', 'mode: enforcing', ...BASE.slice(2)), 'policy-syntax.bad-mode', { line: 2, column: 7 }],
    ['STS-POL-04 RFC 8461 §3.2: a non-numeric max_age', CRLF(...BASE.slice(0, 3), 'max_age: one week'), 'policy-syntax.bad-max-age', { line: 4, column: 10 }],
    ['STS-POL-04 RFC 8461 §3.2: a negative max_age', CRLF(...BASE.slice(0, 3), 'max_age: -1'), 'policy-syntax.bad-max-age', { line: 4, column: 10 }],
    ['STS-POL-04 RFC 8461 §3.2: a max_age with a unit', CRLF(...BASE.slice(0, 3), 'max_age: 604800s'), 'policy-syntax.bad-max-age', { line: 4, column: 10 }],
    ['STS-POL-04 RFC 8461 §3.2: a max_age of 11 digits', CRLF(...BASE.slice(0, 3), 'max_age: 10000000000'), 'policy-syntax.bad-max-age', { line: 4, column: 10 }],
    ['STS-POL-04 CHECKLIST A8: a max_age above 31557600', CRLF(...BASE.slice(0, 3), 'max_age: 31557601'), 'policy-syntax.max-age-too-large', { line: 4, column: 10 }],
    ['STS-POL-04 CHECKLIST A8: a 10-digit max_age is grammatical but too large', CRLF(...BASE.slice(0, 3), 'max_age: 9999999999'), 'policy-syntax.max-age-too-large', { line: 4, column: 10 }],
    ['STS-POL-07 RFC 8461 §3.2: two patterns on one mx line', body('mx: a.example.com, b.example.com'), 'policy-syntax.mx-list', { line: 5, column: 5 }],
    ['STS-POL-07 RFC 8461 §3.2: two patterns separated by a space', body('mx: a.example.com b.example.com'), 'policy-syntax.mx-list', { line: 5, column: 5 }],
    ['STS-POL-08 RFC 8461 §3.2: a U-label in mx', body('mx: mail.bücher.de'), 'policy-syntax.mx-u-label', { line: 5, column: 5 }],
    ['STS-POL-09 RFC 8461 §3.2: a partial-label wildcard', body('mx: mx*.example.com'), 'policy-syntax.mx-invalid', { line: 5, column: 5 }],
    ['STS-POL-09 RFC 8461 §3.2: a wildcard in the middle', body('mx: mail.*.example.com'), 'policy-syntax.mx-invalid', { line: 5, column: 5 }],
    ['STS-POL-09 RFC 5321 §4.1.2: an underscore in mx', body('mx: mail_1.example.com'), 'policy-syntax.mx-invalid', { line: 5, column: 5 }],
    ['STS-POL-09 RFC 5321 §4.1.2: an empty mx value', body('mx:'), 'policy-syntax.empty-value', { line: 5, column: 4 }],
    ['CHECKLIST A22: an IPv6 address in mx', body('mx: 2001:db8::25'), 'policy-syntax.mx-ip-literal', { line: 5, column: 5 }],
    ['CHECKLIST A22: a bracketed address in mx', body('mx: [192.0.2.25]'), 'policy-syntax.mx-ip-literal', { line: 5, column: 5 }],
    ['STS-POL-01 CHECKLIST A13: an extension name starting with "_"', body('_x: 1'), 'policy-syntax.bad-field-name', { line: 5, column: 1 }],
    ['STS-POL-01 CHECKLIST A13: an extension name over 32 characters', body(`${'a'.repeat(33)}: 1`), 'policy-syntax.bad-field-name', { line: 5, column: 1 }],
    ['STS-POL-01 CHECKLIST A21: a non-ASCII extension name', body('größe: 1'), 'policy-syntax.bad-field-name', { line: 5, column: 1 }],
    ['STS-POL-01 RFC 8461 §3.2: a control character in a value, column in characters', body('note: ééé\u0001x'), 'policy-syntax.control-character', { line: 5, column: 10 }],
    ['STS-POL-01 RFC 8461 §3.2: a tab inside an extension value', body('note: a\tb'), 'policy-syntax.control-character', { line: 5, column: 8 }],
    ['STS-POL-01 RFC 8461 §3.2: an empty extension value', body('note:'), 'policy-syntax.empty-value', { line: 5, column: 6 }],
  ])('%s', (_name, text, expected, location) => {
    const result = parsePolicy(text);
    expect(result.valid).toBe(false);
    const f = result.findings.find((x) => x.id === expected);
    expect(f?.severity).toBe('fail');
    expect(f?.location).toEqual(location);
  });

  it.each([
    ['STS-POL-02 RFC 8461 §3.2: no version', CRLF(...BASE.slice(1)), 'policy-syntax.missing-version', 'version: STSv1'],
    ['STS-POL-03 RFC 8461 §3.2: no mode', CRLF(BASE[0] ?? '', ...BASE.slice(2)), 'policy-syntax.missing-mode', 'mode: testing'],
    ['STS-POL-04 RFC 8461 §3.2: no max_age', CRLF(...BASE.slice(0, 3)), 'policy-syntax.missing-max-age', 'max_age: 604800'],
    ['STS-POL-06 RFC 8461 §3.2: no mx with mode enforce', CRLF('version: STSv1', 'mode: enforce', 'max_age: 604800'), 'policy-syntax.missing-mx', 'mx: mail.example.com'],
    ['STS-POL-06 RFC 8461 §3.2: no mx with mode testing', CRLF('version: STSv1', 'mode: testing', 'max_age: 604800'), 'policy-syntax.missing-mx', 'mx: mail.example.com'],
    ['STS-POL-04 CHECKLIST A8: the fix caps max_age', CRLF(...BASE.slice(0, 3), 'max_age: 31557601'), 'policy-syntax.max-age-too-large', `max_age: ${MAX_AGE_LIMIT}`],
    ['STS-POL-08 RFC 8461 §3.2: the fix is the A-label', body('mx: *.bücher.de'), 'policy-syntax.mx-u-label', 'mx: *.xn--bcher-kva.de'],
    ['STS-POL-07 RFC 8461 §3.2: the fix puts one pattern per line', body('mx: a.example.com,b.example.com'), 'policy-syntax.mx-list', 'mx: a.example.com\r\nmx: b.example.com'],
    ['STS-POL-03 CHECKLIST A4: the fix for "Mode" keeps its value', CRLF('version: STSv1', 'Mode: enforce', ...BASE.slice(2)), 'policy-syntax.field-case', 'mode: enforce'],
    ['STS-POL-03 CHECKLIST A4: the fix for "Enforce" lower-cases it', CRLF('version: STSv1', 'mode: Enforce', ...BASE.slice(2)), 'policy-syntax.bad-mode', 'mode: enforce'],
  ])('%s', (_name, text, id, fix) => {
    const result = parsePolicy(text);
    expect(result.valid).toBe(false);
    const f = result.findings.find((x) => x.id === id);
    expect(f?.severity).toBe('fail');
    expect(f?.fix).toBe(fix);
  });

  const modeBody = (mode: string) => CRLF('version: STSv1', `mode: ${mode}`, ...BASE.slice(2));
  it.each([
    ['STS-POL-03 RFC 8461 §3.2: "enforcing" is fixed to the closest value, enforce', 'enforcing', 'mode: enforce', /closest registered value is "enforce"/],
    ['STS-POL-03 CHECKLIST A4: "Enforce" is fixed to enforce, naming case sensitivity', 'Enforce', 'mode: enforce', /case-sensitive/],
    ['STS-POL-03 RFC 8461 §3.2: "test" is fixed to testing', 'test', 'mode: testing', /closest registered value is "testing"/],
    ['STS-POL-03 CHECKLIST A4: "Testing" is fixed to testing', 'Testing', 'mode: testing', /case-sensitive/],
    ['STS-POL-03 RFC 8461 §8.3: "off" is fixed to none', 'off', 'mode: none', /turns MTA-STS off/],
    ['STS-POL-03 CHECKLIST A4: "None" is fixed to none', 'None', 'mode: none', /case-sensitive/],
    ['STS-POL-03 RFC 8461 §5: an unrecognisable value gets testing and says why', 'banana', 'mode: testing', /not close to any registered value; "testing" is suggested as the safe first step: .*still deliver/],
    ['STS-POL-03 RFC 8461 §5: "on" gets testing and says why', 'on', 'mode: testing', /should be on, not how strictly; "testing" is suggested/],
  ])('%s', (_name, mode, fix, message) => {
    const result = parsePolicy(modeBody(mode));
    expect(result.valid).toBe(false);
    const f = result.findings.find((x) => x.id === 'policy-syntax.bad-mode');
    expect(f?.severity).toBe('fail');
    expect(f?.fix).toBe(fix);
    expect(f?.message).toMatch(message);
    expect(f?.location).toEqual({ line: 2, column: 7 });
  });

  it('STS-POL-08 RFC 8461 §3.2: the U-label finding cites RFC 8461 §3.2 and RFC 5891 §4.4 (Punycode conversion)', () => {
    const f = parsePolicy(body('mx: mail.bücher.de')).findings.find((x) => x.id === 'policy-syntax.mx-u-label');
    expect(f?.refs.map((r) => [r.rfc, r.section])).toEqual([
      ['RFC8461', '§3.2'],
      ['RFC5891', '§4.4'],
    ]);
    expect(f?.refs.every((r) => r.section.length > 0 && r.url.includes('#section-'))).toBe(true);
    expect(f?.fix).toBe('mx: mail.xn--bcher-kva.de');
  });

  it('STS-POL-10 CHECKLIST A4: a wrong-case key is one finding that says the real field is missing', () => {
    const result = parsePolicy(CRLF('version: STSv1', 'Mode: enforce', ...BASE.slice(2)));
    expect(result.findings.map((f) => f.id)).toEqual(['policy-syntax.field-case']);
    expect(result.findings[0]?.message).toMatch(/only by case/);
    expect(result.findings[0]?.message).toMatch(/no "mode" field/);
    expect(result.policy.mode).toBeUndefined();
    expect(result.policy.extensions).toEqual([{ name: 'Mode', value: 'enforce', line: 2 }]);
  });

  it('STS-POL-14 RFC 8461 §3.2: invalid UTF-8 fails with the byte position', () => {
    const prefix = new TextEncoder().encode(CRLF(...BASE, 'x: é'));
    const bytes = new Uint8Array([...prefix.slice(0, -2), 0xff, 0x0d, 0x0a]);
    const result = parsePolicy(bytes);
    expect(result.valid).toBe(false);
    const f = result.findings.find((x) => x.id === 'policy-syntax.invalid-utf8');
    expect(f?.severity).toBe('fail');
    expect(f?.message).toContain(`byte ${prefix.length - 2}`);
    expect(f?.location).toEqual({ line: 5, column: 5 });
  });

  it.each([
    ['RFC 3629 §3: an overlong encoding', [0xc0, 0xaf]],
    ['RFC 3629 §3: a UTF-16 surrogate', [0xed, 0xa0, 0x80]],
    ['RFC 3629 §3: a truncated sequence at the end', [0xe2, 0x82]],
    ['RFC 3629 §3: above U+10FFFF', [0xf4, 0x90, 0x80, 0x80]],
    ['RFC 3629 §3: a lone continuation byte', [0x80]],
  ])('STS-POL-14 %s is invalid UTF-8', (_name, seq) => {
    const bytes = new Uint8Array([...new TextEncoder().encode(body('x: ')), ...seq]);
    expect(ids(bytes)).toContain('policy-syntax.invalid-utf8');
  });

  it('STS-POL-01 RFC 8461 §3.2: an empty body fails with a complete example as fix', () => {
    const result = parsePolicy(new Uint8Array());
    expect(result.valid).toBe(false);
    expect(result.findings.map((f) => f.id)).toEqual(['policy-syntax.empty']);
    expect(parsePolicy(result.findings[0]?.fix ?? '').valid).toBe(true);
  });

  it('RFC 8461 §3.3: a body over 1 MiB is refused with one finding', () => {
    const result = parsePolicy(new Uint8Array(1024 * 1024 + 1).fill(0x61));
    expect(result.findings.map((f) => f.id)).toEqual(['policy-syntax.too-large']);
    expect(result.lines).toEqual([]);
    expect(parsePolicy('a'.repeat(1024 * 1024 + 1)).findings.map((f) => f.id)).toEqual(['policy-syntax.too-large']);
  });

  it('RFC 8461 §3.3: a line over 8 KiB is refused and cut, the rest is still parsed', () => {
    const result = parsePolicy(body(`note: ${'x'.repeat(9000)}`));
    expect(result.findings.map((f) => f.id)).toEqual(['policy-syntax.line-too-long']);
    expect(result.lines[4]?.text.length).toBe(8192);
    expect(result.policy.mode).toBe('enforce');
  });

  it('RFC 8461 §3.2: hostile repetition yields a bounded number of findings', () => {
    const result = parsePolicy(`${body()}${'\n'.repeat(1024 * 1024 - 200)}`);
    const blank = result.findings.filter((f) => f.id === 'policy-syntax.blank-line');
    expect(blank).toHaveLength(21);
    expect(blank[20]?.message).toMatch(/more of the same problem/);
    expect(result.lines.length).toBeGreaterThan(1000000);
  });

  it('RFC 8461 §3.2: every finding matches the report schema', () => {
    const text = `\ufeff Version : stsv1\r\rmode: x\n\nmx: a, b\r\nmx: ü.de\nmax_age: 99999999999\n_a: \u0001\n`;
    const result = parsePolicy(text);
    expect(result.findings.length).toBeGreaterThan(8);
    for (const f of result.findings) expect(FindingSchema.safeParse(f).success).toBe(true);
  });
});

describe('serializePolicy', () => {
  it('RFC 8461 §3.2: writes CRLF lines in canonical order', () => {
    const text = serializePolicy({
      version: 'STSv1',
      mode: 'testing',
      maxAge: 86400,
      mx: [{ pattern: 'a.example.com' }, { pattern: '*.example.net' }],
      extensions: [{ name: 'note', value: 'hi there' }],
    });
    expect(text).toBe('version: STSv1\r\nmode: testing\r\nmax_age: 86400\r\nmx: a.example.com\r\nmx: *.example.net\r\nnote: hi there\r\n');
  });
});

describe('parsePolicy: properties', () => {
  const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/);
  const domain = fc.array(label, { minLength: 2, maxLength: 4 }).map((ls) => ls.join('.')).filter((d) => !/^\d+(\.\d+){3}$/.test(d));
  const pattern = fc.tuple(fc.boolean(), domain).map(([w, d]) => (w ? `*.${d}` : d));
  const extName = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/).filter((n) => !['version', 'mode', 'max_age', 'mx'].includes(n.toLowerCase()));
  const extValue = fc.stringMatching(/^[\x21-\x7eäé☃][\x20-\x7eäé☃]{0,15}$/).map((v) => v.trimEnd()).filter((v) => v.length > 0);
  const policyArb = fc.record({
    mode: fc.constantFrom('enforce', 'testing', 'none') as fc.Arbitrary<'enforce' | 'testing' | 'none'>,
    maxAge: fc.integer({ min: 604800, max: MAX_AGE_LIMIT }),
    mx: fc.uniqueArray(pattern, { minLength: 1, maxLength: 4 }),
    extensions: fc.uniqueArray(fc.tuple(extName, extValue), { maxLength: 3, selector: ([n]) => n }),
  });
  const ws = fc.constantFrom('', ' ', '\t', '  ');

  it('RFC 8461 §3.2: generated grammatical bodies parse, and parse(serializePolicy(p)) keeps the meaning', () => {
    let withExtensions = 0;
    let lf = 0;
    fc.assert(
      fc.property(policyArb, fc.array(fc.tuple(ws, ws, fc.boolean()), { minLength: 12, maxLength: 12 }), fc.boolean(), fc.nat(), (p, style, finalTerm, shuffleSeed) => {
        const fields = [
          ['version', 'STSv1'],
          ['mode', p.mode],
          ['max_age', String(p.maxAge)],
          ...p.mx.map((m) => ['mx', m]),
          ...p.extensions,
        ];
        // Field order is free (A11): rotate by a generated amount.
        const k = shuffleSeed % fields.length;
        const ordered = [...fields.slice(k), ...fields.slice(0, k)];
        const text = ordered
          .map(([n, v], i) => {
            const [after, trailing, useLf] = style[i % style.length] ?? ['', '', false];
            if (useLf) lf++;
            const term = i < ordered.length - 1 || finalTerm ? (useLf ? '\n' : '\r\n') : '';
            return `${n}:${after}${v}${trailing}${term}`;
          })
          .join('');
        const first = parsePolicy(text);
        expect(first.findings.filter((f) => f.severity !== 'info')).toEqual(first.findings.filter((f) => f.id === 'policy-syntax.mixed-line-endings'));
        expect(first.valid).toBe(true);
        const expected = { version: 'STSv1', mode: p.mode, maxAge: p.maxAge, mx: p.mx, extensions: p.extensions.map(([n, v]) => [n, v]) };
        expect({ ...meaning(first.policy), mx: [...meaning(first.policy).mx].sort(), extensions: [...meaning(first.policy).extensions].sort() }).toEqual({
          ...expected,
          mx: [...expected.mx].sort(),
          extensions: [...expected.extensions].sort(),
        });
        const again = parsePolicy(serializePolicy(first.policy));
        expect(again.valid).toBe(true);
        expect(again.terminators).toBe('CRLF');
        expect(meaning(again.policy)).toEqual(meaning(first.policy));
        if (p.extensions.length > 0) withExtensions++;
      }),
      { seed: 3207, numRuns: 800 },
    );
    expect(withExtensions).toBeGreaterThan(100);
    expect(lf).toBeGreaterThan(100);
  });

  const mutatedLine = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom('version: STSv1', 'mode: enforce', 'mode: none', 'max_age: 604800', 'mx: mail.example.com', 'mx: *.example.net', 'note: ok') },
    {
      weight: 1,
      arbitrary: fc.constantFrom('', ' mode: testing', 'Mode: enforce', 'max_age: 99999999999', 'mx: a,b', 'mx: ü.de', 'mx: 1.2.3.4', 'mx: a.b.', 'mx: x*.y', 'x : y', 'garbage', 'max_age: 0', '\u0000: 1'),
    },
  );
  const term = fc.oneof({ weight: 6, arbitrary: fc.constant('\r\n') }, { weight: 2, arbitrary: fc.constant('\n') }, { weight: 1, arbitrary: fc.constant('\r') });
  const policyish = fc.array(fc.tuple(mutatedLine, term), { maxLength: 9 }).map((ls) => ls.map(([l, t]) => l + t).join(''));

  it('RFC 8461 §3.2: never throws on text or bytes; what it accepts is grammatical; locations point into the body', () => {
    let accepted = 0;
    let rejected = 0;
    const input = fc.oneof(policyish, fc.string({ maxLength: 200 }), fc.uint8Array({ maxLength: 200 }), policyish.map((s) => new TextEncoder().encode(s)));
    fc.assert(
      fc.property(input, fc.boolean(), (b, lenient) => {
        const result = parsePolicy(b, { lenient });
        for (const f of result.findings) {
          if (f.location) {
            expect(f.location.line).toBeLessThanOrEqual(Math.max(result.lines.length, 1));
            expect(f.location.column).toBeGreaterThanOrEqual(1);
          }
        }
        if (!result.valid) {
          rejected++;
          expect(result.findings.some((f) => f.severity === 'fail')).toBe(true);
          return;
        }
        accepted++;
        const p = result.policy;
        expect(p.version).toBe('STSv1');
        expect(['enforce', 'testing', 'none']).toContain(p.mode);
        expect(p.maxAge).toBeGreaterThanOrEqual(0);
        expect(p.maxAge).toBeLessThanOrEqual(MAX_AGE_LIMIT);
        if (p.mode !== 'none') expect(p.mx.length).toBeGreaterThan(0);
        for (const m of p.mx) expect(checkMxPatternSyntax(m.pattern).ok).toBe(true);
        for (const e of p.extensions) expect(e.name).toMatch(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/);
      }),
      { seed: 1035, numRuns: 3000 },
    );
    expect(accepted).toBeGreaterThan(30);
    expect(rejected).toBeGreaterThan(300);
  });
});
