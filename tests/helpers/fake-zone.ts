// A declarative fake DNS zone implementing the Resolver port (CONVENTIONS.md practice 10, after
// mailauth's test/helpers/dns-zone.js). Names not in the zone are NXDOMAIN; a name without the
// asked type is NODATA; CNAMEs are followed; any answer can be replaced by SERVFAIL (with EDE),
// REFUSED, NXDOMAIN, NODATA, an error/timeout, or a hang. Every query is logged with its start
// and end times so tests can assert what ran in parallel.
import type { DnsAnswer, DnsErrorKind, DnsRecord, Ede, QueryOptions, RecordOf, Resolver, RRType } from '../../core/dns/types.ts';

export type FakeSpecial =
  | { rcode: 'servfail' | 'refused' | 'nxdomain' | 'nodata'; ede?: Ede[]; message?: string; latencyMs?: number; ad?: boolean }
  | { error: DnsErrorKind; message?: string; latencyMs?: number }
  /** Never answers (until the query's signal aborts). */
  | { hang: true };

export interface FakeData<V> {
  data: V;
  latencyMs?: number;
  ad?: boolean;
  ttl?: number;
}

type Slot<V> = V | FakeData<V> | FakeSpecial;

export interface FakeNameSpec {
  A?: Slot<string[]>;
  AAAA?: Slot<string[]>;
  /** [preference, exchange]; exchange "." is a null MX. */
  MX?: Slot<[number, string][]>;
  /** Each record a string, or its character-strings as an array. */
  TXT?: Slot<(string | string[])[]>;
  CNAME?: string;
  /** [usage, selector, matchingType, hex data] (RFC 6698 §2.1). */
  TLSA?: Slot<[number, number, number, string][]>;
  /** AD flag for every answer of this name (overrides the zone default). */
  ad?: boolean;
  /** Latency of every answer of this name, or per type. */
  latencyMs?: number | Partial<Record<RRType, number>>;
  ttl?: number;
}

export interface FakeZoneOptions {
  /** Default AD flag. */
  ad?: boolean;
  /** Default latency of every answer. */
  latencyMs?: number;
  name?: string;
  url?: string;
}

export interface QueryLogEntry {
  name: string;
  type: RRType;
  /** performance.now() at the call and at the answer. */
  start: number;
  end?: number;
  status?: DnsAnswer['status'];
}

const norm = (n: string) => n.toLowerCase().replace(/\.$/, '');
const isSpecial = (v: unknown): v is FakeSpecial => typeof v === 'object' && v !== null && !Array.isArray(v) && ('rcode' in v || 'error' in v || 'hang' in v);
const isData = <V>(v: unknown): v is FakeData<V> => typeof v === 'object' && v !== null && !Array.isArray(v) && 'data' in v;

export class FakeZone implements Resolver {
  readonly name: string;
  readonly url: string;
  readonly queries: QueryLogEntry[] = [];
  private readonly zone = new Map<string, FakeNameSpec>();

  constructor(records: Record<string, FakeNameSpec>, private readonly options: FakeZoneOptions = {}) {
    for (const [k, v] of Object.entries(records)) this.zone.set(norm(k), v);
    this.name = options.name ?? 'fake';
    this.url = options.url ?? 'fake://zone';
  }

  /** Replace or add a name (for tests that change the zone between runs). */
  set(name: string, spec: FakeNameSpec): void {
    this.zone.set(norm(name), spec);
  }

  /** The log entry of the first query for name/type. */
  entry(name: string, type: RRType): QueryLogEntry | undefined {
    return this.queries.find((q) => q.name === norm(name) && q.type === type);
  }

  async query<T extends RRType>(name: string, type: T, options: QueryOptions = {}): Promise<DnsAnswer<T>> {
    const log: QueryLogEntry = { name: norm(name), type, start: performance.now() };
    this.queries.push(log);
    const { answer, latencyMs, hang } = this.resolve(norm(name), type);
    const result = await this.delay(answer, latencyMs, hang, options.signal);
    log.end = performance.now();
    log.status = result.status;
    return { ...result, elapsedMs: log.end - log.start };
  }

  private delay<T extends RRType>(answer: DnsAnswer<T>, ms: number, hang: boolean, signal?: AbortSignal): Promise<DnsAnswer<T>> {
    const aborted = (): DnsAnswer<T> => ({ ...answer, status: 'error', records: [], errorKind: 'aborted', message: 'aborted' });
    if (signal?.aborted) return Promise.resolve(aborted());
    return new Promise((resolve) => {
      const timer = hang ? undefined : setTimeout(() => resolve(answer), ms);
      signal?.addEventListener('abort', () => {
        clearTimeout(timer);
        resolve(aborted());
      }, { once: true });
    });
  }

  private latency(spec: FakeNameSpec | undefined, type: RRType, slot: unknown): number {
    if ((isData(slot) || isSpecial(slot)) && 'latencyMs' in slot && typeof slot.latencyMs === 'number') return slot.latencyMs;
    const l = spec?.latencyMs;
    if (typeof l === 'number') return l;
    if (l && typeof l[type] === 'number') return l[type]!;
    return this.options.latencyMs ?? 0;
  }

  private resolve<T extends RRType>(qname: string, type: T): { answer: DnsAnswer<T>; latencyMs: number; hang: boolean } {
    const base = (status: DnsAnswer['status'], ad: boolean): DnsAnswer<T> => ({ name: qname, type, status, records: [], cnameChain: [], ad, ede: [], elapsedMs: 0 });
    const chain: DnsAnswer['cnameChain'] = [];
    let owner = qname;
    const first = this.zone.get(qname);
    const firstLatency = this.latency(first, type, first?.[type as keyof FakeNameSpec]);
    for (let hop = 0; hop < 9; hop++) {
      const spec = this.zone.get(owner);
      const ad = spec?.ad ?? this.options.ad ?? false;
      if (!spec) return { answer: { ...base('nxdomain', ad), cnameChain: chain }, latencyMs: firstLatency, hang: false };
      const slot = (spec as Record<string, unknown>)[type];
      if (slot === undefined && spec.CNAME && type !== 'CNAME') {
        chain.push({ type: 'CNAME', name: owner, ttl: spec.ttl ?? 300, target: norm(spec.CNAME) });
        owner = norm(spec.CNAME);
        if (chain.some((c) => c.name === owner)) {
          return { answer: { ...base('error', false), cnameChain: chain, errorKind: 'cname-loop', message: 'CNAME loop' }, latencyMs: firstLatency, hang: false };
        }
        continue;
      }
      if (slot === undefined) return { answer: { ...base('nodata', ad), cnameChain: chain }, latencyMs: firstLatency, hang: false };
      if (isSpecial(slot)) {
        if ('hang' in slot) return { answer: base('error', false), latencyMs: 0, hang: true };
        if ('error' in slot) {
          return { answer: { ...base('error', false), errorKind: slot.error, message: slot.message ?? slot.error }, latencyMs: firstLatency, hang: false };
        }
        const a: DnsAnswer<T> = { ...base(slot.rcode, slot.ad ?? (slot.rcode === 'servfail' ? false : ad)), cnameChain: chain, ede: slot.ede ?? [] };
        if (slot.message) a.message = slot.message;
        return { answer: a, latencyMs: firstLatency, hang: false };
      }
      const data = isData(slot) ? slot.data : slot;
      const ttl = (isData(slot) ? slot.ttl : undefined) ?? spec.ttl ?? 300;
      const dataAd = isData(slot) && slot.ad !== undefined ? slot.ad : ad;
      const records = this.records(owner, type, data, ttl);
      return { answer: { ...base(records.length ? 'ok' : 'nodata', dataAd), records: records as RecordOf<T>[], cnameChain: chain }, latencyMs: firstLatency, hang: false };
    }
    return { answer: { ...base('error', false), cnameChain: chain, errorKind: 'cname-loop', message: 'CNAME chain too long' }, latencyMs: firstLatency, hang: false };
  }

  private records(owner: string, type: RRType, data: unknown, ttl: number): DnsRecord[] {
    switch (type) {
      case 'A':
      case 'AAAA':
        return (data as string[]).map((address) => ({ type, name: owner, ttl, address }));
      case 'MX':
        return (data as [number, string][]).map(([preference, exchange]) => ({ type: 'MX', name: owner, ttl, preference, exchange }));
      case 'TXT':
        return (data as (string | string[])[]).map((r) => {
          const strings = Array.isArray(r) ? r : [r];
          return { type: 'TXT', name: owner, ttl, strings, text: strings.join('') };
        });
      case 'CNAME':
        return [{ type: 'CNAME', name: owner, ttl, target: norm(String(data)) }];
      case 'TLSA':
        return (data as [number, number, number, string][]).map(([usage, selector, matchingType, hex]) => ({ type: 'TLSA', name: owner, ttl, usage, selector, matchingType, data: hex.toLowerCase() }));
      default:
        return [];
    }
  }
}
