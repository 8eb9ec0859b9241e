// Chrome/Firefox native-messaging frames: a 32-bit length in native byte order, then that many
// BYTES of UTF-8 JSON. Every platform we ship (x86-64, arm64) is little-endian, so the length is
// read and written little-endian explicitly rather than trusting os.endianness() at run time.
//
// Resynchronisation policy (documented in native-host/PROTOCOL.md):
// - A frame longer than the 1 MiB cap but no longer than SKIP_LIMIT_BYTES is skipped byte for byte
//   without being buffered, reported once as `too-large`, and decoding resumes at the next header:
//   a browser that sent an honest, merely too big, message leaves the stream in sync.
// - A length above SKIP_LIMIT_BYTES (e.g. 2^31, 2^32−1) cannot come from a browser (Chromium caps
//   messages to a host at 64 MiB), so the stream is corrupt: the decoder reports `stream-corrupt`,
//   closes, and ignores everything after. The helper answers `too-large` and exits.
import { MAX_MESSAGE_BYTES } from '../../core/protocol/helper.ts';

/** The largest frame we skip over to stay in sync; anything longer means the stream is garbage. */
export const SKIP_LIMIT_BYTES = 64 * 1024 * 1024;
const HEADER_BYTES = 4;

export type FrameErrorKind = 'bad-json' | 'too-large' | 'stream-corrupt' | 'truncated';

export type Decoded =
  | { ok: true; value: unknown; byteLength: number }
  | { ok: false; error: FrameErrorKind; message: string; byteLength?: number };

export interface FrameDecoderOptions {
  maxBytes?: number;
  skipLimitBytes?: number;
}

type State =
  | { mode: 'header'; header: Uint8Array; filled: number }
  | { mode: 'body'; body: Uint8Array; filled: number }
  | { mode: 'skip'; remaining: number }
  | { mode: 'closed' };

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Streaming decoder. `push` and `end` never throw; every outcome is a value. */
export class FrameDecoder {
  readonly #maxBytes: number;
  readonly #skipLimit: number;
  #state: State = { mode: 'header', header: new Uint8Array(HEADER_BYTES), filled: 0 };

  constructor(options: FrameDecoderOptions = {}) {
    this.#maxBytes = options.maxBytes ?? MAX_MESSAGE_BYTES;
    this.#skipLimit = Math.max(this.#maxBytes, options.skipLimitBytes ?? SKIP_LIMIT_BYTES);
  }

  /** True once the stream was judged corrupt: nothing more will be decoded. */
  get closed(): boolean {
    return this.#state.mode === 'closed';
  }

  push(chunk: Uint8Array): Decoded[] {
    const out: Decoded[] = [];
    let pos = 0;
    while (pos < chunk.length) {
      const s = this.#state;
      if (s.mode === 'closed') break;
      if (s.mode === 'skip') {
        const n = Math.min(s.remaining, chunk.length - pos);
        pos += n;
        s.remaining -= n;
        if (s.remaining === 0) this.#expectHeader();
        continue;
      }
      if (s.mode === 'header') {
        const n = Math.min(HEADER_BYTES - s.filled, chunk.length - pos);
        s.header.set(chunk.subarray(pos, pos + n), s.filled);
        s.filled += n;
        pos += n;
        if (s.filled === HEADER_BYTES) this.#onHeader(s.header, out);
        continue;
      }
      const n = Math.min(s.body.length - s.filled, chunk.length - pos);
      s.body.set(chunk.subarray(pos, pos + n), s.filled);
      s.filled += n;
      pos += n;
      if (s.filled === s.body.length) {
        out.push(parseBody(s.body));
        this.#expectHeader();
      }
    }
    return out;
  }

  /** The input ended: say so if it stopped inside a frame. */
  end(): Decoded[] {
    const s = this.#state;
    let result: Decoded[] = [];
    if (s.mode === 'header' && s.filled > 0) {
      result = [{ ok: false, error: 'truncated', message: `the input ended inside a frame header (${s.filled} of 4 bytes)` }];
    } else if (s.mode === 'body') {
      result = [
        {
          ok: false,
          error: 'truncated',
          message: `the input ended after ${s.filled} of the ${s.body.length} bytes the frame announced`,
          byteLength: s.body.length,
        },
      ];
    }
    this.#state = { mode: 'closed' };
    return result;
  }

  #expectHeader(): void {
    this.#state = { mode: 'header', header: new Uint8Array(HEADER_BYTES), filled: 0 };
  }

  #onHeader(header: Uint8Array, out: Decoded[]): void {
    const length = new DataView(header.buffer, header.byteOffset, HEADER_BYTES).getUint32(0, true);
    if (length <= this.#maxBytes) {
      if (length === 0) {
        out.push({ ok: false, error: 'bad-json', message: 'an empty frame (length 0) is not JSON', byteLength: 0 });
        this.#expectHeader();
      } else {
        this.#state = { mode: 'body', body: new Uint8Array(length), filled: 0 };
      }
      return;
    }
    if (length <= this.#skipLimit) {
      out.push({
        ok: false,
        error: 'too-large',
        message: `a frame of ${length} bytes is over the ${this.#maxBytes}-byte limit; it was skipped`,
        byteLength: length,
      });
      this.#state = { mode: 'skip', remaining: length };
      return;
    }
    out.push({
      ok: false,
      error: 'stream-corrupt',
      message: `a frame length of ${length} bytes cannot come from a browser; the input is not trusted any more`,
      byteLength: length,
    });
    this.#state = { mode: 'closed' };
  }
}

function parseBody(body: Uint8Array): Decoded {
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    return { ok: false, error: 'bad-json', message: 'the frame is not valid UTF-8', byteLength: body.length };
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown, byteLength: body.length };
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return { ok: false, error: 'bad-json', message: `the frame is not JSON: ${why.slice(0, 200)}`, byteLength: body.length };
  }
}

export type Encoded =
  | { ok: true; frame: Uint8Array }
  | { ok: false; error: 'too-large' | 'not-serialisable'; message: string; byteLength?: number };

const utf8Encoder = new TextEncoder();

/** JSON + length prefix. Refuses (as a value) anything over the cap so the caller can send `too-large`. */
export function encodeFrame(message: unknown, maxBytes: number = MAX_MESSAGE_BYTES): Encoded {
  let json: string | undefined;
  try {
    json = JSON.stringify(message);
  } catch (e) {
    return { ok: false, error: 'not-serialisable', message: e instanceof Error ? e.message : String(e) };
  }
  if (json === undefined) return { ok: false, error: 'not-serialisable', message: 'the value has no JSON form' };
  const body = utf8Encoder.encode(json);
  if (body.length > maxBytes) {
    return {
      ok: false,
      error: 'too-large',
      message: `the message is ${body.length} bytes, over the ${maxBytes}-byte limit`,
      byteLength: body.length,
    };
  }
  const frame = new Uint8Array(HEADER_BYTES + body.length);
  new DataView(frame.buffer).setUint32(0, body.length, true);
  frame.set(body, HEADER_BYTES);
  return { ok: true, frame };
}

/** A raw length header, for tests and for writing hand-made frames. */
export function lengthHeader(length: number): Uint8Array {
  const h = new Uint8Array(HEADER_BYTES);
  new DataView(h.buffer).setUint32(0, length >>> 0, true);
  return h;
}
