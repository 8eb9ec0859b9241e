// The misbehaving network of the load test, run in a child process (so the test measures the memory of
// the checks, not of the servers): a resolver that stalls or sends broken messages, SMTP tarpits and
// floods, policy hosts that drip, flood or answer garbage. The child prints {"dohUrl"} once listening.
import { readFileSync } from 'node:fs';
import { addr, flood, Listeners, smtpSession, startDoh, startHttps, startRaw, zoneReply, type DohReply, type TlsCredentials, type ZoneData } from './net.ts';

export const RUNS = 200;
/** Five kinds of broken domain, round robin. */
export const KINDS = ['resolver-stall', 'tarpit+drip', 'flood+tls-garbage', 'tls-stall+endless', 'broken-dns'] as const;
export type Kind = (typeof KINDS)[number];
export const kindOf = (i: number): Kind => KINDS[i % KINDS.length] as Kind;
export const domainOf = (i: number): string => `l${i}.hostile.test`;
export const LOAD_NAMES = Array.from({ length: RUNS }, (_, i) => [`mx.${domainOf(i)}`, `mta-sts.${domainOf(i)}`]).flat();

// The load test's block of the suite's range: 127.0.30.200–230.
const DOH = addr(200);
const SMTP_TARPIT = addr(201);
const POLICY_DRIP = addr(202);
const SMTP_FLOOD = addr(203);
const POLICY_GARBAGE = addr(204);
const SMTP_TLS_STALL = addr(205);
const POLICY_ENDLESS = addr(206);

export async function startLoadNetwork(l: Listeners, creds: TlsCredentials): Promise<string> {
  const zone: Record<string, ZoneData> = {};
  const servers: Partial<Record<Kind, [string, string]>> = {
    'tarpit+drip': [SMTP_TARPIT, POLICY_DRIP],
    'flood+tls-garbage': [SMTP_FLOOD, POLICY_GARBAGE],
    'tls-stall+endless': [SMTP_TLS_STALL, POLICY_ENDLESS],
  };
  for (let i = 0; i < RUNS; i++) {
    const d = domainOf(i);
    const [smtp, policy] = servers[kindOf(i)] ?? [SMTP_TARPIT, POLICY_DRIP];
    zone[d] = { MX: [[10, `mx.${d}`]] };
    zone[`mx.${d}`] = { A: [smtp] };
    zone[`mta-sts.${d}`] = { A: [policy] };
    zone[`_mta-sts.${d}`] = { TXT: [['v=STSv1; id=1;']] };
    zone[`_smtp._tls.${d}`] = { TXT: [[`v=TLSRPTv1; rua=mailto:r@${d}`]] };
  }
  const dohUrl = await startDoh(l, DOH, (q): DohReply => {
    const i = Number(/(?:^|\.)l(\d+)\.hostile\.test$/.exec(q.name)?.[1] ?? -1);
    const kind = i >= 0 ? kindOf(i) : undefined;
    if (kind === 'resolver-stall' && q.type === 'MX') return 'hang';
    if (kind === 'broken-dns') return { dns: zoneReply(q, zone).subarray(0, 20) };
    return { dns: zoneReply(q, zone) };
  });
  await startRaw(l, SMTP_TARPIT, 25, () => undefined);
  await startRaw(l, SMTP_FLOOD, 25, (s) => flood(s, '220-flood\r\n'.repeat(128)));
  await startRaw(l, SMTP_TLS_STALL, 25, (s) => smtpSession(s, creds, { afterStarttls: 'stall-mid-handshake' }));
  await startHttps(l, POLICY_DRIP, creds, (_q, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    res.write('v');
    l.every(1000, () => res.write('x'), res);
  });
  await startRaw(l, POLICY_GARBAGE, 443, (s) => s.end(Buffer.alloc(512, 0x17)));
  await startHttps(l, POLICY_ENDLESS, creds, (_q, res) => (res.writeHead(200, { 'content-type': 'text/plain' }), flood(res, 'x'.repeat(16384))));
  return dohUrl;
}

// Run as the child: HOSTILE_LOAD_CREDS names a JSON file with {key, cert}.
const credsFile = process.env['HOSTILE_LOAD_CREDS'];
if (credsFile) {
  const creds = JSON.parse(readFileSync(credsFile, 'utf8')) as TlsCredentials;
  const l = new Listeners();
  const dohUrl = await startLoadNetwork(l, creds);
  process.stdout.write(`${JSON.stringify({ dohUrl })}\n`);
  // Until the test closes stdin (or kills us).
  process.stdin.resume();
  process.stdin.on('end', () => void l.closeAll().then(() => process.exit(0)));
}
