import { describe, expect, it } from 'vitest';
import { startDeadline } from '../../core/deadline.ts';

describe('startDeadline: a time limit tied to the caller\'s signal', () => {
  it('aborts and says timedOut when its own limit passes', async () => {
    const d = startDeadline(5);
    await new Promise((r) => d.signal.addEventListener('abort', r, { once: true }));
    expect([d.signal.aborted, d.timedOut()]).toEqual([true, true]);
    d.dispose();
  });

  it('aborts without timedOut when the caller cancels', () => {
    const parent = new AbortController();
    const d = startDeadline(60_000, parent.signal);
    parent.abort();
    expect([d.signal.aborted, d.timedOut()]).toEqual([true, false]);
    d.dispose();
  });

  it('starts aborted when the caller already cancelled', () => {
    const parent = new AbortController();
    parent.abort();
    const d = startDeadline(60_000, parent.signal);
    expect([d.signal.aborted, d.timedOut()]).toEqual([true, false]);
    d.dispose();
  });

  it('after dispose, neither the timer nor the caller aborts it', async () => {
    const parent = new AbortController();
    const d = startDeadline(5, parent.signal);
    d.dispose();
    parent.abort();
    await new Promise((r) => setTimeout(r, 20));
    expect([d.signal.aborted, d.timedOut()]).toEqual([false, false]);
  });
});
