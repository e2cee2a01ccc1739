// From pod status to observations (pure): where a probe container stands, and what its termination
// message says about each connection.
import { parseProbeMessage } from './program.js';
import type { PlannedProbe, ProbeMode, ProbeObservation } from './types.js';

export type ContainerState =
  | { readonly state: 'pending' }
  | { readonly state: 'running' }
  | { readonly state: 'terminated'; readonly message: string; readonly reason?: string; readonly exitCode?: number }
  /** Will never run: image cannot be pulled, config error, pod failed or deleted. */
  | { readonly state: 'failed'; readonly reason: string };

/** Waiting reasons that will not resolve by themselves (the kubelet keeps retrying, but a probe should not wait for it). */
const FATAL_WAITING = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'ErrImageNeverPull', 'CreateContainerConfigError', 'CreateContainerError', 'RunContainerError']);

type Status = { name?: string; state?: { waiting?: { reason?: string; message?: string }; running?: unknown; terminated?: { message?: string; reason?: string; exitCode?: number } } };
type PodLike = { metadata?: { deletionTimestamp?: string }; status?: { phase?: string; reason?: string; message?: string; containerStatuses?: Status[]; ephemeralContainerStatuses?: Status[] } };

/** The state of container `name` in a pod read from the API (`ephemeral`: in ephemeralContainerStatuses). */
export function containerState(pod: unknown, name: string, ephemeral: boolean): ContainerState {
  const p = (pod ?? {}) as PodLike;
  const list = (ephemeral ? p.status?.ephemeralContainerStatuses : p.status?.containerStatuses) ?? [];
  const st = list.find((s) => s.name === name)?.state;
  if (st?.terminated) return { state: 'terminated', message: st.terminated.message ?? '', ...(st.terminated.reason ? { reason: st.terminated.reason } : {}), ...(st.terminated.exitCode !== undefined ? { exitCode: st.terminated.exitCode } : {}) };
  const w = st?.waiting;
  if (w?.reason && FATAL_WAITING.has(w.reason)) return { state: 'failed', reason: `${w.reason}${w.message ? `: ${w.message}` : ''}` };
  if (!ephemeral && (p.status?.phase === 'Failed' || p.status?.phase === 'Succeeded')) return { state: 'failed', reason: `pod ${p.status.phase}${p.status.reason ? ` (${p.status.reason}${p.status.message ? `: ${p.status.message}` : ''})` : ''} before the probe container reported` };
  if (p.metadata?.deletionTimestamp) return { state: 'failed', reason: 'the pod is being deleted' };
  if (st?.running) return { state: 'running' };
  return { state: 'pending' };
}

/** Observations for the probes of one container, from its final state. */
export function observations(probes: readonly PlannedProbe[], state: ContainerState, mode: ProbeMode): Map<number, ProbeObservation> {
  const out = new Map<number, ProbeObservation>();
  if (state.state === 'failed') {
    for (const p of probes) out.set(p.id, { observed: 'probe-error', detail: `the probe container did not run: ${state.reason}`, mode });
    return out;
  }
  if (state.state !== 'terminated') {
    for (const p of probes) out.set(p.id, { observed: 'probe-error', detail: 'no result: the probe container did not finish in time', mode });
    return out;
  }
  const parsed = parseProbeMessage(state.message);
  for (const p of probes) {
    const attempts = parsed.attempts.get(p.id) ?? [];
    const last = attempts[attempts.length - 1];
    if (!last) {
      const why = parsed.complete ? 'the probe program wrote no result for it' : `the probe container stopped before this connection ran (${state.reason ?? 'terminated'}${state.exitCode !== undefined ? `, exit code ${state.exitCode}` : ''})`;
      out.set(p.id, { observed: 'probe-error', detail: why, mode });
      continue;
    }
    const first = attempts[0]!;
    out.set(p.id, {
      observed: last.observed,
      latencyMs: last.latencyMs,
      ...(last.detail ? { detail: last.detail } : {}),
      ...(attempts.length > 1 ? { retried: true } : {}),
      ...(attempts.length > 1 && first.observed !== last.observed ? { firstAttempt: first.observed } : {}),
      mode,
    });
  }
  return out;
}
