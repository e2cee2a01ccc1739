// Line numbers of fields in manifest files, for findings that point at `spec.ingress[0].from[1]`.
// js-yaml (the fast loader) keeps no positions, so files are read again, only when a finding needs a
// line: a YAML document is parsed on its own with the `yaml` package (source ranges); JSON with a
// small offset-keeping parser (the `yaml` package is too slow for multi-megabyte `kubectl get -o json`).
import { isMap, isScalar, isSeq, parseDocument, type Node } from 'yaml';
import { splitYamlDocuments } from './parse.js';

export interface FieldTarget {
  readonly documentIndex: number;
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
  /** `spec.ingress[0].from[1]`; absent = the object itself. */
  readonly field?: string;
}

/** A parsed value with the offset where it (or its key) starts. */
interface PNode {
  readonly at: number;
  readonly map?: Map<string, { readonly keyAt: number; readonly node: PNode }>;
  readonly seq?: PNode[];
  readonly value?: unknown;
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

function fromYaml(n: unknown): PNode {
  const at = (n as Node | undefined)?.range?.[0] ?? 0;
  if (isMap(n)) {
    const map = new Map<string, { keyAt: number; node: PNode }>();
    for (const p of n.items) if (isScalar(p.key)) map.set(String(p.key.value), { keyAt: (p.key as Node).range?.[0] ?? at, node: fromYaml(p.value) });
    return { at, map };
  }
  if (isSeq(n)) return { at, seq: n.items.map(fromYaml) };
  return { at, value: isScalar(n) ? n.value : undefined };
}

/** JSON values with offsets (concatenated values are returned in order). Throws on malformed input. */
function parseJsonValues(text: string): PNode[] {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\r\n'.includes(text[i]!)) i++;
  };
  const str = (): string => {
    const start = i;
    i++;
    while (text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (): PNode => {
    ws();
    const at = i;
    const c = text[i];
    if (c === '{') {
      i++;
      const map = new Map<string, { keyAt: number; node: PNode }>();
      ws();
      if (text[i] === '}') return i++, { at, map };
      for (;;) {
        ws();
        const keyAt = i;
        const key = str();
        ws();
        i++; // :
        map.set(key, { keyAt, node: value() });
        ws();
        if (text[i++] === '}') return { at, map };
      }
    }
    if (c === '[') {
      i++;
      const seq: PNode[] = [];
      ws();
      if (text[i] === ']') return i++, { at, seq };
      for (;;) {
        seq.push(value());
        ws();
        if (text[i++] === ']') return { at, seq };
      }
    }
    if (c === '"') return { at, value: str() };
    while (i < text.length && !',]} \t\r\n'.includes(text[i]!)) i++;
    return { at, value: JSON.parse(text.slice(at, i)) };
  };
  const out: PNode[] = [];
  for (ws(); i < text.length; ws()) out.push(value());
  return out;
}

const child = (n: PNode | undefined, key: string | number): { node: PNode; at: number } | undefined => {
  if (!n) return undefined;
  if (typeof key === 'number') {
    const item = n.seq?.[key];
    // A mapping item points at its first key (`{` stands alone on its line in JSON).
    const first = item?.map?.values().next().value;
    return item ? { node: item, at: first ? first.keyAt : item.at } : undefined;
  }
  const e = n.map?.get(key);
  return e ? { node: e.node, at: e.keyAt } : undefined;
};

/** The object inside a document: itself, or the item of a List with that name (and namespace). */
function objectNode(root: PNode | undefined, t: FieldTarget): PNode | undefined {
  const kind = child(root, 'kind')?.node.value;
  const items = child(root, 'items')?.node.seq ?? (root?.seq && !root.map ? root.seq : undefined);
  if ((typeof kind === 'string' && kind.endsWith('List')) || root?.seq) {
    return items?.find((it) => {
      const meta = child(it, 'metadata')?.node;
      const ns = child(meta, 'namespace')?.node.value;
      return child(meta, 'name')?.node.value === t.name && (t.namespace === undefined || ns === undefined || ns === t.namespace);
    });
  }
  return root;
}

/** 1-based line of an offset, by binary search over newline offsets. */
function lineAt(newlines: readonly number[], offset: number): number {
  let lo = 0;
  let hi = newlines.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (newlines[mid]! < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo + 1;
}

interface ParsedFile {
  readonly json: boolean;
  readonly text: string;
  readonly newlines: number[];
  readonly docs: Map<number, { root: PNode | undefined; offset: number }>;
  chunks?: { text: string; line: number }[];
}

export class FieldLocator {
  private readonly files = new Map<string, ParsedFile | undefined>();

  constructor(private readonly read: (file: string) => string | undefined) {}

  private file(name: string): ParsedFile | undefined {
    if (!this.files.has(name)) {
      const text = this.read(name);
      let f: ParsedFile | undefined;
      if (text !== undefined) {
        const newlines: number[] = [];
        for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) newlines.push(i);
        const first = text.trimStart()[0];
        f = { json: first === '{' || first === '[', text, newlines, docs: new Map() };
      }
      this.files.set(name, f);
    }
    return this.files.get(name);
  }

  private document(f: ParsedFile, index: number): { root: PNode | undefined; offset: number } | undefined {
    if (f.docs.has(index)) return f.docs.get(index);
    if (f.json) {
      try {
        parseJsonValues(f.text).forEach((root, i) => f.docs.set(i, { root, offset: 0 }));
      } catch {
        return undefined;
      }
      return f.docs.get(index);
    }
    const chunk = (f.chunks ??= splitYamlDocuments(f.text))[index];
    if (!chunk) return undefined;
    // A chunk starts right after its `---` marker (at the start of its line), or at 0 for the first.
    const lineStart = chunk.line === 1 ? 0 : f.newlines[chunk.line - 2]! + 1;
    const start = f.text.startsWith('---', lineStart) ? lineStart + 3 : lineStart;
    const doc = { root: fromYaml(parseDocument(chunk.text, { uniqueKeys: false }).contents), offset: start };
    f.docs.set(index, doc);
    return doc;
  }

  /** 1-based line of the deepest part of the path that exists, else of the object. */
  line(file: string, t: FieldTarget): number | undefined {
    const f = this.file(file);
    const doc = f && this.document(f, t.documentIndex);
    if (!f || !doc) return undefined;
    const obj = objectNode(doc.root, t);
    if (!obj) return undefined;
    let at = obj.at;
    let node: PNode | undefined = obj;
    for (const seg of t.field ? fieldSegments(t.field) : []) {
      const c = child(node, seg);
      if (!c) break;
      at = c.at;
      node = c.node;
    }
    return lineAt(f.newlines, doc.offset + at);
  }
}
