import type { LabelSelector, LabelSelectorRequirement, Labels } from './model.js';

/** Why a selector failed: the first requirement that did not hold, and the label value seen. */
export interface SelectorFailure {
  readonly key: string;
  readonly operator: LabelSelectorRequirement['operator'] | 'Equals';
  readonly values: readonly string[];
  /** The object's value for `key`; undefined when the label is absent. */
  readonly actual: string | undefined;
}

/** Returns undefined when `labels` satisfy `selector`, otherwise the first failing requirement. */
export function selectorFailure(selector: LabelSelector, labels: Labels): SelectorFailure | undefined {
  const matchLabels = selector.matchLabels;
  if (matchLabels) {
    for (const key in matchLabels) {
      const want = matchLabels[key] as string;
      if (labels[key] !== want) return { key, operator: 'Equals', values: [want], actual: labels[key] };
    }
  }
  for (const req of selector.matchExpressions ?? []) {
    if (!requirementHolds(req, labels)) {
      return { key: req.key, operator: req.operator, values: req.values ?? [], actual: labels[req.key] };
    }
  }
  return undefined;
}

export function selectorMatches(selector: LabelSelector, labels: Labels): boolean {
  return selectorFailure(selector, labels) === undefined;
}

function requirementHolds(req: LabelSelectorRequirement, labels: Labels): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, req.key);
  switch (req.operator) {
    case 'In':
      return has && (req.values ?? []).includes(labels[req.key] as string);
    case 'NotIn':
      // Kubernetes: NotIn also matches objects that lack the key.
      return !has || !(req.values ?? []).includes(labels[req.key] as string);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
  }
}

export function isEmptySelector(selector: LabelSelector): boolean {
  return Object.keys(selector.matchLabels ?? {}).length === 0 && (selector.matchExpressions ?? []).length === 0;
}

/** kubectl-style text: `app=web,tier in (a,b),!legacy`; empty selector is `{}` (matches all). */
export function formatSelector(selector: LabelSelector): string {
  const parts: string[] = [];
  for (const [k, v] of Object.entries(selector.matchLabels ?? {})) parts.push(`${k}=${v}`);
  for (const r of selector.matchExpressions ?? []) {
    const vals = (r.values ?? []).join(',');
    if (r.operator === 'In') parts.push(`${r.key} in (${vals})`);
    else if (r.operator === 'NotIn') parts.push(`${r.key} notin (${vals})`);
    else if (r.operator === 'Exists') parts.push(r.key);
    else parts.push(`!${r.key}`);
  }
  return parts.length === 0 ? '{}' : parts.join(',');
}
