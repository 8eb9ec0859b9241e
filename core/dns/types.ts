// The DNS port: what every resolver (DoH in core/dns/doh.ts, plain DNS in the CLI,
// the fake zone in tests) answers. Answers are values; a resolver never throws.

export type RRType = 'A' | 'AAAA' | 'MX' | 'TXT' | 'CNAME' | 'TLSA';

/** `exchange` has no trailing dot; a null MX (RFC 7505) has exchange ".". */
export type MxRecord = { type: 'MX'; name: string; ttl: number; preference: number; exchange: string };
/** TXT strings as they came off the wire, one JS char per byte (latin1), so non-ASCII bytes stay visible. */
export type TxtRecord = { type: 'TXT'; name: string; ttl: number; strings: string[]; text: string };
export type AddressRecord = { type: 'A' | 'AAAA'; name: string; ttl: number; address: string };
export type CnameRecord = { type: 'CNAME'; name: string; ttl: number; target: string };
export type TlsaRecord = {
  type: 'TLSA';
  name: string;
  ttl: number;
  usage: number;
  selector: number;
  matchingType: number;
  /** Lower-case hex of the certificate association data. */
  data: string;
};

export type DnsRecord = MxRecord | TxtRecord | AddressRecord | CnameRecord | TlsaRecord;
// AddressRecord's `type` is 'A' | 'AAAA', so a plain Extract gave `never` for A and AAAA.
export type RecordOf<T extends RRType> = T extends 'A' | 'AAAA' ? AddressRecord & { type: T } : Extract<DnsRecord, { type: T }>;

/** Extended DNS Error (RFC 8914), when the resolver sent one. */
export type Ede = { code: number; text?: string };

/**
 * - `ok`: NOERROR with records of the asked type (after following CNAMEs in the answer).
 * - `nodata`: NOERROR, name exists, no records of that type.
 * - `nxdomain`: the name does not exist.
 * - `servfail`: the resolver failed, e.g. DNSSEC bogus (see `ede`).
 * - `refused`: the resolver refused the query.
 * - `error`: no usable answer: timeout, HTTP error, network error, malformed message (see `message`).
 */
export type DnsStatus = 'ok' | 'nodata' | 'nxdomain' | 'servfail' | 'refused' | 'error';

export type DnsErrorKind = 'timeout' | 'http' | 'network' | 'malformed' | 'aborted' | 'cname-loop' | 'other';

export interface DnsAnswer<T extends RRType = RRType> {
  name: string;
  type: T;
  status: DnsStatus;
  records: RecordOf<T>[];
  /** CNAMEs followed from `name` to the owner of the records, in order. */
  cnameChain: CnameRecord[];
  /** The AD flag: the resolver validated the answer with DNSSEC. */
  ad: boolean;
  ede: Ede[];
  /** For `error` (and as detail for servfail/refused): a sentence for people. */
  message?: string;
  errorKind?: DnsErrorKind;
  /** How long the lookup took, for the evidence and the benchmarks. */
  elapsedMs: number;
  /** Set when the answer held more records than a resolver keeps (`records` has the first `kept`). */
  recordsCapped?: { kept: number; total: number };
}

export interface QueryOptions {
  signal?: AbortSignal;
}

export interface Resolver {
  /** Shown in the report: "Cloudflare", "custom", "system". */
  readonly name: string;
  /** The DoH URL, or a description such as "system (127.0.0.53)". */
  readonly url: string;
  query<T extends RRType>(name: string, type: T, options?: QueryOptions): Promise<DnsAnswer<T>>;
}
