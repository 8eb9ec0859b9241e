#!/usr/bin/env node
// `npm run bench`: builds what it measures, sets up an isolated network namespace with the bench
// network, runs the measurements there and prints the table. Ends by itself (hard limit 10 min).
// Needs root (ip netns) and Debian packages it installs when missing, saying so.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { buildNativeHost } from '../native-host/build.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const BUNDLE = join(ROOT, '.output/bench/bench.mjs');
const HARD_LIMIT_MS = 10 * 60_000;
const NS = `mtasts-bench-${process.pid}`;
const DNS_ADDRESS = '127.0.20.53';

const say = (line) => process.stderr.write(`bench: ${line}\n`);
function die(message) {
  process.stderr.write(`bench: FAILED: ${message}\n`);
  process.exit(1);
}
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8', ...opts });

function aptInstall(pkg, why) {
  say(`${why}: installing the Debian package ${pkg} with apt-get`);
  const r = run('apt-get', ['install', '-y', '--no-install-recommends', pkg], { env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' }, timeout: 300_000 });
  if (r.status !== 0) die(`apt-get install ${pkg} failed:\n${(r.stderr || r.stdout).slice(-1000)}`);
}

function preconditions() {
  if (process.platform !== 'linux') die('the bench needs Linux (network namespaces)');
  if (process.getuid?.() !== 0) die('the bench needs root for `ip netns` (an isolated loopback network for its servers)');
  if (!existsSync('/usr/sbin/ip') && !existsSync('/usr/bin/ip') && !existsSync('/sbin/ip')) aptInstall('iproute2', 'ip is missing');
  try {
    createRequire(import.meta.url).resolve('mailauth/lib/mta-sts.js');
  } catch {
    die('the npm package mailauth (devDependency) is missing: run `npm ci` first');
  }
  if (!existsSync('/usr/bin/mta-sts-query')) aptInstall('postfix-mta-sts-resolver', 'mta-sts-query (compared in row 3) is missing');
  if (!existsSync('/usr/bin/mta-sts-query')) die('mta-sts-query is still missing after installing postfix-mta-sts-resolver');
  if (!existsSync('/usr/bin/time')) aptInstall('time', '/usr/bin/time (peak memory in row 4) is missing');
  if (!existsSync('/usr/bin/chromium')) say('WARNING: /usr/bin/chromium is missing: the popup timing in row 5 will say so (apt-get install chromium)');
}

async function buildAll() {
  say('building the helper and CLI bundles (native-host/build.mjs)');
  await buildNativeHost();
  say('building the bench bundle (.output/bench/bench.mjs)');
  mkdirSync(dirname(BUNDLE), { recursive: true });
  await build({
    entryPoints: [join(ROOT, 'bench/main.ts')],
    outfile: BUNDLE,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    logLevel: 'warning',
  });
  if (!existsSync(join(ROOT, '.output/chrome-mv3/popup.html'))) {
    say('building the extension (npx wxt build) for the popup figures');
    const r = run('npx', ['wxt', 'build'], { cwd: ROOT, timeout: 300_000 });
    if (r.status !== 0) say(`WARNING: wxt build failed; the popup rows will say so:\n${(r.stderr || r.stdout).slice(-800)}`);
  }
}

function setUpNamespace() {
  const steps = [
    ['ip', ['netns', 'add', NS]],
    ['ip', ['-n', NS, 'link', 'set', 'lo', 'up']],
  ];
  for (const [cmd, args] of steps) {
    const r = run(cmd, args);
    if (r.status !== 0) die(`${cmd} ${args.join(' ')}: ${r.stderr.trim()}`);
  }
  // `ip netns exec` bind-mounts /etc/netns/<ns>/resolv.conf over /etc/resolv.conf: the system resolver
  // of every process in the namespace (ours, mailauth's c-ares, mta-sts-query's aiodns and glibc) asks the bench DNS server.
  mkdirSync(`/etc/netns/${NS}`, { recursive: true });
  writeFileSync(`/etc/netns/${NS}/resolv.conf`, `nameserver ${DNS_ADDRESS}\noptions timeout:2 attempts:2\n`);
}

function tearDownNamespace() {
  run('ip', ['netns', 'del', NS]);
  rmSync(`/etc/netns/${NS}`, { recursive: true, force: true });
}

function startNetwork(dir) {
  return new Promise((resolveP, reject) => {
    const child = spawn('ip', ['netns', 'exec', NS, process.execPath, BUNDLE, 'net', dir], { stdio: ['pipe', 'pipe', 'inherit'] });
    const timer = setTimeout(() => reject(new Error('the bench network did not start within 120 s')), 120_000);
    child.stdout.on('data', (c) => {
      if (String(c).includes('ready')) {
        clearTimeout(timer);
        resolveP(child);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the bench network exited (${code})`));
    });
  });
}

async function main() {
  preconditions();
  await buildAll();
  const dir = mkdtempSync(join(tmpdir(), 'mta-sts-bench-'));
  let net;
  const cleanup = () => {
    try {
      net?.stdin.end();
      net?.kill('SIGTERM');
    } catch {
      // already gone
    }
    tearDownNamespace();
    rmSync(dir, { recursive: true, force: true });
  };
  process.on('SIGINT', () => (cleanup(), process.exit(130)));
  setUpNamespace();
  try {
    say(`network namespace ${NS}; starting the bench network (certificates, DNS/DoH, policy and SMTP servers behind delaying proxies)`);
    net = await startNetwork(dir);
    const ca = join(dir, 'ca.pem');
    const measure = spawn('ip', ['netns', 'exec', NS, process.execPath, BUNDLE, 'measure', dir, ROOT], {
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, NODE_EXTRA_CA_CERTS: ca, SSL_CERT_FILE: ca, NO_COLOR: '1' },
    });
    const killer = setTimeout(() => {
      say(`FAILED: hard limit of ${HARD_LIMIT_MS / 60_000} minutes reached, stopping`);
      measure.kill('SIGKILL');
    }, HARD_LIMIT_MS);
    const code = await new Promise((r) => measure.on('exit', (c) => r(c ?? 1)));
    clearTimeout(killer);
    return code;
  } finally {
    cleanup();
  }
}

main().then(
  (code) => process.exit(code),
  (e) => die(e instanceof Error ? e.message : String(e)),
);
