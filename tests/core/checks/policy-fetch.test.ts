import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkPolicyFetch, policyBody, policyBodyToParse, usedAttemptIndex } from '../../../core/checks/policy-fetch.ts';
import { PolicyFetchEvidenceSchema } from '../../../core/checks/evidence.ts';
import { attempt, dns, NOW, POLICY, policyResult, tlsInfo } from './fixtures.ts';

const D = 'example.com';
const H = `mta-sts.${D}`;
const DAY = 86_400_000;
const run = (attempts: Parameters<typeof policyResult>[0], extra: Partial<Parameters<typeof checkPolicyFetch>[0]> = {}) =>
  checkPolicyFetch({ domain: D, result: policyResult(attempts), stsDeployed: true, now: NOW, ...extra });
/** What the helper returns for a body over the cap: HTTP 200, the start of the body kept, error too-large. */
const huge = (kept: string, bodyBytes: number, truncated: boolean) => {
  const a = attempt({ body: kept, error: { kind: 'too-large', message: `The body is at least ${bodyBytes} bytes, over the 65536-byte (64 KiB) limit that senders may apply (RFC 8461 §3.3).` } });
  if (a.response) Object.assign(a.response, { bodyBytes, bodyTruncated: truncated });
  return a;
};
const BIG = `${POLICY}x-padding-1: ${'a'.repeat(8000)}\r\n`;
const tlsFor = (o: Parameters<typeof tlsInfo>[0] = {}, leaf: Parameters<typeof tlsInfo>[1] = {}) =>
  tlsInfo({ servername: H, matchedName: H, ...o }, { dnsNames: [H], ...leaf });

describe('policy-fetch check', () => {
  it.each([
    { name: 'RFC 8461 §3.3: HTTP 200, text/plain, trusted certificate passes', attempts: [attempt()], status: 'pass', has: [] as string[] },
    { name: 'RFC 8461 §3.3 (STS-HTTP-07): a redirect fails and names the Location', attempts: [attempt({ status: 301, redirects: [{ url: `https://${H}/.well-known/mta-sts.txt`, status: 301, location: 'https://www.example.com/mta-sts.txt' }], redirectTarget: { url: 'https://www.example.com/mta-sts.txt' } })], status: 'fail', has: ['policy-fetch.redirect', 'policy-fetch.ineffective'] },
    { name: 'RFC 8461 §3.3 (STS-HTTP-06): HTTP 404 fails', attempts: [attempt({ status: 404 })], status: 'fail', has: ['policy-fetch.http-status'] },
    { name: 'RFC 8461 §3.2 (STS-HTTP-09): text/html warns', attempts: [attempt({ headers: [['content-type', 'text/html']] })], status: 'warn', has: ['policy-fetch.content-type'] },
    { name: 'RFC 8461 §3.2 (STS-HTTP-09): a missing Content-Type warns', attempts: [attempt({ headers: [] })], status: 'warn', has: ['policy-fetch.content-type'] },
    { name: 'RFC 8461 §3.2: charset other than utf-8 is noted', attempts: [attempt({ headers: [['content-type', 'text/plain; charset=iso-8859-1']] })], status: 'pass', has: ['policy-fetch.charset'] },
    { name: 'RFC 8461 §3.3 (STS-HTTP-02): certificate not naming the policy host fails', attempts: [attempt({ tls: tlsFor({ nameMatches: false, matchedName: undefined }, { dnsNames: ['www.example.com'] }) })], status: 'fail', has: ['policy-fetch.certificate-name-mismatch'] },
    { name: 'RFC 8461 §3.3 (STS-HTTP-03): self-signed certificate fails', attempts: [attempt({ tls: tlsFor({ trusted: false, trustError: { code: 'DEPTH_ZERO_SELF_SIGNED_CERT', message: 'self-signed', kind: 'self-signed' } }) })], status: 'fail', has: ['policy-fetch.certificate-self-signed'] },
    { name: 'RFC 8461 §3.3 (STS-HTTP-03): missing intermediate fails', attempts: [attempt({ tls: tlsFor({ trusted: false, trustError: { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', message: 'x', kind: 'missing-intermediate' } }) })], status: 'fail', has: ['policy-fetch.certificate-chain-incomplete'] },
    { name: 'RFC 8461 §3.3 (STS-HTTP-04): expired certificate fails', attempts: [attempt({ tls: tlsFor({ trusted: false, trustError: { code: 'CERT_HAS_EXPIRED', message: 'expired', kind: 'expired' } }, { validTo: new Date(NOW.getTime() - DAY).toISOString() }) })], status: 'fail', has: ['policy-fetch.certificate-expired'] },
    { name: 'RFC 8461 §3.3 (STS-HTTP-04): certificate expiring within 14 days warns', attempts: [attempt({ tls: tlsFor({}, { validTo: new Date(NOW.getTime() + 5 * DAY).toISOString() }) })], status: 'warn', has: ['policy-fetch.certificate-expiring-soon'] },
    { name: 'RFC 8461 §7.2 (STS-HTTP-12): TLS 1.1 fails', attempts: [attempt({ tls: tlsFor({ protocol: 'TLSv1.1' }) })], status: 'fail', has: ['policy-fetch.tls-version-old'] },
    { name: 'RFC 8461 §3.3 (STS-HTTP-10): a body over 64 KiB is flagged and leaves no usable policy', attempts: [attempt({ error: { kind: 'too-large', message: 'body over 65536 bytes' }, noResponse: true })], status: 'fail', has: ['policy-fetch.too-large'] },
    { name: 'RFC 8461 §3.3 (STS-HTTP-10): a timeout fails', attempts: [attempt({ error: { kind: 'timeout', message: '60 s' }, noResponse: true, tls: undefined })], status: 'fail', has: ['policy-fetch.timeout'] },
    { name: 'RFC 8461 §3.2 (STS-HTTP-01): policy host does not resolve fails', attempts: [attempt({ error: { kind: 'dns', message: 'ENOTFOUND' }, noResponse: true })], status: 'fail', has: ['policy-fetch.host-not-found'] },
    { name: 'RFC 8461 §3.3: connection refused fails', attempts: [attempt({ error: { kind: 'connect', message: 'ECONNREFUSED' }, noResponse: true })], status: 'fail', has: ['policy-fetch.connect-failed'] },
    { name: 'RFC 8461 §3.3: a fetch blocked by the browser is error, not a verdict', attempts: [attempt({ error: { kind: 'blocked', message: 'permission missing' }, noResponse: true })], status: 'error', has: ['policy-fetch.blocked'] },
    { name: 'RFC 8461 §3.3: one bad address among good ones warns', attempts: [attempt({ address: '93.184.216.1' }), attempt({ address: '2606:2800::1', error: { kind: 'connect', message: 'ENETUNREACH' }, noResponse: true })], status: 'warn', has: ['policy-fetch.connect-failed'] },
    { name: 'RFC 8461 §3.3: a fetch slower than 60 s warns', attempts: [attempt({ totalMs: 61_000 })], status: 'warn', has: ['policy-fetch.slow'] },
  ])('$name', ({ attempts, status, has }) => {
    const r = run(attempts);
    expect(r.status).toBe(status);
    expect(r.findings.map((f) => f.id)).toEqual(expect.arrayContaining(has));
    expect(PolicyFetchEvidenceSchema.safeParse(r.evidence).success).toBe(true);
  });

  it('RFC 8461 §3.3 (STS-HTTP-07): a redirect whose target serves the policy says to serve it directly', () => {
    const r = run([attempt({ status: 302, redirects: [{ url: 'u', status: 302, location: 'https://elsewhere.example/p' }], redirectTarget: { url: 'https://elsewhere.example/p', response: attempt().response } })]);
    const f = r.findings.find((x) => x.id === 'policy-fetch.redirect');
    expect(f?.message).toContain('answered 200');
    expect(f?.tlsrptResultType).toBe('sts-policy-fetch-error');
  });

  it.each([
    ['policy-fetch.certificate-name-mismatch', 'sts-webpki-invalid', tlsFor({ nameMatches: false })],
    ['policy-fetch.certificate-unknown-issuer', 'sts-webpki-invalid', tlsFor({ trusted: false, trustError: { code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', message: 'x', kind: 'unknown-issuer' } })],
  ] as const)('RFC 8460 §4.3.2.2: %s is reported by senders as %s', (id, type, tls) => {
    const f = run([attempt({ tls })]).findings.find((x) => x.id === id);
    expect(f?.tlsrptResultType).toBe(type);
  });

  it('RFC 8461 §3.3: nothing deployed and no host: skipped, not failed', () => {
    const r = run([attempt({ error: { kind: 'dns', message: 'ENOTFOUND' }, noResponse: true, tls: undefined })], { stsDeployed: false });
    expect(r.status).toBe('skipped');
  });

  it('RFC 8461 §3.2 (STS-HTTP-01): NXDOMAIN for the policy host is reported even when the fetcher says connect', () => {
    const r = run([attempt({ error: { kind: 'connect', message: 'x' }, noResponse: true, tls: undefined })], {
      hostA: dns.status(H, 'A', 'nxdomain'),
      hostAaaa: dns.status(H, 'AAAA', 'nxdomain'),
    });
    expect(r.findings.map((f) => f.id)).toContain('policy-fetch.host-not-found');
  });

  it.each([
    ['its own lookup failed too', { error: { kind: 'dns' as const, message: 'no A or AAAA records (timeout)' }, noResponse: true, tls: undefined }],
    ['it hit the whole-fetch deadline while still resolving', { error: { kind: 'timeout' as const, message: `Looking up ${H} (A and AAAA) took longer than the 2 s time limit of the whole fetch.` }, noResponse: true, tls: undefined }],
  ])('RFC 8484 (DNS-03): the resolver failing for the policy host is error (could not check), not "does not resolve", when the fetcher says %s', (_n, a) => {
    const timeout = { message: 'The DNS resolver X did not answer within 5000 ms.' };
    const r = run([attempt(a)], {
      hostA: { ...dns.status(H, 'A', 'error', timeout), errorKind: 'timeout' },
      hostAaaa: { ...dns.status(H, 'AAAA', 'error', timeout), errorKind: 'timeout' },
      stsDeployed: true,
    });
    expect(r.status).toBe('error');
    expect(r.findings.map((f) => f.id)).toEqual(['policy-fetch.host-lookup-failed']);
    expect(r.findings[0]?.message).toMatch(/did not answer within 5000 ms\. Try again/);
  });

  it('RFC 8461 §3.3: a fetch that timed out after connecting is a verdict (fail) even when our own lookups failed', () => {
    const timeout = { message: 'The DNS resolver X did not answer within 5000 ms.' };
    const r = run([attempt({ error: { kind: 'timeout', message: 'no response headers within 60 s' }, noResponse: true, address: '93.184.216.30' })], {
      hostA: { ...dns.status(H, 'A', 'error', timeout), errorKind: 'timeout' },
      hostAaaa: { ...dns.status(H, 'AAAA', 'error', timeout), errorKind: 'timeout' },
      stsDeployed: true,
    });
    expect({ status: r.status, ids: r.findings.map((f) => f.id) }).toEqual({ status: 'fail', ids: expect.arrayContaining(['policy-fetch.timeout']) });
  });

  it.each([
    ['a loop', { url: `https://${H}/.well-known/mta-sts.txt`, error: 'Not followed: more than 5 redirects.' }, 6, /After 6 redirects led to .*: Not followed: more than 5 redirects\./],
    ['plain http:', { url: `http://${H}/.well-known/mta-sts.txt`, error: 'plain HTTP, without TLS', status: 200 }, 1, /The redirect led to http:.*, which answered 200 but plain HTTP, without TLS\. The policy exists/],
  ])('RFC 8461 §3.3 (STS-HTTP-03): a redirect to %s says where it led and what went wrong there', (_what, target, hops, says) => {
    const location = target.url;
    const redirects = Array.from({ length: hops }, () => ({ url: `https://${H}/.well-known/mta-sts.txt`, status: 301, location }));
    const redirectTarget = { url: target.url, error: target.error, ...('status' in target ? { response: attempt().response! } : {}) };
    const r = run([{ ...attempt({ status: 301, headers: [['location', location]] }), redirects, redirectTarget }]);
    expect(r.status).toBe('fail');
    expect(r.findings.find((f) => f.id === 'policy-fetch.redirect')?.message).toMatch(says);
  });

  it('RFC 8461 §8.2: a delegated (CNAME) policy host is noted', () => {
    const r = run([attempt()], { hostA: dns.addr(H, 'A', ['93.184.216.1'], { cname: [[H, 'mta-sts.provider.example']] }) });
    expect(r.findings.map((f) => f.id)).toContain('policy-fetch.delegated');
  });

  it('RFC 8461 §3.3: the used attempt and its body are the first good one', () => {
    const res = policyResult([attempt({ status: 500, body: 'nope' }), attempt({ body: POLICY })]);
    expect(usedAttemptIndex(res)).toBe(1);
    expect(new TextDecoder().decode(policyBody(res))).toBe(POLICY);
  });

  it('RFC 8461 §3.3 (STS-HTTP-10, A16): a 200 body over 64 KiB warns (senders applying the suggested limit discard it) and is still the used policy', () => {
    const res = policyResult([huge(`${BIG}x-padding-2: aaaa`, 200 * 1024, true)]);
    const r = checkPolicyFetch({ domain: D, result: res, stsDeployed: true, now: NOW });
    const f = r.findings.find((x) => x.id === 'policy-fetch.too-large');
    expect({ status: r.status, ids: r.findings.map((x) => x.id), level: f?.level, used: usedAttemptIndex(res) }).toEqual({ status: 'warn', ids: ['policy-fetch.too-large'], level: 'SHOULD', used: 0 });
    expect(f?.message).toMatch(/senders that apply the suggested limit discard this policy/);
  });

  it.each([
    ['RFC 8461 §3.3: a kept prefix is cut back to its last LF', 'version: STSv1\r\nmode: enf', 100_000, true, 'version: STSv1\r\n', { parsedBytes: 16, bodyBytes: 100_000, bodyComplete: false }],
    ['RFC 8461 §3.3: a kept prefix without any terminator parses nothing', 'version: STSv1 xxxxxxxx', 2_000_000, true, '', { parsedBytes: 0, bodyBytes: 2_000_000, bodyComplete: false }],
    ['RFC 8461 §3.3: a body read to the end but kept in part is cut too', 'mx: a\nmx: b\nmx', 70_000, false, 'mx: a\nmx: b\n', { parsedBytes: 12, bodyBytes: 70_000, bodyComplete: true }],
    ['RFC 8461 §3.3: a body over 64 KiB kept whole is parsed whole, not cut', POLICY, new TextEncoder().encode(POLICY).length, false, POLICY, undefined],
  ] as const)('%s', (_n, kept, bodyBytes, truncated, text, truncation) => {
    const got = policyBodyToParse(policyResult([huge(kept, bodyBytes, truncated)]));
    expect({ text: new TextDecoder().decode(got?.bytes), truncation: got?.truncation }).toEqual({ text, truncation });
  });

  it('RFC 8461 §3.3: the parsed part of a cut body is the longest kept prefix ending in a line terminator (property)', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', ':', ' ', '\r', '\n'), maxLength: 200 }), (kept) => {
        const got = policyBodyToParse(policyResult([huge(kept, 1_000_000, true)]));
        const text = new TextDecoder().decode(got?.bytes);
        expect(text).toBe(kept.slice(0, kept.lastIndexOf('\n') + 1));
        expect(got?.truncation?.parsedBytes).toBe(text.length);
      }),
    );
  });

  it('RFC 8461 §3.3: the browser path is noted as having less TLS detail', () => {
    const r = checkPolicyFetch({ domain: D, result: policyResult([attempt({ tls: undefined })], D, 'browser'), now: NOW });
    expect(r.findings.map((f) => f.id)).toContain('policy-fetch.via-browser');
    expect(r.evidence.via).toBe('browser');
  });

  it('RFC 4035 §5.5 (DNS-02): a DNSSEC-bogus policy host fails naming the EDE reason, not "publish an A record"', () => {
    const bogus = { ede: [{ code: 7, text: 'signature expired' }] };
    const r = run([attempt({ error: { kind: 'dns', message: 'no A or AAAA records (servfail)' }, noResponse: true, tls: undefined })], {
      hostA: dns.status(H, 'A', 'servfail', bogus),
      hostAaaa: dns.status(H, 'AAAA', 'servfail', bogus),
    });
    expect(r.status).toBe('fail');
    expect(r.findings.map((f) => f.id)).toEqual(['policy-fetch.dnssec-bogus']);
    expect(r.findings[0]?.message).toContain('Signature Expired');
    expect(r.findings[0]?.tlsrptResultType).toBe('sts-policy-fetch-error');
  });
});
