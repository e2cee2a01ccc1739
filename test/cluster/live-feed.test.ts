// The live feed behind the TUI against the real API server: one read, then watch events applied to
// the model (added, modified, deleted), batched, for pods, NetworkPolicies and namespaces.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { LiveFeed, type FeedUpdate } from '../../src/sources/live/live-feed.js';
import type { ApiClient } from '../../src/sources/live/client.js';
import { adminClient, apply, namespace, pod, remove, sleep, type Obj } from '../live/cluster-support.js';

const cluster = inject('netpolCluster');
const ns = `feed-${randomBytes(3).toString('hex')}`;

describe('LiveFeed', () => {
  let api: ApiClient;
  let feed: LiveFeed;
  let first: FeedUpdate;
  const updates: FeedUpdate[] = [];
  const statuses: (string | undefined)[] = [];
  const created: Obj[] = [namespace(ns, { team: 'a' }), pod(ns, 'one', { app: 'one' }, '10.88.0.1')];

  /** The first update after `since` that satisfies `ok`. */
  async function until(since: number, ok: (u: FeedUpdate) => boolean, timeoutMs = 15_000): Promise<FeedUpdate> {
    const start = Date.now();
    while (Date.now() - start < timeoutMs) {
      const u = updates.slice(since).find(ok);
      if (u) return u;
      await sleep(100);
    }
    throw new Error(`no such update; got ${updates.length - since}: ${JSON.stringify(updates.slice(since).map((u) => u.changed))}`);
  }

  beforeAll(async () => {
    api = await adminClient(cluster.kubeconfigPath);
    await apply(api, created);
    const opened = await LiveFeed.open({ kubeconfig: cluster.kubeconfigPath }, { stderr: process.stderr, env: {} }, { onUpdate: (u) => updates.push(u), onStatus: (s) => statuses.push(s) });
    feed = opened.feed;
    first = opened.first;
  });
  afterAll(async () => {
    feed?.close();
    await remove(api, created.filter((o) => o.kind !== 'Namespace'));
    api.close();
  });

  it('starts from one read of everything', () => {
    expect(first.state.pods.some((p) => p.namespace === ns && p.name === 'one')).toBe(true);
    expect(first.state.namespaces.find((n) => n.name === ns)?.labels['team']).toBe('a');
    expect(first.changed).toEqual([]);
  });

  it('applies added, modified and deleted pods', async () => {
    const since = updates.length;
    const two = pod(ns, 'two', { app: 'two' }, '10.88.0.2');
    const three = pod(ns, 'three', { app: 'three' }, '10.88.0.3');
    created.push(two, three);
    await apply(api, [two, three]);
    const added = await until(since, (u) => u.state.pods.some((p) => p.name === 'two' && p.namespace === ns) && u.state.pods.some((p) => p.name === 'three' && p.namespace === ns));
    expect(added.changed).toContain('pods');
    const afterAdd = updates.length;
    await apply(api, [{ ...two, metadata: { ...two.metadata, labels: { app: 'two', tier: 'db' } } }]);
    const modified = await until(afterAdd, (u) => u.state.pods.find((p) => p.name === 'two' && p.namespace === ns)?.labels['tier'] === 'db');
    expect(modified.changed).toEqual(['pods']);
    const afterModify = updates.length;
    await remove(api, [three]);
    const deleted = await until(afterModify, (u) => !u.state.pods.some((p) => p.name === 'three' && p.namespace === ns));
    expect(deleted.state.pods.some((p) => p.name === 'two' && p.namespace === ns)).toBe(true);
  });

  it('applies NetworkPolicy and namespace label changes', async () => {
    const since = updates.length;
    const np: Obj = { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'deny', namespace: ns }, spec: { podSelector: {}, policyTypes: ['Ingress'] } };
    created.push(np);
    await apply(api, [np, namespace(ns, { team: 'b' })]);
    const u = await until(since, (x) => x.state.networkPolicies.some((p) => p.namespace === ns && p.name === 'deny') && x.state.namespaces.find((n) => n.name === ns)?.labels['team'] === 'b');
    expect(u.changed.length).toBeGreaterThan(0);
    const afterAdd = updates.length;
    await remove(api, [np]);
    await until(afterAdd, (x) => !x.state.networkPolicies.some((p) => p.namespace === ns));
    expect(statuses.filter((s) => s !== undefined)).toEqual([]);
  });
});
