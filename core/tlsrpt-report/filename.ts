// RFC 8460 §5.1 report filenames: `sender!policy-domain!begin!end[!unique-id].json[.gz]`. The form
// is RECOMMENDED; the extension MUST be json or json.gz. When the name and the body disagree, the
// body wins (§5.6). Everything here is informational: notes, never a reason to refuse a report.
import type { TlsrptReport } from './schema.ts';

export interface TlsrptFilename {
  sender?: string;
  policyDomain?: string;
  /** Seconds since the epoch, as in the name. */
  begin?: number;
  end?: number;
  uniqueId?: string;
  extension?: 'json' | 'json.gz';
  notes: string[];
}

const DOMAIN = /^(?=.{1,253}$)([a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?)(\.[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?)*\.?$/i;

export function parseReportFilename(path: string, gzipped: boolean): TlsrptFilename {
  const name = path.split(/[\\/]/).pop() ?? '';
  const out: TlsrptFilename = { notes: [] };
  let stem = name;
  if (/\.json\.gz$/i.test(name)) {
    out.extension = 'json.gz';
    stem = name.slice(0, -8);
  } else if (/\.json$/i.test(name)) {
    out.extension = 'json';
    stem = name.slice(0, -5);
  } else {
    out.notes.push(`The file name "${name.slice(0, 200)}" does not end in .json or .json.gz, as RFC 8460 §5.1 requires of report files.`);
  }
  if (out.extension === 'json.gz' && !gzipped) out.notes.push('The name ends in .json.gz but the content is not gzip (no 1f 8b magic); it was read as plain JSON (RFC 8460 §5.1, §5.2).');
  if (out.extension === 'json' && gzipped) out.notes.push('The name ends in .json but the content is gzip; RFC 8460 §5.1 wants .json.gz for compressed reports.');
  const parts = stem.split('!');
  const [sender, domain, begin, end, unique] = parts;
  const ok =
    (parts.length === 4 || parts.length === 5) &&
    DOMAIN.test(sender ?? '') &&
    DOMAIN.test(domain ?? '') &&
    /^\d{1,12}$/.test(begin ?? '') &&
    /^\d{1,12}$/.test(end ?? '') &&
    (unique === undefined || /^[A-Za-z0-9]+$/.test(unique));
  if (!ok) {
    out.notes.push('The file name does not follow the RECOMMENDED form sender!policy-domain!begin-timestamp!end-timestamp[!unique-id].json[.gz] (RFC 8460 §5.1).');
    return out;
  }
  out.sender = sender;
  out.policyDomain = domain;
  out.begin = Number(begin);
  out.end = Number(end);
  if (unique !== undefined) out.uniqueId = unique;
  return out;
}

/** Compare the name with the body; the body wins (RFC 8460 §5.6). */
export function compareWithBody(f: TlsrptFilename, report: TlsrptReport): void {
  const lower = (s: string) => s.toLowerCase().replace(/\.$/, '');
  if (f.policyDomain) {
    const domains = report.policies.map((p) => p.policy['policy-domain']).filter((d): d is string => !!d).map(lower);
    if (domains.length > 0 && !domains.includes(lower(f.policyDomain))) {
      f.notes.push(`The file name says policy domain ${f.policyDomain} but the report is about ${[...new Set(domains)].join(', ')}; the report body wins (RFC 8460 §5.6).`);
    }
  }
  const start = Date.parse(report['date-range']['start-datetime']) / 1000;
  const end = Date.parse(report['date-range']['end-datetime']) / 1000;
  if (f.begin !== undefined && Math.abs(f.begin - start) > 1) f.notes.push(`The file name's begin timestamp ${f.begin} differs from start-datetime ${report['date-range']['start-datetime']}; the report body wins (RFC 8460 §5.6).`);
  if (f.end !== undefined && Math.abs(f.end - end) > 1) f.notes.push(`The file name's end timestamp ${f.end} differs from end-datetime ${report['date-range']['end-datetime']}; the report body wins (RFC 8460 §5.6).`);
  if (f.sender && report['contact-info']?.includes('@')) {
    const contactDomain = lower(report['contact-info'].split('@').pop() ?? '');
    if (contactDomain && contactDomain !== lower(f.sender) && !contactDomain.endsWith(`.${lower(f.sender)}`) && !lower(f.sender).endsWith(`.${contactDomain}`)) {
      f.notes.push(`The file name's sender ${f.sender} is not the domain of contact-info (${report['contact-info']}), which RFC 8460 §5.1 says it is taken from.`);
    }
  }
}

/**
 * The policy domain for a report whose body names none (RFC 8460 §4.4 requires policy-domain; the
 * sys4 reporter omits it on no-policy-found entries, ambiguity A18): the §5.1 file name's, but
 * only when no entry of the body names one, since the body wins (§5.6).
 */
export function policyDomainFallback(f: TlsrptFilename, report: TlsrptReport): string | undefined {
  if (!f.policyDomain || report.policies.length === 0) return undefined;
  return report.policies.some((p) => p.policy['policy-domain']) ? undefined : f.policyDomain;
}
