// The bench's two processes (started by bench/run.mjs inside a network namespace):
//   net <dir>      start the bench network, write <dir>/network.json, run until stdin closes;
//   measure <dir>  measure every row against it and print the table (JSON to <dir>/results.json).
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { startBenchNetwork } from './net/network.ts';
import { bulkRow } from './measure/bulk-row.ts';
import type { Report } from '../core/report/schema.ts';
import { loadContext, type Row } from './measure/common.ts';
import { engineRows } from './measure/engine-rows.ts';
import { popupRow } from './measure/popup-row.ts';
import { helperRow, popupSizeRow } from './measure/startup-rows.ts';
import { toolRows } from './measure/tool-rows.ts';
import { renderTable } from './table.ts';

async function net(dir: string): Promise<void> {
  const delayMs = Number(process.env.BENCH_DELAY_MS ?? 25);
  const bulkCount = Number(process.env.BENCH_BULK ?? 500);
  const network = await startBenchNetwork(dir, { delayMs, bulkCount });
  writeFileSync(join(dir, 'network.json'), JSON.stringify(network.description));
  process.stdout.write('ready\n');
  const stop = () => void network.stop().finally(() => process.exit(0));
  process.stdin.on('end', stop).on('close', stop).resume();
  process.on('SIGTERM', stop);
}

async function measure(dir: string, root: string): Promise<number> {
  const runs = Number(process.env.BENCH_RUNS ?? 7);
  const ctx = loadContext(dir, root, runs);
  const rows: Row[] = [];
  // BENCH_ROWS=4 (or 1,4): measure only those row groups, for before/after of one change.
  const only = new Set((process.env.BENCH_ROWS ?? '').split(',').map((x) => x.trim()).filter(Boolean));
  const step = async (name: string, groups: number[], fn: () => Promise<Row[] | Row>) => {
    if (only.size > 0 && !groups.some((g) => only.has(String(g)))) return;
    const t0 = performance.now();
    process.stderr.write(`bench: ${name} …`);
    try {
      const r = await fn();
      rows.push(...(Array.isArray(r) ? r : [r]));
      process.stderr.write(` ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
    } catch (e) {
      process.stderr.write(` FAILED\n`);
      throw e;
    }
  };
  // The machine is shared: its load (all processes, not only the bench's namespace) says how
  // contended the CPU was; 1, 5 and 15 minute averages at the start and at the end of measuring.
  const load = (): string => loadavg().map((x) => x.toFixed(2)).join(' / ');
  const loadBefore = load();
  let report: Report | undefined;
  await step('rows 1–3 (engine in-process, mailauth)', [1, 2, 3], async () => {
    const r = await engineRows(ctx);
    report = r.figures.report;
    return r.rows;
  });
  await step('row 3 (mta-sts-query and our CLI as processes)', [3], () => toolRows(ctx));
  await step('row 4 (bulk)', [4], () => bulkRow(ctx, Number(process.env.BENCH_BULK_RUNS ?? 3)));
  await step('row 5 (helper hello)', [5], () => helperRow(ctx, 10));
  const extDir = join(root, '.output/chrome-mv3');
  await step('row 5 (popup size)', [5], async () => popupSizeRow(extDir));
  await step('row 5 (popup in Chromium)', [5], () => popupRow(ctx, extDir, report));
  const header = [
    `MTA-STS Inspector bench — ${new Date().toISOString()}, Node ${process.version}, ${ctx.runs} runs per in-process figure`,
    `Latency: no netem on this kernel, so user-space proxies delay every UDP datagram and TCP chunk by ${ctx.net.delayMs} ms each way`,
    `(RTT ${ctx.net.rttMs} ms; the upstream TCP connection opens 1.5 RTT after connect, as a real handshake would). Figures: median (n, min–max, IQR).`,
    `SMTP servers greet at once (bench/net/smtp-server.ts), so no server think time is in any figure or bound.`,
    `Machine: ${cpus().length} CPUs shared with other work; load average (1/5/15 min) ${loadBefore} at the start, ${load()} at the end of measuring.`,
  ];
  process.stdout.write(`${header.join('\n')}\n${renderTable(rows)}\n`);
  writeFileSync(join(dir, 'results.json'), JSON.stringify(rows, null, 2));
  return 0;
}

const [mode, dir, root] = process.argv.slice(2);
if (mode === 'net' && dir) {
  net(dir).catch((e: unknown) => {
    process.stderr.write(`bench net: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
} else if (mode === 'measure' && dir && root) {
  measure(dir, root).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`bench: ${e instanceof Error ? e.stack : String(e)}\n`);
      process.exit(1);
    },
  );
} else {
  process.stderr.write('usage: bench.mjs net <dir> | measure <dir> <repo root>\n');
  process.exit(2);
}
