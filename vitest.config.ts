import { defineConfig } from 'vitest/config';
import preact from '@preact/preset-vite';

// Two projects: everything that needs no shared servers, and the suites that use the local test
// internet (tests/harness). The latter share ONE network, started once by the globalSetup, since
// its servers sit on fixed loopback addresses and ports 25/53/443.
const NETWORK_SUITES = ['tests/integration/**/*.test.ts', 'tests/e2e/**/*.test.ts'];

export default defineConfig({
  plugins: [preact()],
  test: {
    testTimeout: 30_000,
    hookTimeout: 180_000,
    // Integration tests bind loopback addresses and ports: keep the noise down on 2 cores.
    maxWorkers: 2,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/**/*.test.{ts,tsx}'],
          exclude: NETWORK_SUITES,
          environment: 'node',
        },
      },
      {
        extends: true,
        test: {
          name: 'network',
          include: NETWORK_SUITES,
          environment: 'node',
          globalSetup: ['tests/harness/global-setup.ts'],
          fileParallelism: false,
        },
      },
    ],
  },
});
