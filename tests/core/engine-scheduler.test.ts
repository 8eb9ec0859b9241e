import { describe, expect, it } from 'vitest';
import { AbortedError, bounded, createGate, DeadlineError } from '../../core/engine/scheduler.ts';

const later = <T>(v: T, ms: number) => new Promise<T>((r) => setTimeout(() => r(v), ms));

describe('engine scheduler', () => {
  it.each([
    { name: 'resolves with the value when it comes first', p: () => later('v', 1), ms: 1000, outcome: 'v' },
    { name: 'rejects with DeadlineError when the deadline comes first', p: () => new Promise<string>(() => {}), ms: 10, outcome: DeadlineError },
    { name: 'passes a rejection through', p: () => Promise.reject(new Error('boom')), ms: 1000, outcome: Error },
  ])('bounded: $name', async ({ p, ms, outcome }) => {
    const run = bounded(p(), undefined, ms);
    if (typeof outcome === 'string') await expect(run).resolves.toBe(outcome);
    else await expect(run).rejects.toBeInstanceOf(outcome);
  });

  it('bounded: rejects with AbortedError when the signal fires, and at once when already aborted', async () => {
    const ctrl = new AbortController();
    const run = bounded(new Promise(() => {}), ctrl.signal, 60_000);
    ctrl.abort();
    await expect(run).rejects.toBeInstanceOf(AbortedError);
    await expect(bounded(Promise.resolve(1), ctrl.signal)).rejects.toBeInstanceOf(AbortedError);
  });

  it('sequential gate: each task starts after the previous one ended, even when one fails', async () => {
    const gate = createGate(true);
    const log: string[] = [];
    const task = (name: string, ms: number, fail = false) => async () => {
      log.push(`start ${name}`);
      await later(null, ms);
      log.push(`end ${name}`);
      if (fail) throw new Error(name);
      return name;
    };
    const results = await Promise.allSettled([gate(task('a', 15)), gate(task('b', 1, true)), gate(task('c', 1))]);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('parallel gate: tasks start at once', async () => {
    const gate = createGate(false);
    const log: string[] = [];
    const task = (name: string) => async () => {
      log.push(`start ${name}`);
      await later(null, 5);
      log.push(`end ${name}`);
    };
    await Promise.all([gate(task('a')), gate(task('b'))]);
    expect(log.slice(0, 2)).toEqual(['start a', 'start b']);
  });
});
