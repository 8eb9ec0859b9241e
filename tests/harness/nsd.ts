// The authoritative server (NSD, from Debian) for the private root, the test TLD and every
// scenario zone, on NSD_ADDRESS:53, configured from a temp folder (no chroot, no user switch, no database).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NSD_ADDRESS } from './addresses.ts';
import { udpQuery } from './dns-client.ts';
import { startDaemon, type Daemon } from './processes.ts';

export interface ZoneEntry {
  name: string;
  /** File name inside the work folder. */
  file: string;
}

function config(dir: string, zones: ZoneEntry[]): string {
  const server = [
    'server:',
    `  ip-address: ${NSD_ADDRESS}`,
    '  port: 53',
    '  username: ""',
    '  chroot: ""',
    `  zonesdir: "${dir}"`,
    '  database: ""',
    `  pidfile: "${join(dir, 'nsd.pid')}"`,
    `  xfrdfile: "${join(dir, 'xfrd.state')}"`,
    `  xfrdir: "${dir}"`,
    `  zonelistfile: "${join(dir, 'zone.list')}"`,
    `  logfile: "${join(dir, 'nsd.log')}"`,
    '  server-count: 1',
    '  verbosity: 1',
    '  hide-version: yes',
    '  reuseport: no',
    'remote-control:',
    '  control-enable: no',
  ];
  const zoneLines = zones.flatMap((z) => ['zone:', `  name: "${z.name}"`, `  zonefile: "${z.file}"`]);
  return `${[...server, ...zoneLines].join('\n')}\n`;
}

async function waitForAnswer(daemon: Daemon, server: string, name: string, what: string, deadlineMs: number): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  let last = '';
  while (Date.now() < deadline) {
    if (daemon.child.exitCode !== null) throw new Error(`${what} exited (${daemon.child.exitCode}): ${daemon.output().slice(-2000)}`);
    try {
      const r = await udpQuery(server, name, 'SOA', 300);
      if (r.rcode === 'NOERROR') return;
      last = r.rcode;
    } catch (e) {
      last = e instanceof Error ? e.message : String(e);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${what} did not answer within ${deadlineMs} ms (${last}): ${daemon.output().slice(-2000)}`);
}

export async function startNsd(dir: string, zones: ZoneEntry[], readyName: string): Promise<Daemon> {
  const conf = join(dir, 'nsd.conf');
  writeFileSync(conf, config(dir, zones));
  const daemon = startDaemon('nsd', ['-d', '-c', conf], conf, dir);
  try {
    await waitForAnswer(daemon, NSD_ADDRESS, readyName, 'nsd', 10_000);
  } catch (e) {
    await daemon.stop();
    throw e;
  }
  return daemon;
}

export { waitForAnswer };
