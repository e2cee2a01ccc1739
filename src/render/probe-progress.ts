// Live progress of a probe run on stderr: an ink view on a terminal, plain lines otherwise. Mode
// choices and the "ephemeral container stays" notices are printed in both (they matter afterwards).
import type { ProbeEvent } from '../probe/runner.js';
import type { ProbeObservation } from '../probe/types.js';

export interface Progress {
  onEvent(e: ProbeEvent): void;
  /** Stops the live view (leaves the notices on screen). */
  stop(): void;
}

const counts = (results: ReadonlyMap<number, ProbeObservation>): string => {
  const by = new Map<string, number>();
  for (const r of results.values()) by.set(r.observed, (by.get(r.observed) ?? 0) + 1);
  return [...by.entries()].map(([k, n]) => `${n} ${k}`).join(', ');
};

/** The lasting lines both views print. */
function noticeLine(e: ProbeEvent): string | undefined {
  if (e.type === 'mode') return `probe: namespace ${e.namespace}: mode ${e.mode} (${e.why})`;
  if (e.type === 'stays') return `probe: ephemeral container ${e.container} added to pod ${e.pod}; Kubernetes cannot remove ephemeral containers, so it stays (terminated) in the pod spec until the pod is replaced`;
  if (e.type === 'listener') return `probe: listener ${e.pod} (${e.ip}) stands in for ${e.standsFor}`;
  return undefined;
}

export function plainProgress(stderr: { write(s: string): unknown }): Progress {
  return {
    onEvent(e) {
      const n = noticeLine(e);
      if (n) stderr.write(`${n}\n`);
      else if (e.type === 'start') stderr.write(`probe: ${e.source}: ${e.count} connection${e.count === 1 ? '' : 's'} (${e.mode})\n`);
      else if (e.type === 'done') stderr.write(`probe: ${e.source}: done: ${counts(e.results)}\n`);
    },
    stop() {},
  };
}

interface Row {
  source: string;
  count: number;
  mode: string;
  done?: string;
}

/** The ink view: one row per source pod (spinner while its container runs), and the totals. */
export async function inkProgress(stream: NodeJS.WriteStream, total: number): Promise<Progress> {
  const [{ render, Box, Text }, React] = await Promise.all([import('ink'), import('react')]);
  const h = React.createElement;
  const notices: string[] = [];
  const rows = new Map<string, Row>();
  let finished = 0;
  let tick = 0;
  const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
  const view = () =>
    h(
      Box,
      { flexDirection: 'column' },
      ...notices.map((n, i) => h(Text, { key: `n${i}`, dimColor: true }, n)),
      ...[...rows.values()].map((r) =>
        h(Text, { key: r.source }, r.done ? h(Text, { color: 'green' }, '✓ ') : h(Text, { color: 'cyan' }, `${frames[tick % frames.length]} `), `${r.source}  ${r.count} connection${r.count === 1 ? '' : 's'} (${r.mode})${r.done ? `  ${r.done}` : ''}`),
      ),
      h(Text, { bold: true }, `${finished}/${total} connections done`),
    );
  const app = render(view(), { stdout: stream, patchConsole: false, exitOnCtrlC: false });
  const timer = setInterval(() => {
    tick++;
    app.rerender(view());
  }, 120);
  timer.unref();
  return {
    onEvent(e) {
      const n = noticeLine(e);
      if (n) notices.push(n);
      else if (e.type === 'start') rows.set(e.source, { source: e.source, count: e.count, mode: e.mode });
      else if (e.type === 'done') {
        finished += e.results.size;
        const r = rows.get(e.source) ?? { source: e.source, count: e.results.size, mode: '' };
        rows.set(e.source, { ...r, done: counts(e.results) });
      }
      app.rerender(view());
    },
    stop() {
      clearInterval(timer);
      app.rerender(view());
      app.unmount();
    },
  };
}
