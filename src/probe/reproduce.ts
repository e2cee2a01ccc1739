// A command a person can run to repeat one probe by hand with plain kubectl (pure).
import { shellQuote } from '../render/check-output.js';
import { hostPort } from './program.js';
import type { PlannedProbe, ProbeMode } from './types.js';

export interface ReproduceContext {
  readonly image: string;
  readonly timeoutMs: number;
  /** --kubeconfig / --context flags, already shell-quoted. */
  readonly kubectlFlags: readonly string[];
}

/**
 * ephemeral: `kubectl debug` adds another ephemeral container to the same pod (same identity);
 * clone: `kubectl run` a pod with the source's labels and service account in its namespace.
 */
export function reproduceCommand(p: PlannedProbe, mode: ProbeMode | undefined, ctx: ReproduceContext): string | undefined {
  if (!p.source || p.notRun || !p.host || p.host.startsWith('listener:')) return undefined;
  const connect = ['/agnhost', 'connect', shellQuote(hostPort(p.host, p.port)), `--protocol=${p.protocol.toLowerCase()}`, `--timeout=${ctx.timeoutMs / 1000}s`];
  const flags = ctx.kubectlFlags.length ? ` ${ctx.kubectlFlags.join(' ')}` : '';
  const s = p.source;
  if (mode === 'clone') {
    const labels = Object.entries(s.labels).map(([k, v]) => `${k}=${v}`).join(',');
    const overrides = JSON.stringify({ spec: { ...(s.serviceAccount ? { serviceAccountName: s.serviceAccount } : {}), automountServiceAccountToken: false, securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: 'RuntimeDefault' } } } });
    return `kubectl run netpol-repro -n ${shellQuote(s.namespace)} --rm -i --restart=Never --image=${shellQuote(ctx.image)}${labels ? ` --labels=${shellQuote(labels)}` : ''} --overrides=${shellQuote(overrides)}${flags} --command -- ${connect.join(' ')}`;
  }
  return `kubectl debug -n ${shellQuote(s.namespace)} ${shellQuote(s.name)} --image=${shellQuote(ctx.image)} --profile=restricted --attach${flags} -- ${connect.join(' ')}`;
}
