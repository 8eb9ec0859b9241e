// Fuzzing the native-messaging frame decoder (native-host/messaging/framing.ts): streams of
// valid frames, frames with lying lengths, invalid UTF-8 and invalid JSON bodies, lengths of
// 0, 1, the caps, 2^31 and 2^32-1, and random bytes, each cut into random chunks. The streaming
// decoder must never throw and must agree with a whole-buffer reference model of the documented
// resynchronisation policy (native-host/PROTOCOL.md), whatever the chunking.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameDecoder, SKIP_LIMIT_BYTES, encodeFrame, lengthHeader, type Decoded } from '../../native-host/messaging/framing.ts';
import { MAX_MESSAGE_BYTES } from '../../core/protocol/helper.ts';
import { concatBytes, fcParams, fuzzRuns, fuzzSeed, Tally } from './budget.ts';

const SEED = fuzzSeed(0xf4a3);
const RUNS = fuzzRuns(6_000);
// Small caps so that every branch (ok, too-large skip, stream-corrupt) is cheap to reach.
const MAX = 64;
const SKIP = 512;

type Outcome = { ok: true; value: unknown } | { ok: false; error: string; byteLength?: number };

/** The decoding policy on a whole buffer: frames up to MAX parsed, up to SKIP skipped, beyond: stop. */
function model(bytes: Uint8Array, max: number, skip: number): Outcome[] {
  const out: Outcome[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  while (pos < bytes.length) {
    if (bytes.length - pos < 4) {
      out.push({ ok: false, error: 'truncated' });
      break;
    }
    const length = view.getUint32(pos, true);
    pos += 4;
    if (length === 0) {
      out.push({ ok: false, error: 'bad-json', byteLength: 0 });
    } else if (length <= max) {
      if (pos + length > bytes.length) {
        out.push({ ok: false, error: 'truncated', byteLength: length });
        break;
      }
      const body = bytes.subarray(pos, pos + length);
      pos += length;
      let value: unknown;
      try {
        value = JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(body));
      } catch {
        out.push({ ok: false, error: 'bad-json', byteLength: length });
        continue;
      }
      out.push({ ok: true, value });
    } else if (length <= skip) {
      out.push({ ok: false, error: 'too-large', byteLength: length });
      pos += length;
    } else {
      out.push({ ok: false, error: 'stream-corrupt', byteLength: length });
      break;
    }
  }
  return out;
}

function decodeChunked(bytes: Uint8Array, cuts: number[], decoder: FrameDecoder): Decoded[] {
  const out: Decoded[] = [];
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  let from = 0;
  for (const p of [...points, bytes.length]) {
    out.push(...decoder.push(bytes.subarray(from, p)));
    from = p;
  }
  out.push(...decoder.end());
  return out;
}

const summary = (ds: Decoded[]): Outcome[] =>
  ds.map((d) => (d.ok ? { ok: true, value: d.value } : d.byteLength === undefined ? { ok: false, error: d.error } : { ok: false, error: d.error, byteLength: d.byteLength }));

const enc = new TextEncoder();
const json = fc.oneof(fc.constant({ type: 'hello' }), fc.constant({ type: 'probe-mx', id: 'x', host: 'mx.example', addresses: ['::ffff:127.0.0.1'], port: 22 }), fc.jsonValue({ maxDepth: 2 }));
const validFrame = json.map((v) => {
  const e = encodeFrame(v, SKIP);
  return e.ok ? e.frame : new Uint8Array(0);
});
const rawFrame = fc
  .tuple(
    fc.oneof(fc.integer({ min: 0, max: MAX + 8 }), fc.constantFrom(0, 1, 2, MAX, MAX + 1, SKIP, SKIP + 1, 2 ** 31, 2 ** 32 - 1)),
    fc.oneof(fc.uint8Array({ maxLength: 80 }), fc.constantFrom('{"type":"hello"', 'null', '[1,2', '\uFEFF{}', '{"a":1}{"b":2}').map((t) => enc.encode(t)), fc.constant(Uint8Array.of(0xc0, 0x80, 0xff))),
  )
  .map(([length, body]) => concatBytes([lengthHeader(length), body.subarray(0, Math.min(body.length, length))]));
const segment = fc.oneof({ weight: 4, arbitrary: validFrame }, { weight: 3, arbitrary: rawFrame }, { weight: 1, arbitrary: fc.uint8Array({ maxLength: 12 }) });
const stream = fc.array(segment, { maxLength: 8 }).map((parts) => concatBytes(parts));
const cuts = fc.array(fc.nat(), { maxLength: 10 });

describe(`fuzz FrameDecoder (native messaging), seed ${SEED}, ${RUNS} runs`, () => {
  it(`never throws and agrees with the reference model under any chunking (seed ${SEED})`, () => {
    const tally = new Tally();
    fc.assert(
      fc.property(stream, cuts, (bytes, cutPoints) => {
        const decoder = new FrameDecoder({ maxBytes: MAX, skipLimitBytes: SKIP });
        const got = decodeChunked(bytes, cutPoints, decoder);
        const expected = model(bytes, MAX, SKIP);
        expect(summary(got)).toEqual(expected);
        // Bounded: at most one result per 4-byte header, plus one for a truncated tail.
        expect(got.length).toBeLessThanOrEqual(Math.floor(bytes.length / 4) + 1);
        const corrupt = got.findIndex((d) => !d.ok && d.error === 'stream-corrupt');
        if (corrupt !== -1) expect(corrupt).toBe(got.length - 1);
        expect(decoder.closed).toBe(true); // end() closes
        for (const d of got) {
          tally.hit(d.ok ? 'ok' : d.error);
          if (d.ok) expect(d.byteLength).toBeLessThanOrEqual(MAX);
        }
      }),
      fcParams(SEED, RUNS),
    );
    expect(tally.missing(['ok', 'bad-json', 'too-large', 'stream-corrupt', 'truncated'], 100)).toEqual([]);
  });

  it(`a stream of valid frames decodes to the same values whatever the chunking (seed ${SEED + 1})`, () => {
    let frames = 0;
    fc.assert(
      fc.property(fc.array(fc.jsonValue({ maxDepth: 3 }), { minLength: 1, maxLength: 6 }), cuts, (values, cutPoints) => {
        const encoded = values.map((v) => encodeFrame(v));
        for (const e of encoded) expect(e.ok).toBe(true);
        const bytes = concatBytes(encoded.map((e) => (e.ok ? e.frame : new Uint8Array(0))));
        const got = decodeChunked(bytes, cutPoints, new FrameDecoder());
        // JSON round trip: -0 becomes 0 and the like, so compare with what JSON gives back.
        expect(got).toEqual(values.map((v) => expect.objectContaining({ ok: true, value: JSON.parse(JSON.stringify(v)) as unknown })));
        frames += got.length;
      }),
      fcParams(SEED + 1, Math.round(RUNS / 2)),
    );
    expect(frames).toBeGreaterThan(RUNS / 2);
  });

  it.each([
    ['0', 'bad-json', 0, Uint8Array.of()],
    ['1, with nothing after it', 'truncated', 1, Uint8Array.of()],
    ['2, with one byte after it', 'truncated', 2, Uint8Array.of(0x7b)],
    ['the 1 MiB cap + 1 (skipped)', 'too-large', MAX_MESSAGE_BYTES + 1, Uint8Array.of(0x7b)],
    ['the 64 MiB skip limit (skipped)', 'too-large', SKIP_LIMIT_BYTES, Uint8Array.of(0x7b)],
    ['2^31', 'stream-corrupt', 2 ** 31, Uint8Array.of(0x7b)],
    ['2^32 - 1', 'stream-corrupt', 2 ** 32 - 1, Uint8Array.of(0x7b)],
  ])('default limits: a length of %s gives %s, without buffering the announced size', (_name, error, length, tail) => {
    const d = new FrameDecoder();
    const all = [...d.push(lengthHeader(length)), ...d.push(tail), ...d.end()];
    expect(all.map((x) => (x.ok ? 'ok' : x.error))).toEqual([error]);
  });

  it('after a corrupt length nothing more is decoded, even a valid frame', () => {
    const d = new FrameDecoder();
    const good = encodeFrame({ type: 'hello' });
    expect(good.ok).toBe(true);
    const out = d.push(concatBytes([lengthHeader(2 ** 32 - 1), good.ok ? good.frame : new Uint8Array(0)]));
    expect(out.map((x) => (x.ok ? 'ok' : x.error))).toEqual(['stream-corrupt']);
    expect(d.closed).toBe(true);
    expect(d.push(good.ok ? good.frame : new Uint8Array(0))).toEqual([]);
  });
});
