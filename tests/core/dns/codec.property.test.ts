// Round trips: a random valid response, encoded, decodes to the same records.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeResponse, extractRecords } from '../../../core/dns/codec.ts';
import type { DnsRecord, RRType } from '../../../core/dns/types.ts';
import { buildResponse, rr } from './packets.ts';

const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,14}[a-z0-9])?$/);
const hostname = fc.array(label, { minLength: 1, maxLength: 4 }).map((labels) => `${labels.join('.')}.example`);
const ttl = fc.integer({ min: 0, max: 0x7fffffff });
const QNAME = 'q.example';

type Case = { type: RRType; expected: DnsRecord[] };

const toLatin1 = (b: Uint8Array) => String.fromCharCode(...b);

const aCase = fc.array(fc.tuple(fc.ipV4(), ttl), { minLength: 1, maxLength: 20 }).map(
  (rows): Case => ({ type: 'A', expected: rows.map(([address, t]) => ({ type: 'A', name: QNAME, ttl: t, address })) }),
);
const mxCase = fc.array(fc.tuple(fc.integer({ min: 0, max: 65535 }), hostname, ttl), { minLength: 1, maxLength: 20 }).map(
  (rows): Case => ({ type: 'MX', expected: rows.map(([preference, exchange, t]) => ({ type: 'MX', name: QNAME, ttl: t, preference, exchange })) }),
);
const txtCase = fc
  .array(fc.tuple(fc.array(fc.uint8Array({ maxLength: 255 }), { minLength: 1, maxLength: 5 }), ttl), { minLength: 1, maxLength: 8 })
  .map(
    (rows): Case => ({
      type: 'TXT',
      expected: rows.map(([strings, t]) => ({ type: 'TXT', name: QNAME, ttl: t, strings: strings.map(toLatin1), text: strings.map(toLatin1).join('') })),
    }),
  );
const tlsaCase = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), fc.uint8Array({ maxLength: 64 }), ttl), {
    minLength: 1,
    maxLength: 6,
  })
  .map(
    (rows): Case => ({
      type: 'TLSA',
      expected: rows.map(([usage, selector, matchingType, data, t]) => ({
        type: 'TLSA',
        name: QNAME,
        ttl: t,
        usage,
        selector,
        matchingType,
        data: Array.from(data, (b) => b.toString(16).padStart(2, '0')).join(''),
      })),
    }),
  );

function toWire(record: DnsRecord) {
  switch (record.type) {
    case 'A':
    case 'AAAA':
      return rr.a(record.name, record.address, record.ttl);
    case 'MX':
      return rr.mx(record.name, record.preference, record.exchange, record.ttl);
    case 'TXT':
      return rr.txt(record.name, record.strings, record.ttl);
    case 'TLSA':
      return rr.tlsa(record.name, record.usage, record.selector, record.matchingType, Uint8Array.from(record.data.match(/../g) ?? [], (h) => parseInt(h, 16)), record.ttl);
    case 'CNAME':
      return rr.cname(record.name, record.target, record.ttl);
  }
}

describe('codec round trip', () => {
  it('RFC 1035 §4.1.3: A, MX, TXT and TLSA records survive encode then decode', () => {
    fc.assert(
      fc.property(fc.oneof(aCase, mxCase, txtCase, tlsaCase), fc.integer({ min: 0, max: 65535 }), ({ type, expected }, id) => {
        const bytes = buildResponse({ id, name: QNAME, type, answers: expected.map(toWire) });
        const decoded = decodeResponse(bytes, { name: QNAME, type, id });
        const records = decoded.ok ? extractRecords(decoded.response.answers, QNAME, type) : decoded;
        expect(records).toEqual({ ok: true, records: expected, cnameChain: [] });
      }),
      { numRuns: 300 },
    );
  });

  it('RFC 1034 §3.6.2: a CNAME chain of up to 8 steps is followed to the records', () => {
    fc.assert(
      fc.property(fc.uniqueArray(hostname, { minLength: 1, maxLength: 8 }), fc.ipV4(), (targets, address) => {
        fc.pre(!targets.includes(QNAME));
        const owners = [QNAME, ...targets];
        const chain = targets.map((target, i) => ({ type: 'CNAME' as const, name: owners[i] as string, ttl: 60, target }));
        const final = { type: 'A' as const, name: targets[targets.length - 1] as string, ttl: 60, address };
        const bytes = buildResponse({ name: QNAME, type: 'A', answers: [...chain, final].map(toWire) });
        const decoded = decodeResponse(bytes, { name: QNAME, type: 'A' });
        const records = decoded.ok ? extractRecords(decoded.response.answers, QNAME, 'A') : decoded;
        expect(records).toEqual({ ok: true, records: [final], cnameChain: chain });
      }),
      { numRuns: 200 },
    );
  });
});
