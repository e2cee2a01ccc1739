// Glue every command shares: load cluster state (files or live), parse common flags, style output.
import { ClusterIndex, type ClusterState } from '../../src/engine/index.js';
import { isPortName } from '../../src/engine/ports.js';
import { CliError, ExitCode } from '../../src/errors.js';
import { colorEnabled, makeStyle, type Style } from '../../src/render/style.js';
import { loadFromFiles } from '../../src/sources/files/source.js';
import type { CommandIO } from '../io.js';
import type { GlobalOptions } from '../options.js';

export interface Loaded {
  readonly state: ClusterState;
  readonly index: ClusterIndex;
  /** Namespace for references without one: -n, else the context's, else "default". */
  readonly namespace: string;
}

/** What a command needs, so the live source can fetch only that (explain: two endpoints). */
export interface Needs {
  readonly endpoints?: readonly string[];
  readonly namespaces?: readonly string[] | 'all';
  /** Files that are input but not manifests (check's flows file): skipped when a -f directory holds them. */
  readonly skipFiles?: readonly string[];
}

export async function loadForCommand(args: GlobalOptions, io: CommandIO, needs: Needs): Promise<Loaded> {
  if (args.filename && args.filename.length > 0) {
    const namespace = args.namespace ?? 'default';
    const state = await loadFromFiles(args.filename, namespace, io, needs.skipFiles);
    return { state, index: new ClusterIndex(state), namespace };
  }
  const live = await import('../../src/sources/live/source.js');
  const { state, namespace } = await live.loadLive(args, needs, io);
  return { state, index: new ClusterIndex(state), namespace };
}

/**
 * The index verified fixes are computed on. Their collateral effect (every other connection a change
 * opens) must be counted over the whole cluster, so a live read that fetched only what the verdict
 * needed (explain, a small check) is repeated cluster-wide; manifests are already complete.
 */
export async function indexForSuggestions(args: GlobalOptions, io: CommandIO, loaded: Loaded, needs: Needs): Promise<ClusterIndex | undefined> {
  if (args.filename && args.filename.length > 0) return loaded.index;
  const live = await import('../../src/sources/live/source.js');
  if (live.planFor(needs, loaded.namespace).mode === 'all') return loaded.index;
  // Diagnostics were already written by the first read.
  const quiet: CommandIO = { ...io, stderr: { write: () => true } };
  try {
    const { state } = await live.loadLive(args, { namespaces: 'all' }, quiet);
    return new ClusterIndex(state);
  } catch (e) {
    // The verdict stands; only the fix is left out (an unverified one is never printed).
    io.stderr.write(`note: no fix is suggested: verifying one needs a cluster-wide read, which failed: ${(e as Error).message}\n`);
    return undefined;
  }
}

export function styleFor(args: GlobalOptions, io: CommandIO): Style {
  return makeStyle(colorEnabled(args.color, io.stdout.isTTY === true, io.env));
}

/** NETPOL_NO_CNI_WARNING=1 (any value but 0 or empty) hides the network plugin warning on stderr; -o json keeps it. */
export const cniWarningHidden = (env: NodeJS.ProcessEnv): boolean => (env.NETPOL_NO_CNI_WARNING ?? '') !== '' && env.NETPOL_NO_CNI_WARNING !== '0';

/** Limitations go to stderr: they qualify the answer but are not the answer. */
export function writeLimitations(state: ClusterState, io: CommandIO, style: Style): void {
  const hideCni = cniWarningHidden(io.env);
  for (const l of state.limitations ?? []) if (!(hideCni && l.id.startsWith('cni-'))) io.stderr.write(`${style.warn('warning')}: ${l.message}\n`);
}

/** A port flag: 1-65535 or a container port name (IANA_SVC_NAME). */
export function parsePortArg(value: string | undefined, flag: string): number | string | undefined {
  if (value === undefined) return undefined;
  const v = String(value).trim();
  if (/^\d+$/.test(v)) {
    const n = Number(v);
    if (n < 1 || n > 65535) throw new CliError(`${flag} ${v} is out of range`, 'ports are 1-65535', ExitCode.usage);
    return n;
  }
  if (!isPortName(v)) {
    throw new CliError(`${flag} "${v}" is neither a port number nor a valid port name`, 'use 1-65535 or a container port name such as http (lowercase, at most 15 characters)', ExitCode.usage);
  }
  return v;
}
