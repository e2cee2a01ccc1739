// The matrix command's work, loaded only when the command runs (keeps --help fast).
import { computeReachability, isActivePod, PROTOCOLS, type PodInfo, type PortQuery, type Protocol } from '../../src/engine/index.js';
import { matrixRows, RowConnections } from '../../src/engine/matrix-rows.js';
import { CliError, ExitCode } from '../../src/errors.js';
import { matrixDocument, type MatrixView } from '../../src/render/matrix-data.js';
import { gridRefusal, renderMatrixText } from '../../src/render/matrix-output.js';
import type { CommandIO } from '../io.js';
import { streamOut } from '../stream-out.js';
import { loadForCommand, parsePortArg, styleFor, writeLimitations } from './shared.js';
import type { MatrixArgs } from './matrix.js';

export async function runMatrix(args: MatrixArgs, io: CommandIO): Promise<number> {
  const ports = args.port?.map((p) => parsePortArg(p, '--port')!);
  const protocols = (args.protocol ?? (ports ? ['TCP'] : PROTOCOLS)) as Protocol[];
  for (const p of protocols) if (!PROTOCOLS.includes(p)) throw new CliError(`--protocol ${p}: must be TCP, UDP or SCTP`, undefined, ExitCode.usage);
  const loaded = await loadForCommand(args, io, { namespaces: args['all-namespaces'] ? 'all' : [args.namespace ?? ''] });
  // Finished pods and pods without an IP hold no address: they are no row (engine/pod-address.ts).
  const all: PodInfo[] = args['all-namespaces'] ? [...loaded.state.pods] : loaded.state.pods.filter((p) => p.namespace === loaded.namespace);
  const pods = all.filter(isActivePod);
  if (pods.length === 0) {
    const where = args['all-namespaces'] ? 'in the input' : `in namespace ${loaded.namespace}`;
    const n = all.length;
    const inactive = n > 0 ? ` that hold an address (${n === 1 ? 'its one pod has' : `all ${n} pods have`} finished or ${n === 1 ? 'has' : 'have'} no IP yet)` : '';
    throw new CliError(`no pods ${where}${inactive}`, 'choose a namespace with -n, or -A for all namespaces', ExitCode.input);
  }
  const queries: PortQuery[] | undefined = ports && protocols.flatMap((protocol) => ports.map((port) => ({ port, protocol })));
  const r = computeReachability(pods, loaded.index, queries, protocols);
  const rows = matrixRows(r, args.by);
  const view: MatrixView = { r, by: args.by, rows, connections: new RowConnections(r, rows) };
  const style = styleFor(args, io);
  // Limitations qualify the answer in every format; on stderr they leave the data on stdout intact.
  writeLimitations(loaded.state, io, style);
  if (args.output === 'json' || args.output === 'yaml' || args.output === 'jsonl') {
    await streamOut(io.stdout, matrixDocument(view, args.output));
    return ExitCode.ok;
  }
  const refusal = args.list ? undefined : gridRefusal(view);
  if (refusal) io.stderr.write(`${style.dim('note')}: ${refusal}; listing allowed connections (src => dst : ports) instead\n`);
  await streamOut(io.stdout, renderMatrixText(view, args.list || refusal ? 'list' : 'grid', style));
  return ExitCode.ok;
}
