// The TUI's live source: the watched cluster state of src/sources/live/live-feed.ts as snapshots.
import { LiveFeed } from '../sources/live/live-feed.js';
import { RESOURCES } from '../sources/live/resources.js';
import type { LiveArgs, LiveIO } from '../sources/live/source.js';
import { SourceHub, type TuiSource } from './source.js';

export async function liveSource(args: LiveArgs, io: LiveIO): Promise<TuiSource> {
  let hub: SourceHub | undefined;
  const early: (() => void)[] = [];
  const { feed, first, namespace, context } = await LiveFeed.open(args, io, {
    onUpdate: (u) => (hub ? hub.publish(u.state, u.changed) : early.push(() => hub!.publish(u.state, u.changed))),
    onStatus: (s) => (hub ? hub.status(s) : early.push(() => hub!.status(s))),
  });
  hub = new SourceHub(first.state);
  for (const f of early) f();
  if (feed.unwatched.length > 0) hub.status(`not watched (forbidden): ${feed.unwatched.join(', ')}; the view does not follow them`);
  return {
    mode: 'live',
    title: `context ${context}`,
    namespace,
    snapshot: () => hub!.snapshot(),
    subscribe: (l) => hub!.subscribe(l),
    yaml: (t) => feed.yaml(RESOURCES.networkpolicies, t.policy.namespace, t.policy.name),
    close: () => feed.close(),
  };
}
