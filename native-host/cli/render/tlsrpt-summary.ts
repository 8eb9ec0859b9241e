// TLSRPT aggregate reports for people: who reported which period, per policy domain and UTC day
// the sessions per policy type, each failure type with what it means and which check explains it,
// the hosts and IPs involved, and the deviations from RFC 8460 that were tolerated.
import { describeResultType } from '../../../core/tlsrpt-report/result-types.ts';
import type { DaySummary, FailureSummary, PolicySummary, Summary } from '../../../core/tlsrpt-report/summary.ts';
import { CHECK_TITLES } from '../../../core/report/schema.ts';
import { statusLabel, type Style } from '../style.ts';
import { listOf, printable } from './text.ts';

/** What the report command says about each file (also its --json entry). */
export interface ReportFileOutcome {
  file: string;
  ok: boolean;
  /** Deviations from RFC 8460 §4.4 the parser tolerated. */
  deviations: string[];
  /** Why the file could not be used (ok: false). */
  message?: string;
  organization?: string;
  reportId?: string;
  gzipped?: boolean;
  /** RFC 8460 §5.1 file-name notes (informational). */
  nameNotes?: string[];
}

const POLICY_NAMES: Record<PolicySummary['policyType'], string> = { sts: 'MTA-STS (sts)', tlsa: 'DANE (tlsa)', 'no-policy-found': 'no policy (no-policy-found)' };

export function renderTlsrptSummary(files: readonly ReportFileOutcome[], summary: Summary, style: Style): string {
  const out: string[] = [];
  const bad = files.filter((f) => !f.ok).length;
  const counts = [`${summary.reports} read`, ...(summary.duplicates ? [`${summary.duplicates} duplicate${summary.duplicates > 1 ? 's' : ''} skipped`] : []), ...(bad ? [`${bad} could not be read`] : [])];
  out.push(style.bold(`TLSRPT reports (RFC 8460): ${counts.join(', ')}`));
  for (const f of files) {
    const name = fileName(f.file);
    if (f.ok) out.push(`  ${style.green('✓')} ${name}: ${printable(f.organization ?? '?', 100)}, report ${printable(f.reportId ?? '?', 100)}${f.gzipped ? style.dim(' (gzip)') : ''}`);
    else out.push(`  ${style.red('✗')} ${name}: ${style.red('not read')} (${printable(f.message ?? 'unknown error', 500)})`);
  }
  if (summary.days.length === 0) {
    out.push('', 'No report could be summed.');
    return `${out.join('\n')}\n`;
  }
  const orgs = [...new Set(summary.days.flatMap((d) => d.organizations))];
  const start = summary.days.reduce((a, d) => (Date.parse(d.start) < Date.parse(a) ? d.start : a), summary.days[0]!.start);
  const end = summary.days.reduce((a, d) => (Date.parse(d.end) > Date.parse(a) ? d.end : a), summary.days[0]!.end);
  const total = summary.successful + summary.failed;
  out.push(`  Reported by: ${listOf(orgs)}`);
  out.push(`  Period: ${printable(start, 60)} to ${printable(end, 60)}`);
  out.push(`  Sessions: ${summary.successful} successful, ${failedText(summary.failed, style)}${total > 0 && summary.failed > 0 ? ` (${percent(summary.failed, total)} of ${total})` : ''}`);
  for (const day of summary.days) out.push('', ...renderDay(day, style));

  const notes = files.filter((f) => f.ok && (f.deviations.length > 0 || (f.nameNotes?.length ?? 0) > 0));
  if (notes.length > 0) {
    out.push('', style.bold('Tolerated deviations from RFC 8460 (the reports were read anyway):'));
    for (const f of notes) {
      out.push(`  ${fileName(f.file)}:`);
      for (const d of f.deviations) out.push(`    - ${printable(d, 500)}`);
      for (const n of f.nameNotes ?? []) out.push(style.dim(`    - file name: ${printable(n, 500)}`));
    }
  }
  return `${out.join('\n')}\n`;
}

function renderDay(day: DaySummary, style: Style): string[] {
  const domain = printable(day.policyDomain, 253);
  const lines = [
    `${style.bold(`${domain}, ${day.day} (UTC)`)}: ${statusLabel(day.failed > 0 ? 'fail' : 'pass', style)}  ${day.successful} successful, ${failedText(day.failed, style)} sessions`,
    style.dim(`  reported by ${listOf(day.organizations)}; ${printable(day.start, 60)} to ${printable(day.end, 60)}`),
  ];
  for (const p of day.policies) {
    lines.push(`  ${style.bold(POLICY_NAMES[p.policyType])}: ${p.successful} successful, ${failedText(p.failed, style)}`);
    for (const ps of p.policyStrings.slice(0, 3)) lines.push(style.dim(`    policy: ${printable(ps.join('; '), 300)}`));
    if (p.policyStrings.length > 3) lines.push(style.dim(`    +${p.policyStrings.length - 3} more distinct policies`));
    if (p.mxHosts.length > 0) lines.push(`    policy MX hosts: ${listOf(p.mxHosts)}`);
    for (const f of p.failures) lines.push(...renderFailure(f, p, day.policyDomain, style));
  }
  if (day.receivingMxHosts.length > 0) lines.push(`  receiving MX hosts: ${listOf(day.receivingMxHosts)}`);
  if (day.sendingIps.length > 0) lines.push(`  sending IPs: ${listOf(day.sendingIps)}`);
  return lines;
}

function renderFailure(f: FailureSummary, p: PolicySummary, domain: string, style: Style): string[] {
  const section = describeResultType(f.resultType, p.policyType).section;
  const lines = [`    ${style.red(`${f.count} × ${printable(f.resultType, 64)}`)} ${style.dim(`(RFC 8460 §${section})`)}: ${printable(f.meaning, 500)}`];
  const where: string[] = [];
  if (f.receivingMxHosts.length > 0) where.push(`receiving MX ${listOf(f.receivingMxHosts, 5)}`);
  if (f.receivingIps.length > 0) where.push(`receiving IP ${listOf(f.receivingIps, 5)}`);
  if (f.sendingIps.length > 0) where.push(`sending IP ${listOf(f.sendingIps, 5)}`);
  if (where.length > 0) lines.push(`        ${where.join('; ')}`);
  if (f.reasonCodes.length > 0) lines.push(`        reason: ${listOf(f.reasonCodes, 3)}`);
  const title = (CHECK_TITLES as Record<string, string | undefined>)[f.checkId];
  // Only a plain domain goes into a command line people may paste into a shell.
  const target = /^[a-z0-9_.-]{1,253}$/.test(domain) ? domain : '<policy domain>';
  lines.push(style.bold(`        run: mta-sts-inspector check ${target}`) + style.dim(`  (see its ${f.checkId} check${title ? `, "${title}"` : ''})`));
  return lines;
}

export function fileName(file: string): string {
  return file === '-' ? '(standard input)' : printable(file);
}

function failedText(n: number, style: Style): string {
  return n > 0 ? style.red(`${n} failed`) : `${n} failed`;
}

function percent(part: number, whole: number): string {
  const p = (100 * part) / whole;
  return `${p < 0.1 ? p.toFixed(2) : p.toFixed(1)} %`;
}
