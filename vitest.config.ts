import { defineConfig } from 'vitest/config';

import { unitScratchDir } from './test/scratch-setup.js';

// Four projects: fast pure/CLI tests; the install checks (release archives installed with a real
// krew and run through a real kubectl, npm install -g); the cluster suite on a real kube-apiserver +
// etcd; and the real-node suites (a kubelet, containerd, CNI bridge, kube-router and kube-proxy in
// their own network namespace), where real pods open real connections.
export default defineConfig({
  test: {
    // The JSON report feeds .ci/run's plain "N passed, N failed" line.
    reporters: ['default', 'json'],
    outputFile: { json: '.cache/vitest-results.json' },
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
          exclude: ['test/cluster/**', 'test/install/**', 'test/node/**', 'test/dataplane/**', 'node_modules/**'],
          globalSetup: ['test/scratch-setup.ts'],
          // Temporary files of unit tests go into a scratch directory of this run (see scratch-setup.ts).
          env: { TMPDIR: unitScratchDir() },
          testTimeout: 30_000,
        },
      },
      {
        test: {
          name: 'install',
          include: ['test/install/**/*.test.ts'],
          testTimeout: 120_000,
          // The release build (standalone executables, cached) and the krew/kubectl builds.
          hookTimeout: 1_200_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'cluster',
          include: ['test/cluster/**/*.test.ts'],
          globalSetup: ['test/cluster/globalSetup.ts'],
          testTimeout: 120_000,
          hookTimeout: 1_200_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'node',
          include: ['test/node/**/*.test.ts', 'test/dataplane/**/*.test.ts'],
          globalSetup: ['test/node/globalSetup.ts'],
          testTimeout: 300_000,
          hookTimeout: 1_800_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
