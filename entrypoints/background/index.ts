// The background: a composition root. All browser calls happen inside main() (WXT imports this
// file in Node at build time).
import { defineBackground } from 'wxt/utils/define-background';
import { setupContextMenu } from './context-menu.ts';
import { setupHelperPort } from './helper-port.ts';
import { setupMessages } from './messages.ts';
import { setupCheckPort } from './check-port.ts';
import { createCheckDeps } from './check-deps.ts';

export default defineBackground(() => {
  const helper = setupHelperPort();
  const deps = createCheckDeps(helper);
  setupContextMenu();
  setupMessages(deps);
  setupCheckPort(deps);
});
