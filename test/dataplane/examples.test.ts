// The bundled examples as real pods on the real node: every flow of their flows.yaml is checked
// statically against a live read (the expectation must hold on the real cluster too) and, where
// both ends are real pods, verified with a real connection from the source pod's network
// namespace. Flows that cannot be opened for real are reported as not run, with why: an outside
// address (traffic never leaves the machine), or a workload with no pod (a template).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, describe, expect, inject, it } from 'vitest';

import { parseFlows } from '../../src/check/flows.js';
import { checkFlows, ClusterIndex, type Endpoint } from '../../src/engine/index.js';
import { loadLive } from '../../src/sources/live/source.js';
import { loadKubeConfig } from '../cluster/harness.js';
import { applyExample, deleteNamespaces } from '../node/apply.js';
import { connect, podNetns, type Outcome } from '../node/control.js';
import { exampleNamespaces, realExampleObjects } from '../node/examples.js';

const node = inject('netpolNode');
const root = join(fileURLToPath(new URL('.', import.meta.url)), '../../examples');
const EXAMPLES = (process.env.NETPOL_DATAPLANE_EXAMPLES ?? 'shop,team-deny-all,bookstore').split(',');

interface FlowReport {
  flow: string;
  expect: string;
  live: boolean | undefined;
  observed?: Outcome;
  notRun?: string;
}
const summary: string[] = [];

/**
 * Where kube-router (both builds) does not do what NetworkPolicy says, with the evidence. The
 * test requires each to be reproduced exactly, so a fixed enforcer or a new deviation shows up.
 */
const DEVIATIONS: Record<string, { observed: Outcome; evidence: string }> = {
  'team-deny-all team-a/migrate -> team-a/cache:6379': {
    observed: 'connected',
    evidence:
      "kube-router v2.1.0 sends a packet for cache through cache's pod chain KUBE-POD-FW-*, which jumps to the chain of every policy selecting cache with ingress AND egress rules mixed; allow-same-namespace's egress rule (-m set src = the policy's pods, dst = its team=a egress peers) matches migrate -> cache and marks it accepted, although cache's ingress admits only team=a sources (same-node traffic; cloudnativelabs/kube-router#916, k3s-io/k3s#2390)",
  },
};

/** Is what the dataplane did consistent with the verdict? Depends on how the enforcer denies. */
function consistent(allowed: boolean, observed: Outcome, enforcer: string, listening: boolean): boolean {
  if (enforcer === 'drop') return allowed ? observed === 'connected' || (!listening && observed === 'refused') : observed === 'timeout';
  // reject: denied traffic is refused, like a closed port; every declared port is served.
  return allowed ? observed === (listening ? 'connected' : 'refused') : observed === 'refused';
}

const realPod = (e: Endpoint): string | undefined => (e.kind === 'pod' && !e.pod.template && !e.pod.hostNetwork ? e.pod.ips[0] : undefined);

describe.skipIf(node.skipped !== undefined)('bundled examples as real pods', () => {
  if (node.skipped !== undefined) return;
  const core = loadKubeConfig(node.kubeconfigPath).makeApiClient(CoreV1Api);
  afterAll(() => process.stderr.write(`[dataplane] examples on the real node (enforcer ${node.enforcer}):\n  ${summary.join('\n  ')}\n`));

  it.each(EXAMPLES)('%s: flows.yaml holds on the real cluster and real connections agree', async (name) => {
    const dir = join(root, name);
    const namespaces = exampleNamespaces(realExampleObjects(dir));
    try {
      await applyExample(node, dir);
      const flows = parseFlows(readFileSync(join(dir, 'flows.yaml'), 'utf8'), `examples/${name}/flows.yaml`);
      const live = await loadLive({ kubeconfig: node.kubeconfigPath }, { namespaces: 'all' }, { stderr: { write: () => true }, env: {} });
      const results = checkFlows(flows, 'default', new ClusterIndex(live.state));
      const reports: FlowReport[] = [];
      for (const r of results) {
        const label = `${r.flow.from} -> ${r.flow.to}${r.flow.port !== undefined ? `:${r.flow.port}` : ''}`;
        const rep: FlowReport = { flow: label, expect: r.flow.expect, live: r.allowed };
        reports.push(rep);
        const pair = r.result?.pairs.find((p) => p.verdict);
        const q = pair?.verdict?.query;
        const src = q && realPod(q.from);
        const dst = q && realPod(q.to);
        if (!q) rep.notRun = 'no port: nothing to connect to';
        else if (q.protocol === 'SCTP') rep.notRun = 'SCTP: no SCTP sockets in this kernel';
        else if (!src || !dst) rep.notRun = q.from.kind === 'ip' || q.to.kind === 'ip' ? 'outside address: traffic never leaves the machine' : 'a pod template or hostNetwork pod: no pod network identity to connect from or to';
        else {
          const srcPod = q.from.kind === 'pod' ? q.from.pod : undefined;
          const netns = await podNetns(node, (await core.readNamespacedPod({ namespace: srcPod!.namespace, name: srcPod!.name })).metadata!.uid!);
          rep.observed = await connect(node, netns, dst, q.port, q.protocol as 'TCP' | 'UDP');
          const listening = q.to.kind === 'pod' && q.to.pod.ports.some((p) => p.port === q.port && p.protocol === q.protocol);
          const deviation = node.enforcer !== 'off' ? DEVIATIONS[`${name} ${label}`] : undefined;
          if (deviation) {
            expect({ flow: label, observed: rep.observed }).toEqual({ flow: label, observed: deviation.observed });
            summary.push(`${name}: known enforcer deviation reproduced: ${label} is ${rep.observed} (model: ${pair!.verdict!.allowed ? 'allowed' : 'denied'}): ${deviation.evidence}`);
            continue;
          }
          if (!consistent(pair!.verdict!.allowed, rep.observed, node.enforcer, listening)) {
            // Retry once (the enforcer may still be programming a new pod), as upstream e2e does.
            await new Promise((res) => setTimeout(res, 1000));
            rep.observed = await connect(node, netns, dst, q.port, q.protocol as 'TCP' | 'UDP');
          }
          expect({ flow: label, consistent: consistent(pair!.verdict!.allowed, rep.observed, node.enforcer, listening) }).toEqual({ flow: label, consistent: true });
        }
      }
      const run = reports.filter((x) => x.observed);
      summary.push(`${name}: ${reports.length} flows, ${results.filter((x) => x.pass).length} pass statically on the live read, ${run.length} opened for real and consistent, ${reports.length - run.length} not run (${[...new Set(reports.filter((x) => x.notRun).map((x) => x.notRun))].join('; ')})`);
      // The expectations, written for the snapshot, hold on the real cluster too.
      expect(results.filter((x) => !x.pass).map((x) => `${x.flow.from} -> ${x.flow.to}: ${x.error?.message ?? `live ${x.allowed ? 'allowed' : 'denied'}`}`)).toEqual([]);
      expect(run.length).toBeGreaterThan(0);
    } finally {
      await deleteNamespaces(node, namespaces);
      // Pods of the example's kube-system snapshot live next to the real ones: remove just those.
      for (const o of realExampleObjects(dir)) {
        if (o.kind === 'Pod' && o.metadata.namespace === 'kube-system') await core.deleteNamespacedPod({ namespace: 'kube-system', name: o.metadata.name, gracePeriodSeconds: 0 }).catch(() => undefined);
      }
    }
  });
});
