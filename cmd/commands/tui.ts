// kubectl netpol tui (alias ui): browse namespaces, policies and paths interactively.
import type { Argv } from 'yargs';
import { withGlobalOptions, type GlobalOptions } from '../options.js';
import { withProbeConnectionOptions, type ProbeConnectionOptions } from './probe.js';

/** The flags of how probes connect (--image, --mode, --timeout, ...) apply to P, the probe action. */
export type TuiArgs = GlobalOptions & ProbeConnectionOptions;

export function tuiBuilder(y: Argv): Argv<TuiArgs> {
  return withProbeConnectionOptions(withGlobalOptions(y))
    .example('kubectl netpol tui', 'Browse the live cluster (follows changes as they happen)')
    .example('kubectl netpol tui -f examples/shop/manifests', 'Browse manifests (r reloads them)')
    .epilogue('Keys: arrows or j/k move, Enter opens, Esc goes back, Tab switches panes, / filters (-l key=value for labels), : jumps (:ns NAME, :np, :pod), m matrix, e explain, P probes the path with real connections (live; the probe flags apply), ? lists every key, q quits.') as unknown as Argv<TuiArgs>;
}
