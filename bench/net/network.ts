// The bench network, self-contained (tests/harness has no hook for latency proxies): a DNS
// server (UDP, TCP, DoH), the policy web server and the SMTP servers, each behind a delaying
// proxy on its published address, plus an undelayed control endpoint used between runs
// (close every connection so each run pays its connection set-ups; read the DNS query log).
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import { join } from 'node:path';
import { TestPki } from '../../tests/helpers/pki.ts';
import { startTcpDelayProxy, startUdpDelayProxy, type DelayProxy } from './delay-proxy.ts';
import { createAnswerer, startDnsServers, type QueryLog } from './dns-server.ts';
import { startPolicyServer, type Listening } from './servers.ts';
import { startSmtpServer } from './smtp-server.ts';
import { ADDRESSES, BENCH_TLD, buildZone } from './zone.ts';

export const CONTROL_PORT = 8080;
export const BULK_NAMES_PER_CERT = 10;

export interface NetworkDescription {
  delayMs: number;
  rttMs: number;
  dohUrl: string;
  dnsAddress: string;
  caFile: string;
  controlUrl: string;
  goodDomain: string;
  bulkDomains: string[];
}

export interface BenchNetwork {
  description: NetworkDescription;
  stop(): Promise<void>;
}

export async function startBenchNetwork(dir: string, options: { delayMs: number; bulkCount: number }): Promise<BenchNetwork> {
  const { delayMs } = options;
  const zone = buildZone(options.bulkCount);
  const pki = new TestPki();
  const stops: (() => Promise<void>)[] = [];
  const resets: (() => void)[] = [];
  try {
    const root = pki.createRoot('MTA-STS Inspector Bench Root');
    const inter = pki.createIntermediate(root, 'MTA-STS Inspector Bench Intermediate');
    const resolverCert = pki.issueLeaf(inter, { dnsNames: [`resolver.${BENCH_TLD}`], ipAddresses: [ADDRESSES.dns] });
    const goodPolicy = pki.issueLeaf(inter, { dnsNames: [`mta-sts.${zone.goodDomain}`] });
    // Bulk policy hosts share certificates of BULK_NAMES_PER_CERT names each (as shared hosting does):
    // one per domain would take 500 × 3 openssl runs; one for all would be a 500-name certificate
    // that no real site serves and that would inflate every handshake and report.
    const bulkPolicy = new Map<string, ReturnType<typeof pki.issueLeaf>>();
    for (let i = 0; i < zone.bulkDomains.length; i += BULK_NAMES_PER_CERT) {
      const names = zone.bulkDomains.slice(i, i + BULK_NAMES_PER_CERT).map((d) => `mta-sts.${d}`);
      const issued = pki.issueLeaf(inter, { dnsNames: names });
      for (const n of names) bulkPolicy.set(n, issued);
    }
    const caFile = join(dir, 'ca.pem');
    writeFileSync(caFile, root.cert);

    const log: QueryLog = { count: 0, byKey: new Map() };
    const dns = await startDnsServers(createAnswerer(zone.records, BENCH_TLD, log), { key: resolverCert.key, cert: resolverCert.chain });
    stops.push(() => dns.close());
    resets.push(() => dns.resetConnections());
    const local = (port: number) => ({ host: '127.0.0.1', port });
    const proxies: DelayProxy[] = [
      await startUdpDelayProxy({ host: ADDRESSES.dns, port: 53 }, local(dns.udpPort), delayMs),
      await startTcpDelayProxy({ host: ADDRESSES.dns, port: 53 }, local(dns.tcpPort), delayMs),
      await startTcpDelayProxy({ host: ADDRESSES.dns, port: 443 }, local(dns.dohPort), delayMs),
    ];

    const certs = new Map([[`mta-sts.${zone.goodDomain}`, goodPolicy]]);
    for (const [name, issued] of bulkPolicy) certs.set(name, issued);
    const servers: Listening[] = [await startPolicyServer({ certs, fallback: goodPolicy, policies: zone.policies })];
    proxies.push(await startTcpDelayProxy({ host: ADDRESSES.policy, port: 443 }, local(servers[0]?.port ?? 0), delayMs));
    for (const mx of zone.mxHosts) {
      const smtp = await startSmtpServer(mx.name, pki.issueLeaf(inter, { dnsNames: [mx.name] }));
      servers.push(smtp);
      proxies.push(await startTcpDelayProxy({ host: mx.address, port: 25 }, local(smtp.port), delayMs));
    }
    for (const s of [...proxies, ...servers]) {
      stops.push(() => s.close());
      resets.push(() => s.resetConnections());
    }

    const control = http.createServer((req, res) => {
      if (req.method === 'POST' && req.url === '/reset') {
        for (const r of resets) r();
        log.count = 0;
        log.byKey.clear();
        return void res.end('{}');
      }
      if (req.url === '/log') return void res.end(JSON.stringify({ count: log.count, byKey: Object.fromEntries(log.byKey), cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000 }));
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => control.listen(CONTROL_PORT, ADDRESSES.control, () => r()));
    stops.push(() => new Promise((r) => control.close(() => r())));

    const description: NetworkDescription = {
      delayMs,
      rttMs: 2 * delayMs,
      dohUrl: `https://${ADDRESSES.dns}/dns-query`,
      dnsAddress: ADDRESSES.dns,
      caFile,
      controlUrl: `http://${ADDRESSES.control}:${CONTROL_PORT}`,
      goodDomain: zone.goodDomain,
      bulkDomains: zone.bulkDomains,
    };
    return {
      description,
      stop: async () => {
        for (const s of stops.reverse()) await s().catch(() => undefined);
        pki.dispose();
      },
    };
  } catch (e) {
    for (const s of stops.reverse()) await s().catch(() => undefined);
    pki.dispose();
    throw e;
  }
}
