// The Kubernetes objects a probe run creates, built as plain API JSON (pure): the run's ConfigMap
// (owner of every clone), the ephemeral probe container, clone pods and --serve listener pods. Every
// one carries the run label and the creation annotation that `probe --cleanup` requires.
import type { Protocol } from '../engine/model.js';
import type { SourcePod } from './types.js';

export const DEFAULT_IMAGE = 'registry.k8s.io/e2e-test-images/agnhost:2.56';
/** Label on every object of a run; its value is the run id. */
export const RUN_LABEL = 'netpol.kubectl.io/run';
export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY = 'kubectl-netpol';
/** Annotation on every object we create; cleanup deletes only objects with it AND the run label. */
export const CREATED_BY_ANNOTATION = 'netpol.kubectl.io/created-by';
export const CREATED_BY = 'kubectl-netpol probe';
export const CREATED_AT_ANNOTATION = 'netpol.kubectl.io/created-at';
export const CLONE_OF_ANNOTATION = 'netpol.kubectl.io/clone-of';
/** Readiness gate nobody sets: clones and listeners never become Ready, so no Service routes to them. */
export const NEVER_READY_CONDITION = 'netpol.kubectl.io/never-ready';
/** Name prefix of everything a run creates (ephemeral containers included). */
export const NAME_PREFIX = 'netpol-probe-';
/** uid the probe runs as (Pod Security "restricted" needs a non-root user; the image need not know it). */
export const PROBE_UID = 10001;

export interface RunInfo {
  readonly id: string;
  /** ISO time the run started. */
  readonly createdAt: string;
  readonly image: string;
  readonly imagePullSecrets: readonly string[];
}

/** A run id: a label value (<= 63 chars, [a-z0-9-]) that sorts by time. */
export function newRunId(now: Date, random: () => number = Math.random): string {
  const t = now.getTime().toString(36);
  const r = Math.floor(random() * 36 ** 4).toString(36).padStart(4, '0');
  return `${t}-${r}`;
}

type Json = Record<string, unknown>;

function metadata(run: RunInfo, namespace: string, name: string, labels: Readonly<Record<string, string>> = {}, annotations: Record<string, string> = {}): Json {
  return {
    name,
    namespace,
    labels: { ...labels, [RUN_LABEL]: run.id, [MANAGED_BY_LABEL]: MANAGED_BY },
    annotations: { ...annotations, [CREATED_BY_ANNOTATION]: CREATED_BY, [CREATED_AT_ANNOTATION]: run.createdAt },
  };
}

/** The run's ConfigMap in one namespace: the controller owner of every clone there, so no ReplicaSet/StatefulSet adopts them and deleting it lets the garbage collector remove them. */
export function runConfigMap(run: RunInfo, namespace: string, command: string): Json {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: metadata(run, namespace, `${NAME_PREFIX}${run.id}`),
    data: { run: run.id, createdAt: run.createdAt, command, purpose: 'Owner of the probe pods of one kubectl netpol probe run; delete it (or run kubectl netpol probe --cleanup) to remove them.' },
  };
}

/**
 * Container security context that Pod Security "restricted" admits: non-root, no privilege
 * escalation, every capability dropped, seccomp RuntimeDefault, read-only root filesystem
 * (the probe writes only its termination log, which the kubelet mounts writable).
 */
export function restrictedContainerContext(): Json {
  return {
    runAsNonRoot: true,
    runAsUser: PROBE_UID,
    runAsGroup: PROBE_UID,
    allowPrivilegeEscalation: false,
    readOnlyRootFilesystem: true,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

/**
 * The ephemeral probe container (PATCH pods/NAME/ephemeralcontainers). Kubernetes forbids
 * resources, ports and probes on ephemeral containers, and never removes one from the pod spec:
 * it stays (terminated) until the pod is replaced. One per source pod per run.
 */
export function ephemeralContainer(run: RunInfo, script: string): Json {
  return {
    name: `${NAME_PREFIX}${run.id}`,
    image: run.image,
    imagePullPolicy: 'IfNotPresent',
    command: ['/bin/sh', '-c', script],
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    securityContext: restrictedContainerContext(),
  };
}

const RESOURCES = { requests: { cpu: '10m', memory: '16Mi' }, limits: { cpu: '200m', memory: '128Mi' } };

function podSpecBase(run: RunInfo, deadlineSeconds: number, serviceAccount: string | undefined): Json {
  return {
    ...(serviceAccount ? { serviceAccountName: serviceAccount } : {}),
    automountServiceAccountToken: false,
    enableServiceLinks: false,
    restartPolicy: 'Never',
    activeDeadlineSeconds: deadlineSeconds,
    terminationGracePeriodSeconds: 1,
    readinessGates: [{ conditionType: NEVER_READY_CONDITION }],
    securityContext: { runAsNonRoot: true, runAsUser: PROBE_UID, runAsGroup: PROBE_UID, seccompProfile: { type: 'RuntimeDefault' } },
    ...(run.imagePullSecrets.length > 0 ? { imagePullSecrets: run.imagePullSecrets.map((name) => ({ name })) } : {}),
  };
}

function ownerRef(owner: { name: string; uid: string }): Json {
  return { apiVersion: 'v1', kind: 'ConfigMap', name: owner.name, uid: owner.uid, controller: true, blockOwnerDeletion: false };
}

export interface OwnerInfo {
  readonly name: string;
  readonly uid: string;
}

/**
 * A clone of a source pod: same namespace, labels and service account (what policies see), owned by
 * the run's ConfigMap as its controller (so no workload controller adopts it), never Ready, and
 * killed by activeDeadlineSeconds even if the CLI dies.
 */
export function clonePod(run: RunInfo, src: SourcePod, index: number, owner: OwnerInfo, script: string, deadlineSeconds: number): Json {
  const meta = metadata(run, src.namespace, `${NAME_PREFIX}${run.id}-${index}`, src.labels, { [CLONE_OF_ANNOTATION]: `${src.namespace}/${src.name}` });
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { ...meta, ownerReferences: [ownerRef(owner)] },
    spec: {
      ...podSpecBase(run, deadlineSeconds, src.serviceAccount),
      containers: [
        {
          name: 'probe',
          image: run.image,
          imagePullPolicy: 'IfNotPresent',
          command: ['/bin/sh', '-c', script],
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          resources: RESOURCES,
          securityContext: restrictedContainerContext(),
        },
      ],
    },
  };
}

export interface ListenPort {
  readonly port: number;
  readonly protocol: Protocol;
  readonly name?: string;
}

/** agnhost netexec always serves HTTP; a UDP-only listener puts that on a kernel-chosen port (0). */
function listenerContainers(run: RunInfo, ports: readonly ListenPort[]): Json[] {
  const tcp = ports.filter((p) => p.protocol === 'TCP');
  const udp = ports.filter((p) => p.protocol === 'UDP');
  const n = Math.max(tcp.length, udp.length);
  const out: Json[] = [];
  for (let i = 0; i < n; i++) {
    const t = tcp[i];
    const u = udp[i];
    const declared = [t, u].filter((p): p is ListenPort => p !== undefined).map((p) => ({ containerPort: p.port, protocol: p.protocol, ...(p.name ? { name: p.name } : {}) }));
    out.push({
      name: `listen-${i}`,
      image: run.image,
      imagePullPolicy: 'IfNotPresent',
      command: ['/agnhost', 'netexec', `--http-port=${t ? t.port : 0}`, `--udp-port=${u ? u.port : -1}`],
      ports: declared,
      resources: RESOURCES,
      securityContext: restrictedContainerContext(),
    });
  }
  return out;
}

/** A --serve listener: the destination's labels and namespace, agnhost netexec on the requested ports. */
export function listenerPod(run: RunInfo, namespace: string, labels: Readonly<Record<string, string>>, standsFor: string, index: number, owner: OwnerInfo, ports: readonly ListenPort[], deadlineSeconds: number): Json {
  const meta = metadata(run, namespace, `${NAME_PREFIX}${run.id}-l${index}`, labels, { [CLONE_OF_ANNOTATION]: standsFor });
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { ...meta, ownerReferences: [ownerRef(owner)] },
    spec: { ...podSpecBase(run, deadlineSeconds, undefined), containers: listenerContainers(run, ports) },
  };
}

/** True for objects a probe run created: the run label AND the creation annotation (cleanup's rule). */
export function isProbeObject(obj: { metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> } }): boolean {
  const m = obj.metadata;
  return typeof m?.labels?.[RUN_LABEL] === 'string' && m.labels[RUN_LABEL] !== '' && m.annotations?.[CREATED_BY_ANNOTATION] === CREATED_BY;
}
