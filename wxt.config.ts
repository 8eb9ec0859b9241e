import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';

// See https://wxt.dev/api/config.html
export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  imports: false,
  vite: () => ({
    plugins: [preact()],
  }),
  manifest: {
    name: 'MTA-STS Inspector',
    description: "Checks a domain's MTA-STS (RFC 8461) and TLS Reporting (RFC 8460) set-up and says how to fix it.",
    permissions: ['storage', 'contextMenus', 'activeTab', 'nativeMessaging'],
  },
});
