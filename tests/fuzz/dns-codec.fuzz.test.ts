// Fuzzing the DNS response decoder (core/dns/codec.ts, RFC 1035 §4): valid responses built
// here byte by byte (with compression pointers), then mutated: byte flips, truncations,
// inserted bytes, inflated counts, and pointer games (forward, self, into the header, chains).
// decodeResponse must never throw, must answer `malformed` or `mismatch` as values, and what it
// accepts must be well-formed records of the question asked.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeResponse, extractRecords, RR_TYPE_CODES, sameName } from '../../core/dns/codec.ts';
import type { RRType } from '../../core/dns/types.ts';
import { parseIp } from '../../core/net/address.ts';
import { concatBytes, fcParams, fuzzRuns, fuzzSeed, Tally } from './budget.ts';

const SEED = fuzzSeed(0xd25);
const RUNS = fuzzRuns(10_000);

const u16 = (n: number) => Uint8Array.of((n >> 8) & 0xff, n & 0xff);
const u32 = (n: number) => Uint8Array.of((n >>> 24) & 0xff, (n >> 16) & 0xff, (n >> 8) & 0xff, n & 0xff);
const QNAME_OFFSET = 12;
const POINTER_TO_QNAME = Uint8Array.of(0xc0, QNAME_OFFSET);

function encodeName(name: string): Uint8Array {
  const parts = name.split('.').filter(Boolean).map((l) => {
    const bytes = new TextEncoder().encode(l);
    return concatBytes([Uint8Array.of(bytes.length), bytes]);
  });
  return concatBytes([...parts, Uint8Array.of(0)]);
}

type Rdata = { type: RRType | 'OTHER'; rdata: Uint8Array };
interface Rr {
  owner: string;
  /** Write the owner as a pointer to the question name (RFC 1035 §4.1.4). */
  compressOwner: boolean;
  ttl: number;
  data: Rdata;
}
interface Message {
  id: number;
  rcode: number;
  qname: string;
  qtype: RRType;
  answers: Rr[];
  ede?: { code: number; text: string };
}

function encodeMessage(m: Message): Uint8Array {
  const flags = 0x8000 | 0x0100 | 0x0080 | (m.rcode & 0xf);
  const header = concatBytes([u16(m.id), u16(flags), u16(1), u16(m.answers.length), u16(0), u16(m.ede ? 1 : 0)]);
  const question = concatBytes([encodeName(m.qname), u16(RR_TYPE_CODES[m.qtype]), u16(1)]);
  const records = m.answers.map((a) => {
    const type = a.data.type === 'OTHER' ? 46 /* RRSIG, skipped by the codec */ : RR_TYPE_CODES[a.data.type];
    const owner = a.compressOwner && a.owner === m.qname ? POINTER_TO_QNAME : encodeName(a.owner);
    return concatBytes([owner, u16(type), u16(1), u32(a.ttl), u16(a.data.rdata.length), a.data.rdata]);
  });
  let opt: Uint8Array = new Uint8Array(0);
  if (m.ede) {
    const text = new TextEncoder().encode(m.ede.text);
    const option = concatBytes([u16(15), u16(2 + text.length), u16(m.ede.code), text]);
    opt = concatBytes([Uint8Array.of(0), u16(41), u16(1232), Uint8Array.of(0, 0, 0x80, 0), u16(option.length), option]);
  }
  return concatBytes([header, question, ...records, opt]);
}

const label = fc.stringMatching(/^[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?$/);
const hostname = fc.array(label, { minLength: 1, maxLength: 3 }).map((l) => `${l.join('.')}.example`);
const ttl = fc.oneof(fc.integer({ min: 0, max: 0x7fffffff }), fc.constant(0xffffffff));
const rdataOf = (type: RRType): fc.Arbitrary<Rdata> => {
  switch (type) {
    case 'A':
      return fc.uint8Array({ minLength: 4, maxLength: 4 }).map((rdata) => ({ type, rdata }));
    case 'AAAA':
      return fc.uint8Array({ minLength: 16, maxLength: 16 }).map((rdata) => ({ type, rdata }));
    case 'MX':
      return fc.tuple(fc.integer({ min: 0, max: 65535 }), hostname, fc.boolean()).map(([pref, ex, ptr]) => ({ type, rdata: concatBytes([u16(pref), ptr ? POINTER_TO_QNAME : encodeName(ex)]) }));
    case 'TXT':
      // TXT strings full of control characters and markup: the codec keeps them as bytes.
      return fc
        .array(fc.oneof(fc.uint8Array({ maxLength: 40 }), fc.constantFrom('<script>alert(1)</script>', 'v=STSv1; id=1', '\u0000\u001b[31m').map((s) => Uint8Array.from(s, (c) => c.charCodeAt(0)))), { minLength: 1, maxLength: 4 })
        .map((strings) => ({ type, rdata: concatBytes(strings.flatMap((s) => [Uint8Array.of(s.length), s])) }));
    case 'CNAME':
      return hostname.map((target) => ({ type, rdata: encodeName(target) }));
    case 'TLSA':
      return fc.uint8Array({ minLength: 3, maxLength: 40 }).map((rdata) => ({ type, rdata }));
  }
};
const qtype = fc.constantFrom<RRType>('A', 'AAAA', 'MX', 'TXT', 'CNAME', 'TLSA');
const validMessage: fc.Arbitrary<Message> = fc
  .tuple(fc.integer({ min: 0, max: 65535 }), fc.constantFrom(0, 0, 0, 2, 3, 5), hostname, qtype)
  .chain(([id, rcode, qname, type]) =>
    fc.record({
      id: fc.constant(id),
      rcode: fc.constant(rcode),
      qname: fc.constant(qname),
      qtype: fc.constant(type),
      answers: fc.array(
        fc.oneof(
          { weight: 4, arbitrary: fc.record({ owner: fc.constant(qname), compressOwner: fc.boolean(), ttl, data: rdataOf(type) }) },
          // CNAME chains, loops included: qname -> x -> qname.
          { weight: 1, arbitrary: fc.record({ owner: fc.constantFrom(qname, 'x.example'), compressOwner: fc.boolean(), ttl, data: fc.constantFrom(qname, 'x.example').map((t) => ({ type: 'CNAME' as const, rdata: encodeName(t) })) }) },
          { weight: 1, arbitrary: fc.record({ owner: hostname, compressOwner: fc.constant(false), ttl, data: fc.uint8Array({ maxLength: 20 }).map((rdata) => ({ type: 'OTHER' as const, rdata })) }) },
        ),
        { maxLength: 8 },
      ),
      ede: fc.option(fc.record({ code: fc.integer({ min: 0, max: 30 }), text: fc.constantFrom('', 'signature expired', '<b>bogus</b>') }), { nil: undefined }),
    }),
  );

type Mutation = [kind: number, at: number, value: number];
function mutate(bytes: Uint8Array, mutations: Mutation[]): Uint8Array {
  let out: Uint8Array = bytes.slice();
  for (const [kind, at, value] of mutations) {
    const i = at % Math.max(1, out.length);
    if (kind === 0) out[i] = value & 0xff; // byte flip
    else if (kind === 1) out = out.slice(0, at % (out.length + 1)); // truncation
    else if (kind === 2) out = concatBytes([out.subarray(0, i), Uint8Array.of(value & 0xff, (value >> 8) & 0xff), out.subarray(i)]);
    else if (kind === 3) {
      // Pointer games: a pointer anywhere, to anywhere (itself, forward, the header, past the end).
      out = out.slice();
      out[i] = 0xc0 | ((value >> 8) & 0x3f);
      if (i + 1 < out.length) out[i + 1] = value & 0xff;
    } else if (kind === 4) {
      // Lying counts in the header (QDCOUNT..ARCOUNT).
      const field = 4 + 2 * (value % 4);
      out[field] = (value >> 4) & 0xff;
      out[field + 1] = (value >> 12) & 0xff;
    } else {
      // A pointer loop: a name that points at itself, and two names pointing at each other.
      const j = (i + 2) % Math.max(1, out.length - 1);
      out[i] = 0xc0 | (j >> 8);
      if (i + 1 < out.length) out[i + 1] = j & 0xff;
      out[j] = 0xc0 | (i >> 8);
      if (j + 1 < out.length) out[j + 1] = i & 0xff;
    }
  }
  return out;
}
const mutation: fc.Arbitrary<Mutation> = fc.tuple(fc.nat({ max: 5 }), fc.nat(), fc.nat({ max: 0xffff }));

const input = fc.oneof(
  { weight: 3, arbitrary: validMessage.map((m) => ({ m, bytes: encodeMessage(m), expectId: m.id })) },
  { weight: 6, arbitrary: fc.tuple(validMessage, fc.array(mutation, { minLength: 1, maxLength: 4 })).map(([m, muts]) => ({ m, bytes: mutate(encodeMessage(m), muts), expectId: m.id })) },
  { weight: 1, arbitrary: fc.tuple(validMessage, fc.integer({ min: 0, max: 65535 })).map(([m, other]) => ({ m, bytes: encodeMessage(m), expectId: other })) },
  { weight: 1, arbitrary: fc.tuple(validMessage, fc.uint8Array({ maxLength: 200 })).map(([m, bytes]) => ({ m, bytes, expectId: m.id })) },
);

describe(`fuzz decodeResponse (RFC 1035 §4), seed ${SEED}, ${RUNS} runs`, () => {
  it(`never throws; malformed and mismatched messages are values; accepted records are well-formed (seed ${SEED})`, () => {
    const tally = new Tally();
    fc.assert(
      fc.property(input, fc.boolean(), ({ m, bytes, expectId }, checkId) => {
        const result = decodeResponse(bytes, { name: m.qname, type: m.qtype, ...(checkId ? { id: expectId } : {}) });
        if (!result.ok) {
          tally.hit(result.kind);
          if (/pointer|label|name/i.test(result.message)) tally.hit('name-problem');
          expect(result.message.length).toBeGreaterThan(0);
          expect(result.message.length).toBeLessThan(1000);
          return;
        }
        tally.hit('ok');
        const { response } = result;
        if (checkId) expect(response.header.id).toBe(expectId);
        expect(response.header.qr).toBe(true);
        expect(response.header.qdcount).toBeLessThanOrEqual(1);
        if (response.question) {
          expect(sameName(response.question.name, m.qname)).toBe(true);
          expect(response.question.type).toBe(m.qtype);
        } else expect(response.rcode).not.toBe(0);
        expect(response.rcode).toBeGreaterThanOrEqual(0);
        expect(response.rcode).toBeLessThan(4096);
        expect(response.answers.length).toBeLessThanOrEqual(response.header.ancount);
        expect(response.answers.length).toBeLessThanOrEqual(Math.floor(bytes.length / 11));
        for (const rr of response.answers) {
          tally.hit(`rr-${rr.type}`);
          expect(rr.ttl).toBeGreaterThanOrEqual(0);
          expect(rr.ttl).toBeLessThanOrEqual(0x7fffffff);
          expect(rr.name.length).toBeLessThanOrEqual(1100); // 255 octets, escaped at most 4 characters each
          if (rr.type === 'A') expect(parseIp(rr.address)?.family).toBe(4);
          if (rr.type === 'AAAA') expect(parseIp(rr.address)?.family).toBe(6);
          if (rr.type === 'MX') expect(Number.isInteger(rr.preference) && rr.preference >= 0 && rr.preference <= 65535).toBe(true);
          if (rr.type === 'TXT') {
            expect(rr.text).toBe(rr.strings.join(''));
            for (const s of rr.strings) {
              expect(s.length).toBeLessThanOrEqual(255);
              expect(/^[\x00-\xff]*$/.test(s)).toBe(true);
            }
          }
          if (rr.type === 'TLSA') expect(rr.data).toMatch(/^(?:[0-9a-f]{2})*$/);
        }
        for (const e of response.edns?.ede ?? []) {
          tally.hit('ede');
          expect(Number.isInteger(e.code)).toBe(true);
        }
        const extracted = extractRecords(response.answers, m.qname, m.qtype);
        tally.hit(extracted.ok ? 'extracted' : extracted.kind);
        if (extracted.ok) for (const r of extracted.records) expect(r.type).toBe(m.qtype);
      }),
      fcParams(SEED, RUNS),
    );
    expect(tally.missing(['ok', 'malformed', 'mismatch', 'name-problem', 'extracted', 'cname-loop', 'ede'], 30)).toEqual([]);
    expect(tally.missing(['rr-A', 'rr-AAAA', 'rr-MX', 'rr-TXT', 'rr-CNAME', 'rr-TLSA'], 30)).toEqual([]);
  });

  it(`random bytes of every length up to 600 never throw (seed ${SEED + 1})`, () => {
    const tally = new Tally();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 600 }), qtype, (bytes, type) => {
        const r = decodeResponse(bytes, { name: 'q.example', type });
        tally.hit(r.ok ? 'ok' : r.kind);
      }),
      fcParams(SEED + 1, Math.round(RUNS / 2)),
    );
    expect(tally.get('malformed')).toBeGreaterThan(RUNS / 4);
  });

  it.each([
    ['a name that points at itself', Uint8Array.of(0xc0, 12)],
    ['a pointer past the end', Uint8Array.of(0xc3, 0xff)],
    ['a pointer into the header', Uint8Array.of(0xc0, 0x02)],
    ['a reserved label type 0x40', Uint8Array.of(0x40, 0x00)],
  ])('RFC 1035 §4.1.4: the question name is %s: malformed, not an exception', (_name, qname) => {
    const bytes = concatBytes([u16(7), u16(0x8180), u16(1), u16(0), u16(0), u16(0), qname, u16(1), u16(1)]);
    const r = decodeResponse(bytes, { name: 'q.example', type: 'A', id: 7 });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.kind).toBe('malformed');
  });

  it('RFC 1035 §4.1.1: a header announcing 65535 records in a 12-byte message is malformed, not a huge allocation', () => {
    const bytes = concatBytes([u16(1), u16(0x8180), u16(0), u16(0xffff), u16(0xffff), u16(0xffff)]);
    const r = decodeResponse(bytes, { name: 'q.example', type: 'A' });
    expect(r).toMatchObject({ ok: false, kind: 'malformed' });
  });

  it('thousands of records: a 64 KiB answer of 4000 A records decodes, and extraction caps what is kept', () => {
    const answers: Rr[] = Array.from({ length: 4000 }, (_, i) => ({ owner: 'q.example', compressOwner: true, ttl: 60, data: { type: 'A', rdata: Uint8Array.of(192, 0, (i >> 8) & 0xff, i & 0xff) } }));
    const bytes = encodeMessage({ id: 1, rcode: 0, qname: 'q.example', qtype: 'A', answers });
    const r = decodeResponse(bytes, { name: 'q.example', type: 'A', id: 1 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const extracted = extractRecords(r.response.answers, 'q.example', 'A');
    expect(extracted).toMatchObject({ ok: true, capped: { kept: 1000, total: 4000 } });
  });
});
