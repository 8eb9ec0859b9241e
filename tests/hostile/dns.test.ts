// Issue 7, DNS: a full checkDomain through a real DoH server on loopback that answers with broken,
// mismatched, looping, oversized or hostile messages, or with HTTP 500, an HTML page, or nothing.
// Each case names the check that needed the answer and what it must say; the others must complete.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDomain } from '../../core/engine.ts';
import type { CheckId, CheckStatus } from '../../core/report/schema.ts';
import { TestPki } from '../helpers/pki.ts';
import {
  addr,
  aRdata,
  Listeners,
  longWireName,
  mxRdata,
  pointerLoopReply,
  rawReply,
  smtpSession,
  startDoh,
  startHttps,
  startRaw,
  txtRdata,
  zoneReply,
  type DnsQuestion,
  type DohReply,
  type ZoneData,
} from './net.ts';
import { FAST, hostilePorts, parsed, reportCase, said } from './ports.ts';

// This file's block of the suite's range: 127.0.30.1–19.
const DOH = addr(1);
const POLICY = addr(2);
const SMTP = addr(3);

type Hostile = (q: DnsQuestion, zone: Record<string, ZoneData>) => DohReply | undefined;
const on = (name: (d: string) => string, type: string, reply: (q: DnsQuestion, zone: Record<string, ZoneData>) => DohReply): ((d: string) => Hostile) =>
  (d) => (q, zone) => (q.name === name(d) && q.type === type ? reply(q, zone) : undefined);
const dns = (bytes: Uint8Array): DohReply => ({ dns: bytes });
const mxName = (d: string) => d;
const stsName = (d: string) => `_mta-sts.${d}`;
const rptName = (d: string) => `_smtp._tls.${d}`;
const mxHost = (d: string) => `mx.${d}`;
const LP_MX = Buffer.from([2, 0x6c, 0x70, 0xc0, 0x0c]);

interface Row {
  scenario: string;
  title: string;
  hostile: (d: string) => Hostile;
  check: CheckId;
  status: CheckStatus;
  says: RegExp;
  /** Checks that do not depend on the broken answer and must still reach their normal verdict. */
  unaffected: CheckId[];
}

const ROWS: Row[] = [
  {
    scenario: 'wrongid',
    title: 'RFC 1035 §4.1.1: an MX answer with another query id is not used',
    hostile: on(mxName, 'MX', (q, z) => dns(zoneReply(q, z, { id: (q.id + 1) & 0xffff }))),
    check: 'mx',
    status: 'error',
    says: /response id \d+ does not match the query id/,
    unaffected: ['sts-record', 'tlsrpt-record', 'policy-fetch', 'policy-syntax'],
  },
  {
    scenario: 'wrongq',
    title: 'RFC 1035 §7.3: a _mta-sts TXT answer for another question is not used',
    hostile: on(stsName, 'TXT', (q, z) => dns(zoneReply(q, z, { qname: 'attacker.example' }))),
    check: 'sts-record',
    status: 'error',
    says: /is for attacker\.example TXT, not the question asked/,
    unaffected: ['mx', 'starttls', 'tlsrpt-record', 'policy-syntax', 'policy-mx-match'],
  },
  {
    scenario: 'truncated',
    title: 'RFC 1035 §4.1: a _smtp._tls TXT message cut short is malformed',
    hostile: on(rptName, 'TXT', (q, z) => dns(zoneReply(q, z).subarray(0, -9))),
    check: 'tlsrpt-record',
    status: 'error',
    says: /cannot be used: .*(past the end|truncated|short)/i,
    unaffected: ['mx', 'starttls', 'sts-record', 'policy-fetch', 'policy-mx-match'],
  },
  {
    scenario: 'ptrloop',
    title: 'RFC 1035 §4.1.4: a compression pointer loop in the MX answer is refused',
    hostile: on(mxName, 'MX', (q) => dns(pointerLoopReply(q))),
    check: 'mx',
    status: 'error',
    says: /pointer/i,
    unaffected: ['sts-record', 'tlsrpt-record', 'policy-fetch', 'policy-syntax'],
  },
  {
    scenario: 'longowner',
    title: 'RFC 1035 §2.3.4: an owner name over 255 octets is refused',
    hostile: on(mxName, 'MX', (q) => dns(rawReply(q, [{ type: 'MX', owner: longWireName(5), rdata: mxRdata(10, Buffer.from([0])) }]))),
    check: 'mx',
    status: 'error',
    says: /255/,
    unaffected: ['sts-record', 'tlsrpt-record', 'policy-fetch', 'policy-syntax'],
  },
  {
    scenario: 'longexchange',
    title: 'RFC 1035 §2.3.4: an MX exchange over 255 octets is refused',
    hostile: on(mxName, 'MX', (q) => dns(rawReply(q, [{ type: 'MX', rdata: mxRdata(10, longWireName(5)) }]))),
    check: 'mx',
    status: 'error',
    says: /name too long/,
    unaffected: ['sts-record', 'tlsrpt-record', 'policy-fetch', 'policy-syntax'],
  },
  {
    scenario: 'manymx',
    title: 'RFC 5321 §5.1: 1500 MX records: the first 16 hosts are checked, the rest named as a count',
    hostile: on(mxName, 'MX', (q) =>
      dns(rawReply(q, Array.from({ length: 1500 }, (_, i) => ({ type: 'MX', rdata: mxRdata(i, Buffer.concat([Buffer.from([5]), Buffer.from(`m${String(i).padStart(4, '0')}`), Buffer.from([0xc0, 0x0c])])) })))),
    ),
    check: 'mx',
    status: 'fail', // the 16 hosts looked up do not exist
    says: /1500 MX records \(the first 1000 read\).*only the first 16 hosts/,
    unaffected: ['sts-record', 'tlsrpt-record', 'policy-fetch', 'policy-syntax'],
  },
  {
    scenario: 'manya',
    title: 'RFC 1035 §4.2.2: 3000 A records for the MX host are capped, the check completes',
    hostile: on(mxHost, 'A', (q) =>
      dns(rawReply(q, Array.from({ length: 3000 }, (_, i) => ({ type: 'A', rdata: aRdata(`127.0.${31 + (i >> 8)}.${i & 0xff}`) })))),
    ),
    check: 'mx',
    status: 'fail', // the addresses are loopback ones: non-public, as the check must say
    says: /127\.0\.31\.7 \(loopback\) and 992 more.*has 3000 A records; only the first 1000 were read/,
    unaffected: ['sts-record', 'tlsrpt-record', 'policy-fetch', 'policy-syntax'],
  },
  {
    scenario: 'manytxt',
    title: 'RFC 8461 §3.1: 2000 _mta-sts TXT records are more than one record',
    hostile: on(stsName, 'TXT', (q) => dns(rawReply(q, Array.from({ length: 2000 }, (_, i) => ({ type: 'TXT', rdata: txtRdata(`v=STSv1; id=${i};`) }))))),
    check: 'sts-record',
    status: 'fail',
    says: /2000 TXT records, at least 1000 records beginning with \\"v=STSv1;\\".* and \d+ more/,
    unaffected: ['mx', 'starttls', 'tlsrpt-record', 'policy-syntax', 'policy-mx-match'],
  },
  {
    scenario: 'htmltxt',
    title: 'RFC 8461 §3.1: a _mta-sts TXT of HTML and control characters is an invalid id, kept as text',
    hostile: on(stsName, 'TXT', (q) => dns(rawReply(q, [{ type: 'TXT', rdata: txtRdata('v=STSv1; id=<script>alert(1)</script>\x00\x1b[2J\x07;') }]))),
    check: 'sts-record',
    status: 'fail',
    says: /id/,
    unaffected: ['mx', 'starttls', 'tlsrpt-record', 'policy-syntax', 'policy-mx-match'],
  },
  {
    scenario: 'htmlrpt',
    title: 'RFC 8460 §3: a _smtp._tls TXT with an HTML rua is a warning at most',
    hostile: on(rptName, 'TXT', (q) => dns(rawReply(q, [{ type: 'TXT', rdata: txtRdata('v=TLSRPTv1; rua=<img src=x onerror=alert(1)>\x00\x1b]0;owned\x07') }]))),
    check: 'tlsrpt-record',
    status: 'warn',
    says: /rua/,
    unaffected: ['mx', 'starttls', 'sts-record', 'policy-fetch', 'policy-mx-match'],
  },
  {
    scenario: 'cnameloop',
    title: 'RFC 1034 §3.6.2: a CNAME loop for the MX host is named',
    hostile: on(mxHost, 'A', (q) =>
      dns(
        rawReply(q, [
          // mx.<d> → lp.mx.<d> → mx.<d>: both written with compression pointers to the question name.
          { type: 'CNAME', rdata: LP_MX },
          { type: 'CNAME', owner: LP_MX, rdata: Buffer.from([0xc0, 0x0c]) },
        ]),
      ),
    ),
    check: 'mx',
    status: 'fail',
    says: /mx\.cname-loop.*loops through CNAME records/,
    unaffected: ['sts-record', 'tlsrpt-record', 'policy-fetch', 'policy-syntax'],
  },
];

interface WholeRow {
  scenario: string;
  title: string;
  reply: DohReply;
  says: RegExp;
}

/** The resolver itself is broken: every check that needs DNS is `error` (could not check), none is a verdict. */
const WHOLE: WholeRow[] = [
  { scenario: 'http500', title: 'RFC 8484 §4.2.1: HTTP 500 from the resolver', reply: { status: 500, body: 'Internal Server Error' }, says: /HTTP 500/ },
  {
    scenario: 'htmlpage',
    title: 'RFC 8484 §6: an HTML page instead of application/dns-message',
    reply: { status: 200, contentType: 'text/html', body: '<!doctype html><html><script>alert(1)</script>Login</html>' },
    says: /HTML page/,
  },
  { scenario: 'silent', title: 'RFC 8484 §5: a resolver that never answers', reply: 'hang', says: /did not answer within 2000 ms/ },
];

const scenarios = ['control', ...ROWS.map((r) => r.scenario), ...WHOLE.map((w) => w.scenario)];
const domainOf = (s: string) => `${s}.hostile.test`;

const l = new Listeners();
const pki = new TestPki();
let dohUrl = '';
/** Statuses of a domain without any fault: the unaffected checks must reach the same verdicts. */
const baseline = new Map<CheckId, CheckStatus>();
let ca: string[] = [];
const zone: Record<string, ZoneData> = {};

beforeAll(async () => {
  const root = pki.createRoot();
  ca = [root.cert];
  const leaf = pki.issueLeaf(root, { dnsNames: scenarios.flatMap((s) => [`mta-sts.${domainOf(s)}`, `mx.${domainOf(s)}`]) });
  for (const s of scenarios) {
    const d = domainOf(s);
    zone[d] = { MX: [[10, `mx.${d}`]] };
    zone[`mx.${d}`] = { A: [SMTP] };
    zone[`mta-sts.${d}`] = { A: [POLICY] };
    zone[`_mta-sts.${d}`] = { TXT: [['v=STSv1; id=20240101;']] };
    zone[`_smtp._tls.${d}`] = { TXT: [[`v=TLSRPTv1; rua=mailto:tlsrpt@${d}`]] };
  }
  const hostile = new Map<string, Hostile>(ROWS.map((r) => [r.scenario, r.hostile(domainOf(r.scenario))]));
  const whole = new Map(WHOLE.map((w) => [w.scenario, w.reply]));
  dohUrl = await startDoh(l, DOH, (q) => {
    const s = /([a-z0-9]+)\.hostile\.test$/.exec(q.name)?.[1] ?? '';
    return whole.get(s) ?? hostile.get(s)?.(q, zone) ?? dns(zoneReply(q, zone));
  });
  await startHttps(l, POLICY, { key: leaf.key, cert: leaf.chain }, (req, res) => {
    const d = (req.headers.host ?? '').replace(/^mta-sts\./, '');
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`version: STSv1\r\nmode: enforce\r\nmx: mx.${d}\r\nmax_age: 604800\r\n`);
  });
  await startRaw(l, SMTP, 25, (s) => smtpSession(s, { key: leaf.key, cert: leaf.chain }));
  const control = await checkDomain(domainOf('control'), hostilePorts({ dohUrl, ca }), FAST);
  if (!control.ok) throw new Error(control.error);
  for (const c of control.report.checks) baseline.set(c.id, c.status);
});

/** No control character from a record or a server reaches a summary or a message. */
function expectVisibleText(checks: { summary: string; findings: { message: string }[] }[]): void {
  for (const c of checks) for (const text of [c.summary, ...c.findings.map((f) => f.message)]) expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
}

afterAll(async () => {
  await l.closeAll();
  pki.dispose();
});

describe('hostile DNS through the engine', () => {
  it('the fault-free control domain passes its policy checks (so the rows compare against real verdicts)', () => {
    for (const id of ['sts-record', 'tlsrpt-record', 'policy-fetch', 'policy-syntax', 'policy-mx-match', 'starttls'] as const) expect(baseline.get(id), id).toBe('pass');
  });

  it.concurrent.each(ROWS)('$title', async (row) => {
    const result = await checkDomain(domainOf(row.scenario), hostilePorts({ dohUrl, ca }), FAST);
    if (!result.ok) throw new Error(result.error);
    const { check } = parsed(result.report);
    const c = check(row.check);
    reportCase(row.scenario, c);
    expect(c.status, said(c)).toBe(row.status);
    expect(said(c), said(c)).toMatch(row.says);
    for (const id of row.unaffected) expect(check(id).status, `${id}: ${said(check(id))}`).toBe(baseline.get(id));
    expectVisibleText(result.report.checks);
  });

  it.concurrent.each(WHOLE)('$title: every DNS-based check is error, naming the cause', async (row) => {
    const result = await checkDomain(domainOf(row.scenario), hostilePorts({ dohUrl, ca }), FAST);
    if (!result.ok) throw new Error(result.error);
    const { check } = parsed(result.report);
    expectVisibleText(result.report.checks);
    for (const id of ['mx', 'sts-record', 'tlsrpt-record', 'policy-fetch'] as const) {
      expect(check(id).status, `${id}: ${said(check(id))}`).toBe('error');
      expect(said(check(id))).toMatch(row.says);
    }
    // Nothing to probe, parse or match: said as such, not as a verdict on the domain.
    for (const id of ['starttls', 'policy-syntax', 'policy-mx-match'] as const) expect(check(id).status).toMatch(/^(skipped|error)$/);
  });
});
