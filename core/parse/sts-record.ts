// The `_mta-sts` TXT record, RFC 8461 §3.1 (grammar) and §3.2 last paragraph (unknown and
// duplicated fields); CHECKLIST §2 and ambiguities A2, A3, A4, A5, A9, A12, A21.
import type { Finding } from '../report/schema.ts';
import { ref } from '../report/refs.ts';
import { checkVersion, commonShapeFinding, describeChar, extValueProblem, extensionFieldFinding, firstControlChar, firstNonAscii, hasExactVersionPrefix, looksLikeVersion, splitFields, txtRecordKind, unreadableRecord, withExactVersionPrefix, type ShapeIssue } from './txt-fields.ts';

const VERSION = 'v=STSv1';
const R31 = ref('RFC8461', '3.1');
const R32 = ref('RFC8461', '3.2');
const STS = txtRecordKind(VERSION, 'an MTA-STS record', 'sts-record', R31);
const finding = STS.finding;

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
  return hasExactVersionPrefix(text, STS);
}

/**
 * Starts like an MTA-STS record, in any case, with stray spaces or quotes: used to explain
 * why a record was discarded (`v=STSv1 ; id=1`, `V=STSv1;`, `v=STSv1` with no `;`).
 */
export function looksLikeSts(text: string): boolean {
  return looksLikeVersion(text, STS);
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
    case 'no-fields':
      return finding('missing-id', 'fail', `The record has no fields after "${VERSION}": at least the "id" field is required.`, {
        level: 'ABNF',
        fix: `${VERSION}; id=${ctx.freshId}`,
      });
    default:
      return commonShapeFinding(issue, STS, 'Write "v=STSv1; id=…" with a ";" after the version.');
  }
}

/** Parses an `_mta-sts` TXT record (its strings already concatenated). Never throws. */
export function parseStsRecord(text: string, options: StsRecordParseOptions = {}): StsRecordParse {
  const findings: Finding[] = [];
  const now = options?.now ?? new Date();
  const unreadable = unreadableRecord(text, STS);
  if (unreadable) return { valid: false, findings: [unreadable] };
  const nonAscii = firstNonAscii(text);
  if (nonAscii) {
    findings.push(
      finding('non-ascii', 'fail', `The record contains a non-ASCII character (${describeChar(nonAscii.char)}) at column ${nonAscii.column}; MTA-STS TXT records MUST be US-ASCII (ambiguity A21).`, {
        level: 'MUST',
      }),
    );
  }
  const ctl = firstControlChar(text);
  if (ctl) {
    findings.push(
      finding('control-character', 'fail', `The record contains ${describeChar(ctl.char)} at column ${ctl.column}; no field may contain control characters (a zone-file line continuation pasted into the record?).`, {
        level: 'ABNF',
      }),
    );
  }

  const wholeRecord = `${VERSION}; id=${freshStsId(now)}`;
  // A bare tag ("V=STSv1") gets a whole record; otherwise the fix keeps what followed the tag.
  const version = checkVersion(text, STS, { missing: wholeRecord, bare: wholeRecord });
  if (version.finding) findings.push(version.finding);
  const restStart = version.restStart;
  if (restStart === undefined) return { valid: false, findings };

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
      const what = extValueProblem(field);
      if (what !== undefined) {
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
    const badExtension = extensionFieldFinding(field, STS);
    if (badExtension) {
      findings.push(badExtension);
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
