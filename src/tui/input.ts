// Keys -> next UI state (pure): picker, input line, help, then global keys, then the screen's own.
import type { ClusterIndex } from '../engine/cluster-index.js';
import { PROTOCOLS } from '../engine/model.js';
import { parseCommand } from './filter.js';
import { KEY_HELP } from './keys.js';
import { seg, type Line } from './lines.js';
import { endpointCandidates, namespaceCandidates, pickerMatches } from './picker.js';
import { adminKey, adminRows, matrixFor, nsRows, podKey, podRows, policyKey, policyRows, selectedIndex } from './rows.js';
import { probePort, type ProbeQuestion } from './probe.js';
import type { YamlTarget } from './source.js';
import { EXPLAIN_FIELDS, PANES, push, replaceTop, top, type ListPos, type Screen, type UiState } from './state.js';
import { adminDetailLines, matrixLayout, podDetailLines, policyDetailLines } from './views.js';

/** ink's key flags plus the typed text. */
export interface KeyInput {
  readonly input: string;
  readonly upArrow?: boolean;
  readonly downArrow?: boolean;
  readonly leftArrow?: boolean;
  readonly rightArrow?: boolean;
  readonly pageUp?: boolean;
  readonly pageDown?: boolean;
  readonly home?: boolean;
  readonly end?: boolean;
  readonly return?: boolean;
  readonly escape?: boolean;
  readonly ctrl?: boolean;
  readonly shift?: boolean;
  readonly tab?: boolean;
  readonly backspace?: boolean;
  readonly delete?: boolean;
}

export interface KeyContext {
  readonly idx: ClusterIndex;
  readonly namespace: string;
  readonly bodyHeight: number;
  readonly width: number;
  readonly mode: 'live' | 'files';
  /** A prober is wired (live clusters): P opens real connections. */
  readonly canProbe?: boolean;
}

export type Effect =
  | { readonly kind: 'quit' }
  | { readonly kind: 'reload' }
  | { readonly kind: 'yaml'; readonly target: YamlTarget }
  /** Open a probe screen for the question and start the run. */
  | { readonly kind: 'probe'; readonly id: number; readonly question: ProbeQuestion }
  /** The user left a running probe's screen: stop it (its objects are still removed). */
  | { readonly kind: 'cancelProbe'; readonly id: number };
export interface KeyResult {
  readonly state: UiState;
  readonly effect?: Effect;
}

type S<K extends Screen['kind']> = Extract<Screen, { kind: K }>;

/** Terminals send Backspace as DEL (0x7f), which ink reports as `delete`. */
const isBack = (k: KeyInput) => k.backspace === true || k.delete === true;
const printable = (k: KeyInput) => !k.ctrl && k.input.length > 0 && !k.return && !k.escape && !k.tab && !/[\u0000-\u001f\u007f]/.test(k.input);

/** -1/+1 (arrows, j/k), pages, first/last: the new index, or undefined when the key is not a move. */
function moveIndex(k: KeyInput, index: number, count: number, page: number): number | undefined {
  const last = Math.max(0, count - 1);
  let i: number | undefined;
  if (k.upArrow || (k.input === 'k' && !k.ctrl)) i = index - 1;
  else if (k.downArrow || (k.input === 'j' && !k.ctrl)) i = index + 1;
  else if (k.pageUp || (k.ctrl && k.input === 'u')) i = index - page;
  else if (k.pageDown || (k.ctrl && k.input === 'd')) i = index + page;
  else if (k.home || k.input === 'g') i = 0;
  else if (k.end || k.input === 'G') i = last;
  return i === undefined ? undefined : Math.max(0, Math.min(last, i));
}

function moveList(k: KeyInput, pos: ListPos, keys: readonly string[], page: number): ListPos | undefined {
  const i = moveIndex(k, selectedIndex(pos, keys), keys.length, page);
  return i === undefined ? undefined : { index: i, ...(keys[i] !== undefined ? { key: keys[i] } : {}) };
}

const nsScreen = (ns: string, pane: 'pods' | 'policies' = 'pods', key?: string): S<'namespace'> => ({
  kind: 'namespace',
  ns,
  pane,
  pods: { index: 0, ...(pane === 'pods' && key ? { key } : {}) },
  policies: { index: 0, ...(pane === 'policies' && key ? { key } : {}) },
  admin: { index: 0 },
  filter: '',
});
const matrixScreen = (ns: string, toNs = ns): S<'matrix'> => ({ kind: 'matrix', ns, toNs, port: 0, extraPorts: [], row: 0, col: 0 });
const explainScreen = (from = '', to = '', port = '', protocol: S<'explain'>['protocol'] = 'TCP'): S<'explain'> => ({ kind: 'explain', from, to, port, protocol, focus: from && to ? 'trace' : from ? 'to' : 'from', scroll: 0 });

/** The namespace the user is looking at (for :np, :pod, :matrix without a name). */
function currentNs(s: UiState, ctx: KeyContext): string {
  for (let i = s.stack.length - 1; i >= 0; i--) {
    const sc = s.stack[i]!;
    if (sc.kind === 'namespace' || sc.kind === 'matrix') return sc.ns;
    if (sc.kind === 'namespaces') {
      const rows = nsRows(ctx.idx, sc.filter);
      const r = rows[selectedIndex(sc.pos, rows.map((x) => x.name))];
      if (r) return r.name;
    }
  }
  return ctx.namespace;
}

/** Exact name, else the best fuzzy match, else undefined. */
function findName(items: readonly string[], name: string): string | undefined {
  return items.includes(name) ? name : pickerMatches(items, name)[0];
}

const root = (s: UiState): UiState => ({ ...s, stack: [s.stack[0]!] });
const withMessage = (s: UiState, message: string): KeyResult => ({ state: { ...s, message } });

function runCommand(s: UiState, text: string, ctx: KeyContext): KeyResult {
  const c = parseCommand(text);
  const namespaces = namespaceCandidates(ctx.idx);
  switch (c.kind) {
    case 'quit':
      return { state: s, effect: { kind: 'quit' } };
    case 'error':
      return withMessage(s, c.message);
    case 'ns': {
      if (!c.name) return { state: root(s) };
      const ns = findName(namespaces, c.name);
      if (!ns) return withMessage(s, `no namespace matches "${c.name}"`);
      return { state: push(root(s), nsScreen(ns)) };
    }
    case 'np':
    case 'pod': {
      const pane = c.kind === 'np' ? 'policies' : 'pods';
      let ns = currentNs(s, ctx);
      let name = c.name;
      if (name?.includes('/')) [ns, name] = [name.slice(0, name.indexOf('/')), name.slice(name.indexOf('/') + 1)];
      if (!namespaces.includes(ns)) return withMessage(s, `no namespace "${ns}"`);
      const keys = pane === 'pods' ? podRows(ctx.idx, ns, '').map(podKey) : policyRows(ctx.idx, ns, '').map(policyKey);
      const key = name ? findName(keys, `${ns}/${name}`) : undefined;
      if (name && !key) return withMessage(s, `no ${pane === 'pods' ? 'pod' : 'NetworkPolicy'} matches "${name}" in namespace ${ns}`);
      return { state: push(root(s), nsScreen(ns, pane, key)) };
    }
    case 'matrix': {
      const ns = c.name ? findName(namespaces, c.name) : currentNs(s, ctx);
      const to = c.to ? findName(namespaces, c.to) : ns;
      if (!ns || !to) return withMessage(s, `no namespace matches "${!ns ? c.name : c.to}"`);
      return { state: push(s, matrixScreen(ns, to)) };
    }
    case 'explain':
      return { state: push(s, explainScreen(c.from, c.to, c.port)) };
    case 'port': {
      const sc = top(s);
      if (sc.kind !== 'matrix') return withMessage(s, ':port sets the matrix port; open a matrix first (m)');
      const spec = { port: c.port, protocol: c.protocol ?? 'TCP' };
      const extraPorts = [...sc.extraPorts, spec];
      const ports = matrixFor(ctx.idx, sc.ns, sc.toNs, extraPorts).ports;
      return { state: replaceTop(s, { ...sc, extraPorts, port: ports.findIndex((p) => p.port === spec.port && p.protocol === spec.protocol) }) };
    }
  }
}

function pickerKey(s: UiState, k: KeyInput, ctx: KeyContext): KeyResult {
  const p = s.picker!;
  if (k.escape) return { state: { ...s, picker: undefined } };
  const matches = pickerMatches(p.items, p.query);
  if (k.return) {
    const chosen = matches[p.selected];
    if (chosen === undefined) return { state: s };
    const sc = top(s);
    const closed = { ...s, picker: undefined };
    if (p.purpose === 'toNs' && sc.kind === 'matrix') return { state: replaceTop(closed, { ...sc, toNs: chosen, col: 0, port: 0 }) };
    if (sc.kind === 'explain') {
      const next = { ...sc, [p.purpose === 'from' ? 'from' : 'to']: chosen, scroll: 0 } as S<'explain'>;
      return { state: replaceTop(closed, { ...next, focus: next.from && next.to ? 'trace' : next.from ? 'to' : 'from' }) };
    }
    return { state: closed };
  }
  if (isBack(k)) return { state: { ...s, picker: { ...p, query: p.query.slice(0, -1), selected: 0 } } };
  const i = k.upArrow || (k.ctrl && k.input === 'p') ? p.selected - 1 : k.downArrow || (k.ctrl && k.input === 'n') ? p.selected + 1 : k.pageUp ? p.selected - ctx.bodyHeight : k.pageDown ? p.selected + ctx.bodyHeight : undefined;
  if (i !== undefined) return { state: { ...s, picker: { ...p, selected: Math.max(0, Math.min(matches.length - 1, i)) } } };
  if (printable(k)) return { state: { ...s, picker: { ...p, query: p.query + k.input, selected: 0 } } };
  return { state: s };
}

function inputKey(s: UiState, k: KeyInput, ctx: KeyContext): KeyResult {
  const inp = s.input!;
  const sc = top(s);
  if (k.escape) return { state: { ...s, input: undefined } };
  if (k.return) {
    const closed = { ...s, input: undefined };
    if (inp.mode === 'command') return runCommand(closed, inp.text, ctx);
    if (inp.mode === 'port' && sc.kind === 'explain') return { state: replaceTop(closed, { ...sc, port: inp.text.trim(), focus: 'trace', scroll: 0 }) };
    return { state: closed };
  }
  let text = inp.text;
  if (isBack(k)) text = text.slice(0, -1);
  else if (printable(k)) text += k.input;
  else return { state: s };
  const next = { ...s, input: { ...inp, text } };
  // The filter applies as it is typed (selection kept by key).
  if (inp.mode === 'filter' && (sc.kind === 'namespaces' || sc.kind === 'namespace')) return { state: replaceTop(next, { ...sc, filter: text }) };
  return { state: next };
}

function namespacesKey(s: UiState, sc: S<'namespaces'>, k: KeyInput, ctx: KeyContext): KeyResult {
  const names = nsRows(ctx.idx, sc.filter).map((r) => r.name);
  const moved = moveList(k, sc.pos, names, ctx.bodyHeight - 2);
  if (moved) return { state: replaceTop(s, { ...sc, pos: moved }) };
  const ns = names[selectedIndex(sc.pos, names)];
  if (!ns) return { state: s };
  if (k.return) return { state: push(s, nsScreen(ns)) };
  if (k.input === 'm') return { state: push(s, matrixScreen(ns)) };
  if (k.input === 'e') return { state: push(s, explainScreen()) };
  return { state: s };
}

function namespaceKey(s: UiState, sc: S<'namespace'>, k: KeyInput, ctx: KeyContext): KeyResult {
  if (k.tab) return { state: replaceTop(s, { ...sc, pane: PANES[(PANES.indexOf(sc.pane) + (k.shift ? PANES.length - 1 : 1)) % PANES.length]! }) };
  const pods = podRows(ctx.idx, sc.ns, sc.filter);
  const policies = policyRows(ctx.idx, sc.ns, sc.filter);
  const admins = adminRows(ctx.idx, sc.ns, sc.filter);
  const keys = sc.pane === 'pods' ? pods.map(podKey) : sc.pane === 'policies' ? policies.map(policyKey) : admins.map(adminKey);
  const pos = sc[sc.pane];
  const moved = moveList(k, pos, keys, ctx.bodyHeight - 2);
  if (moved) return { state: replaceTop(s, { ...sc, [sc.pane]: moved }) };
  const i = selectedIndex(pos, keys);
  if (k.return && keys[i]) {
    const lines: Line[] = sc.pane === 'pods' ? podDetailLines(ctx.idx, sc, i) : sc.pane === 'policies' ? policyDetailLines(ctx.idx, sc.ns, sc.filter, i) : adminDetailLines(ctx.idx, sc.ns, sc.filter, i);
    return { state: push(s, { kind: 'text', title: `${sc.pane === 'pods' ? 'pod' : sc.pane === 'policies' ? 'NetworkPolicy' : 'admin policy'} ${keys[i]}`, lines, scroll: 0 }) };
  }
  if (k.input === 'y') {
    if (sc.pane === 'policies' && policies[i]) return { state: s, effect: { kind: 'yaml', target: { kind: 'NetworkPolicy', policy: policies[i] } } };
    if (sc.pane === 'admin' && admins[i]) return { state: s, effect: { kind: 'yaml', target: { kind: 'admin', policy: admins[i] } } };
    return withMessage(s, 'y shows the YAML of a policy: Tab to the policies or the admin policies first');
  }
  if (k.input === 'm') return { state: push(s, matrixScreen(sc.ns)) };
  if (k.input === 'e') return { state: push(s, explainScreen(sc.pane === 'pods' && pods[i] ? podKey(pods[i]) : '')) };
  return { state: s };
}

function matrixKey(s: UiState, sc: S<'matrix'>, k: KeyInput, ctx: KeyContext): KeyResult {
  const m = matrixFor(ctx.idx, sc.ns, sc.toNs, sc.extraPorts);
  const row = moveIndex(k, sc.row, m.rows.length, ctx.bodyHeight - 5);
  if (row !== undefined) return { state: replaceTop(s, { ...sc, row }) };
  const clampCol = (c: number) => Math.max(0, Math.min(m.cols.length - 1, c));
  if (k.leftArrow || k.input === 'h') return { state: replaceTop(s, { ...sc, col: clampCol(sc.col - 1) }) };
  if (k.rightArrow || k.input === 'l') return { state: replaceTop(s, { ...sc, col: clampCol(sc.col + 1) }) };
  if (k.input === '[' || k.input === ']') return { state: replaceTop(s, { ...sc, port: (sc.port + (k.input === ']' ? 1 : m.ports.length - 1)) % m.ports.length }) };
  if (k.input === 'w') return { state: replaceTop(s, { ...sc, wide: !matrixLayout(ctx.idx, sc, ctx.width).wide }) };
  if (k.input === 't') return { state: { ...s, picker: { purpose: 'toNs', title: 'columns from namespace', items: namespaceCandidates(ctx.idx), query: '', selected: 0 } } };
  // The selected cell: Enter explains it, P probes it.
  const r = m.rows[sc.row];
  const c = m.cols[sc.col];
  const spec = m.ports[Math.min(sc.port, m.ports.length - 1)]!;
  if (r && c && k.return) return { state: push(s, explainScreen(r.ref, c.ref, String(spec.port), spec.protocol)) };
  if (r && c && k.input === 'P') return probeKey(s, { from: r.ref, to: c.ref, port: String(spec.port), protocol: spec.protocol }, ctx);
  return { state: s };
}

/** P: probe the path (live clusters only), or say why not. */
function probeKey(s: UiState, q: { from: string; to: string; port: string; protocol: ProbeQuestion['protocol'] }, ctx: KeyContext): KeyResult {
  if (ctx.mode === 'files') return withMessage(s, 'P probes with real connections and needs a live cluster; -f reads manifests only');
  if (!ctx.canProbe) return withMessage(s, 'probing is not available here');
  if (!q.from || !q.to) return withMessage(s, 'pick a source and a destination to probe first');
  const port = probePort(q.port);
  if (typeof port === 'object') return withMessage(s, port.error);
  const question: ProbeQuestion = { from: q.from, to: q.to, port, protocol: q.protocol };
  const id = (s.probeSeq ?? 0) + 1;
  return { state: push({ ...s, probeSeq: id }, { kind: 'probe', id, question, status: 'running', progress: [], scroll: 0 }), effect: { kind: 'probe', id, question } };
}

function explainKey(s: UiState, sc: S<'explain'>, k: KeyInput, ctx: KeyContext): KeyResult {
  const fi = EXPLAIN_FIELDS.indexOf(sc.focus);
  if (k.tab) return { state: replaceTop(s, { ...sc, focus: EXPLAIN_FIELDS[(fi + (k.shift ? EXPLAIN_FIELDS.length - 1 : 1)) % EXPLAIN_FIELDS.length]! }) };
  const nextProtocol = () => replaceTop(s, { ...sc, protocol: PROTOCOLS[(PROTOCOLS.indexOf(sc.protocol) + 1) % PROTOCOLS.length]!, scroll: 0 });
  if (k.input === 'p') return { state: nextProtocol() };
  if (k.input === 'P') return probeKey(s, sc, ctx);
  // A digit anywhere starts typing the port.
  if (/^[0-9]$/.test(k.input) && !k.ctrl) return { state: { ...s, input: { mode: 'port', text: k.input } } };
  if (sc.focus === 'trace') {
    const scroll = moveIndex(k, sc.scroll, 10_000, ctx.bodyHeight - 6);
    if (scroll !== undefined) return { state: replaceTop(s, { ...sc, scroll: k.end || k.input === 'G' ? 10_000 : scroll }) };
    return { state: s };
  }
  if (k.upArrow || k.input === 'k') return { state: replaceTop(s, { ...sc, focus: EXPLAIN_FIELDS[Math.max(0, fi - 1)]! }) };
  if (k.downArrow || k.input === 'j') return { state: replaceTop(s, { ...sc, focus: EXPLAIN_FIELDS[fi + 1]! }) };
  if (!k.return) return { state: s };
  if (sc.focus === 'protocol') return { state: nextProtocol() };
  if (sc.focus === 'port') return { state: { ...s, input: { mode: 'port', text: sc.port } } };
  const items = endpointCandidates(ctx.idx);
  const current = sc.focus === 'from' ? sc.from : sc.to;
  return { state: { ...s, picker: { purpose: sc.focus === 'from' ? 'from' : 'to', title: sc.focus === 'from' ? 'source' : 'destination', items, query: current, selected: 0 } } };
}

function probeScreenKey(s: UiState, sc: S<'probe'>, k: KeyInput, ctx: KeyContext): KeyResult {
  if (k.input === 'P') {
    if (sc.status === 'running') return withMessage(s, 'this probe is still running (Esc cancels it)');
    const q = sc.question;
    return probeKey({ ...s, stack: s.stack.slice(0, -1) }, { ...q, port: String(q.port) }, ctx);
  }
  const scroll = moveIndex(k, sc.scroll, 10_000, ctx.bodyHeight - 4);
  return scroll === undefined ? { state: s } : { state: replaceTop(s, { ...sc, scroll }) };
}

function textKey(s: UiState, sc: S<'text'>, k: KeyInput, ctx: KeyContext): KeyResult {
  const max = Math.max(0, sc.lines.length - (ctx.bodyHeight - 1));
  const scroll = moveIndex(k, Math.min(sc.scroll, max), max + 1, ctx.bodyHeight - 2);
  return scroll === undefined ? { state: s } : { state: replaceTop(s, { ...sc, scroll }) };
}

export function handleKey(state: UiState, k: KeyInput, ctx: KeyContext): KeyResult {
  if (k.ctrl && k.input === 'c') return { state, effect: { kind: 'quit' } };
  const s: UiState = state.message ? { ...state, message: undefined } : state;
  if (s.picker) return pickerKey(s, k, ctx);
  if (s.input) return inputKey(s, k, ctx);
  if (s.help) {
    if (k.escape || isBack(k) || k.input === '?' || k.input === 'q') return { state: { ...s, help: false, helpScroll: 0 } };
    const scroll = moveIndex(k, s.helpScroll ?? 0, KEY_HELP.length * 2, ctx.bodyHeight - 2);
    return { state: scroll === undefined ? s : { ...s, helpScroll: scroll } };
  }
  const sc = top(s);
  if (k.input === 'q') return { state: s, effect: { kind: 'quit' } };
  if (k.input === '?') return { state: { ...s, help: true } };
  if (k.input === ':') return { state: { ...s, input: { mode: 'command', text: '' } } };
  if (k.input === '/') {
    if (sc.kind === 'namespaces' || sc.kind === 'namespace') return { state: { ...s, input: { mode: 'filter', text: sc.filter } } };
    return withMessage(s, '/ filters the namespace, pod and policy lists');
  }
  if (k.escape || isBack(k)) {
    if (sc.kind === 'probe' && sc.status === 'running')
      return { state: { ...s, stack: s.stack.slice(0, -1), message: 'probe cancelled: removing what it created…' }, effect: { kind: 'cancelProbe', id: sc.id } };
    if ((sc.kind === 'namespaces' || sc.kind === 'namespace') && sc.filter) return { state: replaceTop(s, { ...sc, filter: '' }) };
    return { state: s.stack.length > 1 ? { ...s, stack: s.stack.slice(0, -1) } : s };
  }
  if (k.input === 'r' && !(sc.kind === 'explain' && sc.focus !== 'trace')) {
    if (ctx.mode === 'files') return { state: s, effect: { kind: 'reload' } };
    return withMessage(s, 'live: views follow the cluster as it changes (r reloads only with -f)');
  }
  switch (sc.kind) {
    case 'namespaces':
      return namespacesKey(s, sc, k, ctx);
    case 'namespace':
      return namespaceKey(s, sc, k, ctx);
    case 'matrix':
      return matrixKey(s, sc, k, ctx);
    case 'explain':
      return explainKey(s, sc, k, ctx);
    case 'text':
      return textKey(s, sc, k, ctx);
    case 'probe':
      return probeScreenKey(s, sc, k, ctx);
  }
}

