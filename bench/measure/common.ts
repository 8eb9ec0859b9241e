// Shared pieces of the measuring process: the network's description, the control endpoint,
// repeated runs, and timing a child process.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NetworkDescription } from '../net/network.ts';

export interface Row {
  /** Row group of the issue (1..5). */
  group: number;
  label: string;
  value: string;
  ratio?: string;
  goal?: string;
  /** Explanations printed under the table. */
  notes?: string[];
}

export interface Context {
  net: NetworkDescription;
  root: string;
  cliBundle: string;
  helperBundle: string;
  runs: number;
}

export function loadContext(dir: string, root: string, runs: number): Context {
  const net = JSON.parse(readFileSync(join(dir, 'network.json'), 'utf8')) as NetworkDescription;
  return { net, root, cliBundle: join(root, '.output/native-host/cli.mjs'), helperBundle: join(root, '.output/native-host/helper.mjs'), runs };
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

/** Close every connection in the network (each run pays its own set-ups) and clear the query log. */
export async function resetNetwork(ctx: Context): Promise<void> {
  await fetch(`${ctx.net.controlUrl}/reset`, { method: 'POST' }).then((r) => r.text());
  // Let clients see the closed sockets before the next run starts.
  await sleep(100);
}

export async function queryLog(ctx: Context): Promise<{ count: number; byKey: Record<string, number> }> {
  return (await fetch(`${ctx.net.controlUrl}/log`).then((r) => r.json())) as { count: number; byKey: Record<string, number> };
}

/** Run `fn` `runs` times after a network reset; returns each run's wall time in ms and the last value. */
export async function timed<T>(ctx: Context, runs: number, fn: () => Promise<T>): Promise<{ ms: number[]; last: T | undefined }> {
  const ms: number[] = [];
  let last: T | undefined;
  for (let i = 0; i < runs; i++) {
    await resetNetwork(ctx);
    const t0 = performance.now();
    last = await fn();
    ms.push(performance.now() - t0);
  }
  return { ms, last };
}

export interface ChildResult {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Spawn a command, collect its output (bounded), time it from spawn to exit. */
export function runChild(cmd: string, args: string[], options: { env?: NodeJS.ProcessEnv; timeoutMs?: number; input?: string } = {}): Promise<ChildResult> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = spawn(cmd, args, { env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const cap = 64 * 1024 * 1024;
    child.stdout.on('data', (c: Buffer) => {
      if (stdout.length < cap) stdout += c.toString('utf8');
    });
    child.stderr.on('data', (c: Buffer) => {
      if (stderr.length < cap) stderr += c.toString('utf8');
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      resolve({ code: -1, stdout, stderr: stderr + String(e), ms: performance.now() - t0 });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr, ms: performance.now() - t0 });
    });
    child.stdin.end(options.input ?? '');
  });
}

/** Findings every report of this loopback network carries: its MX addresses are not public. */
export const EXPECTED_FINDINGS = new Set(['mx.non-public-address']);

interface ReportLike {
  status?: string;
  checks?: { id: string; status: string; findings: { id: string; severity: string }[] }[];
}

/** Undefined when the report is what the fully correct domain should give here; else what differs. */
export function unexpected(report: ReportLike | undefined): string | undefined {
  if (!report?.checks) return 'no report';
  const bad = report.checks.flatMap((c) =>
    c.findings.filter((f) => (f.severity === 'fail' || f.severity === 'warn') && !EXPECTED_FINDINGS.has(f.id)).map((f) => `${c.id}: ${f.id} (${f.severity})`),
  );
  const notRun = report.checks.filter((c) => c.status === 'error').map((c) => `${c.id}: error`);
  const all = [...bad, ...notRun];
  return all.length > 0 ? all.slice(0, 5).join(', ') : undefined;
}

export async function networkCpuMs(ctx: Context): Promise<number> {
  return ((await fetch(`${ctx.net.controlUrl}/log`).then((r) => r.json())) as { cpuMs: number }).cpuMs;
}
