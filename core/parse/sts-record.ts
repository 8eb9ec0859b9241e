// The `_mta-sts` TXT record, RFC 8461 §3.1 (grammar) and §3.2 last paragraph (unknown and
// duplicated fields); CHECKLIST §2 and ambiguities A2, A3, A4, A5, A9, A12, A21.
import type { Finding } from '../report/schema.ts';
import { ref } from '../report/refs.ts';
import { EXT_NAME, MAX_TXT_LENGTH, badExtValueChar, describeChar, printable, splitFields, withExactVersionPrefix, type ShapeIssue } from './txt-fields.ts';

const VERSION = 'v=STSv1';
const R31 = ref('RFC8461', '3.1');
const R32 = ref('RFC8461', '3.2');

export interface StsRecord {
  id: string;
  /** Every field after the version, in order, duplicates included. */
  fields: { name: string; value: string }[];
  /** Fields other than `id` that senders ignore (first occurrence of each name). */
  extensions: { name: string; value: string }[];
}

export interface StsRecordParseOptions {
  /** The time suggested ids are derived from (default: now); tests pass a fixed date. */
  now?: Date;
}

export interface StsRecordParse {
  valid: boolean;
  /** Present only when the record is valid. */
  record?: StsRecord;
  findings: Finding[];
}

/** The literal-prefix test senders apply before counting records (RFC 8461 §3.1). */
export function isStsCandidate(text: string): boolean {
  return typeof text === 'string' && text.startsWith(`${VERSION};`);
}

/**
 * Starts like an MTA-STS record, in any case, with stray spaces or quotes: used to explain
 * why a record was discarded (`v=STSv1 ; id=1`, `V=STSv1;`, `v=STSv1` with no `;`).
 */
export function looksLikeSts(text: string): boolean {
  return typeof text === 'string' && /^[\s"']*v\s*=\s*stsv1/i.test(text.slice(0, 64));
}

/**
 * A fresh id from the UTC time, `YYYYMMDDHHMMSS` (14 digits, so within sts-id's 1–32
 * alphanumerics): the usual convention, and it changes whenever the policy is re-published.
 */
export function freshStsId(now: Date = new Date()): string {
  const when = now instanceof Date && Number.isFinite(now.getTime()) ? now : new Date();
  // Years past 9999 print as "+010000-…": dropping non-digits still leaves only digits.
  return when.toISOString().replace(/[^0-9]/g, '').slice(0, 14);
}

/** A suggestion for a bad id: its letters and digits, at most 32, or else a fresh date-based id. */
export function suggestStsId(id: string, now: Date = new Date()): string {
  const kept = id.replace(/[^A-Za-z0-9]/g, '').slice(0, 32);
  return kept.length > 0 ? kept : freshStsId(now);
}

function finding(
  slug: string,
  severity: Finding['severity'],
  message: string,
  extra: Partial<Omit<Finding, 'id' | 'severity' | 'message'>> = {},
): Finding {
  return { id: `sts-record.${slug}`, severity, message, refs: [R31], ...extra };
}

/** What shape findings need from the record: its repaired form and a fresh id for examples. */
interface ShapeContext {
  /** The record with the exact version tag and no whitespace before the first ";". */
  repaired: string;
  freshId: string;
}

function shapeFinding(issue: ShapeIssue, ctx: ShapeContext): Finding {
  switch (issue.kind) {
    case 'space-before-first-delimiter':
      return finding(
        'space-before-semicolon',
        'fail',
        `Whitespace between "${VERSION}" and ";" (column ${issue.column}). The ABNF (sts-field-delim = *WSP ";" *WSP) allows it, ` +
          `but senders first discard every record that does not begin with the literal "${VERSION};", so this record is ` +
          'thrown away and the domain looks as if it had no MTA-STS (ambiguity A2; erratum 6285 proposes removing the whitespace from the grammar).',
        { level: 'MUST', fix: ctx.repaired },
      );
    case 'trailing-whitespace':
      return finding(
        'trailing-whitespace',
        'warn',
        `Whitespace at the end of the record (column ${issue.column}) without a final ";": the grammar only allows whitespace around ";", so strict senders reject it (ambiguity A3).`,
        { level: 'ABNF', fix: 'Remove the trailing whitespace, or end the record with ";".' },
      );
    case 'empty-field':
      return finding('empty-field', 'fail', `Empty field at column ${issue.column} (";;"): every ";" must be followed by a name=value field, except one final ";".`, {
        level: 'ABNF',
        fix: 'Remove the extra ";".',
      });
    case 'missing-delimiter-after-version':
      return finding(
        'missing-semicolon',
        'fail',
        `"${VERSION}" must be followed by ";" but column ${issue.column} holds ${describeChar(issue.found)}. Senders discard records that do not begin with "${VERSION};".`,
        { level: 'MUST', fix: 'Write "v=STSv1; id=…" with a ";" after the version.' },
      );
    case 'no-fields':
      return finding('missing-id', 'fail', `The record has no fields after "${VERSION}": at least the "id" field is required.`, {
        level: 'ABNF',
        fix: `${VERSION}; id=${ctx.freshId}`,
      });
    case 'missing-equals':
      return finding('bad-field', 'fail', `"${printable(issue.text)}" at column ${issue.column} is not a name=value field.`, { level: 'ABNF' });
    case 'space-around-equals':
      return finding('space-around-equals', 'fail', `Whitespace around "=" in the "${issue.name}" field (column ${issue.column}): none is allowed there.`, {
        level: 'ABNF',
        fix: `Write "${issue.name}=…" without spaces.`,
      });
  }
}

/** Parses an `_mta-sts` TXT record (its strings already concatenated). Never throws. */
export function parseStsRecord(text: string, options: StsRecordParseOptions = {}): StsRecordParse {
  const findings: Finding[] = [];
  const now = options?.now ?? new Date();
  if (typeof text !== 'string') return { valid: false, findings: [finding('not-text', 'fail', 'The record is not text.')] };
  if (text.length > MAX_TXT_LENGTH) {
    return { valid: false, findings: [finding('too-long', 'fail', `The record is ${text.length} characters long; refusing to parse more than ${MAX_TXT_LENGTH}.`)] };
  }
  const nonAscii = /[^\x00-\x7f]/.exec(text);
  if (nonAscii) {
    findings.push(
      finding('non-ascii', 'fail', `The record contains a non-ASCII character (${describeChar(nonAscii[0])}) at column ${nonAscii.index + 1}; MTA-STS TXT records MUST be US-ASCII (ambiguity A21).`, {
        level: 'MUST',
      }),
    );
  }
  const ctl = /[\x00-\x08\x0a-\x1f\x7f]/.exec(text);
  if (ctl) {
    findings.push(
      finding('control-character', 'fail', `The record contains ${describeChar(ctl[0])} at column ${ctl.index + 1}; no field may contain control characters (a zone-file line continuation pasted into the record?).`, {
        level: 'ABNF',
      }),
    );
  }

  let restStart: number;
  if (text.startsWith(VERSION)) {
    restStart = VERSION.length;
  } else {
    const variant = /^([\s"']*)(v\s*=\s*stsv1)/i.exec(text);
    if (variant) {
      const [, lead = '', tag = ''] = variant;
      const why = lead.length > 0 ? 'is preceded by other characters' : tag.replace(/\s/g, '') === tag ? 'has the wrong case' : 'contains whitespace';
      findings.push(
        finding('bad-version', 'fail', `The record must begin with the exact, case-sensitive "${VERSION}" but "${text.slice(0, lead.length + tag.length)}" ${why}; senders discard it (ambiguity A4).`, {
          level: 'MUST',
          // A bare tag ("V=STSv1") gets a whole record; otherwise keep what followed the tag.
          fix: /^[ \t;]*$/.test(text.slice(lead.length + tag.length)) ? `${VERSION}; id=${freshStsId(now)}` : withExactVersionPrefix(VERSION, text.slice(lead.length + tag.length)),
        }),
      );
      restStart = lead.length + tag.length;
    } else {
      findings.push(
        finding('missing-version', 'fail', `The record does not begin with "${VERSION}", so it is not an MTA-STS record and senders ignore it.`, {
          level: 'MUST',
          fix: `${VERSION}; id=${freshStsId(now)}`,
        }),
      );
      return { valid: false, findings };
    }
  }

  const split = splitFields(text.slice(restStart), restStart + 1);
  const context: ShapeContext = { repaired: withExactVersionPrefix(VERSION, text.slice(restStart)), freshId: freshStsId(now) };
  findings.push(...split.issues.map((issue) => shapeFinding(issue, context)));

  let id: string | undefined;
  const seen = new Map<string, string>();
  const extensions: { name: string; value: string }[] = [];
  const unknown: string[] = [];
  let idCaseVariant: string | undefined;
  for (const field of split.fields) {
    const first = seen.get(field.name);
    if (first !== undefined) {
      // An ignored duplicate must still be a grammatical field, or the whole record is not
      // (`id=a; id=b=c` matches neither sts-id nor sts-extension; found by tests/fuzz).
      const badDup = badExtValueChar(field.value);
      if (field.value.length === 0 || badDup) {
        const what = badDup ? `${describeChar(badDup.char)} at column ${field.valueColumn + badDup.index}` : 'an empty value';
        findings.push(
          finding('bad-field-value', 'fail', `The repeated "${field.name}" field has ${what}; even an ignored field must be visible ASCII without "=", ";" or spaces, or the record does not match the grammar.`, {
            level: 'ABNF',
          }),
        );
        continue;
      }
      findings.push(
        finding('duplicate-field', 'warn', `The "${field.name}" field appears more than once; only the first ("${field.name}=${first}") counts, "${field.name}=${field.value}" is ignored (RFC 8461 §3.2, ambiguity A12).`, {
          refs: [R32, R31],
          level: 'MUST', // "SHALL be ignored"
          fix: `Keep a single "${field.name}=" field.`,
        }),
      );
      continue;
    }
    seen.set(field.name, field.value);
    if (field.name === 'id') {
      id = field.value;
      continue;
    }
    if (!EXT_NAME.test(field.name)) {
      findings.push(
        finding('bad-field-name', 'fail', `"${printable(field.name)}" (column ${field.column}) is not a valid field name: letters, digits, "_", "-" and ".", starting with a letter or digit, at most 32.`, {
          level: 'ABNF',
        }),
      );
      continue;
    }
    const bad = badExtValueChar(field.value);
    if (field.value.length === 0 || bad) {
      const what = bad ? `${describeChar(bad.char)} at column ${field.valueColumn + bad.index}` : 'an empty value';
      findings.push(finding('bad-field-value', 'fail', `The "${field.name}" field has ${what}; values are visible ASCII without "=", ";" or spaces.`, { level: 'ABNF' }));
      continue;
    }
    if (field.name.toLowerCase() === 'id') idCaseVariant = field.name;
    extensions.push({ name: field.name, value: field.value });
    unknown.push(`${field.name}=${field.value}`);
  }

  if (unknown.length > 0) {
    findings.push(
      finding('unknown-fields', 'info', `Fields senders ignore: ${unknown.join(', ')}. Unknown fields are allowed and ignored (RFC 8461 §3.2).`, {
        refs: [R32],
      }),
    );
  }
  const hasShapeNoFields = split.issues.some((i) => i.kind === 'no-fields' || i.kind === 'missing-delimiter-after-version');
  if (id === undefined && !hasShapeNoFields) {
    const caseNote = idCaseVariant ? ` "${idCaseVariant}=" differs from "id=" only by case: field names are case-sensitive (ambiguity A4), so it is an unknown field and the id is missing.` : '';
    findings.push(
      finding('missing-id', 'fail', `The required "id" field is missing.${caseNote}`, {
        level: 'ABNF',
        fix: `${VERSION}; id=${idCaseVariant ? suggestStsId(seen.get(idCaseVariant) ?? '', now) : freshStsId(now)}`,
      }),
    );
  } else if (id !== undefined && !/^[A-Za-z0-9]{1,32}$/.test(id)) {
    const problems: string[] = [];
    if (id.length === 0) problems.push('it is empty');
    if (id.length > 32) problems.push(`it is ${id.length} characters long (at most 32)`);
    const badChars = [...new Set(id.replace(/[A-Za-z0-9]/g, ''))];
    if (badChars.length > 0) problems.push(`it contains ${badChars.slice(0, 5).map(describeChar).join(', ')} (only letters and digits are allowed)`);
    findings.push(
      finding('bad-id', 'fail', `The id "${id}" is invalid: ${problems.join('; ')}. The id is 1–32 ASCII letters and digits (ambiguity A5).`, {
        level: 'ABNF',
        fix: `${VERSION}; id=${suggestStsId(id, now)}`,
      }),
    );
  }

  const valid = !findings.some((f) => f.severity === 'fail');
  if (!valid || id === undefined) return { valid: false, findings };
  return {
    valid: true,
    record: { id, fields: split.fields.map((f) => ({ name: f.name, value: f.value })), extensions },
    findings,
  };
}
