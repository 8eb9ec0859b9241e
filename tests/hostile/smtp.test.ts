// Issue 7, SMTP: a full checkDomain whose MX host is a misbehaving server on loopback port 25 (each
// case its own address), probed by the real prober (native-host/probe/probe-mx.ts). The starttls check
// must name the step that failed; the other checks must reach the same verdicts as without the fault.
import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDomain } from '../../core/engine.ts';
import type { CheckId, CheckStatus } from '../../core/report/schema.ts';
import { TestPki } from '../helpers/pki.ts';
import { addr, flood, Listeners, smtpSession, startDoh, startHttps, startRaw, zoneReply, type SmtpBehaviour, type TlsCredentials, type ZoneData } from './net.ts';
import { FAST, hostilePorts, parsed, reportCase, said } from './ports.ts';

// This file's block of the suite's range: 127.0.30.100–149.
const DOH = addr(100);
const POLICY = addr(101);
const firstSmtp = 102;

type Serve = SmtpBehaviour | ((s: net.Socket, l: Listeners) => void) | 'nothing-listens';

interface Row {
  scenario: string;
  title: string;
  serve: Serve;
  status: CheckStatus;
  says: RegExp;
}

const ROWS: Row[] = [
  {
    scenario: 'endlessbanner',
    title: 'RFC 5321 §4.2: a greeting of endless 220- continuation lines is a protocol error at step banner',
    serve: (s) => flood(s, '220-mx.hostile.test still greeting\r\n'.repeat(64)),
    status: 'warn',
    says: /starttls\.protocol-error.*at step banner: .*(more than 200 lines|bytes without a complete reply)/,
  },
  {
    scenario: 'nocrlf',
    title: 'RFC 5321 §4.5.3.1.5: a greeting line without CRLF that never ends is a protocol error at step banner',
    serve: (s) => {
      s.write('220 ');
      flood(s, 'a'.repeat(4096));
    },
    status: 'warn',
    says: /starttls\.protocol-error.*at step banner: .*longer than 2048 bytes/,
  },
  {
    scenario: 'manyehlo',
    title: 'RFC 5321 §4.2: an EHLO reply of 5000 lines is a protocol error at step ehlo',
    serve: { ehloLines: 5000 },
    status: 'warn',
    says: /starttls\.protocol-error.*at step ehlo: .*(more than 200 lines|bytes without a complete reply)/,
  },
  {
    scenario: 'tlsgarbage',
    title: 'RFC 3207 §4: garbage after "220 Ready to start TLS" fails the handshake at step tls',
    serve: { afterStarttls: 'garbage' },
    status: 'fail',
    says: /starttls\.handshake-failed.*at step tls/,
  },
  {
    scenario: 'pipelined',
    title: 'RFC 3207 §4.2: bytes sent right after "220 Ready to start TLS" are a protocol error at step starttls: no TLS, so fail under enforce',
    serve: { afterStarttls: 'garbage-with-reply' },
    status: 'fail',
    // When the bytes arrive after the reply in a second segment (a loaded machine), the handshake reads them instead: same verdict.
    says: /starttls\.protocol-error.*at step starttls: .*before the TLS handshake|starttls\.handshake-failed.*at step tls/,
  },
  {
    scenario: 'tlsstall',
    title: 'RFC 3207 §4: a handshake that stalls half-way times out at step tls',
    serve: { afterStarttls: 'stall-mid-handshake' },
    status: 'fail',
    says: /starttls\.handshake-timeout.*timed out at step tls/,
  },
  { scenario: 'closebanner', title: 'RFC 5321 §3.1: a close before the greeting is named at step banner', serve: { closeAt: 'banner' }, status: 'warn', says: /starttls\.connection-closed.*at step banner/ },
  { scenario: 'closeehlo', title: 'RFC 5321 §4.1.1.1: a close after EHLO is named at step ehlo', serve: { closeAt: 'ehlo' }, status: 'warn', says: /starttls\.connection-closed.*at step ehlo/ },
  { scenario: 'closestarttls', title: 'RFC 3207 §4: a close after STARTTLS is named at step starttls', serve: { closeAt: 'starttls' }, status: 'warn', says: /starttls\.connection-closed.*at step starttls/ },
  { scenario: 'closetls', title: 'RFC 3207 §4: a close in the middle of the handshake is named at step tls', serve: { closeAt: 'tls' }, status: 'fail', says: /starttls\.handshake-failed.*at step tls/ },
  {
    scenario: 'closeehlotls',
    title: 'RFC 3207 §4.2: a close on EHLO inside TLS is named at step ehlo-after-tls',
    serve: { closeAt: 'ehlo-after-tls' },
    status: 'fail',
    says: /starttls\.ehlo-after-tls-failed.*at step ehlo-after-tls/,
  },
  { scenario: 'refused', title: 'RFC 5321 §5.1: nothing listening is named at step connect', serve: 'nothing-listens', status: 'warn', says: /starttls\.connection-refused.*at step connect/ },
  {
    scenario: 'tarpit',
    title: 'RFC 5321 §4.5.3.2: no greeting from every address: port 25 is probably blocked, not a verdict',
    serve: () => undefined,
    status: 'error',
    says: /starttls\.port25-blocked.*timed out at step banner/,
  },
];

const domainOf = (s: string) => `${s}.hostile.test`;
const l = new Listeners();
const pki = new TestPki();
let dohUrl = '';
let ca: string[] = [];
const baseline = new Map<CheckId, CheckStatus>();

beforeAll(async () => {
  const root = pki.createRoot();
  ca = [root.cert];
  const scenarios = ['control', ...ROWS.map((r) => r.scenario)];
  const leaf = pki.issueLeaf(root, { dnsNames: scenarios.flatMap((s) => [`mx.${domainOf(s)}`, `mta-sts.${domainOf(s)}`]) });
  const creds: TlsCredentials = { key: leaf.key, cert: leaf.chain };
  const zone: Record<string, ZoneData> = {};
  for (const [i, s] of scenarios.entries()) {
    const d = domainOf(s);
    zone[d] = { MX: [[10, `mx.${d}`]] };
    zone[`mx.${d}`] = { A: [addr(firstSmtp + i)] };
    zone[`mta-sts.${d}`] = { A: [POLICY] };
    zone[`_mta-sts.${d}`] = { TXT: [['v=STSv1; id=20240101;']] };
    zone[`_smtp._tls.${d}`] = { TXT: [[`v=TLSRPTv1; rua=mailto:tlsrpt@${d}`]] };
  }
  dohUrl = await startDoh(l, DOH, (q) => ({ dns: zoneReply(q, zone) }));
  // Mode enforce: MX-level problems are failures (CHECKLIST A7).
  await startHttps(l, POLICY, creds, (req, res) => {
    const d = (req.headers.host ?? '').replace(/^mta-sts\./, '');
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`version: STSv1\r\nmode: enforce\r\nmx: mx.${d}\r\nmax_age: 604800\r\n`);
  });
  const serves: Serve[] = [{}, ...ROWS.map((r) => r.serve)];
  for (const [i, serve] of serves.entries()) {
    if (serve === 'nothing-listens') continue;
    await startRaw(l, addr(firstSmtp + i), 25, (s) => (typeof serve === 'function' ? serve(s, l) : smtpSession(s, creds, serve)));
  }
  const control = await checkDomain(domainOf('control'), hostilePorts({ dohUrl, ca }), FAST);
  if (!control.ok) throw new Error(control.error);
  for (const c of control.report.checks) baseline.set(c.id, c.status);
});

afterAll(async () => {
  await l.closeAll();
  pki.dispose();
});

describe('hostile SMTP servers through the engine', () => {
  it('the fault-free control MX passes STARTTLS', () => {
    expect(baseline.get('starttls')).toBe('pass');
    expect(baseline.get('policy-mx-match')).toBe('pass');
  });

  it.concurrent.each(ROWS)('$title', async (row) => {
    const result = await checkDomain(domainOf(row.scenario), hostilePorts({ dohUrl, ca }), FAST);
    if (!result.ok) throw new Error(result.error);
    const { check } = parsed(result.report);
    const c = check('starttls');
    reportCase(row.scenario, c);
    expect(c.status, said(c)).toBe(row.status);
    expect(said(c), said(c)).toMatch(row.says);
    for (const id of ['mx', 'sts-record', 'tlsrpt-record', 'policy-fetch', 'policy-syntax', 'policy-mx-match'] as const) expect(check(id).status, id).toBe(baseline.get(id));
  });
});
