// Object helpers for the test clusters: load a kubeconfig, create-or-replace wire-format objects
// (with the client-node model-name conversion they need), write pod status as a kubelet would.

import {
  ApiException,
  CoreV1Api,
  dumpYaml,
  KubeConfig,
  KubernetesObjectApi,
  loadYaml,
  PatchStrategy,
  setHeaderOptions,
  type KubernetesObject,
  type V1Pod,
  type V1PodStatus,
} from '@kubernetes/client-node';


/** A KubeConfig loaded from a kubeconfig file (e.g. cluster.kubeconfigPath). */
export function loadKubeConfig(path: string): KubeConfig {
  const kc = new KubeConfig();
  kc.loadFromFile(path);
  return kc;
}

function errCode(err: unknown): number | undefined {
  return err instanceof ApiException ? err.code : undefined;
}

function errText(err: unknown): string {
  if (err instanceof ApiException) return `${err.code} ${typeof err.body === 'string' ? err.body : JSON.stringify(err.body)}`;
  return String(err);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Create-or-replace each object, in order (put Namespaces and CRDs first).
 * Objects are plain wire-format JSON, as in a YAML manifest or kubectl output
 * (`from`, `x-kubernetes-validations`, ...); see toModel for why that matters.
 * - exists → replaced with the given content (resourceVersion taken from the live object);
 * - a Pod whose spec cannot be changed in place is deleted (grace 0) and recreated;
 * - a Pod that carries `status` also gets it written through pods/status (setPodStatus,
 *   as given: set podIP/podIPs/phase yourself); other kinds' status goes to the
 *   main resource, where e.g. Node status is kept on create;
 * - a CustomResourceDefinition is waited for until Established, so custom
 *   resources can follow it in the same list;
 * - on clusters that run ServiceAccount admission, pod creation is retried
 *   while the namespace's `default` ServiceAccount does not exist yet.
 * Returns the objects as stored by the server, as client-node model objects
 * (typed reads give the same shape: NetworkPolicy ingress peers are `_from`).
 */
export async function applyObjects(kc: KubeConfig, objects: KubernetesObject[]): Promise<KubernetesObject[]> {
  const api = KubernetesObjectApi.makeApiClient(kc);
  const result: KubernetesObject[] = [];
  for (const obj of objects) {
    let stored = await createOrReplace(api, toModel(obj));
    const status = (obj as { status?: V1PodStatus }).status;
    if (obj.kind === 'Pod' && status) {
      // Pod create/update ignore status; write it like a kubelet would.
      stored = await setPodStatus(kc, stored.metadata?.namespace ?? 'default', stored.metadata?.name ?? '', {
        extra: status,
      });
    }
    if (obj.kind === 'CustomResourceDefinition') {
      await waitForCrdEstablished(api, obj.metadata?.name ?? '');
    }
    result.push(stored);
  }
  return result;
}

/**
 * KubernetesObjectApi serialises objects of built-in groups through
 * client-node's generated models, whose property names differ from the wire
 * names in a few places (NetworkPolicy ingress `from` is `_from`, CRD schema
 * `x-kubernetes-*` is `x_kubernetes_*`, `$ref` is `ref`, `default` is
 * `_default`, ...). A wire-format object passed as is silently loses those
 * fields, e.g. an ingress rule's `from` (which turns it into allow-all). So
 * convert wire format to the model first, exactly like client-node's loadYaml
 * (JSON is YAML). Class instances (e.g. objects read through client-node)
 * are already models: round-trip them through dumpYaml so they survive too.
 */
function toModel(obj: KubernetesObject): KubernetesObject {
  const plain = Object.getPrototypeOf(obj) === Object.prototype;
  return loadYaml<KubernetesObject>(plain ? JSON.stringify(obj) : dumpYaml(obj));
}

async function createOrReplace(api: KubernetesObjectApi, spec: KubernetesObject): Promise<KubernetesObject> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      return await api.create(spec);
    } catch (err) {
      const code = errCode(err);
      if (code === 403 && /service account|serviceaccount/i.test(errText(err)) && Date.now() < deadline) {
        await sleep(250); // external cluster: default ServiceAccount not created yet
        continue;
      }
      if (code !== 409) throw new Error(`create ${describe(spec)}: ${errText(err)}`);
    }
    // Already exists: replace.
    try {
      const live = await api.read(header(spec));
      const next = {
        ...spec,
        metadata: { ...spec.metadata, resourceVersion: live.metadata?.resourceVersion },
      };
      return await api.replace(next);
    } catch (err) {
      const code = errCode(err);
      if (code === 409 && Date.now() < deadline) continue; // raced with another writer
      if (code === 404 && Date.now() < deadline) continue; // deleted in between
      if (code === 422 && spec.kind === 'Pod' && Date.now() < deadline) {
        await api.delete(header(spec), undefined, undefined, 0);
        await waitGone(api, spec);
        continue;
      }
      throw new Error(`replace ${describe(spec)}: ${errText(err)}`);
    }
  }
}

type Header = Pick<KubernetesObject, 'apiVersion' | 'kind'> & { metadata: { name: string; namespace?: string } };

function header(spec: KubernetesObject): Header {
  const { name, namespace } = spec.metadata ?? {};
  if (!name) throw new Error(`${spec.kind} without metadata.name`);
  return { apiVersion: spec.apiVersion, kind: spec.kind, metadata: namespace ? { name, namespace } : { name } };
}

function describe(spec: KubernetesObject): string {
  const ns = spec.metadata?.namespace ? `${spec.metadata.namespace}/` : '';
  return `${spec.kind} ${ns}${spec.metadata?.name}`;
}

async function waitGone(api: KubernetesObjectApi, spec: KubernetesObject): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    try {
      await api.read(header(spec));
    } catch (err) {
      if (errCode(err) === 404) return;
      throw err;
    }
    await sleep(100);
  }
  throw new Error(`${describe(spec)} still exists 30 s after deletion`);
}

async function waitForCrdEstablished(api: KubernetesObjectApi, name: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const crd = (await api.read({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name },
    })) as KubernetesObject & { status?: { conditions?: { type: string; status: string }[] } };
    if (crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) return;
    await sleep(100);
  }
  throw new Error(`CustomResourceDefinition ${name} not Established after ${timeoutMs} ms`);
}

export interface PodStatusInput {
  /** Primary pod IP; podIPs defaults to [podIP]. */
  podIP?: string;
  /** All pod IPs (dual stack); podIP defaults to podIPs[0]. */
  podIPs?: string[];
  /** Defaults to 'Running' when an IP is given, else left unchanged. */
  phase?: string;
  /** Sets hostIP and hostIPs. */
  hostIP?: string;
  /** Any other V1PodStatus fields (conditions, ...), merged as given. */
  extra?: Partial<V1PodStatus>;
}

/**
 * Writes a pod's status through the pods/status subresource (JSON merge
 * patch), standing in for the kubelet that does not exist here:
 *   await setPodStatus(kc, 'ns1', 'web', { podIP: '10.244.1.5' })
 * sets podIP, podIPs and phase Running. Needs `patch` on pods/status (admin has it).
 */
export async function setPodStatus(
  kc: KubeConfig,
  namespace: string,
  name: string,
  input: PodStatusInput,
): Promise<V1Pod> {
  const status: Record<string, unknown> = { ...(input.extra ?? {}) };
  const ips = input.podIPs ?? (input.podIP !== undefined ? [input.podIP] : undefined);
  if (ips) {
    status.podIP = input.podIP ?? ips[0];
    status.podIPs = ips.map((ip) => ({ ip }));
  }
  if (input.hostIP !== undefined) {
    status.hostIP = input.hostIP;
    status.hostIPs = [{ ip: input.hostIP }];
  }
  const phase = input.phase ?? (ips ? 'Running' : undefined);
  if (phase !== undefined) status.phase = phase;
  try {
    return await kc.makeApiClient(CoreV1Api).patchNamespacedPodStatus(
      { name, namespace, body: { status } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
  } catch (err) {
    throw new Error(`set status of Pod ${namespace}/${name}: ${errText(err)}`);
  }
}
