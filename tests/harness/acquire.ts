// How a test file gets the test network: the one a vitest globalSetup provided
// (./global-setup.ts), else one started by `node scripts/testnet.mjs up` (its info file named in
// MTA_STS_TESTNET_INFO), else its own. Only the last is stopped by the returned `stop()`.
import { existsSync, readFileSync } from 'node:fs';
import { inject } from 'vitest';
import { startTestNetwork, type TestNetwork, type TestNetworkInfo } from './network.ts';

export async function acquireTestNetwork(): Promise<TestNetwork> {
  const provided = inject('testnet');
  if (provided) return { ...provided, stop: async () => {} };
  const file = process.env.MTA_STS_TESTNET_INFO;
  if (file && existsSync(file)) {
    const info = JSON.parse(readFileSync(file, 'utf8')) as TestNetworkInfo;
    return { ...info, stop: async () => {} };
  }
  return startTestNetwork();
}
