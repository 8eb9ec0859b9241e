// native-host/net/ (limits, concurrency) and the EHLO name; kept beside the probe tests that use them.
import { describe, expect, it } from 'vitest';
import { Semaphore } from '../../../native-host/net/concurrency.ts';
import { DEFAULT_STEP_TIMEOUTS, gateAddress, privateAllowed, resolveStepTimeouts } from '../../../native-host/net/limits.ts';
import { defaultEhloName } from '../../../native-host/probe/smtp-session.ts';

describe('Semaphore', () => {
  it('never grants more slots than its limit, and grants in order', async () => {
    const sem = new Semaphore(2);
    const order: number[] = [];
    const releases = await Promise.all([sem.acquire(), sem.acquire()]);
    const third = sem.acquire().then((r) => {
      order.push(3);
      return r;
    });
    const fourth = sem.acquire().then((r) => {
      order.push(4);
      return r;
    });
    await Promise.resolve();
    expect(sem.inUse).toBe(2);
    expect(order).toEqual([]);
    releases[0]!();
    releases[0]!(); // a second release of the same slot is ignored
    (await third)();
    releases[1]!();
    (await fourth)();
    expect(order).toEqual([3, 4]);
    expect(sem.inUse).toBe(0);
  });

  it('an aborted wait rejects and takes no slot', async () => {
    const sem = new Semaphore(1);
    const release = await sem.acquire();
    const controller = new AbortController();
    const waiting = sem.acquire(controller.signal);
    controller.abort();
    await expect(waiting).rejects.toThrow('aborted');
    release();
    expect(sem.inUse).toBe(0);
  });

  it('raising the limit lets waiters in', async () => {
    const sem = new Semaphore(1);
    await sem.acquire();
    const waiting = sem.acquire();
    sem.setLimit(2);
    await expect(waiting).resolves.toBeTypeOf('function');
    expect(sem.limit).toBe(2);
  });
});

describe('limits', () => {
  it('RFC 5321 §4.5.3.2: defaults cap the greeting wait at 30 s, each step at 15 s, an address at 60 s', () => {
    expect(resolveStepTimeouts()).toEqual({ connectMs: 10_000, bannerMs: 30_000, stepMs: 15_000, totalMs: 60_000 });
    expect(DEFAULT_STEP_TIMEOUTS.bannerMs).toBeLessThan(300_000);
  });

  it.each([
    [{ bannerMs: 500 }, undefined, { bannerMs: 500, totalMs: 60_000 }],
    [{ stepMs: -5 }, undefined, { stepMs: 1 }],
    [{ connectMs: 10_000_000 }, undefined, { connectMs: 300_000 }],
    [{ totalMs: 1000 }, 2000, { totalMs: 2000 }],
    [{ stepMs: Number.NaN }, undefined, { stepMs: 15_000 }],
  ])('overrides %o (total %s) give %o', (overrides, total, expected) => {
    expect(resolveStepTimeouts(overrides, total)).toMatchObject(expected);
  });

  it.each([
    ['8.8.8.8', false, true],
    ['127.0.0.1', false, false],
    ['127.0.0.1', true, true],
    ['fd00::1', false, false],
    ['fd00::1', true, true],
    ['0.0.0.0', true, false],
    ['224.0.0.1', true, false],
    ['ff02::1', true, false],
    ['not-an-ip', true, false],
  ])('RFC 6890: gate for %s (allowPrivate=%s) opens: %s', (address, allow, open) => {
    expect(gateAddress(address, allow).ok).toBe(open);
  });

  it.each([
    [undefined, {}, false],
    [true, {}, true],
    [false, { MTA_STS_INSPECTOR_ALLOW_PRIVATE: '1' }, true],
    [undefined, { MTA_STS_INSPECTOR_ALLOW_PRIVATE: 'yes' }, false],
  ])('privateAllowed(%s, %o) is %s', (option, env, expected) => {
    expect(privateAllowed(option, env)).toBe(expected);
  });
});

describe('defaultEhloName', () => {
  it.each([
    ['probe.example.net', '192.0.2.5', 'probe.example.net'],
    ['Probe.Example.NET.', '192.0.2.5', 'probe.example.net'],
    ['laptop', '192.0.2.5', '[192.0.2.5]'],
    ['laptop.local', '10.0.0.2', '[10.0.0.2]'],
    ['box.localdomain', '::ffff:10.0.0.2', '[10.0.0.2]'],
    ['laptop', '2001:db8::5', '[IPv6:2001:db8::5]'],
    ['under_score.example', '192.0.2.5', '[192.0.2.5]'],
    ['laptop', undefined, '[127.0.0.1]'],
  ])('RFC 5321 §4.1.4 / §4.1.3: host %s at %s says EHLO %s', (hostname, local, expected) => {
    expect(defaultEhloName(local, hostname)).toBe(expected);
  });
});
