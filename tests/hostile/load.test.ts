// Issue 7, load: 200 concurrent checkDomain runs against a misbehaving loopback network (a resolver
// that stalls or sends broken messages, SMTP tarpits and floods, policy hosts that drip, flood or
// answer garbage), served by a child process so that the memory measured here is the checks' own.
// All runs must settle, each with a report, before the overall deadline we set, and memory must stay
// bounded (sampled while they run). The figures are printed for the issue's closing note.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { buildSync } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkDomain, type EngineResult } from '../../core/engine.ts';
import type { CheckId } from '../../core/report/schema.ts';
import { TestPki } from '../helpers/pki.ts';
import { domainOf, KINDS, kindOf, LOAD_NAMES, RUNS, type Kind } from './load-network.ts';
import { FAST, hostilePorts, parsed } from './ports.ts';
import { connectionSemaphore } from '../../native-host/net/concurrency.ts';
import { connectionLimit } from '../../native-host/cli/commands/check.ts';

/** The overall deadline: every run must have settled (with a report) before it. */
const DEADLINE_MS = 75_000;
const MB = 1024 * 1024;

const pki = new TestPki();
const dir = mkdtempSync(join(tmpdir(), 'hostile-load-'));
let child: ChildProcess | undefined;
let dohUrl = '';

beforeAll(async () => {
  // As `check --concurrency 200` sets it: each check needs a few connections at once (the policy
  // fetch, and per MX address the probe with and without SNI).
  connectionSemaphore.setLimit(connectionLimit(RUNS));
  // The test root is not handed to the clients: with extra roots every TLS connection builds its own
  // trust store (a test-only cost); without them the clients use Node's shared one, as in production.
  // The servers' certificates are then untrusted, which changes nothing here: the clients still read on.
  const root = pki.createRoot();
  const leaf = pki.issueLeaf(root, { dnsNames: LOAD_NAMES });
  writeFileSync(join(dir, 'creds.json'), JSON.stringify({ key: leaf.key, cert: leaf.chain }));
  const bundle = join(dir, 'network.mjs');
  buildSync({ entryPoints: ['tests/hostile/load-network.ts'], bundle: true, platform: 'node', format: 'esm', outfile: bundle, logLevel: 'warning' });
  const proc = spawn(process.execPath, [bundle], { env: { ...process.env, HOSTILE_LOAD_CREDS: join(dir, 'creds.json') }, stdio: ['pipe', 'pipe', 'inherit'] });
  child = proc;
  const line = await new Promise<string>((resolve, reject) => {
    proc.once('exit', (code) => reject(new Error(`the network process exited (${code})`)));
    createInterface({ input: proc.stdout! }).once('line', resolve);
  });
  dohUrl = (JSON.parse(line) as { dohUrl: string }).dohUrl;
});

afterAll(async () => {
  connectionSemaphore.setLimit(connectionLimit(1));
  if (child && child.exitCode === null) {
    const exited = new Promise((r) => child?.once('exit', r));
    child.stdin?.end(); // the child closes its servers and exits
    const timer = setTimeout(() => child?.kill(), 5000);
    await exited;
    clearTimeout(timer);
  }
  pki.dispose();
  rmSync(dir, { recursive: true, force: true });
});

// Limits for 200 checks on 2 shared cores: the suite's short ones (FAST) would end most runs before
// they reach a server at all (the policy deadline covers its own lookup, and the child serving every
// server is slow too), and the test wants each kind of fault reached and named at least once.
const LOAD_STEP_MS = 3000;
const LOAD_LIMITS = { policyTimeoutMs: 10_000, probeTimeoutMs: 8000 };

describe('hostile network under load', () => {
  it(`RFC 8461 §3.3 / RFC 5321 §4.5.3.2: ${RUNS} concurrent checks all settle with a report before the deadline, memory bounded`, { timeout: DEADLINE_MS + 15_000 }, async () => {
    const deadline = AbortSignal.timeout(DEADLINE_MS);
    const before = process.memoryUsage();
    const peak = { rss: before.rss, heapUsed: before.heapUsed };
    const sampler = setInterval(() => {
      const m = process.memoryUsage();
      peak.rss = Math.max(peak.rss, m.rss);
      peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
    }, 50);
    const started = performance.now();
    let results: EngineResult[];
    try {
      results = await Promise.all(
        Array.from({ length: RUNS }, (_, i) => checkDomain(domainOf(i), hostilePorts({ dohUrl, ca: [], dnsTimeoutMs: 5000, stepMs: LOAD_STEP_MS }), { ...FAST, ...LOAD_LIMITS, signal: deadline })),
      );
    } finally {
      clearInterval(sampler);
    }
    const elapsed = performance.now() - started;
    const after = process.memoryUsage();
    console.log(
      `[hostile load] ${RUNS} checks settled in ${(elapsed / 1000).toFixed(1)} s (deadline ${DEADLINE_MS / 1000} s); ` +
        `rss ${(before.rss / MB).toFixed(0)} → peak ${(peak.rss / MB).toFixed(0)} → ${(after.rss / MB).toFixed(0)} MB; ` +
        `heapUsed ${(before.heapUsed / MB).toFixed(0)} → peak ${(peak.heapUsed / MB).toFixed(0)} → ${(after.heapUsed / MB).toFixed(0)} MB`,
    );

    // Settled before the deadline: had it fired, the runs still going would have answered "cancelled".
    expect(deadline.aborted).toBe(false);
    const refused = results.flatMap((r, i) => (r.ok ? [] : [`${domainOf(i)}: ${r.error}`]));
    expect(refused).toEqual([]);
    // Each kind of breakage is said, not swallowed. Under this load the resolver itself can time out on
    // any lookup (then the check says "could not look up", status error), so: every run of a kind ends in
    // an expected state, and at least one run of each kind reached the server and named its fault.
    const ofKind = (kind: Kind) =>
      results.flatMap((r, i) => (r.ok && kindOf(i) === kind ? [parsed(r.report)] : []));
    const ids = (c: { findings: { id: string }[] }) => c.findings.map((f) => f.id);
    const expectKind = (kind: Kind, check: CheckId, finding: string, otherwise: RegExp) => {
      const runs = ofKind(kind);
      if (process.env['HOSTILE_REPORT'] === '1') {
        const tally = new Map<string, number>();
        for (const r of runs) {
          const c = r.check(check);
          const key = `${c.status} ${ids(c).includes(finding) ? finding : (c.findings[0]?.id ?? '-')}`;
          tally.set(key, (tally.get(key) ?? 0) + 1);
        }
        console.log(`[hostile load] ${kind} ${check}: ${[...tally].map(([k, n]) => `${n}× ${k}`).join(' | ')}`);
      }
      expect(runs.length).toBe(RUNS / KINDS.length);
      for (const r of runs) {
        const c = r.check(check);
        if (!ids(c).includes(finding)) expect(`${c.status} ${ids(c).join(' ')}`, `${kind} ${check}`).toMatch(otherwise);
      }
      expect(runs.some((r) => ids(r.check(check)).includes(finding)), `${kind}: no run shows ${finding}`).toBe(true);
    };
    // Could not check (lookup failed, fetcher past its deadline, no connection slot) or slow under load.
    const couldNotFetch = /^error\b|policy-fetch\.timeout/;
    expectKind('resolver-stall', 'mx', 'mx.lookup-failed', /^$/);
    // Under load a step can time out anywhere (the child serving 200 clients is slow too): said as such.
    const couldNotProbe = /^(error|skipped)\b|starttls\.timeout/;
    expectKind('tarpit+drip', 'starttls', 'starttls.port25-blocked', couldNotProbe);
    // The load network's certificate is untrusted on purpose (see beforeAll): when the handshake's
    // verdict is recorded before the drip runs out of time, that is the finding a run reports.
    expectKind('tarpit+drip', 'policy-fetch', 'policy-fetch.timeout', /^error\b|policy-fetch\.timeout|policy-fetch\.certificate-unknown-issuer/);
    expectKind('flood+tls-garbage', 'starttls', 'starttls.protocol-error', couldNotProbe);
    expectKind('flood+tls-garbage', 'policy-fetch', 'policy-fetch.tls-handshake-failed', couldNotFetch);
    expectKind('tls-stall+endless', 'starttls', 'starttls.handshake-timeout', couldNotProbe);
    expectKind('tls-stall+endless', 'policy-fetch', 'policy-fetch.too-large', couldNotFetch);
    expectKind('broken-dns', 'sts-record', 'sts-record.lookup-failed', /^$/);
    // Bounded memory: generous ceilings (about 1 MB per concurrent check is measured: sockets, TLS state,
    // the kept 64 KiB bodies), far below what reading the floods unbounded would take (40 × endless body).
    expect(peak.rss - before.rss).toBeLessThan(300 * MB);
    expect(peak.heapUsed - before.heapUsed).toBeLessThan(200 * MB);
  });
});
