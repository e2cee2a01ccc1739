// The TUI: header (source, live cue), banners, the top screen, the status/input line and key hints.
// One input handler routes keys to the picker, the input line, overlays, then the screen.
import { Box, useApp, useInput, useWindowSize } from 'ink';
import React, { useEffect, useMemo, useRef, useState } from 'react';

import { KEY_HELP } from './keys.js';
import { Lines, fit, seg, wrapLine, type Line } from './lines.js';
import { pickerMatches } from './picker.js';
import { filterOf } from './rows.js';
import { handleKey, type Effect, type KeyInput } from './input.js';
import type { TuiSnapshot, TuiSource } from './source.js';
import { top, type Screen, type UiState } from './state.js';
import { explainLines, matrixLines, namespaceLines, namespacesLines, textLines } from './views.js';

export interface AppProps {
  readonly source: TuiSource;
  readonly color: boolean;
  /** Opening screen (tests, `:` jumps from the command line); default the namespaces. */
  readonly initial?: readonly Screen[];
  /** How long the "updated" cue stays after a live update. */
  readonly cueMs?: number;
}

const initialState = (initial?: readonly Screen[]): UiState => ({ stack: initial && initial.length > 0 ? initial : [{ kind: 'namespaces', pos: { index: 0 }, filter: '' }], help: false });

function title(s: Screen): string {
  switch (s.kind) {
    case 'namespaces':
      return 'namespaces';
    case 'namespace':
      return `namespace ${s.ns}`;
    case 'matrix':
      return `matrix ${s.ns}${s.toNs !== s.ns ? ` → ${s.toNs}` : ''}`;
    case 'explain':
      return 'explain';
    case 'text':
      return s.title;
  }
}

const HINTS: Record<Screen['kind'], string> = {
  namespaces: 'Enter open  m matrix  e explain  / filter  : jump  ? help  q quit',
  namespace: 'Tab pane  Enter full  y YAML  m matrix  e explain  / filter  Esc back  ? help',
  matrix: 'hjkl move  Enter explain  [ ] port  t other ns  w wide  Esc back  ? help',
  explain: 'Tab next field  Enter pick/edit  p protocol  j/k scroll  Esc back  ? help',
  text: 'j/k scroll  g/G top/bottom  Esc back  ? help',
};

export function App({ source, color, initial, cueMs = 3000 }: AppProps): React.ReactElement {
  const { exit } = useApp();
  const { columns, rows } = useWindowSize();
  const [snap, setSnap] = useState<TuiSnapshot>(() => source.snapshot());
  const [status, setStatus] = useState<string | undefined>(undefined);
  const [cue, setCue] = useState<string | undefined>(undefined);
  const [ui, setUi] = useState<UiState>(() => initialState(initial));

  useEffect(
    () =>
      source.subscribe((e) => {
        if (e.snapshot) {
          setSnap(e.snapshot);
          setCue(e.snapshot.changed.length > 0 ? e.snapshot.changed.join(', ') : 'resynced');
        }
        if ('status' in e) setStatus(e.status);
      }),
    [source],
  );
  useEffect(() => {
    if (cue === undefined) return;
    const t = setTimeout(() => setCue(undefined), cueMs);
    return () => clearTimeout(t);
  }, [cue, snap.version, cueMs]);

  const width = Math.max(40, columns);
  const height = Math.max(10, rows);
  const screen = top(ui);
  const banners = snap.banners.slice(0, 2);
  const bodyH = height - 3 - banners.length;

  // Keys are applied to the latest state (a ref), not the one of the last render: keys typed
  // faster than frames (or one stdin chunk holding several) must all count.
  const uiRef = useRef(ui);
  uiRef.current = ui;
  useInput((input, key) => {
    const keys: KeyInput[] = input.length > 1 && !input.startsWith('\u001b') ? [...input].map(splitKey) : [{ input, ...key }];
    let state = uiRef.current;
    for (const k of keys) {
      const next = handleKey(state, k, { idx: snap.index, namespace: source.namespace, bodyHeight: bodyH, width, mode: source.mode });
      state = next.state;
      if (next.effect) runEffect(next.effect);
      if (next.effect?.kind === 'quit') return;
    }
    uiRef.current = state;
    setUi(state);
  });
  const runEffect = (effect: Effect): void => {
    if (effect.kind === 'quit') exit();
    else if (effect.kind === 'reload' && source.reload) {
      setStatus('reloading…');
      void source.reload().then(() => setStatus((s) => (s === 'reloading…' ? undefined : s)));
    } else if (effect.kind === 'yaml') {
      const target = effect.target;
      void source.yaml(target).then(
        (text) => setUi((u) => (uiRef.current = { ...u, stack: [...u.stack, { kind: 'text', title: `YAML ${target.policy.name}`, lines: text.trimEnd().split('\n').map((l) => [seg(l)]), scroll: 0 }] })),
        (e: unknown) => setUi((u) => (uiRef.current = { ...u, message: `YAML not available: ${(e as Error).message}` })),
      );
    }
  };

  const body: Line[] = useMemo(() => {
    const idx = snap.index;
    if (ui.help) {
      const keys = KEY_HELP.flatMap((h) => wrapLine([seg(fit(h.keys, 26), { color: 'cyan' }), seg(h.what)], width, 26));
      const scroll = Math.max(0, Math.min(ui.helpScroll ?? 0, keys.length - (bodyH - 1)));
      return [[seg('Keys', { bold: true }), seg(keys.length > bodyH - 1 ? `  rows ${scroll + 1}-${scroll + bodyH - 1} of ${keys.length} (j/k)` : '', { dim: true })], ...keys.slice(scroll, scroll + bodyH - 1)];
    }
    if (ui.picker) {
      const p = ui.picker;
      const matches = pickerMatches(p.items, p.query);
      const listH = bodyH - 2;
      const start = Math.max(0, Math.min(p.selected - Math.floor(listH / 2), matches.length - listH));
      return [
        [seg(`${p.title}: `, { bold: true }), seg(p.query), seg('▏'), seg(`  ${matches.length} of ${p.items.length}  (type to search, Enter picks, Esc cancels)`, { dim: true })],
        [],
        ...matches.slice(start, start + listH).map((m, i) => [seg(fit(m, width), { inverse: start + i === p.selected })] as Line),
      ];
    }
    switch (screen.kind) {
      case 'namespaces':
        return namespacesLines(idx, screen, width, bodyH);
      case 'namespace':
        return namespaceLines(idx, screen, width, bodyH);
      case 'matrix':
        return matrixLines(idx, screen, width, bodyH);
      case 'explain':
        return explainLines(idx, screen, source.namespace, width, bodyH, color);
      case 'text':
        return textLines(screen, bodyH);
    }
  }, [snap, ui, screen, width, bodyH, color, source.namespace]);

  const liveCue: Line =
    cue !== undefined
      ? [seg(` UPDATED: ${cue} `, { inverse: true, bold: true, color: 'green' })]
      : [seg(source.mode === 'live' ? '● live' : '■ static (r reloads)', { color: source.mode === 'live' ? 'green' : 'gray' })];
  const cueText = liveCue.map((x) => x.text).join('');
  const headLeft = `netpol · ${title(screen)} · ${source.title}`;
  const header: Line = [seg(fit(headLeft, width - cueText.length - 1) + ' ', { bold: true }), ...liveCue];
  const bannerLines: Line[] = banners.map((b) => [seg(`! ${b}`, { color: 'yellow' })]);
  const inputLine: Line = ui.input
    ? [seg(ui.input.mode === 'filter' ? '/' : ui.input.mode === 'command' ? ':' : 'port: ', { bold: true }), seg(ui.input.text), seg('▏')]
    : ui.message
      ? [seg(ui.message, { color: 'yellow' })]
      : status
        ? [seg(status, { color: 'yellow' })]
        : screenFilter(screen)
          ? [seg(`filter: ${screenFilter(screen)}${filterOf(screenFilter(screen)).error ? ` — ${filterOf(screenFilter(screen)).error}` : ''}  (Esc clears)`, { color: 'cyan' })]
          : [seg(' ')];
  const all = [header, ...bannerLines, ...body.slice(0, bodyH), ...Array.from({ length: Math.max(0, bodyH - body.length) }, () => [] as Line), inputLine, [seg(HINTS[ui.help ? 'text' : screen.kind], { dim: true })]];
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Lines lines={all} width={width} color={color} />
    </Box>
  );
}

/** One character of a multi-key stdin chunk as a key. */
const splitKey = (ch: string): KeyInput => (ch === '\r' || ch === '\n' ? { input: '', return: true } : ch === '\t' ? { input: '', tab: true } : ch === '\u007f' ? { input: '', delete: true } : { input: ch, shift: ch !== ch.toLowerCase() });

const screenFilter = (s: Screen): string => (s.kind === 'namespaces' || s.kind === 'namespace' ? s.filter : '');
