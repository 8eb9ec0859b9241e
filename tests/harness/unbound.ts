// The validating resolver (unbound, from Debian): plain DNS on RESOLVER_ADDRESS:53 and
// DNS-over-HTTPS (RFC 8484, HTTP/2) on RESOLVER_ADDRESS:443 with a certificate from the test
// CA. Its only root server is our NSD; its only trust anchor is the test TLD's key, so it never
// contacts the internet and validates exactly our zones.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESOLVER_ADDRESS } from './addresses.ts';
import { waitForAnswer } from './nsd.ts';
import { startDaemon, type Daemon } from './processes.ts';
import { TEST_TLD } from './scenarios.ts';

export interface UnboundFiles {
  rootHints: string;
  trustAnchor: string;
  tlsKey: string;
  tlsChain: string;
}

function config(dir: string, f: UnboundFiles): string {
  return `server:
  interface: ${RESOLVER_ADDRESS}@53
  interface: ${RESOLVER_ADDRESS}@443
  https-port: 443
  http-endpoint: "/dns-query"
  http-notls-downstream: no
  tls-service-key: "${f.tlsKey}"
  tls-service-pem: "${f.tlsChain}"
  do-daemonize: no
  username: ""
  chroot: ""
  directory: "${dir}"
  pidfile: "${join(dir, 'unbound.pid')}"
  use-syslog: no
  logfile: ""
  verbosity: 1
  num-threads: 1
  so-reuseport: no
  access-control: 127.0.0.0/8 allow
  do-not-query-localhost: no
  do-ip6: no
  root-hints: "${f.rootHints}"
  trust-anchor-file: "${f.trustAnchor}"
  local-zone: "test." nodefault
  module-config: "validator iterator"
  ede: yes
  val-log-level: 2
  qname-minimisation: no
  harden-referral-path: no
  prefetch: no
  cache-max-ttl: 60
  cache-max-negative-ttl: 10
  infra-host-ttl: 60
  minimal-responses: yes
remote-control:
  control-enable: no
`;
}

export async function startUnbound(dir: string, files: UnboundFiles): Promise<Daemon> {
  const conf = join(dir, 'unbound.conf');
  writeFileSync(conf, config(dir, files));
  const daemon = startDaemon('unbound', ['-d', '-c', conf], conf, dir);
  try {
    await waitForAnswer(daemon, RESOLVER_ADDRESS, `${TEST_TLD}.`, 'unbound', 10_000);
  } catch (e) {
    await daemon.stop();
    throw e;
  }
  return daemon;
}
