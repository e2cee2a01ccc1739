// Runs a plan against the cluster: picks the mode per namespace (RBAC), starts --serve listeners,
// then one probe container per source pod (ephemeral container or clone pod), at most --concurrency
// at a time, and reads each one's results back from the pod status. Records every object it creates
// in the Ledger so the caller can always clean up.
import { CliError, ExitCode } from '../errors.js';
import type { ApiClient } from '../sources/live/client.js';
import { ApiStatusError } from '../sources/live/request.js';
import { canILine, canPhrase, decideMode } from './access.js';
import type { Ledger } from './cleanup.js';
import { clonePod, ephemeralContainer, listenerPod, runConfigMap, type OwnerInfo, type RunInfo } from './objects.js';
import { listenerHost, type Plan } from './plan.js';
import { IN_CONTAINER_PARALLEL, probeScript, type ScriptProbe } from './program.js';
import { containerState, observations, type ContainerState } from './results.js';
import type { PlannedProbe, ProbeMode, ProbeObservation, SourcePod } from './types.js';

export type ProbeEvent =
  | { readonly type: 'mode'; readonly namespace: string; readonly mode: ProbeMode; readonly why: string }
  /** Once per pod: its ephemeral probe container stays in the pod spec until the pod is replaced. */
  | { readonly type: 'stays'; readonly pod: string; readonly container: string }
  | { readonly type: 'start'; readonly source: string; readonly count: number; readonly mode: ProbeMode }
  | { readonly type: 'done'; readonly source: string; readonly results: ReadonlyMap<number, ProbeObservation> }
  | { readonly type: 'listener'; readonly pod: string; readonly ip: string; readonly standsFor: string };

export interface RunnerOptions {
  readonly run: RunInfo;
  readonly mode: ProbeMode | 'auto';
  readonly timeoutMs: number;
  readonly retryDelayMs: number;
  /** Clone and listener pods: wait this long after they start before trusting the network plugin's rules. */
  readonly settleMs: number;
  /** activeDeadlineSeconds of clone and listener pods (default: from the connections they run). */
  readonly podDeadlineMs?: number;
  readonly concurrency: number;
  readonly pollMs: number;
  /** The command line, recorded in the run's ConfigMap. */
  readonly command: string;
  readonly kubectlFlags: readonly string[];
  readonly signal: AbortSignal;
  readonly onEvent: (e: ProbeEvent) => void;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal.aborted) return resolve();
    const onAbort = () => {
      clearTimeout(t);
      resolve();
    };
    const t = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });

const podRequest = (namespace: string, name?: string) => ({ group: '', version: 'v1', resource: 'pods', namespace, ...(name ? { name } : {}) });
const srcKey = (s: SourcePod) => `${s.namespace}/${s.name}`;

/** How long one container may take: settle, its batches of connections (each maybe retried), and room for scheduling and an image pull. */
export function containerBudgetMs(count: number, o: Pick<RunnerOptions, 'timeoutMs' | 'retryDelayMs' | 'settleMs'>, settle: boolean): number {
  const batches = Math.ceil(count / IN_CONTAINER_PARALLEL);
  return (settle ? o.settleMs : 0) + batches * (2 * o.timeoutMs + o.retryDelayMs + 500) + 90_000;
}

export class ProbeRunner {
  private readonly modes = new Map<string, ProbeMode>();
  private readonly owners = new Map<string, Promise<OwnerInfo>>();
  private cloneIndex = 0;

  constructor(
    private readonly client: ApiClient,
    private readonly ledger: Ledger,
    private readonly o: RunnerOptions,
  ) {}

  /** Decides the mode of each namespace; throws a forbidden CliError naming the missing permissions when none is allowed. */
  async decideModes(namespaces: readonly string[], serveNamespaces: readonly string[]): Promise<void> {
    const problems: string[] = [];
    for (const ns of namespaces) {
      const d = await decideMode(this.client, this.o.mode, ns);
      if (d.mode) {
        this.modes.set(ns, d.mode);
        this.o.onEvent({ type: 'mode', namespace: ns, mode: d.mode, why: d.why });
      } else problems.push(`${d.why}: missing ${d.missing.map(canPhrase).join(', ')}`, ...d.missing.map((p) => `  check with: ${canILine(p, ns, this.o.kubectlFlags)}`));
    }
    for (const ns of serveNamespaces) {
      const d = await decideMode(this.client, 'clone', ns);
      if (!d.mode) problems.push(`--serve needs to create listener pods in namespace ${ns}: missing ${d.missing.map(canPhrase).join(', ')}`, ...d.missing.map((p) => `  check with: ${canILine(p, ns, this.o.kubectlFlags)}`));
    }
    if (problems.length > 0)
      throw new CliError('probing is not permitted: RBAC allows neither an ephemeral container in the source pod nor a clone pod', 'kubectl netpol probe --print-rbac prints a Role with what probing needs', ExitCode.forbidden, problems);
  }

  private deadlineSeconds(budgetMs: number): number {
    return Math.ceil((this.o.podDeadlineMs ?? budgetMs) / 1000);
  }

  modeOf(namespace: string): ProbeMode {
    return this.modes.get(namespace) ?? 'ephemeral';
  }

  /** The run's ConfigMap in a namespace (created once): controller owner of the clones and listeners there. */
  owner(namespace: string): Promise<OwnerInfo> {
    let p = this.owners.get(namespace);
    if (!p) {
      p = (async () => {
        const cm = runConfigMap(this.o.run, namespace, this.o.command);
        const name = (cm['metadata'] as { name: string }).name;
        const stored = (await this.client.create({ group: '', version: 'v1', resource: 'configmaps', namespace }, cm)) as { metadata?: { uid?: string } };
        this.ledger.add({ kind: 'ConfigMap', namespace, name });
        return { name, uid: stored?.metadata?.uid ?? '' };
      })();
      this.owners.set(namespace, p);
    }
    return p;
  }

  /** Starts the --serve listeners, waits until each has an IP and the network plugin had time to program it; returns the plan with their IPs. */
  async startListeners(plan: Plan): Promise<Plan> {
    const ips = new Map<string, string>();
    const failures = new Map<string, string>();
    await Promise.all(
      plan.listeners.map(async (l, i) => {
        const owner = await this.owner(l.namespace);
        const budget = containerBudgetMs(1, this.o, true);
        const pod = listenerPod(this.o.run, l.namespace, l.labels, l.standsFor, i, owner, l.ports, this.deadlineSeconds(budget + plan.probes.length * this.o.timeoutMs * 2 + 60_000));
        const name = (pod['metadata'] as { name: string }).name;
        await this.client.create(podRequest(l.namespace), pod);
        this.ledger.add({ kind: 'Pod', namespace: l.namespace, name });
        const deadline = Date.now() + budget;
        while (!this.o.signal.aborted && Date.now() < deadline) {
          const live = (await this.client.get({ ...podRequest(l.namespace, name), verb: 'get' })) as { status?: { podIP?: string; containerStatuses?: { state?: { running?: unknown; waiting?: { reason?: string } } }[] } };
          const statuses = live?.status?.containerStatuses ?? [];
          const bad = statuses.find((s) => s.state?.waiting?.reason && /Err|BackOff|Invalid/.test(s.state.waiting.reason));
          if (bad) {
            failures.set(l.key, `listener ${l.namespace}/${name} cannot start: ${bad.state!.waiting!.reason}`);
            return;
          }
          if (live?.status?.podIP && statuses.length > 0 && statuses.every((s) => s.state?.running)) {
            ips.set(l.key, live.status.podIP);
            this.o.onEvent({ type: 'listener', pod: `${l.namespace}/${name}`, ip: live.status.podIP, standsFor: l.standsFor });
            return;
          }
          await sleep(this.o.pollMs, this.o.signal);
        }
        failures.set(l.key, `listener ${l.namespace}/${name} did not start in time`);
      }),
    );
    // A new pod is unprotected until the network plugin has programmed it: wait before probing it.
    if (ips.size > 0) await sleep(this.o.settleMs, this.o.signal);
    const probes = plan.probes.map((p): PlannedProbe => {
      if (p.kind !== 'listener' || p.notRun) return p;
      const key = p.host.slice(listenerHost('').length);
      const ip = ips.get(key);
      return ip ? { ...p, host: ip } : { ...p, notRun: failures.get(key) ?? 'the listener did not start' };
    });
    return { ...plan, probes };
  }

  /** Runs every group of probes (one per source pod), at most `concurrency` at once. */
  async runAll(probes: readonly PlannedProbe[]): Promise<Map<number, ProbeObservation>> {
    const groups = new Map<string, { source: SourcePod; probes: PlannedProbe[] }>();
    for (const p of probes) {
      if (p.notRun || !p.source) continue;
      const k = srcKey(p.source);
      const g = groups.get(k) ?? { source: p.source, probes: [] };
      g.probes.push(p);
      groups.set(k, g);
    }
    const results = new Map<number, ProbeObservation>();
    const queue = [...groups.values()];
    const worker = async () => {
      for (let g = queue.shift(); g; g = queue.shift()) {
        const res = this.o.signal.aborted ? interrupted(g.probes, this.modeOf(g.source.namespace)) : await this.runGroup(g.source, g.probes);
        for (const [id, ob] of res) results.set(id, ob);
        this.o.onEvent({ type: 'done', source: srcKey(g.source), results: res });
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Math.min(this.o.concurrency, queue.length)) }, worker));
    return results;
  }

  private async runGroup(source: SourcePod, probes: PlannedProbe[]): Promise<Map<number, ProbeObservation>> {
    let mode = this.modeOf(source.namespace);
    const script = (settle: boolean) =>
      probeScript(
        probes.map((p): ScriptProbe => ({ id: p.id, host: p.host, port: p.port, protocol: p.protocol, expect: p.allowed === undefined ? '-' : p.allowed ? 'a' : 'd' })),
        { timeoutMs: this.o.timeoutMs, retryDelayMs: this.o.retryDelayMs, settleMs: settle ? this.o.settleMs : 0, parallel: IN_CONTAINER_PARALLEL },
      );
    try {
      if (mode === 'ephemeral') {
        const r = await this.runEphemeral(source, probes, script(false));
        if (r !== 'fallback') return r;
        mode = 'clone';
      }
      if (source.hostNetwork) return new Map(probes.map((p) => [p.id, { observed: 'not-run', detail: `${srcKey(source)} uses the host network: a clone would need hostNetwork, which Pod Security baseline forbids; probe it in ephemeral mode`, mode }]));
      return await this.runClone(source, probes, script(true));
    } catch (e) {
      if (this.o.signal.aborted) return interrupted(probes, mode);
      const msg = e instanceof ApiStatusError ? `${e.status}${e.reason ? ` ${e.reason}` : ''}: ${e.serverMessage ?? e.message}` : (e as Error).message;
      return new Map(probes.map((p) => [p.id, { observed: 'probe-error', detail: msg, mode }]));
    }
  }

  /** PATCH pods/NAME/ephemeralcontainers, then wait for the container's termination message. 'fallback' when RBAC or the cluster refuses ephemeral containers. */
  private async runEphemeral(source: SourcePod, probes: PlannedProbe[], script: string): Promise<Map<number, ProbeObservation> | 'fallback'> {
    const container = ephemeralContainer(this.o.run, script);
    const name = container['name'] as string;
    try {
      await this.client.patch({ ...podRequest(source.namespace, source.name), subresource: 'ephemeralcontainers' }, { spec: { ephemeralContainers: [container] } });
    } catch (e) {
      const podSecurity = e instanceof ApiStatusError && /PodSecurity/.test(e.serverMessage ?? '');
      const refused = e instanceof ApiStatusError && ((e.status === 403 && !podSecurity) || e.status === 404 || e.status === 405);
      if (refused && this.o.mode === 'auto' && !(e.status === 404 && /pods ".*" not found/.test(e.serverMessage ?? ''))) {
        this.o.onEvent({ type: 'mode', namespace: source.namespace, mode: 'clone', why: `falling back to a clone for ${srcKey(source)}: adding an ephemeral container was refused (${e.status}${e.serverMessage ? `: ${e.serverMessage}` : ''})` });
        return 'fallback';
      }
      throw e;
    }
    this.o.onEvent({ type: 'stays', pod: srcKey(source), container: name });
    this.o.onEvent({ type: 'start', source: srcKey(source), count: probes.length, mode: 'ephemeral' });
    const state = await this.waitFor(source.namespace, source.name, name, true, containerBudgetMs(probes.length, this.o, false));
    return observations(probes, state, 'ephemeral');
  }

  private async runClone(source: SourcePod, probes: PlannedProbe[], script: string): Promise<Map<number, ProbeObservation>> {
    const owner = await this.owner(source.namespace);
    const budget = containerBudgetMs(probes.length, this.o, true);
    const pod = clonePod(this.o.run, source, this.cloneIndex++, owner, script, this.deadlineSeconds(budget));
    const name = (pod['metadata'] as { name: string }).name;
    await this.client.create(podRequest(source.namespace), pod);
    const created = { kind: 'Pod' as const, namespace: source.namespace, name };
    this.ledger.add(created);
    this.o.onEvent({ type: 'start', source: srcKey(source), count: probes.length, mode: 'clone' });
    const state = await this.waitFor(source.namespace, name, 'probe', false, budget);
    // A finished clone goes at once; the run's ConfigMap (and the garbage collector) back this up.
    await this.ledger.remove(this.client, created).catch(() => undefined);
    return observations(probes, state, 'clone');
  }

  private async waitFor(namespace: string, pod: string, container: string, ephemeral: boolean, budgetMs: number): Promise<ContainerState> {
    const deadline = Date.now() + budgetMs;
    let state: ContainerState = { state: 'pending' };
    while (!this.o.signal.aborted && Date.now() < deadline) {
      let live: unknown;
      try {
        live = await this.client.get({ ...podRequest(namespace, pod), verb: 'get' });
      } catch (e) {
        if (e instanceof ApiStatusError && e.status === 404) return { state: 'failed', reason: `pod ${namespace}/${pod} disappeared` };
        throw e;
      }
      state = containerState(live, container, ephemeral);
      if (state.state === 'terminated' || state.state === 'failed') return state;
      await sleep(this.o.pollMs, this.o.signal);
    }
    return this.o.signal.aborted ? { state: 'failed', reason: 'interrupted' } : state;
  }
}

function interrupted(probes: readonly PlannedProbe[], mode: ProbeMode): Map<number, ProbeObservation> {
  return new Map(probes.map((p) => [p.id, { observed: 'not-run', detail: 'interrupted before it ran', mode }]));
}
