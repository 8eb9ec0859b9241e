import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';

vi.mock('wxt/browser', () => ({ browser: fakeBrowser }));

import { MENU_CLICK_GLOBAL, MENU_IDS, domainFromContext, openReportForClick, reportPath, setupContextMenu } from '../../../entrypoints/background/context-menu.ts';
import { createReportCache, MAX_CACHE_ENTRIES } from '../../../entrypoints/background/report-cache.ts';
import { createPolicyHistory } from '../../../entrypoints/background/policy-history.ts';
import { REPORT } from '../../components/sample-report.ts';

describe('context menu "Check this domain"', () => {
  it.each([
    ['RFC 6068: a mailto: link gives the address domain', { menuItemId: MENU_IDS.link, linkUrl: 'mailto:Alice%20X%20%3Calice@Mail.Example.org%3E?subject=hi' }, 'mail.example.org'],
    ['RFC 6068: a mailto: link with several addresses gives the first', { menuItemId: MENU_IDS.link, linkUrl: 'mailto:a@one.example,b@two.example' }, 'one.example'],
    ['an https link gives the registrable domain', { menuItemId: MENU_IDS.link, linkUrl: 'https://www.mail.example.co.uk/path?q=1' }, 'example.co.uk'],
    ['an http link gives the registrable domain', { menuItemId: MENU_IDS.link, linkUrl: 'http://news.example.com/' }, 'example.com'],
    ['an ftp link gives nothing', { menuItemId: MENU_IDS.link, linkUrl: 'ftp://files.example.com/' }, undefined],
    ['a selected domain', { menuItemId: MENU_IDS.selection, selectionText: '  Example.NET. ' }, 'example.net'],
    ['a selected address in brackets', { menuItemId: MENU_IDS.selection, selectionText: '<bob@example.org>,' }, 'example.org'],
    ['selected prose gives nothing', { menuItemId: MENU_IDS.selection, selectionText: 'write to us at bob@example.org' }, undefined],
    ['the page gives its registrable domain', { menuItemId: MENU_IDS.page, pageUrl: 'https://a.b.example.com.au/x' }, 'example.com.au'],
    ['an IP-address page gives nothing', { menuItemId: MENU_IDS.page, pageUrl: 'https://192.0.2.1/' }, undefined],
    ['another menu item gives nothing', { menuItemId: 'other', pageUrl: 'https://example.com/' }, undefined],
  ])('%s', (_n, info, expected) => {
    expect(domainFromContext(info)).toBe(expected);
  });

  it('opens report.html with the domain encoded', () => {
    expect(reportPath('example.com&x=1')).toBe('/report.html?domain=example.com%26x%3D1');
  });
});

describe('report cache in extension storage', () => {
  beforeEach(() => fakeBrowser.reset());

  it('returns a fresh report and forgets it after the lifetime', async () => {
    let now = 0;
    const cache = createReportCache(fakeBrowser.storage.local, () => now);
    await cache.put('report:v1:k', REPORT);
    now = 4 * 60_000;
    expect((await cache.get('report:v1:k', 5))?.report.domain).toBe('example.com');
    now = 5 * 60_000;
    expect(await cache.get('report:v1:k', 5)).toBeUndefined();
    expect(await fakeBrowser.storage.local.get('report:v1:k')).toEqual({});
  });

  it('drops an entry that no longer fits the report schema', async () => {
    await fakeBrowser.storage.local.set({ 'report:v1:k': { storedAt: 0, report: { schema: 0 } } });
    expect(await createReportCache(fakeBrowser.storage.local, () => 1).get('report:v1:k', 5)).toBeUndefined();
  });

  it(`keeps at most ${MAX_CACHE_ENTRIES} entries, the newest`, async () => {
    let now = 0;
    const cache = createReportCache(fakeBrowser.storage.local, () => ++now);
    for (let i = 0; i <= MAX_CACHE_ENTRIES; i++) await cache.put(`report:v1:${i}`, REPORT);
    const keys = Object.keys(await fakeBrowser.storage.local.get(null));
    expect(keys).toHaveLength(MAX_CACHE_ENTRIES);
    expect(keys).not.toContain('report:v1:0');
  });
});

describe('policy history (RFC 8461 §3.1 id changes)', () => {
  beforeEach(() => fakeBrowser.reset());

  it('stores and returns the last entry per domain, case-insensitively', async () => {
    const h = createPolicyHistory(fakeBrowser.storage.local);
    const entry = { domain: 'example.com', id: '2025', policySha256: 'ab'.repeat(32), firstSeen: '2025-01-01T00:00:00Z', lastSeen: '2025-02-01T00:00:00Z', maxAge: 86400 };
    await h.put(entry);
    expect(await h.get('EXAMPLE.com')).toEqual(entry);
    expect(await h.get('example.org')).toBeUndefined();
  });
});

describe('context menu click (the listener\'s function, as the e2e tests call it)', () => {
  beforeEach(() => fakeBrowser.reset());

  it.each([
    ['a mailto: link', { menuItemId: MENU_IDS.link, linkUrl: 'mailto:Bob@Mail.Example.org?subject=x' }, 'mail.example.org'],
    ['a selected address', { menuItemId: MENU_IDS.selection, selectionText: ' <alice@example.com>, ' }, 'example.com'],
    ['the page', { menuItemId: MENU_IDS.page }, 'example.co.uk'],
  ])('opens report.html for %s next to the clicked tab', async (_n, info, domain) => {
    const create = vi.spyOn(fakeBrowser.tabs, 'create');
    const url = await openReportForClick(info, { url: 'https://www.shop.example.co.uk/', index: 2 });
    expect(url).toMatch(new RegExp(`/report\\.html\\?domain=${domain.replaceAll('.', '\\.')}$`));
    expect(create).toHaveBeenCalledWith({ url, index: 3 });
  });

  it('publishes the function only on the background\'s own global scope, under MENU_CLICK_GLOBAL', () => {
    const added = vi.spyOn(fakeBrowser.contextMenus.onClicked, 'addListener').mockImplementation(() => undefined);
    setupContextMenu();
    expect(added).toHaveBeenCalledOnce();
    expect((globalThis as Record<string, unknown>)[MENU_CLICK_GLOBAL]).toBe(openReportForClick);
    expect(MENU_CLICK_GLOBAL).toBe('mtaStsInspectorMenuClick'); // tests/e2e/extension.test.ts calls it by this name
  });
});
