// Flags shared by every command, parsed by the plugin itself (kubectl passes none of its globals on).
import type { Argv } from 'yargs';
import type { ColorMode } from '../src/render/style.js';

export interface GlobalOptions {
  filename?: string[];
  namespace?: string;
  'all-namespaces'?: boolean;
  context?: string;
  kubeconfig?: string;
  cluster?: string;
  user?: string;
  'request-timeout'?: string;
  output?: string;
  color: ColorMode;
  verbose?: boolean;
}

/** Where a usage error should send the user: the command's own help when a command was named. */
export const helpHint = (command: string | undefined): string => `see kubectl netpol ${command ? `${command} ` : ''}--help`;

/**
 * yargs-parser mangles a lone `-` (it becomes `true` or `""`), so main() swaps it for this token
 * before parsing and `fromToken` turns it back into `-` (stdin).
 */
export const STDIN_TOKEN = '\u0000stdin';
export const fromToken = (v: unknown): string => (v === STDIN_TOKEN ? '-' : String(v));

/** Repeatable flags are not greedy arrays (`-f a b` must leave b positional): collect repeats instead. */
export const asList = (v: unknown): string[] | undefined => (v === undefined ? undefined : Array.isArray(v) ? v.map(fromToken) : [fromToken(v)]);

/** -f as kubectl reads it: repeatable, and each value may be a comma-separated list. */
export const asFileList = (v: unknown): string[] | undefined =>
  asList(v)
    ?.flatMap((f) => (f === '-' ? [f] : f.split(',')))
    .map((f) => (f === STDIN_TOKEN ? '-' : f))
    .filter((f) => f !== '');

export function withGlobalOptions<T>(y: Argv<T>): Argv<T & GlobalOptions> {
  return y
    .option('filename', { alias: 'f', type: 'string', requiresArg: true, coerce: asFileList, describe: 'Manifests to analyse instead of the live cluster: files, directories (recursive) or - for stdin. Repeatable, or comma-separated.' })
    .option('namespace', { alias: 'n', type: 'string', requiresArg: true, describe: 'Namespace for references without one (default: the kubeconfig context namespace, or "default")' })
    .option('all-namespaces', { alias: 'A', type: 'boolean', describe: 'Across all namespaces (matrix)' })
    .option('context', { type: 'string', requiresArg: true, describe: 'kubeconfig context to use' })
    .option('kubeconfig', { type: 'string', requiresArg: true, describe: 'Path to the kubeconfig file' })
    .option('cluster', { type: 'string', requiresArg: true, describe: 'kubeconfig cluster to use' })
    .option('user', { type: 'string', requiresArg: true, describe: 'kubeconfig user to use' })
    .option('request-timeout', { type: 'string', requiresArg: true, describe: 'Timeout per API request, e.g. 10s, 1m (0 = none)' })
    .option('color', { type: 'string', choices: ['auto', 'always', 'never'] as const, default: 'auto' as ColorMode, describe: 'Colour output (NO_COLOR disables auto)' })
    // No -v alias: kubectl's -v=N is a log level (main() rejects it with a hint).
    .option('verbose', { type: 'boolean', describe: 'Show every policy, including those that do not apply' }) as unknown as Argv<T & GlobalOptions>;
}
