import { describe, expect, it } from 'vitest';
import { buildCandidates, tabDomain } from '../../../entrypoints/background/candidates.ts';

describe('popup domain candidates', () => {
  it.each([
    ['https://www.mail.example.co.uk/inbox', 'example.co.uk'],
    ['https://mail.google.com/mail/u/0/#inbox', 'google.com'],
    ['chrome://extensions/', undefined],
    ['about:blank', undefined],
    [undefined, undefined],
  ])('the tab %s gives the registrable domain %s', (url, expected) => {
    expect(tabDomain(url)).toBe(expected);
  });

  it('puts the sender first, then Reply-To, then the site, without duplicates', () => {
    expect(
      buildCandidates({ site: 'Gmail', from: 'alice@corp.example', replyTo: 'help@desk.example' }, 'https://mail.google.com/mail/u/0/'),
    ).toEqual([
      { source: 'Sender (Gmail)', domain: 'corp.example' },
      { source: 'Reply-To', domain: 'desk.example' },
      { source: 'This site', domain: 'google.com' },
    ]);
    expect(buildCandidates({ site: 'Fastmail', from: 'a@x.example', replyTo: 'b@x.example' }, undefined)).toEqual([
      { source: 'Sender (Fastmail)', domain: 'x.example' },
    ]);
  });

  it('falls back to the tab when no message is open', () => {
    expect(buildCandidates(undefined, 'https://shop.example.org/cart')).toEqual([{ source: 'This site', domain: 'example.org' }]);
  });
});
