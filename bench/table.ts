// The printed table: one line per figure, grouped by the issue's rows, notes underneath.
import type { Row } from './measure/common.ts';

const GROUPS: Record<number, string> = {
  1: 'Against the limit',
  2: 'Against ourselves done naively',
  3: 'Against other tools on the same work (plain DNS)',
  4: 'Bulk',
  5: 'Start-up and size',
};

const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));

export function renderTable(rows: Row[]): string {
  const w0 = Math.min(78, Math.max(...rows.map((r) => r.label.length)));
  const w1 = Math.max(...rows.map((r) => r.value.length));
  const w2 = Math.max(...rows.map((r) => (r.ratio ?? '').length));
  const out: string[] = [];
  for (const g of [1, 2, 3, 4, 5]) {
    const group = rows.filter((r) => r.group === g);
    if (group.length === 0) continue;
    out.push('', `${g}. ${GROUPS[g] ?? ''}`);
    for (const r of group) {
      out.push(`   ${pad(r.label, w0)}  ${pad(r.value, w1)}  ${pad(r.ratio ?? '', w2)}  ${r.goal ? `goal ${r.goal}` : ''}`.trimEnd());
    }
    for (const r of group) for (const n of r.notes ?? []) out.push(`      ${n}`);
  }
  return out.join('\n');
}
