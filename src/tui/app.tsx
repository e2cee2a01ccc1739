// The TUI: header (source, live cue), banners, the top screen, the status/input line and key hints.
// One input handler routes keys to the picker, the input line, overlays, then the screen.
import { Box, useApp, useInput, useWindowSize } from 'ink';
import React, { useEffect, useMemo, useRef, useState } from 'react';

import { KEY_HELP } from './keys.js';
import { Lines, fit, seg, wrapLine, type Line } from './lines.js';
import { pickerMatches } from './picker.js';
import { filterOf } from './rows.js';
import { handleKey, type Effect, type KeyInput } from './input.js';
import { probeLines, type ProbeScreen, type TuiProber } from './probe.js';
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
  /** Real connections for P (live clusters; the tui command wires `kubectl netpol probe`'s engine). */
  readonly prober?: TuiProber;
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
    case 'probe':
      return 'probe';
  }
}

const HINTS: Record<Screen['kind'], string> = {
  namespaces: 'Enter open  m matrix  e explain  / filter  : jump  ? help  q quit',
  namespace: 'Tab pane  Enter full  y YAML  m matrix  e explain  / filter  Esc back  ? help',
  matrix: 'hjkl move  Enter explain  P probe  [ ] port  t other ns  w wide  Esc back  ? help',
  explain: 'Tab next field  Enter pick/edit  p protocol  P probe  j/k scroll  Esc back  ? help',
  probe: 'j/k scroll  P run again  Esc back (cancels a running probe)  ? help',
  text: 'j/k scroll  g/G top/bottom  Esc back  ? help',
};

/** A probe run in flight: how to stop it, and when it (and its cleanup) is over. */
interface RunningProbe {
  readonly stop: AbortController;
  readonly done: Promise<void>;
}

export function App({ source, color, initial, cueMs = 3000, prober }: AppProps): React.ReactElement {
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
  const probes = useRef(new Map<number, RunningProbe>());
  const quitting = useRef(false);
  useInput((input, key) => {
    if (quitting.current) return; // waiting for a probe's cleanup; then it exits
    const keys: KeyInput[] = input.length > 1 && !input.startsWith('\u001b') ? [...input].map(splitKey) : [{ input, ...key }];
    let state = uiRef.current;
    // Effects run after the new state is set: those that update the UI (a probe's first progress
    // line) must apply on top of it, not be overwritten by it.
    const effects: Effect[] = [];
    for (const k of keys) {
      const next = handleKey(state, k, { idx: snap.index, namespace: source.namespace, bodyHeight: bodyH, width, mode: source.mode, canProbe: prober !== undefined });
      state = next.state;
      if (next.effect) effects.push(next.effect);
      if (next.effect?.kind === 'quit') break;
    }
    uiRef.current = state;
    setUi(state);
    for (const e of effects) runEffect(e);
  });
  /** Updates the probe screen of run `id` wherever it is in the stack (gone: nothing to do). */
  const patchProbe = (id: number, patch: (sc: ProbeScreen) => Partial<ProbeScreen>) =>
    setUi((u) => (uiRef.current = { ...u, stack: u.stack.map((sc) => (sc.kind === 'probe' && sc.id === id ? { ...sc, ...patch(sc) } : sc)) }));
  const startProbe = (id: number, question: ProbeScreen['question']): void => {
    if (!prober) return;
    const stop = new AbortController();
    const done = prober
      .run(question, snap.index, source.namespace, (line) => patchProbe(id, (sc) => ({ progress: [...sc.progress, line] })), stop.signal)
      .then(
        (outcomes) => patchProbe(id, () => ({ status: 'done', outcomes })),
        (e: unknown) => patchProbe(id, () => ({ status: 'failed', error: (e as Error).message })),
      )
      .finally(() => {
        probes.current.delete(id);
        if (stop.signal.aborted && !quitting.current) setUi((u) => (uiRef.current = { ...u, message: 'probe cancelled; what it created is removed' }));
      });
    probes.current.set(id, { stop, done });
  };
  const runEffect = (effect: Effect): void => {
    if (effect.kind === 'quit') {
      // Never leave probe pods behind: stop the runs and wait for their cleanup before exiting.
      if (probes.current.size === 0) return exit();
      if (quitting.current) return;
      quitting.current = true;
      setStatus('quitting: stopping the probe and removing what it created…');
      const running = [...probes.current.values()];
      for (const r of running) r.stop.abort();
      void Promise.allSettled(running.map((r) => r.done)).then(() => exit());
    } else if (effect.kind === 'probe') startProbe(effect.id, effect.question);
    else if (effect.kind === 'cancelProbe') probes.current.get(effect.id)?.stop.abort();
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
      case 'probe':
        return probeLines(screen, width, bodyH, color);
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
