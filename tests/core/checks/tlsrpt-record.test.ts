import { describe, expect, it } from 'vitest';
import { checkTlsrptRecord, tlsrptDeployed, tlsrptDiscardReason } from '../../../core/checks/tlsrpt-record.ts';
import { TlsrptRecordEvidenceSchema } from '../../../core/checks/evidence.ts';
import { dns } from './fixtures.ts';

const D = 'example.com';
const N = `_smtp._tls.${D}`;
const run = (txt: ReturnType<typeof dns.txt>) => checkTlsrptRecord({ domain: D, txt });

describe('tlsrpt-record check', () => {
  it.each([
    { name: 'RFC 8460 §3: one valid record with a mailto rua passes', txt: dns.txt(N, ['v=TLSRPTv1; rua=mailto:tls@example.com'], { ad: true }), status: 'pass', has: [] as string[] },
    { name: 'RFC 8460 §3: an https rua passes', txt: dns.txt(N, ['v=TLSRPTv1; rua=https://reports.example.com/tlsrpt'], { ad: true }), status: 'pass', has: [] },
    { name: 'RFC 8460 §3 (RPT-TXT-01): no record warns (TLSRPT is optional)', txt: dns.status(N, 'TXT', 'nxdomain', { ad: true }), status: 'warn', has: ['tlsrpt-record.not-deployed'] },
    { name: 'RFC 8460 §3 (RPT-TXT-01): two records are capped at warn', txt: dns.txt(N, ['v=TLSRPTv1; rua=mailto:a@example.com', 'v=TLSRPTv1; rua=mailto:b@example.com'], { ad: true }), status: 'warn', has: ['tlsrpt-record.multiple-records'] },
    { name: 'RFC 8460 §3 (RPT-TXT-05): a missing rua is capped at warn', txt: dns.txt(N, ['v=TLSRPTv1;'], { ad: true }), status: 'warn', has: [] },
    { name: 'RFC 8460 §3 (RPT-RUA-01): an unsupported scheme only is capped at warn', txt: dns.txt(N, ['v=TLSRPTv1; rua=ftp://example.com/x'], { ad: true }), status: 'warn', has: [] },
    { name: 'RFC 8460 §3 (RPT-TXT-03): a lower-case tag is discarded and explained', txt: dns.txt(N, ['v=tlsrptv1; rua=mailto:a@example.com'], { ad: true }), status: 'warn', has: ['tlsrpt-record.discarded-record'] },
    { name: 'RFC 8460 §3 (RPT-TXT-02): split strings are joined and noted', txt: dns.txt(N, [['v=TLSRPTv1; ', 'rua=mailto:a@example.com']], { ad: true }), status: 'pass', has: ['tlsrpt-record.split-strings'] },
    { name: 'RFC 8460 §7 (RPT-TXT-07): short TTL in an unsigned zone is noted', txt: dns.txt(N, ['v=TLSRPTv1; rua=mailto:a@example.com'], { ttl: 300 }), status: 'warn', has: ['tlsrpt-record.short-ttl', 'tlsrpt-record.dnssec-not-validated'] },
    { name: 'RFC 8914 (DNS-02): SERVFAIL with EDE bogus is capped at warn', txt: dns.status(N, 'TXT', 'servfail', { ede: [{ code: 9 }] }), status: 'warn', has: ['tlsrpt-record.dnssec-bogus'] },
    { name: 'RFC 8484 (DNS-03): a resolver error is error', txt: dns.status(N, 'TXT', 'error'), status: 'error', has: ['tlsrpt-record.lookup-failed'] },
  ])('$name', ({ txt, status, has }) => {
    const r = run(txt);
    expect(r.status).toBe(status);
    expect(r.findings.map((f) => f.id)).toEqual(expect.arrayContaining(has));
    expect(TlsrptRecordEvidenceSchema.safeParse(r.evidence).success).toBe(true);
  });

  it.each([
    dns.txt(N, ['v=TLSRPTv1;'], { ad: true }),
    dns.txt(N, ['v=TLSRPTv1; rua=ftp://x'], { ad: true }),
    dns.txt(N, ['v=TLSRPTv1; rua=mailto:a@x', 'v=TLSRPTv1; rua=mailto:b@x'], { ad: true }),
    dns.status(N, 'TXT', 'servfail', { ede: [{ code: 6 }] }),
  ])('RFC 8460 §3 (DESIGN rule): no tlsrpt-record finding is above warn (%#)', (txt) => {
    expect(run(txt).findings.every((f) => f.severity !== 'fail')).toBe(true);
  });

  it('RFC 8460 §3: the fix is the exact record to publish', () => {
    expect(run(dns.status(N, 'TXT', 'nodata', { ad: true })).findings.find((f) => f.id === 'tlsrpt-record.not-deployed')?.fix).toBe(
      '_smtp._tls.example.com. IN TXT "v=TLSRPTv1; rua=mailto:tlsrpt@example.com"',
    );
  });

  it('RFC 8460 §3 (RPT-TXT-03): a discarded look-alike alone is the one finding, not also "not deployed"', () => {
    const r = run(dns.txt(N, ['v=tlsrptv1; rua=mailto:a@example.com'], { ad: true }));
    expect(r.findings.map((f) => f.id)).not.toContain('tlsrpt-record.not-deployed');
    expect(r.summary).toContain('discard');
  });

  it('RFC 8460 §3 (RPT-RUA-01): no usable rua: the summary says why and the fix is the whole record for this domain', () => {
    const r = checkTlsrptRecord({ domain: 'mail.test', txt: dns.txt('_smtp._tls.mail.test', ['v=TLSRPTv1; rua=ftp://reports.mail.test/in'], { ad: true }) });
    expect(r.summary).toContain('No usable rua');
    const fixes = r.findings.map((f) => f.fix).filter(Boolean);
    expect(fixes.length).toBeGreaterThan(0);
    for (const fix of fixes) {
      expect(fix).toMatch(/^_smtp\._tls\.mail\.test\. IN TXT "v=TLSRPTv1; /);
      expect(fix).not.toContain('example.com');
    }
  });

  it('RFC 8460 §3: the rua URIs are in the evidence', () => {
    const r = run(dns.txt(N, ['v=TLSRPTv1; rua=mailto:a@example.com,https://r.example.com/x'], { ad: true }));
    expect(r.evidence.rua?.map((u) => u.scheme)).toEqual(['mailto', 'https']);
  });

  it.each([
    [dns.txt(N, ['v=TLSRPTv1; rua=mailto:a@example.com']), true],
    [dns.txt(N, ['v=TLSRPTv1;']), false],
    [dns.status(N, 'TXT', 'nxdomain'), false],
  ])('RFC 8460 §3: tlsrptDeployed (%#)', (txt, expected) => {
    expect(tlsrptDeployed(txt)).toBe(expected);
  });

  it.each([
    ['V=TLSRPTv1; rua=mailto:a@x', 'case-sensitive'],
    ['v=TLSRPTv1', 'no ";"'],
  ])('RFC 8460 §3: "%s" is explained (%s)', (text, expected) => {
    expect(tlsrptDiscardReason(text)).toContain(expected);
  });
});
