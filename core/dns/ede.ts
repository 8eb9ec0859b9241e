// Extended DNS Errors (RFC 8914): the option a resolver adds to say why it failed.
import type { Ede } from './types.ts';

export const EDE_OPTION_CODE = 15;
/** EXTRA-TEXT is free text from the resolver: keep it short in reports. */
const MAX_EDE_TEXT = 300;

/** INFO-CODE names from the IANA "Extended DNS Error Codes" registry (RFC 8914 §4 and later). */
export const EDE_NAMES: Readonly<Record<number, string>> = {
  0: 'Other Error',
  1: 'Unsupported DNSKEY Algorithm',
  2: 'Unsupported DS Digest Type',
  3: 'Stale Answer',
  4: 'Forged Answer',
  5: 'DNSSEC Indeterminate',
  6: 'DNSSEC Bogus',
  7: 'Signature Expired',
  8: 'Signature Not Yet Valid',
  9: 'DNSKEY Missing',
  10: 'RRSIGs Missing',
  11: 'No Zone Key Bit Set',
  12: 'NSEC Missing',
  13: 'Cached Error',
  14: 'Not Ready',
  15: 'Blocked',
  16: 'Censored',
  17: 'Filtered',
  18: 'Prohibited',
  19: 'Stale NXDomain Answer',
  20: 'Not Authoritative',
  21: 'Not Supported',
  22: 'No Reachable Authority',
  23: 'Network Error',
  24: 'Invalid Data',
  25: 'Signature Expired before Valid',
  26: 'Too Early',
  27: 'Unsupported NSEC3 Iterations Value',
  28: 'Unable to conform to policy',
  29: 'Synthesized',
};

/** Codes that mean the DNSSEC chain did not validate (RFC 4035 §5.5 "bogus" and kin). */
const DNSSEC_CODES = new Set([1, 2, 5, 6, 7, 8, 9, 10, 11, 12, 25, 27]);

export function isDnssecEde(code: number): boolean {
  return DNSSEC_CODES.has(code);
}

/**
 * Reads one EDE option body: 2-byte INFO-CODE then UTF-8 EXTRA-TEXT (RFC 8914 §2).
 * Returns undefined for a body shorter than the code, which the RFC makes malformed.
 */
export function decodeEdeOption(data: Uint8Array): Ede | undefined {
  if (data.length < 2) return undefined;
  const code = ((data[0] ?? 0) << 8) | (data[1] ?? 0);
  if (data.length === 2) return { code };
  let text = new TextDecoder('utf-8', { fatal: false }).decode(data.subarray(2));
  // Some resolvers NUL-terminate the text (RFC 8914 §2 says they should not); control
  // characters would garble a terminal.
  text = text.replace(/\0+$/, '').replace(/[\u0000-\u001f\u007f]/g, ' ').trim();
  if (text.length > MAX_EDE_TEXT) text = `${text.slice(0, MAX_EDE_TEXT)}…`;
  return text ? { code, text } : { code };
}

/** "DNSSEC Bogus (EDE 6: signature over example.com/TXT failed)". */
export function describeEde(ede: Ede): string {
  const name = EDE_NAMES[ede.code] ?? 'unregistered code';
  return `${name} (EDE ${ede.code}${ede.text ? `: ${ede.text}` : ''})`;
}
