import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_LINE_BYTES, MAX_REPLY_LINES, SmtpReplyParser } from '../../../native-host/probe/smtp-reader.ts';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

function parseAll(text: string): ReturnType<SmtpReplyParser['next']>[] {
  const parser = new SmtpReplyParser();
  parser.push(enc(text));
  const out: ReturnType<SmtpReplyParser['next']>[] = [];
  for (let step = parser.next(); step; step = parser.next()) {
    out.push(step);
    if ('error' in step) break;
  }
  return out;
}

describe('SmtpReplyParser', () => {
  it.each([
    ['a one-line reply', '220 mx.example ESMTP\r\n', [{ reply: { code: 220, lines: ['mx.example ESMTP'] } }]],
    ['a multi-line reply', '250-mx.example\r\n250-STARTTLS\r\n250 8BITMIME\r\n', [{ reply: { code: 250, lines: ['mx.example', 'STARTTLS', '8BITMIME'] } }]],
    ['a bare code', '250\r\n', [{ reply: { code: 250, lines: [''] } }]],
    ['two replies in one chunk', '220 hi\r\n250 ok\r\n', [{ reply: { code: 220, lines: ['hi'] } }, { reply: { code: 250, lines: ['ok'] } }]],
    ['a bare LF is tolerated', '220 hi\n', [{ reply: { code: 220, lines: ['hi'] } }]],
    ['an incomplete reply waits for more', '250-first\r\n250-second', []],
  ])('RFC 5321 §4.2: reads %s', (_name, text, expected) => {
    expect(parseAll(text)).toEqual(expected);
  });

  it.each([
    ['garbage instead of a reply', 'HTTP/1.1 400 Bad Request\r\n', /not an SMTP reply/],
    ['a code out of range', '999 what\r\n', /not an SMTP reply/],
    ['a bad separator', '250_x\r\n', /not an SMTP reply/],
    ['different codes in one reply', '250-a\r\n251 b\r\n', /different codes/],
    ['a line over the limit', `220 ${'x'.repeat(MAX_LINE_BYTES)}\r\n`, /at most 2048/],
    ['a line that never ends', `220 ${'x'.repeat(MAX_LINE_BYTES + 10)}`, /no end/],
    ['more than 200 lines', '250-x\r\n'.repeat(MAX_REPLY_LINES + 5) + '250 end\r\n', /more than 200 lines/],
  ])('RFC 5321 §4.2 / §4.5.3.1.5: %s is a protocol error', (_name, text, pattern) => {
    const steps = parseAll(text);
    const last = steps[steps.length - 1];
    expect(last && 'error' in last ? last.error : '').toMatch(pattern);
  });

  it('a flood with nobody reading is cut off instead of buffered', () => {
    const parser = new SmtpReplyParser();
    for (let i = 0; i < 300; i++) parser.push(new Uint8Array(2048).fill(0x41));
    expect(parser.next()).toEqual({ error: expect.stringMatching(/without a complete reply/) });
  });

  it('RFC 5321 §4.2: any chunking of a valid conversation gives the same replies', () => {
    const reply = fc.record({
      code: fc.integer({ min: 200, max: 599 }),
      lines: fc.array(fc.stringMatching(/^[ -~]{0,40}$/), { minLength: 1, maxLength: 6 }),
    });
    fc.assert(
      fc.property(fc.array(reply, { minLength: 1, maxLength: 4 }), fc.array(fc.integer({ min: 1, max: 17 }), { minLength: 1 }), (replies, cuts) => {
        const text = replies
          .map((r) => r.lines.map((l, i) => `${r.code}${i === r.lines.length - 1 ? ' ' : '-'}${l}\r\n`).join(''))
          .join('');
        const bytes = enc(text);
        const parser = new SmtpReplyParser();
        const got: unknown[] = [];
        let offset = 0;
        let cut = 0;
        while (offset < bytes.length) {
          const size = cuts[cut++ % cuts.length] ?? 1;
          parser.push(bytes.subarray(offset, offset + size));
          offset += size;
          for (let s = parser.next(); s; s = parser.next()) got.push(s);
        }
        expect(got).toEqual(replies.map((r) => ({ reply: r })));
      }),
    );
  });

  it('never throws on arbitrary bytes, and keeps its buffer bounded', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 20 }), (chunks) => {
        const parser = new SmtpReplyParser();
        for (const c of chunks) {
          parser.push(c);
          for (let i = 0, s = parser.next(); s && i < 500; i++, s = parser.next()) if ('error' in s) break;
        }
        expect(parser.buffered).toBeLessThanOrEqual(MAX_REPLY_LINES * (MAX_LINE_BYTES + 2));
      }),
    );
  });
});
