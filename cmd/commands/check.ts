// kubectl netpol check FLOWS_FILE: expected flows, verified against the model (the CI use case).
import type { Argv } from 'yargs';
import { fromToken, withGlobalOptions, type GlobalOptions } from '../options.js';
import { withProbeOptions, type ProbeOptions } from './probe.js';

export interface CheckArgs extends GlobalOptions, ProbeOptions {
  flows: string;
  probe?: boolean;
}

export function checkBuilder(y: Argv): Argv<CheckArgs> {
  return withProbeOptions(withGlobalOptions(y))
    .option('probe', { type: 'boolean', describe: 'Also open each flow\'s connection for real (live cluster) and compare with the model (probe options apply)' })
    .positional('flows', { type: 'string', demandOption: true, coerce: fromToken, describe: 'YAML/JSON file with {flows: [{from, to, port, protocol, expect: allowed|denied}]} (- for stdin)' })
    .option('output', { alias: 'o', type: 'string', choices: ['text', 'json', 'yaml', 'junit'], default: 'text', describe: 'Output format' })
    .example('kubectl netpol check -f manifests/ flows.yaml -o junit', 'Verify expected flows before deploying')
    .example('kubectl netpol check --probe flows.yaml', 'Verify them on the live cluster with real connections too') as unknown as Argv<CheckArgs>;
}
