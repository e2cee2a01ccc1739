// The TUI's live source: the watched cluster state of src/sources/live/live-feed.ts as snapshots.
import type { CniReport } from '../cni/detect.js';
import type { ClusterState } from '../engine/model.js';
import { LiveFeed, type FeedUpdate } from '../sources/live/live-feed.js';
import { ADMIN_VERSIONS, RESOURCES, type ResourceSpec } from '../sources/live/resources.js';
import type { LiveArgs, LiveIO } from '../sources/live/source.js';
import { SourceHub, type TuiSource } from './source.js';

/** The API resource of an admin-tier kind (the versions this build reads). */
const adminSpec = (kind: string): ResourceSpec => Object.values(ADMIN_VERSIONS).flat().find((r) => r.kind === kind)!;

/** The banner carries the CNI warning in full: there is no --verbose to ask for it in the TUI. */
function withCniWarning(u: FeedUpdate): ClusterState {
  const warning = u.cni.warning;
  if (!warning) return u.state;
  return { ...u.state, limitations: (u.state.limitations ?? []).map((l) => (l.id.startsWith('cni-') ? { ...l, message: warning } : l)) };
}

/** The live source, plus what the probe action needs to judge its results: the network plugin seen last. */
export interface LiveTuiSource extends TuiSource {
  readonly mode: 'live';
  cni(): CniReport;
}

export async function liveSource(args: LiveArgs, io: LiveIO): Promise<LiveTuiSource> {
  let hub: SourceHub | undefined;
  let cni: CniReport | undefined;
  const early: (() => void)[] = [];
  const { feed, first, namespace, context } = await LiveFeed.open(args, io, {
    onUpdate: (u) => {
      cni = u.cni;
      if (hub) hub.publish(withCniWarning(u), u.changed);
      else early.push(() => hub!.publish(withCniWarning(u), u.changed));
    },
    onStatus: (s) => (hub ? hub.status(s) : early.push(() => hub!.status(s))),
  });
  hub = new SourceHub(withCniWarning(first));
  cni ??= first.cni;
  for (const f of early) f();
  if (feed.unwatched.length > 0) hub.status(`not watched (forbidden): ${feed.unwatched.join(', ')}; the view does not follow them`);
  return {
    mode: 'live',
    title: `context ${context}`,
    namespace,
    snapshot: () => hub!.snapshot(),
    subscribe: (l) => hub!.subscribe(l),
    yaml: (t) => (t.kind === 'NetworkPolicy' ? feed.yaml(RESOURCES.networkpolicies, t.policy.namespace, t.policy.name) : feed.yaml(adminSpec(t.policy.kind), undefined, t.policy.name)),
    cni: () => cni!,
    close: () => feed.close(),
  };
}
