// Turn parsed JSON into the shape of schema.ts, tolerating what real reporters send and naming
// each deviation (ambiguity A17, A18; RFC 8460 §4.4): missing or empty `sending-mta-ip`,
// `"contact-info": null`, `no-policy-found` without `policy-domain` or `policy-string`, counts as
// strings, `mx-host` as a string, one policy object instead of an array, 23:59:59Z end times.
// Anything it cannot make sense of is left as is, for the zod schema to reject with a path.
import { KNOWN_RESULT_TYPES } from './schema.ts';
import type { DeviationLog } from './deviations.ts';

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const KNOWN = new Set<string>(KNOWN_RESULT_TYPES);
const DAY_MS = 86_400_000;

/** A count sent as a string of digits becomes a number (RFC 8460 §4.4 says JSON integers). */
function count(o: Obj, key: string, path: string, log: DeviationLog): void {
  const v = o[key];
  if (typeof v === 'string' && /^\s*\d{1,15}\s*$/.test(v)) {
    o[key] = Number(v.trim());
    log.add('count-string', 'session counts sent as strings instead of JSON integers (RFC 8460 §4.4)', `${path}.${key}`);
  }
}

/** Optional members sent as null or "" are dropped. */
function dropEmpty(o: Obj, key: string, path: string, log: DeviationLog, kind: string, text: string): boolean {
  if (!(key in o)) return false;
  const v = o[key];
  if (v === null || (typeof v === 'string' && v.trim() === '')) {
    delete o[key];
    log.add(kind, text, `${path}.${key}`);
    return true;
  }
  return false;
}

function dateTime(o: Obj, key: string, path: string, log: DeviationLog): void {
  const v = o[key];
  if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?$/.test(v)) {
    o[key] = `${v}Z`;
    log.add('datetime-no-zone', 'date-time without a time zone, read as UTC (RFC 3339 §5.6 requires one)', `${path}.${key}`);
  }
}

function dateRange(r: Obj, log: DeviationLog): void {
  const dr = r['date-range'];
  if (!isObj(dr)) return;
  const range = { ...dr };
  r['date-range'] = range;
  dateTime(range, 'start-datetime', 'date-range', log);
  dateTime(range, 'end-datetime', 'date-range', log);
  const start = typeof range['start-datetime'] === 'string' ? Date.parse(range['start-datetime']) : NaN;
  const end = typeof range['end-datetime'] === 'string' ? Date.parse(range['end-datetime']) : NaN;
  if (!Number.isFinite(start) || !Number.isFinite(end)) return;
  const endsAt235959 = /T23:59:59(\.0+)?Z$/i.test(String(range['end-datetime']));
  if (endsAt235959) {
    log.add('end-235959', 'end-datetime at 23:59:59Z rather than the next day\'s 00:00:00Z (RFC 8460 §4.1 says 00:00-24:00; its Appendix B example uses 23:59:59Z): read as the same full day', 'date-range.end-datetime');
  }
  const span = end - start + (endsAt235959 ? 1000 : 0);
  if (start % DAY_MS !== 0 || span !== DAY_MS) {
    log.add('not-full-day', 'the date range is not one full UTC day (RFC 8460 §4.1: SHOULD cover 00:00-24:00 UTC)', 'date-range');
  }
}

function asArray(o: Obj, key: string, path: string, log: DeviationLog, kind: string, text: string): void {
  const v = o[key];
  if (isObj(v)) {
    o[key] = [v];
    log.add(kind, text, `${path}.${key}`);
  }
}

function normalizeFailure(raw: unknown, path: string, log: DeviationLog): unknown {
  if (!isObj(raw)) return raw;
  const f: Obj = { ...raw };
  count(f, 'failed-session-count', path, log);
  const rt = f['result-type'];
  if (typeof rt === 'string' && !KNOWN.has(rt)) {
    log.add(`result-type:${rt.slice(0, 64)}`, `result-type "${rt.slice(0, 64)}" is not in the RFC 8460 §4.3 registry (kept; it may be a later registration)`, path);
  }
  if (!dropEmpty(f, 'sending-mta-ip', path, log, 'no-sending-ip', 'sending-mta-ip empty or null (RFC 8460 §4.4 requires it)') && !('sending-mta-ip' in f)) {
    log.add('no-sending-ip', 'sending-mta-ip missing (RFC 8460 §4.4 requires it)', path);
  }
  if (!dropEmpty(f, 'receiving-mx-hostname', path, log, 'no-mx-hostname', 'receiving-mx-hostname empty or null') && !('receiving-mx-hostname' in f)) {
    log.add('no-mx-hostname', 'receiving-mx-hostname missing (RFC 8460 §4.4 lists it for every failure)', path);
  }
  if (!dropEmpty(f, 'receiving-ip', path, log, 'no-receiving-ip', 'receiving-ip empty or null') && !('receiving-ip' in f)) {
    log.add('no-receiving-ip', 'receiving-ip missing (RFC 8460 §4.4; the RFC\'s own Appendix B example omits it once)', path);
  }
  for (const k of ['receiving-mx-helo', 'additional-information', 'failure-reason-code']) {
    dropEmpty(f, k, path, log, 'null-optional', 'optional failure-details members sent as null or empty');
  }
  return f;
}

function normalizePolicyString(p: Obj, type: unknown, path: string, log: DeviationLog): void {
  const ps = p['policy-string'];
  if (Array.isArray(ps)) return;
  if (typeof ps === 'string') {
    // RFC 8460 §4 prose: TLSA records "separated by a semicolon"; §4.4 says an array.
    p['policy-string'] = type === 'tlsa' ? ps.split(';').map((s) => s.trim()).filter(Boolean) : ps.split(/\r?\n/).filter((s) => s.trim() !== '');
    log.add('policy-string-string', 'policy-string sent as one string instead of an array of strings (RFC 8460 §4.4, §4.5; §4 prose describes a string)', `${path}.policy-string`);
    return;
  }
  if (ps === undefined || ps === null) {
    p['policy-string'] = [];
    if (type === 'no-policy-found') log.add('npf-no-policy-string', 'no-policy-found entry without policy-string (RFC 8460 does not say what it holds, ambiguity A18)', `${path}.policy-string`);
    else log.add('no-policy-string', 'policy-string missing (RFC 8460 §4.4 requires the applied policy)', `${path}.policy-string`);
  }
}

function normalizePolicy(raw: unknown, path: string, log: DeviationLog): unknown {
  if (!isObj(raw)) return raw;
  const entry: Obj = { ...raw };
  if (isObj(entry.policy)) {
    const p: Obj = { ...entry.policy };
    entry.policy = p;
    const type = p['policy-type'];
    if (typeof type === 'string' && type !== type.trim().toLowerCase() && ['sts', 'tlsa', 'no-policy-found'].includes(type.trim().toLowerCase())) {
      p['policy-type'] = type.trim().toLowerCase();
      log.add('policy-type-case', `policy-type "${type}" in another case than the RFC's ("sts", "tlsa", "no-policy-found")`, `${path}.policy.policy-type`);
    }
    const t = p['policy-type'];
    normalizePolicyString(p, t, `${path}.policy`, log);
    if (!dropEmpty(p, 'policy-domain', `${path}.policy`, log, 'no-policy-domain', 'policy-domain empty or null') && !('policy-domain' in p)) {
      if (t === 'no-policy-found') log.add('npf-no-policy-domain', 'no-policy-found entry without policy-domain (seen from the sys4 TLSRPT reporter, ambiguity A18)', `${path}.policy`);
      else log.add('no-policy-domain', 'policy-domain missing (RFC 8460 §4.4 requires it)', `${path}.policy`);
    }
    const domain = p['policy-domain'];
    if (typeof domain === 'string' && /[^\x00-\x7f]/.test(domain)) log.add('u-label', 'a domain in U-label (Unicode) form; RFC 8460 §4.4 says IDNs MUST be A-labels', `${path}.policy.policy-domain`);
    const mx = p['mx-host'];
    if (typeof mx === 'string') {
      p['mx-host'] = mx.trim() === '' ? [] : [mx];
      log.add('mx-host-string', 'mx-host sent as a string (as in RFC 8460 Appendix B) rather than the array §4.4 describes', `${path}.policy.mx-host`);
    } else if (mx === undefined || mx === null) {
      p['mx-host'] = [];
      if (t === 'sts') log.add('no-mx-host', 'mx-host missing for an sts policy (RFC 8460 §4.4: the policy\'s MX patterns)', `${path}.policy`);
    }
  }
  if (isObj(entry.summary)) {
    const s: Obj = { ...entry.summary };
    entry.summary = s;
    count(s, 'total-successful-session-count', `${path}.summary`, log);
    count(s, 'total-failure-session-count', `${path}.summary`, log);
  }
  asArray(entry, 'failure-details', path, log, 'failure-details-object', 'failure-details sent as one object instead of an array');
  const fd = entry['failure-details'];
  if (fd === undefined || fd === null) {
    entry['failure-details'] = [];
    const failed = isObj(entry.summary) ? entry.summary['total-failure-session-count'] : 0;
    if (typeof failed === 'number' && failed > 0) log.add('no-failure-details', 'failures counted but no failure-details given (RFC 8460 §4.4)', path);
  } else if (Array.isArray(fd)) {
    entry['failure-details'] = fd.map((f, j) => normalizeFailure(f, `${path}.failure-details[${j}]`, log));
    const total = isObj(entry.summary) ? entry.summary['total-failure-session-count'] : undefined;
    const sum = (entry['failure-details'] as unknown[]).reduce<number>((acc, f) => acc + (isObj(f) && typeof f['failed-session-count'] === 'number' ? f['failed-session-count'] : 0), 0);
    if (typeof total === 'number' && fd.length > 0 && sum !== total) {
      log.add('failure-sum', 'the failed-session-count values do not add up to total-failure-session-count (the summary is shown as sent)', `${path}.summary`);
    }
  }
  return entry;
}

/** Normalise one parsed report in place of a copy; `raw` must be what JSON.parse returned. */
export function normalizeTlsrptJson(raw: unknown, log: DeviationLog): unknown {
  if (!isObj(raw)) return raw;
  const r: Obj = { ...raw };
  if (!dropEmpty(r, 'contact-info', '', log, 'contact-info', '"contact-info" null or empty (RFC 8460 §4.4: an email address)') && !('contact-info' in r)) {
    log.add('contact-info', '"contact-info" missing (RFC 8460 §4.4)', '');
  }
  if (typeof r['report-id'] === 'number') {
    r['report-id'] = String(r['report-id']);
    log.add('report-id-number', 'report-id sent as a number instead of a string', 'report-id');
  }
  dateRange(r, log);
  asArray(r, 'policies', '', log, 'policies-object', 'policies sent as one object; RFC 8460 §4 says it MUST be an array even for one policy');
  if (Array.isArray(r.policies)) r.policies = r.policies.map((p, i) => normalizePolicy(p, `policies[${i}]`, log));
  return r;
}
