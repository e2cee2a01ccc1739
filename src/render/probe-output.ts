// probe results as text (one line per connection + its explanation and reproduce command), as
// ProbeResult data for -o json|yaml, and as JUnit XML.
import type { ProbeOutcome } from '../probe/types.js';
import { plain, type Style } from './style.js';

export const PROBE_API_VERSION = 'netpol.kubectl.io/v1alpha1';

export interface ProbeSummary {
  readonly total: number;
  readonly match: number;
  readonly mismatch: number;
  readonly notRun: number;
  readonly errors: number;
  /** Observed but not compared (no model answer, or --observed-only). */
  readonly unchecked: number;
}

export function summarise(outcomes: readonly ProbeOutcome[]): ProbeSummary {
  let match = 0, mismatch = 0, notRun = 0, errors = 0, unchecked = 0;
  for (const o of outcomes) {
    if (o.observation.observed === 'not-run') notRun++;
    else if (o.observation.observed === 'probe-error') errors++;
    else if (o.match === true) match++;
    else if (o.match === false) mismatch++;
    else unchecked++;
  }
  return { total: outcomes.length, match, mismatch, notRun, errors, unchecked };
}

const portText = (o: ProbeOutcome) => `${o.probe.protocol}/${o.probe.port || '?'}${o.probe.portName ? ` (${o.probe.portName})` : ''}`;
const modelText = (o: ProbeOutcome) => (o.probe.allowed === undefined ? 'model: -' : `model: ${o.probe.allowed ? 'allowed' : 'denied'}`);

function mark(o: ProbeOutcome, style: Style): string {
  if (o.observation.observed === 'not-run') return style.dim('NOT RUN ');
  if (o.observation.observed === 'probe-error') return style.bad('ERROR   ');
  if (o.match === true) return style.ok('MATCH   ');
  if (o.match === false) return style.bad('MISMATCH');
  return style.dim('OBSERVED');
}

export interface ProbeTextOptions {
  /** Print the reproduce command under every result (default: under each one, as the issue asks; false hides them). */
  readonly reproduce?: boolean;
}

export function renderProbeText(outcomes: readonly ProbeOutcome[], style: Style = plain, opts: ProbeTextOptions = {}): string {
  const lines: string[] = [];
  for (const o of outcomes) {
    const ob = o.observation;
    // Latencies come in 10 ms steps where the image's date has no nanoseconds: 0 means "under 10 ms".
    const latency = ob.latencyMs === undefined || ob.observed === 'probe-error' ? '' : ob.latencyMs === 0 ? ' <10 ms' : ` ${ob.latencyMs} ms`;
    const got = ob.observed === 'not-run' ? '' : `  ${ob.observed}${latency}`;
    lines.push(`${mark(o, style)}  ${o.probe.from} -> ${o.probe.to} ${portText(o)}${got}  (${modelText(o)}${ob.mode ? `, ${ob.mode}` : ''})`);
    lines.push(style.dim(`          ${o.explanation}`));
    if (o.reproduce && opts.reproduce !== false) lines.push(style.dim(`          reproduce: ${o.reproduce}`));
  }
  const s = summarise(outcomes);
  const parts = [`${s.match} match`, `${s.mismatch} mismatch`, ...(s.unchecked ? [`${s.unchecked} not compared`] : []), ...(s.errors ? [`${s.errors} probe error${s.errors === 1 ? '' : 's'}`] : []), ...(s.notRun ? [`${s.notRun} not run`] : [])];
  lines.push('', `${s.total} probe${s.total === 1 ? '' : 's'}: ${parts.join(', ')}`);
  return lines.join('\n') + '\n';
}

/** One ProbeResult item: the check/matrix fields (from, to, port, protocol, allowed = the model's verdict) plus what was observed. */
export function probeItem(o: ProbeOutcome, name?: string): Record<string, unknown> {
  const p = o.probe;
  const ob = o.observation;
  return {
    ...(name !== undefined ? { name } : {}),
    from: p.from,
    to: p.to,
    port: p.port || (p.portName ?? null),
    ...(p.portName ? { portName: p.portName } : {}),
    protocol: p.protocol,
    allowed: p.allowed ?? null,
    observed: ob.observed,
    latencyMs: ob.latencyMs ?? null,
    match: o.match ?? null,
    explanation: o.explanation,
    explanationId: o.explanationId,
    ...(p.verdict ? { reason: p.verdict.reason } : {}),
    ...(p.host ? { address: p.host } : {}),
    kind: p.kind,
    ...(ob.mode ? { mode: ob.mode } : {}),
    ...(ob.retried ? { retried: true } : {}),
    ...(ob.firstAttempt ? { firstAttempt: ob.firstAttempt } : {}),
    ...(ob.detail ? { detail: ob.detail } : {}),
    ...(o.reproduce ? { reproduce: o.reproduce } : {}),
  };
}

export interface ProbeRunInfo {
  readonly run?: string;
  readonly modes?: Readonly<Record<string, string>>;
}

export function probeData(outcomes: readonly ProbeOutcome[], info: ProbeRunInfo = {}, names: readonly (string | undefined)[] = []): Record<string, unknown> {
  return {
    apiVersion: PROBE_API_VERSION,
    kind: 'ProbeResult',
    ...(info.run ? { run: info.run } : {}),
    ...(info.modes && Object.keys(info.modes).length ? { modes: info.modes } : {}),
    summary: summarise(outcomes),
    items: outcomes.map((o) => probeItem(o, names[o.probe.request])),
  };
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function renderProbeJUnit(outcomes: readonly ProbeOutcome[], suiteName = 'kubectl-netpol probe'): string {
  const s = summarise(outcomes);
  const cases = outcomes.map((o) => {
    const name = `${o.probe.from} -> ${o.probe.to} ${portText(o)}`;
    const ob = o.observation;
    let body = '';
    if (ob.observed === 'not-run') body = `<skipped message="${xml(o.explanation)}"/>`;
    else if (ob.observed === 'probe-error') body = `<error message="${xml(o.explanation)}">${xml(o.reproduce ?? '')}</error>`;
    else if (o.match === false) body = `<failure message="${xml(`${modelText(o)}, observed ${ob.observed}`)}">${xml([o.explanation, o.reproduce ? `reproduce: ${o.reproduce}` : ''].filter(Boolean).join('\n'))}</failure>`;
    return `    <testcase classname="netpol.probe" name="${xml(name)}"${ob.latencyMs !== undefined ? ` time="${(ob.latencyMs / 1000).toFixed(3)}"` : ''}>${body}</testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites tests="${s.total}" failures="${s.mismatch}" errors="${s.errors}" skipped="${s.notRun}">`,
    `  <testsuite name="${xml(suiteName)}" tests="${s.total}" failures="${s.mismatch}" errors="${s.errors}" skipped="${s.notRun}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
