import { defineConfig } from 'wxt';
import preact from '@preact/preset-vite';
import { CHROMIUM_EXTENSION_KEY, FIREFOX_EXTENSION_ID } from './core/extension-ids.ts';

// The DoH resolvers' origins (core/dns/doh.ts BUILTIN_RESOLVERS): the only hosts granted at install.
const RESOLVER_ORIGINS = ['https://cloudflare-dns.com/*', 'https://dns.google/*', 'https://dns.quad9.net/*'];
// Asked for when first needed: the policy fetch without the helper (any https://mta-sts.<domain>/),
// and a custom resolver's origin.
const OPTIONAL_ORIGINS = ['https://*/*'];

// Extension pages load only their own scripts; connections go to https (resolvers, policies) and,
// for test resolvers on loopback only (the settings schema refuses other http URLs), to http.
const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
  "img-src 'self' data:",
  "style-src 'self'",
  "connect-src 'self' https: http://127.0.0.1:* http://localhost:* http://[::1]:*",
].join('; ');

// See https://wxt.dev/api/config.html
export default defineConfig({
  modules: ['@wxt-dev/webextension-polyfill'],
  imports: false,
  vite: () => ({
    plugins: [preact()],
  }),
  manifest: ({ browser, manifestVersion }) => ({
    name: 'MTA-STS Inspector',
    description: "Checks a domain's MTA-STS (RFC 8461) and TLS Reporting (RFC 8460) set-up and says how to fix it.",
    permissions: ['storage', 'contextMenus', 'activeTab', 'nativeMessaging'],
    host_permissions: RESOLVER_ORIGINS,
    // MV2 (Firefox by default) has no optional_host_permissions: origins go in optional_permissions.
    ...(manifestVersion === 3 ? { optional_host_permissions: OPTIONAL_ORIGINS } : { optional_permissions: OPTIONAL_ORIGINS }),
    content_security_policy: manifestVersion === 3 ? { extension_pages: CSP } : CSP,
    icons: { 16: '/icon/16.png', 32: '/icon/32.png', 48: '/icon/48.png', 128: '/icon/128.png' },
    action: { default_title: 'MTA-STS Inspector', default_icon: { 16: '/icon/16.png', 32: '/icon/32.png' } },
    ...(browser === 'firefox'
      ? {
          browser_specific_settings: {
            // No data goes to us or anyone but the resolver, policy hosts and MX hosts the user asks about.
            gecko: { id: FIREFOX_EXTENSION_ID, strict_min_version: '115.0', data_collection_permissions: { required: ['none'] } },
          },
        }
      : { key: CHROMIUM_EXTENSION_KEY }),
  }),
});
