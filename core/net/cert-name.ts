// Does a certificate's dNSName SAN match the host we connected to? RFC 9525 §6.3 (which
// obsoletes RFC 6125 §6.4), as RFC 8461 §3.3 and §4.2 require: DNS-IDs only, no CN fallback,
// `*` only as the complete left-most label matching exactly one label (ambiguity A15: no
// partial-label wildcards such as `b*z.example.net`), labels compared case-insensitively in A-label form.
import { toALabel } from '../parse/domain-name.ts';
import { parseIp } from './address.ts';

/** A SAN longer than a domain name can be (plus a trailing dot) cannot match anything. */
const MAX_NAME = 254;

/** The presented identifier in comparable form, or undefined when RFC 9525 §6.3 says to ignore it. */
function presentedLabels(san: string): string[] | undefined {
  if (typeof san !== 'string' || san.length === 0 || san.length > MAX_NAME) return undefined;
  // dNSName is an IA5String (RFC 5280 §4.2.1.6): a U-label there is malformed, so never converted.
  if (/[^\x21-\x7e]/.test(san)) return undefined;
  const name = (san.endsWith('.') ? san.slice(0, -1) : san).toLowerCase();
  const labels = name.split('.');
  if (labels.some((l) => l.length === 0)) return undefined;
  const [first, ...rest] = labels;
  // RFC 9525 §6.3 rules 1 and 2: one `*`, and only as the whole left-most label.
  if (rest.some((l) => l.includes('*'))) return undefined;
  if (first === undefined || (first.includes('*') && first !== '*')) return undefined;
  // `*.com` would cover a whole TLD: require two labels under the wildcard (as browsers do).
  if (first === '*' && rest.length < 2) return undefined;
  return labels;
}

/**
 * The dNSName SAN that matches `host`, or undefined. `host` may be a U-label name and may end
 * with a dot; an IP address never matches a dNSName (it needs an iPAddress SAN). Never throws.
 */
export function certNameMatches(dnsNames: string[], host: string): string | undefined {
  if (!Array.isArray(dnsNames) || typeof host !== 'string') return undefined;
  if (parseIp(host)) return undefined;
  const reference = toALabel(host);
  if (!reference) return undefined;
  const referenceLabels = reference.split('.');
  for (const san of dnsNames) {
    const labels = presentedLabels(san);
    if (!labels || labels.length !== referenceLabels.length) continue;
    const matches = labels.every((label, i) => (i === 0 && label === '*') || label === referenceLabels[i]);
    if (matches) return san;
  }
  return undefined;
}
