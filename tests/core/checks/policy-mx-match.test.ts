import { describe, expect, it } from 'vitest';
import { checkPolicyMxMatch } from '../../../core/checks/policy-mx-match.ts';
import { PolicyMxMatchEvidenceSchema } from '../../../core/checks/evidence.ts';
import type { MxPlan } from '../../../core/checks/mx.ts';
import type { PolicyMode } from '../../../core/report/schema.ts';

const D = 'example.com';
const hosts = (...names: string[]): MxPlan => ({ kind: 'hosts', hosts: names.map((host, i) => ({ host, preference: (i + 1) * 10, ipLiteral: false })) });
const pol = (mode: PolicyMode, mx: string[], valid = true) => ({ valid, mode, mx });

describe('policy-mx-match check', () => {
  it.each([
    { name: 'RFC 8461 §4.1: an exact pattern matches', plan: hosts('mx1.example.com'), policy: pol('enforce', ['mx1.example.com']), status: 'pass', has: [] as string[] },
    { name: 'RFC 8461 §4.1: "*.example.com" matches one leftmost label', plan: hosts('mail.example.com'), policy: pol('enforce', ['*.example.com']), status: 'pass', has: ['policy-mx-match.broad-wildcard'] },
    { name: 'RFC 8461 §4.1: "*.example.com" does not match two labels (enforce: fail)', plan: hosts('a.b.example.com'), policy: pol('enforce', ['*.example.com']), status: 'fail', has: ['policy-mx-match.host-not-allowed'] },
    { name: 'RFC 8461 §4.1: matching is case-insensitive', plan: hosts('mx1.example.com'), policy: pol('enforce', ['MX1.Example.COM']), status: 'pass', has: [] },
    { name: 'RFC 8461 §5 (A7): an unmatched host under testing warns', plan: hosts('mx1.example.com'), policy: pol('testing', ['other.example.net']), status: 'warn', has: ['policy-mx-match.host-not-allowed', 'policy-mx-match.unused-pattern'] },
    { name: 'RFC 8461 §5 (A7): an unmatched host under none is info', plan: hosts('mx1.example.com'), policy: pol('none', ['other.example.net']), status: 'pass', has: ['policy-mx-match.host-not-allowed'] },
    { name: 'RFC 8461 §8.4 (STS-MX-01): a backup MX not matched fails under enforce', plan: hosts('mx1.example.com', 'backup.example.net'), policy: pol('enforce', ['mx1.example.com']), status: 'fail', has: ['policy-mx-match.host-not-allowed'] },
    { name: 'RFC 5321 §5.1 (STS-MX-02): the implicit MX must match', plan: { kind: 'implicit', hosts: [{ host: D, preference: 0, ipLiteral: false }] } as MxPlan, policy: pol('enforce', ['mx.example.com']), status: 'fail', has: ['policy-mx-match.host-not-allowed'] },
    { name: 'RFC 8461 §4.1 (STS-MX-06): unused patterns are info', plan: hosts('mx1.example.com'), policy: pol('enforce', ['mx1.example.com', 'old.example.com']), status: 'pass', has: ['policy-mx-match.unused-pattern'] },
    { name: 'RFC 8461 §3.2: mode none without mx lines passes', plan: hosts('mx1.example.com'), policy: pol('none', []), status: 'pass', has: ['policy-mx-match.none-without-mx'] },
  ])('$name', ({ plan, policy, status, has }) => {
    const r = checkPolicyMxMatch({ domain: D, plan, policy });
    expect(r.status).toBe(status);
    expect(r.findings.map((f) => f.id)).toEqual(expect.arrayContaining(has));
    expect(PolicyMxMatchEvidenceSchema.safeParse(r.evidence).success).toBe(true);
  });

  it.each([
    { name: 'RFC 8461 §4.1: no policy: skipped', plan: hosts('a.example.com'), policy: undefined },
    { name: 'RFC 7505 §3: null MX: skipped', plan: { kind: 'null', hosts: [] } as MxPlan, policy: pol('enforce', ['a.example.com']) },
    { name: 'RFC 8484: MX unknown: skipped', plan: undefined, policy: pol('enforce', ['a.example.com']) },
  ])('$name', ({ plan, policy }) => {
    expect(checkPolicyMxMatch({ domain: D, plan, policy }).status).toBe('skipped');
  });

  it('RFC 8461 §4.1: the fix is the mx line to add, and the finding names the host', () => {
    const r = checkPolicyMxMatch({ domain: D, plan: hosts('mx1.example.com', 'mx2.example.net'), policy: pol('enforce', ['mx1.example.com']) });
    const f = r.findings.find((x) => x.id === 'policy-mx-match.host-not-allowed');
    expect(f).toMatchObject({ fix: 'mx: mx2.example.net', host: 'mx2.example.net', severity: 'fail' });
    expect(f?.message).toContain('backup MX');
    expect(r.evidence.hosts).toEqual([
      { host: 'mx1.example.com', preference: 10, matchedBy: ['mx1.example.com'] },
      { host: 'mx2.example.net', preference: 20, matchedBy: [] },
    ]);
  });

  it('RFC 8461 §4.1, §3.2 (STS-POL-06): a policy without mx lines is one finding listing every line to add, not one per host', () => {
    const r = checkPolicyMxMatch({ domain: D, plan: hosts('mx1.example.com', 'mx2.example.com'), policy: pol('enforce', [], false) });
    expect(r.status).toBe('fail');
    expect(r.findings.map((f) => f.id)).toEqual(['policy-mx-match.no-patterns']);
    expect(r.findings[0]?.fix).toBe('mx: mx1.example.com\nmx: mx2.example.com');
    expect(r.findings[0]?.message).not.toContain('backup MX');
  });

  it.each([
    { name: 'RFC 8461 §8.4 (STS-MX-07): an unmatched backup behind a matched primary is called a backup MX', mx: ['mx1.example.com'], backup: true },
    { name: 'RFC 8461 §8.4 (STS-MX-07): when the primary fails too, the backup is not singled out', mx: ['other.example.com'], backup: false },
  ])('$name', ({ mx, backup }) => {
    const r = checkPolicyMxMatch({ domain: D, plan: hosts('mx1.example.com', 'mx2.example.com'), policy: pol('enforce', mx) });
    const f = r.findings.find((x) => x.id === 'policy-mx-match.host-not-allowed' && x.host === 'mx2.example.com');
    expect(f?.message.includes('backup MX')).toBe(backup);
  });

  it('RFC 8461 §4.1: a wildcard one label too shallow is explained', () => {
    const r = checkPolicyMxMatch({ domain: D, plan: hosts('mx1.example.com', 'mx2.eu.example.com'), policy: pol('enforce', ['*.example.com']) });
    const f = r.findings.find((x) => x.host === 'mx2.eu.example.com');
    expect(f?.message).toContain('"*.example.com" does not cover it: a "*." wildcard matches exactly one label');
  });
});
