// Row 4: 500 generated domains through the real CLI bundle, probes on, 50 at a time, under
// /usr/bin/time -v for the peak resident set size.
import { fmtNumber, fmtSummary, summarize } from '../stats.ts';
import { networkCpuMs, runChild, timed, unexpected, type Context, type Row } from './common.ts';

const TIME = '/usr/bin/time';

export async function bulkRow(ctx: Context, runs: number): Promise<Row[]> {
  const domains = ctx.net.bulkDomains;
  const rates: number[] = [];
  const rssMb: number[] = [];
  const problems = new Set<string>();
  const statuses = new Map<string, number>();
  const cpu: string[] = [];
  await timed(ctx, runs, async () => {
    const netCpu0 = await networkCpuMs(ctx);
    // BENCH_CPU_PROF=<dir>: V8 CPU profiles of the CLI (slower; figures then are not comparable).
    const prof = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
    const args = ['-v', process.execPath, ...prof, ctx.cliBundle, 'check', '--concurrency', '50', '--json', '--resolver', ctx.net.dohUrl, '--allow-private', ...domains];
    const r = await runChild(TIME, args, { timeoutMs: 180_000 });
    const netCpu = (await networkCpuMs(ctx)) - netCpu0;
    const user = Number(/User time \(seconds\): ([\d.]+)/.exec(r.stderr)?.[1] ?? NaN);
    const sys = Number(/System time \(seconds\): ([\d.]+)/.exec(r.stderr)?.[1] ?? NaN);
    cpu.push(`wall ${(r.ms / 1000).toFixed(1)} s: CLI CPU ${(user + sys).toFixed(1)} s, bench network CPU ${(netCpu / 1000).toFixed(1)} s`);
    const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
    if (rss) rssMb.push(Number(rss[1]) / 1024);
    else problems.add('no peak RSS in /usr/bin/time -v output');
    try {
      const reports = JSON.parse(r.stdout) as Parameters<typeof unexpected>[0][];
      if (reports.length !== domains.length) problems.add(`${reports.length} reports for ${domains.length} domains`);
      statuses.clear();
      for (const rep of reports) {
        const why = unexpected(rep);
        const key = why ? `unexpected (${why})` : 'as expected';
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
      }
    } catch {
      // The CLI's own last words come before /usr/bin/time's report.
      const own = r.stderr.split('\tCommand being timed')[0] ?? '';
      problems.add(`CLI exit ${r.code}, output not JSON: ${own.slice(-600).trim() || '(nothing on stderr)'}`);
    }
    // The rate from the child's own wall time (spawn to exit, Node start-up included).
    rates.push(domains.length / (r.ms / 1000));
  });
  const rate = summarize(rates);
  const rss = summarize(rssMb);
  return [
    {
      group: 4,
      label: `bulk: ${domains.length} domains, check --concurrency 50 --json, probes on (DoH)`,
      value: fmtSummary(rate, 'domains/s', 1),
      goal: '≥ 50/s',
      notes: [
        `Reports (last run; "as expected" = only the loopback-address finding): ${[...statuses].map(([s, n]) => `${n} ${s}`).join('; ').slice(0, 400)}`,
        `CPU per run (2 cores shared by the CLI and the bench network): ${cpu.join('; ')}`,
        ...[...problems].map((p) => `WARNING: ${p}`),
      ],
    },
    { group: 4, label: 'bulk: peak resident memory of the CLI process', value: fmtSummary(rss, 'MB', 0), goal: '< 200 MB', ratio: `max ${fmtNumber(rss.max)} MB` },
  ];
}
