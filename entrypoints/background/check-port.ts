// The streaming check over a runtime Port: the popup or report page connects, sends `start`, and
// receives `started`, one `check` per finished check, then `done` (or `error`). A new `start`,
// a `cancel`, or the page closing (the port disconnecting) aborts the work in flight.
import { browser } from 'wxt/browser';
import { extensionUrl } from '../shared/extension-url.ts';
import { CHECK_PORT_NAME, CheckClientMessageSchema, type CheckServerMessage } from '../shared/ui-protocol.ts';
import { runCheck, type CheckDeps } from './run-check.ts';

export interface CheckPortLike {
  name: string;
  postMessage(message: unknown): void;
  onMessage: { addListener(cb: (message: unknown) => void): void };
  onDisconnect: { addListener(cb: () => void): void };
}

/** Wire one connected port; returns a promise-free controller for tests. */
export function handleCheckPort(port: CheckPortLike, deps: CheckDeps): { running: () => Promise<void> } {
  let controller: AbortController | undefined;
  let current: Promise<void> = Promise.resolve();
  let connected = true;
  const send = (m: CheckServerMessage) => {
    if (!connected) return;
    try {
      port.postMessage(m);
    } catch {
      connected = false; // the page went away between the check and the answer
      controller?.abort();
    }
  };
  port.onMessage.addListener((raw) => {
    const parsed = CheckClientMessageSchema.safeParse(raw);
    if (!parsed.success) return send({ type: 'error', message: 'bad request from the page' });
    controller?.abort();
    controller = undefined;
    if (parsed.data.type === 'cancel') return;
    const c = new AbortController();
    controller = c;
    current = runCheck(parsed.data, deps, send, c.signal);
  });
  port.onDisconnect.addListener(() => {
    connected = false;
    controller?.abort();
  });
  return { running: () => current };
}

export function setupCheckPort(deps: CheckDeps): void {
  browser.runtime.onConnect.addListener((port) => {
    if (port.name !== CHECK_PORT_NAME) return;
    // Only our own pages may start checks (content scripts connect with a tab in `sender`).
    if (port.sender?.tab !== undefined && !port.sender.url?.startsWith(extensionUrl('/'))) return port.disconnect();
    handleCheckPort(port, deps);
  });
}
