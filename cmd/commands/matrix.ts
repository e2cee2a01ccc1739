// kubectl netpol matrix [-n NS | -A] [--port P ...] [--protocol PROTO ...]
import type { Argv } from 'yargs';
import type { Protocol } from '../../src/engine/model.js';
import { asList, withGlobalOptions, type GlobalOptions } from '../options.js';

export interface MatrixArgs extends GlobalOptions {
  port?: string[];
  protocol?: Protocol[];
}

export function matrixBuilder(y: Argv): Argv<MatrixArgs> {
  return withGlobalOptions(y)
    .option('port', { alias: 'p', type: 'string', requiresArg: true, coerce: asList, describe: 'Destination port number (repeatable; default 80)' })
    .option('protocol', { type: 'string', requiresArg: true, coerce: (v: unknown) => asList(v)?.map((p) => p.toUpperCase()), describe: 'Protocols (repeatable; default TCP)' })
    .option('output', { alias: 'o', type: 'string', choices: ['text', 'json', 'yaml'], default: 'text', describe: 'Output format' })
    .example('kubectl netpol matrix -n shop --port 80 --port 5432', 'Who can reach whom in namespace shop on TCP 80 and 5432')
    .example('kubectl netpol matrix -A -o json', 'All pods of all namespaces, as data') as unknown as Argv<MatrixArgs>;
}
