// IP address parsing and classification (RFC 6890 special-purpose registries), platform-free.
// Used to refuse probes and fetches to addresses a public sender could never reach
// (and that a hostile DNS answer could point us at: loopback, the LAN, link-local metadata services).

export interface ParsedIp {
  family: 4 | 6;
  /** 4 or 16 bytes, network order. */
  bytes: Uint8Array;
}

export type AddressClass =
  | 'public'
  | 'private'
  | 'loopback'
  | 'link-local'
  | 'unspecified'
  | 'multicast'
  | 'reserved'
  | 'invalid';

/** Longest textual IPv6 form is 45 characters (with an embedded IPv4); anything longer is not an address. */
const MAX_IP_TEXT = 45;

/**
 * Strict dotted-quad (RFC 3986 §3.2.2 `dec-octet`): four decimal parts 0-255, no leading zeros,
 * so inet_aton spellings (`0x7f.1`, `017.0.0.1`, `2130706433`) are not IPs here.
 */
function parseIpv4(text: string): Uint8Array | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const bytes = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const part = parts[i] ?? '';
    if (!/^(?:0|[1-9][0-9]{0,2})$/.test(part)) return undefined;
    const value = Number(part);
    if (value > 255) return undefined;
    bytes[i] = value;
  }
  return bytes;
}

/** RFC 4291 §2.2 text forms: eight groups, `::` once, optional trailing dotted-quad. No zone ids. */
function parseIpv6(text: string): Uint8Array | undefined {
  if (!/^[0-9A-Fa-f:.]+$/.test(text)) return undefined;
  const doubleColon = text.indexOf('::');
  if (doubleColon !== -1 && text.indexOf('::', doubleColon + 1) !== -1) return undefined;
  const groups: number[] = [];
  const parseGroups = (part: string, allowV4Tail: boolean): number[] | undefined => {
    if (part === '') return [];
    const out: number[] = [];
    const pieces = part.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const piece = pieces[i] ?? '';
      if (allowV4Tail && i === pieces.length - 1 && piece.includes('.')) {
        const v4 = parseIpv4(piece);
        if (!v4) return undefined;
        out.push(((v4[0] ?? 0) << 8) | (v4[1] ?? 0), ((v4[2] ?? 0) << 8) | (v4[3] ?? 0));
        continue;
      }
      if (!/^[0-9A-Fa-f]{1,4}$/.test(piece)) return undefined;
      out.push(parseInt(piece, 16));
    }
    return out;
  };
  if (doubleColon === -1) {
    const all = parseGroups(text, true);
    if (!all || all.length !== 8) return undefined;
    groups.push(...all);
  } else {
    const head = parseGroups(text.slice(0, doubleColon), false);
    const tail = parseGroups(text.slice(doubleColon + 2), true);
    if (!head || !tail) return undefined;
    // `::` stands for at least one group of zeros (RFC 4291 §2.2 item 2).
    if (head.length + tail.length > 7) return undefined;
    groups.push(...head, ...new Array<number>(8 - head.length - tail.length).fill(0), ...tail);
  }
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    bytes[i * 2] = g >> 8;
    bytes[i * 2 + 1] = g & 0xff;
  });
  return bytes;
}

/** An IPv4 or IPv6 address in its strict textual form, or undefined. Never throws. */
export function parseIp(text: string): ParsedIp | undefined {
  if (typeof text !== 'string' || text.length === 0 || text.length > MAX_IP_TEXT) return undefined;
  if (text.includes(':')) {
    const bytes = parseIpv6(text);
    return bytes ? { family: 6, bytes } : undefined;
  }
  const bytes = parseIpv4(text);
  return bytes ? { family: 4, bytes } : undefined;
}

/** Canonical text: dotted-quad, or RFC 5952 (lower case, longest zero run of ≥2 groups as `::`). */
export function formatIp(ip: ParsedIp): string {
  if (ip.family === 4) return Array.from(ip.bytes.subarray(0, 4)).join('.');
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(((ip.bytes[i * 2] ?? 0) << 8) | (ip.bytes[i * 2 + 1] ?? 0));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = (g: number[]): string => g.map((n) => n.toString(16)).join(':');
  if (bestStart === -1) return hex(groups);
  return `${hex(groups.slice(0, bestStart))}::${hex(groups.slice(bestStart + bestLength))}`;
}

interface Range {
  prefix: number[];
  bits: number;
  kind: Exclude<AddressClass, 'public' | 'invalid'>;
}

function inPrefix(bytes: Uint8Array, prefix: number[], bits: number): boolean {
  for (let bit = 0; bit < bits; bit += 8) {
    const remaining = Math.min(8, bits - bit);
    const mask = (0xff << (8 - remaining)) & 0xff;
    const index = bit / 8;
    if (((bytes[index] ?? 0) & mask) !== ((prefix[index] ?? 0) & mask)) return false;
  }
  return true;
}

// RFC 6890 §2.2.2 and its updates; most specific entries first.
const IPV4_RANGES: Range[] = [
  { prefix: [0, 0, 0, 0], bits: 32, kind: 'unspecified' },
  { prefix: [0], bits: 8, kind: 'reserved' }, // "this network" (RFC 791)
  { prefix: [10], bits: 8, kind: 'private' }, // RFC 1918
  { prefix: [100, 64], bits: 10, kind: 'private' }, // shared address space, CGNAT (RFC 6598)
  { prefix: [127], bits: 8, kind: 'loopback' }, // RFC 1122
  { prefix: [169, 254], bits: 16, kind: 'link-local' }, // RFC 3927
  { prefix: [172, 16], bits: 12, kind: 'private' }, // RFC 1918
  { prefix: [192, 0, 0], bits: 24, kind: 'reserved' }, // IETF protocol assignments (RFC 6890)
  { prefix: [192, 0, 2], bits: 24, kind: 'reserved' }, // TEST-NET-1 (RFC 5737)
  { prefix: [192, 88, 99], bits: 24, kind: 'reserved' }, // 6to4 relay anycast, deprecated (RFC 7526)
  { prefix: [192, 168], bits: 16, kind: 'private' }, // RFC 1918
  { prefix: [198, 18], bits: 15, kind: 'reserved' }, // benchmarking (RFC 2544)
  { prefix: [198, 51, 100], bits: 24, kind: 'reserved' }, // TEST-NET-2 (RFC 5737)
  { prefix: [203, 0, 113], bits: 24, kind: 'reserved' }, // TEST-NET-3 (RFC 5737)
  { prefix: [224], bits: 4, kind: 'multicast' }, // RFC 5771
  { prefix: [240], bits: 4, kind: 'reserved' }, // future use, and 255.255.255.255 broadcast (RFC 1112, RFC 919)
];

// RFC 6890 §2.2.3 and its updates. Only 2000::/3 is allocated as global unicast (RFC 4291 §2.4).
const IPV6_RANGES: Range[] = [
  { prefix: [0x01, 0x00, 0, 0, 0, 0, 0, 0], bits: 64, kind: 'reserved' }, // discard-only (RFC 6666)
  { prefix: [0x20, 0x01, 0x0d, 0xb8], bits: 32, kind: 'reserved' }, // documentation (RFC 3849)
  { prefix: [0x20, 0x01, 0x00], bits: 23, kind: 'reserved' }, // IETF protocol assignments incl. Teredo, ORCHID (RFC 2928)
  { prefix: [0x3f, 0xff], bits: 20, kind: 'reserved' }, // documentation (RFC 9637)
  { prefix: [0xfc], bits: 7, kind: 'private' }, // unique local (RFC 4193)
  { prefix: [0xfe, 0x80], bits: 10, kind: 'link-local' }, // RFC 4291
  { prefix: [0xfe, 0xc0], bits: 10, kind: 'private' }, // site-local, deprecated (RFC 3879)
  { prefix: [0xff], bits: 8, kind: 'multicast' }, // RFC 4291
];

const IPV4_MAPPED = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];
const NAT64_WELL_KNOWN = [0x00, 0x64, 0xff, 0x9b, 0, 0, 0, 0, 0, 0, 0, 0];
const NAT64_LOCAL = [0x00, 0x64, 0xff, 0x9b, 0x00, 0x01];

function classifyV4(bytes: Uint8Array): AddressClass {
  for (const range of IPV4_RANGES) if (inPrefix(bytes, range.prefix, range.bits)) return range.kind;
  return 'public';
}

function classifyV6(bytes: Uint8Array): AddressClass {
  if (bytes.every((b) => b === 0)) return 'unspecified';
  if (bytes.subarray(0, 15).every((b) => b === 0) && bytes[15] === 1) return 'loopback';
  // Addresses that carry an IPv4 address are judged as that address (::ffff:127.0.0.1 is loopback).
  if (inPrefix(bytes, IPV4_MAPPED, 96) || inPrefix(bytes, NAT64_WELL_KNOWN, 96)) return classifyV4(bytes.subarray(12));
  if (inPrefix(bytes, NAT64_LOCAL, 48)) return 'private'; // local-use NAT64 (RFC 8215)
  if (inPrefix(bytes, [0x20, 0x02], 16)) {
    // 6to4 (RFC 3056) embeds an IPv4 address: never a way around the IPv4 rules.
    const embedded = classifyV4(bytes.subarray(2, 6));
    return embedded === 'public' ? 'public' : embedded;
  }
  for (const range of IPV6_RANGES) if (inPrefix(bytes, range.prefix, range.bits)) return range.kind;
  // IPv4-compatible (::/96, deprecated by RFC 4291 §2.5.5.1) and everything else outside 2000::/3.
  if (!inPrefix(bytes, [0x20], 3)) return 'reserved';
  return 'public';
}

/** What kind of address this is (a string is parsed strictly first). Never throws. */
export function classifyAddress(ip: string | ParsedIp): AddressClass {
  const parsed = typeof ip === 'string' ? parseIp(ip) : ip;
  if (!parsed || !(parsed.bytes instanceof Uint8Array)) return 'invalid';
  if (parsed.family === 4 && parsed.bytes.length === 4) return classifyV4(parsed.bytes);
  if (parsed.family === 6 && parsed.bytes.length === 16) return classifyV6(parsed.bytes);
  return 'invalid';
}

/** Reachable from the public Internet (a sending MTA out there could connect to it). */
export function isPublicAddress(ip: string | ParsedIp): boolean {
  return classifyAddress(ip) === 'public';
}
