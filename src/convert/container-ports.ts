// Containers of a pod spec: their ports and names. Read for every pod (tens of thousands in a
// snapshot), so valid values are taken as they are and field paths are only spelled out for a message.

import type { ContainerPort, Protocol } from '../engine/model.js';
import { isObj, isPortNumber, listAt, objAt, portNameProblem, portNumberAt, protocolAt, strAt, type Obj } from './fields.js';
import { describe, index, join, type Reporter } from './problems.js';

/** Port names already found valid (pods repeat a handful of names). */
const validNames = new Set<string>();
const MEMO_LIMIT = 10_000;

/**
 * Container ports of a pod spec. Only `containers[].ports` count (as for named-port resolution
 * in the API's FindPort); initContainers' ports are ignored.
 */
export function readContainerPorts(spec: Obj, path: string, r: Reporter): ContainerPort[] {
  const ports: ContainerPort[] = [];
  // Port name -> [container index, port index] of its first use (the path, for the warning).
  const seenNames = new Map<string, readonly [number, number]>();
  const cPath = join(path, 'containers');
  const containers = listAt(spec['containers'], cPath, r) ?? [];
  for (let ci = 0; ci < containers.length; ci++) {
    const c = containers[ci];
    const co = isObj(c) ? c : objAt(c, index(cPath, ci), r);
    if (!co) continue;
    const cn = co['name'];
    const container = typeof cn === 'string' ? cn : strAt(cn, join(index(cPath, ci), 'name'), r);
    const portPath = (pi: number): string => index(join(index(cPath, ci), 'ports'), pi);
    const list = co['ports'] === undefined ? [] : (listAt(co['ports'], join(index(cPath, ci), 'ports'), r) ?? []);
    for (let pi = 0; pi < list.length; pi++) {
      const port = list[pi];
      const po = isObj(port) ? port : objAt(port, portPath(pi), r);
      if (!po) continue;
      const cp = po['containerPort'];
      const number = typeof cp === 'number' && isPortNumber(cp) ? cp : portNumberAt(cp, join(portPath(pi), 'containerPort'), r);
      const pr = po['protocol'];
      const protocol: Protocol | undefined = pr === undefined ? 'TCP' : pr === 'TCP' || pr === 'UDP' || pr === 'SCTP' ? pr : protocolAt(pr, join(portPath(pi), 'protocol'), r);
      const nv = po['name'];
      const name = typeof nv === 'string' ? nv : strAt(nv, join(portPath(pi), 'name'), r);
      if (name !== undefined && name !== '') {
        const np = validNames.has(name) ? undefined : portNameProblem(name);
        if (np) {
          r.error(join(portPath(pi), 'name'), `port name ${describe(name)} ${np}`, 'port names are IANA_SVC_NAMEs such as http or metrics');
          continue;
        }
        if (validNames.size < MEMO_LIMIT) validNames.add(name);
        const prev = seenNames.get(name);
        if (prev !== undefined)
          r.warn(join(portPath(pi), 'name'), `port name "${name}" is also used by ${index(join(index(cPath, prev[0]), 'ports'), prev[1])}; named ports resolve to the first one`);
        else seenNames.set(name, [ci, pi]);
      }
      if (number === undefined || protocol === undefined) continue;
      const out: { name?: string; port: number; protocol: Protocol; container?: string } = { port: number, protocol };
      if (name) out.name = name;
      if (container) out.container = container;
      ports.push(out);
    }
  }
  return ports;
}

/** Names of the containers that run beside the app: spec.containers and native sidecars (init containers with restartPolicy Always). */
export function containerNames(spec: Obj): string[] {
  const names: string[] = [];
  const add = (v: unknown, sidecarsOnly: boolean): void => {
    if (!Array.isArray(v)) return;
    for (const c of v) if (isObj(c) && typeof c['name'] === 'string' && (!sidecarsOnly || c['restartPolicy'] === 'Always')) names.push(c['name']);
  };
  add(spec['containers'], false);
  add(spec['initContainers'], true);
  return names;
}
