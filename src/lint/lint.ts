// Runs the lint rules over a cluster state, then applies the config (disabled rules, severity
// overrides, per-namespace exceptions) and the per-object annotation netpol.kubectl.io/lint-ignore.
import type { ClusterIndex } from '../engine/cluster-index.js';
import type { Labels } from '../engine/model.js';
import { EMPTY_CONFIG, namespaceMatches, type LintConfig } from './config.js';
import { RULES } from './rules.js';
import { severityRank, type Finding, type LintObject } from './types.js';

/** Annotation on a NetworkPolicy, admin policy or Namespace: comma-separated rule ids, or `*`. */
export const IGNORE_ANNOTATION = 'netpol.kubectl.io/lint-ignore';

export interface LintReport {
  /** Sorted by severity, then object, then field. */
  readonly findings: readonly Finding[];
  /** Findings silenced by the config or an annotation (counted, not shown). */
  readonly suppressed: number;
  /** Rules that did not run, with why (disabled, or the input has no pods). */
  readonly skipped: readonly { readonly rule: string; readonly reason: string }[];
}

function annotationsOf(o: LintObject, idx: ClusterIndex): Labels | undefined {
  if (o.kind === 'Namespace') return idx.namespace(o.name)?.annotations;
  if (o.kind === 'NetworkPolicy') return idx.policiesIn(o.namespace ?? '').find((p) => p.name === o.name)?.annotations;
  return idx.state.adminPolicies.find((p) => p.kind === o.kind && p.name === o.name)?.annotations;
}

function silencedByAnnotation(f: Finding, idx: ClusterIndex): boolean {
  const value = annotationsOf(f.object, idx)?.[IGNORE_ANNOTATION];
  if (value === undefined) return false;
  const ids = value.split(',').map((s) => s.trim());
  return ids.includes('*') || ids.includes(f.rule);
}

function exempt(f: Finding, config: LintConfig): boolean {
  const ns = f.object.kind === 'Namespace' ? f.object.name : f.object.namespace;
  if (ns === undefined) return false;
  return config.exceptions.some((e) => e.namespaces.some((p) => namespaceMatches(p, ns)) && (e.rules === undefined || e.rules.includes(f.rule)));
}

export function lint(idx: ClusterIndex, config: LintConfig = EMPTY_CONFIG): LintReport {
  const all: Finding[] = [];
  const skipped: { rule: string; reason: string }[] = [];
  const noPods = idx.state.pods.length === 0;
  for (const rule of RULES) {
    if (config.disabledRules.includes(rule.id)) skipped.push({ rule: rule.id, reason: 'disabled in the config' });
    else if (rule.needsPods && noPods) skipped.push({ rule: rule.id, reason: 'the input has no pods or workloads' });
    else all.push(...rule.check({ idx }).map((f) => (config.severity[f.rule] ? { ...f, severity: config.severity[f.rule]! } : f)));
  }
  const kept = all.filter((f) => !exempt(f, config) && !silencedByAnnotation(f, idx));
  const key = (f: Finding) => `${f.object.kind}\u0000${f.object.namespace ?? ''}\u0000${f.object.name}\u0000${f.field ?? ''}\u0000${f.rule}`;
  kept.sort((a, b) => severityRank(a.severity) - severityRank(b.severity) || (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
  return { findings: kept, suppressed: all.length - kept.length, skipped };
}
