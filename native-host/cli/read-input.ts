// Reads a file or standard input with a size cap; failures are usage errors naming the input.
import { open } from 'node:fs/promises';
import { UsageError } from './io.ts';

export const MAX_INPUT_BYTES = 1024 * 1024;

export async function readInput(path: string, stdin: AsyncIterable<Uint8Array | string>, command: string): Promise<Uint8Array> {
  if (path === '-') return readStream(stdin, command);
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (e) {
    throw new UsageError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, command);
  }
  try {
    const buf = new Uint8Array(MAX_INPUT_BYTES + 1);
    let filled = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buf, filled, buf.length - filled, null);
      if (bytesRead === 0) break;
      filled += bytesRead;
      if (filled > MAX_INPUT_BYTES) throw new UsageError(`${path} is larger than ${MAX_INPUT_BYTES} bytes: not a policy file`, command);
    }
    return buf.slice(0, filled);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`cannot read ${path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, command);
  } finally {
    await handle.close();
  }
}

async function readStream(stdin: AsyncIterable<Uint8Array | string>, command: string): Promise<Uint8Array> {
  const parts: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of stdin) {
    const bytes = typeof chunk === 'string' ? new TextEncoder().encode(chunk) : chunk;
    total += bytes.length;
    if (total > MAX_INPUT_BYTES) throw new UsageError(`standard input is larger than ${MAX_INPUT_BYTES} bytes: not a policy file`, command);
    parts.push(bytes);
  }
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
