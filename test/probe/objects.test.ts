// The objects a run creates are safe by construction: Pod Security "restricted", small resources,
// owned by the run's ConfigMap, never Ready, bounded in time, labelled and annotated for cleanup;
// and cleanup picks exactly those, never a look-alike.
import { describe, expect, it } from 'vitest';

import { selectLeftovers } from '../../src/probe/cleanup.js';
import { clonePod, CREATED_BY, CREATED_BY_ANNOTATION, ephemeralContainer, isProbeObject, listenerPod, newRunId, RUN_LABEL, runConfigMap, type RunInfo } from '../../src/probe/objects.js';
import { containerState, observations } from '../../src/probe/results.js';
import type { PlannedProbe } from '../../src/probe/types.js';

const run: RunInfo = { id: 'mabc12-x1y2', createdAt: '2026-12-01T22:00:00.000Z', image: 'mirror.example/agnhost:2.56', imagePullSecrets: ['regcred'] };
const owner = { name: 'netpol-probe-mabc12-x1y2', uid: 'uid-1' };
const src = { namespace: 'shop', name: 'web-1', labels: { app: 'web', 'pod-template-hash': 'abc' }, serviceAccount: 'web-sa', hostNetwork: false };
type AnyObj = Record<string, any>;

/** Pod Security "restricted" (v1.34) for one container + the pod level, as the admission plugin checks it. */
function assertRestricted(c: AnyObj, podSc: AnyObj = {}) {
  const sc = c.securityContext ?? {};
  expect(sc.allowPrivilegeEscalation).toBe(false);
  expect(sc.capabilities?.drop).toEqual(['ALL']);
  expect(sc.capabilities?.add).toBeUndefined();
  expect(sc.runAsNonRoot ?? podSc.runAsNonRoot).toBe(true);
  expect(sc.runAsUser ?? podSc.runAsUser).not.toBe(0);
  expect((sc.seccompProfile ?? podSc.seccompProfile)?.type).toBe('RuntimeDefault');
  expect(sc.privileged).toBeUndefined();
  expect(sc.readOnlyRootFilesystem).toBe(true);
}

function assertMarked(o: AnyObj) {
  expect(o.metadata.labels[RUN_LABEL]).toBe(run.id);
  expect(o.metadata.annotations[CREATED_BY_ANNOTATION]).toBe(CREATED_BY);
  expect(isProbeObject(o)).toBe(true);
}

describe('probe objects', () => {
  it('run ids are label values that sort by time', () => {
    const a = newRunId(new Date('2026-12-01T22:00:00Z'), () => 0.5);
    const b = newRunId(new Date('2026-12-01T22:00:01Z'), () => 0.1);
    expect(a).toMatch(/^[a-z0-9]+-[a-z0-9]{4}$/);
    expect(a.length).toBeLessThanOrEqual(63);
    expect(a < b).toBe(true);
  });

  it('the ephemeral container is restricted and carries no fields Kubernetes forbids there', () => {
    const c = ephemeralContainer(run, 'echo') as AnyObj;
    assertRestricted(c);
    expect(c.name).toBe(`netpol-probe-${run.id}`);
    expect(c.image).toBe(run.image);
    expect(c.imagePullPolicy).toBe('IfNotPresent');
    for (const k of ['resources', 'ports', 'readinessProbe', 'livenessProbe', 'lifecycle']) expect(c[k]).toBeUndefined();
    expect(c.terminationMessagePolicy).toBe('File');
  });

  it('a clone keeps the identity, cannot be adopted, is never Ready and dies by itself', () => {
    const p = clonePod(run, src, 3, owner, 'echo', 120) as AnyObj;
    assertMarked(p);
    expect(p.metadata.namespace).toBe('shop');
    expect(p.metadata.labels).toMatchObject(src.labels); // what policies select on
    expect(p.spec.serviceAccountName).toBe('web-sa');
    expect(p.metadata.ownerReferences).toEqual([{ apiVersion: 'v1', kind: 'ConfigMap', name: owner.name, uid: 'uid-1', controller: true, blockOwnerDeletion: false }]);
    expect(p.spec.readinessGates).toEqual([{ conditionType: 'netpol.kubectl.io/never-ready' }]);
    expect(p.spec.activeDeadlineSeconds).toBe(120);
    expect(p.spec.restartPolicy).toBe('Never');
    expect(p.spec.automountServiceAccountToken).toBe(false);
    expect(p.spec.imagePullSecrets).toEqual([{ name: 'regcred' }]);
    expect(p.spec.hostNetwork).toBeUndefined();
    const c = p.spec.containers[0];
    assertRestricted(c, p.spec.securityContext);
    expect(c.resources.requests).toEqual({ cpu: '10m', memory: '16Mi' });
    expect(c.resources.limits).toEqual({ cpu: '200m', memory: '128Mi' });
  });

  it('a listener serves each port (TCP and UDP) with the destination labels', () => {
    const p = listenerPod(run, 'shop', { app: 'new' }, 'shop/deploy/new', 0, owner, [{ port: 8080, protocol: 'TCP', name: 'http' }, { port: 53, protocol: 'UDP' }, { port: 9090, protocol: 'TCP' }], 300) as AnyObj;
    assertMarked(p);
    expect(p.metadata.labels.app).toBe('new');
    expect(p.spec.containers.map((c: AnyObj) => c.command.slice(1))).toEqual([
      ['netexec', '--http-port=8080', '--udp-port=53'],
      ['netexec', '--http-port=9090', '--udp-port=-1'],
    ]);
    expect(p.spec.containers[0].ports).toEqual([{ containerPort: 8080, protocol: 'TCP', name: 'http' }, { containerPort: 53, protocol: 'UDP' }]);
    for (const c of p.spec.containers) assertRestricted(c, p.spec.securityContext);
    expect(p.spec.readinessGates).toHaveLength(1);
  });

  it('the run ConfigMap is marked like everything else', () => {
    assertMarked(runConfigMap(run, 'shop', 'kubectl netpol probe a b --port 80') as AnyObj);
  });
});

describe('cleanup selection', () => {
  const mine = clonePod(run, src, 0, owner, 'echo', 60) as AnyObj;
  const lookAlike = { metadata: { name: 'user-pod', namespace: 'shop', labels: { [RUN_LABEL]: run.id, app: 'web' }, annotations: { note: 'mine' } } };
  const wrongAnnotation = { metadata: { name: 'other', namespace: 'shop', labels: { [RUN_LABEL]: 'x' }, annotations: { [CREATED_BY_ANNOTATION]: 'someone else' } } };
  const annotationOnly = { metadata: { name: 'a', namespace: 'shop', labels: {}, annotations: { [CREATED_BY_ANNOTATION]: CREATED_BY } } };

  it('deletes only objects with the run label AND the creation annotation', () => {
    expect(selectLeftovers('Pod', [mine, lookAlike, wrongAnnotation, annotationOnly])).toEqual([{ kind: 'Pod', namespace: 'shop', name: `netpol-probe-${run.id}-0`, run: run.id, createdAt: run.createdAt }]);
  });
});

describe('container results', () => {
  const probes = [{ id: 0 }, { id: 1 }] as PlannedProbe[];
  const pod = (statuses: AnyObj[], extra: AnyObj = {}) => ({ status: { ephemeralContainerStatuses: statuses, ...extra } });

  it('reads the termination message of the named container', () => {
    const st = containerState(pod([{ name: 'netpol-probe-x', state: { terminated: { exitCode: 0, message: '0 1 c 4 \n1 1 t 2003 \n1 2 r 2 \nend\n' } } }]), 'netpol-probe-x', true);
    const obs = observations(probes, st, 'ephemeral');
    expect(obs.get(0)).toEqual({ observed: 'connected', latencyMs: 4, mode: 'ephemeral' });
    expect(obs.get(1)).toEqual({ observed: 'refused', latencyMs: 2, retried: true, firstAttempt: 'timeout', mode: 'ephemeral' });
  });

  it.each([
    ['ErrImagePull', { waiting: { reason: 'ErrImagePull', message: 'not found' } }, /did not run: ErrImagePull: not found/],
    ['ImagePullBackOff', { waiting: { reason: 'ImagePullBackOff' } }, /ImagePullBackOff/],
  ])('a container that cannot start (%s) is a probe error for each of its probes', (_n, state, why) => {
    const obs = observations(probes, containerState(pod([{ name: 'c', state }]), 'c', true), 'ephemeral');
    expect(obs.get(0)!.observed).toBe('probe-error');
    expect(obs.get(1)!.detail).toMatch(why);
  });

  it('a container killed half-way reports the rest as probe errors, with the reason', () => {
    const st = containerState({ status: { containerStatuses: [{ name: 'probe', state: { terminated: { exitCode: 137, reason: 'OOMKilled', message: '0 1 c 4 \n' } } }] } }, 'probe', false);
    const obs = observations(probes, st, 'clone');
    expect(obs.get(0)!.observed).toBe('connected');
    expect(obs.get(1)!.detail).toMatch(/stopped before this connection ran \(OOMKilled, exit code 137\)/);
  });

  it('a clone pod that failed (deadline) before reporting is a probe error', () => {
    expect(containerState({ status: { phase: 'Failed', reason: 'DeadlineExceeded', containerStatuses: [] } }, 'probe', false)).toMatchObject({ state: 'failed', reason: expect.stringMatching(/DeadlineExceeded/) });
    expect(containerState({ status: { phase: 'Running', containerStatuses: [{ name: 'probe', state: { running: {} } }] } }, 'probe', false)).toEqual({ state: 'running' });
  });
});
