// kubectl netpol explain FROM TO [--port P] [--protocol PROTO]
import type { Argv } from 'yargs';
import type { Protocol } from '../../src/engine/model.js';
import { CliError, ExitCode } from '../../src/errors.js';
import { withGlobalOptions, type GlobalOptions } from '../options.js';

export interface ExplainArgs extends GlobalOptions {
  from: string;
  to: string;
  port?: string;
  protocol?: Protocol;
  suggest?: boolean;
}

/** explain answers for one port and protocol; a repeated flag is a mistake, not a list. */
const single = (flag: string, coerce: (v: string) => string = (v) => v) => (v: unknown) => {
  if (Array.isArray(v)) throw new CliError(`explain takes one --${flag}; use matrix or check for several`, 'see kubectl netpol explain --help', ExitCode.usage);
  return v === undefined ? undefined : coerce(String(v));
};

export function explainBuilder(y: Argv): Argv<ExplainArgs> {
  return withGlobalOptions(y)
    .positional('from', { type: 'string', demandOption: true, describe: 'Source: NS/POD, POD, [NS/]KIND/NAME (deploy, sts, ds, rs, job, cronjob, svc, node) or an IP' })
    .positional('to', { type: 'string', demandOption: true, describe: 'Destination, same forms; svc/NAME[:PORT] resolves to ready backends' })
    .option('port', { alias: 'p', type: 'string', requiresArg: true, coerce: single('port'), describe: 'Destination port number or container port name (omit: list allowed ports)' })
    .option('protocol', { type: 'string', choices: ['TCP', 'UDP', 'SCTP'] as const, coerce: single('protocol', (v) => v.toUpperCase()), describe: 'Protocol (default TCP)' })
    .option('suggest', { type: 'boolean', describe: 'For a denied path: print the smallest verified fix as YAML ready for kubectl apply, with every other connection it opens (-o json: a suggestions array)' })
    .option('output', { alias: 'o', type: 'string', choices: ['text', 'json', 'yaml'], default: 'text', describe: 'Output format' })
    .example('kubectl netpol explain frontend/app backend/db --port 5432', 'Why can (or cannot) frontend/app reach backend/db on TCP 5432?')
    .example('kubectl netpol explain -f examples/shop/manifests frontend/app backend/svc/api', 'Through a Service, from manifests')
    .example('kubectl netpol explain -f examples/shop/manifests frontend/app backend/db --port 5432 --suggest', 'The verified fix for a blocked path, as YAML') as unknown as Argv<ExplainArgs>;
}
