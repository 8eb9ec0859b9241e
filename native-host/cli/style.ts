// ANSI colours only on a terminal and only when NO_COLOR (no-color.org) is unset or empty.
import type { CheckStatus, Severity } from '../../core/report/schema.ts';
import type { CliIo } from './io.ts';

export interface Style {
  enabled: boolean;
  red(s: string): string;
  green(s: string): string;
  yellow(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

export function styleFor(io: Pick<CliIo, 'isTTY' | 'env'>): Style {
  const enabled = io.isTTY && !io.env.NO_COLOR;
  const wrap = (open: number, close: number) => (s: string) => (enabled ? `\x1b[${open}m${s}\x1b[${close}m` : s);
  return { enabled, red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), dim: wrap(2, 22), bold: wrap(1, 22) };
}

/** Status as a word and a symbol, so it never depends on colour alone. */
export function statusLabel(status: CheckStatus | 'running', style: Style): string {
  switch (status) {
    case 'pass':
      return style.green('✓ pass');
    case 'warn':
      return style.yellow('! warn');
    case 'fail':
      return style.red('✗ FAIL');
    case 'error':
      return style.yellow('? error');
    case 'skipped':
      return style.dim('- skipped');
    case 'running':
      return style.dim('… running');
  }
}

export function severityLabel(severity: Severity, style: Style): string {
  if (severity === 'fail') return style.red('FAIL');
  if (severity === 'warn') return style.yellow('WARN');
  return style.dim('info');
}
