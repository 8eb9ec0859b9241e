import { describe, expect, it } from 'vitest';
import { checkStarttls, type StarttlsHostInput } from '../../../core/checks/starttls.ts';
import { StarttlsEvidenceSchema } from '../../../core/checks/evidence.ts';
import type { AddressProbe } from '../../../core/protocol/probe.ts';
import type { PolicyMode } from '../../../core/report/schema.ts';
import { cert, failedProbe, goodProbe, mxProbe, NOW, tlsInfo } from './fixtures.ts';

const H = 'mx1.example.com';
const A = '93.184.216.10';
const DAY = 86_400_000;
const host = (probes: AddressProbe[], name = H, preference = 10): StarttlsHostInput => ({ host: name, preference, addresses: probes.map((p) => p.address), probe: mxProbe(name, probes) });
const run = (hosts: StarttlsHostInput[], ...mode: [PolicyMode | undefined] | []) => checkStarttls({ hosts, proberAvailable: true, mode: mode.length ? mode[0] : 'enforce', now: NOW });
const ids = (r: ReturnType<typeof run>) => r.findings.map((f) => f.id);
const tls = (o: Parameters<typeof tlsInfo>[0], leaf: Parameters<typeof tlsInfo>[1] = {}) => goodProbe(A, { tls: tlsInfo(o, leaf) });

describe('starttls check', () => {
  it.each([
    { name: 'RFC 3207 §4: STARTTLS offered, handshake, trusted chain and matching name are separate passing findings', probe: goodProbe(A), status: 'pass', has: ['starttls.offered', 'starttls.handshake-completed', 'starttls.chain-trusted', 'starttls.name-matches'], type: undefined },
    { name: 'RFC 8461 §4 (STS-TLS-01): STARTTLS not offered fails under enforce', probe: failedProbe(A, 'no-starttls', 'ehlo'), status: 'fail', has: ['starttls.not-offered'], type: 'starttls-not-supported' },
    { name: 'RFC 8461 §4.2 (STS-TLS-02): an expired certificate fails', probe: tls({ trusted: false, trustError: { code: 'CERT_HAS_EXPIRED', message: 'x', kind: 'expired' } }, { validTo: new Date(NOW.getTime() - DAY).toISOString() }), status: 'fail', has: ['starttls.certificate-expired'], type: 'certificate-expired' },
    { name: 'RFC 8461 §4.2 (STS-TLS-02): not yet valid is named', probe: tls({ trusted: false, trustError: { code: 'CERT_NOT_YET_VALID', message: 'x', kind: 'not-yet-valid' } }), status: 'fail', has: ['starttls.certificate-not-yet-valid'], type: 'certificate-not-trusted' },
    { name: 'RFC 8461 §4.2 (STS-TLS-03): a self-signed certificate fails', probe: tls({ trusted: false, trustError: { code: 'DEPTH_ZERO_SELF_SIGNED_CERT', message: 'x', kind: 'self-signed' } }), status: 'fail', has: ['starttls.certificate-self-signed'], type: 'certificate-not-trusted' },
    { name: 'RFC 8461 §4.2 (STS-TLS-03): an unknown issuer fails', probe: tls({ trusted: false, trustError: { code: 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY', message: 'x', kind: 'unknown-issuer' }, chain: [cert(), cert({ subject: 'CN=Test CA', issuer: 'CN=Private Root' })] }), status: 'fail', has: ['starttls.certificate-unknown-issuer'], type: 'certificate-not-trusted' },
    { name: 'RFC 8461 §4.2 (STS-TLS-03): a lone leaf whose issuer is unknown is named a missing intermediate', probe: tls({ trusted: false, trustError: { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', message: 'x', kind: 'unknown-issuer' } }), status: 'fail', has: ['starttls.certificate-chain-incomplete'], type: 'certificate-not-trusted' },
    { name: 'RFC 8461 §4.2 (STS-TLS-03): a missing intermediate fails', probe: tls({ trusted: false, trustError: { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', message: 'x', kind: 'missing-intermediate' } }), status: 'fail', has: ['starttls.certificate-chain-incomplete'], type: 'certificate-not-trusted' },
    { name: 'RFC 8461 §4.2 (STS-TLS-04): a name mismatch fails', probe: tls({ nameMatches: false, matchedName: undefined }, { dnsNames: ['other.example.net'] }), status: 'fail', has: ['starttls.certificate-name-mismatch'], type: 'certificate-host-mismatch' },
    { name: 'RFC 8461 §4.2 (STS-TLS-02): expiring within 14 days warns', probe: tls({}, { validTo: new Date(NOW.getTime() + 3 * DAY).toISOString() }), status: 'warn', has: ['starttls.certificate-expiring-soon'], type: undefined },
    { name: 'RFC 8461 §7.2 (STS-TLS-07): TLS 1.0 fails under enforce', probe: tls({ protocol: 'TLSv1' }), status: 'fail', has: ['starttls.tls-version-old'], type: 'validation-failure' },
    { name: 'RFC 8461 §7.1 (STS-TLS-06): a handshake failing without SNI warns', probe: goodProbe(A, { noSni: { handshakeCompleted: false, error: 'alert 112' } }), status: 'warn', has: ['starttls.sni-required'], type: undefined },
    { name: 'RFC 3207 §4.2 (SMTP-02): STARTTLS advertised again after TLS fails', probe: goodProbe(A, { starttlsAfterTls: true }), status: 'fail', has: ['starttls.advertised-after-tls'], type: undefined },
    { name: 'RFC 3207 §4 (SMTP-01): 454 to STARTTLS warns', probe: failedProbe(A, 'starttls-rejected', 'starttls', { starttlsReply: { code: 454, lines: ['TLS not available'] } }), status: 'warn', has: ['starttls.temporarily-unavailable'], type: 'starttls-not-supported' },
    { name: 'RFC 3207 §4 (SMTP-01): 501 to STARTTLS fails', probe: failedProbe(A, 'starttls-rejected', 'starttls', { starttlsReply: { code: 501, lines: ['Syntax error'] } }), status: 'fail', has: ['starttls.rejected'], type: 'starttls-not-supported' },
    { name: 'RFC 5321 §4.2.3: a 421 greeting is rate limiting, not a missing STARTTLS', probe: failedProbe(A, 'greeting-rejected', 'banner', { greeting: { code: 421, lines: ['too many connections'] } }), status: 'error', has: ['starttls.rate-limited'], type: undefined },
    { name: 'RFC 8461 §4.2: a failed TLS handshake fails under enforce', probe: failedProbe(A, 'tls-failed', 'tls', { message: 'handshake failure alert' }), status: 'fail', has: ['starttls.handshake-failed'], type: 'validation-failure' },
    { name: 'RFC 3207 §4: a handshake that stalls (timeout at step tls) fails under enforce, naming the step', probe: failedProbe(A, 'timeout', 'tls', { message: 'no ServerHello within 1 s' }), status: 'fail', has: ['starttls.handshake-timeout'], type: 'validation-failure' },
    { name: 'RFC 5321 §4.5.3.2: a server that stops answering after its greeting warns (not "port 25 blocked")', probe: failedProbe(A, 'timeout', 'ehlo', { message: 'no reply to EHLO' }), status: 'warn', has: ['starttls.timeout'], type: undefined },
    { name: 'RFC 3207 §4.2: EHLO failing inside TLS fails under enforce, naming step ehlo-after-tls', probe: goodProbe(A, { step: 'ehlo-after-tls', message: 'TLS ok. But EHLO after TLS failed: closed' }), status: 'fail', has: ['starttls.ehlo-after-tls-failed'], type: 'validation-failure' },
    { name: 'RFC 5321 §5.1: a private address is refused and explained', probe: failedProbe('10.0.0.1', 'refused-private', 'connect'), status: 'warn', has: ['starttls.private-address'], type: undefined },
  ])('$name', ({ probe, status, has, type }) => {
    const r = run([host([probe])]);
    expect(r.status).toBe(status);
    expect(ids(r)).toEqual(expect.arrayContaining(has));
    if (type) expect(r.findings.find((f) => f.id === has[0])?.tlsrptResultType).toBe(type);
    expect(r.findings.filter((f) => f.id.startsWith('starttls.') && f.id !== 'starttls.backup-mx-failing').every((f) => f.host === H)).toBe(true);
    expect(StarttlsEvidenceSchema.safeParse(r.evidence).success).toBe(true);
  });

  it('RFC 8484 (DNS-03): a host whose address lookups failed at the resolver is error, not skipped', () => {
    const r = checkStarttls({ hosts: [{ host: H, preference: 10, addresses: [], addressLookupError: 'the resolver timed out' }], proberAvailable: true, mode: 'enforce', now: NOW });
    expect(r.status).toBe('error');
    expect(ids(r)).toEqual(['starttls.address-lookup-failed']);
    expect(r.evidence.hosts[0]?.summary).toMatch(/the resolver timed out/);
  });

  it.each([
    ['closed', 'banner', /at step banner/],
    ['protocol-error', 'ehlo', /at step ehlo/],
    ['refused', 'connect', /at step connect/],
    ['tls-failed', 'tls', /at step tls/],
  ] as const)('RFC 3207 §4: a probe ending %s names step %s', (outcome, step, named) => {
    const r = run([host([failedProbe(A, outcome, step, { message: 'x' })])]);
    expect(r.findings[0]?.message).toMatch(named);
  });

  it.each([
    ['RFC 3207 §4.2: bytes that are not TLS right after "220" to STARTTLS', 'starttls', 'enforce', 'fail', 'fail', 'starttls-not-supported'],
    ['RFC 3207 §4.2: bytes that are not TLS right after "220" to STARTTLS', 'starttls', 'testing', 'warn', 'warn', 'starttls-not-supported'],
    ['RFC 3207 §4.2: bytes that are not TLS right after "220" to STARTTLS', 'starttls', 'none', 'info', 'pass', 'starttls-not-supported'],
    ['RFC 8461 §4.2: a protocol error inside the TLS handshake', 'tls', 'enforce', 'fail', 'fail', 'validation-failure'],
    ['RFC 8461 §4.2: a protocol error on EHLO inside TLS', 'ehlo-after-tls', 'testing', 'warn', 'warn', 'validation-failure'],
    ['RFC 5321 §4.2: an endless banner (could be a tarpit) stays inconclusive', 'banner', 'enforce', 'warn', 'warn', undefined],
    ['RFC 5321 §4.2: thousands of EHLO lines (could be a tarpit) stay inconclusive', 'ehlo', 'enforce', 'warn', 'warn', undefined],
  ] as const)('%s: protocol-error at step %s under mode %s is %s', (_n, step, mode, severity, status, type) => {
    const r = run([host([failedProbe(A, 'protocol-error', step, { message: 'After "220" to STARTTLS the server sent 40 more bytes' })])], mode);
    const f = r.findings.find((x) => x.id === 'starttls.protocol-error');
    expect({ severity: f?.severity, type: f?.tlsrptResultType, status: r.status, step: f?.message.includes(`at step ${step}`) }).toEqual({ severity, type, status, step: true });
  });

  it.each([
    ['enforce', 'fail'],
    ['testing', 'warn'],
    ['none', 'info'],
    [undefined, 'warn'],
  ] as const)('RFC 8461 §5 (A7): with mode %s a missing STARTTLS is %s', (mode, severity) => {
    const r = run([host([failedProbe(A, 'no-starttls', 'ehlo')])], mode);
    expect(r.findings.find((f) => f.id === 'starttls.not-offered')?.severity).toBe(severity);
  });

  it('RFC 3207 §4: every address timing out at connect means port 25 is blocked here (error, not a verdict)', () => {
    const r = run([host([failedProbe(A, 'timeout', 'connect'), failedProbe('2606:2800::1', 'timeout', 'banner')]), host([failedProbe('93.184.216.20', 'timeout', 'connect')], 'mx2.example.com', 20)]);
    expect(r.status).toBe('error');
    expect(r.evidence.port25Blocked).toBe(true);
    expect(r.summary).toContain('port 25 is probably blocked');
    expect(ids(r)).toContain('starttls.port25-blocked');
  });

  it('RFC 3207 §4: a timeout on one address only is not called a blocked port', () => {
    const r = run([host([goodProbe(A), failedProbe('2606:2800::1', 'timeout', 'connect')])]);
    expect(r.evidence.port25Blocked).toBeUndefined();
    expect(r.status).toBe('pass');
  });

  it('RFC 5321 §4.5.3.2: a host that never greets while another host of the same family does is a warning about that host, not a blocked port', () => {
    const r = run([host([goodProbe(A)]), host([failedProbe('93.184.216.20', 'timeout', 'banner', { message: 'no greeting' })], 'mx2.example.com', 20)]);
    const f = r.findings.find((x) => x.id === 'starttls.timeout');
    expect(f?.severity).toBe('warn');
    expect(f?.message).toContain('port 25 is not blocked here');
    expect(r.evidence.port25Blocked).toBeUndefined();
    expect(r.status).toBe('warn');
  });

  it.each([
    { name: 'RFC 8461 §4.2: a missing intermediate gets the full-chain fix, not "buy a certificate"', probe: tls({ trusted: false, trustError: { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE', message: 'x', kind: 'unknown-issuer' } }), id: 'starttls.certificate-chain-incomplete', fix: /full chain/ },
    { name: 'RFC 8461 §4.2: an expired certificate gets a renewal fix', probe: tls({ trusted: false, trustError: { code: 'CERT_HAS_EXPIRED', message: 'x', kind: 'expired' } }), id: 'starttls.certificate-expired', fix: /^Renew/ },
  ])('$name', ({ probe, id, fix }) => {
    expect(run([host([probe])]).findings.find((f) => f.id === id)?.fix).toMatch(fix);
  });

  it('RFC 8461 §4.2, RFC 9525 (A14): a certificate without any SAN says so and names its subject', () => {
    const r = run([host([tls({ nameMatches: false, matchedName: undefined }, { dnsNames: [], subject: 'CN=mx1.example.com' })])]);
    expect(r.findings.find((f) => f.id === 'starttls.certificate-name-mismatch')?.message).toContain('no DNS names (subject alternative names) at all, only the subject CN=mx1.example.com');
  });

  it('RFC 8461 §8.4 (STS-MX-07): a failing backup MX is called out', () => {
    const r = run([host([goodProbe(A)]), host([failedProbe('93.184.216.20', 'no-starttls', 'ehlo')], 'mx2.example.com', 20)]);
    expect(r.evidence.hosts.map((h) => [h.host, h.status])).toEqual([
      [H, 'pass'],
      ['mx2.example.com', 'fail'],
    ]);
    expect(ids(r)).toContain('starttls.backup-mx-failing');
  });

  it('RFC 3207 §4: the same finding on several addresses is merged and names them', () => {
    const r = run([host([failedProbe(A, 'no-starttls', 'ehlo'), failedProbe('2606:2800::1', 'no-starttls', 'ehlo')])]);
    const f = r.findings.filter((x) => x.id === 'starttls.not-offered');
    expect(f).toHaveLength(1);
    expect(f[0]?.message).toContain('all 2 addresses');
    expect(r.evidence.hosts[0]?.addresses).toHaveLength(2);
  });

  it('DESIGN.md: without a prober the check is skipped with the reason', () => {
    const r = checkStarttls({ hosts: [{ host: H, addresses: [A] }], proberAvailable: false, proberMissingReason: 'Install the helper.', now: NOW });
    expect(r).toMatchObject({ status: 'skipped', summary: 'Install the helper.', evidence: { probed: false } });
    expect(r.evidence.hosts[0]).toMatchObject({ host: H, status: 'skipped' });
  });

  it('RFC 5321 §5.1: a host without addresses is skipped, the others judged', () => {
    const r = run([host([goodProbe(A)]), { host: 'mx2.example.com', preference: 20, addresses: [] }]);
    expect(r.evidence.hosts.map((h) => h.status)).toEqual(['pass', 'skipped']);
    expect(r.status).toBe('pass');
  });

  it('RFC 3207 §4: a prober failure on one host is error for that host and warn overall', () => {
    const r = run([host([goodProbe(A)]), { host: 'mx2.example.com', preference: 20, addresses: ['93.184.216.20'], probeError: 'helper crashed' }]);
    expect(r.evidence.hosts.map((h) => h.status)).toEqual(['pass', 'error']);
    expect(r.status).toBe('warn');
  });
});
