// One-shot requests from the extension's pages: the helper's state (options page) and a cached
// report (the popup shows it at once, without touching the network).
import { browser } from 'wxt/browser';
import { extensionUrl } from '../shared/extension-url.ts';
import { BackgroundRequestSchema, type GetCachedResponse, type HelperState } from '../shared/ui-protocol.ts';
import { cachedReport, type CheckDeps } from './run-check.ts';

export async function handleMessage(message: unknown, deps: CheckDeps): Promise<HelperState | GetCachedResponse | { error: string }> {
  const parsed = BackgroundRequestSchema.safeParse(message);
  if (!parsed.success) return { error: 'unknown request' };
  switch (parsed.data.type) {
    case 'helper-status':
      return deps.helper.state(parsed.data.refresh ?? false);
    case 'get-cached':
      return cachedReport(parsed.data.input, deps);
  }
}

/** The listener, shaped for both browsers and WXT's fake browser: sendResponse + return true. */
export function messageListener(deps: CheckDeps) {
  return (message: unknown, sender: { id?: string; tab?: unknown; url?: string }, sendResponse: (r: unknown) => void): boolean => {
    // Content scripts have no business here (they only answer the popup): pages in a tab must be ours.
    if (sender.id !== undefined && sender.id !== browser.runtime.id) return false;
    if (sender.tab !== undefined && !sender.url?.startsWith(extensionUrl('/'))) return false;
    if (!BackgroundRequestSchema.safeParse(message).success) return false;
    handleMessage(message, deps).then(sendResponse, (e: unknown) => sendResponse({ error: String(e) }));
    return true;
  };
}

export function setupMessages(deps: CheckDeps): void {
  // why: the polyfill's listener type wants a Promise-or-true return; ours returns boolean with sendResponse.
  browser.runtime.onMessage.addListener(messageListener(deps) as Parameters<typeof browser.runtime.onMessage.addListener>[0]);
}
