// Builds DNS response messages for the codec, DoH and system-resolver tests.
import * as dnsPacket from '@dnsquery/dns-packet';
import type { RRType } from '../../../core/dns/types.ts';

export const RCODE = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;

export interface ResponseSpec {
  id?: number;
  name: string;
  type: RRType | string;
  rcode?: number;
  ad?: boolean;
  tc?: boolean;
  answers?: dnsPacket.Answer[];
  ede?: { code: number; text?: string }[];
  /** Leave out the OPT record. */
  noEdns?: boolean;
  /** Leave out the question section. */
  noQuestion?: boolean;
  /** Upper 8 bits of the extended RCODE (RFC 6891 §6.1.3). */
  extendedRcode?: number;
}

export function edeOption(code: number, text = ''): { code: number; data: Uint8Array } {
  const textBytes = new TextEncoder().encode(text);
  const data = new Uint8Array(2 + textBytes.length);
  data[0] = code >> 8;
  data[1] = code & 0xff;
  data.set(textBytes, 2);
  return { code: 15, data };
}

export function buildResponse(spec: ResponseSpec): Uint8Array {
  let flags = dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | (spec.rcode ?? 0);
  if (spec.ad) flags |= dnsPacket.AUTHENTIC_DATA;
  if (spec.tc) flags |= dnsPacket.TRUNCATED_RESPONSE;
  const message = dnsPacket.encode({
    type: 'response',
    id: spec.id ?? 0,
    flags,
    // why: the question type is a string union in dns-packet's typings; tests pass any name.
    questions: spec.noQuestion ? [] : [{ type: spec.type as dnsPacket.RecordType, name: spec.name, class: 'IN' }],
    answers: spec.answers ?? [],
  });
  if (spec.noEdns) return message;
  // The OPT record is written by hand: dns-packet 6.1.1 writes option data as zeros.
  const opt = optRecord(spec.extendedRcode ?? 0, (spec.ede ?? []).map((e) => edeOption(e.code, e.text)));
  const out = new Uint8Array(message.length + opt.length);
  out.set(message);
  out.set(opt, message.length);
  out[11] = (out[11] ?? 0) + 1; // ARCOUNT (no test adds other additional records)
  return out;
}

/** OPT pseudo-record (RFC 6891 §6.1.2): root owner, payload 1232, DO set. */
export function optRecord(extendedRcode: number, options: { code: number; data: Uint8Array }[]): Uint8Array {
  const rdlength = options.reduce((n, o) => n + 4 + o.data.length, 0);
  const out = new Uint8Array(11 + rdlength);
  out.set([0, 0, 41, 1232 >> 8, 1232 & 0xff, extendedRcode, 0, 0x80, 0, rdlength >> 8, rdlength & 0xff]);
  let at = 11;
  for (const o of options) {
    out.set([o.code >> 8, o.code & 0xff, o.data.length >> 8, o.data.length & 0xff], at);
    out.set(o.data, at + 4);
    at += 4 + o.data.length;
  }
  return out;
}

/** The id and question of a query, to answer it. */
export function readQuery(bytes: Uint8Array): { id: number; name: string; type: string; dnssecOk: boolean } {
  const q = dnsPacket.decode(bytes);
  const question = q.questions?.[0];
  const opt = q.additionals?.find((a) => a.type === 'OPT') as unknown as { flags?: number } | undefined;
  return { id: q.id ?? 0, name: question?.name ?? '', type: String(question?.type), dnssecOk: ((opt?.flags ?? 0) & 0x8000) !== 0 };
}

export const rr = {
  a: (name: string, address: string, ttl = 300): dnsPacket.Answer => ({ type: 'A', name, ttl, data: address }),
  aaaa: (name: string, address: string, ttl = 300): dnsPacket.Answer => ({ type: 'AAAA', name, ttl, data: address }),
  cname: (name: string, target: string, ttl = 300): dnsPacket.Answer => ({ type: 'CNAME', name, ttl, data: target }),
  mx: (name: string, preference: number, exchange: string, ttl = 300): dnsPacket.Answer => ({ type: 'MX', name, ttl, data: { preference, exchange } }),
  txt: (name: string, strings: (string | Uint8Array)[], ttl = 300): dnsPacket.Answer => ({
    type: 'TXT',
    name,
    ttl,
    data: strings.map((s) => (typeof s === 'string' ? latin1Bytes(s) : s)),
  }),
  tlsa: (name: string, usage: number, selector: number, matchingType: number, data: Uint8Array, ttl = 300): dnsPacket.Answer => ({
    type: 'TLSA',
    name,
    ttl,
    data: Uint8Array.from([usage, selector, matchingType, ...data]),
  }),
};

/** One byte per char, so tests state exact wire bytes. */
export function latin1Bytes(s: string): Uint8Array {
  return Uint8Array.from(s, (c) => c.charCodeAt(0) & 0xff);
}
