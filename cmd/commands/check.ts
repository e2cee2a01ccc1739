// kubectl netpol check FLOWS_FILE: expected flows, verified against the model (the CI use case).
import type { Argv } from 'yargs';
import { fromToken, withGlobalOptions, type GlobalOptions } from '../options.js';

export interface CheckArgs extends GlobalOptions {
  flows: string;
}

export function checkBuilder(y: Argv): Argv<CheckArgs> {
  return withGlobalOptions(y)
    .positional('flows', { type: 'string', demandOption: true, coerce: fromToken, describe: 'YAML/JSON file with {flows: [{from, to, port, protocol, expect: allowed|denied}]} (- for stdin)' })
    .option('output', { alias: 'o', type: 'string', choices: ['text', 'json', 'yaml', 'junit'], default: 'text', describe: 'Output format' })
    .example('kubectl netpol check -f manifests/ flows.yaml -o junit', 'Verify expected flows before deploying') as unknown as Argv<CheckArgs>;
}
