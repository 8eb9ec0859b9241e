// Read one TLSRPT aggregate report file (RFC 8460 §4, §5): plain JSON or gzip, bounded, parsed
// locally with the tolerant schema. Never throws: failures are a message a postmaster understands.
import { gunzipBounded, isGzip, MAX_INPUT_BYTES, MAX_JSON_BYTES, utf8Text } from './decode.ts';
import { DeviationLog } from './deviations.ts';
import { compareWithBody, parseReportFilename, policyDomainFallback, type TlsrptFilename } from './filename.ts';
import { normalizeTlsrptJson } from './normalize.ts';
import { TlsrptReportSchema, type TlsrptReport } from './schema.ts';

export type ParseReportResult =
  | {
      ok: true;
      report: TlsrptReport;
      /** Each deviation from RFC 8460 §4.4 that was tolerated, one line per kind. */
      deviations: string[];
      /** RFC 8460 §5.1 file name checks (informational), when a file name was given. */
      filename?: TlsrptFilename;
      /**
       * Set when the body names no policy-domain and the file name does (RFC 8460 §5.1): `report`
       * then carries this domain on each entry, so summaries need no file name, and a deviation says so.
       */
      policyDomainFromFilename?: string;
      gzipped: boolean;
    }
  | { ok: false; message: string };

const MAX_ISSUES = 5;

function issuePath(path: readonly PropertyKey[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('') || '(top level)';
}

/** A copy of `report` with `domain` on every entry (the caller checked that none has one). */
function withPolicyDomain(report: TlsrptReport, domain: string): TlsrptReport {
  return { ...report, policies: report.policies.map((e) => ({ ...e, policy: { ...e.policy, 'policy-domain': domain } })) };
}

export async function parseTlsrptReport(bytes: Uint8Array, filename?: string): Promise<ParseReportResult> {
  try {
    if (!(bytes instanceof Uint8Array)) return { ok: false, message: 'No file content.' };
    if (bytes.length === 0) return { ok: false, message: 'The file is empty.' };
    if (bytes.length > MAX_INPUT_BYTES) return { ok: false, message: `The file is ${bytes.length} bytes, more than the ${MAX_INPUT_BYTES} accepted; TLSRPT reports are far smaller (RFC 8460 §5.2).` };
    const gzipped = isGzip(bytes);
    let json = bytes;
    if (gzipped) {
      const inflated = await gunzipBounded(bytes, MAX_JSON_BYTES);
      if (!inflated.ok) return inflated;
      json = inflated.value;
    }
    const text = utf8Text(json);
    if (!text.ok) return text;
    let raw: unknown;
    try {
      raw = JSON.parse(text.value.text);
    } catch (e) {
      const looksHtml = /^\s*</.test(text.value.text);
      return { ok: false, message: `The file is not valid JSON${looksHtml ? ' (it looks like HTML or XML; a DMARC aggregate report is XML, not a TLSRPT report)' : ''}: ${e instanceof Error ? e.message.slice(0, 200) : 'parse error'}.` };
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, message: 'The JSON is not an object, so it is not a TLSRPT report (RFC 8460 §4.4).' };
    const log = new DeviationLog();
    if (text.value.bom) log.add('bom', 'a UTF-8 byte-order mark before the JSON (RFC 7493 / RFC 8259 §8.1: MUST NOT add one)', '');
    const normalized = normalizeTlsrptJson(raw, log);
    const parsed = TlsrptReportSchema.safeParse(normalized);
    if (!parsed.success) {
      const issues = parsed.error.issues.slice(0, MAX_ISSUES).map((i) => `${issuePath(i.path)}: ${i.message}`);
      const more = parsed.error.issues.length > MAX_ISSUES ? ` (and ${parsed.error.issues.length - MAX_ISSUES} more)` : '';
      return { ok: false, message: `Not a TLSRPT aggregate report as RFC 8460 §4.4 defines it: ${issues.join('; ')}${more}.` };
    }
    let report = parsed.data;
    let f: TlsrptFilename | undefined;
    let fromName: string | undefined;
    if (filename !== undefined) {
      f = parseReportFilename(filename, gzipped);
      compareWithBody(f, report);
      fromName = policyDomainFallback(f, report);
      if (fromName !== undefined) {
        report = withPolicyDomain(report, fromName);
        log.add('policy-domain-from-filename', `policy-domain taken from the file name (${fromName}): the report names none (RFC 8460 §4.4 requires it; the §5.1 file name carries the policy domain)`, '');
      }
    }
    const result: ParseReportResult = { ok: true, report, deviations: log.list(), gzipped };
    if (f) result.filename = f;
    if (fromName !== undefined) result.policyDomainFromFilename = fromName;
    return result;
  } catch (e) {
    // Defensive: nothing above should throw, but a viewer must never crash on a file.
    return { ok: false, message: `The report could not be read: ${e instanceof Error ? e.message : String(e)}.` };
  }
}
