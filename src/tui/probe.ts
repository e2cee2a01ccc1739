// The TUI's probe action: the question it asks the prober (wired by the tui command on live
// clusters), the probe screen's state as the run reports in, and that screen's lines.
import wrapAnsi from 'wrap-ansi';

import type { ClusterIndex } from '../engine/cluster-index.js';
import type { Protocol } from '../engine/model.js';
import { isPortName } from '../engine/ports.js';
import type { ProbeOutcome } from '../probe/types.js';
import { renderProbeText, summarise } from '../render/probe-output.js';
import { makeStyle } from '../render/style.js';
import { fit, seg, type Line } from './lines.js';

/** One path to probe: the explain screen's fields. A port is needed: a connection goes to one port. */
export interface ProbeQuestion {
  readonly from: string;
  readonly to: string;
  readonly port: number | string;
  readonly protocol: Protocol;
}

/**
 * Opens real connections for the TUI (live clusters only; `kubectl netpol probe`'s engine). Resolves
 * once the run is over and what it created is removed, also after `cancel`; rejects with a message
 * fit for the screen (a forbidden write, an unknown pod).
 */
export interface TuiProber {
  run(q: ProbeQuestion, index: ClusterIndex, namespace: string, onLine: (line: string) => void, cancel: AbortSignal): Promise<readonly ProbeOutcome[]>;
}

export type ProbeStatus = 'running' | 'done' | 'failed';

/** The probe screen: progress lines while it runs, then observed vs expected. */
export interface ProbeScreen {
  readonly kind: 'probe';
  /** Which run this screen shows (runs report in by id). */
  readonly id: number;
  readonly question: ProbeQuestion;
  readonly status: ProbeStatus;
  readonly progress: readonly string[];
  readonly outcomes?: readonly ProbeOutcome[];
  readonly error?: string;
  readonly scroll: number;
}

export const probeTitle = (q: ProbeQuestion): string => `${q.from} -> ${q.to} ${q.protocol}/${q.port}`;

/** A port typed on the explain screen as a probe port: a number, a name, or why it is not one. */
export function probePort(text: string): number | string | { error: string } {
  const t = text.trim();
  if (t === '') return { error: 'a probe connects to one port: type it first (a digit starts the port field)' };
  if (/^\d+$/.test(t)) return Number(t) >= 1 && Number(t) <= 65535 ? Number(t) : { error: `port ${t} is out of range (1-65535)` };
  return isPortName(t) ? t : { error: `"${t}" is neither a port number nor a port name` };
}

/** The one-line verdict of a finished run: what the network did against what the model says. */
function verdictLine(outcomes: readonly ProbeOutcome[]): Line {
  const s = summarise(outcomes);
  if (s.mismatch > 0) return [seg(`MISMATCH: the network does not do what the policies say (${s.mismatch} of ${s.total})`, { bold: true, color: 'red' })];
  if (s.errors > 0) return [seg(`PROBE ERROR: ${s.errors} of ${s.total} could not be measured`, { bold: true, color: 'red' })];
  if (s.notRun === s.total) return [seg('NOT RUN', { bold: true, color: 'yellow' })];
  if (s.match === s.total) return [seg('MATCH: the network does what the policies say', { bold: true, color: 'green' })];
  return [seg(`${s.match} match, ${s.unchecked} not compared, ${s.notRun} not run`, { bold: true, color: 'yellow' })];
}

export function probeLines(s: ProbeScreen, width: number, height: number, color: boolean): Line[] {
  const q = s.question;
  const state: Line =
    s.status === 'running'
      ? [seg('running: real connections from the source pod (Esc cancels and removes what it created)', { color: 'yellow' })]
      : s.status === 'failed'
        ? [seg('probe failed', { bold: true, color: 'red' })]
        : verdictLine(s.outcomes ?? []);
  const out: Line[] = [[seg('probe ', { bold: true }), seg(fit(probeTitle(q), width - 6))], state, [seg('─'.repeat(width), { dim: true })]];
  const body: string[] = [...s.progress];
  if (s.error) body.push('', ...s.error.split('\n'));
  if (s.outcomes) body.push('', ...renderProbeText(s.outcomes, makeStyle(color)).trimEnd().split('\n'));
  const wrapped = body.flatMap((l) => wrap(l, width));
  const bodyH = height - out.length;
  const scroll = Math.max(0, Math.min(s.scroll, wrapped.length - bodyH));
  for (const l of wrapped.slice(scroll, scroll + bodyH)) out.push([seg(l)]);
  if (wrapped.length > bodyH) out[out.length - 1] = [seg(`… lines ${scroll + 1}-${scroll + bodyH} of ${wrapped.length} (j/k scroll)`, { dim: true })];
  return out;
}

/** Long lines (reproduce commands) are wrapped, not cut: they are meant to be copied. */
function wrap(line: string, width: number): string[] {
  const [first = '', ...rest] = wrapAnsi(line, width, { hard: true, trim: false }).split('\n');
  if (rest.length === 0) return [first];
  // trim: false keeps each break's space at the end of its piece: join the rest as it was.
  return [first.trimEnd(), ...wrapAnsi(rest.join('').trimStart(), width - 12, { hard: true }).split('\n').map((l) => ' '.repeat(12) + l)];
}
