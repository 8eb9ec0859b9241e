// Row 3 (processes): Debian's postfix-mta-sts-resolver (`mta-sts-query`, Python) against our
// CLI, both as the processes a user runs, on plain DNS. Start-up is measured on its own
// (`--help` loads the same code) so the work can be compared without it.
import { fmtRatio, fmtSummary, ratio, summarize } from '../stats.ts';
import { runChild, timed, unexpected, type ChildResult, type Context, type Row } from './common.ts';

const MTA_STS_QUERY = '/usr/bin/mta-sts-query';

async function repeatChild(ctx: Context, runs: number, cmd: string, args: string[], check: (r: ChildResult) => string | undefined) {
  const problems = new Set<string>();
  const t = await timed(ctx, runs, async () => {
    const r = await runChild(cmd, args, { timeoutMs: 60_000 });
    const problem = check(r);
    if (problem) problems.add(problem);
    return r;
  });
  return { s: summarize(t.ms), problems: [...problems] };
}

export async function toolRows(ctx: Context): Promise<Row[]> {
  const runs = Math.max(3, Math.ceil(ctx.runs / 2));
  const domain = ctx.net.goodDomain;
  const node = process.execPath;

  const theirs = await repeatChild(ctx, runs, MTA_STS_QUERY, [domain], (r) =>
    r.code === 0 && /enforce/.test(r.stdout) ? undefined : `mta-sts-query exit ${r.code}: ${(r.stdout + r.stderr).slice(0, 200)}`,
  );
  if (theirs.s.n === 0 || theirs.problems.length > 0) throw new Error(`mta-sts-query did not fetch the policy: ${theirs.problems.join('; ')}`);
  const theirStart = await repeatChild(ctx, runs, MTA_STS_QUERY, ['--help'], () => undefined);

  const ours = await repeatChild(ctx, runs, node, [ctx.cliBundle, 'check', '--resolver', 'system', '--no-probe', '--json', '--allow-private', domain], (r) => {
    try {
      const why = unexpected(JSON.parse(r.stdout) as Parameters<typeof unexpected>[0]);
      return why ? `our CLI found unexpected problems: ${why}` : undefined;
    } catch {
      return `our CLI exit ${r.code}: ${r.stderr.slice(0, 200)}`;
    }
  });
  const ourStart = await repeatChild(ctx, runs, node, [ctx.cliBundle, '--help'], () => undefined);

  const ourWork = ours.s.median - ourStart.s.median;
  const theirWork = theirs.s.median - theirStart.s.median;
  return [
    {
      group: 3,
      label: 'mta-sts-query <domain> (process: TXT, A/AAAA, HTTPS)',
      value: fmtSummary(theirs.s),
      ratio: `theirs/ours ${fmtRatio(ratio(theirs.s.median, ours.s.median))}`,
      goal: 'theirs/ours > 1×',
      notes: [`mta-sts-query start-up (--help): ${fmtSummary(theirStart.s)}`],
    },
    {
      group: 3,
      label: 'our CLI check --resolver system --no-probe --json (process)',
      value: fmtSummary(ours.s),
      notes: [`our CLI start-up (--help): ${fmtSummary(ourStart.s)}`, ...ours.problems.map((p) => `WARNING: ${p}`)],
    },
    {
      group: 3,
      label: 'work only (process minus start-up): mta-sts-query vs ours',
      value: `${theirWork.toFixed(0)} ms vs ${ourWork.toFixed(0)} ms`,
      ratio: `theirs/ours ${fmtRatio(ratio(theirWork, ourWork))}`,
      goal: 'theirs/ours > 1×',
    },
  ];
}
