// OrderedEmitter: input order kept, every result emitted once as early as possible, and never more
// than window - 1 finished results held.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { OrderedEmitter } from '../../../native-host/cli/ordered-output.ts';

describe('OrderedEmitter', () => {
  it.each<[string, number[], number[][]]>([
    ['in order', [0, 1, 2], [[0], [1], [2]]],
    ['reversed: nothing until the first', [2, 1, 0], [[], [], [0, 1, 2]]],
    ['a gap filled later', [1, 0, 3, 2], [[], [0, 1], [], [2, 3]]],
  ])('emits %s as soon as every earlier item is done', (_name, finishOrder, expected) => {
    const out: number[] = [];
    const e = new OrderedEmitter<number>(8, (v) => void (v !== undefined && out.push(v)));
    const steps = finishOrder.map((i) => {
      const before = out.length;
      e.done(i, i);
      return out.slice(before);
    });
    expect(steps).toEqual(expected);
    expect(e.buffered).toBe(0);
  });

  it('items done without a value are skipped but keep the order moving', () => {
    const out: (string | undefined)[] = [];
    const e = new OrderedEmitter<string>(4, (v) => void out.push(v));
    e.done(1, 'b');
    e.done(0, undefined);
    expect(out).toEqual([undefined, 'b']);
    expect(e.emitted).toBe(2);
  });

  it('ignores an index reported twice', () => {
    const out: number[] = [];
    const e = new OrderedEmitter<number>(4, (v) => void (v !== undefined && out.push(v)));
    e.done(0, 10);
    e.done(0, 11);
    e.done(2, 12);
    e.done(2, 13);
    e.done(1, 14);
    expect(out).toEqual([10, 14, 12]);
  });

  it('admit() holds an item until it is within the window of the oldest unemitted one', async () => {
    const e = new OrderedEmitter<number>(2, () => undefined);
    let admitted = false;
    const waiting = e.admit(2).then(() => void (admitted = true));
    await e.admit(1); // within the window: at once
    e.done(1, 1); // 0 is still missing: 2 must keep waiting
    await Promise.resolve();
    expect(admitted).toBe(false);
    e.done(0, 0);
    await waiting;
    expect(admitted).toBe(true);
  });

  it('property: any finishing order, several lanes: input order out, buffer below the window', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 1, max: 12 }), fc.infiniteStream(fc.nat(1000)), async (n, lanes, window, delays) => {
        const out: number[] = [];
        let maxBuffered = 0;
        const e = new OrderedEmitter<number>(window, (v) => void (v !== undefined && out.push(v)));
        let next = 0;
        const it = delays[Symbol.iterator]();
        const lane = async () => {
          while (next < n) {
            const i = next++;
            await e.admit(i);
            // Finish in an arbitrary order: a random number of microtask turns.
            for (let k = (it.next().value as number) % 7; k > 0; k--) await Promise.resolve();
            e.done(i, i);
            maxBuffered = Math.max(maxBuffered, e.buffered);
          }
        };
        await Promise.all(Array.from({ length: lanes }, lane));
        expect(out).toEqual(Array.from({ length: n }, (_, i) => i));
        expect(maxBuffered).toBeLessThan(window);
      }),
      { numRuns: 200 },
    );
  });
});
