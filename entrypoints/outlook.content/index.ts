import { defineContentScript } from 'wxt/utils/define-content-script';
import { startSenderResponder } from '../shared/webmail/responder.ts';
import { outlookAdapter } from './adapter.ts';

export default defineContentScript({
  matches: ['https://outlook.live.com/*', 'https://outlook.office.com/*', 'https://outlook.office365.com/*'],
  runAt: 'document_idle',
  main() {
    startSenderResponder(outlookAdapter);
  },
});
