// A minimal DER (X.690) reader: just enough structure to find the parts of a certificate that
// DANE matches (RFC 6698 §1.1.3, §2.1.2). Bounded and total: malformed input gives an error value
// with the offset where reading stopped, never an exception.

export interface Tlv {
  /** The identifier octet (single-byte tags only: certificates use no others). */
  tag: number;
  /** Offset of the identifier octet. */
  start: number;
  /** Offset of the first content octet. */
  contentStart: number;
  /** Offset just past the content. */
  end: number;
}

export type DerError = { ok: false; message: string; offset: number };
export type DerResult<T> = { ok: true; value: T } | DerError;

/** Lengths over 16 MiB cannot occur in a certificate; refusing them keeps arithmetic exact. */
const MAX_LENGTH = 16 * 1024 * 1024;

export const TAG = {
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  OID: 0x06,
  SEQUENCE: 0x30,
  SET: 0x31,
  /** [0] EXPLICIT, constructed: the certificate version. */
  CONTEXT_0: 0xa0,
  /** [3] EXPLICIT, constructed: the certificate extensions. */
  CONTEXT_3: 0xa3,
} as const;

function fail(message: string, offset: number): DerError {
  return { ok: false, message, offset };
}

/** One TLV at `offset`, which must end within `limit` (definite lengths only, as DER requires). */
export function readTlv(bytes: Uint8Array, offset: number, limit: number = bytes.length): DerResult<Tlv> {
  const end0 = Math.min(limit, bytes.length);
  if (!Number.isInteger(offset) || offset < 0 || offset + 2 > end0) return fail('truncated: no room for a tag and a length', offset);
  const tag = bytes[offset] ?? 0;
  if ((tag & 0x1f) === 0x1f) return fail(`multi-byte tag 0x${tag.toString(16)} (not used in certificates)`, offset);
  const first = bytes[offset + 1] ?? 0;
  let contentStart = offset + 2;
  let length = first;
  if (first === 0x80) return fail('indefinite length (not allowed in DER, X.690 §10.1)', offset + 1);
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count > 4) return fail(`length of ${count} octets is too long`, offset + 1);
    if (contentStart + count > end0) return fail('truncated in the length octets', offset + 1);
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (bytes[contentStart + i] ?? 0);
    contentStart += count;
  }
  if (length > MAX_LENGTH) return fail(`length ${length} is too large`, offset + 1);
  const end = contentStart + length;
  if (end > end0) return fail(`truncated: content of ${length} octets runs past the end`, offset);
  return { ok: true, value: { tag, start: offset, contentStart, end } };
}

/** The TLVs that tile the content of a constructed TLV exactly (at most `max` of them). */
export function readChildren(bytes: Uint8Array, parent: Tlv, max = 64): DerResult<Tlv[]> {
  if ((parent.tag & 0x20) === 0) return fail(`tag 0x${parent.tag.toString(16)} is not constructed`, parent.start);
  const out: Tlv[] = [];
  let offset = parent.contentStart;
  while (offset < parent.end) {
    if (out.length >= max) return fail(`more than ${max} elements`, offset);
    const child = readTlv(bytes, offset, parent.end);
    if (!child.ok) return child;
    out.push(child.value);
    offset = child.value.end;
  }
  return { ok: true, value: out };
}

/** Read a whole buffer as exactly one TLV of the expected tag (trailing bytes are an error). */
export function readSingle(bytes: Uint8Array, tag: number): DerResult<Tlv> {
  const tlv = readTlv(bytes, 0);
  if (!tlv.ok) return tlv;
  if (tlv.value.tag !== tag) return fail(`expected tag 0x${tag.toString(16)}, found 0x${tlv.value.tag.toString(16)}`, 0);
  if (tlv.value.end !== bytes.length) return fail(`${bytes.length - tlv.value.end} trailing bytes after the DER value`, tlv.value.end);
  return tlv;
}

/** The bytes of a TLV, header included (what TLSA hashes). */
export function tlvBytes(bytes: Uint8Array, tlv: Tlv): Uint8Array {
  return bytes.slice(tlv.start, tlv.end);
}
