// probe on the real node: every outcome class, with real connections from the source pod's own
// identity (an ephemeral container), compared with the model. Allowed paths connect; denied ones
// are refused by the rejecting enforcer and time out with the dropping one, and both MATCH; a
// closed port on an allowed path is "path open, nothing listening"; a name that does not resolve
// is a DNS failure; with the enforcer stopped, the mismatch is produced and explained.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { ExitCode } from '../../src/errors.js';
import type { ApiClient } from '../../src/sources/live/client.js';
import { apply } from '../live/cluster-support.js';
import { waitPodsReady } from './apply.js';
import { setEnforcer, waitRulesSettled } from './control.js';
import { admin, deleteNamespaces, items, netpol, np, servingPod } from './probe-support.js';

const node = inject('netpolNode');

describe.skipIf(node.skipped !== undefined)('probe outcome classes on the real node', () => {
  if (node.skipped !== undefined) return;
  const ns = `pc-${Date.now().toString(36)}`;
  let client: ApiClient;
  const one = async (args: string[]) => {
    const r = await netpol(node, ['probe', ...args, '-o', 'json']);
    return { r, items: items(r) };
  };

  beforeAll(async () => {
    client = await admin(node);
    await apply(client, [
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } },
      servingPod(node.image, ns, 'client', { app: 'client' }),
      servingPod(node.image, ns, 'other', { app: 'other' }),
      servingPod(node.image, ns, 'server', { app: 'server' }, 8080, 8081),
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 'server', namespace: ns }, spec: { selector: { app: 'server' }, ports: [{ name: 'http', port: 80, targetPort: 'http' }] } },
      // The server admits the client on every port, nobody else.
      np(ns, 'server-from-client', { podSelector: { matchLabels: { app: 'server' } }, ingress: [{ from: [{ podSelector: { matchLabels: { app: 'client' } } }] }] }),
    ]);
    await waitPodsReady(node, [ns]);
    await waitRulesSettled(node);
  });
  afterAll(async () => {
    await setEnforcer(node, 'reject');
    await deleteNamespaces(client, [ns]);
    client.close();
  });

  it('allowed TCP and UDP paths connect, and MATCH', async () => {
    const { r, items: got } = await one([`${ns}/client`, `${ns}/server`, '--port', '8080']);
    const udp = await one([`${ns}/client`, `${ns}/server`, '--port', '8081', '--protocol', 'UDP']);
    expect(r.code).toBe(ExitCode.ok);
    expect(got[0]).toMatchObject({ allowed: true, observed: 'connected', match: true, explanationId: 'allowedConnected', mode: 'ephemeral' });
    expect(got[0]!.explanation).toContain(`NetworkPolicy ${ns}/server-from-client ingress[0]`);
    expect(got[0]!.latencyMs).toBeGreaterThanOrEqual(0);
    expect(udp.items[0]).toMatchObject({ protocol: 'UDP', allowed: true, observed: 'connected', match: true });
  });

  it('a closed port on an allowed path is refused: path open, nothing listening', async () => {
    const { r, items: got } = await one([`${ns}/client`, `${ns}/server`, '--port', '9999']);
    expect(r.code).toBe(ExitCode.ok);
    expect(got[0]).toMatchObject({ allowed: true, observed: 'refused', match: true, explanationId: 'pathOpenNothingListening' });
    expect(got[0]!.explanation).toMatch(/^path open, nothing listening on TCP\/9999/);
  });

  it('a denied path is refused by the rejecting enforcer and MATCHes', async () => {
    const { r, items: got } = await one([`${ns}/other`, `${ns}/server`, '--port', '8080']);
    expect(r.code).toBe(ExitCode.ok);
    expect(got[0]).toMatchObject({ allowed: false, observed: 'refused', match: true, explanationId: 'deniedRejected' });
  });

  it('a Service is probed at its ClusterIP (kube-proxy) and at each backend (policy)', async () => {
    const { items: got } = await one([`${ns}/client`, `${ns}/svc/server`, '--port', '80']);
    expect(got.map((i) => [i.kind, i.port, i.observed, i.match])).toEqual([
      ['pod', 8080, 'connected', true],
      ['clusterIP', 80, 'connected', true],
    ]);
    const denied = await one([`${ns}/other`, `${ns}/svc/server`, '--port', '80']);
    expect(denied.items.map((i) => [i.kind, i.observed, i.match])).toEqual([
      ['pod', 'refused', true],
      ['clusterIP', 'refused', true],
    ]);
  });

  it('a name that does not resolve is a DNS failure', async () => {
    const { r, items: got } = await one([`${ns}/client`, 'dns:no-such-service.invalid', '--port', '80']);
    expect(got[0]).toMatchObject({ observed: 'dns-failure', match: null, explanationId: 'dnsFailure' });
    expect(r.code).toBe(ExitCode.ok);
  });

  it('a denied path times out with the dropping enforcer and MATCHes (TCP and UDP)', async () => {
    await setEnforcer(node, 'drop');
    await waitRulesSettled(node);
    const { r, items: got } = await one([`${ns}/other`, `${ns}/server`, '--port', '8080', '--timeout', '1s']);
    const udp = await one([`${ns}/other`, `${ns}/server`, '--port', '8081', '--protocol', 'UDP', '--timeout', '1s']);
    expect(r.code).toBe(ExitCode.ok);
    expect(got[0]).toMatchObject({ allowed: false, observed: 'timeout', match: true, explanationId: 'deniedDropped' });
    expect(got[0]!.latencyMs).toBeGreaterThanOrEqual(900);
    expect(udp.items[0]).toMatchObject({ allowed: false, observed: 'timeout', match: true });
    // A closed port on an allowed path is still refused: the pod answers, the enforcer lets it through.
    const closed = await one([`${ns}/client`, `${ns}/server`, '--port', '9999']);
    expect(closed.items[0]).toMatchObject({ observed: 'refused', explanationId: 'pathOpenNothingListening' });
  });

  it('with NetworkPolicy not enforced, the mismatch is produced, retried once, explained, and fails the run', async () => {
    await setEnforcer(node, 'off');
    const r = await netpol(node, ['probe', `${ns}/other`, `${ns}/server`, '--port', '8080', '-o', 'json']);
    const got = items(r);
    expect(r.code).toBe(ExitCode.denied);
    expect(got[0]).toMatchObject({ allowed: false, observed: 'connected', match: false, retried: true, explanationId: 'policyNotEnforced' });
    expect(got[0]!.explanation).toMatch(/^connected although denied, and again on a retry after a short delay: NetworkPolicy is not enforced on this path\. CNI detection: /);
    // The text output says MISMATCH and how to reproduce it by hand.
    const text = await netpol(node, ['probe', `${ns}/other`, `${ns}/server`, '--port', '8080']);
    expect(text.stdout).toMatch(new RegExp(`^MISMATCH  ${ns}/other -> ${ns}/server TCP/8080  connected`, 'm'));
    expect(text.stdout).toMatch(new RegExp(`reproduce: kubectl debug -n ${ns} other --image=\\S+ --profile=restricted --attach --kubeconfig \\S+ -- /agnhost connect \\S+:8080 --protocol=tcp --timeout=2s`));
    // --observed-only reports the same connection without judging it.
    const observed = await netpol(node, ['probe', `${ns}/other`, `${ns}/server`, '--port', '8080', '--observed-only', '-o', 'json']);
    expect(observed.code).toBe(ExitCode.ok);
    expect(items(observed)[0]).toMatchObject({ observed: 'connected', match: null, explanationId: 'observedOnly' });
  });
});
