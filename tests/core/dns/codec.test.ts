import * as dnsPacket from '@dnsquery/dns-packet';
import { describe, expect, it } from 'vitest';
import {
  checkQueryName,
  decodeResponse,
  encodeQuery,
  extractRecords,
  MAX_RECORDS_PER_ANSWER,
  type DecodeResult,
} from '../../../core/dns/codec.ts';
import type { DnsRecord } from '../../../core/dns/types.ts';
import { buildResponse, latin1Bytes, RCODE, rr } from './packets.ts';

function decodeOk(result: DecodeResult) {
  if (!result.ok) throw new Error(`expected a decoded response, got: ${result.message}`);
  return result.response;
}

describe('encodeQuery', () => {
  it('RFC 1035 §4.1.1 / RFC 6891 §6.1.4: one question, RD set, EDNS0 OPT with DO and a 4096-byte payload', () => {
    const q = encodeQuery('_mta-sts.example.com.', 'TXT');
    if (!q.ok) throw new Error(q.message);
    const decoded = dnsPacket.decode(q.bytes);
    const opt = decoded.additionals?.[0] as unknown as { type: string; udpPayloadSize: number; flags: number };
    expect({
      id: decoded.id,
      rd: decoded.flag_rd,
      qr: decoded.flag_qr,
      questions: decoded.questions,
      opt: { type: opt.type, payload: opt.udpPayloadSize, do: (opt.flags & 0x8000) !== 0 },
    }).toEqual({
      id: q.id,
      rd: true,
      qr: false,
      questions: [{ name: '_mta-sts.example.com', type: 'TXT', class: 'IN' }],
      opt: { type: 'OPT', payload: 4096, do: true },
    });
  });

  it('RFC 8484 §4.1: keeps an explicit id of 0', () => {
    const q = encodeQuery('example.com', 'MX', { id: 0 });
    expect(q.ok && dnsPacket.decode(q.bytes).id).toBe(0);
  });

  it('RFC 5452 §9.2: draws ids at random from WebCrypto', () => {
    const ids = new Set(Array.from({ length: 40 }, () => {
      const q = encodeQuery('example.com', 'A');
      return q.ok ? q.id : -1;
    }));
    // 40 draws from 65536 values: at least 30 distinct unless the ids are not random.
    expect(ids.size).toBeGreaterThan(30);
  });

  it.each([
    ['RFC 1035 §2.3.1: rejects an empty name', ''],
    ['RFC 1035 §2.3.1: rejects an empty label', 'a..example.com'],
    ['RFC 1035 §2.3.4: rejects a 64-octet label', `${'a'.repeat(64)}.example.com`],
    ['RFC 1035 §2.3.4: rejects a name over 255 octets', `${'abcdefghi.'.repeat(26)}com`],
    ['RFC 5891: rejects a U-label (IDNs are asked as A-labels)', 'bücher.example'],
    ['RFC 1035 §2.3.1: rejects spaces and slashes', 'exa mple.com/x'],
  ])('%s', (_title, name) => {
    expect(checkQueryName(name).ok).toBe(false);
  });

  it.each([
    ['RFC 8461 §3.1: accepts the underscore label _mta-sts', '_mta-sts.example.com', '_mta-sts.example.com'],
    ['RFC 1035 §2.3.4: accepts a 63-octet label', `${'a'.repeat(63)}.example.com`, `${'a'.repeat(63)}.example.com`],
    ['RFC 1035 §3.1: drops the trailing root dot', 'example.com.', 'example.com'],
    ['RFC 5891: accepts A-labels', 'xn--bcher-kva.example', 'xn--bcher-kva.example'],
  ])('%s', (_title, name, expected) => {
    expect(checkQueryName(name)).toEqual({ ok: true, name: expected });
  });
});

describe('decodeResponse: records of the asked type', () => {
  it.each([
    {
      title: 'RFC 1035 §3.4.1: A record',
      type: 'A' as const,
      answers: [rr.a('mail.example.com', '192.0.2.25', 600)],
      records: [{ type: 'A', name: 'mail.example.com', ttl: 600, address: '192.0.2.25' }],
    },
    {
      title: 'RFC 3596 §2.2: AAAA record',
      type: 'AAAA' as const,
      answers: [rr.aaaa('mail.example.com', '2001:db8::25')],
      records: [{ type: 'AAAA', name: 'mail.example.com', ttl: 300, address: '2001:db8::25' }],
    },
    {
      title: 'RFC 1035 §3.3.9: MX exchange without the trailing dot',
      type: 'MX' as const,
      answers: [rr.mx('mail.example.com', 10, 'mx1.example.net.')],
      records: [{ type: 'MX', name: 'mail.example.com', ttl: 300, preference: 10, exchange: 'mx1.example.net' }],
    },
    {
      title: 'RFC 7505 §3: null MX keeps the root as "."',
      type: 'MX' as const,
      answers: [rr.mx('mail.example.com', 0, '.')],
      records: [{ type: 'MX', name: 'mail.example.com', ttl: 300, preference: 0, exchange: '.' }],
    },
    {
      title: 'RFC 8461 §3.1: TXT strings joined with no separator',
      type: 'TXT' as const,
      answers: [rr.txt('mail.example.com', ['v=STSv1; ', 'id=2024'])],
      records: [{ type: 'TXT', name: 'mail.example.com', ttl: 300, strings: ['v=STSv1; ', 'id=2024'], text: 'v=STSv1; id=2024' }],
    },
    {
      title: 'RFC 8460 §3: TXT bytes above 0x7f kept one char per byte',
      type: 'TXT' as const,
      answers: [rr.txt('mail.example.com', [Uint8Array.from([0x76, 0xc3, 0xa9])])],
      records: [{ type: 'TXT', name: 'mail.example.com', ttl: 300, strings: ['v\u00c3\u00a9'], text: 'v\u00c3\u00a9' }],
    },
    {
      title: 'RFC 6698 §2.1: TLSA fields and lower-case hex data',
      type: 'TLSA' as const,
      answers: [rr.tlsa('mail.example.com', 3, 1, 1, Uint8Array.from([0xab, 0x01, 0xff]))],
      records: [{ type: 'TLSA', name: 'mail.example.com', ttl: 300, usage: 3, selector: 1, matchingType: 1, data: 'ab01ff' }],
    },
  ])('$title', ({ type, answers, records }) => {
    const bytes = buildResponse({ name: 'mail.example.com', type, answers });
    const response = decodeOk(decodeResponse(bytes, { name: 'mail.example.com', type }));
    expect(extractRecords(response.answers, 'mail.example.com', type)).toEqual({ ok: true, records, cnameChain: [] });
  });

  it('RFC 2181 §8: a TTL with the top bit set reads as 0', () => {
    const bytes = buildResponse({ name: 'a.example', type: 'A', answers: [rr.a('a.example', '192.0.2.1', 0x80000001)] });
    expect(decodeOk(decodeResponse(bytes, { name: 'a.example', type: 'A' })).answers[0]?.ttl).toBe(0);
  });

  it('RFC 4035 §3.2.3: reads the AD flag', () => {
    const bytes = buildResponse({ name: 'a.example', type: 'A', ad: true });
    expect(decodeOk(decodeResponse(bytes, { name: 'a.example', type: 'A' })).header.ad).toBe(true);
  });

  it('RFC 8914 §2: reads EDE info-code and extra text', () => {
    const bytes = buildResponse({ name: 'a.example', type: 'A', rcode: RCODE.SERVFAIL, ede: [{ code: 6, text: 'signature over a.example/A failed' }, { code: 22 }] });
    expect(decodeOk(decodeResponse(bytes, { name: 'a.example', type: 'A' })).edns?.ede).toEqual([
      { code: 6, text: 'signature over a.example/A failed' },
      { code: 22 },
    ]);
  });

  it('RFC 6891 §6.1.3: combines the extended RCODE bits (BADVERS = 16)', () => {
    const bytes = buildResponse({ name: 'a.example', type: 'A', extendedRcode: 1 });
    expect(decodeOk(decodeResponse(bytes, { name: 'a.example', type: 'A' })).rcode).toBe(16);
  });

  it('RFC 4343 §3: matches the question case-insensitively (0x20 mixing)', () => {
    const bytes = buildResponse({ id: 7, name: 'ExAmPle.COM', type: 'MX' });
    expect(decodeResponse(bytes, { name: 'example.com', type: 'MX', id: 7 }).ok).toBe(true);
  });

  it('RFC 1035 §4.1.2: allows an error answer without a question section', () => {
    const bytes = buildResponse({ name: 'a.example', type: 'A', rcode: RCODE.REFUSED, noQuestion: true });
    expect(decodeOk(decodeResponse(bytes, { name: 'a.example', type: 'A' })).rcode).toBe(RCODE.REFUSED);
  });

  it('RFC 1035 §3.3.14: keeps control characters and HTML in TXT byte for byte', () => {
    const raw = '<script>alert(1)</script>\u0000\u001b[31m\r\n';
    const bytes = buildResponse({ name: 't.example', type: 'TXT', answers: [rr.txt('t.example', [raw])] });
    const record = decodeOk(decodeResponse(bytes, { name: 't.example', type: 'TXT' })).answers[0];
    expect(record).toMatchObject({ type: 'TXT', strings: [raw], text: raw });
  });
});

describe('decodeResponse: answers to another question', () => {
  it.each([
    { title: 'RFC 1035 §4.1.1: a different id', spec: { id: 1, name: 'a.example', type: 'A' }, expectId: 2 },
    { title: 'RFC 1035 §7.3: a different name', spec: { id: 5, name: 'b.example', type: 'A' }, expectId: 5 },
    { title: 'RFC 1035 §7.3: a different type', spec: { id: 5, name: 'a.example', type: 'AAAA' }, expectId: 5 },
  ])('$title is a mismatch', ({ spec, expectId }) => {
    const result = decodeResponse(buildResponse(spec), { name: 'a.example', type: 'A', id: expectId });
    expect(result).toMatchObject({ ok: false, kind: 'mismatch' });
  });
});

describe('extractRecords: CNAME chains in the answer section', () => {
  const chain = (n: number, loopTo?: number): DnsRecord[] => {
    const records: DnsRecord[] = [];
    for (let i = 0; i < n; i++) records.push({ type: 'CNAME', name: `c${i}.example`, ttl: 60, target: `c${i + 1}.example` });
    if (loopTo !== undefined) records.push({ type: 'CNAME', name: `c${n}.example`, ttl: 60, target: `c${loopTo}.example` });
    else records.push({ type: 'TXT', name: `c${n}.example`, ttl: 60, strings: ['v=STSv1; id=1'], text: 'v=STSv1; id=1' });
    return records;
  };

  it.each([
    ['RFC 8461 §3.1: follows one CNAME to the TXT record', 1],
    ['RFC 1034 §3.6.2: follows a chain of 8 CNAMEs', 8],
  ])('%s', (_title, n) => {
    const result = extractRecords(chain(n), 'c0.example', 'TXT');
    expect(result.ok && { records: result.records.length, chain: result.cnameChain.length }).toEqual({ records: 1, chain: n });
  });

  it.each([
    ['RFC 1034 §3.6.2: a chain of 9 CNAMEs is refused', chain(9), 'cname-loop'],
    ['RFC 1034 §3.6.2: a CNAME loop is refused', chain(3, 1), 'cname-loop'],
    ['RFC 1034 §3.6.2: a CNAME to itself is refused', chain(0, 0), 'cname-loop'],
    [
      'RFC 2181 §10.1: two CNAMEs at one name are malformed',
      [
        { type: 'CNAME', name: 'c0.example', ttl: 1, target: 'x.example' },
        { type: 'CNAME', name: 'c0.example', ttl: 1, target: 'y.example' },
      ] satisfies DnsRecord[],
      'malformed',
    ],
  ])('%s', (_title, records, kind) => {
    expect(extractRecords(records, 'c0.example', 'TXT')).toMatchObject({ ok: false, kind });
  });

  it('RFC 1034 §3.6.2: a dangling CNAME gives no records but keeps the chain', () => {
    const records: DnsRecord[] = [{ type: 'CNAME', name: 'c0.example', ttl: 1, target: 'gone.example' }];
    expect(extractRecords(records, 'c0.example', 'TXT')).toEqual({ ok: true, records: [], cnameChain: records });
  });

  it('RFC 1034 §3.6.2: asking for CNAME itself does not follow it', () => {
    const records: DnsRecord[] = [{ type: 'CNAME', name: 'c0.example', ttl: 1, target: 'x.example' }];
    expect(extractRecords(records, 'c0.example', 'CNAME')).toEqual({ ok: true, records, cnameChain: [] });
  });

  it('ignores records of the asked type owned by other names', () => {
    const records: DnsRecord[] = [{ type: 'A', name: 'other.example', ttl: 1, address: '192.0.2.1' }];
    expect(extractRecords(records, 'a.example', 'A')).toEqual({ ok: true, records: [], cnameChain: [] });
  });

  it(`caps an answer at ${MAX_RECORDS_PER_ANSWER} records and says so`, () => {
    const answers = Array.from({ length: 3000 }, (_, i) => rr.txt('big.example', [`r${i}`]));
    const bytes = buildResponse({ name: 'big.example', type: 'TXT', answers });
    const response = decodeOk(decodeResponse(bytes, { name: 'big.example', type: 'TXT' }));
    const result = extractRecords(response.answers, 'big.example', 'TXT');
    expect(result.ok && { kept: result.records.length, capped: result.capped }).toEqual({
      kept: MAX_RECORDS_PER_ANSWER,
      capped: { kept: MAX_RECORDS_PER_ANSWER, total: 3000 },
    });
  });
});

export { latin1Bytes };
