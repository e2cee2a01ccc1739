// The probe command's work (loaded on demand): plan from the model, run the probes through the API,
// classify, render; and the shared core that `check --probe` uses. Cleans up on every way out.
import { dump as dumpYaml } from 'js-yaml';
import { ClusterIndex, ResolveError, type Protocol } from '../../src/engine/index.js';
import { CliError, ExitCode } from '../../src/errors.js';
import { rbacManifest } from '../../src/probe/access.js';
import { classify } from '../../src/probe/classify.js';
import { cleanupLeftovers, Ledger } from '../../src/probe/cleanup.js';
import { clonePod, DEFAULT_IMAGE, ephemeralContainer, listenerPod, newRunId, runConfigMap, type RunInfo } from '../../src/probe/objects.js';
import { matrixRequests, PlanBoundError, planProbes, type Plan, type ProbeRequest } from '../../src/probe/plan.js';
import { IN_CONTAINER_PARALLEL, probeScript } from '../../src/probe/program.js';
import { reproduceCommand } from '../../src/probe/reproduce.js';
import { containerBudgetMs, ProbeRunner, type ProbeEvent } from '../../src/probe/runner.js';
import type { ProbeMode, ProbeObservation, ProbeOutcome } from '../../src/probe/types.js';
import { serialise } from '../../src/render/format.js';
import { inkProgress, plainProgress, type Progress } from '../../src/render/probe-progress.js';
import { probeData, renderProbeJUnit, renderProbeText, summarise } from '../../src/render/probe-output.js';
import type { ApiClient } from '../../src/sources/live/client.js';
import { parseRequestTimeout } from '../../src/sources/live/kubeconfig.js';
import type { CommandIO } from '../io.js';
import type { GlobalOptions } from '../options.js';
import type { ProbeArgs, ProbeOptions } from './probe.js';
import { parsePortArg, styleFor, writeLimitations } from './shared.js';

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];

function duration(value: string, flag: string, min = 1): number {
  let ms: number;
  try {
    ms = parseRequestTimeout(value);
  } catch {
    throw new CliError(`--${flag} ${JSON.stringify(value)} is not a duration`, 'use e.g. 2s, 500ms, 1m', ExitCode.usage);
  }
  if (ms < min) throw new CliError(`--${flag} ${value} is too short`, `give at least ${min} ms`, ExitCode.usage);
  return ms;
}

function liveOnly(args: GlobalOptions, what: string): void {
  if (args.filename && args.filename.length > 0)
    throw new CliError(`${what} opens real connections and needs a live cluster; -f reads manifests only`, 'drop -f to probe the cluster of the current kubeconfig context, or use explain/check -f for the static answer', ExitCode.usage);
}

export async function runProbe(args: ProbeArgs, io: CommandIO): Promise<number> {
  if (args['print-rbac']) {
    const kind = args['print-rbac'] === 'clusterrole' ? 'ClusterRole' : 'Role';
    const bind = kind === 'Role' ? `kubectl create rolebinding kubectl-netpol-probe --role=kubectl-netpol-probe --user=NAME -n ${args.namespace ?? 'default'}` : 'kubectl create clusterrolebinding kubectl-netpol-probe --clusterrole=kubectl-netpol-probe --user=NAME';
    io.stdout.write(`# What kubectl netpol probe needs: reads, pods/ephemeralcontainers (ephemeral mode), create/delete pods and configmaps (clone mode, --serve).\n# Apply it, then bind it: ${bind}\n`);
    io.stdout.write(rbacManifest(kind, args.namespace).map((d) => `---\n${dumpYaml(d, { noRefs: true, lineWidth: 120, flowLevel: 3 })}`).join(''));
    return ExitCode.ok;
  }
  liveOnly(args, 'probe');
  if (args.cleanup) {
    if (args.from || args.to) throw new CliError('--cleanup takes no FROM/TO', 'run kubectl netpol probe --cleanup [-n NAMESPACE]', ExitCode.usage);
    return runCleanup(args, io);
  }
  const protocol = protocolArg(args.protocol);
  const ports = (args.port ?? []).map((p) => parsePortArg(p, '--port')!);
  probeSettings(args);
  let requests: ProbeRequest[] | ((idx: ClusterIndex, ns: string) => ProbeRequest[]);
  let needs: { endpoints?: string[]; namespaces?: string[] | 'all' };
  if (args.from !== undefined && args.to !== undefined) {
    if (ports.length === 0) throw new CliError('probe needs --port: a connection goes to one port', 'add --port P (repeatable), e.g. --port 8080', ExitCode.usage);
    if (args['to-namespace']) throw new CliError('--to-namespace is for the namespace matrix (-n NS without FROM/TO)', undefined, ExitCode.usage);
    requests = [{ from: args.from, to: args.to, ports, ...(protocol ? { protocol } : {}) }];
    needs = { endpoints: [args.from, args.to.startsWith('dns:') ? args.from : args.to] };
  } else if (args.from === undefined && (args.namespace || args['to-namespace'])) {
    if (ports.length === 0) throw new CliError('the namespace matrix needs --port', 'add --port P (repeatable)', ExitCode.usage);
    const toNs = args['to-namespace'];
    needs = toNs && toNs !== args.namespace ? { namespaces: 'all' } : { namespaces: [args.namespace ?? toNs!] };
    requests = (idx, ns) => matrixRequests(idx, args.namespace ?? ns, toNs ?? args.namespace ?? ns, ports, protocol);
  } else {
    throw new CliError(args.from !== undefined ? 'probe needs a destination too' : 'probe needs FROM and TO, or -n NAMESPACE for the namespace matrix', 'kubectl netpol probe FROM TO --port P, or kubectl netpol probe -n NS [--to-namespace NS2] --port P', ExitCode.usage);
  }
  const session = await probeSession(args, io, needs);
  try {
    const reqs = typeof requests === 'function' ? requests(session.index, session.namespace) : requests;
    if (reqs.length === 0) throw new CliError('no pairs of running pods to probe', 'check the namespaces with kubectl get pods', ExitCode.input);
    const outcome = await probeRequests(session, reqs, args, io, 'throw');
    if (outcome === 'dry-run') return ExitCode.ok;
    writeResults(outcome.outcomes, outcome.runInfo, args, io, []);
    return probeExitCode(outcome.outcomes, args['observed-only'] === true, outcome.signal);
  } catch (e) {
    throw await session.mapError(e);
  } finally {
    session.client.close();
  }
}

function protocolArg(p: string | undefined): Protocol | undefined {
  if (p === undefined) return undefined;
  if (!PROTOCOLS.includes(p)) throw new CliError(`--protocol ${p} is not TCP, UDP or SCTP`, undefined, ExitCode.usage);
  return p as Protocol;
}

export interface ProbeSession {
  readonly client: ApiClient;
  readonly index: ClusterIndex;
  readonly namespace: string;
  readonly cni: import('../../src/cni/detect.js').CniReport;
  readonly kubectlFlags: readonly string[];
  /** API errors -> CliError with the kubeconfig context (403 with the kubectl auth can-i line). */
  mapError(e: unknown): Promise<unknown>;
}

/** Connects once and reads the cluster state (the same reads explain/check do); the client stays open for the probe's writes. */
export async function probeSession(args: GlobalOptions, io: CommandIO, needs: { endpoints?: readonly string[]; namespaces?: readonly string[] | 'all' }): Promise<ProbeSession> {
  const live = await import('../../src/sources/live/source.js');
  const { client, errors } = await live.openClient(args, io);
  try {
    const loaded = await live.loadLive(args, needs, io, { client });
    writeLimitations(loaded.state, io, styleFor(args, io));
    const mapError = async (e: unknown) => (await import('../../src/sources/live/errors.js')).toCliError(e, errors);
    return { client, index: new ClusterIndex(loaded.state), namespace: loaded.namespace, cni: loaded.cni, kubectlFlags: live.kubectlFlags(args), mapError };
  } catch (e) {
    client.close();
    throw e;
  }
}

export interface ProbeRun {
  readonly outcomes: ProbeOutcome[];
  readonly runInfo: { run: string; modes: Record<string, string> };
  /** Set when a signal interrupted the run (exit 130 / 143 after cleanup). */
  readonly signal?: NodeJS.Signals;
}

/** The probe flags, checked before anything touches the cluster. */
export interface ProbeSettings {
  readonly timeoutMs: number;
  readonly retryDelayMs: number;
  readonly settleMs: number;
  readonly podDeadlineMs?: number;
}

export function probeSettings(args: ProbeOptions): ProbeSettings {
  const timeoutMs = duration(args.timeout, 'timeout', 100);
  const retryDelayMs = duration(args['retry-delay'], 'retry-delay', 0);
  const settleMs = duration(args.settle, 'settle', 0);
  if (!Number.isInteger(args.concurrency) || args.concurrency < 1) throw new CliError(`--concurrency ${args.concurrency} must be a whole number >= 1`, undefined, ExitCode.usage);
  if (!Number.isInteger(args['max-connections']) || args['max-connections'] < 1) throw new CliError(`--max-connections ${args['max-connections']} must be a whole number >= 1`, undefined, ExitCode.usage);
  if (!args.image || /\s/.test(args.image)) throw new CliError(`--image ${JSON.stringify(args.image)} is not an image reference`, 'e.g. --image mirror.example.com/e2e-test-images/agnhost:2.56', ExitCode.usage);
  const podDeadlineMs = args['pod-deadline'] !== undefined ? duration(args['pod-deadline'], 'pod-deadline', 1000) : undefined;
  return { timeoutMs, retryDelayMs, settleMs, ...(podDeadlineMs !== undefined ? { podDeadlineMs } : {}) };
}

/**
 * Plans, runs and classifies; always removes what it created. 'dry-run' when it only printed the
 * objects. `cancel` (the TUI's Esc and q) stops the run as a signal would, cleanup included.
 */
export async function probeRequests(session: ProbeSession, requests: readonly ProbeRequest[], args: ProbeOptions & GlobalOptions & { serve?: boolean }, io: CommandIO, onError: 'throw' | 'record', cancel?: AbortSignal): Promise<ProbeRun | 'dry-run'> {
  const { timeoutMs, retryDelayMs, settleMs, podDeadlineMs } = probeSettings(args);
  let plan: Plan;
  try {
    plan = planProbes(requests, session.index, { namespace: session.namespace, allPods: args['all-pods'] === true, maxConnections: args['max-connections'], serve: args.serve === true, onError });
  } catch (e) {
    if (e instanceof PlanBoundError)
      throw new CliError(e.message, 'narrow the question (fewer --port values, one namespace, a workload instead of --all-pods) or raise --max-connections', ExitCode.usage);
    if (e instanceof ResolveError) throw e;
    throw e;
  }
  for (const n of plan.notes) io.stderr.write(`note: ${n}\n`);
  const run: RunInfo = { id: newRunId(new Date()), createdAt: new Date().toISOString(), image: args.image || DEFAULT_IMAGE, imagePullSecrets: args['image-pull-secret'] ?? [] };
  const ledger = new Ledger();
  const ac = new AbortController();
  let signal: NodeJS.Signals | undefined;
  const onSignal = (s: NodeJS.Signals) => {
    if (signal) return;
    signal = s;
    io.stderr.write(`\nprobe: ${s}: stopping and removing what this run created\n`);
    ac.abort();
  };
  let cancelled = false;
  const onCancel = () => {
    cancelled = true;
    ac.abort();
  };
  if (cancel?.aborted) onCancel();
  else cancel?.addEventListener('abort', onCancel, { once: true });
  const modes: Record<string, string> = {};
  let progress: Progress = plainProgress(io.stderr);
  const tty = (io.stderr as { isTTY?: boolean }).isTTY === true && process.stderr === (io.stderr as unknown) && !io.env.NETPOL_NO_PROGRESS;
  const runner = new ProbeRunner(session.client, ledger, {
    run,
    mode: args.mode,
    timeoutMs,
    retryDelayMs,
    settleMs,
    ...(podDeadlineMs !== undefined ? { podDeadlineMs } : {}),
    concurrency: args.concurrency,
    pollMs: 250,
    command: `kubectl netpol ${process.argv.slice(2).join(' ')}`.slice(0, 1000),
    kubectlFlags: session.kubectlFlags,
    signal: ac.signal,
    onEvent: (e: ProbeEvent) => {
      if (e.type === 'mode') modes[e.namespace] = e.mode;
      progress.onEvent(e);
    },
  });
  const runnable = plan.probes.filter((p) => !p.notRun && p.source);
  const sourceNs = [...new Set(runnable.map((p) => p.source!.namespace))];
  const serveNs = [...new Set(plan.listeners.map((l) => l.namespace))];
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  let results = new Map<number, ProbeObservation>();
  let probes = plan.probes;
  try {
    if (runnable.length > 0) await runner.decideModes(sourceNs, serveNs);
    if (args['dry-run']) {
      io.stdout.write(dryRunYaml(plan, run, runner, { timeoutMs, retryDelayMs, settleMs }));
      return 'dry-run';
    }
    if (tty && runnable.length > 0) progress = await inkProgress(process.stderr, runnable.length);
    if (plan.listeners.length > 0) probes = (await runner.startListeners(plan)).probes;
    results = await runner.runAll(probes);
  } finally {
    progress.stop();
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    cancel?.removeEventListener('abort', onCancel);
    if (ledger.created > 0) {
      const { failed } = await ledger.removeAll(session.client, signal || cancelled ? 5_000 : 15_000).catch((e: Error) => ({ failed: [{ object: { kind: 'Pod' as const, namespace: '?', name: '?' }, error: e.message }] }));
      for (const f of failed) io.stderr.write(`warning: could not delete ${f.object.kind} ${f.object.namespace}/${f.object.name}: ${f.error}; run kubectl netpol probe --cleanup\n`);
    }
  }
  const repro = { image: run.image, timeoutMs, kubectlFlags: session.kubectlFlags };
  const outcomes = probes.map((p) => {
    const ob: ProbeObservation = results.get(p.id) ?? { observed: 'not-run', detail: p.notRun ?? (signal ? 'interrupted before it ran' : cancelled ? 'cancelled before it ran' : 'not run') };
    const o = classify(p, ob, { cni: session.cni, timeoutMs, compare: args['observed-only'] !== true });
    const reproduce = reproduceCommand(p, ob.mode, repro);
    return reproduce ? { ...o, reproduce } : o;
  });
  return { outcomes, runInfo: { run: run.id, modes }, ...(signal ? { signal } : {}) };
}

/** --dry-run: the objects as YAML, in the order they would be created (ephemeral containers as the PATCH body). */
function dryRunYaml(plan: Plan, run: RunInfo, runner: ProbeRunner, t: { timeoutMs: number; retryDelayMs: number; settleMs: number }): string {
  const docs: string[] = [];
  const owner = { name: `netpol-probe-${run.id}`, uid: '(assigned when the ConfigMap is created)' };
  const yaml = (o: unknown) => dumpYaml(o, { noRefs: true, lineWidth: 120 });
  const ownerNs = new Set<string>([...plan.listeners.map((l) => l.namespace)]);
  const bySource = new Map<string, typeof plan.probes[number][]>();
  for (const p of plan.probes) if (!p.notRun && p.source) bySource.set(`${p.source.namespace}/${p.source.name}`, [...(bySource.get(`${p.source.namespace}/${p.source.name}`) ?? []), p]);
  for (const list of bySource.values()) if (runner.modeOf(list[0]!.source!.namespace) === 'clone') ownerNs.add(list[0]!.source!.namespace);
  for (const ns of ownerNs) docs.push(`# create in namespace ${ns}\n${yaml(runConfigMap(run, ns, 'kubectl netpol probe ...'))}`);
  plan.listeners.forEach((l, i) => docs.push(`# create (--serve listener for ${l.standsFor})\n${yaml(listenerPod(run, l.namespace, l.labels, l.standsFor, i, owner, l.ports, 300))}`));
  let index = 0;
  for (const [key, list] of bySource) {
    const src = list[0]!.source!;
    const mode: ProbeMode = runner.modeOf(src.namespace);
    const script = probeScript(
      list.map((p) => ({ id: p.id, host: p.host.startsWith('listener:') ? 'LISTENER-IP' : p.host, port: p.port, protocol: p.protocol, expect: p.allowed === undefined ? '-' : p.allowed ? 'a' : 'd' })),
      { ...t, settleMs: mode === 'clone' ? t.settleMs : 0, parallel: IN_CONTAINER_PARALLEL },
    );
    if (mode === 'ephemeral') docs.push(`# PATCH pods/${src.name}/ephemeralcontainers in namespace ${src.namespace} (strategic merge; the container stays in the pod spec)\n${yaml({ spec: { ephemeralContainers: [ephemeralContainer(run, script)] } })}`);
    else docs.push(`# create (clone of ${key})\n${yaml(clonePod(run, src, index++, owner, script, Math.ceil(containerBudgetMs(list.length, t, true) / 1000)))}`);
  }
  return docs.map((d) => `---\n${d}`).join('');
}

export function writeResults(outcomes: readonly ProbeOutcome[], info: { run: string; modes: Record<string, string> }, args: GlobalOptions, io: CommandIO, names: readonly (string | undefined)[]): void {
  if (args.output === 'json' || args.output === 'yaml') io.stdout.write(serialise(probeData(outcomes, info, names), args.output));
  else if (args.output === 'junit') io.stdout.write(renderProbeJUnit(outcomes));
  else io.stdout.write(renderProbeText(outcomes, styleFor(args, io)));
}

/** 0 when every observed result matches (or, --observed-only, every probe ran); 1 otherwise; 130/143 after a signal. */
export function probeExitCode(outcomes: readonly ProbeOutcome[], observedOnly: boolean, signal?: NodeJS.Signals): number {
  if (signal) return signal === 'SIGINT' ? 130 : 143;
  const s = summarise(outcomes);
  if (observedOnly) return s.errors === 0 && s.notRun === 0 ? ExitCode.ok : ExitCode.denied;
  return s.mismatch === 0 && s.errors === 0 ? ExitCode.ok : ExitCode.denied;
}

async function runCleanup(args: ProbeArgs, io: CommandIO): Promise<number> {
  const live = await import('../../src/sources/live/source.js');
  const { client, errors } = await live.openClient(args, io);
  try {
    const { toCliError } = await import('../../src/sources/live/errors.js');
    let res;
    try {
      res = await cleanupLeftovers(client, args.namespace);
    } catch (e) {
      throw toCliError(e, errors);
    }
    const where = args.namespace ? `namespace ${args.namespace}` : 'all namespaces';
    if (res.removed.length === 0) io.stdout.write(`nothing to clean up in ${where}: no objects with the label netpol.kubectl.io/run and the annotation netpol.kubectl.io/created-by\n`);
    for (const o of res.removed) io.stdout.write(`deleted ${o.kind.toLowerCase()} ${o.namespace}/${o.name} (run ${o.run}${o.createdAt ? `, created ${o.createdAt}` : ''})\n`);
    for (const o of res.stillThere) io.stderr.write(`warning: ${o.kind} ${o.namespace}/${o.name} is still terminating\n`);
    io.stderr.write('note: ephemeral probe containers (netpol-probe-*) cannot be removed from a pod; they go when the pod is replaced\n');
    return ExitCode.ok;
  } finally {
    client.close();
  }
}
