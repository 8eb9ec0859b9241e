// RFC 1035 §4.1 message layout, walked with explicit bounds before any record is decoded.
// dns-packet's record decoders read past RDLENGTH (or past the buffer) without noticing, so
// this walker finds where every record starts and ends first; each record is then decoded on
// its own and cannot shift the ones after it.

export const HEADER_BYTES = 12;
/** More records than any 64 KiB message can hold at 11 bytes a record: a lying header. */
const MAX_RECORDS = 6000;

export type Section = 'answer' | 'authority' | 'additional';

export interface Header {
  id: number;
  qr: boolean;
  opcode: number;
  aa: boolean;
  tc: boolean;
  rd: boolean;
  ra: boolean;
  ad: boolean;
  cd: boolean;
  /** The 4-bit header RCODE (EDNS may extend it). */
  rcode: number;
  qdcount: number;
  ancount: number;
  nscount: number;
  arcount: number;
}

export interface RecordSlot {
  section: Section;
  /** Offset of the owner name: where dns-packet's `answer.decode` starts. */
  start: number;
  /** Total bytes of the record: owner name + 10 + RDLENGTH. */
  length: number;
  type: number;
  rdataOffset: number;
  rdlength: number;
}

export interface Layout {
  header: Header;
  /** Absent when the answer has no question section (allowed only with an error RCODE). */
  question?: { start: number; length: number };
  records: RecordSlot[];
}

export type WireProblem = { offset: number; message: string };

export function readU16(buf: Uint8Array, offset: number): number {
  return ((buf[offset] ?? 0) << 8) | (buf[offset + 1] ?? 0);
}

export function readHeader(buf: Uint8Array): Header | undefined {
  if (buf.length < HEADER_BYTES) return undefined;
  const flags = readU16(buf, 2);
  return {
    id: readU16(buf, 0),
    qr: (flags & 0x8000) !== 0,
    opcode: (flags >> 11) & 0xf,
    aa: (flags & 0x0400) !== 0,
    tc: (flags & 0x0200) !== 0,
    rd: (flags & 0x0100) !== 0,
    ra: (flags & 0x0080) !== 0,
    ad: (flags & 0x0020) !== 0,
    cd: (flags & 0x0010) !== 0,
    rcode: flags & 0xf,
    qdcount: readU16(buf, 4),
    ancount: readU16(buf, 6),
    nscount: readU16(buf, 8),
    arcount: readU16(buf, 10),
  };
}

/** Length of the name at `offset` in this spot of the message (a pointer ends it), or a problem. */
function skipName(buf: Uint8Array, offset: number): number | WireProblem {
  let at = offset;
  for (;;) {
    if (at >= buf.length) return { offset: at, message: 'the message ends inside a domain name (RFC 1035 §4.1.4)' };
    const len = buf[at] ?? 0;
    if (len === 0) return at + 1 - offset;
    if ((len & 0xc0) === 0xc0) {
      if (at + 2 > buf.length) return { offset: at, message: 'the message ends inside a compression pointer (RFC 1035 §4.1.4)' };
      return at + 2 - offset;
    }
    if ((len & 0xc0) !== 0) return { offset: at, message: `label type 0x${len.toString(16)} is not defined (RFC 1035 §4.1.4)` };
    at += 1 + len;
    // A name is at most 255 octets (RFC 1035 §2.3.4); the pointer rules are checked on decode.
    if (at - offset > 255) return { offset, message: 'a domain name is longer than 255 octets (RFC 1035 §2.3.4)' };
  }
}

/** Finds every question and record boundary, or the first place the message breaks its own counts. */
export function walkMessage(buf: Uint8Array): Layout | WireProblem {
  const header = readHeader(buf);
  if (!header) return { offset: 0, message: `the message is ${buf.length} bytes, shorter than the 12-byte header (RFC 1035 §4.1.1)` };
  if (header.qdcount > 1) {
    return { offset: 4, message: `the answer carries ${header.qdcount} questions instead of the one asked (RFC 1035 §4.1.2)` };
  }
  const total = header.ancount + header.nscount + header.arcount;
  if (total > MAX_RECORDS) return { offset: 6, message: `the header announces ${total} records, more than fit in a DNS message` };
  let at = HEADER_BYTES;
  let question: Layout['question'];
  if (header.qdcount === 1) {
    const qname = skipName(buf, at);
    if (typeof qname !== 'number') return qname;
    if (at + qname + 4 > buf.length) return { offset: at, message: 'the message ends inside the question (RFC 1035 §4.1.2)' };
    question = { start: at, length: qname + 4 };
    at += qname + 4;
  }
  const records: RecordSlot[] = [];
  const sections: [Section, number][] = [
    ['answer', header.ancount],
    ['authority', header.nscount],
    ['additional', header.arcount],
  ];
  for (const [section, count] of sections) {
    for (let i = 0; i < count; i++) {
      const owner = skipName(buf, at);
      if (typeof owner !== 'number') return owner;
      const fixed = at + owner;
      if (fixed + 10 > buf.length) {
        return { offset: at, message: `the message ends inside record ${i + 1} of the ${section} section (RFC 1035 §4.1.3)` };
      }
      const rdlength = readU16(buf, fixed + 8);
      if (fixed + 10 + rdlength > buf.length) {
        return { offset: fixed + 8, message: `the data of record ${i + 1} of the ${section} section runs past the end of the message (RFC 1035 §4.1.3)` };
      }
      records.push({ section, start: at, length: owner + 10 + rdlength, type: readU16(buf, fixed), rdataOffset: fixed + 10, rdlength });
      at = fixed + 10 + rdlength;
    }
  }
  return question ? { header, question, records } : { header, records };
}

export function isWireProblem(value: Layout | WireProblem): value is WireProblem {
  return 'message' in value;
}
