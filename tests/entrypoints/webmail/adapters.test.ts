// @vitest-environment happy-dom
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { gmailAdapter } from '../../../entrypoints/gmail.content/adapter.ts';
import { outlookAdapter } from '../../../entrypoints/outlook.content/adapter.ts';
import { yahooAdapter } from '../../../entrypoints/yahoo.content/adapter.ts';
import { protonAdapter } from '../../../entrypoints/proton.content/adapter.ts';
import { fastmailAdapter } from '../../../entrypoints/fastmail.content/adapter.ts';
import type { SenderAdapter } from '../../../entrypoints/shared/webmail/adapter.ts';
import { createSenderWatcher } from '../../../entrypoints/shared/webmail/watcher.ts';

// happy-dom rewrites import.meta.url, so fixtures are found from the project root vitest runs in.
const FIXTURES = resolve(process.cwd(), 'tests/fixtures/webmail');

function load(name: string): void {
  document.body.innerHTML = readFileSync(resolve(FIXTURES, name), 'utf8');
}

afterEach(() => {
  document.body.innerHTML = '';
});

describe('webmail adapters read only the open message sender', () => {
  it.each<[string, SenderAdapter, string, { from?: string; replyTo?: string }]>([
    ['Gmail span.gD[email] in the expanded message', gmailAdapter, 'gmail.html', { from: 'alice@mail.example.co.uk' }],
    ['Outlook persona title in the reading pane', outlookAdapter, 'outlook.html', { from: 'bob@contoso.example' }],
    ['Yahoo e-mail pill title in message-from', yahooAdapter, 'yahoo.html', { from: 'dave@yahoo-sender.example' }],
    ['Proton recipients:sender and reply-to', protonAdapter, 'proton.html', { from: 'frank@proton-sender.example', replyTo: 'replies@helpdesk.example' }],
    ['Fastmail fromEmail of the expanded message (same Reply-To dropped)', fastmailAdapter, 'fastmail.html', { from: 'heidi@fastmail-sender.example' }],
  ])('%s', (_name, adapter, fixture, expected) => {
    load(fixture);
    expect(adapter.find(document)).toEqual(expected);
  });

  it.each<[string, SenderAdapter]>([
    ['Gmail', gmailAdapter],
    ['Outlook', outlookAdapter],
    ['Yahoo', yahooAdapter],
    ['Proton', protonAdapter],
    ['Fastmail', fastmailAdapter],
  ])('%s: a page with no open message gives no sender', (_name, adapter) => {
    document.body.innerHTML = '<div role="main"><p>Inbox: bob@list.example</p></div>';
    expect(adapter.find(document)).toEqual({});
  });

  it('Gmail: hostile text in the email attribute gives no domain rather than a wrong one', () => {
    load('gmail-hostile.html');
    expect(gmailAdapter.find(document)).toEqual({});
  });
});

describe('sender watcher follows the page without a reload', () => {
  it('picks up a newly opened message through the MutationObserver', async () => {
    load('gmail.html');
    const changed = new Promise<string | undefined>((resolve) => {
      const w = createSenderWatcher(document, gmailAdapter, { delayMs: 1, onChange: (s) => { w.stop(); resolve(s.from); } });
    });
    const msg = document.querySelector('div.adn.ads span.gD');
    msg?.setAttribute('email', 'new@other.example');
    expect(await changed).toBe('new@other.example');
  });

  it('current() recomputes at once when a change is pending', () => {
    load('outlook.html');
    const w = createSenderWatcher(document, outlookAdapter, { delayMs: 10_000 });
    expect(w.current().from).toBe('bob@contoso.example');
    document.getElementById('ReadingPaneContainerId')?.remove();
    // The observer's callback runs as a microtask; after it, a change is pending for 10 s,
    // and current() must not serve the stale sender meanwhile.
    return Promise.resolve().then(() => {
      expect(w.current()).toEqual({});
      w.stop();
    });
  });
});
