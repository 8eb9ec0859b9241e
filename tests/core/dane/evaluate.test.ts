import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateDane, firstSentence, type DaneCheckInput, type DaneHostInput } from '../../../core/dane/evaluate.ts';
import { DaneEvidenceSchema } from '../../../core/dane/evidence.ts';
import { FindingSchema } from '../../../core/report/schema.ts';
import type { Certificate } from '../../../core/protocol/tls.ts';
import { failedProbe, makeDanePki, mxProbe, okProbe, tlsa, tlsaAnswer, tlsaData, type DanePki } from './fixtures.ts';

let p: DanePki;
beforeAll(() => {
  p = makeDanePki();
});
afterAll(() => p.pki.dispose());

const A1 = '192.0.2.10';
const A2 = '2001:db8::10';

function host(records: ReturnType<typeof tlsa>[], chains: (Certificate[] | ReturnType<typeof failedProbe>)[], extra: Partial<DaneHostInput> = {}): DaneHostInput {
  const addrs = [A1, A2, '192.0.2.11'];
  return {
    host: 'mx1.example.com',
    preference: 10,
    tlsa: tlsaAnswer(records),
    addressesSecure: true,
    probe: mxProbe('mx1.example.com', chains.map((c, i) => (Array.isArray(c) ? okProbe(addrs[i]!, c) : c))),
    ...extra,
  };
}

const ee311 = () => tlsa(3, 1, 1, p.leaf.cert.spkiSha256);
const chainOf = (leaf: Certificate, ...rest: Certificate[]) => [leaf, ...rest];

interface Row {
  name: string;
  input: () => DaneCheckInput;
  status: string;
  has: string[];
  lacks?: string[];
}

const rows: Row[] = [
  {
    name: 'RFC 7672 §3.1.1: a 3 1 1 record matching the leaf on every address passes',
    input: () => ({ probed: true, mxHosts: [host([ee311(), tlsa(3, 1, 1, p.next.cert.spkiSha256)], [chainOf(p.leaf.cert, p.interCert), chainOf(p.leaf.cert, p.interCert)])] }),
    status: 'pass',
    has: ['dane.record-matches', 'dane.mta-sts-interplay', 'dane.rollover-ready', 'dane.record-unmatched'],
    lacks: ['dane.no-match', 'dane.single-record'],
  },
  {
    name: 'RFC 7671 §8.1: one 3 1 1 record is rollover advice (info while renewal is far)',
    input: () => ({ probed: true, mxHosts: [host([ee311()], [chainOf(p.leaf.cert)])] }),
    status: 'pass',
    has: ['dane.single-record'],
  },
  {
    name: 'RFC 7671 §8.1: a single 3 0 1 record pins the certificate, which changes at every renewal: warn',
    input: () => ({ probed: true, mxHosts: [host([tlsa(3, 0, 1, p.leaf.cert.sha256)], [chainOf(p.leaf.cert)])] }),
    status: 'warn',
    has: ['dane.single-record', 'dane.uncommon-combination', 'dane.record-matches'],
  },
  {
    name: 'RFC 7672 §3.2: a chain no record matches fails, with the exact 3 1 1 record as the fix',
    input: () => ({ probed: true, mxHosts: [host([tlsa(3, 1, 1, p.next.cert.spkiSha256)], [chainOf(p.leaf.cert)])] }),
    status: 'fail',
    has: ['dane.no-match'],
    // The unmatched record is the failure itself: not a possible "next" key, no rollover advice on top.
    lacks: ['dane.record-unmatched', 'dane.single-record'],
  },
  {
    name: 'RFC 7671 §8.1: one address presents a key no record matches while another matches: broken rollover',
    input: () => ({ probed: true, mxHosts: [host([ee311()], [chainOf(p.leaf.cert), chainOf(p.next.cert)])] }),
    status: 'fail',
    has: ['dane.rollover-broken', 'dane.record-matches'],
    lacks: ['dane.no-match', 'dane.single-record'],
  },
  {
    name: 'RFC 7671 §8.1: with one address matching, a second record matching nothing may be the next key (info kept), but no "ready" advice on a broken rollover',
    input: () => ({ probed: true, mxHosts: [host([ee311(), tlsa(3, 1, 1, p.expired.cert.spkiSha256)], [chainOf(p.leaf.cert), chainOf(p.next.cert)])] }),
    status: 'fail',
    has: ['dane.rollover-broken', 'dane.record-unmatched'],
    lacks: ['dane.rollover-ready', 'dane.single-record'],
  },
  {
    name: 'RFC 7672 §3.2: two records and neither matches: both are the failure, not "next" keys',
    input: () => ({ probed: true, mxHosts: [host([tlsa(3, 1, 1, p.next.cert.spkiSha256), tlsa(3, 1, 1, p.expired.cert.spkiSha256)], [chainOf(p.leaf.cert)])] }),
    status: 'fail',
    has: ['dane.no-match'],
    lacks: ['dane.record-unmatched', 'dane.rollover-ready'],
  },
  {
    name: 'RFC 7672 §2.2: STARTTLS missing with a single record: the failure, without rollover advice on top',
    input: () => ({ probed: true, mxHosts: [host([ee311()], [failedProbe(A1, 'no-starttls')])] }),
    status: 'fail',
    has: ['dane.starttls-not-offered'],
    lacks: ['dane.single-record', 'dane.record-unmatched'],
  },
  {
    name: 'RFC 7672 §3.1.1: DANE-EE ignores an expired leaf that does not name the host',
    input: () => ({ probed: true, mxHosts: [host([tlsa(3, 1, 1, p.expired.cert.spkiSha256), tlsa(3, 1, 1, p.next.cert.spkiSha256)], [chainOf(p.expired.cert)])] }),
    status: 'pass',
    has: ['dane.ee-ignores-name-expiry'],
  },
  {
    name: 'RFC 7672 §3.1.2: 2 0 1 for a root the server sends in its chain passes',
    input: () => ({ probed: true, mxHosts: [host([tlsa(2, 0, 1, p.rootCert.sha256)], [chainOf(p.leaf.cert, p.interCert, p.rootCert)])] }),
    status: 'pass',
    has: ['dane.record-matches', 'dane.single-record'],
  },
  {
    name: 'RFC 7671 §8.1: a single 2 0 1 record pinning an intermediate CA warns',
    input: () => ({ probed: true, mxHosts: [host([tlsa(2, 0, 1, p.interCert.sha256)], [chainOf(p.leaf.cert, p.interCert)])] }),
    status: 'warn',
    has: ['dane.single-record', 'dane.record-matches'],
  },
  {
    name: 'RFC 7672 §3.1.2: a DANE-TA root the server does not send fails (TA must be in the chain)',
    input: () => ({ probed: true, mxHosts: [host([tlsa(2, 0, 1, p.rootCert.sha256)], [chainOf(p.leaf.cert, p.interCert)])] }),
    status: 'fail',
    has: ['dane.ta-not-in-chain'],
  },
  {
    name: 'RFC 7672 §3.2.2: DANE-TA with a leaf that names neither the MX host nor the domain fails',
    input: () => ({ probed: true, mxHosts: [host([tlsa(2, 0, 1, p.rootCert.sha256)], [chainOf(p.wrongName.cert, p.interCert, p.rootCert)])] }),
    status: 'fail',
    has: ['dane.ta-name-mismatch'],
  },
  {
    name: 'RFC 7672 §3.2.2: DANE-TA accepts the email domain as a name when the MX RRset is secure',
    input: () => ({ probed: true, domain: 'example.com', mxSecure: true, mxHosts: [host([tlsa(2, 0, 1, p.rootCert.sha256)], [chainOf(p.domainName.cert, p.interCert, p.rootCert)])] }),
    status: 'pass',
    has: ['dane.record-matches'],
    lacks: ['dane.ta-name-mismatch'],
  },
  {
    name: 'RFC 7672 §3.2.2: the email domain is not a reference identifier when the MX RRset is insecure',
    input: () => ({ probed: true, domain: 'example.com', mxSecure: false, mxHosts: [host([tlsa(2, 0, 1, p.rootCert.sha256)], [chainOf(p.domainName.cert, p.interCert, p.rootCert)])] }),
    status: 'fail',
    has: ['dane.ta-name-mismatch'],
  },
  {
    name: 'RFC 6698 §2.1.1: DANE-TA requires a valid leaf: expired fails',
    input: () => ({ probed: true, mxHosts: [host([tlsa(2, 0, 1, p.rootCert.sha256)], [chainOf(p.expired.cert, p.interCert, p.rootCert)])] }),
    status: 'fail',
    has: ['dane.ta-leaf-expired'],
  },
  {
    name: 'RFC 7672 §3.1.2: a DANE-TA record matching a CA the leaf does not chain to fails',
    input: () => ({ probed: true, mxHosts: [host([tlsa(2, 0, 1, p.interCert.sha256)], [chainOf(p.mx2.cert, p.rootCert, p.interCert)])] }),
    status: 'fail',
    has: ['dane.ta-chain-broken'],
  },
  {
    name: 'RFC 7672 §3.1.3: PKIX-EE records are not for SMTP; with no usable record TLS is required unauthenticated',
    input: () => ({ probed: true, mxHosts: [host([tlsa(1, 1, 1, p.leaf.cert.spkiSha256)], [chainOf(p.leaf.cert)])] }),
    status: 'warn',
    has: ['dane.pkix-usage', 'dane.no-usable-records'],
    lacks: ['dane.no-match', 'dane.mta-sts-interplay'],
  },
  {
    name: 'RFC 7672 §2.1.1: TLSA records without the AD flag are ignored by senders (DANE-02)',
    input: () => ({ probed: true, mxHosts: [host([ee311()], [chainOf(p.leaf.cert)], { tlsa: tlsaAnswer([ee311()], { ad: false }) })] }),
    status: 'warn',
    has: ['dane.tlsa-not-validated'],
    lacks: ['dane.mta-sts-interplay'],
  },
  {
    name: 'RFC 7672 §2.1.1: a DNSSEC-bogus TLSA answer fails (the host is unreachable for DANE senders)',
    input: () => ({ probed: true, mxHosts: [host([], [chainOf(p.leaf.cert)], { tlsa: tlsaAnswer([], { status: 'servfail', ad: false, ede: [{ code: 6, text: 'signature expired' }] }) })] }),
    status: 'fail',
    has: ['dane.tlsa-dnssec-bogus'],
  },
  {
    name: 'RFC 7672 §2.2: validated TLSA while STARTTLS is not offered fails (DANE-03)',
    input: () => ({ probed: true, mxHosts: [host([ee311()], [failedProbe(A1, 'no-starttls')])] }),
    status: 'fail',
    has: ['dane.starttls-not-offered'],
  },
  {
    name: 'RFC 7672 §2.2: a failed TLS handshake with validated TLSA fails',
    input: () => ({ probed: true, mxHosts: [host([ee311()], [failedProbe(A1, 'tls-failed', 'handshake failure')])] }),
    status: 'fail',
    has: ['dane.tls-failed'],
  },
  {
    name: 'RFC 7672 §2.2.2: validated TLSA with unvalidated address records is not in effect',
    input: () => ({ probed: true, mxHosts: [host([ee311()], [chainOf(p.leaf.cert)], { addressesSecure: false })] }),
    status: 'warn',
    has: ['dane.addresses-not-validated'],
    lacks: ['dane.mta-sts-interplay'],
  },
  {
    name: 'RFC 7672 §2.2.1: TLSA on only some MX hosts is partial DANE (DANE-14)',
    input: () => ({
      probed: true,
      mxHosts: [
        host([ee311()], [chainOf(p.leaf.cert)]),
        { host: 'mx2.example.com', preference: 20, tlsa: tlsaAnswer([], { name: '_25._tcp.mx2.example.com' }), addressesSecure: true, probe: mxProbe('mx2.example.com', [okProbe('192.0.2.20', [p.mx2.cert])]) },
      ],
    }),
    status: 'pass',
    has: ['dane.partial', 'dane.mta-sts-interplay'],
  },
  {
    name: 'RFC 7672 §2.2: no TLSA records anywhere: DANE not deployed (skipped, info with the record to publish)',
    input: () => ({ probed: true, mxHosts: [host([], [chainOf(p.leaf.cert)], { tlsa: tlsaAnswer([], { status: 'nxdomain' }) })] }),
    status: 'skipped',
    has: ['dane.not-deployed'],
  },
  {
    name: 'RFC 7672 §3.2: without probes, well-formed validated records are skipped with the reason',
    input: () => ({ probed: false, mxHosts: [host([ee311()], [])] }),
    status: 'skipped',
    has: ['dane.matching-skipped'],
  },
  {
    name: 'RFC 7672 §3.1.3: without probes, record syntax is still judged',
    input: () => ({ probed: false, mxHosts: [host([tlsa(0, 0, 1, p.rootCert.sha256)], [])] }),
    status: 'warn',
    has: ['dane.pkix-usage', 'dane.matching-skipped'],
  },
  {
    name: 'RFC 6698 §2.1.3: a SHA2-256 record with 31 bytes of data is malformed and unusable',
    input: () => ({ probed: true, mxHosts: [host([tlsa(3, 1, 1, p.leaf.cert.spkiSha256.slice(2))], [chainOf(p.leaf.cert)])] }),
    status: 'warn',
    has: ['dane.record-malformed', 'dane.no-usable-records'],
  },
  {
    name: 'RFC 7672 §3.1.2: Full(0) records match but are discouraged',
    input: () => ({ probed: true, mxHosts: [host([tlsa(3, 1, 0, tlsaData(p.leaf.pem, 1, 0)), tlsa(3, 1, 1, p.next.cert.spkiSha256)], [chainOf(p.leaf.cert)])] }),
    status: 'warn',
    has: ['dane.full-matching-type', 'dane.record-matches'],
  },
  {
    name: 'RFC 7672 §3.1: 3 1 2 (SHA2-512) matches, noted as not the recommended combination',
    input: () => ({ probed: true, mxHosts: [host([tlsa(3, 1, 2, tlsaData(p.leaf.pem, 1, 2)), ee311()], [chainOf(p.leaf.cert)])] }),
    status: 'pass',
    has: ['dane.uncommon-combination', 'dane.record-matches'],
  },
  {
    name: 'RFC 8484: a TLSA lookup timeout here is an error, not a verdict',
    input: () => ({ probed: true, mxHosts: [host([], [chainOf(p.leaf.cert)], { tlsa: tlsaAnswer([], { status: 'error', ad: false, errorKind: 'timeout', message: 'timed out' }) })] }),
    status: 'error',
    has: ['dane.lookup-failed'],
  },
  {
    name: 'RFC 7672 §2.2: every address unreachable: matching could not be done (error)',
    input: () => ({ probed: true, mxHosts: [host([ee311()], [failedProbe(A1, 'timeout')])] }),
    status: 'error',
    has: ['dane.single-record'],
    lacks: ['dane.no-match', 'dane.record-unmatched'],
  },
  {
    name: 'RFC 7672 §2.2.1: no MX host: skipped',
    input: () => ({ probed: true, mxHosts: [] }),
    status: 'skipped',
    has: [],
  },
];

describe('evaluateDane', () => {
  it.each(rows)('$name', async ({ input, status, has, lacks }) => {
    const out = await evaluateDane({ now: new Date(), ...input() });
    const ids = out.findings.map((f) => f.id);
    expect(out.status, `${out.summary}\n${ids.join(', ')}`).toBe(status);
    for (const id of has) expect(ids).toContain(id);
    for (const id of lacks ?? []) expect(ids).not.toContain(id);
    // The evidence and findings follow the report contracts.
    expect(DaneEvidenceSchema.safeParse(out.evidence).success).toBe(true);
    for (const f of out.findings) expect(FindingSchema.safeParse(f).success, f.id).toBe(true);
    expect(out.summary.length).toBeGreaterThan(10);
  });

  it('RFC 7672 §3.2: the fix is the exact `_25._tcp.<host>. IN TLSA 3 1 1 <spki sha256>` record for the certificate presented now', async () => {
    const out = await evaluateDane({ probed: true, mxHosts: [host([tlsa(3, 1, 1, p.next.cert.spkiSha256)], [chainOf(p.leaf.cert)])] });
    const f = out.findings.find((x) => x.id === 'dane.no-match');
    expect(f?.fix).toBe(`_25._tcp.mx1.example.com. IN TLSA 3 1 1 ${p.leaf.cert.spkiSha256}`);
    expect(f?.tlsrptResultType).toBe('tlsa-invalid');
    expect(f?.host).toBe('mx1.example.com');
    expect(out.evidence.hosts[0]?.suggestedRecords).toEqual([f?.fix]);
  });

  it('RFC 7672 §3.2: evidence says which record matched which certificate on which address, and which addresses match none', async () => {
    const out = await evaluateDane({ probed: true, mxHosts: [host([ee311(), tlsa(2, 0, 1, p.rootCert.sha256)], [chainOf(p.leaf.cert, p.interCert, p.rootCert), chainOf(p.next.cert, p.interCert)])] });
    const h = out.evidence.hosts[0]!;
    expect(h.records[0]?.matched).toEqual([{ address: A1, depth: 0, subject: p.leaf.cert.subject, sha256: p.leaf.cert.sha256 }]);
    expect(h.records[1]?.matched).toEqual([{ address: A1, depth: 2, subject: p.rootCert.subject, sha256: p.rootCert.sha256 }]);
    expect(h.addresses.map((a) => [a.address, a.result])).toEqual([
      [A1, 'match'],
      [A2, 'mismatch'],
    ]);
    expect(h.addresses[1]?.leafSpkiSha256).toBe(p.next.cert.spkiSha256);
    expect(h.senderAction).toMatch(/Refuses 2001:db8::10/);
  });

  it('RFC 7672 §2.1.1: the bogus finding carries the EDE reason and the TLSRPT result type', async () => {
    const out = await evaluateDane({ probed: false, mxHosts: [host([], [], { tlsa: tlsaAnswer([], { status: 'servfail', ad: false, ede: [{ code: 6, text: 'bad sig' }] }) })] });
    const f = out.findings.find((x) => x.id === 'dane.tlsa-dnssec-bogus');
    expect(f?.message).toMatch(/EDE 6 "DNSSEC Bogus": bad sig/);
    expect(f?.tlsrptResultType).toBe('dnssec-invalid');
    expect(out.evidence.hosts[0]?.state).toBe('bogus');
  });

  it.each([
    ['enforce', /mode enforce/],
    ['testing', /mode testing/],
  ] as const)('RFC 8461 §2: with MTA-STS in %s mode and failing DANE, says DANE senders will not deliver and MTA-STS must not override', async (mode, re) => {
    const out = await evaluateDane({ probed: true, stsMode: mode, mxHosts: [host([tlsa(3, 1, 1, p.next.cert.spkiSha256)], [chainOf(p.leaf.cert)])] });
    const f = out.findings.find((x) => x.id === 'dane.mta-sts-interplay');
    expect(f?.message).toMatch(re);
    expect(f?.message).toMatch(/MUST NOT let MTA-STS validation override a failing DANE/);
    expect(f?.message).toMatch(/will not deliver there/);
    expect(f?.message).toMatch(/some sender software/);
    expect(out.evidence.stsMode).toBe(mode);
  });

  it('RFC 7671 §8.1: a single 3 1 1 record warns when the certificate renews within 30 days', async () => {
    const now = new Date();
    const soon = { ...p.leaf.cert, validTo: new Date(now.getTime() + 5 * 86_400_000).toISOString() };
    const out = await evaluateDane({ now, probed: true, mxHosts: [host([ee311()], [chainOf(soon)])] });
    const f = out.findings.find((x) => x.id === 'dane.single-record');
    expect(f?.severity).toBe('warn');
    expect(f?.message).toMatch(/within 5 days/);
  });

  it('findings are sorted worst first and every one names its host', async () => {
    const out = await evaluateDane({ probed: true, mxHosts: [host([ee311(), tlsa(0, 0, 1, p.rootCert.sha256)], [chainOf(p.next.cert)])] });
    const sev = out.findings.map((f) => f.severity);
    expect(sev[0]).toBe('fail');
    expect(sev.indexOf('info')).toBeGreaterThan(sev.lastIndexOf('warn'));
    expect(out.findings.filter((f) => f.id !== 'dane.mta-sts-interplay').every((f) => f.host === 'mx1.example.com')).toBe(true);
  });
});

describe('evaluateDane: postmaster wording', () => {
  const mx2Host = (records: ReturnType<typeof tlsa>[], chain: Certificate[], extra: Partial<DaneHostInput> = {}): DaneHostInput => ({
    host: 'mx2.example.com',
    preference: 20,
    tlsa: tlsaAnswer(records, { name: '_25._tcp.mx2.example.com' }),
    addressesSecure: true,
    probe: mxProbe('mx2.example.com', [okProbe('192.0.2.20', chain)]),
    ...extra,
  });
  const noteTexts = (out: Awaited<ReturnType<typeof evaluateDane>>) => out.evidence.hosts.flatMap((h) => h.addresses.flatMap((a) => a.notes));

  it.each([
    ['NXDOMAIN', tlsaAnswer([], { status: 'nxdomain', name: '_25._tcp.mx1.example.com' })],
    ['NODATA', tlsaAnswer([], { status: 'nodata', name: '_25._tcp.mx1.example.com' })],
  ] as const)('RFC 7672 §2.2: no TLSA records (%s): DANE not deployed for the host, nothing matched, the 3 1 1 record kept', async (_label, answer) => {
    const out = await evaluateDane({ probed: true, mxHosts: [host([], [chainOf(p.leaf.cert), chainOf(p.leaf.cert)], { tlsa: answer })] });
    const h = out.evidence.hosts[0]!;
    expect(out.status).toBe('skipped');
    expect(h.summary).toMatch(/DANE is not deployed for mx1\.example\.com/);
    expect(h.addresses).toEqual([]);
    expect(noteTexts(out).join(' ')).not.toMatch(/No usable TLSA record/);
    expect(h.suggestedRecords).toEqual([`_25._tcp.mx1.example.com. IN TLSA 3 1 1 ${p.leaf.cert.spkiSha256}`]);
    expect(out.findings.find((f) => f.id === 'dane.not-deployed')?.fix).toBe(h.suggestedRecords[0]);
  });

  it('RFC 7672 §2.2.1: in partial DANE the host without records says DANE is not deployed there, with no per-address verdicts', async () => {
    const out = await evaluateDane({ probed: true, mxHosts: [host([ee311()], [chainOf(p.leaf.cert)]), mx2Host([], [p.mx2.cert])] });
    const mx2 = out.evidence.hosts[1]!;
    expect(out.status).toBe('pass');
    expect(mx2.status).toBe('skipped');
    expect(mx2.summary).toMatch(/^No TLSA records at _25\._tcp\.mx2\.example\.com.*: DANE is not deployed for mx2\.example\.com\. To deploy it, publish the suggested record in a DNSSEC-signed zone\.$/);
    expect(mx2.addresses).toEqual([]);
    expect(mx2.suggestedRecords).toEqual([`_25._tcp.mx2.example.com. IN TLSA 3 1 1 ${p.mx2.cert.spkiSha256}`]);
  });

  it('RFC 7672 §2.1.1: a bogus TLSA answer has no per-address match verdicts but keeps the suggested record', async () => {
    const out = await evaluateDane({ probed: true, mxHosts: [host([], [chainOf(p.leaf.cert)], { tlsa: tlsaAnswer([], { status: 'servfail', ad: false, ede: [{ code: 6 }] }) })] });
    expect(out.status).toBe('fail');
    expect(out.evidence.hosts[0]?.addresses).toEqual([]);
    expect(out.evidence.hosts[0]?.suggestedRecords).toHaveLength(1);
  });

  it('RFC 7672 §3.2 (scenario dane-mismatch): mx2 whose only record matches nothing fails without "next key" or single-record advice; mx1 keeps its advice', async () => {
    const out = await evaluateDane({ probed: true, stsMode: 'enforce', mxHosts: [host([ee311()], [chainOf(p.leaf.cert)]), mx2Host([tlsa(3, 1, 1, p.next.cert.spkiSha256, '_25._tcp.mx2.example.com')], [p.mx2.cert])] });
    const of = (h: string) => out.findings.filter((f) => f.host === h).map((f) => `${f.severity}:${f.id}`);
    expect(out.status).toBe('fail');
    expect(of('mx2.example.com')).toEqual(['fail:dane.no-match']);
    expect(of('mx1.example.com')).toContain('info:dane.single-record');
  });

  it.each([
    ['a chain no record matches', () => ({ probed: true, mxHosts: [host([tlsa(3, 1, 1, p.next.cert.spkiSha256)], [chainOf(p.leaf.cert)])] }), /^1 of 1 MX host with DANE in effect\. The chain presented by 192\.0\.2\.10 matches none of the 1 usable TLSA record \(leaf SPKI SHA-256 [0-9a-f]{64}\)\.$/],
    ['STARTTLS not offered', () => ({ probed: true, mxHosts: [host([ee311()], [failedProbe(A1, 'no-starttls')])] }), /^1 of 1 MX host with DANE in effect\. TLSA records are published for mx1\.example\.com but 192\.0\.2\.10 does not offer STARTTLS\.$/],
    ['records not validated', () => ({ probed: true, mxHosts: [host([ee311()], [chainOf(p.leaf.cert)], { tlsa: tlsaAnswer([ee311()], { ad: false }) })] }), /^0 of 1 MX host with DANE in effect\. _25\._tcp\.mx1\.example\.com has 1 TLSA record, but the answer was not DNSSEC-validated \(no AD flag\): the zone is unsigned or its chain of trust is broken\.$/],
  ] as const)('RFC 7672: the check summary joins whole sentences (%s)', async (_label, input, re) => {
    const out = await evaluateDane(input());
    expect(out.summary).toMatch(re);
    expect(out.summary).not.toMatch(/; [A-Z]/);
  });

  it('RFC 8484: a failed TLSA lookup gives a host summary of whole sentences', async () => {
    const out = await evaluateDane({ probed: true, mxHosts: [host([], [chainOf(p.leaf.cert)], { tlsa: tlsaAnswer([], { status: 'error', ad: false, errorKind: 'timeout', message: 'timed out' }) })] });
    expect(out.evidence.hosts[0]?.summary).toMatch(/^Could not look up the TLSA records\. No usable answer for TLSA _25\._tcp\.mx1\.example\.com \(timeout\): timed out\.$/);
  });
});

describe('firstSentence', () => {
  it.each([
    ['The chain fails (RFC 7672 §3.2). Replace it.', 'The chain fails (RFC 7672 §3.2).'],
    ['Keep the key, e.g. certbot --reuse-key. Then renew.', 'Keep the key, e.g. certbot --reuse-key.'],
    ['192.0.2.1 presents a chain. 192.0.2.2 matches.', '192.0.2.1 presents a chain.'],
    ['One sentence without a stop', 'One sentence without a stop.'],
    ['Only one.', 'Only one.'],
    ['Line one.\nLine two.', 'Line one.'],
  ])('RFC 7672 summaries: %j → %j', (text, want) => {
    expect(firstSentence(text)).toBe(want);
  });
});
