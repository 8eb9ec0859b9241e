// The engine's `dane` wiring (RFC 7672): `_25._tcp.<host>` TLSA starts with the host's A/AAAA, the
// check runs on each host's TLSA, addresses and probe, and it stays useful without a prober.
import { describe, expect, it } from 'vitest';
import { checkDomain, type EngineEvent } from '../../core/engine.ts';
import { EVIDENCE_SCHEMAS } from '../../core/checks/evidence.ts';
import type { EnginePorts } from '../../core/ports.ts';
import { ReportSchema, type CheckResult, type Report } from '../../core/report/schema.ts';
import { FakeZone, type FakeNameSpec } from '../helpers/fake-zone.ts';
import { attempt, FakeMxProber, FakePolicyFetcher, goodProbe, mxProbe, NOW, POLICY, policyResult, tlsInfo } from './checks/fixtures.ts';

const D = 'example.com';
const SPKI = 'b'.repeat(64);
const MTA_TLS = tlsInfo({ servername: `mta-sts.${D}`, matchedName: `mta-sts.${D}` }, { dnsNames: [`mta-sts.${D}`] });

function zone(over: Record<string, FakeNameSpec> = {}, latencyMs: number | Partial<Record<'A' | 'AAAA' | 'TLSA', number>> = 0): FakeZone {
  return new FakeZone(
    {
      [D]: { MX: [[10, 'mx1.example.com.'], [20, 'mx2.backup.example.com.']] },
      'mx1.example.com': { A: ['93.184.216.10'], AAAA: ['2606:2800:220:1::10'], latencyMs },
      'mx2.backup.example.com': { A: ['93.184.216.20'], latencyMs },
      '_25._tcp.mx1.example.com': { TLSA: [[3, 1, 1, SPKI]], latencyMs },
      [`_mta-sts.${D}`]: { TXT: ['v=STSv1; id=20250101'] },
      [`_smtp._tls.${D}`]: { TXT: ['v=TLSRPTv1; rua=mailto:tlsrpt@example.com'] },
      [`mta-sts.${D}`]: { A: ['93.184.216.30'] },
      ...over,
    },
    { ad: true },
  );
}

/** Certificates without DER: the dane matcher falls back to the helper's SHA-256 of the SPKI (`b…b`). */
const prober = (latencyMs: number | ((host: string) => number) = 0) =>
  new FakeMxProber((host, addrs) => mxProbe(host, addrs.map((a) => goodProbe(a, { tls: tlsInfo({ servername: host, matchedName: host }, { dnsNames: [host], derBase64: '', spkiSha256: SPKI }) }))), latencyMs);

function ports(resolver: FakeZone, o: Partial<EnginePorts> = {}): EnginePorts {
  return { resolver, policyFetcher: new FakePolicyFetcher(() => policyResult([attempt({ body: POLICY, tls: MTA_TLS })])), prober: prober(), now: () => NOW, ...o };
}

async function run(p: EnginePorts, events?: EngineEvent[]): Promise<{ report: Report; dane: CheckResult }> {
  const r = await checkDomain(D, p, { onProgress: events ? (e) => events.push(e) : undefined });
  if (!r.ok) throw new Error(r.error);
  ReportSchema.parse(r.report);
  const dane = r.report.checks.find((c) => c.id === 'dane');
  if (!dane) throw new Error('no dane check');
  expect(EVIDENCE_SCHEMAS.dane.safeParse(dane.evidence).success).toBe(true);
  return { report: r.report, dane };
}

const hosts = (c: CheckResult) => (c.evidence as { hosts: { host: string; state: string; status: string }[] }).hosts;

describe('checkDomain: dane', () => {
  it('RFC 7672 §2.2: each MX host\'s TLSA lookup starts with its A/AAAA, before they answer', async () => {
    const z = zone({}, { A: 40, AAAA: 40 });
    await run(ports(z));
    const tlsa = z.entry('_25._tcp.mx1.example.com', 'TLSA');
    const mx = z.entry(D, 'MX');
    expect(tlsa?.start).toBeGreaterThanOrEqual(mx?.end ?? Infinity);
    expect(tlsa?.start).toBeLessThan(z.entry('mx1.example.com', 'A')?.end ?? -1);
    expect(z.entry('_25._tcp.mx2.backup.example.com', 'TLSA')?.start).toBeLessThan(z.entry('mx2.backup.example.com', 'A')?.end ?? -1);
  });

  it('RFC 7672 §3.2: a validated DANE-EE record matching the probed key passes on its host; the host without TLSA is named', async () => {
    const { dane, report } = await run(ports(zone()));
    expect({ status: dane.status, hosts: hosts(dane).map((h) => [h.host, h.state, h.status]) }).toEqual({
      status: 'pass',
      hosts: [
        ['mx1.example.com', 'secure', 'pass'],
        ['mx2.backup.example.com', 'absent', 'skipped'],
      ],
    });
    expect(dane.findings.map((f) => f.id)).toEqual(expect.arrayContaining(['dane.record-matches', 'dane.partial']));
    expect(report.checks.map((c) => c.id).indexOf('dane')).toBe(report.checks.map((c) => c.id).indexOf('starttls') + 1);
  });

  it('RFC 7672 §3.2: a record that matches no presented key fails the dane check and the report', async () => {
    const { dane, report } = await run(ports(zone({ '_25._tcp.mx1.example.com': { TLSA: [[3, 1, 1, 'c'.repeat(64)]] } })));
    expect({ dane: dane.status, overall: report.status, ids: dane.findings.map((f) => f.id) }).toEqual({ dane: 'fail', overall: 'fail', ids: expect.arrayContaining(['dane.no-match']) });
  });

  it('RFC 7672 §2.1.1: TLSA records in an unsigned zone (no AD) warn: senders ignore them', async () => {
    const { dane } = await run(ports(zone({ '_25._tcp.mx1.example.com': { TLSA: [[3, 1, 1, SPKI]], ad: false } })));
    expect({ status: dane.status, ids: dane.findings.map((f) => f.id) }).toEqual({ status: 'warn', ids: expect.arrayContaining(['dane.tlsa-not-validated']) });
  });

  it('RFC 7672 §3.2: without a prober the records and their DNSSEC state are shown and matching is skipped', async () => {
    const { dane } = await run(ports(zone(), { prober: undefined, proberMissingReason: 'The helper is not installed.' }));
    expect({ status: dane.status, probed: (dane.evidence as { probed: boolean }).probed, hosts: hosts(dane).map((h) => h.state) }).toEqual({ status: 'skipped', probed: false, hosts: ['secure', 'absent'] });
    expect(dane.findings.find((f) => f.id === 'dane.matching-skipped')?.message).toContain('The helper is not installed.');
  });

  it('RFC 5321 §5.1: with no MX records the implicit MX (the domain itself) gets the TLSA lookup', async () => {
    const z = zone({ [D]: { A: ['93.184.216.1'] } });
    const { dane } = await run(ports(z));
    expect(z.entry(`_25._tcp.${D}`, 'TLSA')).toBeDefined();
    expect(hosts(dane).map((h) => h.host)).toEqual([D]);
  });

  it.each([
    ['RFC 7505: a null MX', { [D]: { MX: [[0, '.']] } } as Record<string, FakeNameSpec>, /Null MX/],
    ['RFC 8484 (DNS-03): an MX lookup that failed at the resolver', { [D]: { MX: { error: 'timeout' } } } as Record<string, FakeNameSpec>, /not known/],
  ])('%s leaves no host to look up: dane is skipped with the reason, no TLSA query is made', async (_n, over, says) => {
    const z = zone(over);
    const { dane } = await run(ports(z));
    expect({ status: dane.status, tlsa: z.queries.filter((q) => q.type === 'TLSA').length }).toEqual({ status: 'skipped', tlsa: 0 });
    expect(dane.summary).toMatch(says);
  });

  it('RFC 7672 §2.2: a TLSA lookup that fails at the resolver makes that host error, not the report', async () => {
    const { dane, report } = await run(ports(zone({ '_25._tcp.mx1.example.com': { TLSA: { error: 'timeout', message: 'DoH timed out' } } })));
    expect(dane.status).toBe('error');
    expect(hosts(dane).map((h) => [h.host, h.state])).toEqual([
      ['mx1.example.com', 'lookup-failed'],
      ['mx2.backup.example.com', 'absent'],
    ]);
    expect(report.checks.find((c) => c.id === 'starttls')?.status).toBe('pass');
  });

  it('DESIGN.md: the dane check is emitted once, after the slow host\'s probe (it needs every probe)', async () => {
    const at: number[] = [];
    const p = prober((h) => (h.startsWith('mx2') ? 60 : 0));
    const r = await checkDomain(D, ports(zone(), { prober: p }), { onProgress: (e) => (e.type === 'check' && e.check.id === 'dane' ? at.push(performance.now()) : undefined) });
    const mx2 = p.calls.find((c) => c.key === 'mx2.backup.example.com');
    expect({ ok: r.ok, emitted: at.length, afterProbe: (at[0] ?? -1) >= (mx2?.end ?? Infinity) }).toEqual({ ok: true, emitted: 1, afterProbe: true });
  });
});
