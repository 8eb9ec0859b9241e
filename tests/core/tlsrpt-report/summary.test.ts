import { gzipSync } from 'node:zlib';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTlsrptReport } from '../../../core/tlsrpt-report/parse.ts';
import { describeResultType } from '../../../core/tlsrpt-report/result-types.ts';
import { summarizeReports } from '../../../core/tlsrpt-report/summary.ts';
import type { TlsrptReport } from '../../../core/tlsrpt-report/schema.ts';

const DIR = join(import.meta.dirname, '../../fixtures/tlsrpt');
const named = (prefix: string) => readdirSync(DIR).find((f) => f.startsWith(prefix))!;

async function load(prefix: string, gzip = false): Promise<TlsrptReport> {
  const bytes = new Uint8Array(readFileSync(join(DIR, named(prefix))));
  const r = await parseTlsrptReport(gzip ? new Uint8Array(gzipSync(bytes)) : bytes);
  if (!r.ok) throw new Error(r.message);
  return r.report;
}

describe('summarizeReports (RFC 8460 §4.1: one view per policy domain and UTC day)', () => {
  it('RFC 8460 §4.2: sums reports from several organisations for the same domain and day', async () => {
    const s = summarizeReports([await load('google.com!', true), await load('microsoft.com!'), await load('mail.reporter.example!')]);
    expect(s.reports).toBe(3);
    expect(s.days).toHaveLength(1);
    const d = s.days[0]!;
    expect(d).toMatchObject({ policyDomain: 'example.com', day: '2024-05-01', successful: 1432 + 310 + 20, failed: 7 + 12 });
    expect(d.organizations).toEqual(['Google Inc.', 'Microsoft Corporation', 'Reporter Example GmbH']);
    expect(d.start).toBe('2024-05-01T00:00:00Z');
    expect(d.end).toBe('2024-05-02T00:00:00Z');
    expect(d.policies.map((p) => [p.policyType, p.successful, p.failed])).toEqual([
      ['sts', 1742, 19],
      ['no-policy-found', 20, 0],
    ]);
    const sts = d.policies[0]!;
    expect(sts.failures.map((f) => [f.resultType, f.count, f.checkId])).toEqual([
      ['certificate-host-mismatch', 10, 'starttls'],
      ['certificate-expired', 7, 'starttls'],
      ['sts-policy-fetch-error', 2, 'policy-fetch'],
    ]);
    expect(sts.mxHosts).toEqual(['mx1.example.com', 'mx2.example.com']);
    expect(sts.policyStrings).toHaveLength(1);
    expect(d.receivingMxHosts).toEqual(['mx2.example.com']);
    // Google sent "sending-mta-ip": "" and Microsoft none: no empty strings in the lists.
    expect(d.sendingIps).toEqual([]);
  });

  it('RFC 8460 §4.1: reports for different days and domains stay apart, sorted by domain then day', async () => {
    const s = summarizeReports([await load('mta.sys4.example!'), await load('company-x.example!'), await load('google.com!'), await load('dane.sender.example!')]);
    expect(s.days.map((d) => `${d.policyDomain} ${d.day}`)).toEqual(['(unknown) 2024-05-02', 'company-y.example 2016-04-01', 'example.com 2024-05-01', 'example.net 2024-05-01']);
    expect(s.successful).toBe(41 + 5326 + 1432 + 90);
    expect(s.failed).toBe(0 + 303 + 7 + 14);
  });

  it('RFC 8460 §4.4: the same organisation and report-id twice is counted once', async () => {
    const g = await load('google.com!');
    const s = summarizeReports([g, g]);
    expect(s.reports).toBe(1);
    expect(s.duplicates).toBe(1);
    expect(s.days[0]?.successful).toBe(1432);
  });

  it('RFC 8460 Appendix B: failure details keep hosts, IPs and reason codes per result type', async () => {
    const s = summarizeReports([await load('company-x.example!')]);
    const f = s.days[0]!.policies[0]!.failures;
    expect(f.map((x) => x.resultType)).toEqual(['starttls-not-supported', 'certificate-expired', 'validation-failure']);
    expect(f[0]).toMatchObject({ count: 200, receivingMxHosts: ['mx2.mail.company-y.example'], receivingIps: ['203.0.113.56'], sendingIps: ['2001:db8:abcd:0013::1'], known: true });
    expect(f[2]?.reasonCodes).toEqual(['X509_V_ERR_PROXY_PATH_LENGTH_EXCEEDED']);
    expect(f[2]?.meaning).toMatch(/failure-reason-code/);
  });

  it('RFC 8460 §4.3.2.1: under a tlsa policy, certificate failures point at the dane check', async () => {
    const s = summarizeReports([await load('dane.sender.example!')]);
    expect(s.days[0]!.policies[0]!.failures.map((f) => [f.resultType, f.checkId])).toEqual([
      ['tlsa-invalid', 'dane'],
      ['certificate-expired', 'dane'],
    ]);
  });

  it('an empty list gives an empty summary', () => {
    expect(summarizeReports([])).toEqual({ reports: 0, duplicates: 0, successful: 0, failed: 0, days: [] });
  });
});

describe('describeResultType (RFC 8460 §4.3)', () => {
  it.each([
    ['starttls-not-supported', 'sts', 'starttls', '4.3.1'],
    ['certificate-host-mismatch', 'sts', 'starttls', '4.3.1'],
    ['certificate-expired', 'sts', 'starttls', '4.3.1'],
    ['certificate-not-trusted', 'sts', 'starttls', '4.3.1'],
    ['validation-failure', 'sts', 'starttls', '4.3.3'],
    ['sts-policy-fetch-error', 'sts', 'policy-fetch', '4.3.2.2'],
    ['sts-policy-invalid', 'sts', 'policy-syntax', '4.3.2.2'],
    ['sts-webpki-invalid', 'sts', 'policy-fetch', '4.3.2.2'],
    ['tlsa-invalid', 'tlsa', 'dane', '4.3.2.1'],
    ['dnssec-invalid', 'tlsa', 'dane', '4.3.2.1'],
    ['dane-required', 'no-policy-found', 'dane', '4.3.2.1'],
    ['certificate-expired', 'tlsa', 'dane', '4.3.1'],
    ['starttls-not-supported', 'tlsa', 'starttls', '4.3.1'],
  ] as const)('RFC 8460 §4.3: %s under a %s policy → the %s check (§%s)', (type, policy, check, section) => {
    const info = describeResultType(type, policy);
    expect(info).toMatchObject({ checkId: check, section, known: true });
    expect(info.meaning.length).toBeGreaterThan(20);
  });

  it('RFC 8460 §4.3: an unregistered type is described as such', () => {
    expect(describeResultType('quantum-failure', 'sts')).toMatchObject({ known: false, checkId: 'starttls' });
  });
});

describe('policy domain from the RFC 8460 §5.1 file name when the body names none (ambiguity A18)', () => {
  const SYS4 = named('mta.sys4.example!');
  const sys4Bytes = () => new Uint8Array(readFileSync(join(DIR, SYS4)));
  const sys4Json = () => JSON.parse(new TextDecoder().decode(sys4Bytes())) as Record<string, unknown>;
  const enc = (o: unknown) => new TextEncoder().encode(JSON.stringify(o));
  const npf = { policy: { 'policy-type': 'no-policy-found' }, summary: { 'total-successful-session-count': 41, 'total-failure-session-count': 0 } };
  const sts = { policy: { 'policy-type': 'sts', 'policy-domain': 'example.net', 'policy-string': ['version: STSv1'], 'mx-host': ['mx.example.net'] }, summary: { 'total-successful-session-count': 9, 'total-failure-session-count': 0 } };
  const FROM_NAME = /^policy-domain taken from the file name \(/;

  it.each([
    ['the sys4 fixture under its own name', sys4Bytes(), SYS4, ['example.org'], 'example.org'],
    ['no file name (standard input)', sys4Bytes(), undefined, ['(unknown)'], undefined],
    ['a name not in the §5.1 form', sys4Bytes(), 'tlsrpt-report.json', ['(unknown)'], undefined],
    ['a name with only two !-parts', sys4Bytes(), 'mta.sys4.example!example.org.json', ['(unknown)'], undefined],
    ['a name with unique-id, .json.gz on gzip, upper case and a trailing dot', new Uint8Array(gzipSync(sys4Bytes())), 'mta.sys4.example!Example.ORG.!1714608000!1714694400!abc123.json.gz', ['example.org'], 'Example.ORG.'],
    ['a name inside a POSIX path', sys4Bytes(), `/var/reports/${SYS4}`, ['example.org'], 'example.org'],
    ['a name inside a Windows path', sys4Bytes(), `C:\\reports\\${SYS4}`, ['example.org'], 'example.org'],
    ['"policy-domain": "" in the body (dropped)', enc({ ...sys4Json(), policies: [{ ...npf, policy: { ...npf.policy, 'policy-domain': '' } }] }), SYS4, ['example.org'], 'example.org'],
    ['two entries, neither with a domain', enc({ ...sys4Json(), policies: [npf, npf] }), SYS4, ['example.org'], 'example.org'],
    ['another entry of the body names the domain (§5.6: the body wins)', enc({ ...sys4Json(), policies: [sts, npf] }), SYS4, ['example.net'], undefined],
  ] as const)('RFC 8460 §5.1: %s → summarised under %j', async (_n, bytes, name, days, fromName) => {
    const r = await parseTlsrptReport(bytes, name);
    if (!r.ok) throw new Error(r.message);
    expect(r.policyDomainFromFilename).toBe(fromName);
    const note = r.deviations.find((d) => FROM_NAME.test(d));
    if (fromName) expect(note).toContain(`(${fromName})`);
    else expect(note).toBeUndefined();
    const s = summarizeReports([r.report]);
    expect(s.days.map((d) => d.policyDomain)).toEqual(days);
    expect(s.successful).toBe(r.report.policies.reduce((n, p) => n + p.summary['total-successful-session-count'], 0));
  });

  it('RFC 8460 §5.6: the filled-in domain does not raise the name/body mismatch note', async () => {
    const r = await parseTlsrptReport(sys4Bytes(), SYS4);
    if (!r.ok) throw new Error(r.message);
    expect(r.filename?.notes).toEqual([]);
    expect(r.report.policies[0]?.policy['policy-domain']).toBe('example.org');
  });

  it('RFC 8460 §5.1: a sys4 report and a report from the body for the same domain and day sum together', async () => {
    const other = enc({ ...sys4Json(), 'organization-name': 'Other', 'report-id': 'x1', policies: [{ ...sts, policy: { ...sts.policy, 'policy-domain': 'EXAMPLE.org' } }] });
    const a = await parseTlsrptReport(sys4Bytes(), SYS4);
    const b = await parseTlsrptReport(other, 'other.example!example.org!1714608000!1714694400.json');
    if (!a.ok || !b.ok) throw new Error('unreadable');
    const s = summarizeReports([a.report, b.report]);
    expect(s.days.map((d) => [d.policyDomain, d.day, d.successful, d.organizations])).toEqual([['example.org', '2024-05-02', 50, ['sys4 TLSRPT test', 'Other']]]);
  });
});
