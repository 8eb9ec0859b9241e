// Hostile and broken messages: each must come back as an error value, never an exception.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeResponse } from '../../../core/dns/codec.ts';
import { buildResponse, optRecord, RCODE, rr } from './packets.ts';

const QR_RD_RA = 0x8180;

function header(counts: { qd?: number; an?: number; ns?: number; ar?: number }, flags = QR_RD_RA, id = 0): number[] {
  const u16 = (n: number) => [n >> 8, n & 0xff];
  return [...u16(id), ...u16(flags), ...u16(counts.qd ?? 1), ...u16(counts.an ?? 0), ...u16(counts.ns ?? 0), ...u16(counts.ar ?? 0)];
}

/** "a.example" as wire labels. */
const QNAME = [1, 0x61, 7, ...'example'.split('').map((c) => c.charCodeAt(0)), 0];
const Q_A = [...QNAME, 0, 1, 0, 1];
const label63 = (ch: number) => [63, ...new Array<number>(63).fill(ch)];

const hostile: [string, number[], RegExp, ('A' | 'MX' | 'TXT' | 'TLSA')?, string?][] = [
  ['RFC 1035 §4.1.1: an empty message', [], /12-byte header/],
  ['RFC 1035 §4.1.1: 11 bytes, short of the header', header({}).slice(0, 11), /12-byte header/],
  ['RFC 1035 §4.1.1: a query instead of a response', [...header({}, 0x0100), ...Q_A], /not a response/],
  ['RFC 1035 §4.1.2: two questions', [...header({ qd: 2 }), ...Q_A, ...Q_A], /2 questions/],
  ['RFC 1035 §4.1.2: NOERROR without the question', header({ qd: 0 }), /without the question/],
  ['RFC 1035 §4.1.4: a question name that points at itself', [...header({}), 0xc0, 12, 0, 1, 0, 1], /bad pointer/],
  ['RFC 1035 §4.1.4: a pointer forward', [...header({}), 0xc0, 20, 0, 1, 0, 1, 1, 0x61, 0], /bad pointer/],
  [
    'RFC 1035 §4.1.4: an answer owner that points at itself',
    [...header({ an: 1 }), ...Q_A, 0xc0, 27, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1],
    /bad pointer/,
  ],
  ['RFC 1035 §4.1.4: label type 0x40 is undefined', [...header({}), 0x41, 0x61, 0, 0, 1, 0, 1], /label type/],
  [
    'RFC 1035 §2.3.4: a question name over 255 octets',
    [...header({}), ...label63(0x61), ...label63(0x62), ...label63(0x63), ...label63(0x64), 0, 0, 1, 0, 1],
    /longer than 255/,
  ],
  [
    'RFC 1035 §2.3.4: an answer name over 255 octets through a pointer',
    [
      ...header({ an: 1 }),
      ...label63(0x61), ...label63(0x62), ...label63(0x63), 0, 0, 1, 0, 1,
      ...label63(0x64), 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 192, 0, 2, 1,
    ],
    /name too long/,
    'A',
    `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}`,
  ],
  ['RFC 1035 §4.1.3: the header announces 65535 answers', [...header({ an: 65535 }), ...Q_A], /more than fit/],
  ['RFC 1035 §4.1.3: RDATA runs past the end', [...header({ an: 1 }), ...Q_A, 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 9, 192, 0, 2, 1], /past the end/],
  [
    'RFC 1035 §3.2.1: an A record with RDLENGTH 5',
    [...header({ an: 1 }), ...Q_A, 0xc0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 5, 192, 0, 2, 1, 9],
    /RDLENGTH/,
  ],
  [
    'RFC 1035 §3.3.14: a TXT string longer than its RDATA',
    [...header({ an: 1 }), ...QNAME, 0, 16, 0, 1, 0xc0, 12, 0, 16, 0, 1, 0, 0, 0, 60, 0, 3, 9, 0x61, 0x62],
    /cannot be decoded/,
    'TXT',
  ],
  [
    'RFC 1035 §3.3.9: an MX exchange pointing forward',
    [...header({ an: 1 }), ...QNAME, 0, 15, 0, 1, 0xc0, 12, 0, 15, 0, 1, 0, 0, 0, 60, 0, 4, 0, 10, 0xc0, 60],
    /bad pointer/,
    'MX',
  ],
  [
    'RFC 6698 §2.1: a TLSA record shorter than its fixed fields',
    [...header({ an: 1 }), ...QNAME, 0, 52, 0, 1, 0xc0, 12, 0, 52, 0, 1, 0, 0, 0, 60, 0, 2, 3, 1],
    /TLSA/,
    'TLSA',
  ],
  ['RFC 6891 §6.1.1: two OPT records', [...header({ ar: 2 }), ...Q_A, ...optRecord(0, []), ...optRecord(0, [])], /more than one OPT/],
  ['RFC 6891 §6.1.1: an OPT record in the answer section', [...header({ an: 1 }), ...Q_A, ...optRecord(0, [])], /OPT record in the answer/],
  [
    'RFC 6891 §6.1.2: an EDNS option longer than the OPT record',
    [...header({ ar: 1 }), ...Q_A, 0, 0, 41, 4, 0, 0, 0, 0x80, 0, 0, 6, 0, 15, 0, 9, 0, 6],
    /EDNS option runs past/,
  ],
];

describe('decodeResponse: hostile messages give error values', () => {
  it.each(hostile)('%s', (_title, bytes, message, type = 'A', name = 'a.example') => {
    const result = decodeResponse(Uint8Array.from(bytes), { name, type });
    expect(result).toMatchObject({ ok: false, kind: 'malformed', message: expect.stringMatching(message) });
  });

  it('RFC 8914 §2: an EDE option shorter than its info-code is ignored, not fatal', () => {
    const bytes = Uint8Array.from([...header({ ar: 1 }), ...Q_A, ...optRecord(0, [{ code: 15, data: Uint8Array.of(6) }])]);
    const result = decodeResponse(bytes, { name: 'a.example', type: 'A' });
    expect(result.ok && result.response.edns?.ede).toEqual([]);
  });
});

describe('decodeResponse: truncated at every offset', () => {
  const messages: [string, Uint8Array][] = [
    [
      'MX answer with CNAME, AD and EDE',
      buildResponse({
        id: 99,
        name: 'example.com',
        type: 'MX',
        ad: true,
        answers: [rr.cname('example.com', 'mail.example.net'), rr.mx('mail.example.net', 10, 'mx1.example.net'), rr.mx('mail.example.net', 20, 'mx2.example.org')],
        ede: [{ code: 3, text: 'stale' }],
      }),
    ],
    ['TXT answer without EDNS', buildResponse({ id: 99, name: 'example.com', type: 'MX', noEdns: true, answers: [rr.txt('example.com', ['v=STSv1; id=1', 'x'])] })],
    ['SERVFAIL with EDE', buildResponse({ id: 99, name: 'example.com', type: 'MX', rcode: RCODE.SERVFAIL, ede: [{ code: 6, text: 'bogus' }] })],
  ];

  it.each(messages)('RFC 1035 §4.1: %s is refused at every shorter length', (_title, full) => {
    expect(decodeResponse(full, { name: 'example.com', type: 'MX', id: 99 }).ok).toBe(true);
    const accepted: number[] = [];
    for (let len = 0; len < full.length; len++) {
      if (decodeResponse(full.subarray(0, len), { name: 'example.com', type: 'MX', id: 99 }).ok) accepted.push(len);
    }
    expect(accepted).toEqual([]);
  });
});

describe('decodeResponse: fuzzing', () => {
  it('never throws on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 700 }), (bytes) => {
        const result = decodeResponse(bytes, { name: 'example.com', type: 'TXT' });
        return typeof result.ok === 'boolean';
      }),
      { numRuns: 2000 },
    );
  });

  it('never throws on corrupted valid answers, and reaches both outcomes', () => {
    const base = buildResponse({
      name: 'example.com',
      type: 'MX',
      answers: [rr.cname('example.com', 'mx.example.com'), rr.mx('mx.example.com', 10, 'a.example.com'), rr.mx('mx.example.com', 20, 'b.example.com')],
      ede: [{ code: 6, text: 'x' }],
    });
    const outcomes = { ok: 0, error: 0 };
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat({ max: base.length - 1 }), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 4 }),
        (edits) => {
          const bytes = Uint8Array.from(base);
          for (const [at, value] of edits) bytes[at] = value;
          const result = decodeResponse(bytes, { name: 'example.com', type: 'MX' });
          outcomes[result.ok ? 'ok' : 'error'] += 1;
          return true;
        },
      ),
      { numRuns: 3000 },
    );
    // Not vacuous: some corruptions still decode (e.g. a TTL byte), many are caught.
    expect(outcomes.ok > 0 && outcomes.error > 0).toBe(true);
  });
});
