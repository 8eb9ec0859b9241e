import { defineContentScript } from 'wxt/utils/define-content-script';
import { startSenderResponder } from '../shared/webmail/responder.ts';
import { yahooAdapter } from './adapter.ts';

export default defineContentScript({
  matches: ['https://mail.yahoo.com/*'],
  runAt: 'document_idle',
  main() {
    startSenderResponder(yahooAdapter);
  },
});
