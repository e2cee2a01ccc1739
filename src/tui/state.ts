// The TUI's navigation state: a stack of screens, each remembering its selection by key (so a live
// update that reorders or removes rows keeps the selection on the same object).
import type { PortSpec } from '../engine/matrix.js';
import type { Protocol } from '../engine/model.js';
import type { Line } from './lines.js';
import type { ProbeScreen } from './probe.js';

export interface ListPos {
  /** The selected item's identity; the index is used when that item is gone. */
  readonly key?: string;
  readonly index: number;
}

export type Pane = 'pods' | 'policies' | 'admin';
export const PANES: readonly Pane[] = ['pods', 'policies', 'admin'];
export type ExplainField = 'from' | 'to' | 'port' | 'protocol' | 'trace';
export const EXPLAIN_FIELDS: readonly ExplainField[] = ['from', 'to', 'port', 'protocol', 'trace'];

export type Screen =
  | { readonly kind: 'namespaces'; readonly pos: ListPos; readonly filter: string }
  | { readonly kind: 'namespace'; readonly ns: string; readonly pane: Pane; readonly pods: ListPos; readonly policies: ListPos; readonly admin: ListPos; readonly filter: string }
  | {
      readonly kind: 'matrix';
      readonly ns: string;
      readonly toNs: string;
      readonly port: number;
      /** Ports added with :port, besides those the destination pods declare. */
      readonly extraPorts: readonly PortSpec[];
      readonly row: number;
      readonly col: number;
      /** undefined: wide when the terminal is wide enough. */
      readonly wide?: boolean;
    }
  | { readonly kind: 'explain'; readonly from: string; readonly to: string; readonly port: string; readonly protocol: Protocol; readonly focus: ExplainField; readonly scroll: number }
  | { readonly kind: 'text'; readonly title: string; readonly lines: readonly Line[]; readonly scroll: number }
  | ProbeScreen;

export type InputMode = 'filter' | 'command' | 'port';

export interface Picker {
  readonly purpose: 'from' | 'to' | 'toNs';
  readonly title: string;
  readonly items: readonly string[];
  readonly query: string;
  readonly selected: number;
}

export interface UiState {
  readonly stack: readonly Screen[];
  readonly input?: { readonly mode: InputMode; readonly text: string };
  readonly picker?: Picker;
  readonly help: boolean;
  /** First row of the help shown (it scrolls on small terminals). */
  readonly helpScroll?: number;
  /** A one-line message (errors of commands, reload results). */
  readonly message?: string;
  /** Id of the last probe screen opened (each run reports into its screen by id). */
  readonly probeSeq?: number;
}

export const top = (s: UiState): Screen => s.stack[s.stack.length - 1]!;
export const replaceTop = (s: UiState, screen: Screen): UiState => ({ ...s, stack: [...s.stack.slice(0, -1), screen] });
export const push = (s: UiState, screen: Screen): UiState => ({ ...s, stack: [...s.stack, screen] });

/** Where the TUI opens: the namespaces, or (with -n) that namespace, Esc going back to the list. */
export function openingScreens(namespace?: string): Screen[] {
  const list: Screen = { kind: 'namespaces', pos: { index: 0, ...(namespace ? { key: namespace } : {}) }, filter: '' };
  return namespace ? [list, { kind: 'namespace', ns: namespace, pane: 'pods', pods: { index: 0 }, policies: { index: 0 }, admin: { index: 0 }, filter: '' }] : [list];
}
