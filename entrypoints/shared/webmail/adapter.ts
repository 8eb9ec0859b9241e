// What each webmail content script provides: where the open message's sender address is.
import type { SenderAddresses } from './address.ts';

export interface SenderAdapter {
  /** Shown in the popup: "Gmail", "Outlook". */
  site: string;
  /** Read only the sender (and Reply-To, where the page shows it) of the open message. */
  find(doc: Document): SenderAddresses;
}

/** The popup's request, checked by hand to keep content scripts free of the schema library. */
export const GET_SENDER = 'get-sender';
export function isSenderRequest(message: unknown): boolean {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === GET_SENDER;
}
