import { gzipSync } from 'node:zlib';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseTlsrptReport } from '../../../core/tlsrpt-report/parse.ts';
import { MAX_INPUT_BYTES } from '../../../core/tlsrpt-report/decode.ts';
import { TlsrptReportSchema } from '../../../core/tlsrpt-report/schema.ts';

// why: the mutation rows and the property test poke arbitrary members of parsed JSON.
type Json = any;

const DIR = join(import.meta.dirname, '../../fixtures/tlsrpt');
const file = (name: string) => new Uint8Array(readFileSync(join(DIR, name)));
const enc = (o: unknown) => new TextEncoder().encode(typeof o === 'string' ? o : JSON.stringify(o));
const named = (prefix: string) => readdirSync(DIR).find((f) => f.startsWith(prefix))!;

const APPENDIX_B = named('company-x.example!');
const GOOGLE = named('google.com!');
const MICROSOFT = named('microsoft.com!');
const NEXT_DAY = named('mail.reporter.example!');
const SYS4 = named('mta.sys4.example!');
const DANE = named('dane.sender.example!');

async function ok(bytes: Uint8Array, name?: string) {
  const r = await parseTlsrptReport(bytes, name);
  if (!r.ok) throw new Error(r.message);
  return r;
}

describe('parseTlsrptReport: reports shaped like real senders\' (RFC 8460 §4.4, CHECKLIST A17/A18)', () => {
  it.each([
    ['RFC 8460 Appendix B: the RFC example (mx-host as a string, 23:59:59Z end)', APPENDIX_B, ['mx-host sent as a string', 'end-datetime at 23:59:59Z', 'receiving-ip missing']],
    ['RFC 8460 §4.4: a Google-shaped report with "sending-mta-ip": ""', GOOGLE, ['sending-mta-ip empty or null', 'end-datetime at 23:59:59Z']],
    ['RFC 8460 §4.4: a Microsoft-shaped report without mx-host, sending-mta-ip or receiving-mx-hostname', MICROSOFT, ['mx-host missing for an sts policy', 'sending-mta-ip missing', 'receiving-mx-hostname missing']],
    ['RFC 8460 §4.1: a report ending at the next day 00:00:00Z with "contact-info": null', NEXT_DAY, ['"contact-info" null or empty']],
    ['RFC 8460 §4.4: no-policy-found without policy-domain and counts as strings (CHECKLIST A18)', SYS4, ['no-policy-found entry without policy-domain', 'session counts sent as strings', 'no-policy-found entry without policy-string']],
    ['RFC 8460 §4.5: a tlsa policy report', DANE, []],
  ])('%s', async (_name, fixture, expected) => {
    const r = await ok(file(fixture), fixture);
    for (const d of expected) expect(r.deviations.some((x) => x.startsWith(d)), `${d} in ${r.deviations.join(' | ')}`).toBe(true);
    if (expected.length === 0) expect(r.deviations).toEqual([]);
    expect(TlsrptReportSchema.safeParse(r.report).success).toBe(true);
    expect(r.filename?.notes ?? []).toEqual([]);
  });

  it('RFC 8460 §4.4: deviations name where they occurred', async () => {
    const r = await ok(file(MICROSOFT));
    expect(r.deviations.find((d) => d.startsWith('sending-mta-ip missing'))).toMatch(/\[2×\] \(at policies\[0\]\.failure-details\[0\], policies\[0\]\.failure-details\[1\]\)/);
  });

  it('RFC 8460 §4.4: normalised values: counts become integers, mx-host an array, null contact-info dropped', async () => {
    const sys4 = await ok(file(SYS4));
    expect(sys4.report.policies[0]?.summary['total-successful-session-count']).toBe(41);
    expect(sys4.report.policies[0]?.policy['policy-domain']).toBeUndefined();
    const b = await ok(file(APPENDIX_B));
    expect(b.report.policies[0]?.policy['mx-host']).toEqual(['*.mail.company-y.example']);
    const nd = await ok(file(NEXT_DAY));
    expect(nd.report['contact-info']).toBeUndefined();
    expect(nd.deviations.some((d) => d.includes('not one full UTC day'))).toBe(false);
  });

  it.each([
    ['plain JSON', (b: Uint8Array) => b, false],
    ['gzip (RFC 8460 §5.2, magic 1f 8b)', (b: Uint8Array) => new Uint8Array(gzipSync(b)), true],
  ])('RFC 8460 §5.2: reads %s', async (_n, wrap, gz) => {
    const r = await ok(wrap(file(GOOGLE)));
    expect(r.gzipped).toBe(gz);
    expect(r.report['organization-name']).toBe('Google Inc.');
  });

  it('RFC 8460 §4.4: a UTF-8 BOM is tolerated and named', async () => {
    const r = await ok(new Uint8Array([0xef, 0xbb, 0xbf, ...file(GOOGLE)]));
    expect(r.deviations.some((d) => d.includes('byte-order mark'))).toBe(true);
  });

  it.each([
    ['policies as one object (RFC 8460 §4: MUST be an array)', (o: Json) => ({ ...o, policies: o.policies[0] }), 'policies sent as one object'],
    ['policy-string as one string (RFC 8460 §4 prose)', (o: Json) => { o.policies[0].policy['policy-string'] = 'version: STSv1\nmode: enforce'; return o; }, 'policy-string sent as one string'],
    ['an unregistered result type (RFC 8460 §4.3: later registrations)', (o: Json) => { o.policies[0]['failure-details'][0]['result-type'] = 'tls-downgrade'; return o; }, 'result-type "tls-downgrade" is not in the RFC 8460 §4.3 registry'],
    ['failure counts that do not add up', (o: Json) => { o.policies[0].summary['total-failure-session-count'] = 99; return o; }, 'the failed-session-count values do not add up'],
    ['a 12-hour range (RFC 8460 §4.1: SHOULD be a full UTC day)', (o: Json) => { o['date-range']['end-datetime'] = '2024-05-01T12:00:00Z'; return o; }, 'the date range is not one full UTC day'],
    ['a date-time without a zone (RFC 3339 §5.6)', (o: Json) => { o['date-range']['start-datetime'] = '2024-05-01T00:00:00'; return o; }, 'date-time without a time zone'],
    ['"STS" in upper case', (o: Json) => { o.policies[0].policy['policy-type'] = 'STS'; return o; }, 'policy-type "STS" in another case'],
    ['a U-label policy-domain (RFC 8460 §4.4: MUST be A-labels)', (o: Json) => { o.policies[0].policy['policy-domain'] = 'bücher.example'; return o; }, 'a domain in U-label'],
  ])('RFC 8460 §4.4: tolerates %s and names it', async (_n, mutate, deviation) => {
    const base = JSON.parse(new TextDecoder().decode(file(GOOGLE)));
    const r = await ok(enc(mutate(base)));
    expect(r.deviations.some((d) => d.startsWith(deviation)), r.deviations.join(' | ')).toBe(true);
  });
});

describe('parseTlsrptReport: refusals are messages, never exceptions', () => {
  const bomb = () => new Uint8Array(gzipSync(Buffer.alloc(12 * 1024 * 1024, 0x20)));
  it.each([
    ['RFC 8460 §4.4: wrong types (unknown policy-type, count "many", negative count)', () => file('wrong-types.json'), /policies\[0\]\.policy\.policy-type.*total-successful-session-count.*total-failure-session-count/s],
    ['RFC 8259: truncated JSON', () => file('truncated.json'), /not valid JSON/],
    ['RFC 8460 §4: an XML file (a DMARC report)', () => file('dmarc-aggregate.xml.json'), /looks like HTML or XML/],
    ['RFC 8460 §4.4: a JSON array', () => enc('[1,2]'), /not an object/],
    ['RFC 8460 §4.4: JSON null', () => enc('null'), /not an object/],
    ['an empty file', () => new Uint8Array(0), /empty/],
    ['RFC 8460 §5.2: a file over the input bound', () => new Uint8Array(MAX_INPUT_BYTES + 1), /more than the/],
    ['RFC 8460 §5.2: a gzip bomb (12 MiB of spaces in a few KiB)', bomb, /inflates to more than 10 MiB.*decompression bomb/],
    ['RFC 1952: truncated gzip', () => new Uint8Array(gzipSync(file(GOOGLE))).subarray(0, 40), /not valid gzip/],
    ['RFC 1952: gzip magic followed by garbage', () => new Uint8Array([0x1f, 0x8b, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), /not valid gzip/],
    ['RFC 8460 §4: invalid UTF-8 (I-JSON)', () => new Uint8Array([0x7b, 0x22, 0xff, 0x22, 0x7d]), /not valid UTF-8/],
    ['RFC 8460 §4.4: end-datetime before start-datetime', () => enc({ ...JSON.parse(new TextDecoder().decode(file(GOOGLE))), 'date-range': { 'start-datetime': '2024-05-02T00:00:00Z', 'end-datetime': '2024-05-01T00:00:00Z' } }), /end-datetime is before start-datetime/],
    ['RFC 8460 §4.4: organization-name missing', () => { const o = JSON.parse(new TextDecoder().decode(file(GOOGLE))); delete o['organization-name']; return enc(o); }, /organization-name/],
  ])('%s', async (_n, bytes, message) => {
    const r = await parseTlsrptReport(bytes());
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toMatch(message);
  });

  it('arbitrary bytes never throw (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (bytes) => {
        const r = await parseTlsrptReport(bytes);
        expect(typeof r.ok).toBe('boolean');
      }),
      { numRuns: 300 },
    );
  });

  it('arbitrary JSON values, at the top and in place of any report member, never throw (property)', async () => {
    const base = JSON.parse(new TextDecoder().decode(file(MICROSOFT)));
    const paths: (string | number)[][] = [
      ['policies'], ['date-range'], ['contact-info'], ['report-id'], ['policies', 0, 'policy'], ['policies', 0, 'summary'],
      ['policies', 0, 'failure-details'], ['policies', 0, 'failure-details', 0], ['policies', 0, 'policy', 'mx-host'],
      ['policies', 0, 'failure-details', 0, 'failed-session-count'], ['policies', 0, 'policy', 'policy-string'],
    ];
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), fc.nat(paths.length), async (value, which) => {
        let doc: unknown = value;
        if (which < paths.length) {
          doc = structuredClone(base);
          const path = paths[which]!;
          let at: Json = doc;
          for (const k of path.slice(0, -1)) at = at[k];
          at[path[path.length - 1]!] = value;
        }
        const r = await parseTlsrptReport(enc(JSON.stringify(doc) ?? 'null'));
        if (r.ok) expect(TlsrptReportSchema.safeParse(r.report).success).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
});

describe('RFC 8460 §5.1 file names (info)', () => {
  it.each([
    ['a .json.gz name on plain JSON', 'google.com!example.com!1714521600!1714607999.json.gz', false, /not gzip/],
    ['a .json name on gzip content', 'google.com!example.com!1714521600!1714607999.json', true, /content is gzip/],
    ['another extension (MUST be json or json.gz)', 'report.txt', false, /does not end in \.json or \.json\.gz/],
    ['a name without the sender!domain!begin!end form', 'tlsrpt-report.json', false, /RECOMMENDED form/],
    ['a policy domain the body does not mention (§5.6: the body wins)', 'google.com!example.org!1714521600!1714607999.json', false, /the report body wins/],
    ['timestamps that differ from the date range (§5.6)', 'google.com!example.com!1714000000!1714607999.json', false, /begin timestamp 1714000000 differs/],
    ['a sender that is not the contact-info domain', 'mail.other.example!example.com!1714521600!1714607999.json', false, /not the domain of contact-info/],
  ])('RFC 8460 §5.1: notes %s', async (_n, name, gz, note) => {
    const bytes = gz ? new Uint8Array(gzipSync(file(GOOGLE))) : file(GOOGLE);
    const r = await ok(bytes, name);
    expect(r.filename?.notes.some((n) => note.test(n)), r.filename?.notes.join(' | ')).toBe(true);
  });

  it('RFC 8460 §5.1: parses the parts of a conforming name', async () => {
    const r = await ok(file(GOOGLE), `/downloads/${GOOGLE}`);
    expect(r.filename).toMatchObject({ sender: 'google.com', policyDomain: 'example.com', begin: 1714521600, end: 1714607999, uniqueId: '001', extension: 'json', notes: [] });
  });
});
