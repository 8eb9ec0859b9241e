// The `_smtp._tls` TXT record, RFC 8460 §3 (grammar, `rua` URIs), RFC 3986 (URI syntax),
// RFC 6068 §2 (mailto); CHECKLIST §8, §8.1 and A19. Severities are what the RFC implies:
// the `tlsrpt-record` check caps them at warn because TLSRPT is optional.
import type { Finding } from '../report/schema.ts';
import { ref } from '../report/refs.ts';
import { toALabel } from './domain-name.ts';
import { checkVersion, commonShapeFinding, describeChar, extensionFieldFinding, firstControlChar, firstNonAscii, hasExactVersionPrefix, looksLikeVersion, splitFields, txtRecordKind, unreadableRecord, withExactVersionPrefix, type ShapeIssue } from './txt-fields.ts';

const VERSION = 'v=TLSRPTv1';
const R3 = ref('RFC8460', '3');
const TLSRPT = txtRecordKind(VERSION, 'a TLSRPT record', 'tlsrpt-record', R3);
const finding = TLSRPT.finding;
const URI_REF = ref('RFC3986', '3');
const MAILTO_REF = ref('RFC6068', '2');

export interface RuaUri {
  uri: string;
  /** Lower case (RFC 3986 §3.1: schemes are case-insensitive). */
  scheme: string;
  /** `mailto` or `https` (RFC 8460 §3). */
  supported: boolean;
}

export interface TlsrptRecord {
  /** The URIs of every `rua` field, in order (a second `rua` adds to the list, A19). */
  rua: RuaUri[];
  /** Fields other than `rua` that senders ignore (first occurrence of each name). */
  extensions: { name: string; value: string }[];
}

export interface TlsrptRecordParse {
  valid: boolean;
  /** Present only when the record is valid. */
  record?: TlsrptRecord;
  findings: Finding[];
}

export interface TlsrptParseOptions {
  /** The policy domain, to write concrete fixes (`rua=mailto:tls-reports@<domain>`). */
  domain?: string;
}

/** The literal-prefix test senders apply before counting records (RFC 8460 §3). */
export function isTlsrptCandidate(text: string): boolean {
  return hasExactVersionPrefix(text, TLSRPT);
}

/** Starts like a TLSRPT record in any case, with stray spaces or quotes: to explain a discard. */
export function looksLikeTlsrpt(text: string): boolean {
  return looksLikeVersion(text, TLSRPT);
}

/** `repaired`: the record with the exact version tag and no whitespace before the first ";". */
function shapeFinding(issue: ShapeIssue, exampleFix: string, repaired: string): Finding {
  switch (issue.kind) {
    case 'space-before-first-delimiter':
      return finding(
        'space-before-semicolon',
        'fail',
        `Whitespace between "${VERSION}" and ";" (column ${issue.column}). The ABNF (field-delim = *WSP ";" *WSP) allows it, but senders ` +
          `discard every record that does not begin with the literal "${VERSION};", so this record is thrown away (ambiguity A2).`,
        { level: 'MUST', fix: repaired },
      );
    case 'trailing-whitespace':
      return finding(
        'trailing-whitespace',
        'warn',
        `Whitespace at the end of the record (column ${issue.column}) without a final ";": the grammar only allows whitespace around ";" (ambiguity A3).`,
        { level: 'ABNF', fix: 'Remove the trailing whitespace, or end the record with ";".' },
      );
    case 'no-fields':
      return finding('missing-rua', 'fail', `The record has no fields after "${VERSION}": the "rua" field is required.`, { level: 'ABNF', fix: exampleFix });
    default:
      return commonShapeFinding(issue, TLSRPT, exampleFix);
  }
}

const DOT_ATOM = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const QUOTED_STRING = /^"(?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\[\x20-\x7e])*"$/;
const DOMAIN_LITERAL = /^\[[\x21-\x5a\x5e-\x7e]*\]$/;
/** RFC 3986 characters: unreserved, sub-delims, gen-delims and "%" (checked separately). */
const URI_CHARS = /^[A-Za-z0-9\-._~!$&'()*+,;=:/?#[\]@%]*$/;

function safeDecode(text: string): string | undefined {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
}

/** Why a `mailto:` URI holds no valid address (RFC 6068 §2), or undefined when it is fine. */
function mailtoProblem(uri: string): string | undefined {
  const to = uri.slice('mailto:'.length).split('?')[0] ?? '';
  if (to.length === 0) return 'it has no address after "mailto:"';
  const decoded = safeDecode(to);
  if (decoded === undefined) return 'its percent-encoding does not decode as UTF-8';
  for (const address of decoded.split(',')) {
    const at = address.lastIndexOf('@');
    if (at === -1) return `"${address}" has no "@"`;
    const local = address.slice(0, at);
    const domain = address.slice(at + 1);
    if (!DOT_ATOM.test(local) && !QUOTED_STRING.test(local)) return `the local part "${local}" is not a valid address local part`;
    if (DOMAIN_LITERAL.test(domain)) continue;
    const aLabel = toALabel(domain);
    if (aLabel === undefined || !aLabel.includes('.')) return `"${domain}" is not a valid mail domain`;
  }
  return undefined;
}

interface UriCheck {
  rua?: RuaUri;
  findings: Finding[];
}

function checkUri(uri: string, column: number, exampleFix: string): UriCheck {
  const at = `"${uri}" (column ${column})`;
  if (uri.length === 0) {
    return { findings: [finding('empty-uri', 'fail', `Empty URI in "rua" at column ${column} (a stray ",").`, { level: 'ABNF' })] };
  }
  if (/[ \t]/.test(uri)) {
    return { findings: [finding('uri-whitespace', 'fail', `${at} contains whitespace; spaces are allowed only around "," between URIs.`, { level: 'ABNF', refs: [R3, URI_REF] })] };
  }
  if (uri.includes('!')) {
    return {
      findings: [
        finding('unencoded-delimiter', 'fail', `${at} contains "!", which MUST be percent-encoded (%21) inside a rua URI.`, {
          level: 'MUST',
          fix: uri.replaceAll('!', '%21'),
        }),
      ],
    };
  }
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(uri)?.[1];
  if (scheme === undefined) {
    const hint = uri.includes('@')
      ? ' If it is a second mail address, write it as its own "mailto:" URI, e.g. "rua=mailto:a@example.com,mailto:b@example.com" (a "," inside one URI MUST be encoded as %2C).'
      : '';
    return { findings: [finding('uri-not-absolute', 'fail', `${at} is not an absolute URI: it has no scheme such as "mailto:" or "https:".${hint}`, { level: 'ABNF', refs: [R3, URI_REF], fix: exampleFix })] };
  }
  if (!URI_CHARS.test(uri)) {
    const bad = [...uri].find((c) => !URI_CHARS.test(c)) ?? '';
    return { findings: [finding('uri-invalid-char', 'fail', `${at} contains ${describeChar(bad)}, which cannot appear in a URI unencoded.`, { level: 'ABNF', refs: [R3, URI_REF] })] };
  }
  if (/%(?![0-9A-Fa-f]{2})/.test(uri)) {
    return { findings: [finding('uri-bad-percent', 'fail', `${at} has a "%" not followed by two hex digits.`, { level: 'ABNF', refs: [R3, ref('RFC3986', '2.1')] })] };
  }
  const lower = scheme.toLowerCase();
  if (lower === 'mailto') {
    const problem = mailtoProblem(uri);
    if (problem) {
      return { findings: [finding('bad-mailto', 'fail', `${at}: ${problem}.`, { level: 'ABNF', refs: [R3, MAILTO_REF], fix: exampleFix })] };
    }
    return { rua: { uri, scheme: lower, supported: true }, findings: [] };
  }
  if (lower === 'https' || lower === 'http') {
    let host = '';
    try {
      host = new URL(uri).hostname;
    } catch {
      host = '';
    }
    if (host.length === 0 || !uri.slice(lower.length + 1).startsWith('//')) {
      return { findings: [finding('bad-https', 'fail', `${at} is not a valid ${lower} URL with a host name.`, { level: 'ABNF', refs: [R3, URI_REF] })] };
    }
    if (lower === 'http') {
      return {
        rua: { uri, scheme: lower, supported: false },
        findings: [
          finding('http-scheme', 'warn', `${at} uses http:, which RFC 8460 does not support: only "mailto" and "https" are; reporters skip it.`, {
            fix: `https:${uri.slice('http:'.length)}`,
          }),
        ],
      };
    }
    return { rua: { uri, scheme: lower, supported: true }, findings: [] };
  }
  return {
    rua: { uri, scheme: lower, supported: false },
    findings: [finding('unsupported-scheme', 'warn', `${at} uses the "${lower}" scheme; only "mailto" and "https" are supported, so reporters skip it.`)],
  };
}

/** Splits a rua value into its URIs: `tlsrpt-uri *(*WSP "," *WSP tlsrpt-uri)`. */
function splitUris(value: string, valueColumn: number): { uri: string; column: number }[] {
  const out: { uri: string; column: number }[] = [];
  let start = 0;
  for (const part of value.split(',')) {
    const lead = part.length - part.trimStart().length;
    out.push({ uri: part.trim(), column: valueColumn + start + lead });
    start += part.length + 1;
  }
  return out;
}

/** Parses an `_smtp._tls` TXT record (its strings already concatenated). Never throws. */
export function parseTlsrptRecord(text: string, options: TlsrptParseOptions = {}): TlsrptRecordParse {
  const findings: Finding[] = [];
  const exampleFix = `v=TLSRPTv1; rua=mailto:tls-reports@${options.domain ?? 'example.com'}`;
  const unreadable = unreadableRecord(text, TLSRPT);
  if (unreadable) return { valid: false, findings: [unreadable] };
  const ctl = firstControlChar(text);
  if (ctl) {
    findings.push(
      finding('control-character', 'fail', `The record contains ${describeChar(ctl.char)} at column ${ctl.column}. This usually comes from pasting the RFC 8460 §3.1.2 example, whose "\\" line continuations are not zone-file syntax (ambiguity A19).`, {
        level: 'ABNF',
        fix: exampleFix,
      }),
    );
  }
  const backslash = text.indexOf('\\');
  if (backslash !== -1) {
    findings.push(
      finding('backslash', 'fail', `The record contains "\\" at column ${backslash + 1}: the RFC 8460 §3.1.2 example breaks lines with "\\" for presentation only; pasted into a zone it ends up inside the record (ambiguity A19).`, {
        level: 'ABNF',
        fix: exampleFix,
      }),
    );
  }
  const nonAscii = firstNonAscii(text);
  if (nonAscii) {
    findings.push(finding('non-ascii', 'fail', `The record contains a non-ASCII character (${describeChar(nonAscii.char)}) at column ${nonAscii.column}; the grammar is ASCII only (URIs percent-encode everything else).`, { level: 'ABNF' }));
  }

  const version = checkVersion(text, TLSRPT, { missing: exampleFix });
  if (version.finding) findings.push(version.finding);
  const restStart = version.restStart;
  if (restStart === undefined) return { valid: false, findings };

  const split = splitFields(text.slice(restStart), restStart + 1);
  const repaired = withExactVersionPrefix(VERSION, text.slice(restStart));
  findings.push(...split.issues.map((i) => shapeFinding(i, exampleFix, repaired)));

  const rua: RuaUri[] = [];
  let ruaFields = 0;
  const seen = new Set<string>();
  const extensions: { name: string; value: string }[] = [];
  let ruaCaseVariant: string | undefined;
  for (const field of split.fields) {
    if (field.name === 'rua') {
      ruaFields++;
      if (ruaFields === 2) {
        findings.push(
          finding('duplicate-rua', 'warn', `More than one "rua" field (column ${field.column}). RFC 8460 describes several destinations as a comma-separated list in one "rua"; reporters may use only the first field. Their union is shown here (ambiguity A19).`, {
            fix: 'Merge them: rua=<uri1>,<uri2>',
          }),
        );
      }
      for (const { uri, column } of splitUris(field.value, field.valueColumn)) {
        const checked = checkUri(uri, column, exampleFix);
        findings.push(...checked.findings);
        if (checked.rua) rua.push(checked.rua);
      }
      continue;
    }
    const badExtension = extensionFieldFinding(field, TLSRPT);
    if (badExtension) {
      findings.push(badExtension);
      continue;
    }
    if (seen.has(field.name)) {
      findings.push(finding('duplicate-field', 'info', `The "${field.name}" field appears more than once; RFC 8460 does not say which counts (ambiguity A19).`));
      continue;
    }
    seen.add(field.name);
    if (field.name.toLowerCase() === 'rua') ruaCaseVariant = field.name;
    extensions.push({ name: field.name, value: field.value });
  }

  if (extensions.length > 0) {
    findings.push(finding('unknown-fields', 'info', `Fields reporters ignore: ${extensions.map((e) => `${e.name}=${e.value}`).join(', ')}.`));
  }
  const noFieldsReported = split.issues.some((i) => i.kind === 'no-fields' || i.kind === 'missing-delimiter-after-version');
  if (ruaFields === 0 && !noFieldsReported) {
    const caseNote = ruaCaseVariant ? ` "${ruaCaseVariant}=" differs from "rua=" only by case: field names are case-sensitive (ambiguity A4), so it is an unknown field.` : '';
    findings.push(finding('missing-rua', 'fail', `The required "rua" field is missing.${caseNote}`, { level: 'ABNF', fix: exampleFix }));
  } else if (ruaFields > 0 && !rua.some((r) => r.supported)) {
    findings.push(
      finding('no-usable-rua', 'fail', 'No "rua" URI is usable: reporters only send to valid "mailto:" and "https:" URIs, so no report will arrive.', { fix: exampleFix }),
    );
  }

  const valid = !findings.some((f) => f.severity === 'fail');
  if (!valid) return { valid: false, findings };
  return { valid: true, record: { rua, extensions }, findings };
}
