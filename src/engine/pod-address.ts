// Which pods hold the address they report: a finished pod (phase Succeeded or Failed) keeps its
// status.podIP in the API although the IP has been released (and may already belong to a new pod),
// and a pod whose status is known but has no IP yet (Pending, not started) holds none.
import type { PodInfo } from './model.js';

/** Why a pod holds no address; undefined when it does (or stands for a pod that would: templates, specs). */
export type InactiveReason = 'finished' | 'no-ip';

/**
 * - `finished`: phase Succeeded or Failed. Kubernetes keeps status.podIP(s) on finished pods
 *   (Job pods linger until deleted) while the network plugin hands the IP to the next pod.
 * - `no-ip`: the pod reports a phase but no IP (scheduled or starting, or never will be).
 * Pod templates and pods without any status (manifests written by hand) stand for pods as they
 * will run, so they count as active, as they always have.
 */
export function inactiveReason(pod: PodInfo): InactiveReason | undefined {
  if (pod.template) return undefined;
  if (pod.phase === 'Succeeded' || pod.phase === 'Failed') return 'finished';
  if (pod.phase !== undefined && pod.ips.length === 0) return 'no-ip';
  return undefined;
}

/** A pod that can be reached at, and connect from, an address: a matrix row, a workload's or Service's member. */
export const isActivePod = (pod: PodInfo): boolean => inactiveReason(pod) === undefined;

/** What a reader should know when an inactive pod is named explicitly (its labels still answer "what if"). */
export function inactiveNote(pod: PodInfo, label: string): string | undefined {
  const why = inactiveReason(pod);
  if (why === 'finished')
    return `pod ${label} is ${pod.phase}: a finished pod holds no address${pod.ips.length > 0 ? ` (${pod.ips.join(', ')} may belong to another pod now)` : ''}; the verdict is for a pod with its labels`;
  if (why === 'no-ip') return `pod ${label} has no IP yet (phase ${pod.phase}): the verdict is for a pod with its labels, and ipBlock rules cannot match it`;
  return undefined;
}
