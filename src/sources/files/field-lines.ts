// The line of a field inside a manifest, for diagnostics only: js-yaml (the fast loader) gives no
// node positions, so the document that has a problem is parsed again with the `yaml` package's
// position-keeping parser, and the field path (`spec.ingress[0].from[1].ipBlock.cidr`) is walked
// to its node. Loaded on demand (dynamic import) and run only on documents with diagnostics.

import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair } from 'yaml';

/** One document of a file: its text and the 1-based line its first character is on. */
export interface DocumentText {
  readonly text: string;
  readonly line: number;
}

/**
 * 1-based line of `field` in the document (`itemIndex`: inside `items[i]` of a List, or element i
 * of a bare array). When the path ends at a field that is absent, the line of its deepest present
 * parent; undefined when the document cannot be parsed.
 */
export function fieldLine(doc: DocumentText, field: string, itemIndex?: number): number | undefined {
  const lc = new LineCounter();
  let root: Node | null;
  try {
    const parsed = parseDocument(doc.text, { lineCounter: lc, uniqueKeys: false, strict: false });
    root = parsed.contents as Node | null;
  } catch {
    return undefined;
  }
  if (!root) return undefined;
  let node: Node = root;
  let at = node.range?.[0];
  if (itemIndex !== undefined) {
    const list = isSeq(node) ? node : isMap(node) ? (node.get('items', true) as Node | undefined) : undefined;
    const item = list && isSeq(list) ? (list.items[itemIndex] as Node | undefined) : undefined;
    if (!item) return undefined;
    node = item;
    at = item.range?.[0];
  }
  let rest = field;
  while (rest !== '') {
    if (rest.startsWith('[')) {
      const close = rest.indexOf(']');
      const i = Number(rest.slice(1, close));
      const item = isSeq(node) ? (node.items[i] as Node | undefined) : undefined;
      if (!item || close < 0) break;
      node = item;
      at = item.range?.[0];
      rest = rest.slice(close + 1).replace(/^\./, '');
      continue;
    }
    if (!isMap(node)) break;
    // Keys may contain dots (label keys such as app.kubernetes.io/name): take the longest key that
    // the rest of the path starts with, followed by "." or "[" or the end.
    let best: Pair | undefined;
    let bestLen = -1;
    for (const pair of node.items) {
      const k = isScalar(pair.key) ? String(pair.key.value) : undefined;
      if (k === undefined || k.length <= bestLen || !rest.startsWith(k)) continue;
      const next = rest.charAt(k.length);
      if (next === '' || next === '.' || next === '[') {
        best = pair;
        bestLen = k.length;
      }
    }
    if (!best) break;
    at = (best.key as Node).range?.[0] ?? at;
    rest = rest.slice(bestLen).replace(/^\./, '');
    if (!best.value || !(isMap(best.value) || isSeq(best.value) || isScalar(best.value))) break;
    node = best.value as Node;
  }
  return at === undefined ? undefined : doc.line + lc.linePos(at).line - 1;
}
