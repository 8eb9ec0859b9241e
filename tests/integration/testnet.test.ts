// Proves the hermetic test network against real server software, then runs the engine on every
// scenario and compares each check's status with the scenario file's expectation.
import https from 'node:https';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EnginePorts } from '../../core/ports.ts';
import { acquireTestNetwork } from '../harness/acquire.ts';
import { dohQuery, udpQuery } from '../harness/dns-client.ts';
import { createH2Fetch, type H2Fetch } from '../harness/h2-fetch.ts';
import type { NetworkScenario, NetworkSmtpHost, TestNetwork } from '../harness/network.ts';
import { POLICY_PATH, policyResponse } from '../harness/policy-servers.ts';
import { SCENARIOS, type CheckId, type ExpectedCheckId, type TlsaSpec } from '../harness/scenarios.ts';
import { SmtpTestClient } from '../harness/smtp-client.ts';
import { tlsaMatchesChain, tlsaOwner } from '../harness/tlsa.ts';

let net: TestNetwork;
let h2: H2Fetch;

beforeAll(async () => {
  net = await acquireTestNetwork();
  h2 = createH2Fetch({ ca: [net.caCert] });
}, 120_000);

afterAll(async () => {
  h2?.close();
  await net?.stop();
});

function scenario(label: string): NetworkScenario {
  const s = net.scenarios.find((x) => x.label === label);
  if (!s) throw new Error(`scenario ${label} is not in the running network`);
  return s;
}

const derOf = (pem: string): Buffer =>
  Buffer.from(pem.replace(/-----(BEGIN|END) CERTIFICATE-----/g, '').replace(/\s+/g, ''), 'base64');

/** Every SMTP host of the scenario data that publishes TLSA records: [name, label, relative host]. */
const TLSA_HOSTS = SCENARIOS.flatMap((s) => s.hosts.filter((h) => h.tlsa?.length).map((h) => [`${s.label}/${h.name}`, s.label, h.name] as [string, string, string]));

/** TLSA RDATA (RFC 6698 §2.1; dns-packet leaves it as raw bytes) in presentation format. */
function tlsaPresentation(data: unknown): string {
  if (!(data instanceof Uint8Array) || data.length < 3) return `unexpected ${JSON.stringify(data)}`;
  return `${data[0]} ${data[1]} ${data[2]} ${Buffer.from(data.subarray(3)).toString('hex')}`;
}

describe('DNS: a real validating resolver (unbound) over DoH and plain DNS', () => {
  it.each([
    ['RFC 4035 §3.2.3: AD set for MX of the signed zone', 'good.mtasts.test', 'MX', 'NOERROR', true],
    ['RFC 4035 §3.2.3: AD set for the _mta-sts TXT of the signed zone', '_mta-sts.good.mtasts.test', 'TXT', 'NOERROR', true],
    ['RFC 4035 §4.3: AD not set for the insecure (unsigned) zone', 'unsigned.mtasts.test', 'MX', 'NOERROR', false],
    ['RFC 4035 §5.5: SERVFAIL for the zone with expired signatures', 'bogus-dnssec.mtasts.test', 'MX', 'SERVFAIL', false],
    ['RFC 6761 §6.2: names outside the test TLD do not exist (no internet)', 'example.com', 'A', 'NXDOMAIN', false],
  ] as const)('%s (DoH)', async (_name, qname, type, rcode, ad) => {
    const r = await dohQuery(h2.fetch, net.dohUrl, qname, type);
    expect(r.httpStatus).toBe(200);
    expect({ rcode: r.rcode, ad: r.ad }).toEqual({ rcode, ad });
  });

  it('RFC 8914 §4.7/§4.8: the bogus zone comes with EDE 7 "Signature Expired" (or 6 "DNSSEC Bogus" once cached)', async () => {
    const r = await dohQuery(h2.fetch, net.dohUrl, '_mta-sts.bogus-dnssec.mtasts.test', 'TXT');
    expect(r.rcode).toBe('SERVFAIL');
    // unbound names the precise reason (7) when it validates, and the generic one (6) when it
    // answers from its cache of bogus data, which happens when an earlier suite asked first.
    expect(r.ede.map((e) => e.code).some((code) => code === 7 || code === 6)).toBe(true);
  });

  it('RFC 8461 §3.1: the split TXT record arrives as two character-strings, validated', async () => {
    const r = await dohQuery(h2.fetch, net.dohUrl, '_mta-sts.split-sts-record.mtasts.test', 'TXT');
    const txt = r.answers.find((a) => a.type === 'TXT');
    expect(r.ad).toBe(true);
    expect((txt?.data as Uint8Array[]).map((b) => new TextDecoder().decode(b))).toEqual(['v=STSv1; ', 'id=20250101000000;']);
  });

  it('RFC 7505: the null MX scenario publishes "0 ."', async () => {
    const r = await dohQuery(h2.fetch, net.dohUrl, 'null-mx.mtasts.test', 'MX');
    expect(r.answers.filter((a) => a.type === 'MX').map((a) => a.data)).toEqual([{ preference: 0, exchange: '.' }]);
  });

  it.each([
    ['RFC 4035 §3.2.3: plain DNS sets AD for the signed zone', 'mx1.good.mtasts.test', true],
    ['RFC 4035 §4.3: plain DNS leaves AD clear for the unsigned zone', 'mx1.unsigned.mtasts.test', false],
  ] as const)('%s', async (_name, qname, ad) => {
    const r = await udpQuery(net.dnsAddress, qname, 'A');
    expect({ rcode: r.rcode, ad: r.ad, answers: r.answers.filter((a) => a.type === 'A').length }).toEqual({ rcode: 'NOERROR', ad, answers: 1 });
  });

  it.each(TLSA_HOSTS)('RFC 7672 §2.2.3: %s publishes its TLSA records at _25._tcp, with AD only in a signed zone', async (_n, label, rel) => {
    const s = scenario(label);
    const h = hostOf(label, rel);
    const r = await dohQuery(h2.fetch, net.dohUrl, tlsaOwner(h.name), 'TLSA');
    const got = r.answers.filter((a) => a.type === 'TLSA').map((a) => tlsaPresentation(a.data));
    expect({ rcode: r.rcode, ad: r.ad, records: got.sort() }).toEqual({ rcode: 'NOERROR', ad: s.dnssec === 'signed', records: [...h.tlsa].sort() });
  });

  it('RFC 4035 §3.1.3: a signed scenario without DANE denies the TLSA name with AD (authenticated NXDOMAIN)', async () => {
    const r = await dohQuery(h2.fetch, net.dohUrl, tlsaOwner(hostOf('good', 'mx1').name), 'TLSA');
    expect({ rcode: r.rcode, ad: r.ad, answers: r.answers.filter((a) => a.type === 'TLSA').length }).toEqual({ rcode: 'NXDOMAIN', ad: true, answers: 0 });
  });

  it('every name in hostRules resolves through the resolver to the same address', async () => {
    const names = net.hostMap.filter(([n]) => !n.startsWith('resolver.') && !n.startsWith('bogus-dnssec') && !n.includes('.bogus-dnssec.'));
    const wrong: string[] = [];
    await Promise.all(
      names.map(async ([name, address]) => {
        const r = await udpQuery(net.dnsAddress, name, 'A');
        const got = r.answers.filter((a) => a.type === 'A').map((a) => a.data);
        if (got.length !== 1 || got[0] !== address) wrong.push(`${name}: ${JSON.stringify(got)} != ${address}`);
      }),
    );
    expect(wrong).toEqual([]);
  });
});

interface HttpsAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  peerRaw: Buffer;
}

function httpsGet(address: string, servername: string | undefined, host: string, path: string): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const req = https.get(
      { host: address, port: 443, path, headers: { host }, ...(servername ? { servername } : {}), ca: [net.caCert], rejectUnauthorized: false, timeout: 5000 },
      (res) => {
        const peerRaw = (res.socket as TLSSocket).getPeerCertificate().raw;
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), peerRaw }));
      },
    );
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

describe('HTTPS policy hosts (RFC 8461 §3.3)', () => {
  const withPolicy = SCENARIOS.filter((s) => s.policy).map((s) => s.label);

  it.each(withPolicy)('RFC 8461 §3.3: %s serves its scenario body, status and type with its own certificate (SNI)', async (label) => {
    const s = scenario(label);
    const host = s.policyHost;
    if (!host) throw new Error(`${label}: no policy host`);
    const want = policyResponse(s, POLICY_PATH);
    const got = await httpsGet(host.address, host.name, host.name, POLICY_PATH);
    expect({ status: got.status, type: got.headers['content-type'], location: got.headers.location }).toEqual({
      status: want.status,
      type: want.headers['content-type'],
      location: want.headers.location,
    });
    expect(got.body.equals(Buffer.from(want.body))).toBe(true);
    expect(got.peerRaw.equals(derOf(host.cert))).toBe(true);
  });

  it('RFC 8461 §7.1: without SNI the policy host presents its default certificate, not the policy host one', async () => {
    const host = scenario('good').policyHost;
    if (!host) throw new Error('good: no policy host');
    // Node's agent derives SNI from the Host header, so that carries the address too.
    const got = await httpsGet(host.address, undefined, host.address, POLICY_PATH);
    expect(got.peerRaw.equals(derOf(host.cert))).toBe(false);
  });

  it('RFC 8461 §3.3: the redirect target answers 200 with the policy', async () => {
    const s = scenario('policy-redirect');
    const host = s.policyHost;
    if (!host || !s.policy?.redirectTo) throw new Error('policy-redirect: bad scenario');
    const got = await httpsGet(host.address, host.name, host.name, s.policy.redirectTo);
    expect(got.status).toBe(200);
  });

  it('RFC 8461 §3.3: the huge policy is over 64 KiB', async () => {
    const host = scenario('policy-huge').policyHost;
    if (!host) throw new Error('policy-huge: no policy host');
    const got = await httpsGet(host.address, host.name, host.name, POLICY_PATH);
    expect(got.body.length).toBeGreaterThan(65_536);
  });
});

function smtpHosts(behaviours: string[]): [string, string, string][] {
  return SCENARIOS.flatMap((s) => s.hosts.filter((h) => behaviours.includes(h.behaviour)).map((h) => [`${s.label}/${h.name}`, s.label, h.name] as [string, string, string]));
}

function hostOf(label: string, rel: string): NetworkSmtpHost {
  const s = scenario(label);
  const i = s.hosts.findIndex((h) => h.name === rel);
  const h = s.smtpHosts[i];
  if (!h) throw new Error(`${label}: no host ${rel}`);
  return h;
}

/** The chain a host sends after STARTTLS, leaf first (no `ca`: Node cannot add our root from a store). */
async function presentedChain(h: NetworkSmtpHost): Promise<Uint8Array[]> {
  const c = await SmtpTestClient.connect(h.address);
  try {
    await c.readReply();
    await c.command('EHLO probe.mtasts.test');
    await c.command('STARTTLS');
    const secure = await c.startTls(h.name);
    const out: Uint8Array[] = [];
    const seen = new Set<string>();
    for (let p = secure.getPeerCertificate(true); p?.raw && out.length < 10; p = p.issuerCertificate) {
      const key = p.raw.toString('base64');
      if (seen.has(key)) break; // a self-signed root is its own issuer
      seen.add(key);
      out.push(new Uint8Array(p.raw));
    }
    secure.destroy();
    return out;
  } finally {
    c.close();
  }
}

/** Whether each kind of scenario record should match what the host presents (see TlsaSpec). */
const TLSA_MATCH: Record<TlsaSpec, boolean> = { 'ee-current': true, 'ee-next': false, 'ee-wrong': false, 'ta-intermediate': true, 'ta-root': true };

describe('DANE: the TLSA records against the certificates the SMTP hosts present (RFC 7672 §3)', () => {
  const cases = SCENARIOS.flatMap((s) =>
    s.hosts.flatMap((h) => (h.tlsa ?? []).map((spec, i) => [`${s.label}/${h.name}`, spec, TLSA_MATCH[spec], s.label, h.name, i] as const)),
  );

  it.each(cases)('RFC 7672 §3.1: %s record %s matches the presented chain: %s', async (_n, _spec, match, label, rel, i) => {
    const h = hostOf(label, rel);
    const record = h.tlsa[i];
    if (!record) throw new Error(`${label}/${rel}: no TLSA record ${i}`);
    expect(tlsaMatchesChain(record, await presentedChain(h))).toBe(match);
  });

  it('RFC 7672 §3.1.2: dane-ta-root hosts send leaf, intermediate and root; dane-ta hosts leave the root out', async () => {
    const lengths = await Promise.all([hostOf('dane-ta-root', 'mx1'), hostOf('dane-ta', 'mx1')].map(async (h) => (await presentedChain(h)).length));
    expect(lengths).toEqual([3, 2]);
  });
});

describe('SMTP hosts (RFC 3207 STARTTLS, RFC 5321)', () => {
  it.each(smtpHosts(['normal']))('RFC 3207 §4: %s offers STARTTLS and presents its scenario certificate', async (_n, label, rel) => {
    const h = hostOf(label, rel);
    const c = await SmtpTestClient.connect(h.address);
    try {
      expect((await c.readReply()).code).toBe(220);
      const ehlo = await c.command('EHLO probe.mtasts.test');
      expect(ehlo.lines.map((l) => l.toUpperCase())).toContain('STARTTLS');
      expect((await c.command('STARTTLS')).code).toBe(220);
      const secure = await c.startTls(h.name);
      const raw = secure.getPeerCertificate().raw;
      secure.destroy();
      expect(raw.equals(derOf(h.cert))).toBe(true);
    } finally {
      c.close();
    }
  });

  it.each(smtpHosts(['no-starttls']))('RFC 3207 §4: %s does not advertise STARTTLS', async (_n, label, rel) => {
    const c = await SmtpTestClient.connect(hostOf(label, rel).address);
    try {
      await c.readReply();
      const ehlo = await c.command('EHLO probe.mtasts.test');
      expect({ code: ehlo.code, starttls: ehlo.lines.some((l) => /^STARTTLS/i.test(l)) }).toEqual({ code: 250, starttls: false });
    } finally {
      c.close();
    }
  });

  it.each([
    ['RFC 3207 §4: 454 to STARTTLS', 'starttls-454', 454],
    ['RFC 3207 §4: 220 to STARTTLS, then no TLS', 'garbage-tls', 220],
  ] as const)('%s (%s)', async (_n, label, code) => {
    const h = hostOf(label, 'mx2');
    const c = await SmtpTestClient.connect(h.address);
    try {
      await c.readReply();
      await c.command('EHLO probe.mtasts.test');
      expect((await c.command('STARTTLS')).code).toBe(code);
      if (code === 220) await expect(c.startTls(h.name)).rejects.toThrow();
    } finally {
      c.close();
    }
  });

  it('RFC 5321 §3.1: the 421 host greets with 421', async () => {
    const c = await SmtpTestClient.connect(hostOf('greeting-421', 'mx2').address);
    try {
      expect((await c.readReply()).code).toBe(421);
    } finally {
      c.close();
    }
  });

  it('RFC 5321 §4.5.3.2: the silent host sends no greeting', async () => {
    const c = await SmtpTestClient.connect(hostOf('silent-mx', 'mx2').address);
    try {
      await expect(c.readReply(500)).rejects.toThrow(/timeout/);
    } finally {
      c.close();
    }
  });

  it('RFC 5321 §4.2: the endless banner never ends its reply', async () => {
    const c = await SmtpTestClient.connect(hostOf('endless-banner', 'mx2').address);
    try {
      await expect(c.readReply(5000)).rejects.toThrow(/too many lines/);
    } finally {
      c.close();
    }
  });
});

// ---- the engine against every scenario ----

const CHECKS: CheckId[] = ['mx', 'starttls', 'sts-record', 'tlsrpt-record', 'policy-fetch', 'policy-syntax', 'policy-mx-match'];

async function enginePorts(): Promise<EnginePorts> {
  const { createDohResolver } = await import('../../core/dns/doh.ts');
  const { fetchPolicyWithEvidence } = await import('../../native-host/policy/fetch-policy.ts');
  const { probeMx } = await import('../../native-host/probe/probe-mx.ts');
  const ca = [net.caCert];
  return {
    resolver: createDohResolver({ name: 'testnet', url: net.dohUrl, fetch: h2.fetch as typeof fetch }),
    policyFetcher: {
      fetchPolicy: (domain, o) =>
        fetchPolicyWithEvidence(domain, {
          ...o,
          allowPrivate: true,
          ca,
          via: 'node',
          // When the engine passes no addresses: ask the test resolver, not the system's.
          resolve: async (host) => {
            const r = await udpQuery(net.dnsAddress, host, 'A');
            const addresses = r.answers.filter((a) => a.type === 'A').map((a) => String(a.data));
            return addresses.length ? { ok: true, addresses } : { ok: false, message: `${host}: ${r.rcode}, no A record` };
          },
        }),
    },
    prober: { probe: (host, addresses, o) => probeMx({ host, addresses, ...o, allowPrivate: true, ca }) },
  };
}

describe('engine: every scenario against its expected statuses', () => {
  it.concurrent.each(SCENARIOS.map((s) => [s.label, s.title] as const))('scenario %s (%s)', async (label) => {
    const s = scenario(label);
    const { checkDomain } = await import('../../core/engine.ts');
    // `allowPrivate`: the test network lives on loopback, which the mx check otherwise flags
    // (mx.non-public-address). Passed as a variable so it reaches the engine once EngineOptions has it.
    const options = { probeTimeoutMs: 4000, policyTimeoutMs: 8000, allowPrivate: true };
    const result = await checkDomain(s.domain, await enginePorts(), options);
    if (!result.ok) throw new Error(`scenario ${label}: the engine refused: ${result.error}`);
    // `dane` is compared once the engine emits it (CHECK_IDS gains it after 'starttls').
    const hasDane = result.report.checks.some((x) => (x.id as string) === 'dane');
    const ids: ExpectedCheckId[] = hasDane ? [...CHECKS, 'dane'] : CHECKS;
    const disagreements = ids.flatMap((id) => {
      const want = s.expected[id] ?? 'skipped';
      const c = result.report.checks.find((x) => (x.id as string) === id);
      if (c?.status === want) return [];
      const findings = c?.findings.map((f) => `${f.severity}:${f.id}${f.host ? `@${f.host}` : ''}`).join(', ') ?? 'check missing';
      return [`scenario ${label}, check ${id}: expected ${want}, engine said ${c?.status ?? 'nothing'} (${c?.summary ?? ''}; ${findings}); why expected: ${s.why?.[id] ?? 'all correct'}`];
    });
    expect(disagreements, disagreements.join('\n')).toEqual([]);
  }, 60_000);
});

describe('engine: DANE findings name the host that fails (once the engine emits `dane`)', () => {
  it('RFC 7672 §3.2: in dane-mismatch only mx2 has failing DANE findings', async (ctx) => {
    const { checkDomain } = await import('../../core/engine.ts');
    const result = await checkDomain(scenario('dane-mismatch').domain, await enginePorts(), { probeTimeoutMs: 4000, policyTimeoutMs: 8000, allowPrivate: true });
    if (!result.ok) throw new Error(`the engine refused: ${result.error}`);
    const dane = result.report.checks.find((x) => (x.id as string) === 'dane');
    if (!dane) return ctx.skip();
    expect([...new Set(dane.findings.filter((f) => f.severity === 'fail').map((f) => f.host))]).toEqual(['mx2.dane-mismatch.mtasts.test']);
  }, 60_000);
});

// The expected `dane` statuses against core/dane/evaluate.ts directly, with the real DoH answers
// and real probes, so the scenario data is proven before (and independently of) the engine wiring.
describe('evaluateDane: the DANE scenarios against their expected dane status', () => {
  const labels = [...SCENARIOS.filter((s) => s.hosts.some((h) => h.tlsa?.length)).map((s) => s.label), 'good', 'unsigned'];

  it.each(labels)('RFC 7672: scenario %s', async (label) => {
    const s = scenario(label);
    const { evaluateDane } = await import('../../core/dane/evaluate.ts');
    const ports = await enginePorts();
    const prober = ports.prober;
    if (!prober) throw new Error('enginePorts() has no prober');
    const mxHosts = await Promise.all(
      s.smtpHosts.map(async (h, k) => {
        const [tlsa, a] = await Promise.all([ports.resolver.query(tlsaOwner(h.name), 'TLSA'), ports.resolver.query(h.name, 'A')]);
        const probe = await prober.probe(h.name, a.records.map((r) => r.address), { timeoutMs: 4000 });
        return { host: h.name, preference: (k + 1) * 10, tlsa, addressesSecure: a.ad, probe };
      }),
    );
    const mx = await ports.resolver.query(s.domain, 'MX');
    const out = await evaluateDane({ mxHosts, probed: true, stsMode: 'enforce', domain: s.domain, mxSecure: mx.ad });
    const want = s.expected.dane ?? 'skipped';
    const detail = out.findings.map((f) => `${f.severity}:${f.id}${f.host ? `@${f.host}` : ''}`).join(', ');
    expect(out.status, `scenario ${label}, check dane: expected ${want}, evaluateDane said ${out.status} (${out.summary}; ${detail}); why expected: ${s.why?.dane ?? 'no TLSA records'}`).toBe(want);
  }, 30_000);
});
