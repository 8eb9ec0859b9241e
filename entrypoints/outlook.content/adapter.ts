// Outlook on the web: the reading pane (`#ReadingPaneContainerId`, or the section marked
// `data-app-section="ConversationContainer"`) shows each open message's sender as a persona
// button whose `title` (or text) is "Name <address>". Class names are generated, so only ids,
// data attributes and ARIA are used.
import { addressFrom, firstMatch, lastMatch, type SenderAddresses } from '../shared/webmail/address.ts';
import type { SenderAdapter } from '../shared/webmail/adapter.ts';

const PANES = ['#ReadingPaneContainerId', '[data-app-section="ConversationContainer"]', '[role="main"][aria-label="Reading Pane"]'];
const SENDERS = ['[data-testid="SenderPersona"]', 'span[aria-label^="From:"]', 'div[aria-label^="From:"] span[title]'];

export const outlookAdapter: SenderAdapter = {
  site: 'Outlook',
  find(doc): SenderAddresses {
    const pane = firstMatch(doc, PANES);
    if (!pane) return {};
    const from = addressFrom(lastMatch(pane, SENDERS), ['title']);
    return from ? { from } : {};
  },
};
