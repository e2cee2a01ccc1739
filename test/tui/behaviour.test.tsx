// The TUI around the views: resize, colour, live updates (cue, selection kept), quitting, long lists.
import { afterEach, describe, expect, it } from 'vitest';

import { loadManifestTexts } from '../../src/sources/files/load.js';
import type { ClusterState, PodInfo } from '../../src/engine/model.js';
import { handleKey } from '../../src/tui/input.js';
import { ClusterIndex } from '../../src/engine/cluster-index.js';
import { filesSource, stateSource } from '../../src/tui/source.js';
import { generateCluster } from '../../bench/generate.js';
import { KEY, mount, tick, type Term } from './helpers.js';

const quiet = { stderr: { write: () => true }, readStdin: async () => '' };
const shopState = async (): Promise<ClusterState> => (await filesSource(['examples/shop/manifests'], 'default', quiet)).snapshot().index.state;

let term: Term | undefined;
afterEach(() => term?.unmount());

describe('terminal size', () => {
  it.each([
    [80, 24],
    [100, 30],
    [60, 15],
  ])('every line fits %ix%i on every screen, and the frame is exactly that tall', async (columns, rows) => {
    term = await mount(stateSource(await shopState()), { columns, rows });
    for (const keys of [[], [KEY.enter], [KEY.tab], ['m'], [KEY.enter]]) {
      await term.type(...keys);
      const ls = term.frame().split('\n');
      expect(ls.length).toBe(rows);
      for (const l of ls) expect(l.length).toBeLessThanOrEqual(columns);
    }
  });

  it('lays out again on resize: the matrix switches to wide mode when the names fit', async () => {
    term = await mount(stateSource(await shopState()), { columns: 50, rows: 20 });
    await term.type('m');
    expect(term.frame()).toMatch(/from \\ to\s+1 2 3/);
    await term.resize(120, 30);
    expect(term.frame()).toMatch(/from \\ to\s+api\s+db\s+deploy\/repor/);
    expect(term.frame().split('\n').length).toBe(30);
  });
});

describe('colour', () => {
  it('NO_COLOR / --color never: no escape codes anywhere, the explain trace included', async () => {
    term = await mount(stateSource(await shopState()), { color: false, columns: 120, rows: 40 });
    await term.type(':', ...'explain frontend/app backend/db 5432', KEY.enter);
    expect(term.frame()).toContain('DENIED  frontend/app -> backend/db');
    expect(term.frame()).not.toContain('\u001b[');
  });

  it('with colour the trace carries the CLI colours (denied in red)', async () => {
    term = await mount(stateSource(await shopState()), { color: true, columns: 120, rows: 40 });
    await term.type(':', ...'explain frontend/app backend/db 5432', KEY.enter);
    expect(term.frame()).toContain('\u001b[31m');
  });
});

describe('live updates', () => {
  const extraPod = (name: string): PodInfo => ({ namespace: 'backend', name, labels: { app: 'cache' }, ips: ['10.244.9.9'], ports: [], hostNetwork: false });

  it('an update redraws in place with an "updated" cue, keeps the selected pod, and the cue goes away', async () => {
    const state = await shopState();
    const source = stateSource(state, { mode: 'live' });
    term = await mount(source, { cueMs: 200, columns: 100, rows: 30 });
    expect(term.frame()).toContain('● live');
    await term.type(KEY.enter, 'j'); // backend/db selected
    expect(term.frame()).toMatch(/>db\s/);
    // A pod sorted before db appears: the selection stays on db, the list grows.
    source.hub.publish({ ...state, pods: [...state.pods, extraPod('aaa-cache')].sort((a, b) => a.name.localeCompare(b.name)) }, ['pods']);
    await tick();
    expect(term.frame()).toContain('UPDATED: pods');
    expect(term.frame()).toContain('Pods (4)');
    expect(term.frame()).toMatch(/>db\s/);
    await tick(300);
    expect(term.frame()).not.toContain('UPDATED');
    expect(term.frame()).toContain('● live');
  });

  it('a policy change shows in the open views (the matrix cell flips)', async () => {
    const state = await shopState();
    const source = stateSource(state, { mode: 'live' });
    term = await mount(source, { columns: 100, rows: 30 });
    await term.type('m', 'j'); // backend/db -> backend/api on TCP/5432: denied (default-deny, api-ingress)
    expect(term.frame()).toContain('backend/db → backend/api: DENIED');
    // Every backend policy deleted: nothing isolates the pods any more.
    source.hub.publish({ ...state, networkPolicies: state.networkPolicies.filter((p) => p.namespace !== 'backend') }, ['networkpolicies']);
    await tick();
    expect(term.frame()).toContain('backend/db → backend/api: ALLOWED');
    expect(term.frame()).toContain('UPDATED: networkpolicies');
  });

  it('a status from the source (a dropped watch) shows in the status line', async () => {
    const source = stateSource(await shopState(), { mode: 'live' });
    term = await mount(source);
    source.hub.status('watch of pods dropped (ECONNRESET); reconnecting in 1.0 s');
    await tick();
    expect(term.frame()).toContain('watch of pods dropped');
    source.hub.status(undefined);
    await tick();
    expect(term.frame()).not.toContain('dropped');
  });

  it('r reloads the files with -f, and says live views need no reload', async () => {
    const files = await filesSource(['examples/shop/manifests'], 'default', quiet);
    term = await mount(files);
    await term.type('r');
    await tick(200);
    expect(term.frame()).toContain('UPDATED: files');
    term.unmount();
    term = await mount(stateSource(await shopState(), { mode: 'live' }));
    await term.type('r');
    expect(term.frame()).toContain('r reloads only with -f');
  });
});

describe('quitting', () => {
  it.each([
    ['q', { input: 'q' }],
    ['ctrl-c', { input: 'c', ctrl: true }],
    [':q', undefined],
  ])('%s quits', async (_name, key) => {
    const idx = new ClusterIndex(await shopState());
    const ctx = { idx, namespace: 'default', bodyHeight: 20, width: 80, mode: 'files' as const };
    let state = { stack: [{ kind: 'namespaces' as const, pos: { index: 0 }, filter: '' }], help: false };
    if (key) expect(handleKey(state, key, ctx).effect).toEqual({ kind: 'quit' });
    else {
      state = handleKey(state, { input: ':' }, ctx).state as typeof state;
      state = handleKey(state, { input: 'q' }, ctx).state as typeof state;
      expect(handleKey(state, { input: '', return: true }, ctx).effect).toEqual({ kind: 'quit' });
    }
  });

  it('q inside the filter line is text, not quit', async () => {
    const idx = new ClusterIndex(await shopState());
    const ctx = { idx, namespace: 'default', bodyHeight: 20, width: 80, mode: 'files' as const };
    const s = handleKey({ stack: [{ kind: 'namespaces', pos: { index: 0 }, filter: '' }], help: false }, { input: '/' }, ctx).state;
    const r = handleKey(s, { input: 'q' }, ctx);
    expect(r.effect).toBeUndefined();
    expect(r.state.input?.text).toBe('q');
  });
});

describe('long lists', () => {
  it('5,000 pods: lists are virtualised (a frame is one screen), G and PgDn reach the end', async () => {
    const { objects } = generateCluster(5000);
    const { state } = loadManifestTexts([{ file: 'gen.json', text: objects.map((o) => JSON.stringify(o)).join('\n') }]);
    term = await mount(stateSource(state), { columns: 100, rows: 30 });
    expect(term.frame().split('\n').length).toBe(30);
    await term.type('G');
    expect(term.frame()).toMatch(/^>team-99\s/m);
    await term.type('g', KEY.pageDown);
    expect(term.frame()).toMatch(/^>team-\d+\s/m);
    expect(term.frame()).not.toMatch(/^>team-0\s/m);
    await term.type(KEY.enter);
    expect(term.frame()).toContain('Pods (50)');
  });
});

describe('the remaining movement keys', () => {
  it('h/← move left in the matrix, PgUp/ctrl-u/ctrl-d page through long lists', async () => {
    term = await mount(stateSource(await shopState()), { columns: 100, rows: 30 });
    await term.type('m', 'l', 'l');
    expect(term.frame()).toContain('backend/api → backend/deploy/reports');
    await term.type('h');
    expect(term.frame()).toContain('backend/api → backend/db');
    await term.type(KEY.left);
    expect(term.frame()).toContain('backend/api → backend/api');
    term.unmount();
    const { objects } = generateCluster(2000);
    const { state } = loadManifestTexts([{ file: 'gen.json', text: objects.map((o) => JSON.stringify(o)).join('\n') }]);
    term = await mount(stateSource(state), { columns: 100, rows: 20 });
    await term.type('\u0004'); // ctrl-d
    const afterDown = term.frame().match(/^>(team-\d+)/m)?.[1];
    expect(afterDown).toBeDefined();
    expect(afterDown).not.toBe('team-0');
    await term.type('\u0015'); // ctrl-u
    expect(term.frame()).toMatch(/^>team-0\s/m);
    await term.type(KEY.pageDown, '\u001b[5~'); // PgDn, PgUp
    expect(term.frame()).toMatch(/^>team-0\s/m);
  });
});
