// Issue 7, policy host: a full checkDomain whose https://mta-sts.<domain>/.well-known/mta-sts.txt is
// served by a misbehaving server on loopback port 443 (each case its own address), fetched by the real
// Node fetcher (native-host/policy/fetch-policy.ts). Each case says what policy-fetch or policy-syntax
// must report; the DNS-based checks must reach the same verdicts as for a fault-free domain.
import { gzipSync } from 'node:zlib';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDomain } from '../../core/engine.ts';
import type { CheckId, CheckStatus } from '../../core/report/schema.ts';
import { TestPki } from '../helpers/pki.ts';
import { addr, flood, Listeners, startDoh, startHttp, startHttps, startRaw, zoneReply, type TlsCredentials, type ZoneData } from './net.ts';
import { FAST, hostilePorts, parsed, reportCase, said } from './ports.ts';

// This file's block of the suite's range: 127.0.30.20–59.
const DOH = addr(20);
const ELSEWHERE = addr(21);
const POLICY_OK = 'version: STSv1\r\nmode: enforce\r\nmx: mx.example.net\r\nmax_age: 604800\r\n';
const BOMB = gzipSync(Buffer.alloc(50 * 1024 * 1024)); // 50 MiB of zeros in about 50 KB

type Serve =
  | { https: (req: IncomingMessage, res: ServerResponse, l: Listeners) => void; http80?: (req: IncomingMessage, res: ServerResponse) => void }
  | { raw: (s: net.Socket, l: Listeners) => void };

interface Row {
  scenario: string;
  title: string;
  serve: Serve;
  check: CheckId;
  status: CheckStatus;
  says: RegExp;
  /** Also: the policy-syntax check's status. */
  syntax?: CheckStatus;
}

const text = (res: ServerResponse, body: string | Buffer, headers: Record<string, string> = {}) =>
  res.writeHead(200, { 'content-type': 'text/plain', ...headers }).end(body);

const ROWS: Row[] = [
  {
    scenario: 'endless',
    title: 'RFC 8461 §3.3 (A16): an endless body is cut at the read limit, warned over 64 KiB, and what was kept is parsed (no version: invalid)',
    serve: { https: (_q, res) => (res.writeHead(200, { 'content-type': 'text/plain' }), flood(res, 'mx: mx.example.net\n'.repeat(512))) },
    check: 'policy-fetch',
    status: 'warn',
    // Cut at the 1 MiB read limit; the kept start is only mx lines, so the parsed policy lacks version, mode and max_age.
    says: /policy-fetch\.too-large.*(over the 65536-byte \(64 KiB\) limit|larger than 65536 bytes).*senders that apply the suggested limit discard this policy/,
    syntax: 'fail',
  },
  {
    scenario: 'hugeline',
    title: 'RFC 8461 §3.3 (A16): one gigantic line without a terminator is cut and warned over 64 KiB; no complete line is left to parse',
    serve: { https: (_q, res) => text(res, `version: STSv1 ${'x'.repeat(2 * 1024 * 1024)}`) },
    check: 'policy-fetch',
    status: 'warn',
    says: /over the 65536-byte \(64 KiB\) limit/,
    syntax: 'fail',
  },
  {
    scenario: 'longline',
    title: 'RFC 8461 §4.1: one 60 000-octet mx line under the size limit is parsed and rejected',
    serve: { https: (_q, res) => text(res, `version: STSv1\r\nmode: enforce\r\nmx: ${'a'.repeat(60_000)}.example.net\r\nmax_age: 604800\r\n`) },
    check: 'policy-syntax',
    status: 'fail',
    says: /policy-syntax\.[a-z-]+/,
  },
  {
    scenario: 'drip',
    title: 'RFC 8461 §3.3: a body dripped one byte a second stops at the time limit',
    serve: {
      https: (_q, res, l) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('v'); // the headers and a first byte at once, then one byte a second
        let i = 1;
        l.every(1000, () => res.write(POLICY_OK.charAt(i++ % POLICY_OK.length)), res);
      },
    },
    check: 'policy-fetch',
    status: 'fail',
    says: /The body did not finish within the time limit \(\d+ bytes received so far\)/,
    syntax: 'skipped',
  },
  {
    scenario: 'loop',
    title: 'RFC 8461 §3.3: a redirect loop is an error, followed only as far as the hop limit',
    serve: { https: (req, res) => res.writeHead(301, { location: `https://${req.headers.host}/.well-known/mta-sts.txt` }).end() },
    check: 'policy-fetch',
    status: 'fail',
    says: /answered HTTP 301 redirecting to https:\/\/mta-sts\.loop\.hostile\.test\/.*Senders MUST NOT follow redirects.*After 6 redirects led to .*more than 5 redirects/,
    syntax: 'skipped',
  },
  {
    scenario: 'tohttp',
    title: 'RFC 8461 §3.3: a redirect to http: is an error, and the target is named as plain HTTP',
    serve: {
      https: (req, res) => res.writeHead(302, { location: `http://${req.headers.host}/.well-known/mta-sts.txt` }).end(),
      http80: (_q, res) => text(res, POLICY_OK),
    },
    check: 'policy-fetch',
    status: 'fail',
    says: /led to http:\/\/mta-sts\.tohttp\.hostile\.test\/.*which answered 200 but plain HTTP, without TLS/,
    syntax: 'skipped',
  },
  {
    scenario: 'elsewhere',
    title: 'RFC 8461 §3.3: a redirect to another host is an error, and that host\'s certificate is judged',
    serve: { https: (_q, res) => res.writeHead(307, { location: 'https://policy.elsewhere.test/mta-sts.txt' }).end() },
    check: 'policy-fetch',
    status: 'fail',
    says: /led to https:\/\/policy\.elsewhere\.test\/mta-sts\.txt, which answered 200 but the certificate is not valid for policy\.elsewhere\.test/,
    syntax: 'skipped',
  },
  {
    scenario: 'tlsgarbage',
    title: 'RFC 8461 §3.3: garbage instead of a TLS handshake fails the fetch',
    serve: { raw: (s) => s.end(Buffer.from('\x15\x03\x03\x00\x02\x02\x28 garbage \x00\xff'.repeat(64), 'latin1')) },
    check: 'policy-fetch',
    status: 'fail',
    says: /policy-fetch\.tls-handshake-failed.*TLS handshake with 127\.0\.30\.\d+ failed/,
    syntax: 'skipped',
  },
  {
    scenario: 'plainhttp',
    title: 'RFC 8461 §3.3: plain HTTP on port 443 fails the TLS handshake',
    serve: { raw: (s) => s.once('data', () => s.end('HTTP/1.1 400 Bad Request\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n<html>plain http</html>')) },
    check: 'policy-fetch',
    status: 'fail',
    says: /policy-fetch\.tls-handshake-failed.*TLS handshake with 127\.0\.30\.\d+ failed/,
    syntax: 'skipped',
  },
  {
    scenario: 'smtpon443',
    title: 'RFC 8461 §3.3: an SMTP greeting on port 443 fails the TLS handshake',
    serve: { raw: (s) => s.write('220 mail.example ESMTP Postfix\r\n') },
    check: 'policy-fetch',
    status: 'fail',
    says: /policy-fetch\.tls-handshake-failed.*TLS handshake with 127\.0\.30\.\d+ failed/,
    syntax: 'skipped',
  },
  {
    scenario: 'gzipbomb',
    title: 'RFC 8461 §3.3: a gzip body that would expand to 50 MiB is not inflated, and is named',
    serve: { https: (_q, res) => text(res, BOMB, { 'content-encoding': 'gzip' }) },
    check: 'policy-fetch',
    status: 'warn',
    says: new RegExp(`Content-Encoding: gzip.*"bodyBytes":${BOMB.length},`),
    syntax: 'fail',
  },
  {
    scenario: 'badutf8',
    title: 'RFC 8461 §3.2: a policy with invalid UTF-8 is reported by policy-syntax',
    serve: { https: (_q, res) => text(res, Buffer.from('version: STSv1\r\nmode: enforce\r\nmx: mx.\xff\xfe\xc0\xaf.example.net\r\nmax_age: 604800\r\n', 'latin1')) },
    check: 'policy-syntax',
    status: 'fail',
    says: /UTF-8/,
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
  const leaf = pki.issueLeaf(root, { dnsNames: scenarios.map((s) => `mta-sts.${domainOf(s)}`) });
  const creds: TlsCredentials = { key: leaf.key, cert: leaf.chain };
  const zone: Record<string, ZoneData> = { 'policy.elsewhere.test': { A: [ELSEWHERE] } };
  for (const [i, s] of scenarios.entries()) {
    const d = domainOf(s);
    zone[d] = { MX: [[10, 'mx.example.net']] };
    zone[`mta-sts.${d}`] = { A: [addr(22 + i)] };
    zone[`_mta-sts.${d}`] = { TXT: [['v=STSv1; id=20240101;']] };
    zone[`_smtp._tls.${d}`] = { TXT: [[`v=TLSRPTv1; rua=mailto:tlsrpt@${d}`]] };
  }
  zone['mx.example.net'] = { A: [addr(59)] };
  dohUrl = await startDoh(l, DOH, (q) => ({ dns: zoneReply(q, zone) }));
  // The other host of the "elsewhere" redirect: serves a policy with a certificate that does not name it.
  await startHttps(l, ELSEWHERE, creds, (_q, res) => text(res, POLICY_OK));
  const serves: Serve[] = [{ https: (_q, res) => text(res, POLICY_OK) }, ...ROWS.map((r) => r.serve)];
  for (const [i, serve] of serves.entries()) {
    const at = addr(22 + i);
    if ('raw' in serve) await startRaw(l, at, 443, (s) => serve.raw(s, l));
    else {
      await startHttps(l, at, creds, (q, res) => serve.https(q, res, l));
      if (serve.http80) await startHttp(l, at, serve.http80);
    }
  }
  const control = await checkDomain(domainOf('control'), hostilePorts({ dohUrl, ca, probe: false }), FAST);
  if (!control.ok) throw new Error(control.error);
  for (const c of control.report.checks) baseline.set(c.id, c.status);
});

afterAll(async () => {
  await l.closeAll();
  pki.dispose();
});

describe('hostile policy hosts through the engine', () => {
  it('the fault-free control domain fetches and parses its policy', () => {
    for (const id of ['sts-record', 'tlsrpt-record', 'policy-fetch', 'policy-syntax', 'policy-mx-match'] as const) expect(baseline.get(id), id).toBe('pass');
  });

  it.concurrent.each(ROWS)('$title', async (row) => {
    const result = await checkDomain(domainOf(row.scenario), hostilePorts({ dohUrl, ca, probe: false }), FAST);
    if (!result.ok) throw new Error(result.error);
    const { check } = parsed(result.report);
    const c = check(row.check);
    reportCase(row.scenario, c);
    expect(c.status, said(c)).toBe(row.status);
    expect(said(c), said(c)).toMatch(row.says);
    if (row.syntax) expect(check('policy-syntax').status, said(check('policy-syntax'))).toBe(row.syntax);
    // The DNS-based checks do not depend on the policy host.
    for (const id of ['mx', 'sts-record', 'tlsrpt-record'] as const) expect(check(id).status, id).toBe(baseline.get(id));
    // Whatever was served, the report stays bounded: the kept body is the 64 KiB cap plus a little.
    expect(JSON.stringify(result.report).length).toBeLessThan(400_000);
  });
});
