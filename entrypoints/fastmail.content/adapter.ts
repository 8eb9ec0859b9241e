// Fastmail: in the reading pane each expanded message (`.v-Message` without `is-collapsed`) has a
// header with `.v-Message-fromEmail` ("<address>") next to the name; Reply-To, when different,
// is shown as `.v-Message-replyToEmail`.
import { addressFrom, lastMatch, type SenderAddresses } from '../shared/webmail/address.ts';
import type { SenderAdapter } from '../shared/webmail/adapter.ts';

export const fastmailAdapter: SenderAdapter = {
  site: 'Fastmail',
  find(doc): SenderAddresses {
    const message = lastMatch(doc, ['.v-Message:not(.is-collapsed)']);
    if (!message) return {};
    const from = addressFrom(message.querySelector('.v-Message-fromEmail') ?? undefined);
    const replyTo = addressFrom(message.querySelector('.v-Message-replyToEmail') ?? undefined);
    return { ...(from ? { from } : {}), ...(replyTo && replyTo !== from ? { replyTo } : {}) };
  },
};
