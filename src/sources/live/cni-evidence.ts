// Objects kept (raw, but trimmed) for CNI detection (src/cni/detect.ts detectCni): DaemonSets from
// a cluster-wide list, Deployments and Pods of the CNI namespaces, ConfigMaps of kube-system and of
// the CNI namespaces where a DaemonSet runs, a few Nodes, and the API group names from discovery.
// A list that was not (completely) read stays undefined, so detection lowers its confidence
// instead of concluding "not there".

import { CNI_NAMESPACES, type CniInput } from '../../cni/detect.js';
import { isObj, type Obj } from '../../convert/fields.js';

const MAX_NODES = 20;
const CNI_NS = new Set(CNI_NAMESPACES);

const nsOf = (o: unknown): string | undefined => {
  const md = isObj(o) ? o['metadata'] : undefined;
  return isObj(md) && typeof md['namespace'] === 'string' ? md['namespace'] : undefined;
};

/** Only what detection reads from a Node: labels, annotations, providerID, kubelet version. */
function slimNode(o: unknown): Obj {
  const n = isObj(o) ? o : {};
  const md = isObj(n['metadata']) ? n['metadata'] : {};
  const spec = isObj(n['spec']) ? n['spec'] : {};
  const status = isObj(n['status']) ? n['status'] : {};
  const info = isObj(status['nodeInfo']) ? status['nodeInfo'] : {};
  return {
    metadata: { name: md['name'], labels: md['labels'], annotations: md['annotations'] },
    spec: { providerID: spec['providerID'] },
    status: { nodeInfo: { kubeletVersion: info['kubeletVersion'] } },
  };
}

/** Drops status and managedFields (the bulk of a workload or pod object). */
function slimWorkload(o: unknown): Obj {
  const w = isObj(o) ? o : {};
  const md = isObj(w['metadata']) ? w['metadata'] : {};
  return { metadata: { name: md['name'], namespace: md['namespace'], labels: md['labels'], ownerReferences: md['ownerReferences'] }, spec: w['spec'] };
}

export class CniEvidence {
  daemonSets: Obj[] | undefined;
  deployments: Obj[] | undefined;
  pods: Obj[] | undefined;
  configMaps: Obj[] | undefined;
  nodes: Obj[] | undefined;
  apiGroups: string[] | undefined;

  static inCniNamespace(o: unknown): boolean {
    const ns = nsOf(o);
    return ns !== undefined && CNI_NS.has(ns);
  }

  /** Namespaces whose ConfigMaps are worth reading: kube-system and CNI namespaces with DaemonSets. */
  configMapNamespaces(): string[] {
    const out = new Set(['kube-system']);
    for (const d of this.daemonSets ?? []) {
      const ns = nsOf(d);
      if (ns !== undefined && CNI_NS.has(ns)) out.add(ns);
    }
    return [...out];
  }

  // Each add returns how to take it back (a list that starts over after a 410 drops what it delivered).
  addDaemonSet(o: unknown): () => void {
    return pushed((this.daemonSets ??= []), slimWorkload(o));
  }

  addDeployment(o: unknown): (() => void) | undefined {
    return CniEvidence.inCniNamespace(o) ? pushed((this.deployments ??= []), slimWorkload(o)) : undefined;
  }

  addPod(o: unknown): (() => void) | undefined {
    return CniEvidence.inCniNamespace(o) ? pushed((this.pods ??= []), slimWorkload(o)) : undefined;
  }

  addConfigMap(o: unknown): () => void {
    return pushed((this.configMaps ??= []), isObj(o) ? o : {});
  }

  addNode(o: unknown): (() => void) | undefined {
    const nodes = (this.nodes ??= []);
    return nodes.length < MAX_NODES ? pushed(nodes, slimNode(o)) : undefined;
  }

  /** After a list: complete (an empty result is evidence too), or failed (unknown). */
  settle(field: 'daemonSets' | 'deployments' | 'pods' | 'configMaps' | 'nodes', complete: boolean): void {
    if (complete) this[field] ??= [];
    else this[field] = undefined;
  }

  input(): CniInput {
    return {
      ...(this.daemonSets ? { daemonSets: this.daemonSets } : {}),
      ...(this.deployments ? { deployments: this.deployments } : {}),
      ...(this.pods ? { pods: this.pods } : {}),
      ...(this.configMaps ? { configMaps: this.configMaps } : {}),
      ...(this.nodes ? { nodes: this.nodes } : {}),
      ...(this.apiGroups ? { apiGroups: this.apiGroups } : {}),
    };
  }
}

/** Appends `v` to `list`; the returned function removes it again. */
function pushed<T>(list: T[], v: T): () => void {
  list.push(v);
  return () => {
    const i = list.indexOf(v);
    if (i >= 0) list.splice(i, 1);
  };
}
