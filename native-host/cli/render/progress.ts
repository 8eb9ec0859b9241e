// Progress while checks run. On a terminal: a live block, one line per check of each domain in
// flight, redrawn in place. Otherwise: one plain line per check as it finishes.
import type { CheckResult } from '../../../core/report/schema.ts';
import { statusLabel, type Style } from '../style.ts';

type Row = { title: string; result?: CheckResult };

export class Progress {
  readonly #write: (text: string) => void;
  readonly #style: Style;
  readonly #live: boolean;
  readonly #width: number;
  readonly #domains = new Map<string, Map<string, Row>>();
  #drawn = 0;

  constructor(write: (text: string) => void, style: Style, live: boolean, width = 100) {
    this.#write = write;
    this.#style = style;
    this.#live = live;
    this.#width = Math.max(40, width);
  }

  started(domain: string, checks: readonly { id: string; title: string }[]): void {
    this.#domains.set(domain, new Map(checks.map((c) => [c.id, { title: c.title }])));
    if (this.#live) this.#redraw();
  }

  checkDone(domain: string, check: CheckResult): void {
    const rows = this.#domains.get(domain);
    const row = rows?.get(check.id);
    if (row) row.result = check;
    else rows?.set(check.id, { title: check.title, result: check });
    if (this.#live) this.#redraw();
    else this.#write(`${domain}: ${this.#line(check.title, check)}\n`);
  }

  /** The domain is done: drop its rows and print its report above the live block. */
  finished(domain: string, text: string): void {
    this.#domains.delete(domain);
    this.#clear();
    this.#write(text);
    if (this.#live) this.#redraw();
  }

  #line(title: string, result?: CheckResult): string {
    const label = statusLabel(result?.status ?? 'running', this.#style);
    const text = result ? `${title}: ${result.summary}` : title;
    const room = this.#width - 14;
    return `${label}${' '.repeat(Math.max(1, 11 - visible(label).length))}${text.length > room ? `${text.slice(0, room - 1)}…` : text}`;
  }

  #clear(): void {
    if (this.#live && this.#drawn > 0) this.#write(`\x1b[${this.#drawn}F\x1b[J`);
    this.#drawn = 0;
  }

  #redraw(): void {
    this.#clear();
    const lines: string[] = [];
    for (const [domain, rows] of this.#domains) {
      lines.push(this.#style.bold(`Checking ${domain}`));
      for (const row of rows.values()) lines.push(`  ${this.#line(row.title, row.result)}`);
    }
    if (lines.length > 0) this.#write(`${lines.join('\n')}\n`);
    this.#drawn = lines.length;
  }
}

function visible(s: string): string {
  return s.replace(/\x1b\[[0-9;]*m/g, '');
}
