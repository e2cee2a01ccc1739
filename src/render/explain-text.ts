// explain as a readable tree: verdict first, then the egress side of FROM and the ingress side of TO.
import { pairAmbiguous, type ExplainPair, type ExplainResult } from '../engine/explain.js';
import type { PortRangeVerdict } from '../engine/allowed-ports.js';
import { Reason } from '../engine/reasons.js';
import type { DirectionTrace, PolicyTrace, RuleTrace, TierTrace, Verdict } from '../engine/trace.js';
import { directionOutcome, peerText, policyName, portText, selectorFailureText, selectorText } from './describe.js';
import { fixLines, suggestionText } from './fix-text.js';
import type { SuggestResult } from '../suggest/suggest.js';
import { plain, type Style } from './style.js';

export interface ExplainTextOptions {
  readonly style?: Style;
  /** Also list policies that do not select the pod, each with the selector term that failed. */
  readonly verbose?: boolean;
  /** Verified fixes per denied verdict (src/suggest); the fix lines come only from these. */
  readonly suggestions?: ReadonlyMap<Verdict, SuggestResult>;
  /** --suggest: also print each fix as YAML with its effect. */
  readonly showSuggestions?: boolean;
}

export function renderExplainText(result: ExplainResult, opts: ExplainTextOptions = {}): string {
  const s = opts.style ?? plain;
  const notes = [...result.from.notes, ...result.to.notes].map((n) => s.dim(`  note: ${n}`));
  const out: string[] = [];
  if (result.pairs.length === 1) {
    const pair = result.pairs[0]!;
    out.push(...(pair.verdict ? renderVerdict(pair, pair.verdict, s, opts, notes) : renderRanges(pair, pair.ranges ?? [], s, opts, notes)));
    return out.join('\n') + '\n';
  }
  // Several pods behind a reference: one summary line (the overall verdict, for `| head -1`), then each path.
  const allowedCount = result.pairs.filter(pairAllowed).length;
  const ambiguousCount = result.pairs.filter(pairAmbiguous).length;
  const counts = `${result.pairs.length} paths: ${allowedCount} allowed, ${result.pairs.length - allowedCount} denied${ambiguousCount > 0 ? `, ${ambiguousCount} ambiguous` : ''}`;
  out.push(`${verdictWord(result.allowed, ambiguousCount > 0, s)}  ${result.from.ref} -> ${result.to.ref}  ${result.pairs.length === 0 ? 'no paths to evaluate' : counts}`);
  out.push(...notes);
  for (const pair of result.pairs) {
    out.push('');
    out.push(...(pair.verdict ? renderVerdict(pair, pair.verdict, s, opts, []) : renderRanges(pair, pair.ranges ?? [], s, opts, [])));
  }
  return out.join('\n') + '\n';
}

const pairAllowed = (p: ExplainPair) => (p.verdict ? p.verdict.allowed : (p.ranges ?? []).some((r) => r.allowed));

const verdictWord = (allowed: boolean, ambiguous: boolean, s: Style) => {
  const word = `${allowed ? 'ALLOWED' : 'DENIED'}${ambiguous ? ' (AMBIGUOUS)' : ''}`;
  return ambiguous ? s.warn(s.bold(word)) : allowed ? s.ok(s.bold(word)) : s.bad(s.bold(word));
};

function header(pair: ExplainPair, what: string, allowed: boolean, ambiguous: boolean, s: Style): string {
  return `${verdictWord(allowed, ambiguous, s)}  ${pair.from} -> ${pair.to}  ${what}${pair.via ? s.dim(`  (via ${pair.via})`) : ''}`;
}

/** Reasons for which nothing is policed: one line says why, no per-side trace. */
const UNPOLICED: readonly string[] = [Reason.samePod, Reason.loopback];

function renderVerdict(pair: ExplainPair, v: Verdict, s: Style, opts: ExplainTextOptions, notes: readonly string[]): string[] {
  return [header(pair, `${v.query.protocol}/${v.query.port}`, v.allowed, v.ambiguous === true, s), ...verdictSummary(v, s), ...notes, ...verdictBody(pair, v, s, opts, true)];
}

/** The lines right under the header: which side blocked, and whether the answer is ambiguous. */
function verdictSummary(v: Verdict, s: Style, withAmbiguity = true): string[] {
  if (UNPOLICED.includes(v.reason)) return [`  ${directionOutcome[v.reason] ?? v.reason}`];
  const lines: string[] = [];
  if (!v.allowed) {
    const side = !v.egress.allowed ? v.egress : v.ingress;
    lines.push(`  blocked by the ${side.direction.toLowerCase()} side of ${side.pod ? `${side.pod.namespace}/${side.pod.name}` : '?'}: ${directionOutcome[side.reason] ?? side.reason}`);
  }
  if (v.ambiguous && withAmbiguity) lines.push(...ambiguityLines(v, s));
  return lines;
}

/** Names the same-priority admin policies that disagree, per side. */
function ambiguityLines(v: Verdict, s: Style, scope?: string): string[] {
  const lines: string[] = [];
  for (const d of [v.egress, v.ingress])
    for (const t of d.tiers)
      if (t.deciding && t.ambiguousWith && t.ambiguousWith.length > 0) {
        const names = [t.deciding.policy, ...t.ambiguousWith].map(policyName);
        lines.push(
          `  ${s.warn('ambiguous')}${scope ? ` for ${scope}` : ''}: ${names.slice(0, -1).join(', ')} and ${names[names.length - 1]} have the same priority and decide this ${d.direction.toLowerCase()} traffic differently; the API leaves their order undefined, so a cluster may ${v.allowed ? 'deny' : 'allow'} it instead`,
        );
      }
  if (lines.length === 0) lines.push(`  ${s.warn('ambiguous')}${scope ? ` for ${scope}` : ''}: same-priority admin policies disagree; the API leaves their order undefined`);
  return lines;
}

/** The per-side traces, fix hints and notes. */
function verdictBody(pair: ExplainPair, v: Verdict, s: Style, opts: ExplainTextOptions, withHints: boolean): string[] {
  if (UNPOLICED.includes(v.reason)) return [];
  const lines: string[] = [''];
  lines.push(...renderDirection(v.egress, pair.from, pair.to, v, s, opts));
  lines.push('');
  lines.push(...renderDirection(v.ingress, pair.to, pair.from, v, s, opts));
  const suggestion = v.allowed || !withHints ? undefined : opts.suggestions?.get(v);
  const hints = fixLines(v, suggestion, pair.from, pair.to);
  if (hints.length > 0) lines.push('');
  for (const hint of hints) lines.push(`${s.warn('fix')} ${hint}`);
  if (suggestion && opts.showSuggestions) lines.push(...suggestionText(suggestion, s));
  // The priority tie is already named under the header.
  for (const n of v.notes) if (!(v.ambiguous && n.id === 'adminPriorityTie')) lines.push(s.dim(`note: ${n.message}`));
  return lines;
}

function renderDirection(d: DirectionTrace, self: string, other: string, v: Verdict, s: Style, opts: ExplainTextOptions): string[] {
  const title = d.direction === 'Egress' ? `Egress from ${self}` : `Ingress to ${self}`;
  const word = d.allowed ? s.ok('allowed') : s.bad('DENIED');
  const lines = [`${s.bold(title)}: ${word}${d.decidedBy !== 'NotApplicable' ? ` (decided by ${tierLabel(d.decidedBy)})` : ''}`];
  if (d.decidedBy === 'NotApplicable') {
    lines.push(`  ${directionOutcome[d.reason] ?? d.reason}`);
    return lines;
  }
  if (d.tiers.length > 1) lines.push(s.dim(`  chain: ${d.tiers.map(chainStep).join(' -> ')}`));
  for (const tier of d.tiers) lines.push(...renderTier(tier, d, other, v, s, opts));
  return lines;
}

/** `admin pass (pass-tenant-internal ingress[0])`: one step of the tier chain. */
function chainStep(t: TierTrace): string {
  const what = t.tier === 'NetworkPolicy' && t.reason === Reason.notIsolated ? 'not isolated' : t.decision === 'none' ? 'no match' : t.decision;
  const by = t.deciding ? ` (${t.deciding.policy.name} ${t.deciding.ruleName ? `"${t.deciding.ruleName}"` : `rule ${t.deciding.ruleIndex}`})` : '';
  return `${tierLabel(t.tier)} ${what}${by}`;
}

function tierLabel(t: string): string {
  return t === 'Admin' ? 'admin tier' : t === 'Baseline' ? 'baseline tier' : t === 'Default' ? 'default' : 'NetworkPolicy';
}

function renderTier(tier: TierTrace, d: DirectionTrace, other: string, v: Verdict, s: Style, opts: ExplainTextOptions): string[] {
  const lines: string[] = [];
  const decision = tier.decision === 'none' ? s.dim('no decision') : tier.decision === 'pass' ? s.warn('pass') : tier.decision === 'allow' ? s.ok('allow') : s.bad('deny');
  if (tier.tier === 'Default') {
    // Only the default tier says "allowed": the NetworkPolicy line above already said nothing isolates the pod.
    lines.push(`  [default] ${decision}: ${directionOutcome[tier.reason === Reason.notIsolated ? Reason.defaultAllow : tier.reason] ?? tier.reason}`);
    return lines;
  }
  lines.push(`  [${tierLabel(tier.tier)}] ${decision}${tier.reason === Reason.notIsolated ? ` — ${directionOutcome[Reason.notIsolated]}` : ''}`);
  const applying = tier.policies.filter((p) => p.applies);
  const others = tier.policies.filter((p) => !p.applies);
  for (const p of applying) lines.push(...renderPolicy(p, tier, d, other, v, s));
  if (others.length > 0) {
    if (opts.verbose) for (const p of others) lines.push(`    ${s.dim('-')} ${policyName(p.policy)}: ${notApplyingText(p)}`);
    else lines.push(s.dim(`    ${others.length} other ${others.length === 1 ? 'policy does' : 'policies do'} not apply: ${others.map((p) => p.policy.name).join(', ')}${' (--verbose shows why)'}`));
  }
  if (tier.ambiguousWith && tier.ambiguousWith.length > 0) {
    lines.push(`    ${s.warn('ambiguous')}: same priority as ${tier.ambiguousWith.map(policyName).join(', ')}, which decides differently; the order of equal priorities is undefined`);
  }
  if (tier.closest) {
    const c = tier.closest;
    lines.push(`    closest: ${policyName(c.policy)} ${d.direction.toLowerCase()}[${c.ruleIndex}] — ${c.failed === Reason.rulePortNotMatched ? 'the peer matches but no port term does' : 'no peer term matches'}`);
  }
  return lines;
}

function notApplyingText(p: PolicyTrace): string {
  if (p.reason === Reason.policyTypeNotApplicable) return `selects the pod but its policyTypes are ${p.policyTypes?.join(', ')}${p.policyTypesInferred ? ' (inferred: no policyTypes field)' : ''}`;
  const failing = p.namespaceSelector && !p.namespaceSelector.matched ? p.namespaceSelector : p.selector;
  return `does not select the pod (${failing.failure ? selectorFailureText(failing.failure) : selectorText(failing)})`;
}

function renderPolicy(p: PolicyTrace, tier: TierTrace, d: DirectionTrace, other: string, v: Verdict, s: Style): string[] {
  const types = p.policyTypes ? `, policyTypes ${p.policyTypes.join(',')}${p.policyTypesInferred ? ' (inferred)' : ''}` : '';
  const subj = p.namespaceSelector ? `namespaces ${selectorText(p.namespaceSelector)} AND pods ${selectorText(p.selector)}` : selectorText(p.selector);
  const lines = [`    ${policyName(p.policy)} ${s.dim(`selects the pod (${tier.tier === 'NetworkPolicy' ? 'podSelector' : 'subject'} ${subj}${types})`)}`];
  if (tier.tier !== 'NetworkPolicy' && p.rules.length === 0) {
    lines.push(s.dim(`      no ${d.direction.toLowerCase()} rules`));
    return lines;
  }
  if (p.reason === Reason.noRulesDenyAll) {
    lines.push(`      no ${d.direction.toLowerCase()} rules: isolates the pod for ${d.direction.toLowerCase()} and allows nothing itself`);
    return lines;
  }
  const destination = v.query.to.kind === 'pod' ? `${v.query.to.pod.namespace}/${v.query.to.pod.name}` : 'the destination';
  for (const r of p.rules) lines.push(...renderRule(r, d, other, destination, v, s, tier));
  return lines;
}

function renderRule(r: RuleTrace, d: DirectionTrace, other: string, destination: string, v: Verdict, s: Style, tier: TierTrace): string[] {
  const key = d.direction === 'Ingress' ? 'from' : 'to';
  const mark = r.matched ? s.ok('✓') : s.bad('✗');
  const action = r.actionName ? ` ${r.actionName}` : '';
  const name = r.name ? ` "${r.name}"` : '';
  const deciding = tier.deciding && tier.deciding.ruleIndex === r.index && r.matched ? s.bold(' <- decides') : '';
  const lines = [`      ${mark} ${d.direction.toLowerCase()}[${r.index}]${name}${action}${r.matched ? '' : s.dim(` (${r.reason === Reason.rulePortNotMatched ? 'port not matched' : r.reason === Reason.noPeers ? 'no peers' : 'peer not matched'})`)}${deciding}`];
  if (r.allPeers) lines.push(`          ${s.ok('✓')} ${key}: (all ${d.direction === 'Ingress' ? 'sources' : 'destinations'})`);
  for (const peer of r.peers) lines.push(`          ${peer.matched ? s.ok('✓') : s.bad('✗')} ${key}[${peer.index}] ${peerText(peer, other)}`);
  if (r.allPorts) lines.push(`          ${s.ok('✓')} ports: (all)`);
  for (const port of r.ports) lines.push(`          ${port.matched ? s.ok('✓') : s.bad('✗')} ports[${port.index}] ${portText(port, destination, v.query.port, v.query.protocol)}`);
  return lines;
}

function renderRanges(pair: ExplainPair, ranges: readonly PortRangeVerdict[], s: Style, opts: ExplainTextOptions, notes: readonly string[]): string[] {
  const allowed = mergeAdjacent(ranges.filter((r) => r.allowed));
  const protocols = [...new Set(ranges.map((r) => r.protocol))];
  // With --protocol only that protocol was evaluated: say so instead of "every protocol".
  const only = protocols.length === 1 ? `${protocols[0]} ` : '';
  const everything = ranges.length > 0 && ranges.every((r) => r.allowed);
  const what = allowed.length === 0 || everything ? `every ${only}port` : `only ${allowed.slice(0, 3).map(rangeText).join(', ')}${allowed.length > 3 ? ` (+${allowed.length - 3} more)` : ''}`;
  const ambiguous = ranges.find((r) => r.verdict.ambiguous);
  const lines = [header(pair, what, allowed.length > 0, ambiguous !== undefined, s)];
  if (allowed.length === 0) lines.push(only ? `  no ${only}port is allowed` : '  no port or protocol is allowed');
  else if (everything) lines.push(only ? `  every ${only}port is allowed` : '  every port of every protocol is allowed');
  else lines.push(`  allowed: ${allowed.map((r) => rangeText(r)).join(', ')}; everything else is denied`);
  if (ambiguous) lines.push(...ambiguityLines(ambiguous.verdict, s, rangeText(ambiguous)));
  lines.push(...notes);
  const first = ranges.find((r) => r.allowed) ?? ranges[0];
  if (first) {
    // A sample: its port is one of a range, so fix hints for it (e.g. "add TCP/1") would mislead.
    lines.push('', s.dim(`trace for ${rangeText(first)}${first.start !== first.end ? `, shown for port ${first.verdict.query.port}` : ''} (give --port for another):`));
    lines.push(...verdictSummary(first.verdict, s, false), ...verdictBody(pair, first.verdict, s, opts, false));
  }
  return lines;
}

/** Neighbouring ranges of one protocol (split only because different rules decided them) read as one. */
function mergeAdjacent(ranges: readonly PortRangeVerdict[]): PortRangeVerdict[] {
  const out: PortRangeVerdict[] = [];
  for (const r of ranges) {
    const prev = out[out.length - 1];
    if (prev && prev.protocol === r.protocol && prev.end + 1 === r.start) out[out.length - 1] = { ...prev, end: r.end };
    else out.push(r);
  }
  return out;
}

function rangeText(r: PortRangeVerdict): string {
  if (r.start === 1 && r.end === 65535) return `${r.protocol}/all`;
  return r.start === r.end ? `${r.protocol}/${r.start}` : `${r.protocol}/${r.start}-${r.end}`;
}
