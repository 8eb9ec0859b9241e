// One-shot requests from the extension's pages: the helper's state (options page), a cached report,
// and what the popup needs when it opens (its domain candidates and the first one's cached report,
// in one round trip, so a cached result is on screen at once).
import { browser } from 'wxt/browser';
import { extensionUrl } from '../shared/extension-url.ts';
import { BackgroundRequestSchema, type GetCachedResponse, type HelperState, type PopupOpenResponse } from '../shared/ui-protocol.ts';
import { MAX_CANDIDATES } from '../shared/protocol-constants.ts';
import { cachedReport, type CheckDeps } from './run-check.ts';
import { buildCandidates, senderOfTab, type TabMessenger } from './candidates.ts';

type Answer = HelperState | GetCachedResponse | PopupOpenResponse | { error: string };

export async function handleMessage(message: unknown, deps: CheckDeps, tabs?: TabMessenger): Promise<Answer> {
  const parsed = BackgroundRequestSchema.safeParse(message);
  if (!parsed.success) return { error: 'unknown request' };
  const m = parsed.data;
  switch (m.type) {
    case 'helper-status':
      return deps.helper.state(m.refresh ?? false);
    case 'get-cached':
      return cachedReport(m.input, deps);
    case 'popup-open': {
      const sender = tabs ? await senderOfTab(tabs, m.tabId) : undefined;
      const candidates = buildCandidates(sender, m.url).slice(0, MAX_CANDIDATES);
      const first = candidates[0]?.domain;
      return first ? { candidates, cached: await cachedReport(first, deps) } : { candidates };
    }
  }
}

/** The listener, shaped for both browsers and WXT's fake browser: sendResponse + return true. */
export function messageListener(deps: CheckDeps, tabs?: TabMessenger) {
  return (message: unknown, sender: { id?: string; tab?: unknown; url?: string }, sendResponse: (r: unknown) => void): boolean => {
    // Content scripts have no business here (they only answer the popup): pages in a tab must be ours.
    if (sender.id !== undefined && sender.id !== browser.runtime.id) return false;
    if (sender.tab !== undefined && !sender.url?.startsWith(extensionUrl('/'))) return false;
    if (!BackgroundRequestSchema.safeParse(message).success) return false;
    handleMessage(message, deps, tabs).then(sendResponse, (e: unknown) => sendResponse({ error: String(e) }));
    return true;
  };
}

export function setupMessages(deps: CheckDeps): void {
  const tabs: TabMessenger = { sendMessage: (tabId, message) => browser.tabs.sendMessage(tabId, message) };
  // why: the polyfill's listener type wants a Promise-or-true return; ours returns boolean with sendResponse.
  browser.runtime.onMessage.addListener(messageListener(deps, tabs) as Parameters<typeof browser.runtime.onMessage.addListener>[0]);
}
