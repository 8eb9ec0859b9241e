// The sender address as a webmail page shows it, checked strictly: a page (or a crafted display
// name) can put anything in the sender element, and a wrong domain is worse than none. Accepts
// `a@b.example`, `<a@b.example>` and `Name <a@b.example>`; anything else gives undefined.
import { normalizeDomainInput } from '../../../core/parse/domain-name.ts';

/** RFC 5322 dot-atom local part (no quoted strings: webmail never shows them for real senders). */
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
/** Characters a page can use to make text look other than it is: bidi overrides, zero-width, controls. */
const DECEPTIVE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]/;

export interface SenderAddresses {
  from?: string;
  replyTo?: string;
}

export function parseSenderAddress(raw: string | null | undefined): string | undefined {
  if (typeof raw !== 'string' || raw.length > 512 || DECEPTIVE.test(raw)) return undefined;
  const text = raw.replace(/\s+/g, ' ').trim();
  let address = text;
  const bracketed = /^(.*)<([^<>]*)>$/.exec(text);
  if (bracketed) {
    const name = bracketed[1] ?? '';
    // A display name holding an address or brackets is how spoofs look: refuse rather than pick one.
    if (/[@<>]/.test(name)) return undefined;
    address = (bracketed[2] ?? '').trim();
  }
  if (address.length > 254 || /[\s<>()[\]\\,;:"]/.test(address)) return undefined;
  const at = address.lastIndexOf('@');
  if (at <= 0 || address.indexOf('@') !== at) return undefined;
  const local = address.slice(0, at);
  const domain = address.slice(at + 1);
  if (local.length > 64 || !LOCAL_PART.test(local) || !domain.includes('.')) return undefined;
  const norm = normalizeDomainInput(address);
  if (!norm.ok || norm.from !== 'email') return undefined;
  return `${local}@${norm.domain}`;
}

/** The first element matching any selector, in order (sites ship variants of their markup). */
export function firstMatch(scope: ParentNode, selectors: readonly string[]): Element | undefined {
  for (const s of selectors) {
    const el = scope.querySelector(s);
    if (el) return el;
  }
  return undefined;
}

/** The last element matching any selector: in a conversation, the most recently opened message. */
export function lastMatch(scope: ParentNode, selectors: readonly string[]): Element | undefined {
  for (const s of selectors) {
    const all = scope.querySelectorAll(s);
    const el = all[all.length - 1];
    if (el) return el;
  }
  return undefined;
}

/** An address from an element: the named attribute if present, else its text. */
export function addressFrom(el: Element | undefined, attributes: readonly string[] = []): string | undefined {
  if (!el) return undefined;
  for (const a of attributes) {
    const v = el.getAttribute(a);
    if (v !== null) return parseSenderAddress(v);
  }
  return parseSenderAddress(el.textContent);
}
