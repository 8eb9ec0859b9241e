// Row 5: from opening the popup to a cached report on screen, in the real browser (Chromium
// with the built extension loaded). The report is put in the extension's cache first (under the
// key the background computes for the default settings), a tab shows the domain's web site, and
// the service worker opens the real popup with chrome.action.openPopup(); the time runs from that
// call to the report's largest contentful paint in the popup.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type CDPSession, type Worker } from 'playwright-core';
import { cacheKey } from '../../core/cache-key.ts';
import { DEFAULT_SETTINGS, resolverSettingValue } from '../../core/protocol/settings.ts';
import type { Report } from '../../core/report/schema.ts';
import { fmtSummary, summarize } from '../stats.ts';
import { sleep, type Context, type Row } from './common.ts';

const CHROMIUM = '/usr/bin/chromium';
const VERDICT = '.verdict[data-verdict]';

interface Paint {
  origin: number;
  /** First contentful paint, ms after the popup's navigation start. */
  fcp: number;
  /** Submit → cached verdict in the DOM, and → the next frame after it (painted). */
  submitToDom: number;
  submitToPaint: number;
  verdict: boolean;
  /** The popup's text, for the failure note. */
  text: string;
}

/**
 * Runs in the popup: reads its first paint, then enters the domain and submits the form (the
 * popup cannot see the tab's URL when opened by openPopup(): activeTab is granted only by a
 * user's click), and times the cached report's arrival with a MutationObserver.
 */
const paintProbe = (domain: string) => `(async () => {
  const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? NaN;
  const input = document.querySelector('input');
  const form = input && input.closest('form');
  if (!form) return { origin: performance.timeOrigin, fcp, submitToDom: NaN, submitToPaint: NaN, verdict: false, text: 'no form' };
  const seen = new Promise((res) => {
    const check = () => { if (document.querySelector('${VERDICT}')) { obs.disconnect(); res(performance.now()); } };
    const obs = new MutationObserver(check);
    obs.observe(document.body, { subtree: true, childList: true, attributes: true });
    check();
  });
  input.value = ${JSON.stringify(domain)};
  input.dispatchEvent(new Event('input', { bubbles: true }));
  // Let Preact re-render with the typed value before submitting (as a user's keystrokes would).
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  const t = performance.now();
  form.requestSubmit();
  const dom = await Promise.race([seen, new Promise((r) => setTimeout(() => r(NaN), 3000))]);
  await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
  return { origin: performance.timeOrigin, fcp, submitToDom: dom - t, submitToPaint: performance.now() - t, verdict: !!document.querySelector('${VERDICT}'), text: document.body.innerText.slice(0, 160) };
})()`;

/** Playwright does not list the action popup as a page: reach it through the DevTools protocol, read its paint timing, close it. */
async function popupPaint(cdp: CDPSession, domain: string): Promise<Paint> {
  const { targetInfos } = await cdp.send('Target.getTargets');
  const target = targetInfos.find((t) => t.type === 'page' && t.url.includes('/popup.html'));
  if (!target) throw new Error('no popup target after chrome.action.openPopup()');
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId: target.targetId, flatten: false });
  try {
    const answer = new Promise<Paint>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('the popup did not answer within 5 s')), 5_000);
      cdp.on('Target.receivedMessageFromTarget', (e) => {
        const m = JSON.parse(e.message) as { id?: number; result?: { result?: { value?: Paint } } };
        if (m.id !== 1) return;
        clearTimeout(timer);
        const v = m.result?.result?.value;
        if (v) resolve(v);
        else reject(new Error(`unexpected answer from the popup: ${e.message.slice(0, 200)}`));
      });
    });
    const message = JSON.stringify({ id: 1, method: 'Runtime.evaluate', params: { expression: paintProbe(domain), awaitPromise: true, returnByValue: true } });
    await cdp.send('Target.sendMessageToTarget', { sessionId, message });
    return await answer;
  } finally {
    await cdp.send('Target.closeTarget', { targetId: target.targetId }).catch(() => undefined);
  }
}

async function serviceWorker(context: BrowserContext): Promise<Worker> {
  return context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker', { timeout: 15_000 }));
}

export async function popupRow(ctx: Context, extDir: string, report: Report | undefined, runs = 7): Promise<Row[]> {
  const label = 'popup: open → cached report on screen (Chromium)';
  if (!existsSync(CHROMIUM)) return [{ group: 5, label, value: 'n/a', notes: [`WARNING: ${CHROMIUM} missing (apt-get install chromium)`] }];
  if (!existsSync(join(extDir, 'manifest.json'))) return [{ group: 5, label, value: 'n/a', notes: ['WARNING: the extension is not built'] }];
  if (!report) return [{ group: 5, label, value: 'n/a', notes: ['WARNING: no report to cache (row 1 failed or was not run)'] }];

  const profile = mkdtempSync(join(tmpdir(), 'mta-sts-bench-chromium-'));
  const control = new URL(ctx.net.controlUrl);
  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        `--disable-extensions-except=${extDir}`,
        `--load-extension=${extDir}`,
        '--no-sandbox',
        // The domain's "web site" is the bench's control endpoint: the popup takes its candidate from the tab's URL.
        `--host-resolver-rules=MAP ${ctx.net.goodDomain} ${control.hostname}:${control.port}`,
      ],
    });
    const sw = await serviceWorker(context);
    const keys = [false, true].flatMap((probe) =>
      [false, true].map((allowPrivate) => cacheKey({ domain: report.domain, resolver: resolverSettingValue(DEFAULT_SETTINGS), probe, allowPrivate })),
    );
    const site = await context.newPage();
    await site.goto(`http://${ctx.net.goodDomain}/log`);
    const cdp = await context.newCDPSession(site);
    const total: number[] = [];
    const opened: number[] = [];
    const cached: number[] = [];
    const ownFcp: number[] = [];
    const failures = new Set<string>();
    for (let i = 0; i < runs; i++) {
      try {
        await sw.evaluate(
          // why: runs in the extension's service worker, where `chrome` is the extension API.
          async ({ keys: ks, report: r }) => {
            const entry = { storedAt: Date.now(), report: r };
            await (globalThis as any).chrome.storage.local.set(Object.fromEntries(ks.map((k: string) => [k, entry])));
          },
          { keys, report },
        );
        await site.bringToFront();
        // why: chrome.action exists only in the extension's context.
        const t0 = await sw.evaluate(async () => {
          const t = Date.now();
          await (globalThis as any).chrome.action.openPopup();
          return t;
        });
        await sleep(1000);
        const paint = await popupPaint(cdp, report.domain);
        if (!paint.verdict || !Number.isFinite(paint.submitToDom)) failures.add(`the popup showed no verdict (no cached report on screen): ${JSON.stringify(paint.text)}`);
        else {
          opened.push(paint.origin + paint.fcp - t0);
          ownFcp.push(paint.fcp);
          cached.push(paint.submitToPaint);
          total.push(paint.origin + paint.fcp - t0 + paint.submitToPaint);
        }
      } catch (e) {
        failures.add((e instanceof Error ? e.message : String(e)).split('\n')[0]?.slice(0, 200) ?? 'error');
      }
    }
    return [
      {
        group: 5,
        label,
        value: fmtSummary(summarize(total)),
        goal: '< 100 ms',
        notes: [
          'Popup figures: openPopup() in the service worker → the popup\'s first contentful paint, plus submitting the domain → the cached verdict painted.',
          'Not measured: the popup finding the domain itself on open — opened by openPopup() it cannot read the tab URL (activeTab needs a real click).',
          ...[...failures].map((f) => `WARNING: ${f}`),
        ],
      },
      { group: 5, label: 'popup: openPopup() → first contentful paint', value: fmtSummary(summarize(opened)) },
      { group: 5, label: 'popup: of which navigation start → first paint (the page itself)', value: fmtSummary(summarize(ownFcp)) },
      { group: 5, label: 'popup: submit → cached report painted', value: fmtSummary(summarize(cached)) },
    ];
  } catch (e) {
    return [{ group: 5, label, value: 'n/a', notes: [`WARNING: the browser measurement failed: ${(e instanceof Error ? e.message : String(e)).slice(0, 300)}`] }];
  } finally {
    await context?.close().catch(() => undefined);
    rmSync(profile, { recursive: true, force: true });
  }
}
