// The shared shape of the MTA-STS and TLSRPT TXT records (RFC 8461 §3.1, RFC 8460 §3):
//   version 1*(field-delim field) [field-delim],  field-delim = *WSP ";" *WSP,  field = name "=" value
// This splits a record into raw fields and reports where the shape is broken; each record's
// parser then checks names and values with its own rules and finding ids.

/** TXT records are at most a few KiB in practice; longer input is refused, not scanned. */
export const MAX_TXT_LENGTH = 8192;

export interface RawField {
  name: string;
  value: string;
  /** 1-based column of the field's first character in the record. */
  column: number;
  /** 1-based column of the value's first character. */
  valueColumn: number;
}

export type ShapeIssue =
  /** `v=STSv1 ;`: grammatical, but senders' literal prefix test discards the record (A2). */
  | { kind: 'space-before-first-delimiter'; column: number }
  /** Whitespace at the end without a final `;` (A3). */
  | { kind: 'trailing-whitespace'; column: number }
  /** `;;` or `; ;`. */
  | { kind: 'empty-field'; column: number }
  /** Something follows the version tag without a `;`. */
  | { kind: 'missing-delimiter-after-version'; column: number; found: string }
  /** The version tag is followed by nothing at all. */
  | { kind: 'no-fields' }
  /** A field without `=`. */
  | { kind: 'missing-equals'; column: number; text: string }
  /** Whitespace before or after `=` (`id = 1`). */
  | { kind: 'space-around-equals'; column: number; name: string };

export interface SplitRecord {
  fields: RawField[];
  issues: ShapeIssue[];
}

const isWsp = (c: string | undefined): boolean => c === ' ' || c === '\t';

/**
 * Splits what follows the version tag (`rest`, starting at 1-based column `startColumn`).
 * Values are returned raw (up to the next `;`, without the delimiter's whitespace) so that
 * each parser can explain bad characters precisely.
 */
export function splitFields(rest: string, startColumn: number): SplitRecord {
  const fields: RawField[] = [];
  const issues: ShapeIssue[] = [];
  if (rest.length === 0) {
    issues.push({ kind: 'no-fields' });
    return { fields, issues };
  }
  let pos = 0;
  // The version tag must be followed by the delimiter.
  let ws = pos;
  while (isWsp(rest[ws])) ws++;
  if (rest[ws] !== ';') {
    if (ws === rest.length) {
      issues.push({ kind: 'trailing-whitespace', column: startColumn });
      issues.push({ kind: 'no-fields' });
    } else {
      issues.push({ kind: 'missing-delimiter-after-version', column: startColumn + ws, found: rest[ws] ?? '' });
    }
    return { fields, issues };
  }
  if (ws > pos) issues.push({ kind: 'space-before-first-delimiter', column: startColumn });
  pos = ws + 1;
  let sawField = false;
  while (pos <= rest.length) {
    while (isWsp(rest[pos])) pos++;
    if (pos >= rest.length) break; // a trailing delimiter, with or without whitespace after it
    const semi = rest.indexOf(';', pos);
    const end = semi === -1 ? rest.length : semi;
    let segEnd = end;
    while (segEnd > pos && isWsp(rest[segEnd - 1])) segEnd--;
    if (segEnd === pos) {
      // Only reachable when `rest[pos]` is `;`: an empty field.
      issues.push({ kind: 'empty-field', column: startColumn + pos });
      pos = end + 1;
      continue;
    }
    if (semi === -1 && segEnd < end) issues.push({ kind: 'trailing-whitespace', column: startColumn + segEnd });
    const segment = rest.slice(pos, segEnd);
    const eq = segment.indexOf('=');
    if (eq === -1) {
      issues.push({ kind: 'missing-equals', column: startColumn + pos, text: segment });
    } else {
      const rawName = segment.slice(0, eq);
      const rawValue = segment.slice(eq + 1);
      const name = rawName.replace(/[ \t]+$/, '');
      let valueStart = 0;
      while (isWsp(rawValue[valueStart])) valueStart++;
      if (name.length !== rawName.length || valueStart > 0) {
        issues.push({ kind: 'space-around-equals', column: startColumn + pos + name.length, name });
      }
      fields.push({
        name,
        value: rawValue.slice(valueStart),
        column: startColumn + pos,
        valueColumn: startColumn + pos + eq + 1 + valueStart,
      });
    }
    sawField = true;
    pos = end + 1;
  }
  if (!sawField) issues.push({ kind: 'no-fields' });
  return { fields, issues };
}

/** `(ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")`: both records' extension names. */
/**
 * The record with its version tag written exactly (`version`) and any whitespace between the
 * tag and the first ";" removed: `rest` is what followed the tag as published. Used as the fix
 * for a record senders discard by the literal-prefix test (ambiguities A2, A4).
 */
export function withExactVersionPrefix(version: string, rest: string): string {
  return version + rest.replace(/^[ \t]+(?=;)/, '');
}

export const EXT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;

/**
 * The first character outside `1*(%x21-3A / %x3C / %x3E-7E)` (extension values), with its
 * 0-based index, or undefined when the value is grammatical.
 */
export function badExtValueChar(value: string): { index: number; char: string } | undefined {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x21 || c > 0x7e || c === 0x3b || c === 0x3d) return { index: i, char: value[i] ?? '' };
  }
  return undefined;
}

/** A character as people read it in a message: visible ones quoted, others as U+XXXX. */
export function describeChar(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  if (char === ' ') return 'a space';
  if (char === '\t') return 'a tab';
  if (code < 0x20 || code === 0x7f || code > 0x7e) {
    return `U+${code.toString(16).toUpperCase().padStart(4, '0')}${code < 0x20 || code === 0x7f ? ' (a control character)' : ''}`;
  }
  return `"${char}"`;
}

/** Text for a message: control characters and backslashes shown as escapes, so a message stays one line. */
export function printable(text: string): string {
  return text.replace(/[\x00-\x1f\x7f\\]/g, (c) => (c === '\\' ? '\\\\' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}
