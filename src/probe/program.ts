// The probe program: a POSIX sh script around agnhost `connect` that runs every connection of one
// source pod, and writes one line per attempt to the container's termination message, which the
// API server hands back in the pod status (no exec, no logs permission needed). Pure.
import type { Protocol } from '../engine/model.js';
import type { ProbeClass } from './types.js';

/** One connection as the script sees it. `expect` drives the retry: a = allowed, d = denied, - = no model answer. */
export interface ScriptProbe {
  readonly id: number;
  readonly host: string;
  readonly port: number;
  readonly protocol: Protocol;
  readonly expect: 'a' | 'd' | '-';
}

export interface ScriptOptions {
  /** Per-connection timeout in ms (agnhost --timeout). */
  readonly timeoutMs: number;
  /** Delay before the one retry of an attempt that contradicts the model (policy programming delay). */
  readonly retryDelayMs: number;
  /** Seconds to wait before the first connection (clone pods: let the network plugin program the new pod). */
  readonly settleMs: number;
  /** Connections in flight inside the container. */
  readonly parallel: number;
  /** Path of the agnhost binary in the image. */
  readonly agnhost?: string;
}

/** Connections one probe container may run: its termination message holds at most 4096 bytes (kubelet limit). */
export const MAX_PROBES_PER_CONTAINER = 150;
/** Connections in flight inside one probe container (each is one short-lived agnhost process). */
export const IN_CONTAINER_PARALLEL = 4;
/** Above this size of the termination message, error details are left out so every result line fits. */
const DETAIL_BUDGET_BYTES = 2800;

/** `u`: ICMP host/network unreachable or no route, a rejection by the network itself: class refused, detail UNREACHABLE. */
const CLASS_CODES: Record<string, ProbeClass> = { c: 'connected', r: 'refused', u: 'refused', t: 'timeout', d: 'dns-failure', o: 'probe-error' };
export const UNREACHABLE = 'unreachable: no route, or ICMP host/network unreachable';

const seconds = (ms: number): string => (ms % 1000 === 0 ? `${ms / 1000}` : (ms / 1000).toFixed(3));

/** Hosts and ports go into the script as words: only characters a host name or address can have. */
function safeWord(s: string): string {
  if (!/^[A-Za-z0-9.:_\-[\]]+$/.test(s)) throw new Error(`unsafe host for the probe script: ${JSON.stringify(s)}`);
  return s;
}

/** `host:port` as agnhost (Go net.SplitHostPort) wants it: IPv6 addresses in brackets. */
export const hostPort = (host: string, port: number): string => (host.includes(':') && !host.startsWith('[') ? `[${host}]:${port}` : `${host}:${port}`);

/**
 * The script. Each attempt appends `ID ATTEMPT CLASS MS [DETAIL]` to the termination log (appends of
 * one short line are atomic, so parallel attempts do not interleave); `end` marks a complete run.
 * Latency comes from `date +%s%N` where it has nanoseconds, else /proc/uptime (10 ms steps).
 */
export function probeScript(probes: readonly ScriptProbe[], o: ScriptOptions): string {
  const agnhost = o.agnhost ?? '/agnhost';
  const lines = [
    'T=${NETPOL_PROBE_LOG:-/dev/termination-log}',
    ': > "$T"',
    `now() { t=$(date +%s%N 2>/dev/null); case "$t" in ''|*[!0-9]*) read u r </proc/uptime; t=\${u%.*}\${u#*.}; echo $((t*10));; *) echo $((t/1000000));; esac; }`,
    'p() {',
    '  a=1',
    '  while :; do',
    '    s=$(now)',
    `    e=$(${agnhost} connect "$2" --protocol="$3" --timeout=${seconds(o.timeoutMs)}s 2>&1 >/dev/null); rc=$?`,
    '    f=$(now)',
    '    if [ "$rc" -eq 0 ]; then c=c; else case "$e" in TIMEOUT*) c=t;; REFUSED*) c=r;; DNS*) c=d;; *unreachable*|*"no route"*) c=u;; *) c=o;; esac; fi',
    `    d=; if [ "$c" = o ] && [ "$(wc -c <"$T")" -lt ${DETAIL_BUDGET_BYTES} ]; then d=$(printf '%s' "$e" | tr '\\n\\t' '  ' | cut -c1-48); fi`,
    '    echo "$1 $a $c $((f-s)) $d" >>"$T"',
    '    if [ "$a" -eq 1 ] && { { [ "$4" = a ] && [ "$c" != c ]; } || { [ "$4" = d ] && [ "$c" = c ]; }; }; then',
    `      a=2; sleep ${seconds(o.retryDelayMs)}; continue`,
    '    fi',
    '    break',
    '  done',
    '}',
  ];
  // The probe program's own start-up time (a refused loopback connection), so latencies can leave it out.
  lines.push(`s=$(now); ${agnhost} connect 127.0.0.1:1 --timeout=1s >/dev/null 2>&1; f=$(now); echo "b $((f-s))" >>"$T"`);
  if (o.settleMs > 0) lines.push(`sleep ${seconds(o.settleMs)}`);
  const parallel = Math.max(1, o.parallel);
  probes.forEach((p, i) => {
    lines.push(`p ${p.id} ${safeWord(hostPort(p.host, p.port))} ${p.protocol.toLowerCase()} ${p.expect} &`);
    if ((i + 1) % parallel === 0) lines.push('wait');
  });
  lines.push('wait', 'echo end >>"$T"', 'exit 0');
  return lines.join('\n') + '\n';
}

export interface Attempt {
  readonly observed: ProbeClass;
  readonly latencyMs: number;
  readonly detail?: string;
}

export interface ParsedMessage {
  /** Attempts per probe id, in order; latencies net of the program's start-up time. */
  readonly attempts: ReadonlyMap<number, readonly Attempt[]>;
  /** Start-up time of the probe program (ms), measured once per container and taken off each latency. */
  readonly baselineMs: number;
  /** The `end` marker was seen: every probe ran. */
  readonly complete: boolean;
}

/** Reads the termination message the script wrote; unknown lines are ignored (never fatal). */
export function parseProbeMessage(message: string): ParsedMessage {
  const attempts = new Map<number, Attempt[]>();
  let complete = false;
  let baselineMs = 0;
  const lines = message.split('\n').map((l) => l.trim());
  for (const line of lines) {
    const b = /^b (\d+)$/.exec(line);
    if (b) baselineMs = Number(b[1]);
  }
  for (const line of lines) {
    if (line === 'end') {
      complete = true;
      continue;
    }
    const m = /^(\d+) ([12]) ([crtdou]) (-?\d+)(?: (.*))?$/.exec(line);
    if (!m) continue;
    const id = Number(m[1]);
    const detail = m[3] === 'u' ? UNREACHABLE : m[5]?.trim();
    const a: Attempt = { observed: CLASS_CODES[m[3]!]!, latencyMs: Math.max(0, Number(m[4]) - baselineMs), ...(detail ? { detail } : {}) };
    const list = attempts.get(id) ?? [];
    list[Number(m[2]) - 1] = a;
    attempts.set(id, list);
  }
  for (const [id, list] of attempts) attempts.set(id, list.filter(Boolean));
  return { attempts, complete, baselineMs };
}
