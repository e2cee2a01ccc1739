// Matrix rows: workloads (replicas folded in) or single pods, and the allowed connections between
// rows, derived from class-pair masks. A workload pair's answer is what holds for EVERY pod pair
// (`all`) plus what holds for only SOME (`some`), so folding replicas never hides a difference.
import type { Reachability } from './matrix.js';
import type { PodInfo, WorkloadRef } from './model.js';
import { KIND_SHORT, podLabel } from './resolve.js';

export type RowsBy = 'workload' | 'pod';

export interface MatrixRow {
  readonly label: string;
  readonly namespace: string;
  /** Workload kind, or 'Pod' for a pod without a workload (or --by pod). */
  readonly kind: WorkloadRef['kind'] | 'Pod';
  readonly name: string;
  readonly pods: number;
  /** The classes of its pods, with how many pods each holds (a template counts as replicas). */
  readonly classes: readonly { readonly c: number; readonly n: number }[];
}

export interface RowCell {
  readonly to: number;
  /** Columns allowed between every pod pair of the two rows (mask id). */
  readonly all: number;
  /** Columns allowed between at least one pod pair (mask id); equals `all` unless replicas differ. */
  readonly some: number;
}

/** Rows sorted by label; `pods` must be the pods the reachability was computed over. */
export function matrixRows(r: Reachability, by: RowsBy): MatrixRow[] {
  const groups = new Map<string, { row: Omit<MatrixRow, 'classes' | 'pods'>; counts: Map<number, number>; pods: number }>();
  r.pods.forEach((pod: PodInfo, i) => {
    const w = by === 'workload' ? pod.workload : undefined;
    const label = w ? `${pod.namespace}/${KIND_SHORT[w.kind]}/${w.name}` : podLabel(pod);
    let g = groups.get(label);
    if (!g) groups.set(label, (g = { row: { label, namespace: pod.namespace, kind: w?.kind ?? (pod.template && pod.workload ? pod.workload.kind : 'Pod'), name: w?.name ?? (pod.template && pod.workload ? pod.workload.name : pod.name) }, counts: new Map(), pods: 0 }));
    const c = r.classOf[i]!;
    // A template stands for its replicas: two of them, so replica-to-replica traffic is a pair.
    g.counts.set(c, (g.counts.get(c) ?? 0) + (pod.template ? 2 : 1));
    g.pods++;
  });
  return [...groups.values()]
    .map((g) => ({ ...g.row, pods: g.pods, classes: [...g.counts].map(([c, n]) => ({ c, n })) }))
    .sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
}

/** Connections out of rows, computed once per class and shared by the rows of that class. */
export class RowConnections {
  private readonly rowsOfClass: { row: number; n: number }[][];

  constructor(
    private readonly r: Reachability,
    readonly rows: readonly MatrixRow[],
  ) {
    this.rowsOfClass = Array.from({ length: r.classCount }, () => []);
    rows.forEach((row, i) => row.classes.forEach(({ c, n }) => this.rowsOfClass[c]!.push({ row: i, n })));
  }

  /** Pod pairs between a class of row `from` and a class of row `to` (0: only a pod and itself). */
  private pairs(from: number, to: number, a: { c: number; n: number }, bN: number, bC: number): number {
    return from === to && a.c === bC ? a.n * (a.n - 1) : a.n * bN;
  }

  /** Rows reachable from row `from` on some column, ascending; a row to itself means replica to replica. */
  cells(from: number): RowCell[] {
    const src = this.rows[from]!;
    if (src.classes.length === 1) {
      const a = src.classes[0]!;
      const cells = this.classCells(a.c);
      return a.n === 1 ? cells.filter((c) => c.to !== from) : cells; // one pod to itself is no pair
    }
    const acc = new Map<number, { all: number; some: number; covered: number }>();
    const m = this.r.masks;
    for (const a of src.classes) {
      const d = this.r.destinations(a.c);
      for (let k = 0; k < d.classes.length; k++) {
        const b = d.classes[k]!;
        const mask = d.masks[k]!;
        for (const { row, n } of this.rowsOfClass[b]!) {
          if (this.pairs(from, row, a, n, b) === 0) continue;
          const cur = acc.get(row);
          if (!cur) acc.set(row, { all: mask, some: mask, covered: 1 });
          else (cur.all = m.and(cur.all, mask), cur.some = m.or(cur.some, mask), cur.covered++);
        }
      }
    }
    const out: RowCell[] = [];
    for (const to of [...acc.keys()].sort((x, y) => x - y)) {
      const cur = acc.get(to)!;
      // Class pairs with no allowed column were not visited: then nothing holds for every pod pair.
      const all = cur.covered === this.classPairs(from, to) ? cur.all : 0;
      out.push({ to, all, some: cur.some });
    }
    return out;
  }

  /** A few recent classes' cells: rows of one class often sit next to each other in label order. */
  private readonly recent = new Map<number, RowCell[]>();

  /** Cells out of a row whose pods all sit in class `a`, before leaving out a pod to itself. */
  private classCells(a: number): RowCell[] {
    let out = this.recent.get(a);
    if (out) return out;
    const d = this.r.destinations(a);
    const m = this.r.masks;
    const multi = new Map<number, { all: number; some: number; covered: number }>();
    out = [];
    for (let k = 0; k < d.classes.length; k++) {
      const mask = d.masks[k]!;
      for (const { row } of this.rowsOfClass[d.classes[k]!]!) {
        if (this.rows[row]!.classes.length === 1) out.push({ to: row, all: mask, some: mask });
        else {
          const cur = multi.get(row);
          if (!cur) multi.set(row, { all: mask, some: mask, covered: 1 });
          else (cur.all = m.and(cur.all, mask), cur.some = m.or(cur.some, mask), cur.covered++);
        }
      }
    }
    for (const [to, cur] of multi) out.push({ to, all: cur.covered === this.rows[to]!.classes.length ? cur.all : 0, some: cur.some });
    out.sort((x, y) => x.to - y.to);
    if (this.recent.size >= 64) this.recent.delete(this.recent.keys().next().value!);
    this.recent.set(a, out);
    return out;
  }

  private classPairs(from: number, to: number): number {
    const a = this.rows[from]!;
    const b = this.rows[to]!;
    let n = 0;
    for (const x of a.classes) for (const y of b.classes) if (this.pairs(from, to, x, y.n, y.c) > 0) n++;
    return n;
  }
}
