// vitest globalSetup for the `cluster` project: starts ONE kube-apiserver + etcd
// for the whole project and hands the kubeconfig paths to the tests through
// provide/inject. Tests read them with `inject('netpolCluster')` (see
// harness.test.ts). Set NETPOL_TEST_KUBECONFIG to use an existing cluster.
import type { TestProject } from 'vitest/node';

import { startTestCluster } from './harness.js';

/** What tests get from `inject('netpolCluster')` (values must be serialisable). */
export interface ProvidedCluster {
  server: string;
  kubeconfigPath: string;
  /** null when NETPOL_TEST_KUBECONFIG points at an existing cluster. */
  limitedKubeconfigPath: string | null;
  /** RBAC user name of limitedKubeconfigPath ('limited'); null when external. */
  limitedUser: string | null;
  external: boolean;
}

declare module 'vitest' {
  export interface ProvidedContext {
    netpolCluster: ProvidedCluster;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const cluster = await startTestCluster();
  project.provide('netpolCluster', {
    server: cluster.server,
    kubeconfigPath: cluster.kubeconfigPath,
    limitedKubeconfigPath: cluster.limitedKubeconfigPath ?? null,
    limitedUser: cluster.limitedUser ?? null,
    external: cluster.external,
  });
  return () => cluster.stop();
}
