import { describe, expect, it } from 'vitest';
import { buildAdvice, firstSentence, modeInfo } from '../../core/advice.ts';
import { AdviceSchema, CHECK_IDS, CHECK_TITLES, type CheckResult, type Finding, type PolicyMode } from '../../core/report/schema.ts';
import { ref } from '../../core/report/refs.ts';

const f = (id: string, severity: Finding['severity'] = 'warn', extra: Partial<Finding> = {}): Finding => ({ id, severity, message: `${id} message. More.`, refs: [ref('RFC8461', '3.1')], ...extra });
function checks(over: Partial<Record<(typeof CHECK_IDS)[number], Partial<CheckResult>>> = {}): CheckResult[] {
  return CHECK_IDS.map((id) => ({ id, title: CHECK_TITLES[id], status: 'pass', summary: '', durationMs: 0, findings: [], evidence: {}, ...over[id] }));
}
const advise = (c: CheckResult[], mode?: PolicyMode, maxAge?: number) => buildAdvice({ domain: 'example.com', checks: c, mode, maxAge });

describe('advice', () => {
  it.each([
    { name: 'RFC 8461 §5: testing with everything passing: move to enforce', c: checks(), mode: 'testing' as const, maxAge: 1209600, expect: /Move from testing to enforce/ },
    { name: 'RFC 8461 §3.2/§10.2: max_age under a week: raise it', c: checks(), mode: 'enforce' as const, maxAge: 86400, expect: /Raise max_age to at least 604800/ },
    { name: 'RFC 8461 §3.2: max_age above the maximum: lower it', c: checks(), mode: 'enforce' as const, maxAge: 40000000, expect: /Lower max_age to at most 31557600/ },
    { name: 'RFC 8460 §3: no TLSRPT: add it', c: checks({ 'tlsrpt-record': { status: 'warn', findings: [f('tlsrpt-record.not-deployed')] } }), mode: 'enforce' as const, maxAge: 1209600, expect: /Publish a TLSRPT record/ },
    { name: 'RFC 8461 §8.4: a failing backup MX: fix it first', c: checks({ starttls: { status: 'fail', findings: [f('starttls.not-offered', 'fail'), f('starttls.backup-mx-failing', 'info')] } }), mode: 'enforce' as const, maxAge: 1209600, expect: /backup MX first/ },
    { name: 'RFC 8461 §3.1: not deployed: deploy it', c: checks({ 'sts-record': { status: 'fail', findings: [f('sts-record.not-deployed', 'fail')] } }), mode: undefined, maxAge: undefined, expect: /Deploy MTA-STS/ },
    { name: 'RFC 7672 §3.2: a failing dane check is advice with the TLSA record to publish', c: checks({ dane: { status: 'fail', findings: [f('dane.no-match', 'fail', { fix: '_25._tcp.mx1.example.com. IN TLSA 3 1 1 abcd' })] } }), mode: 'enforce' as const, maxAge: 1209600, expect: /^Fix "DANE \(TLSA\) for the MX hosts".*Publish: _25\._tcp\.mx1\.example\.com\. IN TLSA 3 1 1 abcd/ },
    { name: 'RFC 8461 §8.3: mode none is explained', c: checks(), mode: 'none' as const, maxAge: 86400, expect: /mode none/ },
  ])('$name', ({ c, mode, maxAge, expect: re }) => {
    const a = advise(c, mode, maxAge);
    expect(a.some((x) => re.test(x.text))).toBe(true);
    expect(a.every((x) => AdviceSchema.safeParse(x).success)).toBe(true);
  });

  it('DESIGN.md: advice is in order of importance (failures first)', () => {
    const a = advise(checks({ 'policy-fetch': { status: 'fail', findings: [f('policy-fetch.redirect', 'fail', { fix: 'Serve it directly.' })] } }), 'testing', 86400);
    const ranks = a.map((x) => ({ fail: 0, warn: 1, info: 2 })[x.severity]);
    expect(ranks).toEqual([...ranks].sort((x, y) => x - y));
    expect(a[0]?.text).toContain('Serve it directly.');
  });

  it('RFC 8461 §5: with mode none, a short max_age is not advice to raise it', () => {
    expect(advise(checks(), 'none', 86400).some((x) => /Raise max_age/.test(x.text))).toBe(false);
  });

  it.each(['enforce', 'testing', 'none'] as const)('RFC 8461 §5: mode %s has a meaning for senders', (m) => {
    expect(modeInfo(m)).toMatchObject({ value: m, meaning: expect.stringContaining('RFC 8461 §5') });
  });

  it.each([
    ['RFC 4035 §5.5: a full stop inside <…> does not end the sentence', 'DNSSEC validation of MX a.example failed (EDE 7: <a.example. MX IN>: expired). Validating resolvers fail.', 'DNSSEC validation of MX a.example failed (EDE 7: <a.example. MX IN>: expired).'],
    ['RFC 8461 §3.1: nor one inside quotes', 'The record "v=STSv1. id=1" is odd. More.', 'The record "v=STSv1. id=1" is odd.'],
    ['RFC 8461 §3.2: a one-sentence message keeps exactly one full stop', 'mode is "enforcing"; it must be "enforce".', 'mode is "enforcing"; it must be "enforce".'],
  ])('%s', (_n, message, expected) => {
    expect(firstSentence(message)).toBe(expected);
  });

  it('RFC 4035 §5.5 (DNS-02): bogus answers in several checks give one DNSSEC advice, not one per check', () => {
    const bogus = (id: string) => f(id, 'fail', { message: 'DNSSEC validation of TXT x failed (EDE 7 "Signature Expired": <x. TXT IN>). Validating resolvers answer SERVFAIL.' });
    const a = advise(checks({ mx: { status: 'fail', findings: [bogus('mx.dnssec-bogus')] }, 'sts-record': { status: 'fail', findings: [bogus('sts-record.dnssec-bogus')] } }));
    expect(a.filter((x) => /DNSSEC/.test(x.text))).toHaveLength(1);
    expect(a[0]?.text).toContain('SERVFAIL for TXT x (EDE 7 "Signature Expired": <x. TXT IN>)');
    expect(a.some((x) => x.text.startsWith('Fix "MX records"'))).toBe(false);
  });

  it('RFC 8461 §3.1 (STS-TXT-01): a served valid policy without the TXT record: the advice is the record to publish, not "deploy MTA-STS"', () => {
    const a = advise(checks({ 'sts-record': { status: 'fail', findings: [f('sts-record.not-deployed', 'fail', { fix: '_mta-sts.example.com. IN TXT "v=STSv1; id=1"' })] } }), 'enforce', 604800);
    expect(a[0]?.text).toMatch(/^Publish the _mta-sts TXT record: _mta-sts\.example\.com\. IN TXT "v=STSv1; id=1"\. The policy at .* is already served \(mode enforce\)/);
    expect(a.some((x) => /Deploy MTA-STS|TLSRPT/.test(x.text))).toBe(false);
  });

  it('RFC 8460 §3: a TLSRPT record that only lacks DNSSEC is not advice to publish one', () => {
    const a = advise(checks({ 'tlsrpt-record': { status: 'warn', findings: [f('tlsrpt-record.dnssec-not-validated')] } }), 'enforce', 1209600);
    expect(a.some((x) => /Publish a TLSRPT record/.test(x.text))).toBe(false);
    expect(a.some((x) => /signing the zone with DNSSEC/.test(x.text))).toBe(true);
  });

  it('RFC 3207 §4: a warning check gets advice with its first problem', () => {
    const a = advise(checks({ starttls: { status: 'warn', findings: [f('starttls.temporarily-unavailable', 'warn', { message: 'STARTTLS is answered 454. Senders retry.' })] } }), 'enforce', 1209600);
    expect(a.find((x) => x.severity === 'warn')?.text).toBe('Check "STARTTLS on every MX host": STARTTLS is answered 454.');
  });

  it.each([
    ['RFC 8461 §3.3: an instruction is given as is', ['Serve the policy with status 200.'], /: x message\. Serve the policy with status 200\.$/],
    ['RFC 8461 §4.1: several policy lines are given together, once each', ['mx: a.example.com', 'mx: b.example.com', 'mx: a.example.com'], /Publish: mx: a\.example\.com and mx: b\.example\.com$/],
    ['RFC 8461 §4.1: many lines are shortened, and advice stays one line', ['mx: a.example.com\nmx: b.example.com\nmx: c.example.com\nmx: d.example.com'], /Publish: mx: a\.example\.com, mx: b\.example\.com and 2 more \(see the check's findings\)$/],
  ])('%s', (_n, fixes, re) => {
    const a = advise(checks({ 'policy-mx-match': { status: 'fail', findings: fixes.map((fix) => f('policy-mx-match.host-not-allowed', 'fail', { message: 'x message. More.', fix })) } }), 'enforce', 1209600);
    expect(a[0]?.text).toMatch(re);
    expect(a[0]?.text).not.toContain('..');
  });

  it('RFC 8461 §4.2: probes switched off: the advice gives the reason, not "install the helper"', () => {
    const a = advise(checks({ starttls: { status: 'skipped', summary: 'STARTTLS probes were switched off with --no-probe.', evidence: { probed: false } } }), 'enforce', 1209600);
    const t = a.find((x) => /not tested/.test(x.text))?.text;
    expect(t).toContain('--no-probe');
    expect(t).not.toContain('Install the helper');
  });

  it.each([
    ['RFC 8461 §3.2 (STS-POL-05): max_age under a day warns', 3600, 'warn'],
    ['RFC 8461 §3.2 (STS-POL-05): max_age of a day to a week is a note', 86400, 'info'],
  ] as const)('%s', (_n, maxAge, severity) => {
    expect(advise(checks(), 'enforce', maxAge).find((x) => /Raise max_age/.test(x.text))?.severity).toBe(severity);
  });

  it('RFC 8461 §3.2: max_age above the cap is advised once when policy-syntax already fails it', () => {
    const a = advise(checks({ 'policy-syntax': { status: 'fail', findings: [f('policy-syntax.max-age-too-large', 'fail', { fix: 'max_age: 31557600' })] } }), 'enforce', 40000000);
    expect(a.filter((x) => /max_age/.test(x.text))).toHaveLength(1);
  });

  it.each([
    ['RFC 8461 §3.1: no valid TXT record: the mode is not in effect', { stsValid: false }, /never fetch this policy/],
    ['RFC 8461 §3.2: an invalid policy: the mode is not in effect', { policyValid: false }, /policy is invalid/],
    ['RFC 8461 §5: everything valid: no note', { stsValid: true, policyValid: true }, /^[^]*\(RFC 8461 §5\)\.$/],
  ] as const)('%s', (_n, state, re) => {
    expect(modeInfo('enforce', state).meaning).toMatch(re);
  });

  it('RFC 8461 §10.2: "consider a longer max_age" only when the policy is actually in effect', () => {
    expect(buildAdvice({ domain: 'example.com', checks: checks(), mode: 'enforce', maxAge: 604800, stsValid: false }).some((x) => /longer max_age/.test(x.text))).toBe(false);
    expect(buildAdvice({ domain: 'example.com', checks: checks(), mode: 'enforce', maxAge: 604800, stsValid: true, policyValid: true }).some((x) => /longer max_age/.test(x.text))).toBe(true);
  });

  it('RFC 8461 §3.2, §4.1: two checks with the same fix (the missing mx lines) give one advice', () => {
    const fix = 'mx: mx1.example.com\nmx: mx2.example.com';
    const a = advise(checks({ 'policy-syntax': { status: 'fail', findings: [f('policy-syntax.missing-mx', 'fail', { fix })] }, 'policy-mx-match': { status: 'fail', findings: [f('policy-mx-match.no-patterns', 'fail', { fix })] } }), 'enforce', 1209600);
    expect(a.filter((x) => x.text.includes('mx: mx2.example.com'))).toHaveLength(1);
    expect(a.every((x) => !x.text.includes('\n'))).toBe(true);
  });
});
