// kubectl netpol diff -f CHANGES [--base PATH] [--delete NS/NAME ...]
import type { Argv } from 'yargs';
import { asFileList, asList, withGlobalOptions, type GlobalOptions } from '../options.js';

export interface DiffArgs extends GlobalOptions {
  base?: string[];
  delete?: string[];
}

export function diffBuilder(y: Argv): Argv<DiffArgs> {
  return withGlobalOptions(y)
    // For diff, -f is the change, not the cluster: the base is --base or the live cluster.
    .option('filename', { type: 'string', requiresArg: true, coerce: asFileList, describe: 'The changes: manifests whose policies are applied to the base (files, directories or - for stdin; repeatable, or comma-separated)' })
    .option('base', { type: 'string', requiresArg: true, coerce: asFileList, describe: 'The state to compare against, as manifests (files, directories; repeatable). Default: the live cluster' })
    .option('delete', { type: 'string', requiresArg: true, coerce: asList, describe: 'Also delete a policy: NS/NAME (NetworkPolicy), anp/NAME, banp/NAME or cnp/NAME (repeatable)' })
    .option('output', { alias: 'o', type: 'string', choices: ['text', 'json', 'yaml', 'markdown'], default: 'text', describe: 'Output format (markdown: for a pull-request comment)' })
    .example('kubectl netpol diff -f new-policies/', 'What applying the manifests in new-policies/ would open or block in the live cluster')
    .example('kubectl netpol diff -f pr/k8s --base main/k8s -o markdown', 'The connection changes of a pull request, from two checkouts')
    .example('kubectl netpol diff --base cluster.yaml --delete backend/default-deny', '"Without this policy"')
    .epilogue('Exit code: 0 when no connection changes, 1 when some connection is opened or blocked, 2 for bad input.') as unknown as Argv<DiffArgs>;
}
