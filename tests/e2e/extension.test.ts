// The built extension in Debian's Chromium (headless, playwright-core) against the hermetic test
// network (tests/harness): the options page set as a user would, the popup, the report page for
// every scenario of tests/harness/scenarios.ts (DANE included), the cache and re-check, the
// context menu's path, a Gmail look-alike giving the sender's domain, the TLSRPT report viewer,
// the helper crashing mid-check, the extension without its helper, and settings repaired visibly;
// on the way, axe-core scans the popup, options and report pages in the light and dark themes (issue 4).
// One network and one browser for the whole file (2 cores): the tests run in this order and build
// on each other's state (settings, cache), as a user's session would.
import { copyFileSync, mkdirSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireTestNetwork } from '../harness/acquire.ts';
import type { NetworkScenario, TestNetwork } from '../harness/network.ts';
import { SCENARIOS } from '../harness/scenarios.ts';
import { ROOT, buildExtension, popupBundle, type BuiltExtension } from './support/build.ts';
import { launchExtensionBrowser, type ExtensionBrowser } from './support/browser.ts';
import { configureOptions, disagreements, finishedStatuses, readStatuses, readSummaries } from './support/pages.ts';
import { startWebmailServer, type WebmailServer } from './support/webmail-server.ts';
import { installCrashingHelper } from './support/crashing-helper.ts';
import { accessibilityViolations } from './support/axe.ts';
import { SETTINGS_STORAGE_KEY } from '../../core/protocol/settings.ts';

const ARTIFACTS = join(ROOT, 'test-artifacts');
const DOCS_SCREENSHOTS = join(ROOT, 'docs/screenshots');
/** Seconds: the slowest scenarios (silent or endless SMTP servers) wait for the probe timeout. */
const PROBE_TIMEOUT_S = 3;
const CHECK_TIMEOUT_MS = 45_000;
const POPUP_SIZE = { width: 420, height: 640 };
const FAILING_FOR_SCREENSHOT = 'cert-expired';
const DANE_FOR_SCREENSHOT = 'dane-mismatch';
/** Failing scenarios whose report page, every check expanded, axe scans (issue 4): certificates, DANE. */
const A11Y_SCENARIOS = [FAILING_FOR_SCREENSHOT, DANE_FOR_SCREENSHOT];
const TLSRPT_FIXTURES = join(ROOT, 'tests/fixtures/tlsrpt');
/** Elements that text from the network must never become (issue 7: shown as text only). */
const INJECTABLE = 'main script, main img, main iframe, main object, main embed, main svg';

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

/** Issue 4: axe finds nothing on the page as it is now, in the light and the dark theme. */
async function expectAccessible(page: Page, name: string): Promise<void> {
  const violations = await accessibilityViolations(page, name);
  expect(violations, `axe violations (rule, impact, elements):\n${violations.join('\n')}`).toEqual([]);
}

/** Clicks "Re-check" on a finished report page and waits for the new results. */
async function recheck(page: Page): Promise<void> {
  const before = await page.locator('.report-header time').getAttribute('datetime');
  await page.getByRole('button', { name: 'Re-check' }).click();
  await page.waitForFunction((t) => document.querySelector('.report-header time')?.getAttribute('datetime') !== t, before, { timeout: CHECK_TIMEOUT_MS });
  await finishedStatuses(page, CHECK_TIMEOUT_MS);
}

/** The report page for `domain` once every check has finished; fails naming the scenario and check that disagree. */
async function expectReport(page: Page, s: NetworkScenario, expected = s.expected): Promise<void> {
  const got = await finishedStatuses(page, CHECK_TIMEOUT_MS).catch(async (e: unknown) => {
    throw new Error(`scenario ${s.label}: checks still pending after ${CHECK_TIMEOUT_MS} ms: ${JSON.stringify(await readStatuses(page))} (${String(e)})`);
  });
  const wrong = disagreements(s.label, expected, got, await readSummaries(page), s.why);
  // What the page shows of each disagreeing check (evidence included), to tell a UI fault from the network's.
  const shown = await page.evaluate(
    (ids) => ids.map((id) => `${id}: ${(document.querySelector(`[data-check="${id}"] .check-body`)?.textContent ?? '').replace(/\s+/g, ' ').slice(0, 800)}`),
    wrong.map((w) => /check ([a-z-]+):/.exec(w)?.[1] ?? ''),
  );
  expect(wrong, [...wrong, ...shown].join('\n')).toEqual([]);
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
    await expectAccessible(page, 'options page');
    await page.close();
  });
});

describe('popup', () => {
  it('checks a domain the user types, all the checks turning, and opens the full report', async () => {
    const s = scenario('good');
    const page = await browser.context.newPage();
    await page.setViewportSize(POPUP_SIZE);
    await page.goto(browser.url('popup.html'));
    await page.getByLabel('Domain, e-mail address or URL').fill(`postmaster@${s.domain.toUpperCase()}`);
    await page.getByRole('button', { name: 'Check', exact: true }).click();
    await expectReport(page, s);
    await expect.poll(() => page.locator('[data-verdict]').getAttribute('data-verdict')).toBe('pass');
    await screenshot(page, 'popup.png', true);
    await expectAccessible(page, 'popup with a finished check');
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
      expect(await page.locator(INJECTABLE).count(), 'elements made from network text').toBe(0);
      if (label === 'good') await screenshot(page, 'report-good.png', true);
      if (label === FAILING_FOR_SCREENSHOT) await screenshot(page, `report-${label}.png`, true);
      if (label === 'dane-good') {
        const rows = page.locator('[data-check="dane"] li[data-mx-address]');
        expect(await rows.count()).toBeGreaterThan(0);
        expect(new Set(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-status'))))).toEqual(new Set(['pass']));
      }
      if (label === DANE_FOR_SCREENSHOT) {
        // RFC 7672 §3.2: mx2's record matches another key: its addresses fail, and the record to publish is offered.
        const dane = page.locator('[data-check="dane"]');
        const mx2 = dane.locator(`section[data-mx-host="mx2.${s.domain}"]`);
        expect(await mx2.getAttribute('data-status')).toBe('fail');
        expect(await mx2.locator('li[data-mx-address][data-status="fail"]').count()).toBeGreaterThan(0);
        expect(await mx2.getByTestId('dane-unmatched').count()).toBe(1);
        expect(await mx2.getByRole('button', { name: `Copy TLSA record for mx2.${s.domain}` }).count()).toBeGreaterThan(0);
        await dane.screenshot({ path: join(ARTIFACTS, 'report-dane.png') });
        copyFileSync(join(ARTIFACTS, 'report-dane.png'), join(DOCS_SCREENSHOTS, 'report-dane.png'));
      }
      if (A11Y_SCENARIOS.includes(label)) {
        // Every check expanded, down to the nested details (raw JSON, certificates).
        await page.evaluate(() => document.querySelectorAll('details').forEach((d) => (d.open = true)));
        await expectAccessible(page, `report page of ${label}, every check expanded`);
      }
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
    await expectAccessible(popup, 'popup with webmail candidates');
    await popup.close();
    await mail.close();
  });
});

describe('report page: links into a check, and the TLSRPT report viewer', () => {
  it('report.html?domain=…#mx opens that check once it has finished', async () => {
    const s = scenario('good');
    const page = await browser.newPage(`report.html?domain=${s.domain}#mx`);
    await finishedStatuses(page, CHECK_TIMEOUT_MS);
    await page.locator('[data-check="mx"] details[open]').waitFor({ timeout: 5_000 });
    expect(await page.locator('[data-check="policy-fetch"] details[open]').count()).toBe(0);
    await page.close();
  });

  it('with no ?domain=, reads dropped-in reports locally: gzip and plain, summed per domain and day, hostile text as text', async () => {
    const page = await browser.newPage('report.html');
    const fixture = (prefix: string) => {
      const name = readdirSync(TLSRPT_FIXTURES).find((f) => f.startsWith(prefix));
      if (!name) throw new Error(`no TLSRPT fixture ${prefix}`);
      return { name, buffer: readFileSync(join(TLSRPT_FIXTURES, name)) };
    };
    const google = fixture('google.com!');
    // Requests leaving the page while files are read would be uploads: there must be none.
    const requests: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    const chooser = page.getByLabel('Choose TLSRPT report files');
    await chooser.setInputFiles([
      { name: `${google.name}.gz`, mimeType: 'application/tlsrpt+gzip', buffer: gzipSync(google.buffer) },
      { ...fixture('microsoft.com!'), mimeType: 'application/json' },
      { ...fixture('dane.sender.example!'), mimeType: 'application/json' },
      { ...fixture('mta.sys4.example!'), mimeType: 'application/json' },
      { ...fixture('truncated.json'), mimeType: 'application/json' },
    ]);
    await page.getByTestId('tlsrpt-summary').waitFor({ timeout: 10_000 });
    const day = page.locator('[data-policy-domain="example.com"][data-day="2024-05-01"]');
    expect(await day.innerText()).toContain('Google Inc.');
    expect(await day.locator('tr[data-result-type="certificate-expired"] a').getAttribute('href')).toBe('report.html?domain=example.com#starttls');
    expect(await page.locator('[data-policy-domain="example.net"] tr[data-result-type="tlsa-invalid"] a').getAttribute('href')).toBe('report.html?domain=example.net#dane');
    expect(await page.locator('[data-file="truncated.json"]').getAttribute('data-status')).toBe('fail');
    await screenshot(page, 'tlsrpt-viewer.png', true, true);

    // One more report whose text is markup: shown as text, no element made from it.
    const hostile = JSON.parse(fixture('microsoft.com!').buffer.toString('utf8')) as Record<string, unknown>;
    hostile['organization-name'] = 'Evil <img src=x onerror="document.title=1"> Corp <script>document.title=2</script>';
    hostile['report-id'] = '<b>hostile</b>';
    await chooser.setInputFiles([{ name: 'hostile.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(hostile)) }]);
    await page.locator('[data-file="hostile.json"]').waitFor({ timeout: 10_000 });
    await expect.poll(() => day.innerText()).toContain('Evil <img src=x onerror="document.title=1"> Corp <script>');
    expect(await page.locator(INJECTABLE).count(), 'elements made from report text').toBe(0);
    expect(await page.locator('.tlsrpt-viewer b').count()).toBe(0);
    expect(await page.title()).not.toMatch(/^[12]$/);
    expect(requests.filter((u) => !u.startsWith('chrome-extension://'))).toEqual([]);
    await expectAccessible(page, 'report page with the TLSRPT viewer loaded');
    await page.close();
  });
});

describe('the helper crashes in the middle of a check (issue 7)', () => {
  it('the probes in flight become errors (starttls error, no hang); the next check starts a fresh helper', async () => {
    const s = scenario('good');
    const crashing = installCrashingHelper(browser.userDataDir);
    try {
      // A new browser drops the port to the helper started earlier, so the next connection runs the crashing launcher.
      await browser.restart();
      const page = await browser.newPage(`report.html?domain=${s.domain}`);
      await finishedStatuses(page, CHECK_TIMEOUT_MS);
      if ((await page.getByTestId('cached').count()) > 0) await recheck(page);
      expect(crashing.crashed(), 'the launcher saw a probe-mx request').toBe(true);
      const starttls = page.locator('[data-check="starttls"]');
      expect(await starttls.getAttribute('data-status')).toBe('error');
      if ((await starttls.locator(':scope > details').getAttribute('open')) === null) await starttls.locator(':scope > details > summary').click();
      expect(await starttls.innerText()).toMatch(/helper/i);
      await recheck(page);
      await expectReport(page, s);
      await page.close();
    } finally {
      crashing.restore();
    }
  }, 90_000);
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
      if (label === 'good') {
        await screenshot(page, 'report-no-helper.png', false, true);
        await expectAccessible(page, 'report page without the helper, policy fetch expanded');
      }
      await page.close();
    },
  );
});

describe('settings in storage that fail the schema (issue 7)', () => {
  it('the options page says what was wrong and shows the defaults it repaired them to', async () => {
    await browser.worker.evaluate(async (key) => {
      const { chrome } = globalThis as unknown as { chrome: { storage: { local: { set(v: object): Promise<void> } } } };
      await chrome.storage.local.set({ [key]: { version: 3, resolver: '<b>nonsense</b>', cacheMinutes: -1 } });
    }, SETTINGS_STORAGE_KEY);
    const page = await browser.newPage('options.html');
    const alert = page.getByRole('alert');
    await alert.waitFor({ timeout: 10_000 });
    expect(await alert.innerText()).toMatch(/reset to the defaults/);
    expect(await page.getByLabel('DNS-over-HTTPS resolver').inputValue()).toBe('cloudflare');
    expect(await page.locator('main b').count()).toBe(0);
    await expectAccessible(page, 'options page with repaired settings');
    await page.close();
  });
});
