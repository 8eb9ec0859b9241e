import { describe, expect, it } from 'vitest';
import { checkDomain, type EngineEvent } from '../../core/engine.ts';
import { EVIDENCE_SCHEMAS } from '../../core/checks/evidence.ts';
import type { DnsAnswer, Resolver, RRType } from '../../core/dns/types.ts';
import type { EnginePorts, PolicyFetcher, PolicyHistory, PolicyHistoryEntry } from '../../core/ports.ts';
import { CHECK_IDS, ReportSchema, type Report } from '../../core/report/schema.ts';
import { FakeZone, type FakeNameSpec } from '../helpers/fake-zone.ts';
import { attempt, FakeMxProber, FakePolicyFetcher, NOW, POLICY, policyResult, tlsInfo } from './checks/fixtures.ts';

const D = 'example.com';
const MTA_TLS = tlsInfo({ servername: `mta-sts.${D}`, matchedName: `mta-sts.${D}` }, { dnsNames: [`mta-sts.${D}`] });

function healthyZone(over: Record<string, FakeNameSpec> = {}, latencyMs = 0): FakeZone {
  return new FakeZone(
    {
      [D]: { MX: [[10, 'mx1.example.com.'], [20, 'mx2.backup.example.com.']] },
      'mx1.example.com': { A: ['93.184.216.10'], AAAA: ['2606:2800:220:1::10'] },
      'mx2.backup.example.com': { A: ['93.184.216.20'] },
      [`_mta-sts.${D}`]: { TXT: ['v=STSv1; id=20250101'] },
      [`_smtp._tls.${D}`]: { TXT: ['v=TLSRPTv1; rua=mailto:tlsrpt@example.com'] },
      [`mta-sts.${D}`]: { A: ['93.184.216.30'] },
      ...over,
    },
    { ad: true, latencyMs },
  );
}

function ports(zone: Resolver, o: Partial<EnginePorts> & { fetchLatencyMs?: number; body?: string } = {}): EnginePorts {
  return {
    resolver: zone,
    policyFetcher: new FakePolicyFetcher(() => policyResult([attempt({ body: o.body ?? POLICY, tls: MTA_TLS })]), o.fetchLatencyMs ?? 0),
    prober: new FakeMxProber(),
    now: () => NOW,
    ...o,
  };
}

async function report(input: string, p: EnginePorts, events?: EngineEvent[]): Promise<Report> {
  const r = await checkDomain(input, p, { onProgress: events ? (e) => events.push(e) : undefined });
  if (!r.ok) throw new Error(r.error);
  return r.report;
}

const check = (r: Report, id: string) => r.checks.find((c) => c.id === id)!;

describe('checkDomain: report', () => {
  it('RFC 8461 §3-§4: a healthy domain gives a schema-valid passing report with every check in order', async () => {
    const r = await report('Example.COM', ports(healthyZone()));
    expect(ReportSchema.parse(r)).toBeTruthy();
    expect(r.checks.map((c) => c.id)).toEqual([...CHECK_IDS]);
    // No TLSA records: DANE is not deployed, which is optional (`skipped`, core/dane/evaluate.ts).
    expect(r.checks.map((c) => [c.id, c.status])).toEqual(CHECK_IDS.map((id) => [id, id === 'dane' ? 'skipped' : 'pass']));
    expect(r).toMatchObject({ schema: 1, domain: D, input: 'Example.COM', status: 'pass', checkedAt: NOW.toISOString(), resolver: { name: 'fake', url: 'fake://zone' } });
    expect(r.mode?.value).toBe('enforce');
    for (const c of r.checks) expect(EVIDENCE_SCHEMAS[c.id].safeParse(c.evidence).success).toBe(true);
  });

  it('DESIGN.md: input that is not a domain is rejected with the parser message', async () => {
    const r = await checkDomain('not a domain', ports(healthyZone()));
    expect(r.ok).toBe(false);
    expect(r.ok ? '' : r.error).toMatch(/spaces/);
  });

  it('DESIGN.md: an e-mail address is checked for its domain', async () => {
    const r = await report('Postmaster <pm@example.com>', ports(healthyZone()));
    expect(r.domain).toBe(D);
  });

  it('RFC 5321 §5.1 (STS-MX-02): with no MX the domain itself is probed and matched', async () => {
    const zone = healthyZone({ [D]: { A: ['93.184.216.1'] } });
    const prober = new FakeMxProber();
    const r = await report(D, ports(zone, { prober }));
    expect(check(r, 'mx').status).toBe('fail');
    expect(prober.calls.map((c) => c.key)).toEqual([D]);
    expect(check(r, 'policy-mx-match').findings.find((f) => f.id === 'policy-mx-match.host-not-allowed')?.host).toBe(D);
    expect(check(r, 'sts-record').status).toBe('pass');
  });

  it('RFC 7505 §3: with a null MX the probe and MX matching are skipped', async () => {
    const prober = new FakeMxProber();
    const r = await report(D, ports(healthyZone({ [D]: { MX: [[0, '.']] } }), { prober }));
    expect(check(r, 'starttls').status).toBe('skipped');
    expect(check(r, 'policy-mx-match').status).toBe('skipped');
    expect(prober.calls).toEqual([]);
    expect(r.advice[0]?.text).toContain('null MX');
  });

  it('DESIGN.md: without a prober, starttls is skipped with the reason given', async () => {
    const r = await report(D, ports(healthyZone(), { prober: undefined, proberMissingReason: 'Install the helper to probe port 25.' }));
    expect(check(r, 'starttls')).toMatchObject({ status: 'skipped', summary: 'Install the helper to probe port 25.' });
    expect(r.status).toBe('pass');
  });

  it('RFC 8461 §3.1 (STS-TXT-01): no TXT record fails and says a policy is served anyway', async () => {
    const zone = healthyZone({ [`_mta-sts.${D}`]: { TXT: ['unrelated'] } });
    const r = await report(D, ports(zone));
    expect(check(r, 'sts-record').findings.find((f) => f.id === 'sts-record.not-deployed')?.message).toContain('A policy file is served');
    expect(r.status).toBe('fail');
    // The served policy's mode is shown, but it is not in effect, and the advice is the record to publish.
    expect(r.mode?.meaning).toContain('Not in effect today');
    expect(r.advice[0]?.text).toMatch(/^Publish the _mta-sts TXT record: _mta-sts\./);
  });

  it('RFC 8461 §3.2 (STS-POL-06): a policy without mx lines gets the MX hosts as its fix', async () => {
    const zone = healthyZone();
    const body = 'version: STSv1\r\nmode: enforce\r\nmax_age: 604800\r\n';
    const r = await report(D, ports(zone, { body }));
    const fix = check(r, 'policy-syntax').findings.find((f) => f.id === 'policy-syntax.missing-mx')?.fix;
    expect(fix).toBe('mx: mx1.example.com\nmx: mx2.backup.example.com');
  });

  it('RFC 8461 §5 (STS-POL-16): testing mode without TLSRPT warns, and advice says to add TLSRPT first', async () => {
    const zone = healthyZone({ [`_smtp._tls.${D}`]: { TXT: { rcode: 'nxdomain' } } });
    const r = await report(D, ports(zone, { body: POLICY.replace('enforce', 'testing') }));
    expect(check(r, 'policy-syntax').findings.map((f) => f.id)).toContain('policy-syntax.testing-without-tlsrpt');
    expect(r.mode?.value).toBe('testing');
    expect(r.advice.some((a) => a.text.includes('TLSRPT'))).toBe(true);
  });

  it('RFC 8461 §3.1 (STS-TXT-07): the history flags a changed policy with an unchanged id, and records entries', async () => {
    const store = new Map<string, PolicyHistoryEntry>();
    const history: PolicyHistory = { get: async (d) => store.get(d), put: async (e) => void store.set(e.domain, e) };
    const first = await report(D, ports(healthyZone(), { history }));
    expect(check(first, 'sts-record').findings.map((f) => f.id)).toContain('sts-record.history-first-seen');
    expect(store.get(D)).toMatchObject({ id: '20250101', domain: D });
    const second = await report(D, ports(healthyZone(), { history, body: POLICY.replace('1209600', '2419200') }));
    expect(check(second, 'sts-record').findings.map((f) => f.id)).toContain('sts-record.id-not-changed');
    expect(second.advice.some((a) => a.text.includes('Change the id'))).toBe(true);
  });

  it('RFC 8461 §3.3 (STS-HTTP-10, A16): a 200 KiB policy warns in policy-fetch, and its first 64 KiB are parsed and matched', async () => {
    // What the helper returns: HTTP 200, the first 64 KiB + 4 KiB kept (cut inside a padding line), error too-large.
    const pad = (n: number) => `x-padding-${n}: ${'a'.repeat(8000)}\r\n`;
    const kept = `${POLICY}${Array.from({ length: 8 }, (_, i) => pad(i + 1)).join('')}${pad(9).slice(0, 5000)}`;
    const huge = attempt({ body: kept, tls: MTA_TLS, error: { kind: 'too-large', message: 'The body is at least 204800 bytes, over the 65536-byte (64 KiB) limit that senders may apply (RFC 8461 §3.3).' } });
    if (huge.response) Object.assign(huge.response, { bodyBytes: 204_800, bodyTruncated: true });
    const r = await report(D, ports(healthyZone(), { policyFetcher: new FakePolicyFetcher(() => policyResult([huge])) }));
    expect(['policy-fetch', 'policy-syntax', 'policy-mx-match'].map((id) => [id, check(r, id).status])).toEqual([
      ['policy-fetch', 'warn'],
      ['policy-syntax', 'pass'],
      ['policy-mx-match', 'pass'],
    ]);
    const parsedBytes = new TextEncoder().encode(kept).length - 5000;
    expect(check(r, 'policy-syntax').findings.find((f) => f.id === 'policy-syntax.partial-body')?.message).toContain(`only the first ${parsedBytes} bytes`);
    expect(r.mode?.value).toBe('enforce');
  });
});

describe('checkDomain: parallelism (from the fake zone query log)', () => {
  it('DESIGN.md: MX, _mta-sts, _smtp._tls, mta-sts A/AAAA and the policy fetch all start before the MX answer arrives', async () => {
    const zone = healthyZone({}, 40);
    const fetcher = new FakePolicyFetcher(() => policyResult([attempt({ tls: MTA_TLS })]), 40);
    await report(D, ports(zone, { policyFetcher: fetcher }));
    const mxEnd = zone.entry(D, 'MX')!.end!;
    for (const [n, t] of [[`_mta-sts.${D}`, 'TXT'], [`_smtp._tls.${D}`, 'TXT'], [`mta-sts.${D}`, 'A'], [`mta-sts.${D}`, 'AAAA']] as const) {
      expect(zone.entry(n, t)!.start).toBeLessThan(mxEnd);
    }
    expect(fetcher.calls[0]!.start).toBeLessThan(mxEnd);
    // Address lookups of the MX hosts need the MX answer first.
    expect(zone.entry('mx1.example.com', 'A')!.start).toBeGreaterThanOrEqual(mxEnd);
  });

  it("DESIGN.md: a host's probe starts when its own addresses arrive, before another host's addresses do", async () => {
    const zone = healthyZone({
      'mx1.example.com': { A: ['93.184.216.10'], AAAA: ['2606:2800:220:1::10'], latencyMs: 5 },
      'mx2.backup.example.com': { A: ['93.184.216.20'], latencyMs: 150 },
    });
    const prober = new FakeMxProber();
    await report(D, ports(zone, { prober }));
    const probe1 = prober.calls.find((c) => c.key === 'mx1.example.com')!;
    expect(probe1.start).toBeLessThan(zone.entry('mx2.backup.example.com', 'A')!.end!);
    expect(probe1.addresses).toEqual(['93.184.216.10', '2606:2800:220:1::10']);
  });

  it('DESIGN.md: sequential mode runs every lookup one after another', async () => {
    const zone = healthyZone({}, 3);
    const fetcher = new FakePolicyFetcher(() => policyResult([attempt({ tls: MTA_TLS })]), 3);
    const r = await checkDomain(D, ports(zone, { policyFetcher: fetcher }), { sequential: true });
    expect(r.ok).toBe(true);
    const spans = [...zone.queries.map((q) => [q.start, q.end!]), ...fetcher.calls.map((c) => [c.start, c.end!])].sort((a, b) => a[0]! - b[0]!);
    expect(spans.length).toBeGreaterThan(8);
    for (let i = 1; i < spans.length; i++) expect(spans[i]![0]).toBeGreaterThanOrEqual(spans[i - 1]![1]!);
  });

  it('DESIGN.md: a check is emitted as soon as its inputs are in (sts-record before the slow policy fetch)', async () => {
    const events: EngineEvent[] = [];
    await report(D, ports(healthyZone(), { fetchLatencyMs: 80 }), events);
    expect(events[0]).toMatchObject({ type: 'started', domain: D });
    const order = events.flatMap((e) => (e.type === 'check' ? [e.check.id] : []));
    expect(order).toHaveLength(CHECK_IDS.length);
    expect(order.indexOf('sts-record')).toBeLessThan(order.indexOf('policy-fetch'));
    expect(order.indexOf('mx')).toBeLessThan(order.indexOf('policy-fetch'));
  });
});

describe('checkDomain: failures and abort', () => {
  it('CONVENTIONS.md §12: an exception inside one check becomes its error status; the others complete', async () => {
    const zone = healthyZone();
    const broken: Resolver = {
      name: zone.name,
      url: zone.url,
      async query<T extends RRType>(name: string, type: T, o?: { signal?: AbortSignal }): Promise<DnsAnswer<T>> {
        const a = await zone.query(name, type, o);
        // why: a malformed record (null) that a buggy resolver could hand over, to make one check throw.
        return name.startsWith('_smtp._tls') ? ({ ...a, records: [null] } as unknown as DnsAnswer<T>) : a;
      },
    };
    const r = await report(D, ports(broken));
    expect(check(r, 'tlsrpt-record').status).toBe('error');
    expect(check(r, 'tlsrpt-record').summary).toMatch(/failed unexpectedly/);
    expect(r.checks.filter((c) => c.id !== 'tlsrpt-record').map((c) => [c.id, c.status])).toEqual(CHECK_IDS.filter((id) => id !== 'tlsrpt-record').map((id) => [id, id === 'dane' ? 'skipped' : 'pass']));
    expect(ReportSchema.safeParse(r).success).toBe(true);
  });

  it('RFC 8461 §3.1 (issue 7): control characters from a record never reach a summary or a message', async () => {
    const r = await report(D, ports(healthyZone({ [`_mta-sts.${D}`]: { TXT: ['v=STSv1; id=\x1b[2J\x00;'] } })));
    const texts = r.checks.flatMap((c) => [c.summary, ...c.findings.map((f) => f.message)]);
    expect(texts.some((t) => t.includes('\\x1B[2J'))).toBe(true);
    for (const t of texts) expect(t).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
  });

  it('RFC 3207 §4: a prober that throws makes that host error, not the report', async () => {
    const prober = new FakeMxProber((host, addrs) => {
      if (host.startsWith('mx2')) throw new Error('helper disconnected');
      return new FakeMxProber().probe(host, addrs);
    });
    const r = await report(D, ports(healthyZone(), { prober }));
    const hosts = (check(r, 'starttls').evidence as { hosts: { host: string; status: string }[] }).hosts;
    expect(hosts.map((h) => h.status)).toEqual(['pass', 'error']);
  });

  it('CONVENTIONS.md §5: a policy fetcher answer that breaks the protocol schema makes policy-fetch error', async () => {
    // why: JSON.parse gives an untyped value, like a helper message off the wire that breaks PolicyFetchResultSchema.
    const bad: PolicyFetcher = { fetchPolicy: async () => JSON.parse('{"url":"x","attempts":"nope"}') };
    const r = await report(D, ports(healthyZone(), { policyFetcher: bad }));
    expect(check(r, 'policy-fetch')).toMatchObject({ status: 'error', summary: expect.stringContaining('invalid result') });
    expect(check(r, 'policy-fetch').findings.map((f) => f.id)).toEqual(['policy-fetch.fetcher-failed']);
    expect(check(r, 'policy-syntax').status).toBe('skipped');
    expect(check(r, 'mx').status).toBe('pass');
  });

  it('RFC 8484 (DNS-03): a resolver failure of the MX lookup is error, and the other checks still run', async () => {
    const r = await report(D, ports(healthyZone({ [D]: { MX: { error: 'timeout', message: 'DoH timed out' } } })));
    expect(check(r, 'mx').status).toBe('error');
    expect(check(r, 'sts-record').status).toBe('pass');
    expect(check(r, 'policy-fetch').status).toBe('pass');
    expect(r.status).toBe('warn');
  });

  it('CONVENTIONS.md §12: aborting stops everything and reports the abort', async () => {
    const zone = healthyZone({ [D]: { MX: { hang: true } } });
    const ctrl = new AbortController();
    const events: EngineEvent[] = [];
    const pending = checkDomain(D, ports(zone, { fetchLatencyMs: 10_000 }), { signal: ctrl.signal, onProgress: (e) => events.push(e) });
    setTimeout(() => ctrl.abort(), 30);
    const r = await pending;
    expect(r).toEqual({ ok: false, error: 'The check was aborted.' });
    const after = events.length;
    await new Promise((res) => setTimeout(res, 20));
    expect(events.length).toBe(after);
  });

  it('CONVENTIONS.md §12: an already aborted signal returns at once', async () => {
    const ctrl = new AbortController();
    ctrl.abort();
    expect(await checkDomain(D, ports(healthyZone()), { signal: ctrl.signal })).toEqual({ ok: false, error: 'The check was aborted.' });
  });
});
