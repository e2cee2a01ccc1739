// Probe vocabulary shared by the plan, the runners, classification and the renderers.
import type { Protocol } from '../engine/model.js';
import type { Verdict } from '../engine/trace.js';

/**
 * What one real connection attempt did. agnhost `connect` (upstream e2e's client) tells these apart:
 * exit 0 = connected; stderr TIMEOUT / REFUSED / DNS / OTHER. `probe-error` is everything that is
 * not a network answer (OTHER, UNKNOWN, the probe container or pod failing); `not-run` means no
 * connection was attempted (with a reason).
 * UDP has no handshake: agnhost counts a UDP probe as connected only when the server answers, so a
 * UDP `timeout` means "no answer" (dropped, or a server that does not reply), and ICMP port
 * unreachable shows as `refused`.
 */
export type ProbeClass = 'connected' | 'refused' | 'timeout' | 'dns-failure' | 'probe-error' | 'not-run';

export const PROBE_CLASSES: readonly ProbeClass[] = ['connected', 'refused', 'timeout', 'dns-failure', 'probe-error', 'not-run'];

/** How a probe originates: from the source pod itself, or from a throw-away clone of it. */
export type ProbeMode = 'ephemeral' | 'clone';

/** A pod that probes originate from (ephemeral mode) or that a clone copies (clone mode). */
export interface SourcePod {
  readonly namespace: string;
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly serviceAccount?: string;
  readonly hostNetwork: boolean;
  readonly nodeName?: string;
}

/**
 * One connection to attempt. `id` is its index in the run, which is also how its line in the probe
 * container's termination message is found again.
 */
export interface PlannedProbe {
  readonly id: number;
  /** The user's question this probe answers (index into the run's requests / flows). */
  readonly request: number;
  /** Labels as in explain/check output (`ns/pod`, `svc/api:80 (ClusterIP 10.96.0.10)`, an IP). */
  readonly from: string;
  readonly to: string;
  readonly source?: SourcePod;
  /** Address or DNS name the connection goes to, and the port on it. */
  readonly host: string;
  readonly port: number;
  readonly protocol: Protocol;
  /** The port as the user wrote it (`http`), when that was a name. */
  readonly portName?: string;
  /** The model's verdict; absent when the model cannot decide (a DNS name, a ClusterIP over mixed backends). */
  readonly verdict?: Verdict;
  /** The model's expectation (all backends of a ClusterIP probe, or the verdict's). Undefined = no model answer. */
  readonly allowed?: boolean;
  readonly kind: 'pod' | 'clusterIP' | 'node' | 'outside' | 'dns' | 'listener';
  /** Facts about the destination that explain mismatches. */
  readonly dest: DestinationFacts;
  /** Set when no connection will be attempted, with why. */
  readonly notRun?: string;
}

export interface DestinationFacts {
  /** Destination pod (namespace/name) when it is a pod. */
  readonly pod?: string;
  readonly hostNetwork?: boolean;
  /** Sidecar containers of a service mesh found in the source or destination pod. */
  readonly meshSidecars?: readonly string[];
  /** The destination pod declares this port among its container ports. */
  readonly declaresPort?: boolean;
  /** A Service backend set whose verdicts differ (ClusterIP probes): which backends the model allows. */
  readonly backendsAllowed?: readonly string[];
  readonly backendsDenied?: readonly string[];
}

/** What came back for one probe: the final class, and the first attempt's when it was retried. */
export interface ProbeObservation {
  readonly observed: ProbeClass;
  readonly latencyMs?: number;
  /** The probe program's own words (OTHER: ..., the container's reason). */
  readonly detail?: string;
  /** The probe was retried once after its first attempt contradicted the model (policy programming delay). */
  readonly retried?: boolean;
  /** The first attempt's class, when the retry came out differently. */
  readonly firstAttempt?: ProbeClass;
  /** How the probe ran (the mode actually used for its source). */
  readonly mode?: ProbeMode;
}

/** A probe with its observation, the comparison with the model, and a command to reproduce it. */
export interface ProbeOutcome {
  readonly probe: PlannedProbe;
  readonly observation: ProbeObservation;
  /** undefined: nothing to compare (not run, or the model cannot decide). */
  readonly match?: boolean;
  /** Stable id of the explanation (tests assert on it), and its text. */
  readonly explanationId: string;
  readonly explanation: string;
  readonly reproduce?: string;
}
