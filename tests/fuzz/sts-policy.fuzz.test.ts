// Fuzzing the policy-file parser (RFC 8461 §3.2, byte-exact): random bytes, valid policies,
// and byte-level mutations of them (CR / LF / CRLF / BOM / invalid UTF-8 / NUL injections,
// deletions, truncations, duplicated lines, huge lines). Accepted bodies are re-checked
// line by line against an independent transcription of `sts-policy-record`.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_AGE_LIMIT, MAX_POLICY_BYTES, MAX_POLICY_LINE_BYTES, parsePolicy, serializePolicy, type PolicyParse } from '../../core/parse/sts-policy.ts';
import { FindingSchema } from '../../core/report/schema.ts';
import { concatBytes, fcParams, fuzzRuns, fuzzSeed, Tally } from './budget.ts';

const SEED = fuzzSeed(0x9011);
const RUNS = fuzzRuns(8_000);
const enc = new TextEncoder();

// sts-policy-record = sts-policy-field *WSP *(sts-policy-term sts-policy-field *WSP) [sts-policy-term]
// sts-policy-ext-name = alphanum 0*31(alphanum / "_" / "-" / "."); value = vchar *(SP / vchar), vchar = %x21-7E / UTF8-2..4
const KEY = String.raw`[A-Za-z0-9][A-Za-z0-9_.\-]{0,31}`;
const VALUE = String.raw`[\x21-\x7e\u{80}-\u{10FFFF}](?:[\x20-\x7e\u{80}-\u{10FFFF}]*[\x21-\x7e\u{80}-\u{10FFFF}])?`;
const STRICT_LINE = new RegExp(String.raw`^${KEY}:[ \t]*${VALUE}[ \t]*$`, 'u');
/** What `lenient` adds (CHECKLIST A2): leading whitespace, whitespace before ":", blank lines. */
const LENIENT_LINE = new RegExp(String.raw`^(?:[ \t]*${KEY}[ \t]*:[ \t]*${VALUE}[ \t]*|[ \t]*)$`, 'u');
const LABEL = String.raw`[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?`;
const MX_PATTERN = new RegExp(String.raw`^(?:\*\.)?(?:${LABEL}\.)*${LABEL}\.?$`, 'i');

/** Independent re-check of an accepted body; returns the lines for further checks. */
function expectGrammatical(bytes: Uint8Array, lenient: boolean): string[] {
  let text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  expect(text).not.toMatch(/\r(?!\n)/);
  const lines = text.split(/\r?\n/);
  if (lines.length > 1 && lines[lines.length - 1] === '') lines.pop();
  for (const line of lines) expect(line).toMatch(lenient ? LENIENT_LINE : STRICT_LINE);
  return lines;
}

function expectWellFormedResult(parsed: PolicyParse, bytes: Uint8Array, tally: Tally): void {
  expect(parsed.lines.length).toBeLessThanOrEqual(bytes.length + 1);
  let previous = -1;
  for (const line of parsed.lines) {
    expect(line.startByte).toBeGreaterThan(previous);
    previous = line.startByte;
    expect(line.text.length).toBeLessThanOrEqual(MAX_POLICY_LINE_BYTES);
  }
  const ids = new Set(parsed.findings.map((f) => f.id));
  // At most 20 findings per id plus one summary: a hostile body cannot flood the report.
  expect(parsed.findings.length).toBeLessThanOrEqual(ids.size * 21);
  for (const f of parsed.findings) {
    tally.hit(f.id);
    expect(f.id.startsWith('policy-syntax.')).toBe(true);
    if (f.location) {
      expect(f.location.line).toBeGreaterThanOrEqual(1);
      expect(f.location.line).toBeLessThanOrEqual(Math.max(1, parsed.lines.length));
      expect(f.location.column).toBeGreaterThanOrEqual(1);
    }
  }
  if (parsed.valid) {
    expect(parsed.findings.some((f) => f.severity === 'fail')).toBe(false);
    const p = parsed.policy;
    expect(p.version).toBe('STSv1');
    expect(['enforce', 'testing', 'none']).toContain(p.mode);
    expect(Number.isInteger(p.maxAge)).toBe(true);
    expect(p.maxAge).toBeGreaterThanOrEqual(0);
    expect(p.maxAge).toBeLessThanOrEqual(MAX_AGE_LIMIT);
    if (p.mode !== 'none') expect(p.mx.length).toBeGreaterThan(0);
    for (const mx of p.mx) expect(mx.pattern).toMatch(MX_PATTERN);
  }
}

// Valid policies, as objects (for the round trip) and as bytes (as seeds for mutation).
const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,8}[a-z0-9])?$/);
const mxPattern = fc.tuple(fc.boolean(), fc.array(label, { minLength: 1, maxLength: 3 })).map(([wild, labels]) => `${wild ? '*.' : ''}${labels.join('.')}.example`);
const extName = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,10}$/).filter((n) => !['version', 'mode', 'max_age', 'mx'].includes(n.toLowerCase()));
const extValue = fc.stringMatching(/^[\x21-\x7e\u00e9\u4e2d](?:[\x20-\x7e\u00e9]{0,10}[\x21-\x7e\u4e2d])?$/);
const validPolicy = fc
  .record({
    mode: fc.constantFrom('enforce', 'testing', 'none') as fc.Arbitrary<'enforce' | 'testing' | 'none'>,
    maxAge: fc.oneof(fc.integer({ min: 0, max: MAX_AGE_LIMIT }), fc.constantFrom(0, 86_399, 86_400, 604_800, MAX_AGE_LIMIT)),
    mx: fc.uniqueArray(mxPattern, { maxLength: 4, selector: (p) => p.toLowerCase() }),
    extensions: fc.uniqueArray(fc.record({ name: extName, value: extValue }), { maxLength: 3, selector: (e) => e.name }),
  })
  .filter((p) => p.mode === 'none' || p.mx.length > 0)
  .map((p) => ({ version: 'STSv1', ...p, mx: p.mx.map((pattern) => ({ pattern })) }));

const validBytes = fc.tuple(validPolicy, fc.constantFrom('\r\n', '\n'), fc.boolean()).map(([p, eol, final]) => {
  const body = serializePolicy(p).replaceAll('\r\n', eol);
  return enc.encode(final ? body : body.slice(0, -eol.length));
});

const PIECES: Uint8Array[] = [
  [0x0d], [0x0a], [0x0d, 0x0a], [0xef, 0xbb, 0xbf], [0xff], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xe2, 0x82], [0x20], [0x09], [0x3a], [0x00], [0x7f],
].map((b) => Uint8Array.from(b));
const TEXT_PIECES = ['mx: ', 'Mode: testing\n', 'max_age: 0', 'max_age: 99999999999\n', 'max_age: 31557601\n', 'max_age: 007\n', 'version: STSv2\n', 'mx: *.\n', 'mx: a.example, b.example\n', 'mx: [::1]\n', 'mx: 192.0.2.1\n', 'mx: bücher.example\n', 'mx: mail.example.\n', 'mode: enforce\n', 'mode: on\n', '\n\n', ' mx: x.example\n', 'mx : y.example\n', 'é', ',', '*', '.', 'mx:\n', '<script>alert(1)</script>'];
const piece = fc.oneof({ weight: 1, arbitrary: fc.constantFrom(...PIECES) }, { weight: 1, arbitrary: fc.constantFrom(...TEXT_PIECES).map((t) => enc.encode(t)) });
const HUGE = new Uint8Array(MAX_POLICY_LINE_BYTES + 1000).fill(0x61);

type Edit = [kind: number, at: number, piece: Uint8Array];
function applyEdits(bytes: Uint8Array, edits: Edit[]): Uint8Array {
  let out = bytes;
  for (const [kind, at, p] of edits) {
    const i = at % (out.length + 1);
    if (kind <= 4) out = concatBytes([out.subarray(0, i), p, out.subarray(i)]);
    else if (kind === 5) out = concatBytes([out.subarray(0, i), out.subarray(i + 1)]);
    else if (kind === 6) out = out.slice(0, i);
    else if (kind === 7) {
      const b = out[i];
      if (b !== undefined && ((b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a))) (out = out.slice())[i] = b ^ 0x20;
    } else if (kind === 8) {
      // Duplicate the line that holds byte i.
      let s = i;
      while (s > 0 && out[s - 1] !== 0x0a) s--;
      let e = i;
      while (e < out.length && out[e] !== 0x0a) e++;
      out = concatBytes([out.subarray(0, e + 1), out.subarray(s, e + 1), out.subarray(e + 1)]);
    } else out = concatBytes([out.subarray(0, i), HUGE, out.subarray(i)]);
  }
  return out;
}
const edit: fc.Arbitrary<Edit> = fc.tuple(fc.oneof({ weight: 60, arbitrary: fc.nat({ max: 8 }) }, { weight: 1, arbitrary: fc.constant(9) }), fc.nat(), piece);
const mutatedBytes = fc.tuple(validBytes, fc.array(edit, { minLength: 1, maxLength: 3 })).map(([b, edits]) => applyEdits(b, edits));
const lineSoup = fc
  .array(fc.tuple(fc.constantFrom(...TEXT_PIECES, 'version: STSv1', 'mode: testing', 'max_age: 86400', 'mx: m.example', ''), fc.constantFrom('\r\n', '\n', '\r', '')), { maxLength: 12 })
  .map((rows) => enc.encode(rows.map(([l, t]) => l + t).join('')));
const anyBytes = fc.oneof(
  { weight: 2, arbitrary: validBytes },
  { weight: 6, arbitrary: mutatedBytes },
  { weight: 2, arbitrary: lineSoup },
  { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }) },
);

describe(`fuzz parsePolicy (RFC 8461 §3.2), seed ${SEED}, ${RUNS} runs`, () => {
  it(`bytes: never throws, bounded output, accepts only grammatical bodies (seed ${SEED})`, () => {
    const tally = new Tally();
    fc.assert(
      fc.property(anyBytes, fc.boolean(), (bytes, lenient) => {
        const parsed = parsePolicy(bytes, { lenient });
        tally.hit(parsed.valid ? 'valid' : 'invalid');
        if (bytes.length > MAX_POLICY_LINE_BYTES) tally.hit('huge');
        expectWellFormedResult(parsed, bytes, tally);
        if (parsed.valid) expectGrammatical(bytes, lenient);
        if (!lenient && parsed.valid) expect(parsePolicy(bytes, { lenient: true }).valid).toBe(true);
      }),
      fcParams(SEED, RUNS),
    );
    expect(tally.get('valid')).toBeGreaterThan(RUNS / 10);
    expect(tally.get('invalid')).toBeGreaterThan(RUNS / 10);
    expect(tally.get('huge')).toBeGreaterThan(0);
    const ids = [
      'bare-cr', 'bom', 'invalid-utf8', 'blank-line', 'leading-whitespace', 'space-before-colon', 'missing-colon', 'bad-field-name', 'unknown-field',
      'duplicate-field', 'bad-mode', 'bad-max-age', 'max-age-too-large', 'max-age-leading-zeros', 'max-age-zero', 'mx-invalid', 'mx-u-label', 'mx-list',
      'mx-ip-literal', 'mx-ipv4', 'mx-trailing-dot', 'mx-duplicate', 'line-too-long', 'mixed-line-endings', 'lf-line-endings', 'control-character',
      'empty-value', 'missing-mx', 'missing-mode', 'bad-version', 'empty',
    ].map((s) => `policy-syntax.${s}`);
    expect(tally.missing(ids, 5)).toEqual([]);
  });

  it(`round trip: parse(serializePolicy(p)) has the meaning of p (seed ${SEED + 1})`, () => {
    let runs = 0;
    fc.assert(
      fc.property(validPolicy, (p) => {
        const parsed = parsePolicy(serializePolicy(p));
        for (const f of parsed.findings) expect(FindingSchema.safeParse(f).success).toBe(true);
        expect(parsed.valid).toBe(true);
        expect(parsed.terminators).toBe('CRLF');
        expect(parsed.policy.mode).toBe(p.mode);
        expect(parsed.policy.maxAge).toBe(p.maxAge);
        expect(parsed.policy.mx.map((m) => m.pattern)).toEqual(p.mx.map((m) => m.pattern));
        expect(parsed.policy.extensions.map(({ name, value }) => ({ name, value }))).toEqual(p.extensions);
        runs++;
      }),
      fcParams(SEED + 1, Math.round(RUNS / 4)),
    );
    expect(runs).toBe(Math.round(RUNS / 4));
  });

  it('string input decodes like its UTF-8 bytes', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 200 }), (text) => {
        const a = parsePolicy(text);
        const b = parsePolicy(enc.encode(text));
        expect(a.valid).toBe(b.valid);
        expect(a.findings.map((f) => f.id)).toEqual(b.findings.map((f) => f.id));
      }),
      fcParams(SEED + 2, Math.round(RUNS / 8)),
    );
  });

  it.each([
    ['one 1 MiB line', () => new Uint8Array(MAX_POLICY_BYTES).fill(0x61), 'policy-syntax.line-too-long'],
    ['1 MiB of LF (a million blank lines)', () => new Uint8Array(MAX_POLICY_BYTES).fill(0x0a), 'policy-syntax.blank-line'],
    ['1 MiB of bare CR', () => new Uint8Array(MAX_POLICY_BYTES).fill(0x0d), 'policy-syntax.bare-cr'],
    ['1 MiB of lines of invalid UTF-8', () => new Uint8Array(MAX_POLICY_BYTES).map((_, i) => (i % 2 ? 0x0a : 0xff)), 'policy-syntax.invalid-utf8'],
    ['one byte over 1 MiB', () => new Uint8Array(MAX_POLICY_BYTES + 1).fill(0x61), 'policy-syntax.too-large'],
  ])('RFC 8461 §3.2 bounds: %s gives one kind of finding, capped, without throwing', (_name, make, id) => {
    const parsed = parsePolicy(make());
    expect(parsed.valid).toBe(false);
    expect(parsed.findings.filter((f) => f.id === id).length).toBeGreaterThan(0);
    expect(parsed.findings.filter((f) => f.id === id).length).toBeLessThanOrEqual(21);
    expect(parsed.findings.length).toBeLessThan(200);
  });
});
