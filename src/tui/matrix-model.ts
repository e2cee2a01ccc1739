// The TUI's reachability grid: the engine's matrix over two namespaces' pods, with the replicas of
// one workload grouped into one row/column (pure; cells are computed on demand and cached).
import type { ClusterIndex } from '../engine/cluster-index.js';
import { computeMatrix, type Matrix, type PortSpec } from '../engine/matrix.js';
import type { PodInfo } from '../engine/model.js';
import { KIND_SHORT, podLabel } from '../engine/resolve.js';

export interface MatrixGroup {
  readonly label: string;
  /** What explain is asked about for this group: the pod, or the workload (every replica). */
  readonly ref: string;
  /** Indices into `matrix.pods`. */
  readonly members: readonly number[];
}

/** A cell: every member pair allowed, none, or some (replicas that policies tell apart). */
export type CellValue = 'allowed' | 'denied' | 'mixed';

export interface GroupedMatrix {
  readonly fromNs: string;
  readonly toNs: string;
  readonly ports: readonly PortSpec[];
  readonly rows: readonly MatrixGroup[];
  readonly cols: readonly MatrixGroup[];
  readonly classCount: number;
  cell(portIndex: number, row: number, col: number): CellValue;
  /** Allowed group cells for a port (for the header line). */
  allowedCount(portIndex: number): number;
}


/** Destination ports worth a grid: the container ports the destination pods declare (TCP/80 if none). */
export function matrixPorts(pods: readonly PodInfo[]): PortSpec[] {
  const seen = new Map<string, PortSpec>();
  for (const p of pods) for (const cp of p.ports) seen.set(`${cp.protocol}/${cp.port}`, { port: cp.port, protocol: cp.protocol });
  const list = [...seen.values()].sort((a, b) => a.protocol.localeCompare(b.protocol) || a.port - b.port);
  return list.length > 0 ? list : [{ port: 80, protocol: 'TCP' }];
}

function groupPods(pods: readonly PodInfo[], indices: readonly number[]): MatrixGroup[] {
  const byKey = new Map<string, { label: string; ref: string; members: number[]; workload?: string }>();
  for (const i of indices) {
    const pod = pods[i]!;
    const short = pod.workload ? KIND_SHORT[pod.workload.kind] : undefined;
    const key = pod.workload && short ? `${pod.namespace}/${short}/${pod.workload.name}` : podLabel(pod);
    const g = byKey.get(key);
    if (g) g.members.push(i);
    else byKey.set(key, { label: key, ref: podLabel(pod), members: [i], ...(pod.workload && short ? { workload: key } : {}) });
  }
  return [...byKey.values()].map((g) =>
    g.members.length > 1 && g.workload ? { label: `${g.label} (${g.members.length})`, ref: g.workload, members: g.members } : { label: g.label, ref: g.ref, members: g.members },
  );
}

export function buildGroupedMatrix(idx: ClusterIndex, fromNs: string, toNs: string, ports: readonly PortSpec[]): GroupedMatrix {
  const pods = [...idx.podsIn(fromNs), ...(toNs === fromNs ? [] : idx.podsIn(toNs))];
  const matrix: Matrix = computeMatrix(pods, ports, idx);
  const indicesOf = (ns: string) => pods.flatMap((p, i) => (p.namespace === ns ? [i] : []));
  const rows = groupPods(pods, indicesOf(fromNs));
  const cols = groupPods(pods, indicesOf(toNs));
  const caches = ports.map(() => new Int8Array(rows.length * cols.length)); // 0 unknown, 1 allowed, 2 denied, 3 mixed
  const cell = (pi: number, r: number, c: number): CellValue => {
    const cache = caches[pi]!;
    const k = r * cols.length + c;
    if (cache[k] === 0) {
      let yes = false;
      let no = false;
      for (const a of rows[r]!.members) {
        for (const b of cols[c]!.members) {
          if (matrix.allowed(pi, a, b)) yes = true;
          else no = true;
          if (yes && no) break;
        }
        if (yes && no) break;
      }
      cache[k] = yes && no ? 3 : yes ? 1 : 2;
    }
    return cache[k] === 1 ? 'allowed' : cache[k] === 2 ? 'denied' : 'mixed';
  };
  return {
    fromNs,
    toNs,
    ports,
    rows,
    cols,
    classCount: matrix.classCount,
    cell,
    allowedCount(pi) {
      let n = 0;
      for (let r = 0; r < rows.length; r++) for (let c = 0; c < cols.length; c++) if (cell(pi, r, c) === 'allowed') n++;
      return n;
    },
  };
}
