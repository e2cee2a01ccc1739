// Label selector matching, as metav1.LabelSelectorAsSelector: matchLabels AND matchExpressions;
// an empty selector matches everything. Used by the adapters (workload <-> pod), not the engine.

import type { LabelSelector, Labels } from '../engine/model.js';

export function selectorMatches(sel: LabelSelector, labels: Labels): boolean {
  const ml = sel.matchLabels;
  if (ml) for (const k in ml) if (labels[k] !== ml[k]) return false;
  for (const req of sel.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, req.key);
    const v = labels[req.key];
    switch (req.operator) {
      case 'In':
        if (!has || v === undefined || !(req.values ?? []).includes(v)) return false;
        break;
      case 'NotIn':
        if (has && v !== undefined && (req.values ?? []).includes(v)) return false;
        break;
      case 'Exists':
        if (!has) return false;
        break;
      case 'DoesNotExist':
        if (has) return false;
        break;
    }
  }
  return true;
}

export const isEmptySelector = (sel: LabelSelector): boolean =>
  Object.keys(sel.matchLabels ?? {}).length === 0 && (sel.matchExpressions ?? []).length === 0;
