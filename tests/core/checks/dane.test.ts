// The `dane` check as the engine calls it (core/checks/dane.ts over core/dane/evaluate.ts): the
// wrapper's own rules (skip reasons) and one row per verdict class, each judged through the
// check's evidence schema as registered in EVIDENCE_SCHEMAS.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDane, type DaneCheckRequest, type DaneHostInput } from '../../../core/checks/dane.ts';
import { EVIDENCE_SCHEMAS } from '../../../core/checks/evidence.ts';
import { FindingSchema } from '../../../core/report/schema.ts';
import { failedProbe, makeDanePki, mxProbe, okProbe, tlsa, tlsaAnswer, type DanePki } from '../dane/fixtures.ts';

let p: DanePki;
beforeAll(() => {
  p = makeDanePki();
});
afterAll(() => p.pki.dispose());

const A = '192.0.2.10';
const H = 'mx1.example.com';
const NOW = new Date();

function host(records: ReturnType<typeof tlsa>[], o: { ad?: boolean; probe?: 'leaf' | 'other' | 'no-starttls' | 'none'; addressesSecure?: boolean } = {}): DaneHostInput {
  const probes = { leaf: [okProbe(A, [p.leaf.cert, p.interCert])], other: [okProbe(A, [p.next.cert, p.interCert])], 'no-starttls': [failedProbe(A, 'no-starttls')], none: [] }[o.probe ?? 'leaf'];
  return {
    host: H,
    preference: 10,
    tlsa: tlsaAnswer(records, { ad: o.ad ?? true }),
    addressesSecure: o.addressesSecure ?? true,
    ...(o.probe === 'none' ? {} : { probe: mxProbe(H, probes) }),
  };
}
const ee311 = () => tlsa(3, 1, 1, p.leaf.cert.spkiSha256);
const request = (mxHosts: DaneHostInput[], extra: Partial<DaneCheckRequest> = {}): DaneCheckRequest => ({ mxHosts, probed: true, stsMode: 'enforce', domain: 'example.com', mxSecure: true, now: NOW, ...extra });

describe('dane check', () => {
  it.each([
    { name: 'RFC 7672 §2.2: no TLSA record for any MX host: DANE not deployed, skipped (optional)', req: () => request([host([])]), status: 'skipped', has: ['dane.not-deployed'] },
    { name: 'RFC 7672 §3.2: a validated DANE-EE(3) SPKI record matching the presented leaf passes', req: () => request([host([ee311()])]), status: 'pass', has: ['dane.record-matches', 'dane.mta-sts-interplay'] },
    { name: 'RFC 7672 §3.2: a validated record matching nothing presented fails', req: () => request([host([ee311()], { probe: 'other' })]), status: 'fail', has: ['dane.no-match'] },
    { name: 'RFC 7672 §2.2: TLSA records published for a host without STARTTLS fail', req: () => request([host([ee311()], { probe: 'no-starttls' })]), status: 'fail', has: ['dane.starttls-not-offered'] },
    { name: 'RFC 7672 §2.1.1: TLSA records without DNSSEC validation are ignored by senders: warn', req: () => request([host([ee311()], { ad: false })]), status: 'warn', has: ['dane.tlsa-not-validated'] },
    { name: 'RFC 7672 §2.2.2: validated TLSA with unvalidated addresses: DANE not in effect, warn', req: () => request([host([ee311()], { addressesSecure: false })]), status: 'warn', has: ['dane.addresses-not-validated'] },
    { name: 'RFC 7672 §3.2: without a prober the records are judged for syntax and DNSSEC only, matching skipped', req: () => request([host([ee311()], { probe: 'none' })], { probed: false, proberMissingReason: 'The helper is not installed.' }), status: 'skipped', has: ['dane.matching-skipped'] },
    { name: 'RFC 7505: a null MX leaves no host to look up: skipped with the reason', req: () => request([], { skipReason: 'Null MX: the domain accepts no mail.' }), status: 'skipped', has: [] },
  ])('$name', async ({ req, status, has }) => {
    const r = await checkDane(req());
    expect({ status: r.status, ids: r.findings.map((f) => f.id) }).toEqual({ status, ids: expect.arrayContaining(has) });
    expect(EVIDENCE_SCHEMAS.dane.safeParse(r.evidence).success).toBe(true);
    for (const f of r.findings) expect(FindingSchema.safeParse(f).success, f.id).toBe(true);
  });

  it('RFC 7505: the skip reason is the summary and the evidence says whether probes were available', async () => {
    const r = await checkDane(request([], { skipReason: 'Null MX: the domain accepts no mail.', probed: false, stsMode: 'testing' }));
    expect({ summary: r.summary, evidence: r.evidence }).toEqual({ summary: 'Null MX: the domain accepts no mail.', evidence: { probed: false, stsMode: 'testing', hosts: [] } });
  });

  it('RFC 7672 §2.2: a skip reason does not hide hosts that were looked up', async () => {
    const r = await checkDane(request([host([ee311()])], { skipReason: 'ignored when there are hosts' }));
    expect({ status: r.status, hosts: r.evidence.hosts.map((h) => h.host) }).toEqual({ status: 'pass', hosts: [H] });
  });
});
