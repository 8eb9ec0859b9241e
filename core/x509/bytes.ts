// Byte helpers without Buffer (core/ is platform-free): base64, hex, comparison, WebCrypto digests.

/** Decode standard base64; invalid input gives undefined. */
export function base64ToBytes(b64: string): Uint8Array | undefined {
  if (typeof b64 !== 'string') return undefined;
  try {
    const bin = atob(b64);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  } catch {
    return undefined;
  }
}

export function bytesToHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** Even-length hex (either case) to bytes; anything else gives undefined. */
export function hexToBytes(hex: string): Uint8Array | undefined {
  if (typeof hex !== 'string' || hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) return undefined;
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export type DigestName = 'SHA-256' | 'SHA-512';

/** Lower-case hex digest via WebCrypto (TLSA matching types 1 and 2, RFC 6698 §2.1.3). */
export async function digestHex(algorithm: DigestName, bytes: Uint8Array): Promise<string> {
  // Copy into a fresh ArrayBuffer: subtle.digest wants a BufferSource, not a view of a SharedArrayBuffer.
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  const digest = await crypto.subtle.digest(algorithm, copy.buffer);
  return bytesToHex(new Uint8Array(digest));
}
