import { describe, expect, it } from 'vitest';
import { buildAdvice, modeInfo } from '../../core/advice.ts';
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
});
