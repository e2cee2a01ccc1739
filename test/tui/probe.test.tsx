// The TUI's probe action (P) with a scripted prober: what it asks, live progress, observed vs
// expected, cancelling with Esc, and quitting only after the run's cleanup. The real run against a
// real node is test/node/tui-probe.test.ts.
import { afterEach, describe, expect, it } from 'vitest';

import { ClusterIndex } from '../../src/engine/cluster-index.js';
import type { ClusterState } from '../../src/engine/model.js';
import { classify } from '../../src/probe/classify.js';
import { planProbes } from '../../src/probe/plan.js';
import type { ProbeClass, ProbeOutcome } from '../../src/probe/types.js';
import { handleKey } from '../../src/tui/input.js';
import type { ProbeQuestion, TuiProber } from '../../src/tui/probe.js';
import { filesSource, stateSource, type TuiSource } from '../../src/tui/source.js';
import { KEY, mount, type Term } from './helpers.js';

const quiet = { stderr: { write: () => true }, readStdin: async () => '' };
const shopState = async (): Promise<ClusterState> => (await filesSource(['examples/shop/manifests'], 'default', quiet)).snapshot().index.state;

/** The real plan and classification of one path, with what the "network" answered. */
function outcomes(state: ClusterState, q: ProbeQuestion, observed: ProbeClass): ProbeOutcome[] {
  const plan = planProbes([{ from: q.from, to: q.to, ports: [q.port], protocol: q.protocol }], new ClusterIndex(state), { namespace: 'default', maxConnections: 10, onError: 'throw' });
  return plan.probes.map((p) => classify(p, { observed, latencyMs: 3, mode: 'ephemeral' }, { timeoutMs: 2000, compare: true }));
}

/** A prober that reports a line, then waits until the test settles it (or is cancelled). */
function scripted() {
  const calls: { q: ProbeQuestion; cancel: AbortSignal }[] = [];
  let settle: ((o: readonly ProbeOutcome[]) => void) | undefined;
  const prober: TuiProber = {
    run: (q, _idx, _ns, onLine, cancel) =>
      new Promise((resolve) => {
        calls.push({ q, cancel });
        onLine(`probe: namespace frontend: mode ephemeral (test)`);
        settle = resolve;
      }),
  };
  return { prober, calls, settle: (o: readonly ProbeOutcome[]) => settle!(o) };
}

/** A source that records when the app unmounts (it unsubscribes then). */
function watched(src: TuiSource): TuiSource & { unmounted: () => boolean } {
  let gone = false;
  return { ...src, subscribe: (l) => { const off = src.subscribe(l); return () => ((gone = true), off()); }, unmounted: () => gone };
}

let term: Term | undefined;
afterEach(() => term?.unmount());

/** The shop example as a live source at 120x30, with a scripted prober wired. */
async function liveShop(): Promise<{ state: ClusterState; p: ReturnType<typeof scripted>; t: Term }> {
  const state = await shopState();
  const p = scripted();
  const t = await mount(stateSource(state, { mode: 'live' }), { columns: 120, rows: 30, prober: p.prober });
  term = t;
  return { state, p, t };
}

const explainApiPath = [':', ...'explain frontend/app backend/api 8080', KEY.enter];

describe('P probes the path on the screen', () => {
  it('from explain: asks for that path, shows progress, then MATCH with the CLI probe lines', async () => {
    const { state, p, t } = await liveShop();
    await t.type(...explainApiPath, 'P');
    expect(p.calls.map((c) => c.q)).toEqual([{ from: 'frontend/app', to: 'backend/api', port: 8080, protocol: 'TCP' }]);
    let f = await t.waitFor('mode ephemeral (test)');
    expect(f).toContain('probe frontend/app -> backend/api TCP/8080');
    expect(f).toContain('running: real connections');
    p.settle(outcomes(state, p.calls[0]!.q, 'connected'));
    f = await t.waitFor('MATCH: the network does what the policies say');
    expect(f).toMatch(/MATCH\s+frontend\/app -> backend\/api TCP\/8080\s+connected 3 ms\s+\(model: allowed, ephemeral\)/);
    expect(f).toContain('1 probe: 1 match, 0 mismatch');
  });

  it('a result that contradicts the model is a MISMATCH', async () => {
    const { state, p, t } = await liveShop();
    await t.type(...explainApiPath, 'P');
    p.settle(outcomes(state, p.calls[0]!.q, 'timeout'));
    const f = await t.waitFor('MISMATCH: the network does not do what the policies say');
    expect(f).toMatch(/MISMATCH\s+frontend\/app -> backend\/api TCP\/8080\s+timeout/);
  });

  it('from a matrix cell: probes that cell on the matrix port', async () => {
    const { state, p, t } = await liveShop();
    await t.type(':', ...'matrix backend', KEY.enter);
    await t.type('P');
    expect(p.calls).toHaveLength(1);
    expect(p.calls[0]!.q.from).toMatch(/^backend\//);
    expect(p.calls[0]!.q.to).toMatch(/^backend\//);
    expect(t.frame()).toContain(`probe ${p.calls[0]!.q.from} -> ${p.calls[0]!.q.to}`);
  });

  it('a failed run shows its error (a forbidden write names the permission)', async () => {
    const p: TuiProber = { run: async () => Promise.reject(new Error('forbidden: cannot create pods/ephemeralcontainers in namespace frontend\nkubectl auth can-i update pods/ephemeralcontainers -n frontend')) };
    term = await mount(stateSource(await shopState(), { mode: 'live' }), { columns: 120, rows: 30, prober: p });
    await term.type(...explainApiPath, 'P');
    const f = await term.waitFor('probe failed');
    expect(f).toContain('kubectl auth can-i update pods/ephemeralcontainers -n frontend');
  });

  it('P again on a finished probe runs it again', async () => {
    const { state, p, t } = await liveShop();
    await t.type(...explainApiPath, 'P');
    await t.type('P');
    expect(t.frame()).toContain('this probe is still running');
    p.settle(outcomes(state, p.calls[0]!.q, 'connected'));
    await t.waitFor('MATCH: the network');
    await t.type('P');
    expect(p.calls).toHaveLength(2);
    await t.waitFor('running: real connections');
  });
});

describe('P says why it cannot probe', () => {
  it.each([
    ['-f manifests', 'files' as const, explainApiPath, 'needs a live cluster; -f reads manifests only'],
    ['no port yet', 'live' as const, [':', ...'explain frontend/app backend/api', KEY.enter], 'a probe connects to one port: type it first'],
    ['no destination yet', 'live' as const, ['e'], 'pick a source and a destination to probe first'],
  ])('%s', async (_name, mode, keys, message) => {
    const p = scripted();
    term = await mount(stateSource(await shopState(), { mode }), { columns: 120, rows: 30, prober: p.prober });
    await term.type(...keys, 'P');
    expect(term.frame()).toContain(message);
    expect(p.calls).toHaveLength(0);
  });

  it('a port name is passed on as a name, an out-of-range number is refused', async () => {
    const idx = new ClusterIndex(await shopState());
    const ctx = { idx, namespace: 'default', bodyHeight: 20, width: 80, mode: 'live' as const, canProbe: true };
    const screen = (port: string) => ({ stack: [{ kind: 'explain' as const, from: 'backend/api', to: 'backend/db', port, protocol: 'TCP' as const, focus: 'trace' as const, scroll: 0 }], help: false });
    expect(handleKey(screen('postgres'), { input: 'P' }, ctx).effect).toEqual({ kind: 'probe', id: 1, question: { from: 'backend/api', to: 'backend/db', port: 'postgres', protocol: 'TCP' } });
    expect(handleKey(screen('70000'), { input: 'P' }, ctx).state.message).toBe('port 70000 is out of range (1-65535)');
  });
});

describe('leaving a running probe', () => {
  it('Esc cancels it (the prober sees the abort), goes back, and says when its objects are removed', async () => {
    const { state, p, t } = await liveShop();
    await t.type(...explainApiPath, 'P', KEY.esc);
    expect(p.calls[0]!.cancel.aborted).toBe(true);
    expect(t.frame()).toContain('probe cancelled: removing what it created…');
    expect(t.frame()).toMatch(/^from\s+ frontend\/app/m);
    p.settle([]);
    await t.waitFor('probe cancelled; what it created is removed');
  });

  it('q stops the run and quits only once its cleanup is over', async () => {
    const state = await shopState();
    const p = scripted();
    const src = watched(stateSource(state, { mode: 'live' }));
    term = await mount(src, { columns: 120, rows: 30, prober: p.prober });
    await term.type(...explainApiPath, 'P', 'q');
    expect(p.calls[0]!.cancel.aborted).toBe(true);
    await term.waitFor('quitting: stopping the probe and removing what it created…');
    await new Promise((r) => setTimeout(r, 200));
    expect(src.unmounted()).toBe(false);
    p.settle([]);
    for (let i = 0; i < 100 && !src.unmounted(); i++) await new Promise((r) => setTimeout(r, 20));
    expect(src.unmounted()).toBe(true);
  });
});
