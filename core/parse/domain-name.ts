// Domain names as RFC 5321 §4.1.2 `Domain` (LDH labels) and the user's input turned into one.
// Platform-free: IDNA goes through the WHATWG URL parser, which every runtime we target has.
import { toUnicodeDomain } from './punycode.ts';

export const MAX_DOMAIN_LENGTH = 253;
export const MAX_LABEL_LENGTH = 63;
/** Longer input (an e-mail address or URL around the domain) is refused before any parsing. */
const MAX_INPUT_LENGTH = 2048;

const LDH_LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;

/**
 * Why `name` is not an RFC 5321 §4.1.2 `Domain` (with the RFC 1035 §2.3.4 length limits),
 * or undefined when it is one. A trailing dot is not part of `Domain`.
 */
export function ldhProblem(name: string): string | undefined {
  if (name.length === 0) return 'the name is empty';
  if (name.length > MAX_DOMAIN_LENGTH) return `the name is ${name.length} characters long (at most ${MAX_DOMAIN_LENGTH})`;
  if (name.endsWith('.')) return 'the name ends with a dot';
  const labels = name.split('.');
  for (const [index, label] of labels.entries()) {
    const which = `label ${index + 1} ("${label}")`;
    if (label.length === 0) return `label ${index + 1} is empty (two dots in a row or a leading dot)`;
    if (label.length > MAX_LABEL_LENGTH) return `${which} is ${label.length} characters long (at most ${MAX_LABEL_LENGTH})`;
    if (LDH_LABEL.test(label)) continue;
    // Order matters: name the most specific problem.
    if (/[^\x00-\x7f]/.test(label)) return `${which} contains non-ASCII characters (use the A-label, xn--…)`;
    if (label.includes('_')) return `${which} contains "_", which host names cannot contain`;
    if (label.includes('*')) return `${which} contains "*"`;
    if (label.startsWith('-') || label.endsWith('-')) return `${which} starts or ends with "-"`;
    return `${which} contains characters other than letters, digits and "-"`;
  }
  return undefined;
}

/** RFC 5321 §4.1.2 `Domain`: LDH labels, none empty, no leading/trailing hyphen, ≤63 per label, ≤253 total, no trailing dot. */
export function isLdhDomain(name: string): boolean {
  return ldhProblem(name) === undefined;
}

/**
 * IDN → A-label, lower case (IDNA via `new URL`). One trailing dot (the root) is tolerated and
 * dropped. Undefined when the result would not be an LDH domain.
 */
export function toALabel(name: string): string | undefined {
  if (name.length === 0 || name.length > MAX_INPUT_LENGTH) return undefined;
  const bare = name.endsWith('.') ? name.slice(0, -1) : name;
  // ASCII names skip URL: it would rewrite `0x7f.1` into `127.0.0.1`.
  if (!/[^\x00-\x7f]/.test(bare)) {
    const lower = bare.toLowerCase();
    if (!isLdhDomain(lower)) return undefined;
    if (!/(^|\.)xn--/.test(lower)) return lower;
    // A-labels must be valid Punycode: let IDNA check them, and accept only an unchanged name.
    try {
      return new URL(`http://${lower}`).hostname === lower ? lower : undefined;
    } catch {
      return undefined;
    }
  }
  // Anything URL would read as a port, path, user or escape is not part of a name.
  if (/[\s/\\?#@:%[\]<>^|"]/.test(bare)) return undefined;
  let host: string;
  try {
    host = new URL(`http://${bare}`).hostname;
  } catch {
    return undefined;
  }
  if (host.endsWith('.')) host = host.slice(0, -1);
  return isLdhDomain(host) ? host : undefined;
}

export type DomainInput =
  | { ok: true; domain: string; unicode?: string; from: 'domain' | 'email' | 'url' }
  | { ok: false; message: string };

const IPV4_LIKE = /^\d+(\.\d+){3}$/;

/** Validates the host part once it has been taken out of an address or URL. */
function normalizeHost(raw: string, from: 'domain' | 'email' | 'url'): DomainInput {
  let name = raw;
  if (name.length === 0) return { ok: false, message: 'No domain name was given.' };
  if (name.startsWith('[') || /:.*:/.test(name)) {
    return { ok: false, message: `"${raw}" is an IP address literal; MTA-STS applies to domain names only.` };
  }
  if (name.includes(':')) {
    return { ok: false, message: `"${raw}" contains ":"; give the domain name without a port.` };
  }
  if (name.endsWith('.')) name = name.slice(0, -1);
  if (IPV4_LIKE.test(name)) {
    return { ok: false, message: `"${raw}" is an IP address; MTA-STS applies to domain names only.` };
  }
  if (/\s/.test(name)) return { ok: false, message: `"${raw}" contains spaces; a domain name cannot.` };
  if (name.includes('_')) {
    return { ok: false, message: `"${raw}" contains "_": mail domains are host names (letters, digits, "-").` };
  }
  if (name.length > MAX_DOMAIN_LENGTH) {
    return { ok: false, message: `The name is ${name.length} characters long; a domain name has at most ${MAX_DOMAIN_LENGTH}.` };
  }
  const nonAscii = /[^\x00-\x7f]/.test(name);
  const domain = toALabel(name);
  if (domain === undefined) {
    const problem = nonAscii ? 'it is not a valid internationalised domain name' : ldhProblem(name.toLowerCase());
    return { ok: false, message: `"${raw}" is not a valid domain name: ${problem ?? 'invalid'}.` };
  }
  if (domain.length > MAX_DOMAIN_LENGTH) {
    return { ok: false, message: `The name is ${domain.length} characters long in A-label form; at most ${MAX_DOMAIN_LENGTH}.` };
  }
  if (!domain.includes('.')) {
    return { ok: false, message: `"${raw}" is a single label; give the full domain name, e.g. "example.com".` };
  }
  // RFC 3696 §2: top-level domains are never all-numeric, so this is an address-like string.
  if (/^\d+$/.test(domain.slice(domain.lastIndexOf('.') + 1))) {
    return { ok: false, message: `"${raw}" looks like an IP address, not a domain name.` };
  }
  const unicode = nonAscii || /(^|\.)xn--/.test(domain) ? toUnicodeDomain(domain) : undefined;
  return unicode !== undefined && unicode !== domain ? { ok: true, domain, unicode, from } : { ok: true, domain, from };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The domain of an address (`user@Example.COM`), of the first address in a list. */
function domainOfAddress(address: string): DomainInput {
  const first = address.split(',')[0]?.trim() ?? '';
  const at = first.lastIndexOf('@');
  if (at <= 0) return { ok: false, message: `"${first}" is not an e-mail address (no local part before "@").` };
  return normalizeHost(first.slice(at + 1), 'email');
}

/**
 * What the user typed or clicked → the domain to check (A-label, lower case, no trailing dot).
 * Accepts a domain (Unicode or A-label), an e-mail address (also `Name <user@host>` and
 * `mailto:` URIs with a query), or an http(s) URL (its host, without reduction to the
 * registrable domain). Never throws.
 */
export function normalizeDomainInput(input: string): DomainInput {
  if (typeof input !== 'string') return { ok: false, message: 'No domain name was given.' };
  const text = input.trim();
  if (text.length === 0) return { ok: false, message: 'No domain name was given.' };
  if (text.length > MAX_INPUT_LENGTH) {
    return { ok: false, message: `The input is ${text.length} characters long; a domain name has at most ${MAX_DOMAIN_LENGTH}.` };
  }
  if (/^mailto:/i.test(text)) {
    const to = text.slice('mailto:'.length).split('?')[0] ?? '';
    if (to.length === 0) return { ok: false, message: 'The mailto: link has no address.' };
    return domainOfAddress(safeDecode(to));
  }
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(text);
  if (scheme) {
    const name = scheme[1]?.toLowerCase();
    if (name !== 'http' && name !== 'https') {
      return { ok: false, message: `Only http and https links can be checked, not ${name}:.` };
    }
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return { ok: false, message: `"${text}" is not a valid URL.` };
    }
    return normalizeHost(url.hostname, 'url');
  }
  const angle = /<([^<>]*)>\s*$/.exec(text);
  if (angle) return domainOfAddress(angle[1] ?? '');
  if (text.includes('@')) return domainOfAddress(text);
  if (/\s/.test(text)) return { ok: false, message: `"${text}" contains spaces; a domain name cannot.` };
  if (/[/?#]/.test(text)) {
    // A URL typed without its scheme: `example.com/path`.
    const host = text.split(/[/?#]/)[0] ?? '';
    return normalizeHost(host, 'url');
  }
  return normalizeHost(text, 'domain');
}
