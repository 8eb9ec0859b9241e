// Proton Mail: an expanded message header (`data-testid="message-header-expanded"`) lists the
// sender under `data-testid="recipients:sender"`, the address in `data-testid="recipient-address"`
// shown as "<address>". Reply-To, when the sender set one, is `recipients:reply-to`.
import { addressFrom, lastMatch, type SenderAddresses } from '../shared/webmail/address.ts';
import type { SenderAdapter } from '../shared/webmail/adapter.ts';

export const protonAdapter: SenderAdapter = {
  site: 'Proton Mail',
  find(doc): SenderAddresses {
    const header = lastMatch(doc, ['[data-testid="message-header-expanded"]']);
    if (!header) return {};
    const pick = (testid: string) =>
      addressFrom(header.querySelector(`[data-testid="${testid}"] [data-testid="recipient-address"]`) ?? undefined);
    const from = pick('recipients:sender');
    const replyTo = pick('recipients:reply-to');
    return { ...(from ? { from } : {}), ...(replyTo && replyTo !== from ? { replyTo } : {}) };
  },
};
