// Where the TUI's data comes from: manifests (-f, static, `r` re-reads them) or the live cluster
// (watched). Both publish snapshots (a ClusterIndex plus banners) to the app through a SourceHub.
import { readFile } from 'node:fs/promises';
import { dump } from 'js-yaml';

import { ClusterIndex } from '../engine/cluster-index.js';
import type { AdminPolicy, ClusterState, NetworkPolicy, SourceRef } from '../engine/model.js';
import { CliError } from '../errors.js';
import { parseManifest } from '../sources/files/parse.js';
import { loadFromFiles, type FilesIO } from '../sources/files/source.js';

export interface TuiSnapshot {
  readonly index: ClusterIndex;
  /** Limitations and the CNI warning: what qualifies every verdict on screen. */
  readonly banners: readonly string[];
  /** Increases with every update; `changed` says what the update was about. */
  readonly version: number;
  readonly changed: readonly string[];
  /** Date.now() of the update. */
  readonly at: number;
}

export interface SourceEvent {
  readonly snapshot?: TuiSnapshot;
  /** A status line (a dropped watch, a failed reload); undefined clears it. */
  readonly status?: string | undefined;
}

/** An object the YAML view can show. */
export type YamlTarget = { readonly kind: 'NetworkPolicy'; readonly policy: NetworkPolicy } | { readonly kind: 'admin'; readonly policy: AdminPolicy };

export interface TuiSource {
  readonly mode: 'live' | 'files';
  /** Where the data comes from: the kubeconfig context, or the -f paths. */
  readonly title: string;
  /** Namespace for references without one (-n, else the context's). */
  readonly namespace: string;
  snapshot(): TuiSnapshot;
  subscribe(listener: (e: SourceEvent) => void): () => void;
  /** -f only: read the files again. */
  reload?(): Promise<void>;
  yaml(target: YamlTarget): Promise<string>;
  close(): void;
}

/** Holds the latest snapshot and fans events out to the app. */
export class SourceHub {
  private listeners = new Set<(e: SourceEvent) => void>();
  private current: TuiSnapshot;
  /** The last status, replayed to a late subscriber (the app subscribes after its first frame). */
  private lastStatus: string | undefined;

  constructor(state: ClusterState, private readonly extraBanners: readonly string[] = []) {
    this.current = this.make(state, 1, []);
  }

  private make(state: ClusterState, version: number, changed: readonly string[]): TuiSnapshot {
    return { index: new ClusterIndex(state), banners: [...this.extraBanners, ...(state.limitations ?? []).map((l) => l.message)], version, changed, at: Date.now() };
  }

  snapshot(): TuiSnapshot {
    return this.current;
  }

  publish(state: ClusterState, changed: readonly string[]): void {
    this.current = this.make(state, this.current.version + 1, changed);
    for (const l of this.listeners) l({ snapshot: this.current });
  }

  status(status: string | undefined): void {
    this.lastStatus = status;
    for (const l of this.listeners) l({ status });
  }

  subscribe(listener: (e: SourceEvent) => void): () => void {
    this.listeners.add(listener);
    if (this.lastStatus !== undefined) listener({ status: this.lastStatus });
    return () => this.listeners.delete(listener);
  }
}

/** Shown with -f: manifests say nothing about the network plugin. */
export const FILES_CNI_BANNER = 'network plugin unknown (-f): verdicts assume it enforces NetworkPolicy';

/** The document a model object came from, re-read from its file (so `y` shows it as written). */
async function documentYaml(source: SourceRef | undefined, kind: string, namespace: string | undefined, name: string): Promise<string> {
  if (!source?.file || source.documentIndex === undefined || source.file === '<stdin>') return `# ${kind} ${name}: the YAML is not available (${source?.file === '<stdin>' ? 'read from stdin' : 'no file recorded'})\n`;
  const parsed = parseManifest(await readFile(source.file, 'utf8'), source.file);
  const doc = parsed.documents.find((d) => d.index === source.documentIndex)?.value as Record<string, unknown> | undefined;
  const same = (o: unknown) => {
    const m = (o as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } } | undefined) ?? {};
    return m.kind === kind && m.metadata?.name === name && (m.metadata?.namespace === undefined || namespace === undefined || m.metadata.namespace === namespace);
  };
  const found = same(doc) ? doc : (Array.isArray(doc?.['items']) ? (doc['items'] as unknown[]) : []).find(same);
  if (!found) return `# ${kind} ${name}: not found in ${source.file} (document ${source.documentIndex + 1}); the file changed since it was read (r reloads)\n`;
  return `# ${source.file} (document ${source.documentIndex + 1})\n${dump(found, { noRefs: true, lineWidth: -1 })}`;
}

export async function filesSource(paths: readonly string[], namespace: string, io: FilesIO): Promise<TuiSource> {
  const hub = new SourceHub(await loadFromFiles(paths, namespace, io), [FILES_CNI_BANNER]);
  return {
    mode: 'files',
    title: `-f ${paths.join(',')}`,
    namespace,
    snapshot: () => hub.snapshot(),
    subscribe: (l) => hub.subscribe(l),
    async reload() {
      const warnings: string[] = [];
      try {
        // Warnings would scribble over the screen: they go to the status line instead.
        const state = await loadFromFiles(paths, namespace, { stderr: { write: (s: string) => warnings.push(s.trim()) }, readStdin: io.readStdin });
        hub.publish(state, ['files']);
        hub.status(warnings.length > 0 ? `${warnings.length} warning${warnings.length > 1 ? 's' : ''}: ${warnings[0]}` : undefined);
      } catch (e) {
        const detail = e instanceof CliError && e.details.length > 0 ? `: ${e.details[0]}` : '';
        hub.status(`reload failed, showing the previous data: ${(e as Error).message}${detail}`);
      }
    },
    yaml: (t) => (t.kind === 'NetworkPolicy' ? documentYaml(t.policy.source, 'NetworkPolicy', t.policy.namespace, t.policy.name) : documentYaml(t.policy.source, t.policy.kind, undefined, t.policy.name)),
    close() {},
  };
}

/** A source over a fixed state (tests, benchmarks); `hub` lets the caller publish updates. */
export function stateSource(state: ClusterState, opts: { mode?: 'live' | 'files'; namespace?: string; yaml?: (t: YamlTarget) => Promise<string> } = {}): TuiSource & { hub: SourceHub } {
  const hub = new SourceHub(state);
  return {
    hub,
    mode: opts.mode ?? 'files',
    title: 'test',
    namespace: opts.namespace ?? 'default',
    snapshot: () => hub.snapshot(),
    subscribe: (l) => hub.subscribe(l),
    ...(opts.mode === 'live' ? {} : { reload: async () => hub.publish(state, ['files']) }),
    yaml: opts.yaml ?? (async (t) => `# ${t.policy.name}\n`),
    close() {},
  };
}
