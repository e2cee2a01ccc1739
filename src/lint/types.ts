// Lint findings and rule metadata: what every rule reports, whatever the output format.
import type { ClusterIndex } from '../engine/cluster-index.js';
import type { SourceRef } from '../engine/model.js';

export type LintSeverity = 'error' | 'warning' | 'info';
export const SEVERITIES: readonly LintSeverity[] = ['error', 'warning', 'info'];
export const severityRank = (s: LintSeverity): number => SEVERITIES.indexOf(s);

/** The object a finding is about, as kubectl names it. */
export interface LintObject {
  readonly kind: string;
  readonly namespace?: string;
  readonly name: string;
}

export interface Finding {
  /** Stable id (tests, config files, annotations and SARIF refer to it). */
  readonly rule: string;
  readonly severity: LintSeverity;
  readonly object: LintObject;
  /** Field path inside the object, e.g. `spec.ingress[0].from[1]`; absent for whole-object findings. */
  readonly field?: string;
  readonly message: string;
  /** The change that resolves it, in words (YAML fragments inline). */
  readonly suggestion: string;
  /** Where the object was read (file and document for -f). */
  readonly source?: SourceRef;
}

export interface LintInput {
  readonly idx: ClusterIndex;
}

export interface RuleInfo {
  readonly id: string;
  readonly severity: LintSeverity;
  /** One line, for the README table and SARIF shortDescription. */
  readonly title: string;
  /** Rules about pods and peers say nothing when the input has no pods. */
  readonly needsPods?: boolean;
  readonly check: (input: LintInput) => Finding[];
}

/** `NetworkPolicy backend/db`, `Namespace shop`. */
export const objectText = (o: LintObject): string => `${o.kind} ${o.namespace !== undefined ? `${o.namespace}/` : ''}${o.name}`;
