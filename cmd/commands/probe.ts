// kubectl netpol probe FROM TO --port P: verify paths with real connections and compare with the model.
import type { Argv } from 'yargs';
import { asList, withGlobalOptions, type GlobalOptions } from '../options.js';

/** How one connection is made (probe, check --probe, and the TUI's P). */
export interface ProbeConnectionOptions {
  mode: 'auto' | 'ephemeral' | 'clone';
  image: string;
  'image-pull-secret'?: string[];
  timeout: string;
  'retry-delay': string;
  settle: string;
  'pod-deadline'?: string;
}

/** Flags every probing command shares (probe, and check --probe). */
export interface ProbeOptions extends ProbeConnectionOptions {
  concurrency: number;
  'observed-only'?: boolean;
  'all-pods'?: boolean;
  'max-connections': number;
  'dry-run'?: boolean;
}

export interface ProbeArgs extends GlobalOptions, ProbeOptions {
  from?: string;
  to?: string;
  port?: string[];
  protocol?: string;
  'to-namespace'?: string;
  serve?: boolean;
  cleanup?: boolean;
  'print-rbac'?: string;
}

export function withProbeConnectionOptions<T>(y: Argv<T>): Argv<T & ProbeConnectionOptions> {
  return y
    .option('mode', { type: 'string', choices: ['auto', 'ephemeral', 'clone'], default: 'auto', describe: 'How probes originate: an ephemeral container in the source pod, or a clone pod with its labels (auto: ephemeral where RBAC permits, else clone)' })
    .option('image', { type: 'string', requiresArg: true, default: 'registry.k8s.io/e2e-test-images/agnhost:2.56', describe: 'Probe image (agnhost: its connect and netexec commands); point it at a mirror for air-gapped clusters' })
    .option('image-pull-secret', { type: 'string', requiresArg: true, coerce: asList, describe: 'imagePullSecret for clone and listener pods (repeatable)' })
    .option('timeout', { type: 'string', requiresArg: true, default: '2s', describe: 'Per-connection timeout (e.g. 2s, 500ms)' })
    .option('retry-delay', { type: 'string', requiresArg: true, default: '1s', describe: 'Wait before the one retry of a connection that contradicts the model (policy programming delay)' })
    .option('settle', { type: 'string', requiresArg: true, default: '2s', describe: 'Clone and listener pods: wait this long after start for the network plugin to program them' })
    .option('pod-deadline', { type: 'string', requiresArg: true, describe: 'Upper bound on the life of clone and listener pods (activeDeadlineSeconds; default: from the number of connections)' }) as unknown as Argv<T & ProbeConnectionOptions>;
}

export function withProbeOptions<T>(y: Argv<T>): Argv<T & ProbeOptions> {
  return withProbeConnectionOptions(y)
    .option('concurrency', { type: 'number', requiresArg: true, default: 10, describe: 'Source pods probed at once (one probe container each; 4 connections at a time inside each)' })
    .option('observed-only', { type: 'boolean', describe: 'Report what the network does without comparing with the model; exit 0 when every probe ran' })
    .option('all-pods', { type: 'boolean', describe: 'Probe from every pod of a workload source (default: one ready pod)' })
    .option('max-connections', { type: 'number', requiresArg: true, default: 200, describe: 'Refuse runs with more connections than this' })
    .option('dry-run', { type: 'boolean', describe: 'Print the objects the run would create (YAML) and stop' }) as unknown as Argv<T & ProbeOptions>;
}

export function probeBuilder(y: Argv): Argv<ProbeArgs> {
  return withProbeOptions(withGlobalOptions(y))
    .positional('from', { type: 'string', describe: 'Source: ns/pod, [ns/]KIND/NAME (one ready pod; --all-pods for each)' })
    .positional('to', { type: 'string', describe: 'Destination: ns/pod, [ns/]KIND/NAME, svc/NAME[:PORT] (ClusterIP and each backend), node/NAME, an IP, or dns:NAME' })
    .option('port', { alias: 'p', type: 'string', requiresArg: true, coerce: asList, describe: 'Destination port number or name (repeatable)' })
    .option('protocol', { type: 'string', requiresArg: true, coerce: (v: unknown) => String(v).toUpperCase(), describe: 'TCP (default), UDP or SCTP' })
    .option('to-namespace', { type: 'string', requiresArg: true, describe: 'With -n and no FROM/TO: probe every pod of -n to every pod of this namespace' })
    .option('serve', { type: 'boolean', describe: 'Start a stand-in listener with the destination\'s labels on the ports (for a destination that does not listen, or does not exist yet)' })
    .option('cleanup', { type: 'boolean', describe: 'Delete what earlier probe runs left behind (only objects with the run label AND the creation annotation; -n limits it to one namespace)' })
    .option('print-rbac', { type: 'string', choices: ['role', 'clusterrole'], describe: 'Print a ready Role (for -n) or ClusterRole with the permissions probing needs, and stop' })
    .option('output', { alias: 'o', type: 'string', choices: ['text', 'json', 'yaml', 'junit'], default: 'text', describe: 'Output format' })
    .example('kubectl netpol probe frontend/app backend/svc/api --port 8080', 'Connect for real, through the ClusterIP and to each backend, and compare with the policies')
    .example('kubectl netpol probe -n shop --port 80 --port 5432', 'Every pod of shop to every pod of shop')
    .example('kubectl netpol probe frontend/app backend/deploy/new --port 8080 --serve', 'Test a policy before the destination exists')
    .example('kubectl netpol probe --cleanup', 'Remove leftovers of interrupted runs') as unknown as Argv<ProbeArgs>;
}
