// The shared shape of the MTA-STS and TLSRPT TXT records (RFC 8461 §3.1, RFC 8460 §3):
//   version 1*(field-delim field) [field-delim],  field-delim = *WSP ";" *WSP,  field = name "=" value
// This splits a record into raw fields and reports where the shape is broken, and below holds
// the checks both records share; each record's parser adds its own rules and finding ids.
import type { RfcRef } from '../report/refs.ts';
import type { Finding } from '../report/schema.ts';

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

/**
 * The record with its version tag written exactly (`version`) and any whitespace between the
 * tag and the first ";" removed: `rest` is what followed the tag as published. Used as the fix
 * for a record senders discard by the literal-prefix test (ambiguities A2, A4).
 */
export function withExactVersionPrefix(version: string, rest: string): string {
  return version + rest.replace(/^[ \t]+(?=;)/, '');
}

/** `(ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")`: both records' extension names. */
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

// Checks both records share because both RFCs state the same rule: the literal version prefix,
// the field shape, US-ASCII without control characters, and the extension grammar
// (sts-extension of RFC 8461 §3.1 and tlsrpt-extension of RFC 8460 §3 are the same ABNF).
// What differs by RFC stays in each parser: the required field, duplicate fields (RFC 8461 §3.2
// says the first wins; RFC 8460 is silent), how strong the ASCII rule is, and A19's backslash.

/** Builds one record's findings: id `<prefix>.<slug>`, refs defaulting to the record's RFC section. */
export type FindingMaker = (
  slug: string,
  severity: Finding['severity'],
  message: string,
  extra?: Partial<Omit<Finding, 'id' | 'severity' | 'message'>>,
) => Finding;

/** What the shared checks need to know about one record type. */
export interface TxtRecordKind {
  /** The exact, case-sensitive version tag: `v=STSv1`, `v=TLSRPTv1`. */
  version: string;
  /** The record type as a message names it: `an MTA-STS record`. */
  name: string;
  finding: FindingMaker;
  /** The tag in any case, with stray whitespace or quotes before it and around `=`. */
  variant: RegExp;
}

export function txtRecordKind(version: string, name: string, prefix: string, mainRef: RfcRef): TxtRecordKind {
  const [key = '', value = ''] = version.split('=');
  return {
    version,
    name,
    finding: (slug, severity, message, extra = {}) => ({ id: `${prefix}.${slug}`, severity, message, refs: [mainRef], ...extra }),
    variant: new RegExp(`^([\\s"']*)(${key}\\s*=\\s*${value})`, 'i'),
  };
}

/** The literal-prefix test senders apply before counting records (`v=STSv1;`, `v=TLSRPTv1;`). */
export function hasExactVersionPrefix(text: string, kind: TxtRecordKind): boolean {
  return typeof text === 'string' && text.startsWith(`${kind.version};`);
}

/** Starts like the record in any case, with stray spaces or quotes: used to explain a discard. */
export function looksLikeVersion(text: string, kind: TxtRecordKind): boolean {
  return typeof text === 'string' && kind.variant.test(text.slice(0, 64));
}

/** A finding for input that is not text or too long to scan, or undefined when it can be parsed. */
export function unreadableRecord(text: string, kind: TxtRecordKind): Finding | undefined {
  if (typeof text !== 'string') return kind.finding('not-text', 'fail', 'The record is not text.');
  if (text.length > MAX_TXT_LENGTH) {
    return kind.finding('too-long', 'fail', `The record is ${text.length} characters long; refusing to parse more than ${MAX_TXT_LENGTH}.`);
  }
  return undefined;
}

export interface CharAt {
  char: string;
  /** 1-based. */
  column: number;
}

function charAt(match: RegExpExecArray | null): CharAt | undefined {
  return match ? { char: match[0], column: match.index + 1 } : undefined;
}

/** The first control character (HTAB excepted): neither grammar allows one anywhere. */
export function firstControlChar(text: string): CharAt | undefined {
  return charAt(/[\x00-\x08\x0a-\x1f\x7f]/.exec(text));
}

/** The first UTF-16 code unit outside US-ASCII: both grammars are ASCII only. */
export function firstNonAscii(text: string): CharAt | undefined {
  return charAt(/[^\x00-\x7f]/.exec(text));
}

export interface VersionCheck {
  /** Where the fields start (the index after the tag), or undefined when there is no tag at all. */
  restStart?: number;
  /** `bad-version` for a variant of the tag, `missing-version` for none. */
  finding?: Finding;
}

/**
 * The version tag at the start of the record (RFC 8461 §3.1, RFC 8460 §3; ambiguity A4).
 * `fixes.missing` is the whole-record fix when there is no tag; `fixes.bare`, when given,
 * replaces the repaired record for a variant tag followed by nothing but `;` and whitespace.
 */
export function checkVersion(text: string, kind: TxtRecordKind, fixes: { missing: string; bare?: string }): VersionCheck {
  const { version } = kind;
  if (text.startsWith(version)) return { restStart: version.length };
  const variant = kind.variant.exec(text);
  if (!variant) {
    return {
      finding: kind.finding('missing-version', 'fail', `The record does not begin with "${version}", so it is not ${kind.name} and senders ignore it.`, {
        level: 'MUST',
        fix: fixes.missing,
      }),
    };
  }
  const [, lead = '', tag = ''] = variant;
  const restStart = lead.length + tag.length;
  const rest = text.slice(restStart);
  const why = lead.length > 0 ? 'is preceded by other characters' : tag.replace(/\s/g, '') === tag ? 'has the wrong case' : 'contains whitespace';
  return {
    restStart,
    finding: kind.finding('bad-version', 'fail', `The record must begin with the exact, case-sensitive "${version}" but "${text.slice(0, restStart)}" ${why}; senders discard it (ambiguity A4).`, {
      level: 'MUST',
      fix: fixes.bare !== undefined && /^[ \t;]*$/.test(rest) ? fixes.bare : withExactVersionPrefix(version, rest),
    }),
  };
}

/** The shape issues whose rule and wording are the same for both records. */
export type CommonShapeIssue = Extract<ShapeIssue, { kind: 'empty-field' | 'missing-delimiter-after-version' | 'missing-equals' | 'space-around-equals' }>;

/** `missingDelimiterFix`: the whole-record example offered when the tag is not followed by ";". */
export function commonShapeFinding(issue: CommonShapeIssue, kind: TxtRecordKind, missingDelimiterFix: string): Finding {
  switch (issue.kind) {
    case 'empty-field':
      return kind.finding('empty-field', 'fail', `Empty field at column ${issue.column} (";;"): every ";" must be followed by a name=value field, except one final ";".`, {
        level: 'ABNF',
        fix: 'Remove the extra ";".',
      });
    case 'missing-delimiter-after-version':
      return kind.finding(
        'missing-semicolon',
        'fail',
        `"${kind.version}" must be followed by ";" but column ${issue.column} holds ${describeChar(issue.found)}. Senders discard records that do not begin with "${kind.version};".`,
        { level: 'MUST', fix: missingDelimiterFix },
      );
    case 'missing-equals':
      return kind.finding('bad-field', 'fail', `"${printable(issue.text)}" at column ${issue.column} is not a name=value field.`, { level: 'ABNF' });
    case 'space-around-equals':
      return kind.finding('space-around-equals', 'fail', `Whitespace around "=" in the "${issue.name}" field (column ${issue.column}): none is allowed there.`, {
        level: 'ABNF',
        fix: `Write "${issue.name}=…" without spaces.`,
      });
  }
}

/** Why a field's value is not an extension value (`an empty value`, `"=" at column 9`), or undefined. */
export function extValueProblem(field: RawField): string | undefined {
  const bad = badExtValueChar(field.value);
  if (field.value.length > 0 && !bad) return undefined;
  return bad ? `${describeChar(bad.char)} at column ${field.valueColumn + bad.index}` : 'an empty value';
}

/** A `bad-field-name` or `bad-field-value` finding for an extension field, or undefined when it is grammatical. */
export function extensionFieldFinding(field: RawField, kind: TxtRecordKind): Finding | undefined {
  if (!EXT_NAME.test(field.name)) {
    return kind.finding('bad-field-name', 'fail', `"${printable(field.name)}" (column ${field.column}) is not a valid field name: letters, digits, "_", "-" and ".", starting with a letter or digit, at most 32.`, {
      level: 'ABNF',
    });
  }
  const what = extValueProblem(field);
  if (what !== undefined) {
    return kind.finding('bad-field-value', 'fail', `The "${field.name}" field has ${what}; values are visible ASCII without "=", ";" or spaces.`, { level: 'ABNF' });
  }
  return undefined;
}
