// Line numbers of fields in manifest files, for findings that point at `spec.ingress[0].from[1]`.
// Uses the `yaml` parser's source ranges (js-yaml, the fast loader, keeps none); files are parsed
// again only when a finding needs a line, and once each.
import { LineCounter, parseAllDocuments, isMap, isSeq, isScalar, type Node } from 'yaml';

export interface FieldTarget {
  readonly documentIndex: number;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  /** `spec.ingress[0].from[1]`; absent = the object itself. */
  readonly field?: string;
}

/** `spec.ingress[0].from` -> ['spec', 'ingress', 0, 'from'] */
export function fieldSegments(field: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const part of field.split('.')) {
    const m = /^([^[\]]*)((?:\[\d+\])*)$/.exec(part);
    if (!m) return out;
    if (m[1]) out.push(m[1]);
    for (const i of m[2]!.matchAll(/\[(\d+)\]/g)) out.push(Number(i[1]));
  }
  return out;
}

const scalar = (n: unknown): unknown => (isScalar(n) ? n.value : undefined);

function child(node: unknown, key: string | number): { node: unknown; at?: number } | undefined {
  if (typeof key === 'number') {
    if (!isSeq(node)) return undefined;
    const item = node.items[key] as Node | undefined;
    return item ? { node: item, ...(item.range ? { at: item.range[0] } : {}) } : undefined;
  }
  if (!isMap(node)) return undefined;
  const pair = node.items.find((p) => scalar(p.key) === key);
  if (!pair) return undefined;
  const k = pair.key as Node | undefined;
  return { node: pair.value, ...(k?.range ? { at: k.range[0] } : {}) };
}

/** The object inside a document: itself, or the item of a List with that kind/namespace/name. */
function objectNode(root: unknown, t: FieldTarget): unknown {
  const kind = scalar(child(root, 'kind')?.node);
  const items = child(root, 'items')?.node;
  if (typeof kind === 'string' && kind.endsWith('List') && isSeq(items)) {
    return items.items.find((it) => {
      const meta = child(it, 'metadata')?.node;
      return scalar(child(meta, 'name')?.node) === t.name && (t.namespace === undefined || [undefined, t.namespace].includes(scalar(child(meta, 'namespace')?.node) as string | undefined));
    });
  }
  return root;
}

export class FieldLocator {
  private readonly parsed = new Map<string, { docs: unknown[]; lines: LineCounter } | undefined>();

  constructor(private readonly read: (file: string) => string | undefined) {}

  /** 1-based line of the deepest part of the path that exists, else of the object. */
  line(file: string, t: FieldTarget): number | undefined {
    let p = this.parsed.get(file);
    if (!this.parsed.has(file)) {
      const text = this.read(file);
      if (text !== undefined) {
        const lines = new LineCounter();
        const docs = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: false });
        p = { docs: (Array.isArray(docs) ? docs : [docs]).map((d) => d.contents), lines };
      }
      this.parsed.set(file, p);
    }
    if (!p) return undefined;
    const obj = objectNode(p.docs[t.documentIndex], t) as Node | undefined;
    if (!obj) return undefined;
    let at = obj.range?.[0];
    let node: unknown = obj;
    for (const seg of t.field ? fieldSegments(t.field) : []) {
      const c = child(node, seg);
      if (!c) break;
      if (c.at !== undefined) at = c.at;
      node = c.node;
    }
    return at === undefined ? undefined : p.lines.linePos(at).line;
  }
}
