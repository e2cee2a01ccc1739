// Removing what probe runs create: this run's objects (on success, failure, Ctrl-C, SIGTERM), and
// `probe --cleanup`, which deletes leftovers of earlier runs. Both delete only objects that carry the
// run label AND the creation annotation; ephemeral containers cannot be removed by anyone.
import type { ApiClient } from '../sources/live/client.js';
import { ApiStatusError, type ApiRequest } from '../sources/live/request.js';
import { CREATED_AT_ANNOTATION, isProbeObject, RUN_LABEL } from './objects.js';

export interface CreatedObject {
  readonly kind: 'Pod' | 'ConfigMap';
  readonly namespace: string;
  readonly name: string;
}

const resourceOf = (kind: CreatedObject['kind']) => (kind === 'Pod' ? 'pods' : 'configmaps');
const reqOf = (o: CreatedObject): Omit<ApiRequest, 'verb'> => ({ group: '', version: 'v1', resource: resourceOf(o.kind), namespace: o.namespace, name: o.name });

/** Everything this run created, in creation order; deleted in reverse (pods before their owner ConfigMap). */
export class Ledger {
  private readonly objects: CreatedObject[] = [];
  private readonly gone = new Set<string>();

  add(o: CreatedObject): void {
    this.objects.push(o);
  }

  /** How many objects this run created. */
  get created(): number {
    return this.objects.length;
  }

  get pending(): readonly CreatedObject[] {
    return this.objects.filter((o) => !this.gone.has(key(o)));
  }

  /** Deletes one object now (a finished clone) and forgets it. */
  async remove(client: ApiClient, o: CreatedObject): Promise<void> {
    await deleteObject(client, o);
    this.gone.add(key(o));
  }

  /** Deletes every pending object; waits up to `waitMs` for everything deleted in this run to be gone. Returns what failed. */
  async removeAll(client: ApiClient, waitMs: number): Promise<{ deleted: CreatedObject[]; failed: { object: CreatedObject; error: string }[] }> {
    const deleted: CreatedObject[] = [];
    const failed: { object: CreatedObject; error: string }[] = [];
    for (const o of [...this.pending].reverse()) {
      try {
        await deleteObject(client, o);
        this.gone.add(key(o));
        deleted.push(o);
      } catch (e) {
        failed.push({ object: o, error: (e as Error).message });
      }
    }
    // Objects removed earlier in the run (finished clones) count too: the run is over only when they are gone.
    await waitGone(client, this.objects.filter((o) => this.gone.has(key(o))), waitMs);
    return { deleted, failed };
  }
}

const key = (o: CreatedObject) => `${o.kind}/${o.namespace}/${o.name}`;

async function deleteObject(client: ApiClient, o: CreatedObject): Promise<boolean> {
  // Pods get one second of grace (their termination grace period); the ConfigMap takes its dependents with it.
  return client.delete(reqOf(o), o.kind === 'Pod' ? { gracePeriodSeconds: 1, propagationPolicy: 'Background' } : { propagationPolicy: 'Background' });
}

/** Polls until every object returns 404, or the time is up. */
export async function waitGone(client: ApiClient, objects: readonly CreatedObject[], waitMs: number): Promise<CreatedObject[]> {
  const deadline = Date.now() + waitMs;
  let left = [...objects];
  while (left.length > 0 && Date.now() < deadline) {
    const still = await Promise.all(left.map(async (o) => ((await exists(client, o)) ? o : undefined)));
    left = still.filter((o): o is CreatedObject => o !== undefined);
    if (left.length > 0) await new Promise((r) => setTimeout(r, 200));
  }
  return left;
}

async function exists(client: ApiClient, o: CreatedObject): Promise<boolean> {
  try {
    await client.get({ ...reqOf(o), verb: 'get' });
    return true;
  } catch (e) {
    if (e instanceof ApiStatusError && e.status === 404) return false;
    // Allowed to delete but not to read (a narrow Role): the DELETE was accepted; nothing more to learn.
    if (e instanceof ApiStatusError && e.status === 403) return false;
    throw e;
  }
}

export interface Leftover extends CreatedObject {
  readonly run: string;
  readonly createdAt?: string;
}

type Meta = { metadata?: { name?: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> } };

/** Which listed objects cleanup may delete (pure): the run label AND the creation annotation, nothing else. */
export function selectLeftovers(kind: CreatedObject['kind'], items: readonly unknown[]): Leftover[] {
  const out: Leftover[] = [];
  for (const item of items as Meta[]) {
    if (!isProbeObject(item)) continue;
    const m = item.metadata!;
    if (!m.name || !m.namespace) continue;
    const createdAt = m.annotations?.[CREATED_AT_ANNOTATION];
    out.push({ kind, namespace: m.namespace, name: m.name, run: m.labels![RUN_LABEL]!, ...(createdAt ? { createdAt } : {}) });
  }
  return out;
}

/** Lists objects with the run label (in one namespace, or all) and returns those cleanup may delete. */
export async function findLeftovers(client: ApiClient, namespace: string | undefined): Promise<Leftover[]> {
  const out: Leftover[] = [];
  for (const kind of ['Pod', 'ConfigMap'] as const) {
    const items: unknown[] = [];
    await client.list({ verb: 'list', group: '', version: 'v1', resource: resourceOf(kind), ...(namespace ? { namespace } : {}), query: { labelSelector: RUN_LABEL } }, (page) => items.push(...page));
    out.push(...selectLeftovers(kind, items));
  }
  return out;
}

/** `probe --cleanup`: deletes the leftovers (pods first), waits for them to go, and says what it removed. */
export async function cleanupLeftovers(client: ApiClient, namespace: string | undefined, waitMs = 15_000): Promise<{ removed: Leftover[]; stillThere: CreatedObject[] }> {
  const found = await findLeftovers(client, namespace);
  const ordered = [...found.filter((o) => o.kind === 'Pod'), ...found.filter((o) => o.kind === 'ConfigMap')];
  const removed: Leftover[] = [];
  for (const o of ordered) if (await deleteObject(client, o)) removed.push(o);
  const stillThere = await waitGone(client, removed, waitMs);
  return { removed, stillThere };
}
