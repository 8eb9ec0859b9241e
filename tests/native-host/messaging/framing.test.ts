import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { FrameDecoder, SKIP_LIMIT_BYTES, encodeFrame, lengthHeader, type Decoded } from '../../../native-host/messaging/framing.ts';
import { MAX_MESSAGE_BYTES } from '../../../core/protocol/helper.ts';

const enc = new TextEncoder();
function raw(length: number, body: string | Uint8Array = ''): Uint8Array {
  const b = typeof body === 'string' ? enc.encode(body) : body;
  const out = new Uint8Array(4 + b.length);
  out.set(lengthHeader(length));
  out.set(b, 4);
  return out;
}
function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
function frameOf(v: unknown): Uint8Array {
  const e = encodeFrame(v);
  if (!e.ok) throw new Error(e.message);
  return e.frame;
}
function decodeAll(input: Uint8Array, chunkSizes: number[] = [input.length]): Decoded[] {
  const d = new FrameDecoder();
  const out: Decoded[] = [];
  let pos = 0;
  for (const size of chunkSizes) {
    out.push(...d.push(input.subarray(pos, pos + size)));
    pos += size;
  }
  if (pos < input.length) out.push(...d.push(input.subarray(pos)));
  out.push(...d.end());
  return out;
}
const summary = (ds: Decoded[]) => ds.map((d) => (d.ok ? { value: d.value } : { error: d.error }));

describe('native messaging framing: decoder', () => {
  it.each<[string, Uint8Array, ReturnType<typeof summary>]>([
    ['one frame', frameOf({ type: 'hello' }), [{ value: { type: 'hello' } }]],
    ['two frames in one chunk', concat(frameOf(1), frameOf('two')), [{ value: 1 }, { value: 'two' }]],
    ['length 0 is an empty, non-JSON frame; the next frame still decodes', concat(raw(0), frameOf(true)), [{ error: 'bad-json' }, { value: true }]],
    ['length 1 holding a one-byte JSON value', raw(1, '7'), [{ value: 7 }]],
    ['invalid JSON is an error value, then decoding goes on', concat(raw(5, '{oops'), frameOf(null)), [{ error: 'bad-json' }, { value: null }]],
    ['invalid UTF-8 is bad-json', raw(2, new Uint8Array([0x22, 0xff])), [{ error: 'bad-json' }]],
    ['a length larger than what follows is truncated at end of input', raw(100, '{"a":1}'), [{ error: 'truncated' }]],
    ['a header cut short is truncated at end of input', new Uint8Array([5, 0]), [{ error: 'truncated' }]],
    ['length 2^31 closes the stream as corrupt', concat(raw(2 ** 31), frameOf(1)), [{ error: 'stream-corrupt' }]],
    ['length 2^32−1 closes the stream as corrupt', concat(raw(2 ** 32 - 1), frameOf(1)), [{ error: 'stream-corrupt' }]],
    [
      'one byte over 1 MiB is skipped and the stream stays in sync',
      concat(raw(MAX_MESSAGE_BYTES + 1, new Uint8Array(MAX_MESSAGE_BYTES + 1).fill(0x20)), frameOf({ after: 1 })),
      [{ error: 'too-large' }, { value: { after: 1 } }],
    ],
    ['exactly 1 MiB is accepted', raw(MAX_MESSAGE_BYTES, `"${'x'.repeat(MAX_MESSAGE_BYTES - 2)}"`), [{ value: 'x'.repeat(MAX_MESSAGE_BYTES - 2) }]],
  ])('%s', (_name, input, expected) => {
    expect(summary(decodeAll(input))).toEqual(expected);
  });

  it('counts lengths in UTF-8 bytes, not UTF-16 characters', () => {
    const f = frameOf('é€😀');
    expect(new DataView(f.buffer).getUint32(0, true)).toBe(enc.encode('"é€😀"').length);
    expect(summary(decodeAll(f, [1, 1, 1, 1, 1, 1, 1]))).toEqual([{ value: 'é€😀' }]);
  });

  it('writes the length little-endian', () => {
    expect(Array.from(frameOf('ab').subarray(0, 4))).toEqual([4, 0, 0, 0]);
  });

  it('a skipped oversize frame split across many chunks resumes at the next header', () => {
    const big = raw(MAX_MESSAGE_BYTES + 10, new Uint8Array(MAX_MESSAGE_BYTES + 10));
    const input = concat(big, frameOf('next'));
    expect(summary(decodeAll(input, [3, 1000, 500_000, 600_000, 7]))).toEqual([{ error: 'too-large' }, { value: 'next' }]);
  });

  it('ignores everything after a corrupt length', () => {
    const d = new FrameDecoder();
    d.push(raw(SKIP_LIMIT_BYTES + 1));
    expect(d.closed).toBe(true);
    expect(d.push(frameOf('ignored'))).toEqual([]);
  });

  it('never throws and always makes progress on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 20 }), (chunks) => {
        const d = new FrameDecoder({ maxBytes: 32, skipLimitBytes: 256 });
        const out = chunks.flatMap((c) => d.push(c));
        out.push(...d.end());
        for (const r of out) expect(typeof r.ok).toBe('boolean');
      }),
    );
  });

  it('random chunking of random frame sequences decodes to the same messages', () => {
    let frames = 0;
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue({ maxDepth: 3 }), { minLength: 1, maxLength: 8 }),
        fc.array(fc.integer({ min: 1, max: 40 }), { maxLength: 50 }),
        (values, sizes) => {
          const input = concat(...values.map(frameOf));
          const out = decodeAll(input, sizes);
          frames += out.length;
          // JSON round trip normalises -0 to 0, as the browser would.
          expect(out).toEqual(values.map((v) => expect.objectContaining({ ok: true, value: JSON.parse(JSON.stringify(v)) })));
        },
      ),
    );
    // The property reached the decoder: it produced frames, so it cannot pass vacuously.
    expect(frames).toBeGreaterThan(0);
  });
});

describe('native messaging framing: encoder', () => {
  it.each<[string, unknown, string]>([
    ['over 1 MiB of UTF-8 (counted in bytes: 2 per é)', 'é'.repeat(MAX_MESSAGE_BYTES / 2), 'too-large'],
    ['a circular value', (() => { const o: Record<string, unknown> = {}; o.self = o; return o; })(), 'not-serialisable'],
    ['undefined', undefined, 'not-serialisable'],
    ['a BigInt', 10n, 'not-serialisable'],
  ])('refuses %s as a value', (_name, value, error) => {
    const e = encodeFrame(value);
    expect(e.ok ? 'ok' : e.error).toBe(error);
  });

  it('accepts a message of exactly the cap', () => {
    const e = encodeFrame('a'.repeat(MAX_MESSAGE_BYTES - 2));
    expect(e.ok && e.frame.length).toBe(MAX_MESSAGE_BYTES + 4);
  });
});
