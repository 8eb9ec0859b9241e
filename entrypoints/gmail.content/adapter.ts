// Gmail: in an open conversation each expanded message (`div.adn.ads`) has a header whose sender
// is `span.gD` carrying the address in its `email` attribute. Collapsed messages and the inbox
// list use other classes, so only an open message matches.
import { addressFrom, lastMatch, type SenderAddresses } from '../shared/webmail/address.ts';
import type { SenderAdapter } from '../shared/webmail/adapter.ts';

export const gmailAdapter: SenderAdapter = {
  site: 'Gmail',
  find(doc): SenderAddresses {
    const main = doc.querySelector('[role="main"]');
    if (!main) return {};
    const message = lastMatch(main, ['div.adn.ads']);
    if (!message) return {};
    const from = addressFrom(message.querySelector('h3 span.gD[email], span.gD[email]') ?? undefined, ['email']);
    return from ? { from } : {};
  },
};
