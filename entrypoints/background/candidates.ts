// The popup's domain candidates: the open message's sender and Reply-To (from the webmail content
// script), then the active tab's registrable domain (Public Suffix List, through tldts). Worked out
// in the background, which carries tldts anyway for the context menu, so the popup does not.
import { getDomain } from 'tldts';
import { normalizeDomainInput } from '../../core/parse/domain-name.ts';
import type { DomainCandidate } from '../../components/DomainForm.tsx';
import { SenderResponseSchema, type SenderResponse } from '../shared/ui-protocol.ts';

export function tabDomain(url: string | undefined): string | undefined {
  if (!url) return undefined;
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
    const d = getDomain(u.hostname);
    if (!d) return undefined;
    const norm = normalizeDomainInput(d);
    return norm.ok ? norm.domain : undefined;
  } catch {
    return undefined;
  }
}

function domainOfAddress(address: string | undefined): string | undefined {
  if (!address) return undefined;
  const norm = normalizeDomainInput(address);
  return norm.ok && norm.from === 'email' ? norm.domain : undefined;
}

export function buildCandidates(sender: SenderResponse | undefined, tabUrl: string | undefined): DomainCandidate[] {
  const out: DomainCandidate[] = [];
  const add = (source: string, domain: string | undefined) => {
    if (domain && !out.some((c) => c.domain === domain)) out.push({ source, domain });
  };
  add(`Sender${sender?.site ? ` (${sender.site})` : ''}`, domainOfAddress(sender?.from));
  add('Reply-To', domainOfAddress(sender?.replyTo));
  add('This site', tabDomain(tabUrl));
  return out;
}

export interface TabMessenger {
  sendMessage(tabId: number, message: unknown): Promise<unknown>;
}

/** Asks the webmail content script of a tab for the open message's sender; undefined when there is none. */
export async function senderOfTab(tabs: TabMessenger, tabId: number | undefined): Promise<SenderResponse | undefined> {
  if (tabId === undefined) return undefined;
  try {
    const parsed = SenderResponseSchema.safeParse(await tabs.sendMessage(tabId, { type: 'get-sender' }));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined; // no content script on this page: not webmail
  }
}
