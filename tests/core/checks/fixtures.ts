// Builders for check inputs, and fakes of the PolicyFetcher and MxProber ports (values built from
// the protocol schemas, so a fixture that drifts from the contract fails to parse).
import type { DnsAnswer, Ede, RRType } from '../../../core/dns/types.ts';
import type { MxProber, PolicyFetcher, PolicyFetchOptions, ProbeOptions } from '../../../core/ports.ts';
import { PolicyFetchResultSchema, type PolicyAttempt, type PolicyFetchResult } from '../../../core/protocol/policy-fetch.ts';
import { MxProbeResultSchema, type AddressProbe, type MxProbeResult } from '../../../core/protocol/probe.ts';
import type { Certificate, TlsInfo } from '../../../core/protocol/tls.ts';

export const NOW = new Date('2025-06-01T12:00:00.000Z');
const DAY = 86_400_000;

type Meta = { ad?: boolean; ede?: Ede[]; message?: string; cname?: [string, string][]; ttl?: number };

function base<T extends RRType>(name: string, type: T, status: DnsAnswer['status'], m: Meta = {}): DnsAnswer<T> {
  return {
    name,
    type,
    status,
    records: [],
    cnameChain: (m.cname ?? []).map(([n, t]) => ({ type: 'CNAME', name: n, ttl: 300, target: t })),
    ad: m.ad ?? false,
    ede: m.ede ?? [],
    ...(m.message ? { message: m.message } : {}),
    elapsedMs: 1,
  };
}

export const dns = {
  status<T extends RRType>(name: string, type: T, status: DnsAnswer['status'], m: Meta = {}): DnsAnswer<T> {
    return base(name, type, status, m);
  },
  txt(name: string, records: (string | string[])[], m: Meta = {}): DnsAnswer<'TXT'> {
    const a = base(name, 'TXT', records.length ? 'ok' : 'nodata', m);
    a.records = records.map((r) => {
      const strings = Array.isArray(r) ? r : [r];
      return { type: 'TXT' as const, name, ttl: m.ttl ?? 3600, strings, text: strings.join('') };
    });
    return a;
  },
  mx(name: string, records: [number, string][], m: Meta = {}): DnsAnswer<'MX'> {
    const a = base(name, 'MX', records.length ? 'ok' : 'nodata', m);
    a.records = records.map(([preference, exchange]) => ({ type: 'MX' as const, name, ttl: 300, preference, exchange }));
    return a;
  },
  addr<T extends 'A' | 'AAAA'>(name: string, type: T, addresses: string[], m: Meta = {}): DnsAnswer<T> {
    const a = base(name, type, addresses.length ? 'ok' : 'nodata', m);
    // why: RecordOf<'A'> is `never` in core/dns/types.ts (Extract over a union-typed `type`); the shape is AddressRecord.
    (a as { records: unknown[] }).records = addresses.map((address) => ({ type, name, ttl: 300, address }));
    return a;
  },
};

export function cert(o: Partial<Certificate> = {}): Certificate {
  return {
    subject: 'CN=mx1.example.com',
    issuer: 'CN=Test CA',
    dnsNames: ['mx1.example.com'],
    ipAddresses: [],
    validFrom: new Date(NOW.getTime() - 30 * DAY).toISOString(),
    validTo: new Date(NOW.getTime() + 60 * DAY).toISOString(),
    serialNumber: '01',
    sha256: 'a'.repeat(64),
    spkiSha256: 'b'.repeat(64),
    keyType: 'EC',
    selfSigned: false,
    derBase64: 'AA==',
    ...o,
  };
}

export function tlsInfo(o: Partial<TlsInfo> = {}, leaf: Partial<Certificate> = {}): TlsInfo {
  return {
    handshakeCompleted: true,
    protocol: 'TLSv1.3',
    cipher: 'TLS_AES_256_GCM_SHA384',
    servername: 'mx1.example.com',
    chain: [cert(leaf)],
    trusted: true,
    nameMatches: true,
    matchedName: 'mx1.example.com',
    ...o,
  };
}

/** A probe that went all the way: STARTTLS offered, TLS 1.3, trusted, name matches. */
export function goodProbe(address: string, o: Partial<AddressProbe> = {}): AddressProbe {
  return {
    address,
    family: address.includes(':') ? 6 : 4,
    outcome: 'ok',
    step: 'quit',
    message: 'STARTTLS and TLS OK',
    greeting: { code: 220, lines: ['mx ESMTP'] },
    ehlo: { code: 250, lines: ['mx', 'STARTTLS'] },
    starttlsOffered: true,
    starttlsReply: { code: 220, lines: ['ready'] },
    tls: tlsInfo(),
    noSni: { handshakeCompleted: true },
    starttlsAfterTls: false,
    timings: { totalMs: 10 },
    ...o,
  };
}

export function failedProbe(address: string, outcome: AddressProbe['outcome'], step: AddressProbe['step'], o: Partial<AddressProbe> = {}): AddressProbe {
  return { address, family: address.includes(':') ? 6 : 4, outcome, step, message: `${outcome} at ${step}`, timings: { totalMs: 10 }, ...o };
}

export function mxProbe(host: string, addresses: AddressProbe[]): MxProbeResult {
  return MxProbeResultSchema.parse({ host, port: 25, addresses });
}

export const POLICY = 'version: STSv1\r\nmode: enforce\r\nmx: mx1.example.com\r\nmx: *.backup.example.com\r\nmax_age: 1209600\r\n';

const b64 = (s: string) => btoa(String.fromCharCode(...new TextEncoder().encode(s)));

export function attempt(o: { status?: number; body?: string; headers?: [string, string][]; tls?: TlsInfo; error?: PolicyAttempt['error']; address?: string; redirects?: PolicyAttempt['redirects']; redirectTarget?: PolicyAttempt['redirectTarget']; totalMs?: number; noResponse?: boolean } = {}): PolicyAttempt {
  const body = o.body ?? POLICY;
  const a: PolicyAttempt = {
    redirects: o.redirects ?? [],
    timings: { totalMs: o.totalMs ?? 20 },
    tls: 'tls' in o ? o.tls : tlsInfo({ servername: 'mta-sts.example.com', matchedName: 'mta-sts.example.com' }, { dnsNames: ['mta-sts.example.com'] }),
  };
  if (o.address) a.address = o.address;
  if (o.error) a.error = o.error;
  if (o.redirectTarget) a.redirectTarget = o.redirectTarget;
  if (!o.noResponse) {
    a.response = {
      status: o.status ?? 200,
      headers: o.headers ?? [['content-type', 'text/plain; charset=utf-8']],
      bodyBase64: b64(body),
      bodyBytes: new TextEncoder().encode(body).length,
      bodyTruncated: false,
    };
  }
  return a;
}

export function policyResult(attempts: PolicyAttempt[], domain = 'example.com', via: PolicyFetchResult['via'] = 'helper'): PolicyFetchResult {
  return PolicyFetchResultSchema.parse({ url: `https://mta-sts.${domain}/.well-known/mta-sts.txt`, host: `mta-sts.${domain}`, via, attempts });
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(t);
      resolve();
    }, { once: true });
  });

export interface PortCall {
  key: string;
  start: number;
  end?: number;
  addresses?: string[];
}

/** A fake PolicyFetcher: a result per domain (or a function), with latency; logs its calls. */
export class FakePolicyFetcher implements PolicyFetcher {
  readonly calls: PortCall[] = [];
  constructor(private readonly answer: (domain: string) => PolicyFetchResult | Promise<PolicyFetchResult>, private readonly latencyMs = 0) {}
  async fetchPolicy(domain: string, options: PolicyFetchOptions = {}): Promise<PolicyFetchResult> {
    const call: PortCall = { key: domain, start: performance.now() };
    this.calls.push(call);
    await sleep(this.latencyMs, options.signal);
    const r = await this.answer(domain);
    call.end = performance.now();
    return r;
  }
}

/** A fake MxProber: a result per host (default: every address good), latency per host; logs its calls. */
export class FakeMxProber implements MxProber {
  readonly calls: PortCall[] = [];
  constructor(
    private readonly answer: (host: string, addresses: string[]) => MxProbeResult | Promise<MxProbeResult> = (host, addrs) => mxProbe(host, addrs.map((a) => goodProbe(a, { tls: tlsInfo({ servername: host, matchedName: host }, { dnsNames: [host] }) }))),
    private readonly latencyMs: number | ((host: string) => number) = 0,
  ) {}
  async probe(host: string, addresses: string[], options: ProbeOptions = {}): Promise<MxProbeResult> {
    const call: PortCall = { key: host, start: performance.now(), addresses };
    this.calls.push(call);
    await sleep(typeof this.latencyMs === 'number' ? this.latencyMs : this.latencyMs(host), options.signal);
    const r = await this.answer(host, addresses);
    call.end = performance.now();
    return r;
  }
}
