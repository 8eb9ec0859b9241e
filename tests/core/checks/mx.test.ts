import { describe, expect, it } from 'vitest';
import { checkMx, mxTargets, type HostAddressAnswers } from '../../../core/checks/mx.ts';
import { MxEvidenceSchema } from '../../../core/checks/evidence.ts';
import { dns } from './fixtures.ts';

const D = 'example.com';
const addrs = (v4: string[], v6: string[] = [], m: Parameters<typeof dns.addr>[3] = {}): HostAddressAnswers => ({
  a: dns.addr('x', 'A', v4, m),
  aaaa: dns.addr('x', 'AAAA', v6, m),
});
const ids = (r: ReturnType<typeof checkMx>) => r.findings.map((f) => f.id);

describe('mx check', () => {
  it('RFC 5321 §5.1: 40 MX hosts: the first 16 are checked, the count is said, messages stay short', () => {
    const records = Array.from({ length: 40 }, (_, i): [number, string] => [i, `mx${i}.example.com`]);
    const addresses = Object.fromEntries(records.map(([, h]) => [h, addrs(['93.184.216.10'])]));
    const r = checkMx({ domain: D, mx: dns.mx(D, records, { ad: true }), addresses });
    expect(r.evidence.hosts).toHaveLength(16);
    expect(ids(r)).toContain('mx.too-many-hosts');
    expect(r.findings.find((f) => f.id === 'mx.hosts')?.message).toMatch(/mx7\.example\.com \(7\) and 32 more/);
  });

  it('RFC 1034 §3.6.2: an address lookup that loops through CNAMEs fails the host (a zone error, not a resolver one)', () => {
    const loop = <T extends 'A' | 'AAAA'>(type: T) => ({ ...dns.status('mx1.example.com', type, 'error', { message: 'the CNAME chain loops' }), errorKind: 'cname-loop' as const });
    const r = checkMx({ domain: D, mx: dns.mx(D, [[10, 'mx1.example.com']], { ad: true }), addresses: { 'mx1.example.com': { a: loop('A'), aaaa: loop('AAAA') } } });
    expect(r.status).toBe('fail');
    expect(ids(r)).toContain('mx.cname-loop');
    expect(ids(r)).not.toContain('mx.target-is-cname');
  });

  it('RFC 1035 §4.2.2: thousands of addresses are counted and listed briefly', () => {
    const many = Array.from({ length: 1000 }, (_, i) => `10.0.${i >> 8}.${i & 255}`);
    const a = { ...dns.addr('mx1.example.com', 'A', many), recordsCapped: { kept: 1000, total: 3000 } };
    const r = checkMx({ domain: D, mx: dns.mx(D, [[10, 'mx1.example.com']], { ad: true }), addresses: { 'mx1.example.com': { a, aaaa: dns.status('mx1.example.com', 'AAAA', 'nodata') } } });
    expect(r.findings.find((f) => f.id === 'mx.many-addresses')?.message).toMatch(/3000 A records; only the first 1000 were read/);
    expect(r.findings.find((f) => f.id === 'mx.non-public-address')?.message).toMatch(/and 992 more/);
    expect(Math.max(...r.findings.map((f) => f.message.length))).toBeLessThan(1000);
  });

  const cases: {
    name: string;
    mx: ReturnType<typeof dns.mx>;
    addresses?: Record<string, HostAddressAnswers>;
    status: string;
    has?: string[];
    lacks?: string[];
  }[] = [
    {
      name: 'RFC 5321 §5.1: two MX hosts with public addresses pass',
      mx: dns.mx(D, [[20, 'mx2.example.com.'], [10, 'mx1.example.com.']], { ad: true }),
      addresses: { 'mx1.example.com': addrs(['93.184.216.10'], ['2606:2800:220:1::10']), 'mx2.example.com': addrs(['93.184.216.20']) },
      status: 'pass',
      has: ['mx.hosts'],
      lacks: ['mx.dnssec-not-validated'],
    },
    {
      name: 'RFC 5321 §5.1: no MX records is a failure, the domain is the implicit MX',
      mx: dns.status(D, 'MX', 'nodata', { ad: true }),
      addresses: { 'example.com': addrs(['93.184.216.1']) },
      status: 'fail',
      has: ['mx.implicit-mx'],
    },
    {
      name: 'RFC 7505 §3: a null MX is recognised and explained (warn)',
      mx: dns.mx(D, [[0, '.']], { ad: true }),
      status: 'warn',
      has: ['mx.null-mx'],
    },
    {
      name: 'RFC 7505 §3: a null MX next to other MX records fails',
      mx: dns.mx(D, [[0, '.'], [10, 'mx1.example.com']], { ad: true }),
      addresses: { 'mx1.example.com': addrs(['93.184.216.10']) },
      status: 'fail',
      has: ['mx.null-mx-with-others'],
    },
    {
      name: 'RFC 5321 §5.1: an MX target without an address fails',
      mx: dns.mx(D, [[10, 'mx1.example.com']], { ad: true }),
      addresses: { 'mx1.example.com': addrs([]) },
      status: 'fail',
      has: ['mx.no-address', 'mx.none-usable'],
    },
    {
      name: 'RFC 2181 §10.3: an MX target that is a CNAME warns',
      mx: dns.mx(D, [[10, 'mx1.example.com']], { ad: true }),
      addresses: { 'mx1.example.com': { a: dns.addr('mx1.example.com', 'A', ['93.184.216.10'], { cname: [['mx1.example.com', 'real.example.net']] }), aaaa: dns.addr('x', 'AAAA', []) } },
      status: 'warn',
      has: ['mx.target-is-cname'],
    },
    {
      name: 'RFC 5321 §5.1: an MX target written as an IP address fails',
      mx: dns.mx(D, [[10, '192.0.2.7']], { ad: true }),
      status: 'fail',
      has: ['mx.ip-literal'],
    },
    {
      name: 'RFC 5321 §5.1: an MX host resolving only to private addresses fails',
      mx: dns.mx(D, [[10, 'mx1.example.com']], { ad: true }),
      addresses: { 'mx1.example.com': addrs(['10.0.0.5'], ['fe80::1']) },
      status: 'fail',
      has: ['mx.non-public-address'],
    },
    {
      name: 'RFC 5321 §5.1: one private address among public ones warns',
      mx: dns.mx(D, [[10, 'mx1.example.com']], { ad: true }),
      addresses: { 'mx1.example.com': addrs(['93.184.216.10', '127.0.0.1']) },
      status: 'warn',
      has: ['mx.non-public-address'],
    },
    {
      name: 'RFC 4035 §3.2.3 (DNS-01): an MX answer without AD warns',
      mx: dns.mx(D, [[10, 'mx1.example.com']], { ad: false }),
      addresses: { 'mx1.example.com': addrs(['93.184.216.10']) },
      status: 'warn',
      has: ['mx.dnssec-not-validated'],
    },
    {
      name: 'RFC 8914 (DNS-02): SERVFAIL with EDE 6 DNSSEC Bogus fails naming the reason',
      mx: dns.status(D, 'MX', 'servfail', { ede: [{ code: 6, text: 'signature invalid' }] }),
      status: 'fail',
      has: ['mx.dnssec-bogus'],
    },
    {
      name: 'RFC 8484 (DNS-03): a resolver timeout is error, not a verdict',
      mx: dns.status(D, 'MX', 'error', { message: 'timed out' }),
      status: 'error',
      has: ['mx.lookup-failed'],
    },
    {
      name: 'RFC 8484 (DNS-03): SERVFAIL without EDE is error',
      mx: dns.status(D, 'MX', 'servfail'),
      status: 'error',
    },
    {
      name: 'RFC 5321 §5.1: NXDOMAIN fails',
      mx: dns.status(D, 'MX', 'nxdomain', { ad: true }),
      status: 'fail',
      has: ['mx.domain-not-found'],
    },
    {
      name: 'RFC 8484 (DNS-03): failed address lookups make the check error, not fail',
      mx: dns.mx(D, [[10, 'mx1.example.com']], { ad: true }),
      addresses: { 'mx1.example.com': { a: dns.status('mx1.example.com', 'A', 'error'), aaaa: dns.status('mx1.example.com', 'AAAA', 'error') } },
      status: 'error',
      has: ['mx.address-lookup-failed'],
      lacks: ['mx.no-address'],
    },
  ];

  it.each(cases)('$name', ({ mx, addresses, status, has = [], lacks = [] }) => {
    const r = checkMx({ domain: D, mx, addresses: addresses ?? {} });
    expect(r.status).toBe(status);
    expect(ids(r)).toEqual(expect.arrayContaining(has));
    for (const id of lacks) expect(ids(r)).not.toContain(id);
    expect(MxEvidenceSchema.safeParse(r.evidence).success).toBe(true);
  });

  it('RFC 8914 (DNS-02): the bogus finding names the EDE reason', () => {
    const r = checkMx({ domain: D, mx: dns.status(D, 'MX', 'servfail', { ede: [{ code: 7 }] }), addresses: {} });
    expect(r.findings[0]?.message).toContain('Signature Expired');
  });

  it('RFC 5321 §5.1: the implicit MX fix publishes an MX record for the domain', () => {
    const r = checkMx({ domain: D, mx: dns.status(D, 'MX', 'nodata', { ad: true }), addresses: { 'example.com': addrs(['93.184.216.1']) } });
    expect(r.findings.find((f) => f.id === 'mx.implicit-mx')?.fix).toBe('example.com. IN MX 10 example.com.');
    expect(r.evidence.implicit).toBe(true);
    expect(r.evidence.hosts[0]?.ipv4).toEqual(['93.184.216.1']);
  });

  it('RFC 5321 §5.1: per-host findings carry the host', () => {
    const r = checkMx({ domain: D, mx: dns.mx(D, [[10, 'mx1.example.com']], { ad: true }), addresses: { 'mx1.example.com': addrs([]) } });
    expect(r.findings.find((f) => f.id === 'mx.no-address')?.host).toBe('mx1.example.com');
  });
});

describe('mxTargets', () => {
  it.each([
    { name: 'RFC 5321 §5.1: sorted by preference, trailing dots stripped, lower-cased', mx: dns.mx(D, [[20, 'B.example.com.'], [10, 'a.example.com.']]), kind: 'hosts', hosts: ['a.example.com', 'b.example.com'] },
    { name: 'RFC 5321 §5.1: duplicate targets are probed once', mx: dns.mx(D, [[10, 'a.example.com'], [20, 'a.example.com.']]), kind: 'hosts', hosts: ['a.example.com'] },
    { name: 'RFC 5321 §5.1: NODATA gives the implicit MX', mx: dns.status(D, 'MX', 'nodata'), kind: 'implicit', hosts: ['example.com'] },
    { name: 'RFC 7505 §3: null MX', mx: dns.mx(D, [[0, '.']]), kind: 'null', hosts: [] },
    { name: 'RFC 8484: an error gives unknown', mx: dns.status(D, 'MX', 'error'), kind: 'unknown', hosts: [] },
  ])('$name', ({ mx, kind, hosts }) => {
    const plan = mxTargets(D, mx);
    expect(plan.kind).toBe(kind);
    expect(plan.hosts.map((h) => h.host)).toEqual(hosts);
  });

  it('RFC 5321 §5.1 (STS-MX-03): the CNAME fix is the whole MX record, and says to cover the new name first', () => {
    const r = checkMx({
      domain: D,
      mx: dns.mx(D, [[10, 'mail.example.com']], { ad: true }),
      addresses: { 'mail.example.com': { a: dns.addr('mail.example.com', 'A', ['93.184.216.10'], { ad: true, cname: [['mail.example.com', 'mx1.example.net']] }), aaaa: dns.addr('mail.example.com', 'AAAA', [], { ad: true }) } },
    });
    const f = r.findings.find((x) => x.id === 'mx.target-is-cname');
    expect(f?.fix).toBe('example.com. IN MX 10 mx1.example.net.');
    expect(f?.message).toContain("policy's mx lines and the certificate");
  });

  it.each([
    { name: 'RFC 5321 §5.1: a private MX address without allowPrivate fails with a fix', allowPrivate: false, severity: 'fail', fix: true },
    { name: 'RFC 5321 §5.1: with allowPrivate (internal testing) it is noted only, with nothing to change', allowPrivate: true, severity: 'info', fix: false },
  ])('$name', ({ allowPrivate, severity, fix }) => {
    const r = checkMx({ domain: D, mx: dns.mx(D, [[10, 'mx1.example.com']], { ad: true }), addresses: { 'mx1.example.com': addrs(['10.0.0.5'], [], { ad: true }) }, allowPrivate });
    const f = r.findings.find((x) => x.id === 'mx.non-public-address');
    expect(f?.severity).toBe(severity);
    expect(f?.fix !== undefined).toBe(fix);
  });
});
