import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isTlsrptCandidate, looksLikeTlsrpt, parseTlsrptRecord } from '../../../core/parse/tlsrpt-record.ts';
import { FindingSchema } from '../../../core/report/schema.ts';

describe('isTlsrptCandidate / looksLikeTlsrpt', () => {
  it.each([
    ['RFC 8460 §3: the literal prefix counts', 'v=TLSRPTv1; rua=mailto:a@example.com', true, true],
    ['RFC 8460 §3: the RFC example without a space', 'v=TLSRPTv1;rua=mailto:reports@example.com', true, true],
    ['CHECKLIST A2: a space before ";" fails the prefix test', 'v=TLSRPTv1 ;rua=mailto:a@example.com', false, true],
    ['CHECKLIST A4: the prefix is case-sensitive', 'v=tlsrptv1;rua=mailto:a@example.com', false, true],
    ['RFC 8460 §3: other records', 'v=DMARC1; p=none', false, false],
  ])('%s', (_name, text, candidate, looks) => {
    expect(isTlsrptCandidate(text)).toBe(candidate);
    expect(looksLikeTlsrpt(text)).toBe(looks);
  });
});

describe('parseTlsrptRecord: valid records', () => {
  it.each([
    ['RFC 8460 §3.1.1: the mailto example', 'v=TLSRPTv1;rua=mailto:reports@example.com', [{ uri: 'mailto:reports@example.com', scheme: 'mailto', supported: true }], []],
    ['RFC 8460 §3.1.2: the https example, on one line', 'v=TLSRPTv1; rua=https://reporting.example.com/v1/tlsrpt', [{ uri: 'https://reporting.example.com/v1/tlsrpt', scheme: 'https', supported: true }], []],
    [
      'RPT-RUA-07 RFC 8460 §3: several URIs with whitespace around ","',
      'v=TLSRPTv1; rua=mailto:a@example.com ,\thttps://r.example.net/x;',
      [
        { uri: 'mailto:a@example.com', scheme: 'mailto', supported: true },
        { uri: 'https://r.example.net/x', scheme: 'https', supported: true },
      ],
      [],
    ],
    ['RFC 3986 §3.1: schemes are case-insensitive', 'v=TLSRPTv1; rua=MAILTO:a@example.com', [{ uri: 'MAILTO:a@example.com', scheme: 'mailto', supported: true }], []],
    ['RFC 6068 §2: several addresses in one mailto with an encoded ","', 'v=TLSRPTv1; rua=mailto:a@example.com%2Cb@example.org', [{ uri: 'mailto:a@example.com%2Cb@example.org', scheme: 'mailto', supported: true }], []],
    ['RFC 6068 §2: a quoted local part and a query', 'v=TLSRPTv1; rua=mailto:%22a%20b%22@example.com?subject=tlsrpt', [{ uri: 'mailto:%22a%20b%22@example.com?subject=tlsrpt', scheme: 'mailto', supported: true }], []],
    [
      'RPT-RUA-01 RFC 8460 §3: an unsupported scheme warns when another URI is usable',
      'v=TLSRPTv1; rua=ftp://r.example.com/x,mailto:a@example.com',
      [
        { uri: 'ftp://r.example.com/x', scheme: 'ftp', supported: false },
        { uri: 'mailto:a@example.com', scheme: 'mailto', supported: true },
      ],
      ['tlsrpt-record.unsupported-scheme'],
    ],
    [
      'CHECKLIST A19: a second rua field warns and the union is used',
      'v=TLSRPTv1; rua=mailto:a@example.com; rua=https://r.example.com/',
      [
        { uri: 'mailto:a@example.com', scheme: 'mailto', supported: true },
        { uri: 'https://r.example.com/', scheme: 'https', supported: true },
      ],
      ['tlsrpt-record.duplicate-rua'],
    ],
    ['RPT-TXT-06 RFC 8460 §3: unknown extensions are listed', 'v=TLSRPTv1; rua=mailto:a@example.com; ext=1', [{ uri: 'mailto:a@example.com', scheme: 'mailto', supported: true }], ['tlsrpt-record.unknown-fields']],
    ['CHECKLIST A3: trailing whitespace without ";" warns', 'v=TLSRPTv1; rua=mailto:a@example.com ', [{ uri: 'mailto:a@example.com', scheme: 'mailto', supported: true }], ['tlsrpt-record.trailing-whitespace']],
  ])('%s', (_name, text, rua, expected) => {
    const result = parseTlsrptRecord(text);
    expect(result.valid).toBe(true);
    expect(result.record?.rua).toEqual(rua);
    expect(result.findings.map((f) => f.id)).toEqual(expected);
  });

  it('RFC 8460 §3: an http: URI warns, names the scheme, and offers the https form', () => {
    const result = parseTlsrptRecord('v=TLSRPTv1; rua=http://r.example.com/v1,mailto:a@example.com');
    expect(result.valid).toBe(true);
    const f = result.findings.find((x) => x.id === 'tlsrpt-record.http-scheme');
    expect(f?.severity).toBe('warn');
    expect(f?.message).toContain('http:');
    expect(f?.fix).toBe('https://r.example.com/v1');
  });
});

describe('parseTlsrptRecord: invalid records', () => {
  it.each([
    ['RPT-TXT-03 RFC 8460 §3: missing version', 'rua=mailto:a@example.com', 'tlsrpt-record.missing-version'],
    ['RPT-TXT-03 CHECKLIST A4: wrong-case version', 'v=TLSRPTV1; rua=mailto:a@example.com', 'tlsrpt-record.bad-version'],
    ['CHECKLIST A2: whitespace before the first ";"', 'v=TLSRPTv1 ; rua=mailto:a@example.com', 'tlsrpt-record.space-before-semicolon'],
    ['RPT-TXT-04 RFC 8460 §3: no ";" after the version', 'v=TLSRPTv1 rua=mailto:a@example.com', 'tlsrpt-record.missing-semicolon'],
    ['RPT-TXT-04 RFC 8460 §3: an empty field', 'v=TLSRPTv1;; rua=mailto:a@example.com', 'tlsrpt-record.empty-field'],
    ['RPT-TXT-05 RFC 8460 §3: no rua', 'v=TLSRPTv1; ext=1', 'tlsrpt-record.missing-rua'],
    ['RPT-TXT-05 RFC 8460 §3: the version alone', 'v=TLSRPTv1;', 'tlsrpt-record.missing-rua'],
    ['RPT-TXT-05 CHECKLIST A4: "RUA=" is not "rua="', 'v=TLSRPTv1; RUA=mailto:a@example.com', 'tlsrpt-record.missing-rua'],
    ['RPT-TXT-05 RFC 8460 §3: whitespace around "="', 'v=TLSRPTv1; rua = mailto:a@example.com', 'tlsrpt-record.space-around-equals'],
    ['RPT-RUA-02 RFC 8460 §3: an unencoded "!"', 'v=TLSRPTv1; rua=mailto:a!b@example.com', 'tlsrpt-record.unencoded-delimiter'],
    ['RPT-RUA-02 RFC 8460 §3: an unencoded "," splits a mailto list', 'v=TLSRPTv1; rua=mailto:a@example.com,b@example.com', 'tlsrpt-record.uri-not-absolute'],
    ['RPT-RUA-02 RFC 8460 §3: an unencoded ";" cuts the URI', 'v=TLSRPTv1; rua=https://r.example.com/a;b/c', 'tlsrpt-record.bad-field'],
    ['RPT-RUA-03 RFC 3986 §3: a relative reference', 'v=TLSRPTv1; rua=/reports', 'tlsrpt-record.uri-not-absolute'],
    ['RPT-RUA-03 RFC 3986 §2: a space inside a URI', 'v=TLSRPTv1; rua=https://r.example.com/a b', 'tlsrpt-record.uri-whitespace'],
    ['RPT-RUA-03 RFC 3986 §2: a character outside the URI set', 'v=TLSRPTv1; rua=https://r.example.com/<x>', 'tlsrpt-record.uri-invalid-char'],
    ['RPT-RUA-03 RFC 3986 §2.1: a broken percent-encoding', 'v=TLSRPTv1; rua=mailto:a%2@example.com', 'tlsrpt-record.uri-bad-percent'],
    ['RPT-RUA-03 RFC 8460 §3: an empty URI from a stray ","', 'v=TLSRPTv1; rua=mailto:a@example.com,', 'tlsrpt-record.empty-uri'],
    ['RPT-RUA-04 RFC 6068 §2: a mailto without address', 'v=TLSRPTv1; rua=mailto:', 'tlsrpt-record.bad-mailto'],
    ['RPT-RUA-04 RFC 6068 §2: a mailto without "@"', 'v=TLSRPTv1; rua=mailto:reports', 'tlsrpt-record.bad-mailto'],
    ['RPT-RUA-04 RFC 6068 §2: a mailto with a bad domain', 'v=TLSRPTv1; rua=mailto:a@-bad-.com', 'tlsrpt-record.bad-mailto'],
    ['RPT-RUA-04 RFC 6068 §2: a mailto with a bad local part', 'v=TLSRPTv1; rua=mailto:a..b@example.com', 'tlsrpt-record.bad-mailto'],
    ['RPT-RUA-03 RFC 3986 §3.2: an https URI without host', 'v=TLSRPTv1; rua=https:/reports', 'tlsrpt-record.bad-https'],
    ['RPT-RUA-01 RFC 8460 §3: no usable URI', 'v=TLSRPTv1; rua=ftp://r.example.com/x', 'tlsrpt-record.no-usable-rua'],
    ['RPT-RUA-01 RFC 8460 §3: only http', 'v=TLSRPTv1; rua=http://r.example.com/x', 'tlsrpt-record.no-usable-rua'],
    ['CHECKLIST A19: a backslash from the RFC example', 'v=TLSRPTv1; \\ rua=https://reporting.example.com/v1/tlsrpt', 'tlsrpt-record.backslash'],
    ['CHECKLIST A19: a newline from a zone-file continuation', 'v=TLSRPTv1;\n rua=https://reporting.example.com/v1/tlsrpt', 'tlsrpt-record.control-character'],
    ['RFC 8460 §3: non-ASCII', 'v=TLSRPTv1; rua=mailto:ä@example.com', 'tlsrpt-record.non-ascii'],
    ['RFC 8460 §3: an extension name starting with "-"', 'v=TLSRPTv1; rua=mailto:a@example.com; -x=1', 'tlsrpt-record.bad-field-name'],
    ['RFC 8460 §3: an extension value with "="', 'v=TLSRPTv1; rua=mailto:a@example.com; x=a=b', 'tlsrpt-record.bad-field-value'],
  ])('%s', (_name, text, expected) => {
    const result = parseTlsrptRecord(text);
    expect(result.valid).toBe(false);
    expect(result.record).toBeUndefined();
    const f = result.findings.find((x) => x.id === expected);
    expect(f?.severity).toBe('fail');
  });

  it.each([
    ['RPT-RUA-02 RFC 8460 §3: the fix encodes "!"', 'v=TLSRPTv1; rua=mailto:a!b@example.com', 'tlsrpt-record.unencoded-delimiter', 'mailto:a%21b@example.com'],
    ['RPT-TXT-05 RFC 8460 §3: the fix uses the policy domain', 'v=TLSRPTv1; x=1', 'tlsrpt-record.missing-rua', 'v=TLSRPTv1; rua=mailto:tls-reports@example.org'],
    ['CHECKLIST A2 RFC 8460 §3: the space-before-semicolon fix is the corrected record', 'v=TLSRPTv1 ; rua=mailto:a@example.org', 'tlsrpt-record.space-before-semicolon', 'v=TLSRPTv1; rua=mailto:a@example.org'],
    ['CHECKLIST A2/A4 RFC 8460 §3: wrong case and a space before ";" are fixed together', 'V=TLSRPTv1\t;rua=mailto:a@example.org', 'tlsrpt-record.bad-version', 'v=TLSRPTv1;rua=mailto:a@example.org'],
  ])('%s', (_name, text, id, fix) => {
    expect(parseTlsrptRecord(text, { domain: 'example.org' }).findings.find((f) => f.id === id)?.fix).toBe(fix);
  });

  it('RPT-RUA-02 RFC 8460 §3: the unencoded-"," finding suggests separate mailto URIs', () => {
    const f = parseTlsrptRecord('v=TLSRPTv1; rua=mailto:a@example.com,b@example.com').findings.find((x) => x.id === 'tlsrpt-record.uri-not-absolute');
    expect(f?.message).toContain('%2C');
    expect(f?.message).toContain('mailto:b@example.com');
  });

  it('RFC 8460 §3: every finding matches the report schema', () => {
    for (const text of ['v=TLSRPTv1 ;;rua=x,,http://a!;\\', 'nothing', 'v=TLSRPTv1; rua=mailto:a@b.example;rua=ftp://x']) {
      for (const f of parseTlsrptRecord(text).findings) expect(FindingSchema.safeParse(f).success).toBe(true);
    }
  });
});

describe('parseTlsrptRecord: properties', () => {
  const uri = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom('mailto:a@example.com', 'https://r.example.net/v1', 'mailto:x.y+z@sub.example.org', 'HTTPS://R.EXAMPLE.COM') },
    { weight: 1, arbitrary: fc.constantFrom('http://r.example.com', 'ftp://x.example', 'mailto:', 'a@b.com', 'https://x/!', 'mailto:a@b.c d', '') },
  );
  const record = fc
    .tuple(
      fc.oneof({ weight: 5, arbitrary: fc.constant('v=TLSRPTv1') }, { weight: 1, arbitrary: fc.constantFrom('v=TLSRPTv1 ', 'V=TLSRPTv1', '') }),
      fc.array(fc.oneof({ weight: 3, arbitrary: fc.tuple(fc.array(uri, { minLength: 1, maxLength: 3 }), fc.constantFrom(',', ' , ', ',\t')).map(([us, sep]) => `rua=${us.join(sep)}`) }, { weight: 1, arbitrary: fc.constantFrom('x=1', 'rua', 'RUA=mailto:a@b.com', 'a-b=c\\d') }), { minLength: 0, maxLength: 3 }),
      fc.constantFrom('; ', ';', ' ; '),
      fc.constantFrom('', ';', ' '),
    )
    .map(([v, fields, d, tail]) => (fields.length === 0 ? v + tail : `${v};${fields.join(d)}${tail}`));

  it('RFC 8460 §3: never throws; accepted records hold a supported, well-formed rua', () => {
    let accepted = 0;
    let rejected = 0;
    fc.assert(
      fc.property(fc.oneof(record, fc.string({ maxLength: 80 })), (text) => {
        const result = parseTlsrptRecord(text);
        if (result.valid) {
          accepted++;
          expect(isTlsrptCandidate(text)).toBe(true);
          const rua = result.record?.rua ?? [];
          expect(rua.some((r) => r.supported && (r.scheme === 'mailto' || r.scheme === 'https'))).toBe(true);
          for (const r of rua) expect(r.uri).toMatch(/^[A-Za-z][A-Za-z0-9+.-]*:[^\s!;,]*$/);
        } else {
          rejected++;
          expect(result.findings.some((f) => f.severity === 'fail')).toBe(true);
        }
      }),
      { seed: 8460, numRuns: 3000 },
    );
    expect(accepted).toBeGreaterThan(100);
    expect(rejected).toBeGreaterThan(100);
  });
});
