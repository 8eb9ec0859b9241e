#!/usr/bin/env node
// Bring the hermetic test network (tests/harness/network.ts) up or down by hand, for demos and
// benchmarks. Needs root (ports 25/443/53 on 127.0.50.0/24 … 127.0.59.0/24) and Debian's
// nsd, unbound, ldnsutils and openssl.
//
//   node scripts/testnet.mjs up [--info FILE] [--json] [--keep-files]   runs in the foreground; Ctrl-C stops it
//   node scripts/testnet.mjs down [--info FILE]                         stops the one `up` started
//
// While it runs, tests attach to it instead of starting their own:
//   MTA_STS_TESTNET_INFO=/tmp/mta-sts-testnet.json npx vitest run tests/integration
import { build } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const command = args[0];
const flag = (name) => args.includes(name);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1] : fallback;
};
const infoFile = resolve(option('--info', join(tmpdir(), 'mta-sts-testnet.json')));

function usage(code) {
  process.stderr.write('usage: node scripts/testnet.mjs up [--info FILE] [--json] [--keep-files] | down [--info FILE]\n');
  process.exit(code);
}

async function loadHarness() {
  // The harness is TypeScript: bundle it once (node_modules stay external, resolved from here).
  const outDir = join(root, 'node_modules/.cache/mta-sts-testnet');
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, 'network.mjs');
  await build({
    entryPoints: [join(root, 'tests/harness/network.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile,
    logLevel: 'warning',
  });
  return import(pathToFileURL(outfile).href);
}

async function up() {
  if (existsSync(infoFile)) {
    const old = JSON.parse(readFileSync(infoFile, 'utf8'));
    if (old.pid && isAlive(old.pid)) {
      process.stderr.write(`A test network is already running (pid ${old.pid}); run "down" first.\n`);
      process.exit(1);
    }
  }
  const { startTestNetwork } = await loadHarness();
  const net = await startTestNetwork({ keepFiles: flag('--keep-files'), log: (l) => process.stderr.write(`[testnet] ${l}\n`) });
  const { stop, ...info } = net;
  writeFileSync(infoFile, JSON.stringify({ ...info, pid: process.pid }, null, 2));
  if (flag('--json')) process.stdout.write(`${JSON.stringify(info)}\n`);
  else {
    process.stdout.write(
      [
        `Test network up in ${info.startupMs} ms: ${info.scenarios.length} scenarios.`,
        `  DoH resolver   ${info.dohUrl}`,
        `  plain DNS      ${info.dnsAddress}:53`,
        `  test CA        ${info.caFile}   (NODE_EXTRA_CA_CERTS=${info.caFile})`,
        `  info file      ${infoFile}   (MTA_STS_TESTNET_INFO=${infoFile})`,
        `  domains        ${info.scenarios.map((s) => s.domain).join(' ')}`,
        `  CLI example    NODE_EXTRA_CA_CERTS=${info.caFile} npx mta-sts-inspector check good.mtasts.test --resolver ${info.dohUrl} --allow-private`,
        'Ctrl-C (or "node scripts/testnet.mjs down") stops it.',
        '',
      ].join('\n'),
    );
  }
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    await stop();
    rmSync(infoFile, { force: true });
    process.stderr.write('[testnet] stopped\n');
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
  setInterval(() => {}, 1 << 30); // stay up until a signal
}

/** Running and not a zombie (a container's PID 1 may never reap a killed process). */
function isAlive(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3));
  } catch {
    return false;
  }
}

async function down() {
  if (!existsSync(infoFile)) {
    process.stderr.write(`No running test network (${infoFile} not found).\n`);
    process.exit(1);
  }
  const { pid } = JSON.parse(readFileSync(infoFile, 'utf8'));
  if (!Number.isInteger(pid) || !isAlive(pid)) {
    rmSync(infoFile, { force: true });
    process.stderr.write('The test network was not running; removed its stale info file.\n');
    return;
  }
  process.kill(pid, 'SIGTERM');
  for (let i = 0; i < 100 && isAlive(pid); i++) await new Promise((r) => setTimeout(r, 100));
  process.stderr.write(isAlive(pid) ? `pid ${pid} did not stop within 10 s.\n` : 'Test network stopped.\n');
}

if (command === 'up') await up();
else if (command === 'down') await down();
else usage(command ? 2 : 0);
