// Watches of API resources over the project's own HTTP client (same kubeconfig auth, TLS, proxy and
// exec plugin handling as every read): newline-delimited JSON events, resumed from the last
// resourceVersion after a dropped connection, and a resync request when the server says that
// version is gone (410 Expired), as client-go's reflector does.
import type http from 'node:http';

import type { ApiClient } from './client.js';
import { ApiStatusError } from './request.js';
import { resourceRequest, type ResourceSpec } from './resources.js';

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface WatchHandlers {
  onEvent(spec: ResourceSpec, type: WatchEventType, object: unknown): void;
  /** The resourceVersion expired (410): the caller must list again and restart the watch. */
  onExpired(spec: ResourceSpec): void;
  /** The connection dropped (`retryInMs`) or is back (`undefined`). */
  onConnection(spec: ResourceSpec, problem: string | undefined, retryInMs?: number): void;
}

/** The resourceVersion of a list right now (one item fetched): where a watch starts. */
export async function listVersion(client: ApiClient, spec: ResourceSpec): Promise<string | undefined> {
  const page = (await client.get(resourceRequest(spec, 'list', undefined, undefined, { limit: '1' }))) as { metadata?: { resourceVersion?: unknown } };
  const rv = page?.metadata?.resourceVersion;
  return typeof rv === 'string' && rv !== '' ? rv : undefined;
}

/** Backoff after a dropped watch: 0.5 s doubling to 8 s, reset once events flow again. */
export const RETRY_MS = [500, 1000, 2000, 4000, 8000] as const;

/** One resource's watch, cluster-wide. `stop()` ends it for good. */
export class ResourceWatch {
  private response: http.IncomingMessage | undefined;
  private stopped = false;
  private failures = 0;
  private timer: NodeJS.Timeout | undefined;
  private events = 0;
  private serverError: string | undefined;

  constructor(
    private readonly client: ApiClient,
    readonly spec: ResourceSpec,
    private resourceVersion: string | undefined,
    private readonly handlers: WatchHandlers,
    /** Server-side watch length; the server then ends the stream and we resume (as kubectl does). */
    private readonly timeoutSeconds = 300,
  ) {}

  start(): void {
    void this.run();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.response?.destroy();
  }

  private async run(): Promise<void> {
    while (!this.stopped) {
      let problem: string | undefined;
      try {
        const query = { watch: '1', allowWatchBookmarks: 'true', timeoutSeconds: String(this.timeoutSeconds), ...(this.resourceVersion ? { resourceVersion: this.resourceVersion } : {}) };
        const res = await this.client.openStream(resourceRequest(this.spec, 'list', undefined, undefined, query));
        if (this.stopped) {
          res.destroy();
          return;
        }
        this.response = res;
        if (this.failures > 0) this.handlers.onConnection(this.spec, undefined);
        const opened = Date.now();
        this.events = 0;
        this.serverError = undefined;
        const expired = await this.read(res);
        this.response = undefined;
        if (this.stopped) return;
        if (expired) {
          this.handlers.onExpired(this.spec);
          return; // the owner lists again and starts a new watch
        }
        // The server ended the watch (timeoutSeconds): resume from the last version at once. A
        // watch that ends at once with nothing in it (or with an ERROR event) backs off instead.
        if (this.serverError === undefined && (this.events > 0 || Date.now() - opened > 1000)) continue;
        problem = this.serverError ?? 'the server ended the watch at once';
      } catch (e) {
        if (this.stopped) return;
        if (e instanceof ApiStatusError && e.status === 410) {
          this.handlers.onExpired(this.spec);
          return;
        }
        problem = (e as Error).message;
      }
      const wait = RETRY_MS[Math.min(this.failures, RETRY_MS.length - 1)]!;
      this.failures++;
      this.handlers.onConnection(this.spec, problem, wait);
      await new Promise<void>((resolve) => (this.timer = setTimeout(resolve, wait)));
    }
  }

  /** Reads events until the stream ends; resolves to true when the server reported 410 Expired. */
  private read(res: http.IncomingMessage): Promise<boolean> {
    return new Promise((resolve, reject) => {
      let buffer = '';
      let expired = false;
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl).trim();
          buffer = buffer.slice(nl + 1);
          if (line === '') continue;
          if (this.handle(line)) {
            expired = true;
            res.destroy();
          }
        }
      });
      res.on('end', () => resolve(expired));
      res.on('close', () => resolve(expired));
      res.on('error', (e) => (expired || this.stopped ? resolve(expired) : reject(e)));
    });
  }

  /** One event line; true when it is a 410 ERROR event. */
  private handle(line: string): boolean {
    let event: { type?: string; object?: { code?: number; message?: string; metadata?: { resourceVersion?: string } } };
    try {
      event = JSON.parse(line);
    } catch {
      return false;
    }
    const rv = event.object?.metadata?.resourceVersion;
    if (event.type === 'ERROR') {
      if (event.object?.code === 410) return true;
      this.serverError = `the server sent an error: ${event.object?.message ?? `code ${event.object?.code}`}`;
      return false;
    }
    this.events++;
    if (typeof rv === 'string' && rv) this.resourceVersion = rv;
    this.failures = 0;
    if (event.type === 'ADDED' || event.type === 'MODIFIED' || event.type === 'DELETED') this.handlers.onEvent(this.spec, event.type, event.object);
    return false;
  }
}
