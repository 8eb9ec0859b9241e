// The hermetic local internet of the tests: a private root and the test TLD on NSD, a
// validating unbound with DoH, HTTPS policy hosts and SMTP hosts, all generated from
// ./scenarios.ts and all on loopback addresses (./addresses.ts). `startTestNetwork()` brings it
// up in a temp folder and returns what clients need; `stop()` takes everything down again.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_HOSTS_PER_SCENARIO, MAX_SCENARIOS, NSD_ADDRESS, RESOLVER_ADDRESS, policyAddress, smtpAddress } from './addresses.ts';
import { issueNetworkCertificates, smtpCertKey, type NetworkCertificates } from './certs.ts';
import { generateKey, signZone, writeZone } from './dnssec.ts';
import { startNsd, type ZoneEntry } from './nsd.ts';
import { startPolicyServer, type RunningServer } from './policy-servers.ts';
import { killStale, type Daemon } from './processes.ts';
import { SCENARIOS, TEST_TLD, absoluteName, scenarioDomain, type Scenario, type SmtpBehaviour } from './scenarios.ts';
import { startSmtpHost } from './smtp-servers.ts';
import { startUnbound } from './unbound.ts';
import { rootHints, rootZone, scenarioZone, tldZone } from './zones.ts';

export interface NetworkSmtpHost {
  name: string;
  address: string;
  behaviour: SmtpBehaviour;
  /** PEM of the leaf the host presents. */
  cert: string;
  /** PEM of every certificate the host sends, leaf first. */
  chain: string;
  /** Its TLSA records at _25._tcp.<name> in presentation format ("3 1 1 <hex>"), in the scenario's `tlsa` order. */
  tlsa: string[];
}

export interface NetworkScenario extends Scenario {
  index: number;
  domain: string;
  policyHost?: { name: string; address: string; cert: string };
  smtpHosts: NetworkSmtpHost[];
}

/** Everything a client needs; plain data (it crosses from a vitest globalSetup to the tests). */
export interface TestNetworkInfo {
  dohUrl: string;
  /** Plain DNS (UDP/TCP port 53) of the validating resolver. */
  dnsAddress: string;
  authoritativeAddress: string;
  /** PEM of the test root CA. */
  caCert: string;
  /** The same, as a file (NODE_EXTRA_CA_CERTS, certutil). */
  caFile: string;
  scenarios: NetworkScenario[];
  /** For Chromium's --host-resolver-rules: "MAP name address, MAP …". */
  hostRules: string;
  hostMap: [name: string, address: string][];
  workDir: string;
  startupMs: number;
}

export interface TestNetwork extends TestNetworkInfo {
  stop(): Promise<void>;
}

export interface TestNetworkOptions {
  /** Default: all of SCENARIOS. */
  scenarios?: Scenario[];
  /** Keep the temp folder (zones, configs, logs) after stop(), for debugging. */
  keepFiles?: boolean;
  /** Progress lines (default: silent). */
  log?: (line: string) => void;
}

function checkScenarios(scenarios: Scenario[]): void {
  if (scenarios.length > MAX_SCENARIOS) throw new Error(`at most ${MAX_SCENARIOS} scenarios`);
  const seen = new Set<string>();
  for (const s of scenarios) {
    if (!/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(s.label)) throw new Error(`bad scenario label ${s.label}`);
    if (seen.has(s.label)) throw new Error(`duplicate scenario label ${s.label}`);
    seen.add(s.label);
    if (s.hosts.length > MAX_HOSTS_PER_SCENARIO) throw new Error(`${s.label}: at most ${MAX_HOSTS_PER_SCENARIO} hosts`);
  }
}

/** Zones written and signed in `dir`; returns the NSD zone list and the TLD trust anchor. */
function buildZones(dir: string, scenarios: Scenario[], certs: NetworkCertificates): { zones: ZoneEntry[]; trustAnchor: string } {
  const zones: ZoneEntry[] = [];
  const ds = new Map<string, string[]>();
  scenarios.forEach((s, i) => {
    const name = scenarioDomain(s);
    const file = `${name}.zone`;
    writeZone(dir, file, scenarioZone(s, i + 1, (h) => certs.tlsa.get(smtpCertKey(s, h)) ?? []));
    if (s.dnssec === 'unsigned') {
      zones.push({ name, file });
      return;
    }
    const key = generateKey(dir, `${name}.`);
    zones.push({ name, file: signZone(dir, file, `${name}.`, key, s.dnssec === 'bogus') });
    ds.set(s.label, key.ds);
  });
  const tldFile = `${TEST_TLD}.zone`;
  writeZone(dir, tldFile, tldZone(scenarios, ds));
  const tldKey = generateKey(dir, `${TEST_TLD}.`);
  zones.push({ name: TEST_TLD, file: signZone(dir, tldFile, `${TEST_TLD}.`, tldKey) });
  writeZone(dir, 'root.zone', rootZone());
  zones.push({ name: '.', file: 'root.zone' });
  return { zones, trustAnchor: tldKey.ds.join('\n') };
}

function describe(scenarios: Scenario[], certs: NetworkCertificates): NetworkScenario[] {
  return scenarios.map((s, i) => {
    const index = i + 1;
    const policyCert = certs.policy.get(s.label);
    return {
      ...s,
      index,
      domain: scenarioDomain(s),
      ...(s.policy && policyCert ? { policyHost: { name: absoluteName(s, 'mta-sts'), address: policyAddress(index), cert: policyCert.cert } } : {}),
      smtpHosts: s.hosts.map((h, k) => ({
        name: absoluteName(s, h.name),
        address: smtpAddress(index, k),
        behaviour: h.behaviour,
        cert: certs.smtp.get(smtpCertKey(s, h))?.cert ?? '',
        chain: certs.smtp.get(smtpCertKey(s, h))?.chain ?? '',
        tlsa: certs.tlsa.get(smtpCertKey(s, h)) ?? [],
      })),
    };
  });
}

export async function startTestNetwork(options: TestNetworkOptions = {}): Promise<TestNetwork> {
  const started = Date.now();
  const log = options.log ?? (() => {});
  const scenarios = options.scenarios ?? SCENARIOS;
  checkScenarios(scenarios);
  const stale = killStale();
  if (stale) log(`stopped ${stale} daemon(s) left by an earlier run`);

  const workDir = mkdtempSync(join(tmpdir(), 'mta-sts-testnet-'));
  const daemons: Daemon[] = [];
  const servers: RunningServer[] = [];
  let certs: NetworkCertificates | undefined;
  let stopped = false;
  const stop = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await Promise.allSettled(servers.map((s) => s.stop()));
    await Promise.allSettled(daemons.map((d) => d.stop()));
    certs?.dispose();
    if (!options.keepFiles) rmSync(workDir, { recursive: true, force: true });
  };

  try {
    certs = issueNetworkCertificates(scenarios);
    log(`certificates issued (${Date.now() - started} ms)`);
    const { zones, trustAnchor } = buildZones(workDir, scenarios, certs);
    log(`zones signed (${Date.now() - started} ms)`);

    const caFile = join(workDir, 'ca.pem');
    writeFileSync(caFile, certs.root.cert);
    writeFileSync(join(workDir, 'root.hints'), rootHints());
    writeFileSync(join(workDir, 'trust-anchor.ds'), `${trustAnchor}\n`);
    writeFileSync(join(workDir, 'resolver.key'), certs.resolver.key, { mode: 0o600 });
    writeFileSync(join(workDir, 'resolver.pem'), certs.resolver.chain);

    const c = certs;
    const serverStarts: Promise<void>[] = [];
    scenarios.forEach((s, i) => {
      const policyCert = c.policy.get(s.label);
      if (s.policy && policyCert) serverStarts.push(startPolicyServer(s, i + 1, policyCert, c.policyDefault).then((r) => void servers.push(r)));
      s.hosts.forEach((h, k) => {
        const cert = c.smtp.get(smtpCertKey(s, h));
        if (!cert) throw new Error(`no certificate for ${smtpCertKey(s, h)}`);
        serverStarts.push(startSmtpHost(h, absoluteName(s, h.name), smtpAddress(i + 1, k), cert).then((r) => void servers.push(r)));
      });
    });
    const dnsStart = (async () => {
      daemons.push(await startNsd(workDir, zones, `${TEST_TLD}.`));
      daemons.push(
        await startUnbound(workDir, {
          rootHints: join(workDir, 'root.hints'),
          trustAnchor: join(workDir, 'trust-anchor.ds'),
          tlsKey: join(workDir, 'resolver.key'),
          tlsChain: join(workDir, 'resolver.pem'),
        }),
      );
    })();
    const results = await Promise.allSettled([dnsStart, ...serverStarts]);
    const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;

    const described = describe(scenarios, c);
    const hostMap: [string, string][] = [[`resolver.${TEST_TLD}`, RESOLVER_ADDRESS]];
    for (const s of described) {
      if (s.policyHost) hostMap.push([s.policyHost.name, s.policyHost.address]);
      for (const h of s.smtpHosts) hostMap.push([h.name, h.address]);
    }
    const startupMs = Date.now() - started;
    log(`test network up in ${startupMs} ms: ${described.length} scenarios, ${servers.length} servers`);
    return {
      dohUrl: `https://${RESOLVER_ADDRESS}/dns-query`,
      dnsAddress: RESOLVER_ADDRESS,
      authoritativeAddress: NSD_ADDRESS,
      caCert: c.root.cert,
      caFile,
      scenarios: described,
      hostRules: hostMap.map(([n, a]) => `MAP ${n} ${a}`).join(', '),
      hostMap,
      workDir,
      startupMs,
      stop,
    };
  } catch (e) {
    await stop();
    const err = e as NodeJS.ErrnoException & { address?: string; port?: number };
    if (err?.code === 'EADDRINUSE') {
      throw new Error(`${err.address}:${err.port} is in use: is another test network running (maybe under another TMPDIR)?`, { cause: e });
    }
    throw e;
  }
}
