// matrix as data (kind: Matrix), produced item by item so -o json|yaml|jsonl never holds the whole
// document: memory stays flat however many pairs there are. Shape: docs/schema/matrix.schema.json.
import { dump as dumpYaml } from 'js-yaml';
import type { Reachability } from '../engine/matrix.js';
import type { MatrixRow, RowConnections, RowsBy } from '../engine/matrix-rows.js';
import type { Protocol } from '../engine/model.js';
import { API_VERSION, Kind } from './contract.js';


/** NetworkPolicyPort style: no `port` = every port of the protocol; `endPort` closes a range. */
export interface PortRange {
  readonly protocol: Protocol;
  readonly port?: number | string;
  readonly endPort?: number;
}

/** Every port (no --port): one item per pair of rows with something allowed. */
export interface ConnectionItem {
  readonly from: string;
  readonly to: string;
  /** Allowed between every pod of `from` and every pod of `to`. */
  readonly ports: readonly PortRange[];
  /** Allowed between some of their pods only (replicas that policies tell apart). */
  readonly partialPorts?: readonly PortRange[];
}

/** With --port: one item per ordered pair of rows and asked port, denied ones included. */
export interface PairItem {
  readonly from: string;
  readonly to: string;
  readonly port: number | string;
  readonly protocol: Protocol;
  readonly allowed: boolean;
  /** A named port's number on the destination (absent: the destination does not declare it). */
  readonly resolvedPort?: number;
  /** Workload rows: allowed between some of their pods only. */
  readonly partial?: true;
}

export interface MatrixView {
  readonly r: Reachability;
  readonly by: RowsBy;
  readonly rows: readonly MatrixRow[];
  readonly connections: RowConnections;
}

/** Mask id -> port ranges, memoised (a matrix has few distinct masks). */
export function portFormatter(r: Reachability): (mask: number) => PortRange[] {
  const memo = new Map<number, PortRange[]>();
  return (mask) => {
    let out = memo.get(mask);
    if (out) return out;
    out = [];
    let open: { protocol: Protocol; start: number; end: number } | undefined;
    const close = () => {
      if (!open) return;
      const whole = r.allPorts && open.start === 1 && open.end === 65535;
      out!.push(whole ? { protocol: open.protocol } : open.start === open.end ? { protocol: open.protocol, port: open.start } : { protocol: open.protocol, port: open.start, endPort: open.end });
      open = undefined;
    };
    for (const k of r.masks.columnsOf(mask)) {
      const col = r.columns[k]!;
      if (col.name !== undefined) {
        close();
        out.push({ protocol: col.protocol, port: col.name });
      } else if (open && open.protocol === col.protocol && open.end + 1 === col.start) open.end = col.end;
      else (close(), (open = { protocol: col.protocol, start: col.start, end: col.end }));
    }
    close();
    memo.set(mask, out);
    return out;
  };
}

/** "TCP 53,8080,9000-9010; UDP 53", "all ports", "TCP (all)". */
export function formatPorts(ranges: readonly PortRange[]): string {
  if (ranges.length === 3 && ranges.every((p) => p.port === undefined)) return 'all ports';
  const byProto = new Map<Protocol, string[]>();
  for (const p of ranges) {
    const list = byProto.get(p.protocol) ?? [];
    list.push(p.port === undefined ? '(all)' : p.endPort !== undefined ? `${p.port}-${p.endPort}` : String(p.port));
    byProto.set(p.protocol, list);
  }
  return [...byProto].map(([proto, list]) => `${proto} ${list.join(',')}`).join('; ');
}

/** The items of the document, in row order. */
export function* matrixItems(v: MatrixView): Generator<ConnectionItem | PairItem> {
  const { r, rows } = v;
  if (r.allPorts) {
    const fmt = portFormatter(r);
    for (let i = 0; i < rows.length; i++)
      for (const cell of v.connections.cells(i)) {
        const partial = r.masks.andNot(cell.some, cell.all);
        yield { from: rows[i]!.label, to: rows[cell.to]!.label, ports: fmt(cell.all), ...(partial !== 0 ? { partialPorts: fmt(partial) } : {}) };
      }
    return;
  }
  for (let i = 0; i < rows.length; i++) {
    const cells = new Map(v.connections.cells(i).map((c) => [c.to, c]));
    for (let j = 0; j < rows.length; j++) {
      const cell = cells.get(j);
      // A single pod to itself is never policed.
      const self = i === j && rows[i]!.classes.length === 1 && rows[i]!.classes[0]!.n === 1;
      // A named port's number, from the first class of the destination row.
      const toClass = rows[j]!.classes[0]!.c;
      for (let k = 0; k < r.columns.length; k++) {
        const col = r.columns[k]!;
        const resolved = col.name !== undefined ? r.resolvedPort(k, toClass) : undefined;
        const allowed = self || (cell !== undefined && r.masks.has(cell.all, k));
        const partial = !allowed && cell !== undefined && r.masks.has(cell.some, k);
        yield { from: rows[i]!.label, to: rows[j]!.label, port: col.name ?? col.start, protocol: col.protocol, allowed, ...(resolved !== undefined ? { resolvedPort: resolved } : {}), ...(partial ? { partial: true as const } : {}) };
      }
    }
  }
}

/** The protocols the columns cover, in TCP, UDP, SCTP order. */
export function matrixProtocols(v: MatrixView): Protocol[] {
  const seen = new Set(v.r.columns.map((c) => c.protocol));
  return (['TCP', 'UDP', 'SCTP'] as const).filter((p) => seen.has(p));
}

/** The fields before `items`. */
export function matrixHeader(v: MatrixView): Record<string, unknown> {
  return {
    apiVersion: API_VERSION,
    kind: Kind.Matrix,
    by: v.by,
    ports: v.r.allPorts ? 'all' : v.r.columns.map((c) => ({ protocol: c.protocol, port: c.name ?? c.start })),
    protocols: matrixProtocols(v),
    rows: v.rows.length,
    pods: v.r.pods.length,
    groups: v.r.classCount,
  };
}

/** The document as chunks of text: JSON with one item per line, YAML item by item, or JSON Lines. */
export function* matrixDocument(v: MatrixView, format: 'json' | 'yaml' | 'jsonl'): Generator<string> {
  if (format === 'jsonl') {
    for (const item of matrixItems(v)) yield JSON.stringify(item) + '\n';
    return;
  }
  const header = matrixHeader(v);
  if (format === 'yaml') {
    yield dumpYaml(header, { noRefs: true, lineWidth: 120 });
    let any = false;
    for (const item of matrixItems(v)) {
      if (!any) yield 'items:\n';
      any = true;
      yield dumpYaml([item], { noRefs: true, lineWidth: 120 });
    }
    if (!any) yield 'items: []\n';
    return;
  }
  const head = JSON.stringify(header, null, 2);
  yield head.slice(0, -2) + ',\n  "items": [';
  let first = true;
  for (const item of matrixItems(v)) {
    yield (first ? '\n    ' : ',\n    ') + JSON.stringify(item);
    first = false;
  }
  yield first ? ']\n}\n' : '\n  ]\n}\n';
}
