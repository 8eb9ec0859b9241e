// One finding for people: severity, message, where, the fix, the RFC sections.
import type { Finding } from '../../../core/report/schema.ts';
import { severityLabel, type Style } from '../style.ts';
import { hangingLines, printable } from './text.ts';

export function renderFinding(f: Finding, style: Style, indent = '    '): string[] {
  const lines = hangingLines(`${indent}${severityLabel(f.severity, style)} `, f.message, f.host ? style.dim(` [${printable(f.host, 253)}]`) : '');
  const more = `${indent}     `;
  if (f.location) lines.push(`${more}at line ${f.location.line}, column ${f.location.column}`);
  if (f.fix) lines.push(...f.fix.split(/\r\n|\n|\r/).map((l, i) => `${more}${i === 0 ? 'fix: ' : '     '}${style.bold(printable(l, 2000))}`));
  if (f.refs.length > 0) lines.push(`${more}${style.dim(f.refs.map((r) => `${r.rfc} ${r.section} <${r.url}>`).join(', '))}`);
  return lines;
}

export function renderFindings(findings: readonly Finding[], style: Style, indent?: string): string[] {
  const order = { fail: 0, warn: 1, info: 2 } as const;
  return [...findings].sort((a, b) => order[a.severity] - order[b.severity]).flatMap((f) => renderFinding(f, style, indent));
}
