// Reads a file or standard input with a size cap. `readBounded` gives a value (the report command
// goes on with the next file); `readInput` turns failures into usage errors naming the input.
import { open } from 'node:fs/promises';
import { UsageError } from './io.ts';

export const MAX_INPUT_BYTES = 1024 * 1024;

export type ReadOutcome = { ok: true; bytes: Uint8Array } | { ok: false; reason: 'too-big' } | { ok: false; reason: 'error'; code: string };

export async function readInput(path: string, stdin: AsyncIterable<Uint8Array | string>, command: string): Promise<Uint8Array> {
  const r = await readBounded(path, stdin, MAX_INPUT_BYTES);
  if (r.ok) return r.bytes;
  const what = path === '-' ? 'standard input' : path;
  if (r.reason === 'too-big') throw new UsageError(`${what} is larger than ${MAX_INPUT_BYTES} bytes: not a policy file`, command);
  throw new UsageError(`cannot read ${path}: ${r.code}`, command);
}

/** At most `maxBytes` of a file (`-`: standard input); one byte more is `too-big`, never read further. */
export async function readBounded(path: string, stdin: AsyncIterable<Uint8Array | string>, maxBytes: number): Promise<ReadOutcome> {
  if (path === '-') return readStream(stdin, maxBytes);
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    return { ok: false, reason: 'error', code: errorCode(e) };
  }
  try {
    const buf = new Uint8Array(maxBytes + 1);
    let filled = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buf, filled, buf.length - filled, null);
      if (bytesRead === 0) break;
      filled += bytesRead;
      if (filled > maxBytes) return { ok: false, reason: 'too-big' };
    }
    return { ok: true, bytes: buf.slice(0, filled) };
  } catch (e) {
    return { ok: false, reason: 'error', code: errorCode(e) };
  } finally {
    await handle.close();
  }
}

function errorCode(e: unknown): string {
  return (e as NodeJS.ErrnoException).code ?? String(e);
}

async function readStream(stdin: AsyncIterable<Uint8Array | string>, maxBytes: number): Promise<ReadOutcome> {
  const parts: Uint8Array[] = [];
  let total = 0;
  try {
    for await (const chunk of stdin) {
      const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
      total += bytes.length;
      if (total > maxBytes) return { ok: false, reason: 'too-big' };
      parts.push(bytes);
    }
  } catch (e) {
    return { ok: false, reason: 'error', code: errorCode(e) };
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return { ok: true, bytes: out };
}
