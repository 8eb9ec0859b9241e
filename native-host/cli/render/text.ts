// Text from reports and certificates is untrusted: control characters (terminal escape sequences)
// and bidirectional overrides are shown escaped, never sent to the terminal as they are.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function printable(s: string, max = 300): string {
  const escaped = s.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return escaped.length > max ? `${escaped.slice(0, max - 1)}…` : escaped;
}

/** A list cut to `max` items, with how many more there were. */
export function listOf(items: readonly string[], max = 8): string {
  const shown = items.slice(0, max).map((s) => printable(s, 100));
  return items.length > max ? `${shown.join(', ')} +${items.length - max} more` : shown.join(', ');
}

const ANSI = /\x1b\[[0-9;]*m/g;

/** Columns a string takes on a terminal, without its colour escapes. */
export function visibleWidth(s: string): number {
  return [...s.replace(ANSI, '')].length;
}

/**
 * Text that may hold several lines, after `prefix`: continuation lines start at the text's column
 * (a hanging indent), each line escaped; `suffix` goes after the last line.
 */
export function hangingLines(prefix: string, text: string, suffix = '', max = 2000): string[] {
  const pad = ' '.repeat(visibleWidth(prefix));
  const lines = text.split(/\r\n|\n|\r/).map((l, i) => `${i === 0 ? prefix : pad}${printable(l, max)}`);
  lines[lines.length - 1] += suffix;
  return lines;
}
