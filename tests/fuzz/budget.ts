// Shared knobs of the fuzz suite. Every target runs with a fixed seed (printed in its test
// name) so a failure reproduces exactly; FUZZ_SEED replaces every seed and FUZZ_SCALE
// multiplies every run count for longer local campaigns (`FUZZ_SCALE=20 npx vitest run tests/fuzz`).

const scale = Number(process.env['FUZZ_SCALE'] ?? '1');
const seedOverride = process.env['FUZZ_SEED'];

/** The seed of one target: its own constant unless FUZZ_SEED is set. */
export function fuzzSeed(own: number): number {
  const forced = seedOverride === undefined ? Number.NaN : Number(seedOverride);
  return Number.isInteger(forced) ? forced : own;
}

/** A run count scaled by FUZZ_SCALE (at least 1). */
export function fuzzRuns(base: number): number {
  return Math.max(1, Math.round(base * (Number.isFinite(scale) && scale > 0 ? scale : 1)));
}

/** fast-check parameters for one property; `endOnFailure` keeps a failing campaign short. */
export function fcParams(seed: number, numRuns: number): { seed: number; numRuns: number; endOnFailure: true } {
  return { seed, numRuns, endOnFailure: true };
}

/**
 * Counts what the generated inputs made the code under test do, so each property can assert
 * that it reached the outcomes it targets and cannot pass vacuously.
 */
export class Tally {
  readonly #counts = new Map<string, number>();
  hit(key: string, by = 1): void {
    this.#counts.set(key, (this.#counts.get(key) ?? 0) + by);
  }
  get(key: string): number {
    return this.#counts.get(key) ?? 0;
  }
  keys(): string[] {
    return [...this.#counts.keys()].sort();
  }
  /** The keys (sorted) whose count is below `min`: `expect(t.missing([...], 5)).toEqual([])`. */
  missing(keys: readonly string[], min = 1): string[] {
    return keys.filter((k) => this.get(k) < min);
  }
}

/** Inserts `piece` at `at` (clamped) in `text`. */
export function insertAt(text: string, at: number, piece: string): string {
  const i = Math.min(Math.max(0, at), text.length);
  return text.slice(0, i) + piece + text.slice(i);
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
