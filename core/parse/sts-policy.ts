// The MTA-STS policy file, RFC 8461 §3.2, checked byte by byte against `sts-policy-record`;
// CHECKLIST §4 (STS-POL-01..17) and ambiguities A1, A2, A4, A6, A8, A10–A13, A21, A22.
// Lines are split on the raw bytes (CR and LF never occur inside a UTF-8 sequence), so every
// line keeps its exact byte offset even when the body is not valid UTF-8.
import type { Finding, PolicyMode } from '../report/schema.ts';
import { ref } from '../report/refs.ts';
import { toALabel } from './domain-name.ts';
import { checkMxPatternSyntax } from './mx-pattern.ts';
import { suggestMode } from './policy-mode.ts';
import { describeChar, printable } from './txt-fields.ts';
import { firstInvalidUtf8 } from './utf8.ts';

export const MAX_POLICY_BYTES = 1024 * 1024;
export const MAX_POLICY_LINE_BYTES = 8 * 1024;
/** After this many findings with the same id, one summary finding stands for the rest. */
const MAX_FINDINGS_PER_ID = 20;
export const MAX_AGE_LIMIT = 31_557_600;
const DAY = 86_400;
const WEEK = 604_800;

const R32 = ref('RFC8461', '3.2');

export type LineTerminator = 'CRLF' | 'LF' | 'CR' | 'none';

export interface PolicyLine {
  /** 1-based. */
  number: number;
  /** Without its terminator, decoded as UTF-8 (invalid bytes become U+FFFD). */
  text: string;
  terminator: LineTerminator;
  /** Offset of the line's first byte in the body. */
  startByte: number;
}

export interface Policy {
  version?: string;
  mode?: PolicyMode;
  maxAge?: number;
  /** Syntactically usable patterns as written (trailing-dot and IPv4-like ones included, with findings). */
  mx: { pattern: string; line: number }[];
  /** Fields senders ignore (first occurrence of each name). */
  extensions: { name: string; value: string; line: number }[];
}

export interface PolicyParse {
  valid: boolean;
  policy: Policy;
  lines: PolicyLine[];
  terminators: 'CRLF' | 'LF' | 'mixed' | 'none';
  findings: Finding[];
}

export interface PolicyParseOptions {
  /** Report leading whitespace, blank lines and `key :` as warn instead of fail (ambiguity A2). */
  lenient?: boolean;
}

type Extra = Partial<Omit<Finding, 'id' | 'severity' | 'message'>>;

/** Collects findings, keeping at most MAX_FINDINGS_PER_ID per id so hostile bodies stay cheap. */
class FindingSink {
  readonly list: Finding[] = [];
  private readonly counts = new Map<string, { n: number; severity: Finding['severity'] }>();

  add(slug: string, severity: Finding['severity'], message: string, extra: Extra = {}): void {
    const id = `policy-syntax.${slug}`;
    const seen = this.counts.get(id);
    const n = (seen?.n ?? 0) + 1;
    this.counts.set(id, { n, severity: seen?.severity ?? severity });
    if (n <= MAX_FINDINGS_PER_ID) this.list.push({ id, severity, message, refs: [R32], ...extra });
  }

  finish(): Finding[] {
    for (const [id, { n, severity }] of this.counts) {
      if (n > MAX_FINDINGS_PER_ID) {
        this.list.push({ id, severity, message: `…and ${n - MAX_FINDINGS_PER_ID} more of the same problem, not listed one by one.`, refs: [R32] });
      }
    }
    return this.list;
  }
}

function emptyResult(findings: Finding[]): PolicyParse {
  return { valid: false, policy: { mx: [], extensions: [] }, lines: [], terminators: 'none', findings };
}

/** 1-based column, in characters (code points), of UTF-16 index `index` in `text`. */
function columnOf(text: string, index: number): number {
  const prefix = text.slice(0, index);
  if (!/[\uD800-\uDFFF]/.test(prefix)) return prefix.length + 1;
  let n = 0;
  for (const _ of prefix) n++;
  return n + 1;
}

const isWsp = (c: string | undefined): boolean => c === ' ' || c === '\t';
const EXT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,31}$/;
const REGISTERED = ['version', 'mode', 'max_age', 'mx'] as const;
type Registered = (typeof REGISTERED)[number];
const isRegistered = (key: string): key is Registered => (REGISTERED as readonly string[]).includes(key);
const MODES: readonly PolicyMode[] = ['enforce', 'testing', 'none'];
const DEFAULT_VALUES: Record<Exclude<Registered, 'mx'>, string> = { version: 'STSv1', mode: 'testing', max_age: '604800' };

interface RawLine {
  start: number;
  end: number;
  terminator: LineTerminator;
}

/** Splits on LF, CRLF and bare CR; no line for the empty rest after a final terminator. */
function splitLines(bytes: Uint8Array, offset: number): RawLine[] {
  const out: RawLine[] = [];
  let start = offset;
  for (let i = offset; i < bytes.length; i++) {
    const b = bytes[i];
    if (b === 0x0a) {
      out.push({ start, end: i, terminator: 'LF' });
      start = i + 1;
    } else if (b === 0x0d) {
      if (bytes[i + 1] === 0x0a) {
        out.push({ start, end: i, terminator: 'CRLF' });
        i++;
      } else {
        out.push({ start, end: i, terminator: 'CR' });
      }
      start = i + 1;
    }
  }
  if (start < bytes.length) out.push({ start, end: bytes.length, terminator: 'none' });
  return out;
}

function toBytes(body: Uint8Array | string): Uint8Array | string {
  if (typeof body === 'string') {
    // Every character is at least one byte: a longer string is over the limit for sure.
    if (body.length > MAX_POLICY_BYTES) return `The policy is over ${MAX_POLICY_BYTES} bytes; refusing to parse it.`;
    return new TextEncoder().encode(body);
  }
  if (body instanceof Uint8Array) return body;
  return 'The policy body is neither text nor bytes.';
}

/**
 * Parses a policy body (bytes as served, or text) against RFC 8461 §3.2. Never throws; work is
 * linear in the body size and bodies over 1 MiB or lines over 8 KiB are refused with a finding.
 */
export function parsePolicy(body: Uint8Array | string, options: PolicyParseOptions = {}): PolicyParse {
  const bytes = toBytes(body);
  if (typeof bytes === 'string') {
    const id = typeof body === 'string' ? 'policy-syntax.too-large' : 'policy-syntax.not-text';
    return emptyResult([{ id, severity: 'fail', message: bytes, refs: [R32] }]);
  }
  if (bytes.length > MAX_POLICY_BYTES) {
    return emptyResult([
      { id: 'policy-syntax.too-large', severity: 'fail', message: `The policy is ${bytes.length} bytes; refusing to parse more than ${MAX_POLICY_BYTES} (RFC 8461 §3.3 suggests at most 64 KB).`, refs: [R32, ref('RFC8461', '3.3')] },
    ]);
  }
  const sink = new FindingSink();
  const lenientSeverity: Finding['severity'] = options.lenient ? 'warn' : 'fail';
  const policy: Policy = { mx: [], extensions: [] };

  let offset = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    offset = 3;
    sink.add('bom', 'warn', 'The body starts with a UTF-8 byte order mark (EF BB BF), which is not part of the policy grammar; strict senders read it as part of the first key.', {
      level: 'ABNF',
      location: { line: 1, column: 1 },
      fix: 'Save the file as UTF-8 without BOM (or as plain ASCII).',
    });
  }
  if (bytes.length - offset === 0) {
    sink.add('empty', 'fail', 'The policy body is empty: version, mode, max_age and mx are required.', {
      level: 'ABNF',
      fix: serializePolicy({ version: 'STSv1', mode: 'testing', maxAge: WEEK, mx: [{ pattern: 'mail.example.com' }], extensions: [] }),
    });
    return { ...emptyResult(sink.finish()) };
  }

  const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
  const raw = splitLines(bytes, offset);
  const lines: PolicyLine[] = [];
  const tooLong = new Set<number>();
  for (const [index, r] of raw.entries()) {
    const number = index + 1;
    const length = r.end - r.start;
    const end = length > MAX_POLICY_LINE_BYTES ? r.start + MAX_POLICY_LINE_BYTES : r.end;
    const text = length === 0 ? '' : decoder.decode(bytes.subarray(r.start, end));
    lines.push({ number, text, terminator: r.terminator, startByte: r.start });
    if (length > MAX_POLICY_LINE_BYTES) {
      tooLong.add(number);
      sink.add('line-too-long', 'fail', `Line ${number} is ${length} bytes long; refusing to parse lines over ${MAX_POLICY_LINE_BYTES} bytes (its text is cut there).`, {
        location: { line: number, column: 1 },
      });
      continue;
    }
    const bad = firstInvalidUtf8(bytes, r.start, r.end);
    if (bad !== -1) {
      const column = columnOf(decoder.decode(bytes.subarray(r.start, bad)), Number.MAX_SAFE_INTEGER);
      sink.add('invalid-utf8', 'fail', `Invalid UTF-8 at byte ${bad} of the body (0x${(bytes[bad] ?? 0).toString(16).padStart(2, '0')}, line ${number}); the policy must be UTF-8 text.`, {
        level: 'ABNF',
        location: { line: number, column },
        fix: 'Save the file as UTF-8 (or plain ASCII).',
      });
    }
  }

  // Line terminators (STS-POL-12, A1).
  const count = { CRLF: 0, LF: 0, CR: 0 };
  for (const line of lines) {
    if (line.terminator === 'none') continue;
    count[line.terminator]++;
    if (line.terminator === 'CR') {
      sink.add('bare-cr', 'fail', `Line ${line.number} ends with a bare CR: only LF or CRLF end a line, so senders see this line and the next as one.`, {
        level: 'ABNF',
        location: { line: line.number, column: columnOf(line.text, line.text.length) },
        fix: 'End every line with CRLF.',
      });
    }
  }
  const kinds = (['CRLF', 'LF', 'CR'] as const).filter((k) => count[k] > 0);
  const terminators: PolicyParse['terminators'] = kinds.length === 0 ? 'none' : kinds.length === 1 && kinds[0] !== 'CR' ? (kinds[0] as 'CRLF' | 'LF') : 'mixed';
  if (count.LF > 0 && count.CRLF === 0) {
    sink.add(
      'lf-line-endings',
      'info',
      'Lines end in LF, not CRLF. The ABNF (sts-policy-term = LF / CRLF) allows it, although the prose says "CRLF-separated"; erratum 6253 asks the prose to say "LF- or CRLF-separated". Accepted; CRLF is the safest choice (ambiguity A1).',
      { fix: 'Optional: end every line with CRLF.' },
    );
  } else if (count.LF > 0 && count.CRLF > 0) {
    const first = lines.find((l) => l.terminator === 'LF');
    sink.add('mixed-line-endings', 'warn', `Some lines end in CRLF and ${count.LF} in LF (first: line ${first?.number}). Each is allowed, but the mix suggests hand editing, and senders that split on CRLF as the prose says mis-read the LF lines (ambiguity A1).`, {
      location: first ? { line: first.number, column: columnOf(first.text, first.text.length) } : undefined,
      fix: 'End every line with CRLF.',
    });
  }

  const firstSeen = new Map<string, { line: number; value: string }>();
  const caseVariants = new Map<Registered, { key: string; line: number; value: string }>();
  const present = new Set<Registered>();
  let maxAgeLine: { line: number; column: number; text: string } | undefined;
  const mxSeen = new Map<string, number>();

  for (const line of lines) {
    if (tooLong.has(line.number)) continue;
    const text = line.text;
    const loc = (index: number) => ({ line: line.number, column: columnOf(text, index) });
    if (/^[ \t]*$/.test(text)) {
      sink.add('blank-line', lenientSeverity, `Line ${line.number} is blank. The grammar has no blank lines, and at most one line break after the last field (ambiguity A2).`, {
        level: 'ABNF',
        location: loc(0),
        fix: 'Remove the blank line.',
      });
      continue;
    }
    let lead = 0;
    while (isWsp(text[lead])) lead++;
    if (lead > 0) {
      sink.add('leading-whitespace', lenientSeverity, `Line ${line.number} starts with whitespace; the grammar has none before a key (ambiguity A2).`, {
        level: 'ABNF',
        location: loc(0),
        fix: text.slice(lead).trimEnd(),
      });
    }
    const colon = text.indexOf(':', lead);
    if (colon === -1) {
      sink.add('missing-colon', 'fail', `Line ${line.number} is not a "key: value" field: it has no ":".`, { level: 'ABNF', location: loc(lead) });
      continue;
    }
    const rawKey = text.slice(lead, colon);
    let keyEnd = rawKey.length;
    while (keyEnd > 0 && isWsp(rawKey[keyEnd - 1])) keyEnd--;
    const key = rawKey.slice(0, keyEnd);
    if (keyEnd < rawKey.length) {
      sink.add('space-before-colon', lenientSeverity, `Line ${line.number} has whitespace between the key "${key}" and ":"; the grammar (sts-policy-field-delim = ":" *WSP) allows none there (ambiguity A2).`, {
        level: 'ABNF',
        location: loc(lead + keyEnd),
        fix: `${key}:${text.slice(colon + 1)}`.trimEnd(),
      });
    }
    let valueStart = colon + 1;
    while (isWsp(text[valueStart])) valueStart++;
    let valueEnd = text.length;
    while (valueEnd > valueStart && isWsp(text[valueEnd - 1])) valueEnd--;
    const value = text.slice(valueStart, valueEnd);
    const valueLoc = loc(valueStart);

    if (key.length === 0) {
      sink.add('missing-key', 'fail', `Line ${line.number} has no key before ":".`, { level: 'ABNF', location: loc(lead) });
      continue;
    }
    if (key === 'mx') {
      present.add('mx');
      checkMxLine(sink, value, line.number, valueLoc, policy, mxSeen);
      continue;
    }
    const first = firstSeen.get(key);
    if (first !== undefined) {
      sink.add('duplicate-field', 'warn', `"${key}" appears again on line ${line.number}; only the first (line ${first.line}: "${first.value}") counts, "${value}" is ignored (RFC 8461 §3.2, ambiguity A12).`, {
        level: 'MUST', // "all entries except for the first SHALL be ignored"
        location: loc(lead),
        fix: `Remove line ${line.number}.`,
      });
      checkExtensionValue(sink, key, value, line.number, valueLoc);
      continue;
    }
    firstSeen.set(key, { line: line.number, value });
    if (isRegistered(key)) {
      present.add(key);
      if (key === 'version') {
        if (value === 'STSv1') policy.version = value;
        else {
          const hint = value.toLowerCase() === 'stsv1' ? ' Values are case-sensitive (ambiguity A4).' : '';
          sink.add('bad-version', 'fail', `version is "${value}"; it must be exactly "STSv1".${hint}`, { level: 'ABNF', location: valueLoc, fix: 'version: STSv1' });
        }
      } else if (key === 'mode') {
        const mode = MODES.find((m) => m === value);
        if (mode) policy.mode = mode;
        else {
          const suggestion = suggestMode(value);
          sink.add('bad-mode', 'fail', `mode is "${printable(value)}"; it must be exactly "enforce", "testing" or "none", so the policy is invalid.${suggestion.explanation}`, {
            level: 'ABNF',
            ...(suggestion.kind === 'unclear' ? { refs: [R32, ref('RFC8461', '5')] } : {}),
            location: valueLoc,
            fix: `mode: ${suggestion.mode}`,
          });
        }
      } else {
        maxAgeLine = { line: line.number, column: valueLoc.column, text: value };
        checkMaxAgeSyntax(sink, value, valueLoc, policy);
      }
      continue;
    }
    // An extension field (RFC 8461 §3.2: unknown fields are ignored).
    if (!EXT_NAME.test(key)) {
      sink.add('bad-field-name', 'fail', `"${printable(key)}" (line ${line.number}) is not a valid field name: a letter or digit, then up to 31 letters, digits, "_", "-" or "." (sts-policy-ext-name; the RFC's "sta-policy-alphanum" is a typo for sts-policy-alphanum, ambiguity A13).`, {
        level: 'ABNF',
        location: loc(lead),
      });
      continue;
    }
    if (!checkExtensionValue(sink, key, value, line.number, valueLoc)) continue;
    policy.extensions.push({ name: key, value, line: line.number });
    const lower = key.toLowerCase();
    if (isRegistered(lower) && !caseVariants.has(lower)) {
      caseVariants.set(lower, { key, line: line.number, value });
      continue; // reported below, once we know whether the real field exists
    }
    const near = key.toLowerCase().replace(/[-_. ]/g, '');
    const typo = near === 'maxage' ? ' Did you mean "max_age"?' : near === 'version' ? ' Did you mean "version"?' : '';
    sink.add('unknown-field', 'info', `"${key}" (line ${line.number}) is not a field of RFC 8461; senders ignore it.${typo}`, { location: loc(lead) });
  }

  for (const [name, variant] of caseVariants) {
    const location = { line: variant.line, column: 1 };
    if (present.has(name)) {
      sink.add('unknown-field', 'info', `"${variant.key}" (line ${variant.line}) differs from "${name}" only by case; field names are case-sensitive, so senders ignore it.`, { location });
      continue;
    }
    sink.add(
      'field-case',
      'fail',
      `"${variant.key}" (line ${variant.line}) differs from "${name}" only by case. Field names are case-sensitive (RFC 7405 %s strings), so senders treat it as an unknown field and the policy has no "${name}" field (ambiguity A4).`,
      { level: 'ABNF', location, fix: `${name}: ${variant.value}` },
    );
    present.add(name); // the field-case finding already says it is missing
  }
  for (const name of ['version', 'mode', 'max_age'] as const) {
    if (present.has(name)) continue;
    sink.add(`missing-${name.replace('_', '-')}`, 'fail', `The required "${name}" field is missing.`, { level: 'ABNF', fix: `${name}: ${DEFAULT_VALUES[name]}` });
  }

  if (policy.maxAge !== undefined && maxAgeLine) checkMaxAgeRange(sink, policy.maxAge, maxAgeLine, policy.mode);
  if (!present.has('mx') && policy.mode !== 'none') {
    sink.add('missing-mx', 'fail', `No "mx" field: at least one is required unless mode is "none"${policy.mode ? ` (mode is "${policy.mode}")` : ''}.`, {
      level: 'ABNF',
      fix: 'mx: mail.example.com',
    });
  }

  const findings = sink.finish();
  return { valid: !findings.some((f) => f.severity === 'fail'), policy, lines, terminators, findings };
}

/** Extension values: `sts-policy-vchar [*(%x20 / sts-policy-vchar) sts-policy-vchar]` (UTF-8 allowed, no CTLs). */
function checkExtensionValue(sink: FindingSink, key: string, value: string, line: number, at: { line: number; column: number }): boolean {
  if (value.length === 0) {
    sink.add('empty-value', 'fail', `"${key}" on line ${line} has no value.`, { level: 'ABNF', location: at });
    return false;
  }
  const ctl = /[\x00-\x1f\x7f]/.exec(value);
  if (ctl) {
    sink.add('control-character', 'fail', `The value of "${key}" on line ${line} contains ${describeChar(ctl[0])}; values may not contain control characters.`, {
      level: 'ABNF',
      location: { line: at.line, column: at.column + columnOf(value, ctl.index) - 1 },
    });
    return false;
  }
  return true;
}

function checkMaxAgeSyntax(sink: FindingSink, value: string, at: { line: number; column: number }, policy: Policy): void {
  if (/^\d{1,10}$/.test(value)) {
    policy.maxAge = Number(value);
    return;
  }
  let why = 'it must be 1 to 10 decimal digits (seconds)';
  if (/^\d{11,}$/.test(value)) why = `it has ${value.length} digits (at most 10) and is far above the maximum of ${MAX_AGE_LIMIT}`;
  else if (value.startsWith('-')) why = 'it is negative; it must be 1 to 10 decimal digits (seconds)';
  else if (/^\d+\s*[a-zA-Z]+$/.test(value)) why = 'units are not allowed: give the number of seconds';
  else if (/^\d+[.,]\d*$/.test(value)) why = 'it must be a whole number of seconds';
  else if (value.length === 0) why = 'it is empty';
  sink.add('bad-max-age', 'fail', `max_age is "${value}": ${why}.`, { level: 'ABNF', location: at, fix: `max_age: ${WEEK}` });
}

function checkMaxAgeRange(sink: FindingSink, maxAge: number, at: { line: number; column: number; text: string }, mode: PolicyMode | undefined): void {
  const location = { line: at.line, column: at.column };
  if (maxAge > MAX_AGE_LIMIT) {
    sink.add('max-age-too-large', 'fail', `max_age is ${maxAge}, above the RFC maximum of ${MAX_AGE_LIMIT} (one year); senders may clamp it or reject the policy (ambiguity A8).`, {
      location,
      fix: `max_age: ${MAX_AGE_LIMIT}`,
    });
  } else if (maxAge === 0) {
    sink.add('max-age-zero', 'warn', 'max_age is 0: senders may not cache the policy at all, so it protects only the delivery during which it was fetched (ambiguity A8).', {
      level: 'SHOULD',
      location,
      fix: `max_age: ${mode === 'none' ? DAY : WEEK}`,
    });
  } else if (maxAge < DAY) {
    sink.add('max-age-short', 'warn', `max_age is ${maxAge} s, less than a day: the policy is re-fetched so often that an attacker who blocks the fetch can strip it; RFC 8461 expects "weeks or greater".`, {
      location,
      fix: `max_age: ${mode === 'none' ? DAY : WEEK}`,
    });
  } else if (maxAge < WEEK && mode !== 'none') {
    sink.add('max-age-below-week', 'info', `max_age is ${maxAge} s, under a week; RFC 8461 expects "weeks or greater" (§3.2) and as long as practical (§10.2).`, {
      location,
      refs: [R32, ref('RFC8461', '10.2')],
      fix: `max_age: ${WEEK}`,
    });
  }
  if (at.text.length > 1 && at.text.startsWith('0')) {
    sink.add('max-age-leading-zeros', 'info', `max_age "${at.text}" has leading zeros; allowed by the grammar, but some parsers read it as octal or reject it.`, {
      location,
      fix: `max_age: ${maxAge}`,
    });
  }
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}\.?$/;

function checkMxLine(
  sink: FindingSink,
  value: string,
  line: number,
  at: { line: number; column: number },
  policy: Policy,
  mxSeen: Map<string, number>,
): void {
  const ref41 = ref('RFC8461', '4.1');
  if (value.length === 0) {
    sink.add('empty-value', 'fail', `"mx" on line ${line} has no value.`, { level: 'ABNF', location: at });
    return;
  }
  if (/[\s,]/.test(value)) {
    const parts = value.split(/[\s,]+/).filter((p) => p.length > 0);
    sink.add('mx-list', 'fail', `Line ${line} lists several patterns in one "mx" field ("${value}"); each MX MUST have its own "mx:" line.`, {
      level: 'MUST',
      location: at,
      fix: parts.map((p) => `mx: ${p}`).join('\r\n'),
    });
    return;
  }
  if (/[^\x00-\x7f]/.test(value)) {
    const wildcard = value.startsWith('*.');
    const aLabel = toALabel(wildcard ? value.slice(2) : value);
    sink.add('mx-u-label', 'fail', `The mx pattern "${value}" on line ${line} is not ASCII; internationalised names MUST be written as A-labels (Punycode).`, {
      level: 'MUST',
      location: at,
      // RFC 8461 §3.2 has the MUST; RFC 5891 §4.4 defines the U-label to A-label (Punycode) conversion.
      refs: [R32, ref('RFC5891', '4.4')],
      ...(aLabel ? { fix: `mx: ${wildcard ? '*.' : ''}${aLabel}` } : {}),
    });
    return;
  }
  if (value.startsWith('[') || value.includes(':')) {
    sink.add('mx-ip-literal', 'fail', `The mx value "${value}" on line ${line} is an IP address literal, which is outside the grammar (["*."] Domain) and never matches an MX host name (ambiguity A22).`, {
      level: 'ABNF',
      location: at,
      fix: 'mx: <the MX host name, as in your MX records>',
    });
    return;
  }
  const syntax = checkMxPatternSyntax(value);
  if (!syntax.ok) {
    sink.add('mx-invalid', 'fail', `The mx pattern "${value}" on line ${line} is invalid: ${syntax.reason}.`, { level: 'ABNF', location: at, refs: [R32, ref41] });
    return;
  }
  if (syntax.trailingDot) {
    sink.add('mx-trailing-dot', 'warn', `The mx pattern "${value}" on line ${line} ends with a dot, which is outside the grammar; some senders will not match it (ambiguity A6).`, {
      level: 'ABNF',
      location: at,
      fix: `mx: ${value.slice(0, -1)}`,
    });
  }
  if (IPV4.test(value)) {
    sink.add('mx-ipv4', 'warn', `The mx pattern "${value}" on line ${line} looks like an IPv4 address. It is grammatical, but MX records name hosts, so it matches no MX and may make senders check the certificate for an IP address (ambiguity A22).`, {
      location: at,
      fix: 'mx: <the MX host name, as in your MX records>',
    });
  }
  const earlier = mxSeen.get(syntax.normalized);
  if (earlier !== undefined) {
    sink.add('mx-duplicate', 'info', `The mx pattern "${value}" on line ${line} repeats line ${earlier}.`, { location: at });
    return;
  }
  mxSeen.set(syntax.normalized, line);
  policy.mx.push({ pattern: value, line });
}

export interface SerializablePolicy {
  version?: string;
  mode?: PolicyMode;
  maxAge?: number;
  mx: readonly { pattern: string }[];
  extensions: readonly { name: string; value: string }[];
}

/** The policy as a body: CRLF after every line, version, mode, max_age, mx lines, extensions. */
export function serializePolicy(policy: SerializablePolicy): string {
  const lines: string[] = [];
  if (policy.version !== undefined) lines.push(`version: ${policy.version}`);
  if (policy.mode !== undefined) lines.push(`mode: ${policy.mode}`);
  if (policy.maxAge !== undefined) lines.push(`max_age: ${policy.maxAge}`);
  for (const mx of policy.mx) lines.push(`mx: ${mx.pattern}`);
  for (const ext of policy.extensions) lines.push(`${ext.name}: ${ext.value}`);
  return lines.map((l) => `${l}\r\n`).join('');
}
