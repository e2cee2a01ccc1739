// A live ClusterState that follows the cluster: the `all` read plan once, then watches of
// namespaces, pods, NetworkPolicies and the admin-tier kinds applied to the same Collector the
// reads filled (so the model is converted exactly as for every command), with a resync when a
// watch's resourceVersion expires. Used by the TUI.
import { dump } from 'js-yaml';

import type { CniReport } from '../../cni/detect.js';
import type { ClusterState } from '../../engine/model.js';
import { key } from './collector.js';
import { toCliError } from './errors.js';
import { LiveReader } from './reader.js';
import { ApiStatusError } from './request.js';
import { ADMIN_VERSIONS, RESOURCES, resourceRequest, type ResourceSpec } from './resources.js';
import { liveState, openLive, type LiveArgs, type LiveConnection, type LiveIO } from './source.js';
import { listVersion, ResourceWatch, type WatchEventType } from './watch.js';

export interface FeedUpdate {
  readonly state: ClusterState;
  readonly cni: CniReport;
  /** Resources whose events went into this update (empty for the first load and resyncs). */
  readonly changed: readonly string[];
}

export interface FeedHandlers {
  onUpdate(u: FeedUpdate): void;
  /** A one-line connection status (a dropped watch and when it retries); undefined when all is well. */
  onStatus(status: string | undefined): void;
}

/** What the live views follow. Services and workloads are read once (they do not change verdicts of pods shown). */
export const WATCHED: readonly ResourceSpec[] = [RESOURCES.namespaces, RESOURCES.pods, RESOURCES.networkpolicies, ...Object.values(ADMIN_VERSIONS).flat()];

/** Events within this window are applied as one update (a rollout is one redraw, not fifty). */
const BATCH_MS = 150;

export class LiveFeed {
  private reader: LiveReader | undefined;
  private watches: ResourceWatch[] = [];
  private pending = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private problems = new Map<string, string>();
  private closed = false;
  private resyncing: Promise<void> | undefined;
  /** Resources that could not be watched (403, not served): said once in the status line. */
  unwatched: string[] = [];

  private constructor(
    private readonly conn: LiveConnection,
    private readonly handlers: FeedHandlers,
    /** How long the server keeps each watch open before we resume it (NETPOL_WATCH_TIMEOUT_SECONDS; tests shorten it). */
    private readonly watchSeconds: number,
  ) {}

  /** Connects, reads everything once and starts the watches; resolves with the first state. */
  static async open(args: LiveArgs, io: LiveIO, handlers: FeedHandlers): Promise<{ feed: LiveFeed; first: FeedUpdate; namespace: string; context: string }> {
    const conn = await openLive(args, io, { maxSockets: 16 });
    const feed = new LiveFeed(conn, handlers, Number(io.env.NETPOL_WATCH_TIMEOUT_SECONDS) > 0 ? Number(io.env.NETPOL_WATCH_TIMEOUT_SECONDS) : 300);
    try {
      const first = await feed.sync();
      return { feed, first, namespace: conn.config.namespace, context: conn.config.contextName ?? conn.config.cluster.name };
    } catch (e) {
      conn.client.close();
      throw toCliError(e, conn.errCtx);
    }
  }

  /** Versions first, then the reads: events between the two are replayed, and replaying is idempotent. */
  private async sync(): Promise<FeedUpdate> {
    const client = this.conn.client;
    const versions = await Promise.all(
      WATCHED.map(async (spec) => {
        try {
          return { spec, rv: await listVersion(client, spec), ok: true };
        } catch (e) {
          if (e instanceof ApiStatusError && (e.status === 403 || e.status === 404)) return { spec, rv: undefined, ok: false, why: e.status === 403 ? 'forbidden' : 'not served' };
          throw e;
        }
      }),
    );
    const reader = new LiveReader(client, this.conn.config.namespace);
    await reader.load({ mode: 'all', services: false });
    for (const w of this.watches) w.stop();
    this.reader = reader;
    this.unwatched = versions.filter((v) => !v.ok && v.why === 'forbidden').map((v) => v.spec.resource);
    this.watches = versions
      .filter((v) => v.ok)
      .map((v) => new ResourceWatch(client, v.spec, v.rv, { onEvent: (s, t, o) => this.apply(s, t, o), onExpired: () => void this.resync(), onConnection: (s, p, r) => this.connection(s, p, r) }, this.watchSeconds));
    for (const w of this.watches) w.start();
    return { ...liveState(reader), changed: [] };
  }

  private resync(): Promise<void> {
    this.resyncing ??= this.sync()
      .then((u) => this.handlers.onUpdate(u))
      .catch((e: unknown) => this.handlers.onStatus(`resync failed: ${(e as Error).message}`))
      .finally(() => (this.resyncing = undefined));
    return this.resyncing;
  }

  private apply(spec: ResourceSpec, type: WatchEventType, obj: unknown): void {
    const c = this.reader?.collected;
    if (!c || this.closed) return;
    if (type === 'DELETED') {
      const m = (obj as { metadata?: { name?: string; namespace?: string } }).metadata ?? {};
      const name = m.name ?? '';
      if (spec === RESOURCES.namespaces) c.namespaces.delete(name);
      else if (spec === RESOURCES.pods) c.pods.delete(key(m.namespace ?? '', name));
      else if (spec === RESOURCES.networkpolicies) c.netpols.delete(key(m.namespace ?? '', name));
      else c.admins.delete(key(spec.kind, name));
    } else c.add(spec.kind, obj);
    this.pending.add(spec.resource);
    this.timer ??= setTimeout(() => this.flush(), BATCH_MS);
  }

  private flush(): void {
    this.timer = undefined;
    if (!this.reader || this.closed) return;
    const changed = [...this.pending].sort();
    this.pending.clear();
    this.handlers.onUpdate({ ...liveState(this.reader), changed });
  }

  private connection(spec: ResourceSpec, problem: string | undefined, retryInMs?: number): void {
    if (problem === undefined) this.problems.delete(spec.resource);
    else this.problems.set(spec.resource, `watch of ${spec.resource} dropped (${problem}); reconnecting in ${((retryInMs ?? 0) / 1000).toFixed(1)} s`);
    const first = [...this.problems.values()][0];
    this.handlers.onStatus(first === undefined ? undefined : `${first}${this.problems.size > 1 ? ` (+${this.problems.size - 1} more)` : ''}`);
  }

  /** The object as the API server has it now, as YAML (managedFields left out, as kubectl does). */
  async yaml(spec: ResourceSpec, namespace: string | undefined, name: string): Promise<string> {
    const obj = (await this.conn.client.get(resourceRequest(spec, 'get', namespace, name))) as { metadata?: Record<string, unknown> };
    if (obj?.metadata) delete obj.metadata['managedFields'];
    return dump(obj, { noRefs: true, lineWidth: -1 });
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const w of this.watches) w.stop();
    this.conn.client.close();
  }
}
