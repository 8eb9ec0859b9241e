// A report for people: each check with its findings and fixes, per MX host and address what the
// probe saw (certificate summary, what failed), the policy mode and the advice.
import { StarttlsEvidenceSchema } from '../../../core/checks/evidence.ts';
import type { AddressProbe } from '../../../core/protocol/probe.ts';
import type { TlsInfo } from '../../../core/protocol/tls.ts';
import type { Report } from '../../../core/report/schema.ts';
import { severityLabel, statusLabel, type Style } from '../style.ts';
import { renderDane } from './dane.ts';
import { renderFindings } from './findings.ts';
import { hangingLines } from './text.ts';

export function renderReport(report: Report, style: Style): string {
  const out: string[] = [];
  const head = report.domain === report.input ? report.domain : `${report.domain} (from ${report.input})`;
  out.push(`${style.bold(head)}: ${statusLabel(report.status, style)}`);
  out.push(style.dim(`  checked ${report.checkedAt} in ${Math.round(report.durationMs)} ms, DNS via ${report.resolver.name} (${report.resolver.url})`));
  if (report.mode) out.push(`  Policy mode ${style.bold(report.mode.value)}: ${report.mode.meaning}`);
  for (const check of report.checks) {
    out.push('', ...hangingLines(`  ${statusLabel(check.status, style)}  ${style.bold(check.title)} ${style.dim(`[${check.id}]`)}: `, check.summary));
    // A string compare: 'dane' may not be in CHECK_IDS yet.
    const id: string = check.id;
    if (id === 'starttls') out.push(...renderStarttls(check.evidence, style));
    else if (id === 'dane') out.push(...renderDane(check.evidence, style));
    out.push(...renderFindings(check.findings, style, '      '));
  }
  if (report.advice.length > 0) {
    out.push('', style.bold('  What to do, most important first:'));
    report.advice.forEach((a, i) => {
      const refs = a.refs.map((r) => `${r.rfc} ${r.section}`).join(', ');
      out.push(...hangingLines(`  ${i + 1}. ${severityLabel(a.severity, style)} `, a.text, refs ? style.dim(` (${refs})`) : ''));
    });
  }
  return `${out.join('\n')}\n\n`;
}

function renderStarttls(evidence: unknown, style: Style): string[] {
  const parsed = StarttlsEvidenceSchema.safeParse(evidence);
  if (!parsed.success || !parsed.data.probed) return [];
  const lines: string[] = [];
  if (parsed.data.port25Blocked) lines.push(style.yellow('      Every address timed out: outbound port 25 is probably blocked from this network.'));
  for (const h of parsed.data.hosts) {
    lines.push(`      ${statusLabel(h.status, style)}  ${style.bold(h.host)}${h.preference !== undefined ? style.dim(` (preference ${h.preference})`) : ''}: ${h.summary}`);
    for (const a of h.addresses) lines.push(...renderAddress(a, style));
  }
  return lines;
}

function renderAddress(a: AddressProbe, style: Style): string[] {
  const ok = a.outcome === 'ok';
  const lines = [`          ${a.address}: ${ok ? style.green(a.outcome) : style.red(a.outcome)}${ok ? '' : ` at ${a.step}`}, ${a.message}`];
  if (a.tls) lines.push(...renderTls(a.tls, style).map((l) => `            ${l}`));
  if (a.noSni && !a.noSni.handshakeCompleted) lines.push(style.yellow(`            without SNI the handshake failed${a.noSni.error ? `: ${a.noSni.error}` : ''}`));
  if (a.starttlsAfterTls) lines.push(style.yellow('            STARTTLS is advertised again after TLS (RFC 3207 §4.2)'));
  return lines;
}

function renderTls(tls: TlsInfo, style: Style): string[] {
  if (!tls.handshakeCompleted) return [style.red(`TLS failed: ${tls.error?.message ?? 'handshake did not complete'}`)];
  const leaf = tls.chain[0];
  const lines = [`${tls.protocol ?? 'TLS'}${tls.cipher ? ` ${tls.cipher}` : ''}`];
  if (leaf) {
    const names = leaf.dnsNames.length > 4 ? `${leaf.dnsNames.slice(0, 4).join(', ')} +${leaf.dnsNames.length - 4}` : leaf.dnsNames.join(', ');
    lines.push(`certificate for ${names || '(no DNS names)'}; issuer ${leaf.issuer}; valid to ${leaf.validTo}${tls.daysToExpiry !== undefined ? ` (${tls.daysToExpiry} days)` : ''}`);
  }
  const failed: string[] = [];
  if (!tls.trusted) failed.push(`not trusted: ${tls.trustError?.message ?? 'unknown reason'}`);
  if (!tls.nameMatches) failed.push(`name does not match ${tls.servername ?? 'the MX host'}`);
  lines.push(failed.length ? style.red(failed.join('; ')) : style.green(`trusted, matches ${tls.matchedName ?? tls.servername ?? 'the host'}`));
  return lines;
}
