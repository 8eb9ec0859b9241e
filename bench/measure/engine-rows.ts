// Rows 1, 2 and the in-process half of row 3: our engine in this process, against the
// critical-path bound, in its sequential mode, and with plain DNS against mailauth.
import { resolveMx } from 'node:dns/promises';
import { getPolicy, validateMx } from 'mailauth/lib/mta-sts.js';
import { checkDomain } from '../../core/engine.ts';
import type { Report } from '../../core/report/schema.ts';
import { buildPorts } from '../../native-host/cli/ports.ts';
import { computeBound, describeBound, issueChains, proberChains } from '../critical-path.ts';
import { fmtRatio, fmtSummary, ratio, summarize, type Summary } from '../stats.ts';
import { queryLog, timed, unexpected, type Context, type Row } from './common.ts';

const TIMEOUT_MS = 10_000;

async function ourCheck(ctx: Context, resolver: string, probe: boolean, sequential = false): Promise<Report> {
  // Fresh ports (so a fresh DoH connection) each run, closed after it.
  const ports = buildPorts({ resolver, probe, allowPrivate: true, timeoutMs: TIMEOUT_MS });
  try {
    const r = await checkDomain(ctx.net.goodDomain, ports, { sequential, probeTimeoutMs: TIMEOUT_MS, policyTimeoutMs: TIMEOUT_MS });
    if (!r.ok) throw new Error(`checkDomain failed: ${r.error}`);
    return r.report;
  } finally {
    ports.close();
  }
}

/** A result that is not the expected one makes its timing meaningless: say so in the row. */
function statusNote(what: string, report: Report | undefined): string | undefined {
  const why = unexpected(report);
  return why ? `WARNING: ${what} found unexpected problems in the fully correct domain: ${why}` : undefined;
}

export interface EngineFigures {
  full: Summary;
  noProbeSystem: Summary;
  /** The last full report (cached in the browser for the popup figure). */
  report: Report | undefined;
}

export async function engineRows(ctx: Context): Promise<{ rows: Row[]; figures: EngineFigures }> {
  const rows: Row[] = [];
  const { rttMs } = ctx.net;
  const bound = computeBound(issueChains('doh'), rttMs);
  const ownBound = computeBound(proberChains('doh'), rttMs);

  // Row 1: full check (DoH, probes on), fresh connections each run.
  const full = await timed(ctx, ctx.runs, () => ourCheck(ctx, ctx.net.dohUrl, true));
  const lookups = await queryLog(ctx);
  const fullS = summarize(full.ms);
  rows.push({
    group: 1,
    label: 'full check, fully correct domain (DoH, probes on)',
    value: fmtSummary(fullS),
    ratio: `${fmtRatio(ratio(fullS.median, bound.ms))} of bound ${bound.ms} ms`,
    goal: '≤ 1.30×',
    notes: [
      `Bound (issue 6), RTT ${rttMs} ms; * marks the critical chain:`,
      ...describeBound(bound).map((l) => `  ${l}`),
      `Bound of the steps our prober takes on purpose (${ownBound.rtts} RTT = ${ownBound.ms} ms): median is ${fmtRatio(ratio(fullS.median, ownBound.ms))} of it:`,
      ...describeBound(ownBound).slice(0, 2).map((l) => `  ${l}`),
      `Server think time in both bounds: none. The SMTP servers greet at once (bench/net/smtp-server.ts), so the time above the bound is ours;`,
      `  the smtp-server package's hard-coded 100 ms pause before its 220 (2 RTT here, per session) is not used.`,
      `DNS queries per check (last run): ${lookups.count} — ${Object.entries(lookups.byKey).map(([k, n]) => (n > 1 ? `${k}×${n}` : k)).join(', ')}`,
      ...[statusNote('the full check', full.last)].filter((x): x is string => !!x),
    ],
  });

  // Row 2: the same, every lookup one after another.
  const seq = await timed(ctx, Math.max(3, Math.ceil(ctx.runs / 2)), () => ourCheck(ctx, ctx.net.dohUrl, true, true));
  const seqS = summarize(seq.ms);
  rows.push({
    group: 2,
    label: 'same check, engine sequential mode',
    value: fmtSummary(seqS),
    ratio: `parallel saves ${fmtRatio(ratio(seqS.median, fullS.median))}`,
    notes: [statusNote('the sequential check', seq.last)].filter((x): x is string => !!x),
  });

  // Row 3 (in-process): plain DNS (system resolver = the bench DNS server via resolv.conf), no probes.
  const sys = await timed(ctx, ctx.runs, () => ourCheck(ctx, 'system', false));
  const sysS = summarize(sys.ms);
  const dohNoProbe = await timed(ctx, ctx.runs, () => ourCheck(ctx, ctx.net.dohUrl, false));
  const dohS = summarize(dohNoProbe.ms);

  let mailauthOk = true;
  const mail = await timed(ctx, ctx.runs, async () => {
    // What mailauth does for a sender: MX lookup and policy discovery (TXT, A, HTTPS), then MX validation.
    const [mx, policy] = await Promise.all([resolveMx(ctx.net.goodDomain), getPolicy(ctx.net.goodDomain, undefined, {})]);
    const valid = mx.map((m) => validateMx(m.exchange, policy.policy));
    if (policy.status !== 'found' || !valid.every((v) => v.valid)) mailauthOk = false;
    return valid;
  });
  const mailS = summarize(mail.ms);
  rows.push({
    group: 3,
    label: 'ours in-process, --resolver system, no probe (MX, A, TXT×2, policy, match)',
    value: fmtSummary(sysS),
    notes: [statusNote('the system-resolver check', sys.last)].filter((x): x is string => !!x),
  });
  rows.push({
    group: 3,
    label: 'mailauth 4 getPolicy + resolveMx + validateMx (in-process)',
    value: fmtSummary(mailS),
    ratio: `theirs/ours ${fmtRatio(ratio(mailS.median, sysS.median))}`,
    goal: 'theirs/ours > 1×',
    notes: mailauthOk ? [] : ['WARNING: mailauth did not find a valid policy matching the MX'],
  });
  rows.push({
    group: 3,
    label: "DoH's extra connection set-up (ours, DoH minus system, no probe)",
    value: `+${(dohS.median - sysS.median).toFixed(0)} ms (DoH ${fmtSummary(dohS)})`,
    notes: [`DoH here: a fresh HTTPS connection (TCP + TLS 1.3 = 2 RTT = ${2 * rttMs} ms expected) before the first answer.`],
  });
  return { rows, figures: { full: fullS, noProbeSystem: sysS, report: full.last } };
}
