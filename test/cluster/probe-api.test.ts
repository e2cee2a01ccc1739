// probe against a real kube-apiserver without a kubelet: the API side of every mode. The tests play
// the kubelet's part (they write the probe container's termination message into the pod status),
// so what is checked is real: RBAC (SelfSubjectAccessReview) mode choice and fallback, Pod Security
// admission of every object, the PATCH of ephemeral containers, clone ownership, cleanup after
// success and after signals, and `probe --cleanup` sparing a look-alike.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';

import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';

import { ExitCode } from '../../src/errors.js';
import { CREATED_BY, CREATED_BY_ANNOTATION, RUN_LABEL } from '../../src/probe/objects.js';
import type { ApiClient } from '../../src/sources/live/client.js';
import { runCli } from '../cli/run-cli.js';
import { adminClient, apply, grant, namespace, pod, remove, sleep, untilAllowed, type Obj } from '../live/cluster-support.js';

const cluster = inject('netpolCluster');
const suffix = randomBytes(3).toString('hex');
const N = `probe-api-${suffix}`;
const R = `probe-restricted-${suffix}`;
const env = { NO_COLOR: '1', NETPOL_NO_PROGRESS: '1' };
const restrictedPod = (ns: string, name: string, labels: Record<string, string>, ip: string): Obj =>
  pod(ns, name, labels, ip, [{ name: 'http', containerPort: 8080 }], {
    securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: 'RuntimeDefault' } },
    containers: [{ name: 'main', image: 'registry.invalid/app:1', ports: [{ name: 'http', containerPort: 8080 }], securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } } }],
  });

const objects: Obj[] = [
  namespace(N),
  { apiVersion: 'v1', kind: 'Namespace', metadata: { name: R, labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } },
  pod(N, 'client', { app: 'client' }, '10.252.1.1'),
  pod(N, 'web', { app: 'web' }, '10.252.1.2'),
  restrictedPod(R, 'client', { app: 'client' }, '10.252.2.1'),
  restrictedPod(R, 'web', { app: 'web' }, '10.252.2.2'),
];

const podReq = (ns: string, name?: string) => ({ verb: 'get' as const, group: '', version: 'v1', resource: 'pods', namespace: ns, ...(name ? { name } : {}) });
const listMarked = async (c: ApiClient, ns: string, resource: 'pods' | 'configmaps'): Promise<Obj[]> =>
  (((await c.get({ verb: 'list', group: '', version: 'v1', resource, namespace: ns, query: { labelSelector: RUN_LABEL } })) as Obj).items ?? []) as Obj[];

async function until<T>(what: string, fn: () => Promise<T | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100);
  }
}

/** The probe ids in a probe script (`p ID HOST:PORT PROTO EXPECT &`). */
const idsIn = (script: string) => [...script.matchAll(/^p (\d+) /gm)].map((m) => Number(m[1]));

/** Plays the kubelet: the ephemeral container ran and wrote `lines` to its termination log. */
async function finishEphemeral(admin: ApiClient, ns: string, name: string, result: (id: number) => string): Promise<string> {
  const live = await until('the ephemeral probe container', async () => {
    const p = (await admin.get(podReq(ns, name))) as Obj;
    return (p.spec.ephemeralContainers ?? []).find((c: Obj) => c.name.startsWith('netpol-probe-')) ? p : undefined;
  });
  const c = live.spec.ephemeralContainers.find((x: Obj) => x.name.startsWith('netpol-probe-'));
  const message = `${idsIn(c.command[2]).map(result).join('\n')}\nend\n`;
  await admin.send({ ...podReq(ns, name), verb: 'patch', subresource: 'status' }, 'PATCH', { status: { ephemeralContainerStatuses: [{ name: c.name, image: c.image, imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed', message } } }] } }, 'application/merge-patch+json');
  return c.name;
}

/** Plays the kubelet for a clone: waits for it, checks nothing, writes its result. Returns the clone as created. */
async function finishClone(admin: ApiClient, ns: string, result: (id: number) => string): Promise<Obj> {
  const clone = await until('the clone pod', async () => (await listMarked(admin, ns, 'pods')).find((p) => !p.metadata.deletionTimestamp));
  const message = `${idsIn(clone.spec.containers[0].command[2]).map(result).join('\n')}\nend\n`;
  await admin.send({ ...podReq(ns, clone.metadata.name), verb: 'patch', subresource: 'status' }, 'PATCH', { status: { phase: 'Succeeded', containerStatuses: [{ name: 'probe', image: clone.spec.containers[0].image, imageID: '', ready: false, restartCount: 0, state: { terminated: { exitCode: 0, reason: 'Completed', message } } }] } }, 'application/merge-patch+json');
  return clone;
}

describe.skipIf(cluster.external)('probe through the API server', () => {
  let admin: ApiClient;
  const kc = ['--kubeconfig', cluster.kubeconfigPath];

  beforeAll(async () => {
    admin = await adminClient(cluster.kubeconfigPath);
    await apply(admin, objects);
  });
  afterAll(async () => {
    await remove(admin, objects);
    admin.close();
  });

  it('ephemeral mode: one ephemeral container, results from its termination message, told that it stays', async () => {
    const run = runCli(['probe', `${N}/client`, `${N}/web`, '--port', '8080', '--port', '9090', ...kc, '-o', 'json'], { env });
    const name = await finishEphemeral(admin, N, 'client', (id) => `${id} 1 ${id === 0 ? 'c' : 'r'} 4 `);
    const r = await run;
    expect(r.stderr).toMatch(new RegExp(`mode ephemeral .*ephemeral containers are permitted`));
    expect(r.stderr).toContain(`ephemeral container ${name} added to pod ${N}/client; Kubernetes cannot remove ephemeral containers, so it stays`);
    const data = JSON.parse(r.stdout);
    expect(data).toMatchObject({ apiVersion: 'netpol.kubectl.io/v1alpha1', kind: 'ProbeResult' });
    expect(data.items.map((i: Obj) => [i.port, i.allowed, i.observed, i.match, i.explanationId, i.mode])).toEqual([
      [8080, true, 'connected', true, 'allowedConnected', 'ephemeral'],
      [9090, true, 'refused', true, 'pathOpenNothingListening', 'ephemeral'],
    ]);
    expect(data.items[0].reproduce).toMatch(new RegExp(`^kubectl debug -n ${N} client --image=registry.k8s.io/e2e-test-images/agnhost:2.56 --profile=restricted --attach --kubeconfig \\S+ -- /agnhost connect 10.252.1.2:8080 --protocol=tcp --timeout=2s$`));
    expect(r.code).toBe(ExitCode.ok);
    // ONE ephemeral container for both ports.
    const live = (await admin.get(podReq(N, 'client'))) as Obj;
    expect(live.spec.ephemeralContainers.filter((c: Obj) => c.name === name)).toHaveLength(1);
    expect(live.spec.ephemeralContainers).toHaveLength(1);
  });

  it('clone mode: owned by the run ConfigMap, never Ready, bounded, removed afterwards', async () => {
    const run = runCli(['probe', `${N}/client`, `${N}/web`, '--port', '8080', '--mode', 'clone', '--settle', '0s', ...kc], { env });
    const clone = await finishClone(admin, N, (id) => `${id} 1 c 3 `);
    const r = await run;
    expect(r.code).toBe(ExitCode.ok);
    expect(r.stdout).toMatch(/^MATCH {5}probe-api-\w+\/client -> probe-api-\w+\/web TCP\/8080  connected 3 ms  \(model: allowed, clone\)$/m);
    expect(clone.metadata.labels).toMatchObject({ app: 'client', [RUN_LABEL]: expect.any(String) });
    expect(clone.metadata.annotations[CREATED_BY_ANNOTATION]).toBe(CREATED_BY);
    expect(clone.metadata.ownerReferences).toEqual([expect.objectContaining({ kind: 'ConfigMap', controller: true })]);
    expect(clone.spec.readinessGates).toEqual([{ conditionType: 'netpol.kubectl.io/never-ready' }]);
    expect(clone.spec.activeDeadlineSeconds).toBeGreaterThan(0);
    expect(r.stdout).toMatch(/reproduce: kubectl run netpol-repro -n probe-api-\w+ --rm -i --restart=Never .*--labels=app=client/);
    // Nothing left: the clone and the run's ConfigMap are gone when the command returns.
    expect(await listMarked(admin, N, 'pods')).toEqual([]);
    expect(await listMarked(admin, N, 'configmaps')).toEqual([]);
  });

  it('a namespace that enforces Pod Security "restricted" admits the ephemeral container and the clone', async () => {
    const eph = runCli(['probe', `${R}/client`, `${R}/web`, '--port', '8080', ...kc, '-o', 'json'], { env });
    await finishEphemeral(admin, R, 'client', (id) => `${id} 1 c 2 `);
    const e = await eph;
    expect(JSON.parse(e.stdout).items[0]).toMatchObject({ observed: 'connected', mode: 'ephemeral' });
    const cl = runCli(['probe', `${R}/client`, `${R}/web`, '--port', '8080', '--mode', 'clone', '--settle', '0s', ...kc, '-o', 'json'], { env });
    await finishClone(admin, R, (id) => `${id} 1 c 2 `);
    const c = await cl;
    expect(c.stderr).not.toMatch(/PodSecurity/);
    expect(JSON.parse(c.stdout).items[0]).toMatchObject({ observed: 'connected', mode: 'clone' });
  });

  it('--dry-run prints the objects as YAML and creates nothing', async () => {
    const r = await runCli(['probe', `${N}/client`, `${N}/web`, '--port', '8080', '--mode', 'clone', '--dry-run', ...kc], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/kind: ConfigMap/);
    expect(r.stdout).toMatch(/kind: Pod[\s\S]*readinessGates/);
    expect(await listMarked(admin, N, 'pods')).toEqual([]);
    expect(await listMarked(admin, N, 'configmaps')).toEqual([]);
  });

  describe.each(['SIGINT', 'SIGTERM'] as const)('on %s', (signal) => {
    it('removes what the run created and exits 128+n', async () => {
      const child = spawn(process.execPath, ['dist/kubectl-netpol.mjs', 'probe', `${N}/client`, `${N}/web`, '--port', '8080', '--mode', 'clone', ...kc], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
      await until('the clone pod', async () => ((await listMarked(admin, N, 'pods')).length > 0 ? true : undefined));
      child.kill(signal);
      const code = await exited;
      expect(code).toBe(signal === 'SIGINT' ? 130 : 143);
      expect(stderr).toContain(`probe: ${signal}: stopping and removing what this run created`);
      expect(await listMarked(admin, N, 'pods')).toEqual([]);
      expect(await listMarked(admin, N, 'configmaps')).toEqual([]);
    });
  });

  it('after kill -9, --cleanup removes the leftovers, says what it removed, and spares a look-alike user pod', async () => {
    const lookAlike = { ...pod(N, 'user-pod', { [RUN_LABEL]: 'some-run', app: 'client' }, undefined), metadata: { name: 'user-pod', namespace: N, labels: { [RUN_LABEL]: 'some-run', app: 'client' }, annotations: { owner: 'a user' } } };
    await apply(admin, [lookAlike]);
    const child = spawn(process.execPath, ['dist/kubectl-netpol.mjs', 'probe', `${N}/client`, `${N}/web`, '--port', '8080', '--mode', 'clone', ...kc], { env: { ...process.env, ...env }, stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    const clone = await until('the clone pod', async () => (await listMarked(admin, N, 'pods')).find((p) => p.metadata.name !== 'user-pod'));
    child.kill('SIGKILL');
    await exited;
    // Left behind: the clone and its owner ConfigMap.
    expect((await listMarked(admin, N, 'configmaps')).length).toBe(1);
    const r = await runCli(['probe', '--cleanup', '-n', N, ...kc], { env });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`deleted pod ${N}/${clone.metadata.name} (run ${clone.metadata.labels[RUN_LABEL]}`);
    expect(r.stdout).toMatch(/deleted configmap .*netpol-probe-/);
    expect((await listMarked(admin, N, 'pods')).map((p) => p.metadata.name)).toEqual(['user-pod']);
    expect(await listMarked(admin, N, 'configmaps')).toEqual([]);
    const again = await runCli(['probe', '--cleanup', '-n', N, ...kc], { env });
    expect(again.stdout).toMatch(/nothing to clean up in namespace/);
    await remove(admin, [lookAlike]);
  });
});

describe.skipIf(cluster.external || cluster.limitedKubeconfigPath === null)('probe modes under RBAC', () => {
  const limited = ['--kubeconfig', cluster.limitedKubeconfigPath ?? ''];
  const user = cluster.limitedUser ?? '';
  const M = `probe-rbac-${suffix}`;
  const objs: Obj[] = [namespace(M), pod(M, 'client', { app: 'client' }, '10.252.3.1'), pod(M, 'web', { app: 'web' }, '10.252.3.2')];
  const reads = { apiGroups: ['', 'networking.k8s.io', 'discovery.k8s.io'], resources: ['pods', 'services', 'endpointslices', 'networkpolicies'], verbs: ['get', 'list'] };
  let admin: ApiClient;
  let asLimited: ApiClient;
  const grants: Obj[] = [];

  beforeAll(async () => {
    admin = await adminClient(cluster.kubeconfigPath);
    asLimited = await adminClient(cluster.limitedKubeconfigPath!);
    await apply(admin, objs);
    grants.push(...grant(user, 'probe-reads', [reads], M));
    await apply(admin, grants);
    await untilAllowed(() => asLimited.get({ ...podReq(M), verb: 'list' }));
  });
  afterAll(async () => {
    await remove(admin, [...grants, ...objs]);
    admin.close();
    asLimited.close();
  });

  it('neither mode permitted: exit 5 naming the missing permissions with kubectl auth can-i lines', async () => {
    const r = await runCli(['probe', `${M}/client`, `${M}/web`, '--port', '8080', ...limited], { env });
    expect(r.code).toBe(ExitCode.forbidden);
    expect(r.stderr).toContain('probing is not permitted: RBAC allows neither an ephemeral container in the source pod nor a clone pod');
    expect(r.stderr).toContain(`check with: kubectl auth can-i patch pods --subresource=ephemeralcontainers -n ${M} --kubeconfig`);
    expect(r.stderr).toContain(`check with: kubectl auth can-i create pods -n ${M}`);
    expect(r.stderr).toContain('kubectl netpol probe --print-rbac');
  });

  it('without ephemeral rights, auto falls back to clone and says why', async () => {
    const clone = grant(user, 'probe-clone', [{ apiGroups: [''], resources: ['pods', 'configmaps'], verbs: ['create', 'delete'] }], M);
    grants.push(...clone);
    await apply(admin, clone);
    await until('the grant', async () => ((await runCli(['probe', `${M}/client`, `${M}/web`, '--port', '8080', '--dry-run', ...limited], { env })).code === 0 ? true : undefined));
    const r = await runCli(['probe', `${M}/client`, `${M}/web`, '--port', '8080', '--dry-run', ...limited], { env });
    expect(r.stderr).toContain(`namespace ${M}: mode clone (falling back to clone pods: RBAC forbids patch pods/ephemeralcontainers in namespace ${M})`);
    expect(r.stdout).toMatch(/# create \(clone of probe-rbac-\w+\/client\)/);
    // An explicit --mode ephemeral is not silently switched.
    const e = await runCli(['probe', `${M}/client`, `${M}/web`, '--port', '8080', '--mode', 'ephemeral', '--dry-run', ...limited], { env });
    expect(e.code).toBe(ExitCode.forbidden);
    expect(e.stderr).toContain('--mode ephemeral is not permitted: missing patch pods/ephemeralcontainers');
  });
});
