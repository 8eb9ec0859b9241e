// "Check this domain" on links, selected text and the page: opens report.html?domain=… in a tab.
import { browser } from 'wxt/browser';
import { extensionUrl } from '../shared/extension-url.ts';
import { getDomain } from 'tldts';
import { normalizeDomainInput } from '../../core/parse/domain-name.ts';

export const MENU_IDS = { link: 'check-link', selection: 'check-selection', page: 'check-page' } as const;

export interface MenuClick {
  menuItemId: string | number;
  linkUrl?: string;
  selectionText?: string;
  pageUrl?: string;
}

/** The registrable domain of an http(s) URL's host (Public Suffix List through tldts). */
export function registrableDomainOfUrl(url: string | undefined): string | undefined {
  if (!url) return undefined;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
  return getDomain(u.hostname) ?? undefined;
}

/** The domain of the first address of a mailto: URL (RFC 6068: addresses are percent-encoded, comma-separated). */
export function domainOfMailto(url: string): string | undefined {
  if (!/^mailto:/i.test(url)) return undefined;
  const to = url.slice('mailto:'.length).split('?')[0] ?? '';
  let first: string;
  try {
    first = decodeURIComponent(to.split(',')[0] ?? '').trim();
  } catch {
    return undefined;
  }
  if (first === '') return undefined;
  const norm = normalizeDomainInput(first);
  return norm.ok && norm.from === 'email' ? norm.domain : undefined;
}

/** The domain or address in selected text: the whole selection, trimmed of quotes, brackets and punctuation. */
export function domainOfSelection(text: string | undefined): string | undefined {
  if (!text) return undefined;
  const t = text
    .trim()
    .slice(0, 512)
    .replace(/^[\s"'<([{]+|[\s"'>)\]},;:.!?]+$/g, '');
  if (t === '' || /\s/.test(t)) return undefined;
  const norm = normalizeDomainInput(t);
  return norm.ok ? norm.domain : undefined;
}

/** What a click on our menu item checks, or undefined when there is nothing to check. */
export function domainFromContext(info: MenuClick): string | undefined {
  switch (info.menuItemId) {
    case MENU_IDS.link:
      if (info.linkUrl && /^mailto:/i.test(info.linkUrl)) return domainOfMailto(info.linkUrl);
      return registrableDomainOfUrl(info.linkUrl);
    case MENU_IDS.selection:
      return domainOfSelection(info.selectionText);
    case MENU_IDS.page:
      return registrableDomainOfUrl(info.pageUrl);
    default:
      return undefined;
  }
}

export function reportPath(domain: string): string {
  return `/report.html?domain=${encodeURIComponent(domain)}`;
}

/** The clicked tab, as far as the menu needs it. */
export interface MenuTab {
  url?: string;
  index?: number;
}

/** What the menu listener does: open report.html for what was clicked, next to the tab. Returns the URL opened. */
export async function openReportForClick(info: MenuClick, tab: MenuTab | undefined): Promise<string> {
  const domain = domainFromContext({ ...info, pageUrl: info.pageUrl ?? tab?.url });
  // Nothing recognisable: open the report page anyway with what was clicked, so it can say why.
  const input = domain ?? (info.selectionText ?? info.linkUrl ?? '').trim().slice(0, 256);
  const url = extensionUrl(reportPath(input));
  await browser.tabs.create({ url, ...(tab?.index !== undefined ? { index: tab.index + 1 } : {}) });
  return url;
}

/** The name under which the end-to-end tests reach openReportForClick (see setupContextMenu). */
export const MENU_CLICK_GLOBAL = 'mtaStsInspectorMenuClick';

export function setupContextMenu(): void {
  browser.runtime.onInstalled.addListener(() => {
    void browser.contextMenus.removeAll().then(() => {
      browser.contextMenus.create({ id: MENU_IDS.link, title: 'Check this domain', contexts: ['link'] });
      browser.contextMenus.create({ id: MENU_IDS.selection, title: 'Check this domain: “%s”', contexts: ['selection'] });
      browser.contextMenus.create({ id: MENU_IDS.page, title: 'Check this domain', contexts: ['page'] });
    });
  });
  browser.contextMenus.onClicked.addListener((info, tab) => void openReportForClick(info, tab));
  // A headless browser cannot click a context menu, so the end-to-end tests call the listener's
  // function here. The background's global scope is reachable only by the extension's own code and
  // a debugger, never by web pages or content scripts: this adds no attack surface.
  (globalThis as Record<string, unknown>)[MENU_CLICK_GLOBAL] = openReportForClick;
}
