// Turns a decoded response (or a failure to get one) into the `DnsAnswer` value of the
// Resolver port, with a sentence a postmaster can act on. Shared by every transport.
import { extractRecords, rcodeName, type DecodedResponse } from './codec.ts';
import { describeEde, isDnssecEde } from './ede.ts';
import type { DnsAnswer, DnsErrorKind, RRType } from './types.ts';

export function errorAnswer<T extends RRType>(
  name: string,
  type: T,
  errorKind: DnsErrorKind,
  message: string,
  elapsedMs: number,
): DnsAnswer<T> {
  return { name, type, status: 'error', records: [], cnameChain: [], ad: false, ede: [], message: sentence(message), errorKind, elapsedMs };
}

/** Messages are shown as sentences: "the DNS resolver X …" → "The DNS resolver X …". */
export function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Classifies a response per RFC 8484 §4.2.1 / RFC 1035 §4.1.1: the RCODE decides, not the transport. */
export function answerFromResponse<T extends RRType>(
  response: DecodedResponse,
  name: string,
  type: T,
  resolverName: string,
  elapsedMs: number,
): DnsAnswer<T> {
  const ad = response.header.ad;
  const ede = response.edns?.ede ?? [];
  const base = { name, type, ad, ede, elapsedMs };
  const who = sentence(resolverName);
  const extracted = extractRecords(response.answers, name, type);
  const cnameChain = extracted.cnameChain;
  const edeText = ede.length ? `: ${ede.map(describeEde).join('; ')}` : '';

  switch (response.rcode) {
    case 0: {
      if (!extracted.ok) {
        return { ...base, status: 'error', records: [], cnameChain, errorKind: extracted.kind, message: `${who} answered for ${name} ${type}, but ${extracted.message}.` };
      }
      const answer: DnsAnswer<T> = { ...base, status: extracted.records.length ? 'ok' : 'nodata', records: extracted.records, cnameChain };
      if (extracted.capped) answer.recordsCapped = extracted.capped;
      return answer;
    }
    case 3:
      return { ...base, status: 'nxdomain', records: [], cnameChain };
    case 2: {
      const dnssec = ede.some((e) => isDnssecEde(e.code));
      const why = dnssec
        ? ' The DNSSEC signatures did not validate, so validating resolvers and senders treat the name as unreachable (RFC 4035 §5.5, RFC 8914).'
        : ' The resolver could not get a usable answer from the domain\'s name servers (they may be unreachable, lame, or failing DNSSEC validation).';
      return { ...base, status: 'servfail', records: [], cnameChain, message: `${who} answered SERVFAIL for ${name} ${type}${edeText}.${why}` };
    }
    case 5:
      return { ...base, status: 'refused', records: [], cnameChain, message: `${who} refused to answer the query for ${name} ${type} (REFUSED${edeText}).` };
    default:
      return {
        ...base,
        status: 'error',
        records: [],
        cnameChain,
        errorKind: 'other',
        message: `${who} answered ${rcodeName(response.rcode)} for ${name} ${type}${edeText}; no answer could be read.`,
      };
  }
}

/** Milliseconds since `start` (from `now()`), rounded for reports. */
export function elapsedSince(start: number): number {
  return Math.max(0, Math.round(now() - start));
}

/** Monotonic where available (browsers and Node both have `performance`). */
export function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}
