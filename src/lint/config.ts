// The lint config file (kind: LintConfig): rules to disable, severity overrides, per-namespace
// exceptions. Parsing is pure: the command reads the file and passes the parsed value.
import { RULE_IDS } from './rules.js';
import { SEVERITIES, type LintSeverity } from './types.js';

/** A namespace pattern: a name, or a glob with `*` (e.g. `kube-*`). */
export interface LintException {
  readonly namespaces: readonly string[];
  /** Absent: every rule. */
  readonly rules?: readonly string[];
}

export interface LintConfig {
  readonly disabledRules: readonly string[];
  readonly severity: Readonly<Record<string, LintSeverity>>;
  readonly exceptions: readonly LintException[];
}

export const EMPTY_CONFIG: LintConfig = { disabledRules: [], severity: {}, exceptions: [] };

/** Thrown with every problem found, each naming the field. */
export class LintConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid lint config: ${problems.length} problem${problems.length === 1 ? '' : 's'}`);
    this.name = 'LintConfigError';
  }
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseLintConfig(value: unknown): LintConfig {
  const problems: string[] = [];
  if (!isObj(value)) throw new LintConfigError(['the file must hold a mapping (apiVersion: netpol.kubectl.io/v1alpha1, kind: LintConfig)']);
  for (const k of Object.keys(value)) if (!['apiVersion', 'kind', 'disabledRules', 'severity', 'exceptions'].includes(k)) problems.push(`${k}: unknown field (known: apiVersion, kind, disabledRules, severity, exceptions)`);
  if (value['kind'] !== undefined && value['kind'] !== 'LintConfig') problems.push(`kind: must be LintConfig; got ${JSON.stringify(value['kind'])}`);
  if (value['apiVersion'] !== undefined && value['apiVersion'] !== 'netpol.kubectl.io/v1alpha1') problems.push(`apiVersion: must be netpol.kubectl.io/v1alpha1; got ${JSON.stringify(value['apiVersion'])}`);
  const ruleList = (v: unknown, path: string): string[] => {
    if (!Array.isArray(v)) {
      problems.push(`${path}: must be a list of rule ids`);
      return [];
    }
    return v.flatMap((r, i) => {
      if (typeof r === 'string' && RULE_IDS.includes(r)) return [r];
      problems.push(`${path}[${i}]: unknown rule ${JSON.stringify(r)} (rules: ${RULE_IDS.join(', ')})`);
      return [];
    });
  };
  const disabledRules = value['disabledRules'] === undefined ? [] : ruleList(value['disabledRules'], 'disabledRules');
  const severity: Record<string, LintSeverity> = {};
  if (value['severity'] !== undefined) {
    if (!isObj(value['severity'])) problems.push('severity: must map rule ids to error, warning or info');
    else
      for (const [rule, sev] of Object.entries(value['severity'])) {
        if (!RULE_IDS.includes(rule)) problems.push(`severity.${rule}: unknown rule (rules: ${RULE_IDS.join(', ')})`);
        else if (!SEVERITIES.includes(sev as LintSeverity)) problems.push(`severity.${rule}: must be error, warning or info; got ${JSON.stringify(sev)}`);
        else severity[rule] = sev as LintSeverity;
      }
  }
  const exceptions: LintException[] = [];
  if (value['exceptions'] !== undefined) {
    if (!Array.isArray(value['exceptions'])) problems.push('exceptions: must be a list of {namespaces: [...], rules: [...]}');
    else
      value['exceptions'].forEach((e, i) => {
        const p = `exceptions[${i}]`;
        if (!isObj(e)) return void problems.push(`${p}: must be a mapping with namespaces (and optionally rules)`);
        for (const k of Object.keys(e)) if (k !== 'namespaces' && k !== 'rules') problems.push(`${p}.${k}: unknown field (known: namespaces, rules)`);
        const ns = e['namespaces'];
        if (!Array.isArray(ns) || ns.length === 0 || !ns.every((n) => typeof n === 'string' && n !== '')) return void problems.push(`${p}.namespaces: must be a non-empty list of namespace names or globs (kube-*)`);
        exceptions.push({ namespaces: ns as string[], ...(e['rules'] !== undefined ? { rules: ruleList(e['rules'], `${p}.rules`) } : {}) });
      });
  }
  if (problems.length > 0) throw new LintConfigError(problems);
  return { disabledRules, severity, exceptions };
}

export function namespaceMatches(pattern: string, ns: string): boolean {
  if (!pattern.includes('*')) return pattern === ns;
  const re = new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`);
  return re.test(ns);
}
