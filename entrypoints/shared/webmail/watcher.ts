// Keeps the open message's sender current as the webmail page changes without a reload (these
// are single-page apps): a MutationObserver marks the value stale, and it is recomputed at most
// every `delayMs`, or at once when the popup asks.
import type { SenderAdapter } from './adapter.ts';
import type { SenderAddresses } from './address.ts';

export interface SenderWatcher {
  current(): SenderAddresses;
  stop(): void;
}

function same(a: SenderAddresses, b: SenderAddresses): boolean {
  return a.from === b.from && a.replyTo === b.replyTo;
}

export function createSenderWatcher(
  doc: Document,
  adapter: SenderAdapter,
  options: { delayMs?: number; onChange?: (s: SenderAddresses) => void } = {},
): SenderWatcher {
  const compute = (): SenderAddresses => {
    try {
      return adapter.find(doc);
    } catch {
      return {}; // a page we do not understand gives no sender, never a crash in the page
    }
  };
  let value = compute();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const refresh = () => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    const next = compute();
    if (!same(next, value)) {
      value = next;
      options.onChange?.(next);
    }
  };
  const observer = new MutationObserver(() => {
    if (timer === undefined) timer = setTimeout(refresh, options.delayMs ?? 150);
  });
  observer.observe(doc.documentElement, { subtree: true, childList: true, attributes: true, characterData: true });
  return {
    current() {
      if (timer !== undefined) refresh();
      return value;
    },
    stop() {
      observer.disconnect();
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}
