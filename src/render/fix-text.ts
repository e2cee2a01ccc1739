// Verified suggestions as text: the explain/check `fix` lines, and the --suggest YAML and effects.
import { dump } from 'js-yaml';
import { keyText } from '../diff/apply.js';
import type { ConnectionGroup, PortChange } from '../diff/compute.js';
import type { SuggestResult, Suggestion } from '../suggest/suggest.js';
import type { PolicyRef, Verdict } from '../engine/trace.js';
import { plain, type Style } from './style.js';

export const portChangeText = (p: PortChange): string => `${p.protocol}/${p.start === p.end ? p.start : p.start === 1 && p.end === 65535 ? 'all ports' : `${p.start}-${p.end}`}`;

/** `a -> b TCP/5432 (2 pod pairs)`, for the first `limit` groups. */
export function groupsText(groups: readonly ConnectionGroup[], limit: number): string {
  const items = groups.flatMap((g) => g.ports.map((p) => `${g.from} -> ${g.to} ${portChangeText(p)}${p.pairs > 1 ? ` (${p.pairs} pod pairs)` : ''}`));
  return items.length <= limit ? items.join(', ') : `${items.slice(0, limit).join(', ')} and ${items.length - limit} more`;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function effectText(s: Suggestion): string {
  const opens = s.opensCount === 0 ? 'opens no other connection' : `also opens ${plural(s.opensCount, 'other pod pair')}: ${groupsText(s.opens, 3)}`;
  const closes = s.closesCount === 0 ? '' : `, and blocks ${plural(s.closesCount, 'pod pair')} that were allowed: ${groupsText(s.closes, 3)}`;
  return `${opens}${closes}`;
}

/**
 * One fix for one denying side, as data (`-o json` `fixes`, docs/schema common.schema.json#fix):
 * `policy` and `rule` name what changes (`rule` is a path inside that policy's spec rules, e.g.
 * `ingress[0].from`); both are null for a new policy. `text` is the fix line after `fix <side>:`.
 */
export interface Fix {
  readonly side: 'egress' | 'ingress';
  readonly policy: PolicyRef | null;
  readonly rule: string | null;
  readonly text: string;
}

const sideText = (f: Suggestion['fixes'][number]) => `${keyText(f.policy)}${f.isNew ? ' (new)' : ''}: ${f.edit}`;

/** The best verified suggestion as data, one entry per denying side (or why none was verified). */
export function fixesData(r: SuggestResult | undefined): Fix[] {
  if (!r) return [];
  const unfixable = r.unfixable.map((u): Fix => ({ side: u.direction === 'Egress' ? 'egress' : 'ingress', policy: null, rule: null, text: `no verified fix: ${u.reason}` }));
  const best = r.suggestions[0];
  if (!best) return unfixable;
  return best.fixes.map((f): Fix => {
    const policy = f.isNew ? null : ({ kind: f.policy.kind as PolicyRef['kind'], ...(f.policy.namespace !== undefined ? { namespace: f.policy.namespace } : {}), name: f.policy.name, ...(f.priority !== undefined ? { priority: f.priority } : {}) } satisfies PolicyRef);
    return { side: f.direction === 'Egress' ? 'egress' : 'ingress', policy, rule: f.isNew ? null : f.rule, text: sideText(f) };
  });
}

/** The fix lines under an explanation: one per denying side, then what the verification showed. */
export function fixLines(v: Verdict, r: SuggestResult | undefined, from: string, to: string): string[] {
  if (!r) return [];
  const lines: string[] = [];
  for (const u of r.unfixable) lines.push(`${u.direction.toLowerCase()}: no verified fix: ${u.reason}`);
  const best = r.suggestions[0];
  if (!best) return lines;
  for (const f of best.fixes) lines.push(`${f.direction.toLowerCase()}: ${sideText(f)}`);
  const both = best.fixes.length > 1 ? 'with both changes' : 'with this change';
  lines.push(`verified: ${both} the engine allows ${from} -> ${to} ${v.query.protocol}/${v.query.port}; it ${effectText(best)} (explain --suggest prints the YAML)`);
  return lines;
}

/** --suggest: the best suggestion's manifests as YAML ready for kubectl apply, and its effect. */
export function suggestionText(r: SuggestResult, s: Style = plain): string[] {
  const best = r.suggestions[0];
  if (!best) return [];
  const lines = ['', s.bold(`Suggested change (verified; kubectl apply -f the YAML below). It ${effectText(best)}.`)];
  for (const g of best.opens) for (const p of g.ports) lines.push(`  opens  ${g.from} -> ${g.to} ${portChangeText(p)}${p.pairs > 1 ? ` (${p.pairs} pod pairs)` : ''}`);
  for (const g of best.closes) for (const p of g.ports) lines.push(`  blocks ${g.from} -> ${g.to} ${portChangeText(p)}${p.pairs > 1 ? ` (${p.pairs} pod pairs)` : ''}`);
  best.manifests.forEach((m) => {
    lines.push('---');
    lines.push(...dump(m, { lineWidth: -1, noRefs: true }).trimEnd().split('\n'));
  });
  if (r.suggestions.length > 1) lines.push(s.dim(`# ${plural(r.suggestions.length - 1, 'other verified suggestion')}: -o json lists them`));
  return lines;
}
