// kubectl netpol matrix [-n NS | -A] [--port P ...] [--protocol PROTO ...]
import type { Argv } from 'yargs';
import { computeMatrix, type PodInfo, type PortSpec, type Protocol } from '../../src/engine/index.js';
import { CliError, ExitCode } from '../../src/errors.js';
import { serialise } from '../../src/render/format.js';
import { matrixData, renderMatrixText } from '../../src/render/matrix-output.js';
import type { CommandIO } from '../io.js';
import { asList, withGlobalOptions, type GlobalOptions } from '../options.js';
import { loadForCommand, parsePortArg, styleFor, writeLimitations } from './shared.js';

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

export async function runMatrix(args: MatrixArgs, io: CommandIO): Promise<number> {
  const loaded = await loadForCommand(args, io, { namespaces: args['all-namespaces'] ? 'all' : [args.namespace ?? ''] });
  const ports = (args.port ?? ['80']).map((p) => {
    const v = parsePortArg(p, '--port');
    if (typeof v !== 'number') throw new CliError(`--port ${p}: matrix takes port numbers`, 'named ports differ per pod; use explain or check for a named port', ExitCode.usage);
    return v;
  });
  const protocols = (args.protocol ?? ['TCP']) as Protocol[];
  for (const p of protocols) if (!['TCP', 'UDP', 'SCTP'].includes(p)) throw new CliError(`--protocol ${p}: must be TCP, UDP or SCTP`, undefined, ExitCode.usage);
  const specs: PortSpec[] = protocols.flatMap((protocol) => ports.map((port) => ({ port, protocol })));
  const pods: PodInfo[] = args['all-namespaces'] ? [...loaded.state.pods] : loaded.state.pods.filter((p) => p.namespace === loaded.namespace);
  if (pods.length === 0) {
    throw new CliError(args['all-namespaces'] ? 'no pods in the input' : `no pods in namespace ${loaded.namespace}`, 'choose a namespace with -n, or -A for all namespaces', ExitCode.input);
  }
  pods.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  const matrix = computeMatrix(pods, specs, loaded.index);
  if (args.output === 'json' || args.output === 'yaml') io.stdout.write(serialise(matrixData(matrix), args.output));
  else {
    writeLimitations(loaded.state, io, styleFor(args, io));
    io.stdout.write(renderMatrixText(matrix, styleFor(args, io)));
  }
  return ExitCode.ok;
}
