// check results as text (one line per flow + summary), data, and JUnit XML for CI systems.
import type { PortRangeVerdict } from '../engine/allowed-ports.js';
import type { ExplainPair } from '../engine/explain.js';
import type { FlowResult } from '../engine/check.js';
import type { DirectionTrace, TierTrace, Verdict } from '../engine/trace.js';
import type { SuggestResult } from '../suggest/suggest.js';
import { document, Kind } from './contract.js';
import { directionOutcome, policyName } from './describe.js';
import { fixesData, fixLines } from './fix-text.js';
import { plain, type Style } from './style.js';

export interface CheckRenderOptions {
  /** Source flags to repeat in the suggested explain command (`-f PATH`, `-n NS`, ...), already shell-quoted. */
  readonly explainArgs?: readonly string[];
  /** Verified fixes for the denied paths of failing flows (src/suggest): printed as `fix` lines. */
  readonly suggestions?: ReadonlyMap<Verdict, SuggestResult>;
}

const portOf = (r: FlowResult) => (r.flow.port === undefined ? 'any' : String(r.flow.port));
const nameOf = (r: FlowResult): string | undefined => r.flow.name;

// checkFlows already fails ambiguous flows (pass false, reason adminPriorityTie): read its result as is.
const isAmbiguous = (r: FlowResult): boolean => r.ambiguous === true;

export function renderCheckText(results: readonly FlowResult[], style: Style = plain, opts: CheckRenderOptions = {}): string {
  const lines: string[] = [];
  results.forEach((r, i) => {
    const ok = r.pass;
    const mark = ok ? style.ok('PASS') : style.bad('FAIL');
    const reason = r.reason;
    const got = r.error ? `error: ${r.error.message}${r.error.hint ? ` (${r.error.hint})` : ''}` : `${r.allowed ? 'allowed' : 'denied'}${isAmbiguous(r) ? ' but ambiguous' : ''}${reason ? ` (${reason})` : ''}`;
    const name = nameOf(r);
    lines.push(`${mark}  #${i + 1} ${name ? `"${name}" ` : ''}${r.flow.from} -> ${r.flow.to} ${r.protocol}/${portOf(r)}  expected ${r.flow.expect}, got ${got}`);
    for (const n of r.notes ?? []) lines.push(style.dim(`      note: ${n}`));
    if (!ok && !r.error) for (const d of failureDetails(r, opts)) lines.push(style.dim(`      ${d}`));
  });
  const count = results.filter((r) => r.pass).length;
  lines.push('', `${count} of ${results.length} flows as expected${count === results.length ? '' : `, ${results.length - count} not`}`);
  return lines.join('\n') + '\n';
}

/** Why a flow failed, from the trace: the deciding side and policy rule, then the explain command to run. */
export function failureDetails(r: FlowResult, opts: CheckRenderOptions = {}): string[] {
  const out: string[] = [];
  const pairs = r.result?.pairs ?? [];
  const several = pairs.length > 1;
  const prefix = (p: ExplainPair) => (several ? `${p.from} -> ${p.to}: ` : '');
  if (isAmbiguous(r)) {
    for (const p of pairs) if (p.verdict?.ambiguous) out.push(`${prefix(p)}ambiguous: ${tieText(p.verdict)}`);
  } else if (r.allowed === false) {
    // Expected allowed: the path(s) that were denied, and by what.
    for (const p of pairs) {
      if (p.verdict && !p.verdict.allowed) {
        out.push(`${prefix(p)}${denialText(p.verdict)}`);
        for (const f of fixLines(p.verdict, opts.suggestions?.get(p.verdict), p.from, p.to)) out.push(`${prefix(p)}fix ${f}`);
      }
      else if (p.ranges && !p.ranges.some((x) => x.allowed)) out.push(`${prefix(p)}no ${r.protocol} port is allowed`);
    }
  } else {
    // Expected denied: what allowed it.
    for (const p of pairs) {
      if (p.verdict?.allowed) out.push(`${prefix(p)}${allowanceText(p.verdict)}`);
      else if (p.ranges?.some((x) => x.allowed)) out.push(`${prefix(p)}allowed ports: ${p.ranges.filter((x) => x.allowed).map(rangeText).join(', ')}`);
    }
  }
  out.push(`run: ${explainCommand(r, opts)}`);
  return out;
}

function explainCommand(r: FlowResult, opts: CheckRenderOptions): string {
  const port = r.flow.port !== undefined ? ['--port', shellQuote(String(r.flow.port))] : [];
  return ['kubectl netpol explain', shellQuote(r.flow.from), shellQuote(r.flow.to), ...port, '--protocol', r.protocol, ...(opts.explainArgs ?? [])].join(' ');
}

/** Quotes a word for a POSIX shell when it needs it. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

const sideName = (d: DirectionTrace) => `${d.direction.toLowerCase()} side${d.pod ? ` of ${d.pod.namespace}/${d.pod.name}` : ''}`;

function ruleText(t: TierTrace, d: DirectionTrace): string {
  const deciding = t.deciding!;
  return `${policyName(deciding.policy)} ${d.direction.toLowerCase()}[${deciding.ruleIndex}]${deciding.ruleName ? ` "${deciding.ruleName}"` : ''}`;
}

/** `denied by the ingress side of ns/db: NetworkPolicy ns/a selects it and no rule allows this (closest: ...)`. */
function denialText(v: Verdict): string {
  const d = !v.egress.allowed ? v.egress : v.ingress;
  const t = d.tiers.find((x) => x.tier === d.decidedBy);
  let by: string;
  if (t?.deciding) by = `${ruleText(t, d)} denies it`;
  else if (t?.tier === 'NetworkPolicy') {
    const names = t.policies.filter((p) => p.applies).map((p) => policyName(p.policy));
    const closest = t.closest ? `${names.length === 1 ? '' : `${policyName(t.closest.policy)} `}${d.direction.toLowerCase()}[${t.closest.ruleIndex}]` : undefined;
    by = `${names.join(', ')} ${names.length === 1 ? 'isolates' : 'isolate'} the pod and no rule allows this${closest ? ` (closest rule: ${closest})` : ''}`;
  } else by = directionOutcome[d.reason] ?? d.reason;
  return `denied by the ${sideName(d)}: ${by}`;
}

/** What allowed each side: the deciding rule, or why no policy applied. */
function allowanceText(v: Verdict): string {
  if (v.egress.decidedBy === 'NotApplicable' && v.ingress.decidedBy === 'NotApplicable' && v.egress.reason === v.ingress.reason) return `allowed: ${directionOutcome[v.reason] ?? v.reason}`;
  const side = (d: DirectionTrace) => {
    const t = d.tiers.find((x) => x.tier === d.decidedBy);
    const by = t?.deciding ? ruleText(t, d) : t?.tier === 'Default' ? 'no policy decides it (default allow)' : (directionOutcome[d.reason] ?? d.reason);
    return `${d.direction.toLowerCase()} by ${by}`;
  };
  return `allowed: ${side(v.egress)}; ${side(v.ingress)}`;
}

function tieText(v: Verdict): string {
  const parts: string[] = [];
  for (const d of [v.egress, v.ingress])
    for (const t of d.tiers)
      if (t.deciding && t.ambiguousWith && t.ambiguousWith.length > 0) parts.push(`${[t.deciding.policy, ...t.ambiguousWith].map(policyName).join(' and ')} share a priority and decide this ${d.direction.toLowerCase()} traffic differently`);
  return `${parts.join('; ') || 'same-priority admin policies disagree'}; the API leaves their order undefined, so a cluster may decide either way`;
}

function rangeText(r: PortRangeVerdict): string {
  if (r.start === 1 && r.end === 65535) return `${r.protocol}/all`;
  return r.start === r.end ? `${r.protocol}/${r.start}` : `${r.protocol}/${r.start}-${r.end}`;
}

/**
 * `{apiVersion, kind: CheckResult, items}` (docs/schema/check-result.schema.json), items in input
 * order. `fixes`: for a flow expected allowed that was denied on a port, what would allow each
 * denied path (as explain --port prints them); empty otherwise.
 */
export function checkData(results: readonly FlowResult[], suggestions?: ReadonlyMap<Verdict, SuggestResult>) {
  return document(Kind.CheckResult, {
    items: results.map((r) => {
      const name = nameOf(r);
      const reason = r.reason;
      return {
        ...(name !== undefined ? { name } : {}),
        from: r.flow.from,
        to: r.flow.to,
        port: r.flow.port ?? null,
        protocol: r.protocol,
        expect: r.flow.expect,
        allowed: r.allowed ?? null,
        ...(isAmbiguous(r) ? { ambiguous: true } : {}),
        pass: r.pass,
        ...(reason ? { reason } : {}),
        ...(r.error ? { error: r.error } : {}),
        ...(r.notes ? { notes: r.notes } : {}),
        fixes: !r.pass && r.flow.expect === 'allowed' ? (r.result?.pairs ?? []).flatMap((p) => (p.verdict && !p.verdict.allowed ? fixesData(suggestions?.get(p.verdict)) : [])) : [],
      };
    }),
  });
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function renderCheckJUnit(results: readonly FlowResult[], suiteName = 'kubectl-netpol check', opts: CheckRenderOptions = {}): string {
  const failures = results.filter((r) => !r.pass && !r.error).length;
  const errors = results.filter((r) => r.error).length;
  const cases = results.map((r) => {
    const flowName = nameOf(r);
    const name = `${flowName ? `${flowName}: ` : ''}${r.flow.from} -> ${r.flow.to} ${r.protocol}/${portOf(r)} expect ${r.flow.expect}`;
    let body = '';
    if (r.error) body = `<error message="${xml(r.error.message)}">${xml(r.error.hint ?? '')}</error>`;
    else if (!r.pass) {
      const got = `${r.allowed ? 'allowed' : 'denied'}${isAmbiguous(r) ? ' but ambiguous (adminPriorityTie)' : ''}`;
      body = `<failure message="${xml(`expected ${r.flow.expect}, got ${got}`)}">${xml([`reason: ${r.reason ?? ''}`, ...failureDetails(r, opts)].join('\n'))}</failure>`;
    }
    const notes = r.notes ? `<system-out>${xml(r.notes.map((n) => `note: ${n}`).join('\n'))}</system-out>` : '';
    return `    <testcase classname="netpol.flows" name="${xml(name)}">${body}${notes}</testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites tests="${results.length}" failures="${failures}" errors="${errors}">`,
    `  <testsuite name="${xml(suiteName)}" tests="${results.length}" failures="${failures}" errors="${errors}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
