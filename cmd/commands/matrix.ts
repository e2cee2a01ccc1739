// kubectl netpol matrix [-n NS | -A] [--by workload|pod] [--port P ...] [--protocol PROTO ...] [--list]
import type { Argv } from 'yargs';
import type { Protocol } from '../../src/engine/model.js';
import { asList, withGlobalOptions, type GlobalOptions } from '../options.js';

export interface MatrixArgs extends GlobalOptions {
  port?: string[];
  protocol?: Protocol[];
  by: 'workload' | 'pod';
  list?: boolean;
  output: 'text' | 'json' | 'yaml' | 'jsonl';
}

export function matrixBuilder(y: Argv): Argv<MatrixArgs> {
  return withGlobalOptions(y)
    .option('port', { alias: 'p', type: 'string', requiresArg: true, coerce: asList, describe: 'Only these destination ports: a number or a container port name, resolved per destination pod (repeatable; default: every port)' })
    .option('protocol', { type: 'string', requiresArg: true, coerce: (v: unknown) => asList(v)?.map((p) => p.toUpperCase()), describe: 'Only these protocols (repeatable; default: TCP, UDP and SCTP, or TCP with --port)' })
    .option('by', { type: 'string', choices: ['workload', 'pod'], default: 'workload', describe: 'Rows and columns: workloads (replicas folded in) or single pods' })
    .option('list', { type: 'boolean', describe: 'Text: list allowed connections (src => dst : ports) even when a grid would fit' })
    .option('output', { alias: 'o', type: 'string', choices: ['text', 'json', 'yaml', 'jsonl'], default: 'text', describe: 'Output format (json/yaml: one Matrix document; jsonl: one item per line)' })
    .example('kubectl netpol matrix -n shop', 'Which workloads of namespace shop reach which, on which ports')
    .example('kubectl netpol matrix -n shop --by pod --port 5432 --port http', 'Pod by pod, on TCP 5432 and each pod\'s "http" port')
    .example('kubectl netpol matrix -A -o jsonl', 'Every allowed connection of the cluster, one JSON object per line') as unknown as Argv<MatrixArgs>;
}
