import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkPolicySyntax } from '../../../core/checks/policy-syntax.ts';
import { PolicySyntaxEvidenceSchema } from '../../../core/checks/evidence.ts';
import { FindingSchema } from '../../../core/report/schema.ts';
import { NOW } from './fixtures.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const policy = (mode: string, maxAge: number | string, mx: string[] = ['mx1.example.com']) =>
  ['version: STSv1', `mode: ${mode}`, ...mx.map((m) => `mx: ${m}`), `max_age: ${maxAge}`].join('\r\n') + '\r\n';
const run = (body: string | undefined, extra: Partial<Parameters<typeof checkPolicySyntax>[0]> = {}) =>
  checkPolicySyntax({ domain: 'example.com', body: body === undefined ? undefined : enc(body), tlsrptDeployed: true, now: NOW, ...extra });
const ids = (r: ReturnType<typeof run>) => r.findings.map((f) => f.id);

describe('policy-syntax check', () => {
  it.each([
    { name: 'RFC 8461 §3.2: a valid enforce policy passes', body: policy('enforce', 1209600), status: 'pass', has: ['policy-syntax.cached-until'] },
    { name: 'RFC 8461 §3.2 (STS-POL-04): max_age above 31557600 fails', body: policy('enforce', 31557601), status: 'fail', has: ['policy-syntax.max-age-too-large'] },
    { name: 'RFC 8461 §3.2 (STS-POL-05): max_age 0 warns', body: policy('enforce', 0), status: 'warn', has: ['policy-syntax.max-age-zero'] },
    { name: 'RFC 8461 §3.2 (STS-POL-05): max_age under a day warns', body: policy('testing', 3600), status: 'warn', has: ['policy-syntax.max-age-short'] },
    { name: 'RFC 8461 §8.3 (STS-POL-05): a short max_age with mode none is the removal procedure (info)', body: policy('none', 86399, []), status: 'pass', has: ['policy-syntax.mode-none'] },
    { name: 'RFC 8461 §3.2 (STS-POL-03): an unknown mode fails', body: policy('Enforce', 604800), status: 'fail', has: [] },
    { name: 'RFC 8461 §3.2 (STS-POL-06): no mx line with mode enforce fails', body: policy('enforce', 604800, []), status: 'fail', has: [] },
    { name: 'RFC 8461 §3.2 (STS-POL-12): a bare CR fails', body: 'version: STSv1\rmode: enforce\r\nmx: a.example.com\r\nmax_age: 604800\r\n', status: 'fail', has: [] },
    { name: 'RFC 8461 §5 (STS-POL-16): testing without TLSRPT warns', body: policy('testing', 604800), status: 'warn', has: ['policy-syntax.testing-without-tlsrpt'], extra: { tlsrptDeployed: false } },
    { name: 'RFC 8461 §5 (STS-POL-16): testing with TLSRPT does not warn about it', body: policy('testing', 604800), status: 'pass', has: [] },
  ])('$name', ({ body, status, has, extra }) => {
    const r = run(body, extra);
    expect(r.status).toBe(status);
    expect(ids(r)).toEqual(expect.arrayContaining(has));
    expect(PolicySyntaxEvidenceSchema.safeParse(r.evidence).success).toBe(true);
  });

  it('RFC 8461 §3.2: no body means skipped with the reason', () => {
    const r = run(undefined, { skippedReason: 'No policy (HTTP 404).' });
    expect(r).toMatchObject({ status: 'skipped', summary: 'No policy (HTTP 404).' });
  });

  it('RFC 8461 §3.3 (STS-POL-17): cachedUntil is now + max_age', () => {
    const r = run(policy('enforce', 86400 * 7));
    expect(r.evidence.cachedUntil).toBe('2025-06-08T12:00:00.000Z');
    expect(r.evidence).toMatchObject({ mode: 'enforce', maxAge: 604800, mx: ['mx1.example.com'], terminators: 'CRLF', version: 'STSv1' });
  });

  it('RFC 8460 §4.3.2.2: grammar failures are what senders report as sts-policy-invalid', () => {
    const r = run(policy('Enforce', 604800));
    const fails = r.findings.filter((f) => f.severity === 'fail');
    expect(fails.length).toBeGreaterThan(0);
    expect(fails.every((f) => f.tlsrptResultType === 'sts-policy-invalid')).toBe(true);
  });

  it('RFC 8461 §5 (STS-POL-16): the fix is the TLSRPT record to publish', () => {
    const r = run(policy('testing', 604800), { tlsrptDeployed: false });
    expect(r.findings.find((f) => f.id === 'policy-syntax.testing-without-tlsrpt')?.fix).toContain('v=TLSRPTv1; rua=mailto:');
  });

  it('RFC 8461 §3.2: any bytes give a result with schema-valid findings and evidence (property)', () => {
    let reached = 0;
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (bytes, lenient) => {
        const r = checkPolicySyntax({ domain: 'example.com', body: bytes, lenient, now: NOW });
        if (r.evidence.lines.length > 0) reached++;
        expect(PolicySyntaxEvidenceSchema.safeParse(r.evidence).success).toBe(true);
        expect(r.findings.every((f) => FindingSchema.safeParse(f).success)).toBe(true);
        expect(['pass', 'warn', 'fail']).toContain(r.status);
      }),
      { numRuns: 200 },
    );
    expect(reached).toBeGreaterThan(0);
  });
});
describe('policy-syntax check of a cut body', () => {
  const pad = (n: number) => `x-padding-${n}: ${'a'.repeat(8000)}\r\n`;
  it.each([
    ['RFC 8461 §3.3 (A16): the valid fields first, then padding extension lines: judged on what was read, passes', `${policy('enforce', 604800)}${pad(1)}${pad(2)}`, 'pass'],
    ['RFC 8461 §3.3 (A16): a cut body of mx lines only is judged on what was read: invalid', 'mx: mx1.example.com\n'.repeat(50), 'fail'],
    ['RFC 8461 §3.3 (A16): nothing before the first terminator: invalid', '', 'fail'],
  ] as const)('%s', (_n, body, status) => {
    const truncation = { parsedBytes: enc(body).length, bodyBytes: 204_800, bodyComplete: false };
    const r = run(body, { truncation });
    const info = r.findings.find((f) => f.id === 'policy-syntax.partial-body');
    expect({ status: r.status, severity: info?.severity, truncation: r.evidence.truncation }).toEqual({ status, severity: 'info', truncation });
    expect(info?.message).toContain(`only the first ${truncation.parsedBytes} bytes`);
    expect(PolicySyntaxEvidenceSchema.safeParse(r.evidence).success).toBe(true);
  });

  it('RFC 8461 §3.2: a whole body has no partial-body finding', () => {
    expect(ids(run(policy('enforce', 604800)))).not.toContain('policy-syntax.partial-body');
  });

  it.each([
    { name: 'RFC 8461 §3.2 (STS-POL-06): with the MX hosts known, the missing-mx fix lists them', mxHosts: ['mx1.example.com', 'mx2.example.com'], fix: 'mx: mx1.example.com\nmx: mx2.example.com' },
    { name: 'RFC 8461 §3.2 (STS-POL-06): without them the parser\'s fix stays', mxHosts: undefined, fix: undefined },
  ])('$name', ({ mxHosts, fix }) => {
    const r = run(policy('enforce', 604800, []), { mxHosts });
    const f = r.findings.find((x) => x.id === 'policy-syntax.missing-mx');
    expect(f).toBeDefined();
    if (fix) expect(f?.fix).toBe(fix);
    else expect(f?.fix).not.toContain('mx2.example.com');
  });

  it('RFC 8461 §3.2 (STS-POL-04, A8): a max_age above the cap alone: the summary says senders may reject or clamp', () => {
    const r = run(policy('enforce', 31557601));
    expect(r.status).toBe('fail');
    expect(r.summary).toMatch(/may reject the policy or clamp max_age.*A8/);
  });
});

