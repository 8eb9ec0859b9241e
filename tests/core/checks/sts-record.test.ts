import { describe, expect, it } from 'vitest';
import { checkStsRecord, stsDiscardReason, stsRecordState } from '../../../core/checks/sts-record.ts';
import { StsRecordEvidenceSchema } from '../../../core/checks/evidence.ts';
import { dns, NOW } from './fixtures.ts';

const D = 'example.com';
const N = `_mta-sts.${D}`;
const run = (txt: ReturnType<typeof dns.txt>, extra: Partial<Parameters<typeof checkStsRecord>[0]> = {}) => checkStsRecord({ domain: D, txt, now: NOW, ...extra });
const ids = (r: ReturnType<typeof run>) => r.findings.map((f) => f.id);

describe('sts-record check', () => {
  it.each([
    { name: 'RFC 8461 §3.1: one valid record passes', txt: dns.txt(N, ['v=STSv1; id=20240101T000000'], { ad: true }), status: 'pass', has: [] as string[] },
    { name: 'RFC 8461 §3.1 (STS-TXT-01): no record fails: MTA-STS is not deployed', txt: dns.status(N, 'TXT', 'nxdomain', { ad: true }), status: 'fail', has: ['sts-record.not-deployed'] },
    { name: 'RFC 8461 §3.1 (STS-TXT-01): only unrelated TXT records fails', txt: dns.txt(N, ['hello world'], { ad: true }), status: 'fail', has: ['sts-record.not-deployed'] },
    { name: 'RFC 8461 §3.1 (STS-TXT-01): two v=STSv1 records fail, even when identical', txt: dns.txt(N, ['v=STSv1; id=1', 'v=STSv1; id=1'], { ad: true }), status: 'fail', has: ['sts-record.multiple-records'] },
    { name: 'RFC 8461 §3.1 (A9): a look-alike with a space before ";" is discarded and explained', txt: dns.txt(N, ['v=STSv1 ; id=1'], { ad: true }), status: 'fail', has: ['sts-record.discarded-record'] },
    { name: 'RFC 8461 §3.1 (A4): a lower-case version tag is discarded', txt: dns.txt(N, ['v=stsv1; id=1'], { ad: true }), status: 'fail', has: ['sts-record.discarded-record'] },
    { name: 'RFC 8461 §3.1 (STS-TXT-02): a record split into strings is joined and noted', txt: dns.txt(N, [['v=STSv1; ', 'id=abc123']], { ad: true }), status: 'pass', has: ['sts-record.split-strings'] },
    { name: 'RFC 8461 §3.1 (STS-TXT-06): an id with "-" fails', txt: dns.txt(N, ['v=STSv1; id=2024-01-01'], { ad: true }), status: 'fail', has: [] },
    { name: 'RFC 8461 §3.1 (STS-TXT-06): an id longer than 32 characters fails', txt: dns.txt(N, [`v=STSv1; id=${'a'.repeat(33)}`], { ad: true }), status: 'fail', has: [] },
    { name: 'RFC 8461 §3.1 (STS-TXT-06): a missing id fails', txt: dns.txt(N, ['v=STSv1;'], { ad: true }), status: 'fail', has: [] },
    { name: 'RFC 8461 §8.2 (STS-TXT-08): a CNAME to the record is noted', txt: dns.txt(N, ['v=STSv1; id=1'], { ad: true, cname: [[N, '_mta-sts.provider.example']] }), status: 'pass', has: ['sts-record.cname'] },
    { name: 'RFC 4035 §3.2.3 (DNS-01): no AD flag warns', txt: dns.txt(N, ['v=STSv1; id=1']), status: 'warn', has: ['sts-record.dnssec-not-validated'] },
    { name: 'RFC 8914 (DNS-02): SERVFAIL with EDE bogus fails', txt: dns.status(N, 'TXT', 'servfail', { ede: [{ code: 6 }] }), status: 'fail', has: ['sts-record.dnssec-bogus'] },
    { name: 'RFC 8484 (DNS-03): REFUSED is error', txt: dns.status(N, 'TXT', 'refused'), status: 'error', has: ['sts-record.lookup-failed'] },
  ])('$name', ({ txt, status, has }) => {
    const r = run(txt);
    expect(r.status).toBe(status);
    expect(ids(r)).toEqual(expect.arrayContaining(has));
    expect(StsRecordEvidenceSchema.safeParse(r.evidence).success).toBe(true);
  });

  it('RFC 8461 §3.1 (STS-TXT-01): the not-deployed fix is the exact TXT record to publish', () => {
    const r = run(dns.status(N, 'TXT', 'nodata', { ad: true }));
    expect(r.findings.find((f) => f.id === 'sts-record.not-deployed')?.fix).toBe('_mta-sts.example.com. IN TXT "v=STSv1; id=20250601120000"');
  });

  it('RFC 8461 §3.1 (STS-TXT-01): says when a policy is served without the TXT record', () => {
    const r = run(dns.status(N, 'TXT', 'nodata', { ad: true }), { policyServed: true });
    expect(r.findings.find((f) => f.id === 'sts-record.not-deployed')?.message).toContain('A policy file is served');
    expect(r.summary).toContain('served anyway');
  });

  it.each([
    { name: 'RFC 8461 §3.1 (A2): "v=STSv1 ;" alone fails as discarded, names the ambiguity, and the fix is the repaired record', txt: ['v=STSv1 ; id=20250101000000'], severity: 'fail', message: /ambiguity A2/, fix: '_mta-sts.example.com. IN TXT "v=STSv1; id=20250101000000"' },
    { name: 'RFC 8461 §3.1 (A4): a lower-case tag alone fails, the fix keeps the id', txt: ['v=stsv1; id=abc'], severity: 'fail', message: /case/, fix: '_mta-sts.example.com. IN TXT "v=STSv1; id=abc"' },
    { name: 'RFC 8461 §3.1 (A9): a look-alike whose rest is invalid gets a fresh record as the fix', txt: ['v=STSv1 ; id=2025-01-01'], severity: 'fail', message: /discard/, fix: '_mta-sts.example.com. IN TXT "v=STSv1; id=20250601120000"' },
    { name: 'RFC 8461 §3.1 (A9): a look-alike next to a valid record is only a warning, with no record to publish', txt: ['v=STSv1 ; id=1', 'v=STSv1; id=2'], severity: 'warn', message: /delete it/, fix: undefined },
  ])('$name', ({ txt, severity, message, fix }) => {
    const r = run(dns.txt(N, txt, { ad: true }));
    const f = r.findings.find((x) => x.id === 'sts-record.discarded-record');
    expect(f?.severity).toBe(severity);
    expect(f?.message).toMatch(message);
    expect(f?.fix).toBe(fix);
    // One cause, one finding: "not deployed" would only repeat it.
    expect(ids(r)).not.toContain('sts-record.not-deployed');
  });

  it.each([
    { name: 'RFC 8461 §3.1 (STS-TXT-06): a bad id gets the whole TXT record as the fix', txt: 'v=STSv1; id=2025-01-01', id: 'sts-record.bad-id', fix: /^_mta-sts\.example\.com\. IN TXT "v=STSv1; id=[A-Za-z0-9]+"$/ },
    { name: 'RFC 8461 §3.1 (STS-TXT-01): several records: the fix is the one record to keep', txt: ['v=STSv1; id=1', 'v=STSv1; id=2'], id: 'sts-record.multiple-records', fix: /^_mta-sts\.example\.com\. IN TXT "v=STSv1; id=20250601120000"$/ },
  ])('$name', ({ txt, id, fix }) => {
    const r = run(dns.txt(N, Array.isArray(txt) ? txt : [txt], { ad: true }));
    expect(r.findings.find((f) => f.id === id)?.fix).toMatch(fix);
  });

  it('RFC 8461 §3.1: the evidence keeps every record with the reason it was discarded', () => {
    const r = run(dns.txt(N, ['v=STSv1 ; id=1', 'v=STSv1; id=2', 'unrelated'], { ad: true }));
    expect(r.evidence.records.map((x) => [x.counted, x.discardReason !== undefined])).toEqual([[false, true], [true, false], [false, false]]);
    expect(r.evidence.id).toBe('2');
  });

  it.each([
    { name: 'RFC 8461 §3.1 (STS-TXT-07): policy changed but id did not warns', prev: { id: 'abc', policySha256: 'old' }, cur: 'new', has: 'sts-record.id-not-changed' },
    { name: 'RFC 8461 §3.1 (STS-TXT-07): first sighting is info', prev: undefined, cur: 'new', has: 'sts-record.history-first-seen' },
  ])('$name', ({ prev, cur, has }) => {
    const previous = prev ? { domain: D, firstSeen: '2025-01-01T00:00:00Z', lastSeen: '2025-05-01T00:00:00Z', ...prev } : undefined;
    const r = run(dns.txt(N, ['v=STSv1; id=abc'], { ad: true }), { history: { previous, currentSha256: cur } });
    expect(ids(r)).toContain(has);
  });

  it('RFC 8461 §3.1 (STS-TXT-07): same id and same policy gives no history finding', () => {
    const previous = { domain: D, id: 'abc', policySha256: 'h', firstSeen: 'x', lastSeen: 'y' };
    const r = run(dns.txt(N, ['v=STSv1; id=abc'], { ad: true }), { history: { previous, currentSha256: 'h' } });
    expect(r.findings).toEqual([]);
  });
});

describe('stsDiscardReason and stsRecordState', () => {
  it.each([
    ['v=STSv1 ; id=1', 'whitespace'],
    ['V=STSv1; id=1', 'case-sensitive'],
    ['v=STSv1', 'without the ";"'],
    [' v=STSv1; id=1', 'starts with whitespace'],
  ])('RFC 8461 §3.1 (A2/A4): "%s" is explained as %s', (text, expected) => {
    expect(stsDiscardReason(text)).toContain(expected);
  });

  it.each([
    { name: 'RFC 8461 §3.1: one valid record', txt: dns.txt(N, ['v=STSv1; id=x1']), state: { counted: 1, valid: true, id: 'x1' } },
    { name: 'RFC 8461 §3.1: two records', txt: dns.txt(N, ['v=STSv1; id=1', 'v=STSv1; id=2']), state: { counted: 2, valid: false } },
    { name: 'RFC 8461 §3.1: none', txt: dns.status(N, 'TXT', 'nxdomain'), state: { counted: 0, valid: false } },
  ])('$name', ({ txt, state }) => {
    expect(stsRecordState(txt)).toEqual(state);
  });
});
