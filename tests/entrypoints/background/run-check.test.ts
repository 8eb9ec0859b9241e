import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';

vi.mock('wxt/browser', () => ({ browser: fakeBrowser }));

import { runCheck, type CheckDeps } from '../../../entrypoints/background/run-check.ts';
import { handleCheckPort, type CheckPortLike } from '../../../entrypoints/background/check-port.ts';
import { handleMessage, messageListener } from '../../../entrypoints/background/messages.ts';
import type { CheckServerMessage, HelperState } from '../../../entrypoints/shared/ui-protocol.ts';
import type { EnginePorts } from '../../../core/ports.ts';
import type { EngineOptions } from '../../../core/engine.ts';
import { SETTINGS_STORAGE_KEY } from '../../../core/protocol/settings.ts';
import { REPORT } from '../../components/sample-report.ts';

const FOUND: HelperState = { state: 'found', version: '0.1.0' };
const MISSING: HelperState = { state: 'not-installed', message: 'Specified native messaging host not found.' };

function deps(helper: HelperState, o: { permission?: boolean; engine?: (ports: EnginePorts, options: EngineOptions) => Promise<void> } = {}) {
  const seen: { ports?: EnginePorts; options?: EngineOptions; input?: string; runs: number } = { runs: 0 };
  const d: CheckDeps = {
    area: fakeBrowser.storage.local,
    helper: { state: async () => helper, request: async () => Promise.reject(new Error('unused')) },
    fetch: (async () => new Response('')) as typeof fetch,
    hasHostPermission: async () => o.permission ?? false,
    resolverFromSetting: (id) => ({ name: id, url: `https://${id}.example/dns-query`, query: async () => Promise.reject(new Error('unused')) }),
    checkDomain: async (input, ports, options = {}) => {
      seen.runs++;
      seen.ports = ports;
      seen.options = options;
      seen.input = input;
      options.onProgress?.({ type: 'started', domain: 'example.com', checks: REPORT.checks.map((c) => ({ id: c.id, title: c.title })) });
      await o.engine?.(ports, options);
      for (const check of REPORT.checks) options.onProgress?.({ type: 'check', check });
      return { ok: true, report: { ...REPORT, input } };
    },
    now: () => 1_000_000,
  };
  return { d, seen };
}

async function run(d: CheckDeps, input = 'example.com', force = false, signal = new AbortController().signal) {
  const out: CheckServerMessage[] = [];
  await runCheck({ input, force }, d, (m) => out.push(m), signal);
  return out;
}

beforeEach(() => fakeBrowser.reset());

describe('runCheck', () => {
  it('streams started, one message per check, then done', async () => {
    const out = await run(deps(FOUND).d);
    expect(out.map((m) => m.type)).toEqual(['started', ...REPORT.checks.map(() => 'check'), 'done']);
  });

  it('with the helper: probes through it and fetches the policy through it', async () => {
    const { d, seen } = deps(FOUND);
    await run(d);
    expect(seen.ports?.prober).toBeDefined();
    expect(seen.ports?.proberMissingReason).toBeUndefined();
    expect(seen.options?.probeTimeoutMs).toBe(15_000);
  });

  it('without the helper: starttls is skipped with install instructions, and the page is told', async () => {
    const { d, seen } = deps(MISSING);
    const out = await run(d);
    expect(seen.ports?.prober).toBeUndefined();
    expect(seen.ports?.proberMissingReason).toContain('npx mta-sts-inspector host install');
    expect(out.at(-1)).toMatchObject({ type: 'done', needsHostPermission: true, helperMissing: expect.stringContaining('host install') });
  });

  it('without the helper but with the permission, no permission is asked for', async () => {
    const out = await run(deps(MISSING, { permission: true }).d);
    expect(out.at(-1)).not.toHaveProperty('needsHostPermission');
  });

  it('serves a second run from the cache, saying when it was stored; re-check bypasses it', async () => {
    const { d, seen } = deps(FOUND);
    await run(d);
    const cached = await run(d);
    expect(seen.runs).toBe(1);
    expect(cached.at(-1)).toMatchObject({ type: 'done', cachedAt: 1_000_000 });
    await run(d, 'example.com', true);
    expect(seen.runs).toBe(2);
  });

  it('keys the cache by resolver: another resolver runs again', async () => {
    const { d, seen } = deps(FOUND);
    await run(d);
    await fakeBrowser.storage.local.set({ [SETTINGS_STORAGE_KEY]: { version: 3, resolver: 'quad9', probe: true, probeTimeoutMs: 15000, allowPrivate: false, cacheMinutes: 5 } });
    await run(d);
    expect(seen.runs).toBe(2);
  });

  it.each([true, false])('passes "allow non-public addresses" = %s to the engine (the mx check judges loopback MX hosts)', async (allowPrivate) => {
    await fakeBrowser.storage.local.set({ [SETTINGS_STORAGE_KEY]: { version: 3, resolver: 'quad9', probe: true, probeTimeoutMs: 15000, allowPrivate, cacheMinutes: 5 } });
    const { d, seen } = deps(FOUND);
    await run(d);
    expect(seen.options).toMatchObject({ allowPrivate });
  });

  it('answers bad input with an error and never runs the engine', async () => {
    const { d, seen } = deps(FOUND);
    const out = await run(d, 'not a domain');
    expect(out).toEqual([{ type: 'error', message: expect.stringContaining('spaces') }]);
    expect(seen.runs).toBe(0);
  });

  it('passes the abort signal to the engine and sends nothing once aborted', async () => {
    const ac = new AbortController();
    const { d, seen } = deps(FOUND, { engine: async () => ac.abort() });
    const out: CheckServerMessage[] = [];
    await runCheck({ input: 'example.com' }, d, (m) => out.push(m), ac.signal);
    expect(seen.options?.signal?.aborted).toBe(true);
    expect(out.map((m) => m.type)).toEqual(['started']);
  });
});

class FakePort implements CheckPortLike {
  name = 'check';
  sent: CheckServerMessage[] = [];
  private onMsg: ((m: unknown) => void)[] = [];
  private onDisc: (() => void)[] = [];
  postMessage(m: unknown) {
    this.sent.push(m as CheckServerMessage);
  }
  onMessage = { addListener: (cb: (m: unknown) => void) => void this.onMsg.push(cb) };
  onDisconnect = { addListener: (cb: () => void) => void this.onDisc.push(cb) };
  send(m: unknown) {
    for (const l of this.onMsg) l(m);
  }
  close() {
    for (const l of this.onDisc) l();
  }
}

describe('handleCheckPort', () => {
  it('a closed page (disconnected port) aborts the run in flight', async () => {
    let signal: AbortSignal | undefined;
    const port = new FakePort();
    const { d } = deps(FOUND, { engine: async (_p, o) => void (signal = o.signal) });
    const h = handleCheckPort(port, d);
    port.send({ type: 'start', input: 'example.com' });
    port.close();
    await h.running();
    expect(signal?.aborted).toBe(true);
  });

  it('a new start aborts the previous one', async () => {
    const signals: AbortSignal[] = [];
    const port = new FakePort();
    const { d } = deps(FOUND, { engine: async (_p, o) => void signals.push(o.signal!) });
    const h = handleCheckPort(port, d);
    port.send({ type: 'start', input: 'example.com', force: true });
    port.send({ type: 'start', input: 'example.org', force: true });
    await h.running();
    await new Promise((r) => setTimeout(r, 10));
    expect(signals[0]?.aborted).toBe(true);
    expect(signals[1]?.aborted).toBe(false);
  });

  it('answers a malformed message with an error', () => {
    const port = new FakePort();
    handleCheckPort(port, deps(FOUND).d);
    port.send({ type: 'start', input: 42 });
    expect(port.sent).toEqual([{ type: 'error', message: 'bad request from the page' }]);
  });
});

describe('messages (WXT fake browser)', () => {
  it('helper-status answers through sendResponse and returns true', async () => {
    const listener = messageListener(deps(FOUND).d);
    const response = new Promise((resolve) => {
      expect(listener({ type: 'helper-status' }, { id: fakeBrowser.runtime.id }, resolve)).toBe(true);
    });
    expect(await response).toEqual(FOUND);
  });

  it('get-cached returns nothing before a run and the report after one', async () => {
    const { d } = deps(FOUND);
    expect(await handleMessage({ type: 'get-cached', input: 'example.com' }, d)).toEqual({});
    await run(d);
    expect(await handleMessage({ type: 'get-cached', input: 'Example.COM' }, d)).toMatchObject({ report: { domain: 'example.com' }, cachedAt: 1_000_000 });
  });

  it('popup-open offers the webmail sender before the tab\'s site, with the first one\'s cached report', async () => {
    const { d } = deps(FOUND);
    await run(d);
    const asked: [number, unknown][] = [];
    const tabs = {
      sendMessage: async (tabId: number, message: unknown) => {
        asked.push([tabId, message]);
        return { site: 'Gmail', from: 'Alice <alice@Example.com>' };
      },
    };
    const answer = await handleMessage({ type: 'popup-open', tabId: 7, url: 'https://mail.google.com/mail/u/0/' }, d, tabs);
    expect(asked).toEqual([[7, { type: 'get-sender' }]]);
    expect(answer).toMatchObject({
      candidates: [
        { source: 'Sender (Gmail)', domain: 'example.com' },
        { source: 'This site', domain: 'google.com' },
      ],
      cached: { report: { domain: 'example.com' }, cachedAt: 1_000_000 },
    });
  });

  it.each([
    ['no content script in the tab', async () => Promise.reject(new Error('Could not establish connection'))],
    ['a content script answering nonsense', async () => ({ site: 42, from: ['x'] })],
  ])('popup-open falls back to the tab\'s site with %s', async (_n, sendMessage) => {
    const { d } = deps(FOUND);
    expect(await handleMessage({ type: 'popup-open', tabId: 3, url: 'https://www.shop.example.co.uk/' }, d, { sendMessage })).toEqual({
      candidates: [{ source: 'This site', domain: 'example.co.uk' }],
      cached: {},
    });
  });

  it('popup-open without a usable tab offers nothing', async () => {
    const { d } = deps(FOUND);
    expect(await handleMessage({ type: 'popup-open', url: 'chrome://extensions/' }, d)).toEqual({ candidates: [] });
  });

  it.each([
    ['an unknown message', { type: 'steal' }, { id: 'x' }],
    ['a message from a web page in a tab', { type: 'helper-status' }, { id: undefined, tab: {}, url: 'https://evil.example/' }],
  ])('ignores %s', (_n, message, sender) => {
    const listener = messageListener(deps(FOUND).d);
    expect(listener(message, { ...sender, id: sender.id === 'x' ? fakeBrowser.runtime.id : sender.id }, () => undefined)).toBe(false);
  });
});
