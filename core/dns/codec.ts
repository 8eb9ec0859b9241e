// DNS messages on Uint8Array (RFC 1035 §4), through @dnsquery/dns-packet: queries with EDNS0
// and the DO bit (RFC 6891, RFC 3225) so validating resolvers report the AD flag; responses
// decoded into values: a hostile or broken answer is an error value, never an exception.
import * as dnsPacket from '@dnsquery/dns-packet';
import { decodeEdeOption, EDE_OPTION_CODE } from './ede.ts';
import type { CnameRecord, DnsRecord, Ede, RecordOf, RRType } from './types.ts';
import { isWireProblem, readU16, walkMessage, type Header, type RecordSlot } from './wire.ts';

export const RR_TYPE_CODES: Readonly<Record<RRType, number>> = { A: 1, AAAA: 28, MX: 15, TXT: 16, CNAME: 5, TLSA: 52 };
const OPT_TYPE = 41;
const CLASS_IN = 1;
/** Advertised UDP payload size (RFC 6891 §6.2.5). */
export const EDNS_UDP_PAYLOAD = 4096;
export const MAX_RECORDS_PER_ANSWER = 1000;
export const MAX_CNAME_CHAIN = 8;

const RCODE_NAMES: Readonly<Record<number, string>> = {
  0: 'NOERROR', 1: 'FORMERR', 2: 'SERVFAIL', 3: 'NXDOMAIN', 4: 'NOTIMP', 5: 'REFUSED',
  6: 'YXDOMAIN', 7: 'YXRRSET', 8: 'NXRRSET', 9: 'NOTAUTH', 10: 'NOTZONE', 16: 'BADVERS',
};

export function rcodeName(rcode: number): string {
  return RCODE_NAMES[rcode] ?? `RCODE ${rcode}`;
}

/** Lower-cases ASCII only: DNS names compare case-insensitively in ASCII (RFC 4343 §3). */
export function dnsLower(name: string): string {
  return name.replace(/[A-Z]/g, (c) => c.toLowerCase());
}

/** Presentation name without the trailing dot; the root stays ".". */
export function stripDot(name: string): string {
  return name.length > 1 && name.endsWith('.') ? name.slice(0, -1) : name;
}

export function sameName(a: string, b: string): boolean {
  return dnsLower(stripDot(a)) === dnsLower(stripDot(b));
}

/**
 * A name we are willing to put on the wire: labels of 1–63 octets, 255 octets in all
 * (RFC 1035 §2.3.4), ASCII letters, digits, hyphen, underscore (`_mta-sts`) or a `*` label.
 * Returns the name without its trailing dot, or why it cannot be asked.
 */
export function checkQueryName(name: string): { ok: true; name: string } | { ok: false; message: string } {
  const bare = name.endsWith('.') ? name.slice(0, -1) : name;
  if (!bare) return { ok: false, message: 'an empty name cannot be looked up' };
  if (bare.length > 253) return { ok: false, message: `"${bare.slice(0, 40)}…" is longer than 255 octets on the wire (RFC 1035 §2.3.4)` };
  for (const label of bare.split('.')) {
    if (!label) return { ok: false, message: `"${bare}" has an empty label (RFC 1035 §2.3.1)` };
    if (label.length > 63) return { ok: false, message: `"${bare}" has a label longer than 63 octets (RFC 1035 §2.3.4)` };
    if (label !== '*' && !/^[A-Za-z0-9_-]+$/.test(label)) {
      return { ok: false, message: `"${bare}" is not an ASCII domain name (IDNs must be looked up as A-labels, RFC 5891)` };
    }
  }
  return { ok: true, name: bare };
}

/** A 16-bit query id from WebCrypto (RFC 5452 §9.2: ids must be unpredictable). */
export function randomQueryId(): number {
  const buf = new Uint16Array(1);
  crypto.getRandomValues(buf);
  return buf[0] ?? 0;
}

export type EncodedQuery = { ok: true; bytes: Uint8Array; id: number; name: string } | { ok: false; message: string };

/** Encodes one question with RD set and an EDNS0 OPT record carrying DO and a 4096 payload. */
export function encodeQuery(name: string, type: RRType, options: { id?: number } = {}): EncodedQuery {
  const checked = checkQueryName(name);
  if (!checked.ok) return checked;
  const id = options.id ?? randomQueryId();
  const bytes = dnsPacket.encode({
    type: 'query',
    id,
    flags: dnsPacket.RECURSION_DESIRED,
    questions: [{ type, name: checked.name, class: 'IN' }],
    additionals: [
      // why: dns-packet's OPT fields (udpPayloadSize, flags) are missing from its typings.
      { type: 'OPT', name: '.', udpPayloadSize: EDNS_UDP_PAYLOAD, flags: dnsPacket.DNSSEC_OK, options: [] } as unknown as dnsPacket.Answer,
    ],
  });
  return { ok: true, bytes, id, name: checked.name };
}

export interface Edns {
  udpPayloadSize: number;
  version: number;
  dnssecOk: boolean;
  ede: Ede[];
}

export interface DecodedResponse {
  header: Header;
  /** RCODE with the EDNS extension bits (RFC 6891 §6.1.3). */
  rcode: number;
  question?: { name: string; type: string };
  /** Answer-section records of the types this tool reads (others, such as RRSIG, are skipped). */
  answers: DnsRecord[];
  edns?: Edns;
}

export type DecodeError = { ok: false; kind: 'malformed' | 'mismatch'; message: string };
export type DecodeResult = { ok: true; response: DecodedResponse } | DecodeError;

export interface DecodeExpectation {
  name: string;
  type: RRType;
  /** The id sent; omit (e.g. DoH with id 0, RFC 8484 §4.1) to skip the check. */
  id?: number;
}

const malformed = (message: string): DecodeError => ({ ok: false, kind: 'malformed', message });

function latin1(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 4096) out += String.fromCharCode(...bytes.subarray(i, i + 4096));
  return out;
}

function hex(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b.toString(16).padStart(2, '0');
  return out;
}

/** TTLs with the top bit set are treated as zero (RFC 2181 §8). */
function ttlOf(value: number | undefined): number {
  return value === undefined || value >= 0x80000000 ? 0 : value;
}

type DecodedRr = { name: string; type: string; ttl?: number; class?: string; data?: unknown };

function consumed(): number {
  // why: dns-packet reports how many bytes a decode used on the function object, untyped.
  return (dnsPacket.answer.decode as unknown as { bytes: number }).bytes;
}

function toRecord(rr: DecodedRr, bytes: Uint8Array, slot: RecordSlot): DnsRecord | string {
  const name = stripDot(rr.name);
  const ttl = ttlOf(rr.ttl);
  switch (rr.type) {
    case 'A':
    case 'AAAA':
      return { type: rr.type, name, ttl, address: String(rr.data) };
    case 'CNAME':
      return { type: 'CNAME', name, ttl, target: stripDot(String(rr.data)) };
    case 'MX': {
      const data = rr.data as { preference?: number; exchange: string };
      return { type: 'MX', name, ttl, preference: data.preference ?? 0, exchange: stripDot(data.exchange) };
    }
    case 'TXT': {
      // RFC 8461 §3.1 / RFC 8460 §3: the strings are read joined with nothing between them.
      const strings = (rr.data as Uint8Array[]).map(latin1);
      return { type: 'TXT', name, ttl, strings, text: strings.join('') };
    }
    case 'TLSA': {
      const rdata = bytes.subarray(slot.rdataOffset, slot.rdataOffset + slot.rdlength);
      if (rdata.length < 3) return `a TLSA record of ${rdata.length} bytes is shorter than its three fixed fields (RFC 6698 §2.1)`;
      return { type: 'TLSA', name, ttl, usage: rdata[0] ?? 0, selector: rdata[1] ?? 0, matchingType: rdata[2] ?? 0, data: hex(rdata.subarray(3)) };
    }
    default:
      return `unexpected record type ${rr.type}`;
  }
}

const READ_TYPES = new Set<number>(Object.values(RR_TYPE_CODES));

function decodeOpt(bytes: Uint8Array, slot: RecordSlot): { edns: Edns; rcodeHigh: number } | string {
  if (bytes[slot.start] !== 0) return 'the OPT record is not owned by the root (RFC 6891 §6.1.2)';
  const fixed = slot.start + 1;
  const edns: Edns = {
    udpPayloadSize: readU16(bytes, fixed + 2),
    version: bytes[fixed + 5] ?? 0,
    dnssecOk: ((bytes[fixed + 6] ?? 0) & 0x80) !== 0,
    ede: [],
  };
  let at = slot.rdataOffset;
  const end = slot.rdataOffset + slot.rdlength;
  while (at < end) {
    if (at + 4 > end) return 'an EDNS option header runs past the OPT record (RFC 6891 §6.1.2)';
    const code = readU16(bytes, at);
    const len = readU16(bytes, at + 2);
    if (at + 4 + len > end) return 'an EDNS option runs past the OPT record (RFC 6891 §6.1.2)';
    if (code === EDE_OPTION_CODE) {
      const ede = decodeEdeOption(bytes.subarray(at + 4, at + 4 + len));
      if (ede && edns.ede.length < 16) edns.ede.push(ede);
    }
    at += 4 + len;
  }
  // The extended RCODE's upper 8 bits travel in the OPT TTL (RFC 6891 §6.1.3).
  return { edns, rcodeHigh: bytes[fixed + 4] ?? 0 };
}

/**
 * Decodes a response to the question `expect`. A message that breaks RFC 1035 is
 * `malformed`; one that answers another query (id or question) is a `mismatch`.
 */
export function decodeResponse(bytes: Uint8Array, expect: DecodeExpectation): DecodeResult {
  const layout = walkMessage(bytes);
  if (isWireProblem(layout)) return malformed(`${layout.message}, at byte ${layout.offset}`);
  const { header } = layout;
  if (!header.qr) return malformed('the message is a query, not a response (RFC 1035 §4.1.1, QR bit)');
  if (header.opcode !== 0) return malformed(`the response has opcode ${header.opcode}, not QUERY (RFC 1035 §4.1.1)`);
  if (expect.id !== undefined && header.id !== expect.id) {
    return { ok: false, kind: 'mismatch', message: `the response id ${header.id} does not match the query id ${expect.id} (RFC 1035 §4.1.1)` };
  }

  let question: DecodedResponse['question'];
  if (layout.question) {
    try {
      const q = dnsPacket.question.decode(bytes, layout.question.start);
      question = { name: stripDot(q.name), type: String(q.type) };
      if (!sameName(q.name, expect.name) || q.type !== expect.type || q.class !== 'IN') {
        return {
          ok: false,
          kind: 'mismatch',
          message: `the response is for ${question.name} ${question.type}, not the question asked, ${expect.name} ${expect.type} (RFC 1035 §7.3)`,
        };
      }
    } catch (err) {
      return malformed(`the question cannot be decoded: ${errorText(err)} (RFC 1035 §4.1.2)`);
    }
  } else if (header.rcode === 0) {
    return malformed('a NOERROR response without the question (RFC 1035 §4.1.2)');
  }

  let edns: Edns | undefined;
  let rcodeHigh = 0;
  const answers: DnsRecord[] = [];
  for (const slot of layout.records) {
    if (slot.type === OPT_TYPE) {
      if (slot.section !== 'additional') return malformed(`an OPT record in the ${slot.section} section (RFC 6891 §6.1.1)`);
      if (edns) return malformed('the response has more than one OPT record (RFC 6891 §6.1.1)');
      const opt = decodeOpt(bytes, slot);
      if (typeof opt === 'string') return malformed(opt);
      edns = opt.edns;
      rcodeHigh = opt.rcodeHigh;
      continue;
    }
    if (slot.section !== 'answer' || !READ_TYPES.has(slot.type)) continue;
    if (readU16(bytes, slot.rdataOffset - 8) !== CLASS_IN) continue;
    let rr: DecodedRr;
    try {
      rr = dnsPacket.answer.decode(bytes, slot.start) as DecodedRr;
    } catch (err) {
      return malformed(`a ${typeName(slot.type)} record cannot be decoded: ${errorText(err)} (RFC 1035 §4.1.3)`);
    }
    if (consumed() !== slot.length) {
      return malformed(`a ${typeName(slot.type)} record's data does not fill its RDLENGTH of ${slot.rdlength} exactly (RFC 1035 §3.2.1)`);
    }
    const record = toRecord(rr, bytes, slot);
    if (typeof record === 'string') return malformed(record);
    answers.push(record);
  }

  const rcode = (rcodeHigh << 4) | header.rcode;
  const response: DecodedResponse = { header, rcode, answers };
  if (question) response.question = question;
  if (edns) response.edns = edns;
  return { ok: true, response };
}

function typeName(code: number): string {
  return (Object.keys(RR_TYPE_CODES) as RRType[]).find((t) => RR_TYPE_CODES[t] === code) ?? `type ${code}`;
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export type Extraction<T extends RRType> =
  | { ok: true; records: RecordOf<T>[]; cnameChain: CnameRecord[]; capped?: { kept: number; total: number } }
  | { ok: false; kind: 'cname-loop' | 'malformed'; message: string; cnameChain: CnameRecord[] };

/**
 * The records of `type` for `name`, following CNAMEs inside the answer section
 * (RFC 1034 §3.6.2), at most MAX_CNAME_CHAIN steps, loops refused.
 */
export function extractRecords<T extends RRType>(answers: DnsRecord[], name: string, type: T): Extraction<T> {
  const ofType = (owner: string) => answers.filter((r): r is RecordOf<T> => r.type === type && sameName(r.name, owner));
  const cnameChain: CnameRecord[] = [];
  const seen = new Set([dnsLower(stripDot(name))]);
  let owner = name;
  let records = ofType(owner);
  while (records.length === 0 && type !== 'CNAME') {
    const cnames = answers.filter((r): r is CnameRecord => r.type === 'CNAME' && sameName(r.name, owner));
    if (cnames.length === 0) break;
    const targets = new Set(cnames.map((c) => dnsLower(c.target)));
    const first = cnames[0] as CnameRecord;
    if (targets.size > 1) {
      return { ok: false, kind: 'malformed', message: `${owner} has ${targets.size} different CNAME records; a name has at most one (RFC 2181 §10.1)`, cnameChain };
    }
    cnameChain.push(first);
    const next = dnsLower(first.target);
    if (seen.has(next)) {
      return { ok: false, kind: 'cname-loop', message: `the CNAME chain from ${name} loops back to ${first.target} (RFC 1034 §3.6.2)`, cnameChain };
    }
    if (cnameChain.length > MAX_CNAME_CHAIN) {
      return { ok: false, kind: 'cname-loop', message: `the CNAME chain from ${name} is longer than ${MAX_CNAME_CHAIN} steps (RFC 1034 §3.6.2)`, cnameChain };
    }
    seen.add(next);
    owner = first.target;
    records = ofType(owner);
  }
  if (records.length > MAX_RECORDS_PER_ANSWER) {
    return { ok: true, records: records.slice(0, MAX_RECORDS_PER_ANSWER), cnameChain, capped: { kept: MAX_RECORDS_PER_ANSWER, total: records.length } };
  }
  return { ok: true, records, cnameChain };
}
