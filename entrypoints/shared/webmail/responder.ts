// The content-script side: answer the popup's "get-sender" with the open message's sender.
import { browser } from 'wxt/browser';
import { isSenderRequest, type SenderAdapter } from './adapter.ts';
import { createSenderWatcher } from './watcher.ts';

export function startSenderResponder(adapter: SenderAdapter): void {
  const watcher = createSenderWatcher(document, adapter);
  browser.runtime.onMessage.addListener(((message: unknown, sender: { id?: string }, sendResponse: (r: unknown) => void) => {
    if (sender.id !== browser.runtime.id || !isSenderRequest(message)) return false;
    sendResponse({ site: adapter.site, ...watcher.current() });
    return false;
  }) as Parameters<typeof browser.runtime.onMessage.addListener>[0]);
}
