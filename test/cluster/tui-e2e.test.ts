// End to end: the built binary's TUI in a real terminal (tmux) against the real API server. From
// `kubectl netpol tui`, reach the explanation of a blocked path and read the deciding policy off the
// screen; change the policy through the API and watch the screen follow, across watches that the
// server keeps ending (NETPOL_WATCH_TIMEOUT_SECONDS=2: every resume must continue from the last event).
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import type { ApiClient } from '../../src/sources/live/client.js';
import { adminClient, apply, namespace, pod, remove, sleep, type Obj } from '../live/cluster-support.js';
import { hasTmux, TmuxTerm } from '../tui/tmux.js';

const cluster = inject('netpolCluster');
const id = randomBytes(3).toString('hex');
const client = `tui-client-${id}`;
const server = `tui-db-${id}`;
const session = `netpol-tui-e2e-${id}`;

const policy = (extraPeer?: Obj): Obj => ({
  apiVersion: 'networking.k8s.io/v1',
  kind: 'NetworkPolicy',
  metadata: { name: 'db-only-from-api', namespace: server },
  spec: {
    podSelector: { matchLabels: { app: 'db' } },
    policyTypes: ['Ingress'],
    ingress: [{ from: [{ podSelector: { matchLabels: { app: 'api' } } }, ...(extraPeer ? [extraPeer] : [])], ports: [{ port: 5432 }] }],
  },
});

// Skipped only outside CI when tmux is missing; CI installs it (.ci/run) and must run this.
describe.skipIf(!hasTmux && !process.env.CI)('kubectl netpol tui in a real terminal, live', () => {
  let api: ApiClient;
  let term: TmuxTerm;
  const objects: Obj[] = [
    namespace(client),
    namespace(server),
    pod(client, 'app', { app: 'client' }, '10.77.0.10'),
    pod(server, 'db', { app: 'db' }, '10.77.0.20', [{ name: 'postgres', containerPort: 5432 }]),
    policy(),
  ];

  beforeAll(async () => {
    api = await adminClient(cluster.kubeconfigPath);
    await apply(api, objects);
    term = TmuxTerm.start(session, `tui --kubeconfig ${cluster.kubeconfigPath}`, { NETPOL_WATCH_TIMEOUT_SECONDS: '2' });
  });

  afterAll(async () => {
    term.kill();
    await remove(api, objects.filter((o) => o.kind !== 'Namespace'));
    api.close();
  });

  it('opens on the namespaces with their isolation, live', async () => {
    await term.waitFor('● live');
    // Other suites' namespaces come first in the list (and can fill the screen): filter to this test's.
    await term.keys('/', id, 'Enter');
    const s = await term.waitFor(server);
    expect(s).toMatch(new RegExp(`${server}\\s+isolated\\s+open\\s+1\\s+1\\s+0`));
    expect(s).toMatch(new RegExp(`${client}\\s+open\\s+open\\s+1\\s+0`));
    expect(s).toContain('● live');
    // NO_COLOR: the terminal gets no colour codes (bold and inverse are not colour).
    expect(term.screen({ escapes: true })).not.toMatch(/\u001b\[[0-9;]*(3[0-7]|9[0-7]|38;)/);
  });

  it('explains the blocked path in a few keystrokes and names the deciding policy', async () => {
    await term.keys('e', 'Enter', `${client}/app`, 'Enter', 'Enter', `${server}/db`, 'Enter', '5432', 'Enter');
    const s = await term.waitFor(`DENIED  ${client}/app -> ${server}/db  TCP/5432`);
    expect(s).toContain(`blocked by the ingress side of ${server}/db`);
    expect(s).toContain(`NetworkPolicy ${server}/db-only-from-api selects the pod`);
    // The verified fix line (src/suggest): a from-peer for the client added to the rule that missed.
    expect(s).toMatch(/fix ingress: NetworkPolicy \S+\/db-only-from-api: add the from-peer .* to ingress\[0\]/s);
  });

  it('follows a policy change made through the API, after several dropped-and-resumed watches', async () => {
    await sleep(5000); // the server has ended each watch at least twice by now
    await apply(api, [policy({ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': client } } })]);
    const s = await term.waitFor(`ALLOWED  ${client}/app -> ${server}/db  TCP/5432`);
    expect(s).toContain('UPDATED: networkpolicies');
    expect(s).toContain(`NetworkPolicy ${server}/db-only-from-api selects the pod`);
    expect(s).toMatch(/✓ from\[1\] namespaceSelector kubernetes\.io\/metadata\.name=tui-client/);
  });

  it('q quits with exit code 0', async () => {
    await term.keys('q');
    await term.waitFor('exit 0');
  });
});
