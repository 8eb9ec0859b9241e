// A vitest globalSetup for suites that want one test network for every file:
//   test: { globalSetup: ['tests/harness/global-setup.ts'] }
// The tests then get it with `acquireTestNetwork()` (./acquire.ts), which reads what this
// provides instead of starting a second network on the same fixed addresses.
import type { TestProject } from 'vitest/node';
import { startTestNetwork, type TestNetworkInfo } from './network.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    testnet: TestNetworkInfo | undefined;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const net = await startTestNetwork({ log: (line) => process.stderr.write(`[testnet] ${line}\n`) });
  const { stop, ...info } = net;
  project.provide('testnet', info);
  return stop;
}
