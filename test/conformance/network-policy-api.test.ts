// network-policy-api conformance (ANP/BANP v1alpha1 at a tag, ClusterNetworkPolicy v1alpha2), every
// probe of every subtest, evaluated through the same engine paths as explain and check.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { evaluateConnection, type ClusterIndex, type Endpoint, type Protocol } from '../../src/engine/index.js';
import { indexFromObjects } from './build-state.js';

interface K8sObject { metadata: { name: string; namespace?: string } }
interface Check { from: string; to: string | { ip: string }; port: number; protocol: Protocol; allowed: boolean }
interface Step { policies: unknown[]; namespaces?: K8sObject[]; checks: Check[] }
interface Case { name: string; file: string; skipped?: string; steps: Step[] }
interface Suite { source: { ref: string; commit: string }; base: { namespaces: K8sObject[]; pods: K8sObject[]; nodes: K8sObject[] }; cases: Case[] }

const load = (f: string) => JSON.parse(readFileSync(new URL(`../fixtures/network-policy-api/${f}`, import.meta.url), 'utf8')) as Suite;

function endpoint(ref: string | { ip: string }, idx: ClusterIndex): Endpoint {
  if (typeof ref !== 'string') {
    const node = idx.nodeByIP(ref.ip);
    return node ? { kind: 'ip', ip: ref.ip, node } : { kind: 'ip', ip: ref.ip };
  }
  const [ns, name] = ref.split('/') as [string, string];
  const pod = idx.pod(ns, name);
  if (!pod) throw new Error(`conformance data names unknown pod ${ref}`);
  return { kind: 'pod', pod };
}

for (const file of ['v1alpha1.json', 'v1alpha2.json']) {
  const suite = load(file);
  describe(`network-policy-api ${file} (${suite.source.ref} @ ${suite.source.commit.slice(0, 12)})`, () => {
    it('ports every upstream case (none skipped)', () => {
      expect(suite.cases.filter((c) => c.skipped)).toEqual([]);
    });
    it.each(suite.cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
      const mismatches: string[] = [];
      for (const step of c.steps) {
        // A step lists only the namespaces it relabels; the rest keep their base labels.
        const changed = new Map((step.namespaces ?? []).map((n) => [n.metadata.name, n]));
        const namespaces = suite.base.namespaces.map((n) => changed.get(n.metadata.name) ?? n);
        const idx = indexFromObjects([...namespaces, ...suite.base.nodes, ...suite.base.pods, ...step.policies]);
        for (const check of step.checks) {
          const v = evaluateConnection({ from: endpoint(check.from, idx), to: endpoint(check.to, idx), port: check.port, protocol: check.protocol }, idx);
          if (v.allowed !== check.allowed) {
            mismatches.push(`${check.from} -> ${JSON.stringify(check.to)} ${check.protocol}/${check.port}: want ${check.allowed}, got ${v.allowed} (${v.reason})`);
          }
        }
      }
      expect(mismatches).toEqual([]);
    });
  });
}
