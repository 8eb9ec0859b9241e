// The real dependencies of a check in the extension: storage.local, the global fetch, the helper,
// the host-permission query, and the engine.
import { browser } from 'wxt/browser';
import { checkDomain } from '../../core/engine.ts';
import { resolverFromSetting } from '../../core/dns/doh.ts';
import type { HelperClient } from './helper-client.ts';
import type { CheckDeps } from './run-check.ts';
import { POLICY_FETCH_ORIGINS } from './check-deps-constants.ts';

export function createCheckDeps(helper: HelperClient): CheckDeps {
  return {
    area: browser.storage.local,
    helper,
    // Bound, so the engine's DoH client and the policy fetch do not call fetch with a foreign `this`.
    fetch: (input, init) => fetch(input, init),
    hasHostPermission: () => browser.permissions.contains({ origins: POLICY_FETCH_ORIGINS }),
    checkDomain,
    resolverFromSetting,
  };
}
