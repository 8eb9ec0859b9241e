// `report <file...>`: TLSRPT aggregate reports (RFC 8460 §4) from the fixtures, plain and gzip
// (made here with node:zlib), summed; unusable files exit 2 and are named on stderr.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { cli } from './run-cli.ts';

const FIX = join(import.meta.dirname, '../../fixtures/tlsrpt');
const GOOGLE = join(FIX, 'google.com!example.com!1714521600!1714607999!001.json');
const MICROSOFT = join(FIX, 'microsoft.com!example.com!1714521600!1714607999!133590000000000000.json');
const CLEAN = join(FIX, 'mail.reporter.example!example.com!1714521600!1714608000.json');
const DANE = join(FIX, 'dane.sender.example!example.net!1714521600!1714608000.json');
const RFC_EXAMPLE = join(FIX, 'company-x.example!company-y.example!1459468800!1459555199.json');
const SYS4 = join(FIX, 'mta.sys4.example!example.org!1714608000!1714694400.json');
const ALL = [RFC_EXAMPLE, DANE, GOOGLE, CLEAN, MICROSOFT, SYS4];

const dir = mkdtempSync(join(tmpdir(), 'mta-sts-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function file(name: string, content: string | Uint8Array): string {
  const p = join(dir, name);
  writeFileSync(p, content);
  return p;
}

const FileOutcomeSchema = z
  .object({
    file: z.string(),
    ok: z.boolean(),
    deviations: z.array(z.string()),
    message: z.string().optional(),
    organization: z.string().optional(),
    reportId: z.string().optional(),
    gzipped: z.boolean().optional(),
    nameNotes: z.array(z.string()).optional(),
  })
  .strict();
const FailureSchema = z.object({ resultType: z.string(), count: z.number(), checkId: z.string(), known: z.boolean(), receivingMxHosts: z.array(z.string()), sendingIps: z.array(z.string()) });
const ReportJsonSchema = z
  .object({
    reports: z.array(FileOutcomeSchema),
    summary: z.object({
      reports: z.number(),
      duplicates: z.number(),
      successful: z.number(),
      failed: z.number(),
      days: z.array(
        z.object({
          policyDomain: z.string(),
          day: z.string(),
          organizations: z.array(z.string()),
          successful: z.number(),
          failed: z.number(),
          policies: z.array(z.object({ policyType: z.enum(['sts', 'tlsa', 'no-policy-found']), successful: z.number(), failed: z.number(), failures: z.array(FailureSchema) })),
        }),
      ),
    }),
  })
  .strict();

async function reportJson(files: string[], stdin?: Uint8Array) {
  const r = await cli(['report', ...files, '--json'], stdin ? { stdin } : {});
  return { code: r.code, stderr: r.stderr, json: ReportJsonSchema.parse(JSON.parse(r.stdout)) };
}

describe('report --json', () => {
  it('RFC 8460 §4.4: sums every fixture, per policy domain and UTC day, and exits 1 for failed sessions', async () => {
    const { code, stderr, json } = await reportJson(ALL);
    expect({ code, stderr }).toEqual({ code: 1, stderr: '' });
    expect(json.reports.map((f) => [f.ok, f.organization])).toEqual([
      [true, 'Company-X'],
      [true, 'DANE Sender Example'],
      [true, 'Google Inc.'],
      [true, 'Reporter Example GmbH'],
      [true, 'Microsoft Corporation'],
      [true, 'sys4 TLSRPT test'],
    ]);
    // 5326+90+1432+20+310+41 successful, 303+14+7+0+12+0 failed.
    expect({ reports: json.summary.reports, successful: json.summary.successful, failed: json.summary.failed }).toEqual({ reports: 6, successful: 7219, failed: 336 });
    const exampleCom = json.summary.days.find((d) => d.policyDomain === 'example.com');
    expect(exampleCom).toMatchObject({ day: '2024-05-01', successful: 1762, failed: 19 });
    expect(exampleCom?.organizations).toEqual(['Google Inc.', 'Reporter Example GmbH', 'Microsoft Corporation']);
    const sts = exampleCom?.policies.find((p) => p.policyType === 'sts');
    expect(sts?.failures.map((f) => [f.resultType, f.count, f.checkId])).toEqual([
      ['certificate-host-mismatch', 10, 'starttls'],
      ['certificate-expired', 7, 'starttls'],
      ['sts-policy-fetch-error', 2, 'policy-fetch'],
    ]);
  });

  it('RFC 8460 §4.4: the tolerated deviations are listed per file (session counts sent as strings)', async () => {
    const { code, json } = await reportJson([SYS4]);
    expect(code).toBe(0);
    expect(json.reports[0]?.deviations.some((d) => d.includes('session counts sent as strings'))).toBe(true);
  });

  it('RFC 8460 §5.2: a gzip copy is read like the plain file, and the same report twice counts once', async () => {
    const gz = file('google.com!example.com!1714521600!1714607999!001.json.gz', gzipSync(readFileSync(GOOGLE)));
    const { code, json } = await reportJson([GOOGLE, gz]);
    expect(code).toBe(1);
    expect(json.reports.map((f) => [f.ok, f.gzipped, f.nameNotes])).toEqual([
      [true, false, undefined],
      [true, true, undefined],
    ]);
    expect({ reports: json.summary.reports, duplicates: json.summary.duplicates, failed: json.summary.failed }).toEqual({ reports: 1, duplicates: 1, failed: 7 });
  });

  it('RFC 8460 §5.2: gzip on standard input (-)', async () => {
    const { code, json } = await reportJson(['-'], gzipSync(readFileSync(CLEAN)));
    expect(code).toBe(0);
    expect(json.reports).toEqual([expect.objectContaining({ file: '-', ok: true, gzipped: true })]);
    expect(json.summary.successful).toBe(20);
  });

  it('RFC 8460 §5.1: a file name not in the recommended form is noted, not refused', async () => {
    const p = file('report.json', readFileSync(CLEAN));
    const { code, json } = await reportJson([p]);
    expect(code).toBe(0);
    expect(json.reports[0]?.nameNotes?.join(' ')).toContain('RFC 8460 §5.1');
  });

  it('a file that cannot be used does not stop the others: they are summed, and the exit status is 2', async () => {
    const { code, stderr, json } = await reportJson([join(FIX, 'truncated.json'), CLEAN]);
    expect(code).toBe(2);
    expect(json.reports.map((f) => f.ok)).toEqual([false, true]);
    expect(json.reports[0]?.message).toContain('not valid JSON');
    expect(json.summary.successful).toBe(20);
    expect(stderr).toContain('truncated.json: The file is not valid JSON');
  });
});

describe('report: unusable files exit 2 with a message on stderr naming the file', () => {
  const bigPlain = () => {
    const p = file('big.json', '');
    truncateSync(p, 10 * 1024 * 1024 + 1); // sparse: no 10 MiB write
    return p;
  };
  const bomb = () => file('bomb.json.gz', gzipSync(Buffer.alloc(11 * 1024 * 1024, 0x20)));
  it.each<[string, () => string, string]>([
    ['a truncated JSON file', () => join(FIX, 'truncated.json'), 'not valid JSON'],
    ['RFC 8460 §4.4: wrong member types', () => join(FIX, 'wrong-types.json'), 'Not a TLSRPT aggregate report as RFC 8460 §4.4 defines it'],
    ['a DMARC aggregate report (XML)', () => join(FIX, 'dmarc-aggregate.xml.json'), 'DMARC aggregate report is XML'],
    ['an empty file', () => file('empty.json', ''), 'The file is empty'],
    ['a file that does not exist', () => join(dir, 'missing.json'), 'cannot read the file: ENOENT'],
    ['a folder', () => dir, 'cannot read the file: EISDIR'],
    ['RFC 8460 §5.2: a file over 10 MiB', bigPlain, 'larger than 10 MiB: refused'],
    ['RFC 8460 §5.2: a gzip bomb (11 MiB of spaces)', bomb, 'decompression bomb'],
    ['RFC 1952: gzip magic on a broken stream', () => file('broken.json.gz', new Uint8Array([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff])), 'not valid gzip'],
  ])('%s', async (_name, make, message) => {
    const p = make();
    const r = await cli(['report', p]);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 2, stderr: expect.stringContaining(`mta-sts-inspector report: ${p}: `) });
    expect(r.stderr).toContain(message);
    expect(r.stdout).toContain('No report could be summed.');
  });
});

describe('report for people', () => {
  it('prints organisations, period, per domain and day the sessions, failure meanings and the check to run', async () => {
    const r = await cli(['report', GOOGLE, MICROSOFT, CLEAN, DANE]);
    expect(r.code).toBe(1);
    const out = r.stdout;
    expect(out).toContain('TLSRPT reports (RFC 8460): 4 read');
    expect(out).toContain('Reported by: Google Inc., Microsoft Corporation, Reporter Example GmbH, DANE Sender Example');
    expect(out).toContain('Period: 2024-05-01T00:00:00Z to 2024-05-02T00:00:00Z');
    expect(out).toContain('example.com, 2024-05-01 (UTC): ✗ FAIL  1762 successful, 19 failed sessions');
    expect(out).toContain('MTA-STS (sts): 1742 successful, 19 failed');
    expect(out).toContain('7 × certificate-expired (RFC 8460 §4.3.1): The MX host presented an expired certificate.');
    expect(out).toContain('receiving MX mx2.example.com; receiving IP 192.0.2.20');
    expect(out).toContain('run: mta-sts-inspector check example.com  (see its starttls check, "STARTTLS on every MX host")');
    expect(out).toContain('run: mta-sts-inspector check example.com  (see its policy-fetch check');
    // Under a tlsa policy, a certificate failure is a DANE matter (RFC 8460 §4.3.2.1).
    expect(out).toContain('DANE (tlsa): 90 successful, 14 failed');
    expect(out).toContain('run: mta-sts-inspector check example.net  (see its dane check');
    expect(out).toContain('Tolerated deviations from RFC 8460');
    expect(out).toContain('sending-mta-ip empty or null');
    expect(out).not.toContain('\x1b[');
  });

  it('exits 0 when every report shows only successful sessions', async () => {
    const r = await cli(['report', CLEAN]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('example.com, 2024-05-01 (UTC): ✓ pass  20 successful, 0 failed sessions');
  });

  it('escapes terminal control sequences and bidi overrides from the report instead of printing them', async () => {
    const hostile = JSON.parse(readFileSync(GOOGLE, 'utf8')) as Record<string, unknown>;
    hostile['organization-name'] = 'Evil\u001b[2J\u001b]0;owned\u0007 Corp\u202e';
    const p = file('hostile.json', JSON.stringify(hostile));
    const r = await cli(['report', p], { isTTY: true, env: { NO_COLOR: '1' } });
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('Evil\\u001b[2J\\u001b]0;owned\\u0007 Corp\\u202e');
    expect(r.stdout).not.toMatch(/[\u001b\u0007\u202e]/);
  });

  it('colours on a terminal without NO_COLOR', async () => {
    const r = await cli(['report', GOOGLE], { isTTY: true });
    expect(r.stdout).toContain('\x1b[31m7 failed\x1b[39m');
  });

  it('reads a report copied to a file with another name the same way', async () => {
    const p = join(dir, 'copy.json');
    copyFileSync(DANE, p);
    const r = await cli(['report', p, '--json']);
    expect(ReportJsonSchema.parse(JSON.parse(r.stdout)).summary.days[0]?.policies[0]?.policyType).toBe('tlsa');
  });
});
