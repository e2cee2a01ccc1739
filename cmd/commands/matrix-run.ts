// The matrix command's work, loaded only when the command runs (keeps --help fast).
import { computeMatrix, isActivePod, PROTOCOLS, type PodInfo, type PortSpec, type Protocol } from '../../src/engine/index.js';
import { CliError, ExitCode } from '../../src/errors.js';
import { serialise } from '../../src/render/format.js';
import { matrixData, renderMatrixText } from '../../src/render/matrix-output.js';
import type { CommandIO } from '../io.js';
import { loadForCommand, parsePortArg, styleFor, writeLimitations } from './shared.js';
import type { MatrixArgs } from './matrix.js';

export async function runMatrix(args: MatrixArgs, io: CommandIO): Promise<number> {
  const loaded = await loadForCommand(args, io, { namespaces: args['all-namespaces'] ? 'all' : [args.namespace ?? ''] });
  const ports = (args.port ?? ['80']).map((p) => {
    const v = parsePortArg(p, '--port');
    if (typeof v !== 'number') throw new CliError(`--port ${p}: matrix takes port numbers`, 'named ports differ per pod; use explain or check for a named port', ExitCode.usage);
    return v;
  });
  const protocols = (args.protocol ?? ['TCP']) as Protocol[];
  for (const p of protocols) if (!PROTOCOLS.includes(p)) throw new CliError(`--protocol ${p}: must be TCP, UDP or SCTP`, undefined, ExitCode.usage);
  const specs: PortSpec[] = protocols.flatMap((protocol) => ports.map((port) => ({ port, protocol })));
  // Finished pods and pods without an IP hold no address: they are no row (engine/pod-address.ts).
  const all: PodInfo[] = args['all-namespaces'] ? [...loaded.state.pods] : loaded.state.pods.filter((p) => p.namespace === loaded.namespace);
  const pods = all.filter(isActivePod);
  if (pods.length === 0) {
    const where = args['all-namespaces'] ? 'in the input' : `in namespace ${loaded.namespace}`;
    const n = all.length;
    const inactive = n > 0 ? ` that hold an address (${n === 1 ? 'its one pod has' : `all ${n} pods have`} finished or ${n === 1 ? 'has' : 'have'} no IP yet)` : '';
    throw new CliError(`no pods ${where}${inactive}`, 'choose a namespace with -n, or -A for all namespaces', ExitCode.input);
  }
  pods.sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name));
  const matrix = computeMatrix(pods, specs, loaded.index);
  // Limitations qualify the answer in every format; on stderr they leave the data on stdout intact.
  writeLimitations(loaded.state, io, styleFor(args, io));
  if (args.output === 'json' || args.output === 'yaml') io.stdout.write(serialise(matrixData(matrix), args.output));
  else io.stdout.write(renderMatrixText(matrix, styleFor(args, io)));
  return ExitCode.ok;
}
