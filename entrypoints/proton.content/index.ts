import { defineContentScript } from 'wxt/utils/define-content-script';
import { startSenderResponder } from '../shared/webmail/responder.ts';
import { protonAdapter } from './adapter.ts';

export default defineContentScript({
  matches: ['https://mail.proton.me/*'],
  runAt: 'document_idle',
  main() {
    startSenderResponder(protonAdapter);
  },
});
