// Fuzzing the `_smtp._tls` TXT parser (RFC 8460 §3, RFC 3986, RFC 6068): grammatical records,
// mutations (unencoded "," "!" ";", backslashes and quotes of a pasted zone file, CHECKLIST A19),
// and random text. Accepted records are re-checked against an independent transcription of the ABNF.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isTlsrptCandidate, parseTlsrptRecord } from '../../core/parse/tlsrpt-record.ts';
import { FindingSchema } from '../../core/report/schema.ts';
import { fcParams, fuzzRuns, fuzzSeed, Tally } from './budget.ts';
import { mutatedText } from './text-mutations.ts';

const SEED = fuzzSeed(0x7152);
const RUNS = fuzzRuns(10_000);

// RFC 8460 §3: tlsrpt-record = tlsrpt-version 1*(field-delim tlsrpt-field) [field-delim];
// tlsrpt-rua = %s"rua=" tlsrpt-uri *(*WSP "," *WSP tlsrpt-uri); "," "!" ";" percent-encoded
// inside a URI. Whitespace after the last field is tolerated with a warning (CHECKLIST A3).
const URI = String.raw`[A-Za-z][A-Za-z0-9+.\-]*:(?:[A-Za-z0-9\-._~$&'()*+=:/?#\[\]@]|%[0-9A-Fa-f]{2})*`;
const RUA = String.raw`rua=${URI}(?:[ \t]*,[ \t]*${URI})*`;
const EXT = String.raw`[A-Za-z0-9][A-Za-z0-9_.\-]{0,31}=[\x21-\x3a\x3c\x3e-\x7e]+`;
const FIELD = `(?:${RUA}|${EXT})`;
const GRAMMAR = new RegExp(String.raw`^v=TLSRPTv1;[ \t]*${FIELD}(?:[ \t]*;[ \t]*${FIELD})*[ \t]*(?:;[ \t]*)?$`);
const URI_ONLY = new RegExp(`^${URI}$`);

const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,6}[a-z0-9])?$/);
const domain = fc.array(label, { minLength: 1, maxLength: 3 }).map((l) => `${l.join('.')}.example`);
const local = fc.stringMatching(/^[A-Za-z0-9._+-]{1,10}$/).filter((s) => !s.startsWith('.') && !s.endsWith('.') && !s.includes('..'));
const uri = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(local, domain, fc.boolean()).map(([l, d, q]) => `mailto:${l}@${d}${q ? '?subject=tlsrpt' : ''}`) },
  { weight: 3, arbitrary: fc.tuple(domain, fc.stringMatching(/^[a-z0-9/_-]{0,12}$/)).map(([d, p]) => `https://${d}/${p}`) },
  { weight: 1, arbitrary: domain.map((d) => `http://${d}/report`) },
  { weight: 1, arbitrary: domain.map((d) => `ftp://${d}/x`) },
);
const wsp = fc.stringMatching(/^[ \t]{0,2}$/);
const ruaField = fc.tuple(uri, fc.array(fc.tuple(wsp, wsp, uri), { maxLength: 2 })).map(([first, more]) => `rua=${first}${more.map(([a, b, u]) => `${a},${b}${u}`).join('')}`);
const extField = fc.tuple(fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,8}$/), fc.stringMatching(/^[\x21-\x3a\x3c\x3e-\x5b\x5d-\x7e]{1,10}$/)).map(([n, v]) => `${n}=${v}`);
// (A backslash is grammatical in an extension value but refused on purpose: CHECKLIST A19, a pasted zone file.)

const grammatical = fc
  .tuple(ruaField, fc.nat(), fc.array(fc.oneof({ weight: 3, arbitrary: extField }, { weight: 1, arbitrary: ruaField }), { maxLength: 3 }), fc.array(fc.tuple(wsp, wsp), { minLength: 5, maxLength: 5 }), fc.boolean())
  .map(([rua, at, others, spaces, trailing]) => {
    const fields = [...others];
    fields.splice(at % (others.length + 1), 0, rua);
    let out = 'v=TLSRPTv1';
    fields.forEach((f, i) => {
      const [a, b] = spaces[i] ?? ['', ''];
      out += `${i === 0 ? '' : a};${b}${f}`;
    });
    return trailing ? `${out};` : out;
  });

const HOSTILE = ['!', ',', ';', '\\', '"', '" "', '\n', '\r\n', '\t', ' ', '%', '%2', '%2C', '%zz', 'é', '\0', 'http:', 'https:', 'rua=', 'RUA=', '@', 'mailto:', '<b>', '\x7f'];
const mutated = mutatedText(grammatical, HOSTILE, ['insert', 'delete', 'truncate']);
const anyText = fc.oneof(
  { weight: 3, arbitrary: grammatical },
  { weight: 5, arbitrary: mutated },
  { weight: 1, arbitrary: fc.array(fc.constantFrom(...HOSTILE, 'a', 'x.example'), { maxLength: 25 }).map((p) => `v=TLSRPTv1;${p.join('')}`) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
);

describe(`fuzz parseTlsrptRecord (RFC 8460 §3), seed ${SEED}, ${RUNS} runs`, () => {
  it(`never throws and accepts only grammatical records with a usable rua (seed ${SEED})`, () => {
    const tally = new Tally();
    fc.assert(
      fc.property(anyText, (text) => {
        const parsed = parseTlsrptRecord(text, { domain: 'example.com' });
        tally.hit(parsed.valid ? 'valid' : 'invalid');
        expect(parsed.findings.length).toBeLessThanOrEqual(text.length + 4);
        for (const f of parsed.findings) {
          tally.hit(f.id);
          expect(f.id.startsWith('tlsrpt-record.')).toBe(true);
        }
        if (!parsed.valid) {
          expect(parsed.record).toBeUndefined();
          expect(parsed.findings.some((f) => f.severity === 'fail')).toBe(true);
          return;
        }
        expect(isTlsrptCandidate(text)).toBe(true);
        expect(text).toMatch(GRAMMAR);
        const rua = parsed.record?.rua ?? [];
        expect(rua.some((r) => r.supported)).toBe(true);
        for (const r of rua) {
          expect(r.uri).toMatch(URI_ONLY);
          expect(r.uri).not.toMatch(/[,!;\s\\]/);
          expect(r.scheme).toBe(r.uri.slice(0, r.uri.indexOf(':')).toLowerCase());
          expect(r.supported).toBe(r.scheme === 'mailto' || r.scheme === 'https');
          if (r.scheme === 'https') expect(new URL(r.uri).hostname.length).toBeGreaterThan(0);
          if (r.scheme === 'mailto') expect(decodeURIComponent(r.uri.slice(7).split('?')[0] ?? '')).toMatch(/^[^@]+@[^@]+\.[^@]+$/);
        }
      }),
      fcParams(SEED, RUNS),
    );
    expect(tally.get('valid')).toBeGreaterThan(RUNS / 10);
    expect(tally.get('invalid')).toBeGreaterThan(RUNS / 10);
    const ids = [
      'unencoded-delimiter', 'uri-not-absolute', 'bad-mailto', 'http-scheme', 'unsupported-scheme', 'duplicate-rua', 'control-character',
      'backslash', 'missing-rua', 'no-usable-rua', 'uri-bad-percent', 'uri-invalid-char', 'empty-uri', 'uri-whitespace', 'non-ascii',
    ].map((s) => `tlsrpt-record.${s}`);
    expect(tally.missing(ids, 10)).toEqual([]);
  });

  it(`every finding of a grammatical record fits the report schema (seed ${SEED + 1})`, () => {
    let withSupported = 0;
    fc.assert(
      fc.property(grammatical, (text) => {
        const parsed = parseTlsrptRecord(text);
        for (const f of parsed.findings) expect(FindingSchema.safeParse(f).success).toBe(true);
        // Grammatical and with one mailto/https URI: accepted; only ftp/http ones: no-usable-rua.
        if (/rua=[^;]*(?:mailto:|https:)/.test(text)) {
          withSupported++;
          expect(parsed.valid).toBe(true);
        }
      }),
      fcParams(SEED + 1, Math.round(RUNS / 4)),
    );
    expect(withSupported).toBeGreaterThan(RUNS / 8);
  });
});
