// The built extension in Debian's Chromium (headless, playwright-core) against the hermetic test
// network (tests/harness): the options page set as a user would, the popup, the report page for
// every scenario of tests/harness/scenarios.ts, the cache and re-check, the context menu's path,
// a Gmail look-alike giving the sender's domain, and the extension without its helper.
// One network and one browser for the whole file (2 cores): the tests run in this order and build
// on each other's state (settings, cache), as a user's session would.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireTestNetwork } from '../harness/acquire.ts';
import type { NetworkScenario, TestNetwork } from '../harness/network.ts';
import { SCENARIOS } from '../harness/scenarios.ts';
import { ROOT, buildExtension, popupBundle, type BuiltExtension } from './support/build.ts';
import { launchExtensionBrowser, type ExtensionBrowser } from './support/browser.ts';
import { configureOptions, disagreements, finishedStatuses, readStatuses, readSummaries } from './support/pages.ts';
import { startWebmailServer, type WebmailServer } from './support/webmail-server.ts';

const ARTIFACTS = join(ROOT, 'test-artifacts');
const DOCS_SCREENSHOTS = join(ROOT, 'docs/screenshots');
/** Seconds: the slowest scenarios (silent or endless SMTP servers) wait for the probe timeout. */
const PROBE_TIMEOUT_S = 3;
const CHECK_TIMEOUT_MS = 45_000;
const POPUP_SIZE = { width: 420, height: 640 };
const FAILING_FOR_SCREENSHOT = 'cert-expired';

let net: TestNetwork;
let ext: BuiltExtension;
let webmail: WebmailServer;
let browser: ExtensionBrowser;

function scenario(label: string): NetworkScenario {
  const s = net.scenarios.find((x) => x.label === label);
  if (!s) throw new Error(`no scenario ${label} in the test network`);
  return s;
}

async function screenshot(page: Page, name: string, docs: boolean, fullPage = false): Promise<void> {
  const path = join(ARTIFACTS, name);
  await page.screenshot({ path, fullPage });
  if (docs) copyFileSync(path, join(DOCS_SCREENSHOTS, name));
}

/** The report page for `domain` once every check has finished; fails naming the scenario and check that disagree. */
async function expectReport(page: Page, s: NetworkScenario, expected = s.expected): Promise<void> {
  const got = await finishedStatuses(page, CHECK_TIMEOUT_MS).catch(async (e: unknown) => {
    throw new Error(`scenario ${s.label}: checks still pending after ${CHECK_TIMEOUT_MS} ms: ${JSON.stringify(await readStatuses(page))} (${String(e)})`);
  });
  const wrong = disagreements(s.label, expected, got, await readSummaries(page), s.why);
  expect(wrong, wrong.join('\n')).toEqual([]);
}

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  mkdirSync(DOCS_SCREENSHOTS, { recursive: true });
  [net, ext] = await Promise.all([acquireTestNetwork(), Promise.resolve().then(() => buildExtension())]);
  webmail = await startWebmailServer(`alice@${scenario('good').domain}`);
  browser = await launchExtensionBrowser({
    extDir: ext.dir,
    caCerts: [net.caCert, webmail.caCert],
    hostRules: `${net.hostRules}, ${webmail.hostRule}`,
    nameserver: net.dnsAddress,
    env: { MTA_STS_INSPECTOR_ALLOW_PRIVATE: '1', NODE_EXTRA_CA_CERTS: net.caFile },
  });
  // As a user would: the options page, by its labels.
  const options = await browser.newPage('options.html');
  await configureOptions(options, { dohUrl: net.dohUrl, allowPrivate: true, probe: true, probeTimeoutSeconds: PROBE_TIMEOUT_S });
  await options.close();
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await webmail?.stop();
  await net?.stop();
  ext?.dispose();
});

describe('the built extension', () => {
  it('issue 6: the popup loads under 60 KB of JavaScript and CSS, gzipped', () => {
    const { files, gzipBytes } = popupBundle(ext.dir);
    console.log(`popup bundle: ${(gzipBytes / 1024).toFixed(1)} KiB gzipped (${files.map((f) => `${f.path} ${f.gzipBytes}`).join(', ')})`);
    expect(files.some((f) => f.path.endsWith('.js'))).toBe(true);
    expect(gzipBytes).toBeLessThan(60 * 1024);
  });

  it('the options page shows the helper registered in the profile as found', async () => {
    const page = await browser.newPage('options.html');
    await expect.poll(() => page.locator('[data-helper]').getAttribute('data-helper'), { timeout: 15_000 }).toBe('found');
    await page.close();
  });
});

describe('popup', () => {
  it('checks a domain the user types, all seven checks turning, and opens the full report', async () => {
    const s = scenario('good');
    const page = await browser.context.newPage();
    await page.setViewportSize(POPUP_SIZE);
    await page.goto(browser.url('popup.html'));
    await page.getByLabel('Domain, e-mail address or URL').fill(`postmaster@${s.domain.toUpperCase()}`);
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await expectReport(page, s);
    await expect.poll(() => page.locator('[data-verdict]').getAttribute('data-verdict')).toBe('pass');
    await screenshot(page, 'popup.png', true);
    const [report] = await Promise.all([browser.context.waitForEvent('page'), page.getByRole('link', { name: 'Open full report' }).click()]);
    await report.waitForLoadState();
    expect(new URL(report.url()).searchParams.get('domain')).toBe(s.domain);
    await report.close();
    if (!page.isClosed()) await page.close();
  });
});

describe('report page: every scenario matches the scenario file', () => {
  it.concurrent.each(SCENARIOS.map((s) => [s.label, s.title] as const))('scenario %s (%s)', async (label) => {
    const s = scenario(label);
    const page = await browser.newPage(`report.html?domain=${encodeURIComponent(s.domain)}`);
    try {
      await expectReport(page, s);
      if (label === 'good') await screenshot(page, 'report-good.png', true);
      if (label === FAILING_FOR_SCREENSHOT) await screenshot(page, `report-${label}.png`, true);
    } finally {
      await page.close();
    }
  }, 60_000);
});

describe('cache and re-check', () => {
  it('a second visit shows the cached result and says so; re-check runs again and drops "cached"', async () => {
    const s = scenario('good');
    const page = await browser.newPage(`report.html?domain=${s.domain}`);
    await expectReport(page, s);
    await page.getByTestId('cached').waitFor({ timeout: 5_000 });
    const before = await page.locator('.report-header time').getAttribute('datetime');
    await page.getByRole('button', { name: 'Re-check' }).click();
    await page.getByTestId('cached').waitFor({ state: 'detached', timeout: 5_000 });
    await page.waitForFunction((t) => document.querySelector('.report-header time')?.getAttribute('datetime') !== t, before, { timeout: CHECK_TIMEOUT_MS });
    await expectReport(page, s);
    expect(await page.getByTestId('cached').count()).toBe(0);
    expect(Date.parse((await page.locator('.report-header time').getAttribute('datetime')) ?? '')).toBeGreaterThan(Date.parse(before ?? ''));
    await page.close();
  });
});

describe('context menu "Check this domain"', () => {
  // The name the background gives its menu listener's function (entrypoints/background/context-menu.ts
  // MENU_CLICK_GLOBAL; not imported: that module needs the extension APIs).
  const MENU_CLICK_GLOBAL = 'mtaStsInspectorMenuClick';
  type Chrome = { contextMenus: { update(id: string, props: object): Promise<void> } };

  it('registers its items for links, selected text and the page', async () => {
    const found = await browser.worker.evaluate(async (ids) => {
      const { chrome } = globalThis as unknown as { chrome: Chrome };
      const out: string[] = [];
      // update() of an id that was never created rejects ("Cannot find menu item").
      for (const id of ids) out.push(await chrome.contextMenus.update(id, {}).then(() => id, (e: unknown) => `${id}: ${String(e)}`));
      return out;
    }, ['check-link', 'check-selection', 'check-page']);
    expect(found).toEqual(['check-link', 'check-selection', 'check-page']);
  });

  it.each([
    ['a mailto: link', 'policy-404', (d: string) => ({ menuItemId: 'check-link', linkUrl: `mailto:Postmaster@${d.toUpperCase()}?subject=hello` })],
    ['selected text holding an address', 'cert-expired', (d: string) => ({ menuItemId: 'check-selection', selectionText: ` <bob@${d}>, ` })],
  ])('on %s opens the report page for its domain, which runs the check', async (_n, label, info) => {
    const s = scenario(label);
    const [page] = await Promise.all([
      browser.context.waitForEvent('page', { timeout: 10_000 }),
      browser.worker.evaluate(({ name, click }) => {
        const fn = (globalThis as unknown as Record<string, (info: object, tab: undefined) => Promise<string>>)[name];
        if (typeof fn !== 'function') throw new Error(`the background has no ${name}`);
        return fn(click, undefined);
      }, { name: MENU_CLICK_GLOBAL, click: info(s.domain) }),
    ]);
    await page.waitForLoadState();
    expect(page.url()).toBe(browser.url(`report.html?domain=${s.domain}`));
    await expectReport(page, s);
    await page.close();
  });
});

describe('webmail', () => {
  it('the open message on a Gmail look-alike gives its sender\'s domain to the popup, which shows its cached report', async () => {
    const s = scenario('good');
    const mail = await browser.context.newPage();
    await mail.goto(webmail.url);
    const popup = await browser.context.newPage();
    await popup.setViewportSize(POPUP_SIZE);
    await popup.goto(browser.url('popup.html'));
    // The popup asks about the active tab: make the mail tab active, then open the popup again.
    await mail.bringToFront();
    const opened = Date.now();
    await popup.reload();
    await popup.getByTestId('cached').waitFor({ timeout: 10_000 });
    console.log(`popup opened to cached report on screen: ${Date.now() - opened} ms (issue 6 goal: under 100 ms; informative, not asserted)`);
    await expect.poll(() => popup.getByLabel('Domain, e-mail address or URL').inputValue(), { timeout: 10_000 }).toBe(s.domain);
    expect(await popup.getByRole('button', { name: `Sender (Gmail): ${s.domain}` }).count()).toBe(1);
    await popup.getByTestId('cached').waitFor({ timeout: 10_000 });
    await expectReport(popup, s);
    await screenshot(popup, 'popup-webmail.png', false);
    await popup.close();
    await mail.close();
  });
});

describe('without the helper', () => {
  beforeAll(async () => {
    browser.removeHelper();
    await browser.restart();
  }, 60_000);

  it('the options page says the helper is not installed', async () => {
    const page = await browser.newPage('options.html');
    await expect.poll(() => page.locator('[data-helper]').getAttribute('data-helper'), { timeout: 15_000 }).toBe('not-installed');
    await page.close();
  });

  it.each(['good', 'policy-404'])(
    'scenario %s: starttls is skipped with install instructions, and the browser fetches the policy itself',
    async (label) => {
      const s = scenario(label);
      const page = await browser.newPage(`report.html?domain=${s.domain}`);
      await expectReport(page, s, { ...s.expected, starttls: 'skipped' });
      expect(await page.getByRole('note', { name: 'Helper' }).innerText()).toContain('npx mta-sts-inspector host install');
      const fetchCheck = page.locator('[data-check="policy-fetch"]');
      if ((await fetchCheck.locator('details').getAttribute('open')) === null) await fetchCheck.locator('summary').click();
      expect(await fetchCheck.innerText()).toContain('fetched by the browser');
      if (label === 'good') await screenshot(page, 'report-no-helper.png', false, true);
      await page.close();
    },
  );
});
