import { defineContentScript } from 'wxt/utils/define-content-script';
import { startSenderResponder } from '../shared/webmail/responder.ts';
import { gmailAdapter } from './adapter.ts';

export default defineContentScript({
  matches: ['https://mail.google.com/*'],
  runAt: 'document_idle',
  main() {
    startSenderResponder(gmailAdapter);
  },
});
