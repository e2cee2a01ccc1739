// The bundled examples, applied to the real API server: explain, matrix and check give the same
// answers live (--kubeconfig) as from the manifests (-f). Each example is applied, compared and
// deleted in turn (they share kube-system and cluster-scoped objects such as the BANP `default`).
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import type { ApiClient } from '../../src/sources/live/client.js';
import { parseFlows } from '../../src/check/flows.js';
import { readFileSync } from 'node:fs';
import { runCli } from '../cli/run-cli.js';
import { adminClient, adminCrds, apply, readManifests, remove, waitGone, type Obj } from '../live/cluster-support.js';

const cluster = inject('netpolCluster');
const env = { NO_COLOR: '1' };
const EXAMPLES = ['shop', 'team-deny-all', 'bookstore', 'admin-tiers', 'cluster-network-policy'] as const;

const json = async (args: string[]): Promise<{ code: number; data: any; stderr: string }> => {
  const r = await runCli([...args, '-o', 'json'], { env });
  let data: unknown;
  try {
    data = JSON.parse(r.stdout);
  } catch {
    throw new Error(`kubectl netpol ${args.join(' ')} printed no JSON (exit ${r.code}): ${r.stderr}`);
  }
  return { code: r.code, data, stderr: r.stderr };
};

/** Policy traces sorted by policy identity, recursively. */
function normalise(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(normalise);
  if (v === null || typeof v !== 'object') return v;
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) {
    if (k === 'closest') continue; // a tie-break among equally close rules, which follows input order
    out[k] = normalise(x);
    if (k === 'policies' && Array.isArray(out[k])) {
      const id = (p: any) => `${p?.policy?.kind}/${p?.policy?.namespace ?? ''}/${p?.policy?.name}`;
      (out[k] as unknown[]).sort((p, q) => (id(p) < id(q) ? -1 : id(p) > id(q) ? 1 : 0));
    }
  }
  return out;
}

// Nothing here may touch a real cluster: the examples create Nodes and kube-system pods.
describe.skipIf(cluster.external)('bundled examples: live verdicts equal file verdicts', () => {
  let client: ApiClient;
  let crdsCreated: Obj[] = [];
  let kubeSystem: Obj;
  const live = ['--kubeconfig', cluster.kubeconfigPath];

  beforeAll(async () => {
    client = await adminClient(cluster.kubeconfigPath);
    kubeSystem = (await client.get({ verb: 'get', group: '', version: 'v1', resource: 'namespaces', name: 'kube-system' })) as Obj;
    const existing = new Set<string>();
    for (const crd of adminCrds()) {
      try {
        await client.get({ verb: 'get', group: 'apiextensions.k8s.io', version: 'v1', resource: 'customresourcedefinitions', name: crd.metadata.name });
        existing.add(crd.metadata.name);
      } catch {
        // not installed yet
      }
    }
    crdsCreated = adminCrds().filter((c) => !existing.has(c.metadata.name));
    await apply(client, adminCrds());
  });

  afterAll(async () => {
    // Leave the CRDs as found: delete only the ones this file installed, and wait until they are gone.
    await remove(client, crdsCreated);
    for (const crd of crdsCreated) await waitGone(client, crd);
    // kube-system's labels were replaced by the examples: put the original ones back.
    const now = (await client.get({ verb: 'get', group: '', version: 'v1', resource: 'namespaces', name: 'kube-system' })) as Obj;
    await client.send({ verb: 'update', group: '', version: 'v1', resource: 'namespaces', name: 'kube-system' }, 'PUT', {
      ...now,
      metadata: { ...now.metadata, labels: kubeSystem.metadata.labels ?? {} },
    });
    client.close();
  });

  for (const name of EXAMPLES) {
    describe(name, () => {
      const dir = `examples/${name}/manifests`;
      const flowsFile = `examples/${name}/flows.yaml`;
      const objects = readManifests(dir);
      const namespaces = new Set(objects.filter((o) => o.kind === 'Namespace').map((o) => o.metadata.name as string));

      beforeAll(async () => {
        await apply(client, objects);
      });
      afterAll(async () => {
        await remove(client, objects);
      });

      it('check: the same items', async () => {
        const files = await json(['check', '-f', dir, flowsFile]);
        const fromLive = await json(['check', ...live, flowsFile]);
        expect(fromLive.data.items).toEqual(files.data.items);
        expect(fromLive.code).toBe(files.code);
        expect(files.data.items.every((i: { pass: boolean }) => i.pass)).toBe(true);
      });

      it('matrix -A: the same items for the example\'s pods', async () => {
        const files = await json(['matrix', '-A', '-f', dir, '--port', '80', '--port', '8080']);
        const fromLive = await json(['matrix', '-A', ...live, '--port', '80', '--port', '8080']);
        const inExample = (i: { from: string; to: string }) => namespaces.has(i.from.split('/')[0]!) && namespaces.has(i.to.split('/')[0]!);
        // Other test files' pods may share the cluster: compare the example's own pairs.
        const liveItems = fromLive.data.items.filter(inExample);
        expect(liveItems.length).toBe(files.data.items.length);
        expect(liveItems).toEqual(files.data.items);
      });

      it('lint: the same findings live as from the files (for the example\'s objects), plus the CNI finding', async () => {
        const files = await json(['lint', '-f', dir, '--fail-on', 'none']);
        const fromLive = await json(['lint', ...live, '--fail-on', 'none']);
        type Item = { rule: string; object: { kind: string; namespace?: string; name: string }; field?: string; severity: string };
        const ours = (i: Item) => namespaces.has(i.object.namespace ?? (i.object.kind === 'Namespace' ? i.object.name : '')) || (i.object.kind !== 'Namespace' && i.object.namespace === undefined && i.rule !== 'cni-not-enforcing');
        const key = (i: Item) => `${i.rule} ${i.object.kind} ${i.object.namespace ?? ''}/${i.object.name} ${i.field ?? ''}`;
        const liveItems = (fromLive.data.items as Item[]).filter(ours).map(key).sort();
        expect(liveItems).toEqual((files.data.items as Item[]).filter(ours).map(key).sort());
        // The test API server runs no network plugin: nothing can confirm that NetworkPolicy is enforced.
        expect((fromLive.data.items as Item[]).some((i) => i.rule === 'cni-not-enforcing')).toBe(true);
        expect((files.data.items as Item[]).some((i) => i.rule === 'cni-not-enforcing')).toBe(false);
      });

      it('diff --delete: the same connection changes against the live cluster as against --base', async () => {
        const policy = objects.find((o) => o.kind === 'NetworkPolicy');
        if (!policy) return;
        const ref = `${policy.metadata.namespace}/${policy.metadata.name}`;
        const files = await json(['diff', '--base', dir, '--delete', ref]);
        const fromLive = await json(['diff', ...live, '--delete', ref]);
        const inExample = (i: { from: string; to: string }) => namespaces.has(i.from.split('/')[0]!) && namespaces.has(i.to.split('/')[0]!);
        expect(fromLive.data.policies).toEqual(files.data.policies);
        expect(fromLive.data.items.filter(inExample)).toEqual(files.data.items);
      });

      it('explain: the same verdict for every flow, reading only what each answer needs', async () => {
        const flows = parseFlows(readFileSync(flowsFile, 'utf8'), flowsFile);
        for (const f of flows) {
          const args = ['explain', f.from, f.to, ...(f.port !== undefined ? ['--port', String(f.port)] : []), ...(f.protocol ? ['--protocol', f.protocol] : [])];
          const files = await json([...args, '-f', dir]);
          const fromLive = await json([...args, ...live]);
          expect({ flow: f, allowed: fromLive.data.allowed }).toEqual({ flow: f, allowed: files.data.allowed });
          // The whole trace matches too, except what the API server normalises on write (it stores
          // the effective policyTypes, so nothing is "inferred" live) and the order policies are
          // listed in (file order vs. the API's name order), which also breaks ties for "closest".
          const { limitations: _l1, ...a } = fromLive.data;
          const { limitations: _l2, ...b } = files.data;
          expect(normalise(a)).toEqual(normalise(JSON.parse(JSON.stringify(b).replaceAll('"policyTypesInferred":true', '"policyTypesInferred":false'))));
          expect(fromLive.code).toBe(files.code);
        }
      });
    });
  }
});
