// Results printed in input order as soon as they and every earlier one are done, with a bound on
// how many finished results may wait for a slower earlier one (bulk `check --json` streams its
// array instead of holding every report until the end).

export class OrderedEmitter<T> {
  readonly #window: number;
  readonly #emit: (value: T | undefined, index: number) => void;
  readonly #pending = new Map<number, T | undefined>();
  #waiters: (() => void)[] = [];
  #next = 0;

  /**
   * `window`: item i may start only once every item before i - window + 1 has been emitted, so at
   * most window - 1 finished items are ever held. Keep it at least the concurrency, or it lowers it.
   */
  constructor(window: number, emit: (value: T | undefined, index: number) => void) {
    this.#window = Math.max(1, Math.floor(window));
    this.#emit = emit;
  }

  /** Waits until item `index` may start (the oldest unemitted item is less than `window` behind). */
  async admit(index: number): Promise<void> {
    while (index >= this.#next + this.#window) await new Promise<void>((resolve) => this.#waiters.push(resolve));
  }

  /** Item `index` is done (`undefined`: nothing to print for it); emits every item now in order. */
  done(index: number, value: T | undefined): void {
    if (index < this.#next || this.#pending.has(index)) return;
    this.#pending.set(index, value);
    let emitted = false;
    while (this.#pending.has(this.#next)) {
      const v = this.#pending.get(this.#next);
      this.#pending.delete(this.#next);
      this.#emit(v, this.#next++);
      emitted = true;
    }
    if (!emitted) return;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }

  /** Finished items waiting for an earlier one. */
  get buffered(): number {
    return this.#pending.size;
  }

  /** Items emitted so far (the next index to emit). */
  get emitted(): number {
    return this.#next;
  }
}
