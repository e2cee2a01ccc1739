// The upstream Kubernetes e2e NetworkPolicy suite (test/e2e/network/netpol/network_policy.go, commit
// cited in the data), every It() as full 9x9 matrices per probed port/protocol. Evaluated through
// both explain's per-pair path and matrix's equivalence classes.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { computeMatrix, evaluateConnection, type PodInfo, type Protocol } from '../../src/engine/index.js';
import { indexFromObjects } from './build-state.js';

interface K8sObject { metadata: { name: string; namespace?: string; labels?: Record<string, string> } }
interface Step {
  policies: unknown[];
  namespaceLabels?: Record<string, Record<string, string>>;
  podLabels?: Record<string, Record<string, string>>;
  expect: { port: number; protocol: Protocol; allowed: Record<string, Record<string, boolean>> }[];
}
interface Case { id: string; name: string; upstreamLine: number; skipped?: string; steps: Step[] }
const data = JSON.parse(readFileSync(new URL('../fixtures/upstream-e2e/cases.json', import.meta.url), 'utf8')) as {
  source: { commit: string; path: string };
  base: { namespaces: K8sObject[]; pods: K8sObject[] };
  cases: Case[];
};

function stepObjects(step: Step): unknown[] {
  const namespaces = data.base.namespaces.map((n) => {
    const labels = step.namespaceLabels?.[n.metadata.name];
    return labels ? { ...n, metadata: { ...n.metadata, labels } } : n;
  });
  const pods = data.base.pods.map((p) => {
    const labels = step.podLabels?.[`${p.metadata.namespace}/${p.metadata.name}`];
    return labels ? { ...p, metadata: { ...p.metadata, labels } } : p;
  });
  return [...namespaces, ...pods, ...step.policies];
}

describe(`upstream e2e netpol suite (${data.source.path} @ ${data.source.commit.slice(0, 12)})`, () => {
  it('ports every upstream case (none skipped)', () => {
    expect(data.cases.filter((c) => c.skipped)).toEqual([]);
    expect(data.cases.length).toBeGreaterThanOrEqual(48);
  });

  describe.each(data.cases.map((c) => [`L${c.upstreamLine} ${c.name}`, c] as const))('%s', (_title, c) => {
    it.each(c.steps.map((s, i) => [i, s] as const))('step %i: every off-diagonal cell matches upstream', (_i, step) => {
      const idx = indexFromObjects(stepObjects(step));
      const pods = [...idx.state.pods].sort((a, b) => `${a.namespace}/${a.name}`.localeCompare(`${b.namespace}/${b.name}`));
      const ref = (p: PodInfo) => `${p.namespace}/${p.name}`;
      const specs = step.expect.map((e) => ({ port: e.port, protocol: e.protocol }));
      const matrix = computeMatrix(pods, specs, idx);
      const mismatches: string[] = [];
      step.expect.forEach((e, pi) => {
        pods.forEach((from, i) =>
          pods.forEach((to, j) => {
            // Upstream probes pod->self but never grades it (ignoreLoopback): traffic inside a pod is not policed.
            if (i === j) return;
            const want = e.allowed[ref(from)]?.[ref(to)];
            const single = evaluateConnection({ from: { kind: 'pod', pod: from }, to: { kind: 'pod', pod: to }, port: e.port, protocol: e.protocol }, idx).allowed;
            const viaMatrix = matrix.allowed(pi, i, j);
            if (single !== want || viaMatrix !== want) mismatches.push(`${e.protocol}/${e.port} ${ref(from)} -> ${ref(to)}: want ${want}, explain ${single}, matrix ${viaMatrix}`);
          }),
        );
      });
      expect(mismatches).toEqual([]);
    });
  });
});
