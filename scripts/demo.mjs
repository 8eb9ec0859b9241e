#!/usr/bin/env node
// `npm run demo`: an offline tour for a newcomer. Brings up the hermetic test network
// (scripts/testnet.mjs: signed zones on nsd, a validating unbound with DoH, policy and SMTP
// hosts on 127.0.5x.0/24), runs the real CLI on a few telling scenarios, times
// `check --no-probe` on the good domain, and always takes the network down again (also on
// Ctrl-C, SIGTERM or an error). Needs root, like the network. Ends by itself in about a minute.
//
// If a network started by `node scripts/testnet.mjs up` is already running, the demo uses it and
// leaves it running.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(root, 'native-host/bin/mta-sts-inspector.mjs');
const testnet = join(root, 'scripts/testnet.mjs');
const INFO_FILE = join(tmpdir(), 'mta-sts-testnet.json'); // testnet.mjs's default
const NETWORK_START_LIMIT_MS = 60_000;
const CLI_LIMIT_MS = 30_000;
const DEMO_LIMIT_MS = 150_000;
const TIMED_RUNS = 3;

const tty = process.stdout.isTTY;
const bold = (t) => (tty ? `\x1b[1m${t}\x1b[0m` : t);
const dim = (t) => (tty ? `\x1b[2m${t}\x1b[0m` : t);
const say = (t = '') => process.stdout.write(`${t}\n`);

/** The scenarios shown (labels from tests/harness/scenarios.ts) and what to look for in each. */
const TOUR = [
  ['good', 'Everything right: signed zone, enforce policy, two MX hosts with valid certificates, TLSRPT. All checks pass.'],
  ['cert-expired', 'mx2 presents an expired certificate. With mode: enforce, MTA-STS senders will not deliver to it (RFC 8461 §4.2).'],
  ['policy-bad-mode', 'The policy says "mode: enforcing". Senders treat the whole policy as invalid (RFC 8461 §3.2): look at the line and column, and the fix.'],
  ['sts-space-before-semicolon', 'The TXT record is "v=STSv1 ; id=…". A space before the first ";" makes senders discard it (RFC 8461 §3.1).'],
  ['dane-mismatch', 'DANE next to MTA-STS: the TLSA record of mx2 matches a key the host does not use, so DANE senders refuse it (RFC 7672 §3.2).'],
];

let network; // { info, child?: ChildProcess, owned: boolean }
let cleaning;
const running = new Set(); // CLI children, stopped on the way out

function isAlive(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]$/.test(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3));
  } catch {
    return false;
  }
}

/** A network someone left up with `testnet.mjs up`: use it, do not stop it. */
function attachToRunning() {
  if (!existsSync(INFO_FILE)) return undefined;
  try {
    const info = JSON.parse(readFileSync(INFO_FILE, 'utf8'));
    return info.pid && isAlive(info.pid) && info.dohUrl && info.caFile ? info : undefined;
  } catch {
    return undefined;
  }
}

/** `testnet.mjs up --json` as a child; resolves with the info line it prints once it is up. */
function startNetwork() {
  return new Promise((resolveInfo, reject) => {
    const child = spawn(process.execPath, [testnet, 'up', '--json'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    network = { child, owned: true };
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`the test network did not come up within ${NETWORK_START_LIMIT_MS / 1000} s`)), NETWORK_START_LIMIT_MS);
    child.stderr.on('data', (chunk) => {
      err = (err + chunk).slice(-4000);
      for (const line of String(chunk).split('\n')) if (line.trim()) process.stderr.write(`${dim(line)}\n`);
    });
    child.stdout.on('data', (chunk) => {
      out += chunk;
      const nl = out.indexOf('\n');
      if (nl < 0) return;
      clearTimeout(timer);
      try {
        resolveInfo(JSON.parse(out.slice(0, nl)));
      } catch (e) {
        reject(new Error(`unexpected output from testnet.mjs: ${out.slice(0, 200)}`, { cause: e }));
      }
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      network.exited = true;
      reject(new Error(`the test network stopped (${signal ?? `exit ${code}`}):\n${err.trim()}`));
    });
  });
}

/** Stop what we started, once, whatever happened. */
function cleanup() {
  cleaning ??= (async () => {
    for (const c of running) c.kill('SIGTERM');
    const child = network?.owned ? network.child : undefined;
    if (!child || network.exited || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(force);
    process.stderr.write(`${dim('[demo] test network stopped')}\n`);
  })();
  return cleaning;
}

/** Runs the CLI; resolves with its exit code and wall time (stdout captured only when asked). */
function runCli(args, info, { capture = false } = {}) {
  return new Promise((resolveRun) => {
    const started = performance.now();
    const child = spawn(process.execPath, [cli, ...args], {
      cwd: root,
      env: { ...process.env, NODE_EXTRA_CA_CERTS: info.caFile },
      stdio: ['ignore', capture ? 'pipe' : 'inherit', 'inherit'],
    });
    running.add(child);
    let out = '';
    child.stdout?.on('data', (c) => (out += c));
    const timer = setTimeout(() => child.kill('SIGKILL'), CLI_LIMIT_MS);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      resolveRun({ code: code ?? (signal ? 128 : 1), signal, ms: performance.now() - started, out });
    });
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  if (typeof process.getuid === 'function' && process.getuid() !== 0) {
    say('The demo brings up a local test network on ports 25, 53 and 443 of 127.0.5x.x addresses: run it as root');
    say('(for instance in the project container), or see README.md for the extension and the CLI on real domains.');
    return 2;
  }
  const attached = attachToRunning();
  if (attached) {
    network = { info: attached, owned: false };
    say(dim(`Using the test network already running (pid ${attached.pid}); it is left running afterwards.`));
  } else {
    say(bold('Starting the hermetic test network (private DNS root, validating resolver with DoH, HTTPS and SMTP servers on loopback)…'));
    const started = await startNetwork().catch((e) => {
      if (/another test network is running|is in use/.test(String(e.message))) {
        e.message += '\nAnother test network (probably a test run) holds the fixed addresses; try again when it has finished.';
      }
      throw e;
    });
    network.info = started;
  }
  const info = network.info;
  const domainOf = (label) => info.scenarios.find((s) => s.label === label)?.domain;
  const base = ['--resolver', info.dohUrl, '--allow-private'];
  say(`DNS over HTTPS: ${info.dohUrl}   test CA: ${info.caFile}`);
  say(dim(`Every command below is the real CLI: NODE_EXTRA_CA_CERTS=${info.caFile} npx mta-sts-inspector check <domain> ${base.join(' ')}`));

  for (const [label, what] of TOUR) {
    const domain = domainOf(label);
    if (!domain) continue;
    say();
    say(bold(`━━ ${domain}`));
    say(what);
    say(dim(`$ mta-sts-inspector check ${domain} --resolver … --allow-private`));
    const r = await runCli(['check', domain, ...base], info);
    if (r.signal || r.code > 1) say(`(the CLI ended with ${r.signal ?? `exit ${r.code}`})`);
  }

  const good = domainOf('good');
  say();
  say(bold(`━━ Timing: check --no-probe ${good}`));
  say('DNS through the local DoH resolver and the policy fetch over HTTPS, without the SMTP probes:');
  const first = await runCli(['check', good, '--no-probe', ...base], info);
  const walls = [first.ms];
  const engine = [];
  for (let i = 1; i < TIMED_RUNS; i++) {
    const r = await runCli(['check', good, '--no-probe', '--json', ...base], info, { capture: true });
    walls.push(r.ms);
    try {
      engine.push(JSON.parse(r.out).durationMs);
    } catch {
      // not JSON: the wall time still counts
    }
  }
  say();
  say(bold(`Wall time of "check --no-probe ${good}": ${walls.map((ms) => `${Math.round(ms)} ms`).join(', ')} (median ${Math.round(median(walls))} ms)`));
  say(dim('  (whole process: Node start-up, DoH lookups, policy fetch, rendering)'));
  if (engine.length) say(dim(`  engine's own durationMs in the report: ${engine.map((ms) => `${Math.round(ms)} ms`).join(', ')}`));
  return 0;
}

const deadline = setTimeout(() => {
  process.stderr.write(`[demo] still running after ${DEMO_LIMIT_MS / 1000} s: stopping\n`);
  void cleanup().then(() => process.exit(1));
}, DEMO_LIMIT_MS);
deadline.unref();
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    process.stderr.write(`\n[demo] ${sig}: stopping the test network\n`);
    void cleanup().then(() => process.exit(sig === 'SIGINT' ? 130 : 143));
  });
}

let code = 1;
try {
  code = await main();
} catch (e) {
  process.stderr.write(`[demo] ${e instanceof Error ? e.message : String(e)}\n`);
} finally {
  await cleanup();
}
process.exit(code);
