// Bytes of a dropped file to JSON text: gzip (RFC 1952, magic 1f 8b, as RFC 8460 §5.2 recommends
// senders compress) through the web DecompressionStream, with a hard bound on the output so a
// gzip bomb is refused instead of filling memory; then strict UTF-8 (RFC 8460 §4: I-JSON).

/** Refuse bigger files outright (compressed or not). */
export const MAX_INPUT_BYTES = 10 * 1024 * 1024;
/** "A commonly observed receiver limit is ten megabytes" (RFC 8460 §5.2): the same bound after inflating. */
export const MAX_JSON_BYTES = 10 * 1024 * 1024;

export type Decoded<T> = { ok: true; value: T } | { ok: false; message: string };

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(n % (1024 * 1024) === 0 ? 0 : 1)} MiB`;

/** Inflate gzip, stopping as soon as the output would exceed `maxOutput` bytes. */
export async function gunzipBounded(bytes: Uint8Array, maxOutput = MAX_JSON_BYTES): Promise<Decoded<Uint8Array>> {
  if (typeof DecompressionStream === 'undefined') return { ok: false, message: 'This environment cannot decompress gzip (no DecompressionStream).' };
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  const source = new ReadableStream<Uint8Array<ArrayBuffer>>({
    start(controller) {
      controller.enqueue(copy);
      controller.close();
    },
  });
  let reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    reader = source.pipeThrough(new DecompressionStream('gzip')).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      if (total > maxOutput) {
        await reader.cancel().catch(() => undefined);
        return { ok: false, message: `The gzip file inflates to more than ${mib(maxOutput)}: refused (a TLSRPT report is far smaller; this looks like a decompression bomb).` };
      }
      chunks.push(value);
    }
  } catch (e) {
    await reader?.cancel().catch(() => undefined);
    return { ok: false, message: `The file starts like gzip but is not valid gzip (RFC 1952): ${e instanceof Error ? e.message : String(e)}.` };
  }
  const out = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.length;
  }
  return { ok: true, value: out };
}

/** Strict UTF-8; a leading byte-order mark is dropped and reported. */
export function utf8Text(bytes: Uint8Array): Decoded<{ text: string; bom: boolean }> {
  const bom = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bom ? bytes.subarray(3) : bytes);
    return { ok: true, value: { text, bom } };
  } catch {
    return { ok: false, message: 'The report is not valid UTF-8 (RFC 8460 §4: reports are I-JSON, RFC 7493).' };
  }
}
