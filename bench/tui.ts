// TUI benchmark (prints figures, asserts nothing): a generated 5,000-pod snapshot, the time to the
// first screen after the data has loaded, keystroke-to-next-frame latency over every view, and
// peak memory. Run: npx tsx bench/tui.tsx [PODS]
// React picks its production build from NODE_ENV when first loaded (the bundle defines it): set it
// before anything imports React.
process.env.NODE_ENV ??= 'production';
const { render } = await import('ink-testing-library');
const React = await import('react');
const { loadManifestTexts } = await import('../src/sources/files/load.js');
const { App } = await import('../src/tui/app.js');
const { stateSource } = await import('../src/tui/source.js');
const { generateCluster } = await import('./generate.js');

const pods = Number(process.argv[2] ?? 5000);
let peakRss = 0;
const sample = () => (peakRss = Math.max(peakRss, process.memoryUsage().rss));
const sampler = setInterval(sample, 50);
const now = () => performance.now();
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))]!;

const { objects } = generateCluster(pods);
let t0 = now();
const { state } = loadManifestTexts([{ file: 'generated.json', text: JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects }) }]);
const loadMs = now() - t0;
const source = stateSource(state);

t0 = now();
const app = render(React.createElement(App, { source, color: true }));
const stdout = app.stdout as unknown as NodeJS.EventEmitter;
Object.defineProperty(stdout, 'columns', { value: 100 });
Object.defineProperty(stdout, 'rows', { value: 30 });
const firstFrameMs = now() - t0;
stdout.emit('resize');

/** Time from writing a key to the next frame ink writes (polled every event-loop turn). */
/** Also the CPU time this process spent meanwhile: on a busy machine wall time includes waiting for a core. */
const cpu: number[] = [];
async function press(key: string): Promise<number | undefined> {
  const before = app.frames.length;
  const start = now();
  const c0 = process.cpuUsage();
  app.stdin.write(key);
  while (app.frames.length === before) {
    if (now() - start > 1000) return undefined; // the key changed nothing on screen
    await new Promise((r) => setImmediate(r));
  }
  const c = process.cpuUsage(c0);
  cpu.push((c.user + c.system) / 1000);
  return now() - start;
}

const ENTER = '\r';
const ESC = '\u001b';
const cycle = [
  ...'jjjjj', 'G', 'g', ...'jjj', ENTER, // namespaces -> a namespace
  ...'jjjjj', '\t', ...'jjj', '\t', // pods, policies, pods
  'm', ...'jjj', ...'lll', ']', '[', ENTER, // matrix, then the explanation of a cell
  ...'jj', ESC, ESC, ESC, // back to the namespaces
  '/', ...'team-5', ENTER, ESC, // filter, cleared
  'e', ENTER, ...'web', ENTER, ENTER, ...'db', ENTER, ...'5432', ENTER, // explain with the fuzzy pickers
  ESC,
  ':', ...'pod team-42/api', ENTER, ESC, // a jump
];
const latencies: { key: string; ms: number }[] = [];
let unchanged = 0;
for (let round = 0; round < 3; round++) {
  for (const key of cycle) {
    const ms = await press(key);
    if (ms === undefined) unchanged++;
    else latencies.push({ key, ms });
    if (process.env.BENCH_TRACE && round === 1) console.log(JSON.stringify(key), ms?.toFixed(1));
  }
}
app.unmount();
clearInterval(sampler);
sample();
const all = latencies.map((l) => l.ms);
const slowest = [...latencies].sort((a, b) => b.ms - a.ms).slice(0, 3).map((l) => `${JSON.stringify(l.key)} ${l.ms.toFixed(1)} ms`);
console.log(`TUI benchmark (NODE_ENV=${process.env.NODE_ENV}): ${state.pods.length} pods, ${state.namespaces.length} namespaces, ${state.networkPolicies.length} NetworkPolicies`);
console.log(`  load (JSON -> model)          ${loadMs.toFixed(0)} ms`);
console.log(`  first screen after load       ${firstFrameMs.toFixed(0)} ms (namespace summaries + first frame, 100x30)`);
console.log(`  keystroke -> next frame       p50 ${pct(all, 50).toFixed(1)} ms, p95 ${pct(all, 95).toFixed(1)} ms, max ${pct(all, 100).toFixed(1)} ms over ${all.length} keys (${unchanged} changed nothing)`);
console.log(`  CPU per keystroke             p50 ${pct(cpu, 50).toFixed(1)} ms, p95 ${pct(cpu, 95).toFixed(1)} ms (this process; wall time above includes waiting for a core)`);
console.log(`  load average                  ${(await import('node:os')).loadavg().map((l) => l.toFixed(1)).join(' ')} on ${(await import('node:os')).cpus().length} cores`);
console.log(`  slowest keys                  ${slowest.join(', ')}`);
console.log(`  peak RSS                      ${(peakRss / 1024 / 1024).toFixed(0)} MiB`);
