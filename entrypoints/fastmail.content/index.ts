import { defineContentScript } from 'wxt/utils/define-content-script';
import { startSenderResponder } from '../shared/webmail/responder.ts';
import { fastmailAdapter } from './adapter.ts';

export default defineContentScript({
  matches: ['https://app.fastmail.com/*', 'https://www.fastmail.com/*'],
  runAt: 'document_idle',
  main() {
    startSenderResponder(fastmailAdapter);
  },
});
