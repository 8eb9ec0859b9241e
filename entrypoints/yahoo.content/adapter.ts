// Yahoo Mail: the open message view (`data-test-id="message-view"`) marks the sender line
// `data-test-id="message-from"`, whose e-mail pill carries the address in its `title`.
import { addressFrom, lastMatch, type SenderAddresses } from '../shared/webmail/address.ts';
import type { SenderAdapter } from '../shared/webmail/adapter.ts';

export const yahooAdapter: SenderAdapter = {
  site: 'Yahoo Mail',
  find(doc): SenderAddresses {
    const view = doc.querySelector('[data-test-id="message-view"]');
    if (!view) return {};
    const line = lastMatch(view, ['[data-test-id="message-from"]']);
    if (!line) return {};
    const pill = line.querySelector('[data-test-id="email-pill"][title]');
    const from = pill ? addressFrom(pill, ['title']) : addressFrom(line.querySelector('[data-test-id="message-from-email"]') ?? undefined);
    return from ? { from } : {};
  },
};
