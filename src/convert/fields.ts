// Typed access to untyped Kubernetes objects (parsed YAML/JSON, or @kubernetes/client-node
// objects, whose fields have the same names), with the validation rules of the API server that
// matter for network policy. `null` and `undefined` both mean "absent", as in the API.

import { PROTOCOLS, type LabelSelector, type LabelSelectorRequirement, type Labels, type Protocol, type SelectorOperator } from '../engine/model.js';
import { describe, index, join, type Reporter } from './problems.js';

export type Obj = Readonly<Record<string, unknown>>;

export const isObj = (v: unknown): v is Obj =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);

export const absent = (v: unknown): v is null | undefined => v === undefined || v === null;

/** An object-valued field; reports and returns undefined when present but not an object. */
export function objAt(v: unknown, path: string, r: Reporter): Obj | undefined {
  if (absent(v)) return undefined;
  if (isObj(v)) return v;
  r.error(path, `must be an object; got ${describe(v)}`);
  return undefined;
}

export function listAt(v: unknown, path: string, r: Reporter): readonly unknown[] | undefined {
  if (absent(v)) return undefined;
  if (Array.isArray(v)) return v;
  r.error(path, `must be a list; got ${describe(v)}`, isObj(v) ? 'write it as a YAML list: each item starts with "- "' : undefined);
  return undefined;
}

export function strAt(v: unknown, path: string, r: Reporter): string | undefined {
  if (absent(v)) return undefined;
  if (typeof v === 'string') return v;
  r.error(path, `must be a string; got ${describe(v)}`, typeof v === 'number' || typeof v === 'boolean' ? `quote it: "${String(v)}"` : undefined);
  return undefined;
}

export function boolAt(v: unknown, path: string, r: Reporter): boolean | undefined {
  if (absent(v)) return undefined;
  if (typeof v === 'boolean') return v;
  r.error(path, `must be true or false; got ${describe(v)}`);
  return undefined;
}

/** An integer field. Numeric strings are rejected like the API server does (int32 fields). */
export function intAt(v: unknown, path: string, r: Reporter): number | undefined {
  if (absent(v)) return undefined;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  const hint = typeof v === 'string' && /^\s*-?\d+\s*$/.test(v) ? `remove the quotes: ${v.trim()}` : undefined;
  r.error(path, `must be an integer; got ${describe(v)}`, hint);
  return undefined;
}

/**
 * Reports fields that the API does not define. Catches the classic `podSelector: {app: web}`
 * (instead of `matchLabels`), which would otherwise silently mean "all pods".
 */
export function checkFields(o: Obj, allowed: readonly string[], path: string, r: Reporter, hints?: Readonly<Record<string, string>>): void {
  for (const key of Object.keys(o)) {
    if (o[key] === undefined || allowed.includes(key)) continue;
    const ci = allowed.find((a) => a.toLowerCase() === key.toLowerCase());
    const hint =
      hints?.[key] ??
      (ci !== undefined ? `field names are case-sensitive: did you mean "${ci}"?` : `allowed fields here: ${allowed.join(', ')}`);
    r.error(join(path, key), 'unknown field', hint);
  }
}

// ---------------------------------------------------------------- names, labels, selectors

const QUALIFIED_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** Label key syntax (`[prefix/]name`), as metav1 validation; returns why it is invalid. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.indexOf('/');
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (slash >= 0) {
    const prefix = key.slice(0, slash);
    if (prefix.length === 0 || prefix.length > 253 || !DNS1123_SUBDOMAIN.test(prefix))
      return `label key prefix "${prefix}" must be a lowercase DNS subdomain (e.g. example.com)`;
  }
  if (name.length === 0) return 'label key name part must not be empty';
  if (name.length > 63) return 'label key name part must be at most 63 characters';
  if (!QUALIFIED_NAME.test(name))
    return 'label key name part must consist of alphanumerics, "-", "_" or ".", and start and end with an alphanumeric';
  return undefined;
}

export function labelValueProblem(value: string): string | undefined {
  if (value.length > 63) return 'label value must be at most 63 characters';
  if (!LABEL_VALUE.test(value))
    return 'label value must be empty or consist of alphanumerics, "-", "_" or ".", and start and end with an alphanumeric';
  return undefined;
}

const KEY_HINT = 'label keys are [prefix/]name: an optional lowercase DNS subdomain prefix (at most 253 characters) and a name of at most 63 letters, digits, "-", "_" or ".", beginning and ending with a letter or digit';
const VALUE_HINT = 'label values are empty or at most 63 letters, digits, "-", "_" or ".", beginning and ending with a letter or digit';

// Memo of keys and values already found valid: the same few strings label tens of thousands of pods.
const validKeys = new Set<string>();
const validValues = new Set<string>();
const MEMO_LIMIT = 50_000;

/** Label key and value syntax as the API server checks it (metav1 validation); false when reported. */
function labelOk(key: string, val: string, p: string, r: Reporter): boolean {
  let ok = true;
  if (!validKeys.has(key)) {
    const kp = labelKeyProblem(key);
    if (kp) {
      r.error(p, `invalid label key "${key}": ${kp}`, KEY_HINT);
      ok = false;
    } else if (validKeys.size < MEMO_LIMIT) validKeys.add(key);
  }
  if (!validValues.has(val)) {
    const vp = labelValueProblem(val);
    if (vp) {
      r.error(p, `invalid label value ${describe(val)}: ${vp}`, VALUE_HINT);
      ok = false;
    } else if (validValues.size < MEMO_LIMIT) validValues.add(val);
  }
  return ok;
}

/**
 * A `map[string]string` (metadata.labels of every object, pod template labels, matchLabels, a
 * Service selector). Keys and values are validated as the API server does, so a manifest the API
 * would reject (`-lead`, `a/b/c`, `has spaces !!`) is refused here too. Values that YAML parsed as
 * numbers or booleans are errors, as for the API server, with a hint to quote them.
 */
export function labelsAt(v: unknown, path: string, r: Reporter): Labels | undefined {
  if (absent(v)) return undefined;
  if (!isObj(v)) {
    r.error(path, `must be a map of strings; got ${describe(v)}`);
    return undefined;
  }
  // Fast path (tens of thousands of pods): a plain map of valid strings is used as is, not copied.
  let plain = Object.getPrototypeOf(v) === Object.prototype;
  if (plain)
    for (const key in v) {
      const val = v[key];
      if (typeof val !== 'string' || !validKeys.has(key) || !validValues.has(val)) {
        plain = false;
        break;
      }
    }
  if (plain) return v as Labels;
  const out: Record<string, string> = {};
  for (const key of Object.keys(v)) {
    const val = v[key];
    if (val === undefined) continue;
    const p = join(path, key);
    if (typeof val !== 'string') {
      const hint =
        typeof val === 'number' || typeof val === 'boolean' || val === null
          ? `quote the value: ${key}: "${val === null ? '' : String(val)}"`
          : undefined;
      r.error(p, `label value must be a string; got ${describe(val)}`, hint);
      continue;
    }
    labelOk(key, val, p, r);
    out[key] = val;
  }
  return out;
}

const OPERATORS: readonly SelectorOperator[] = ['In', 'NotIn', 'Exists', 'DoesNotExist'];

/**
 * metav1.LabelSelector with the API's validation: operators In/NotIn need values,
 * Exists/DoesNotExist must have none. Absent => undefined (the caller decides what that means).
 */
export function selectorAt(v: unknown, path: string, r: Reporter): LabelSelector | undefined {
  if (absent(v)) return undefined;
  const o = objAt(v, path, r);
  if (!o) return undefined;
  checkFields(o, ['matchLabels', 'matchExpressions'], path, r, selectorHints(o));
  const out: { matchLabels?: Labels; matchExpressions?: LabelSelectorRequirement[] } = {};
  const ml = labelsAt(o['matchLabels'], join(path, 'matchLabels'), r);
  if (ml !== undefined && Object.keys(ml).length > 0) out.matchLabels = ml;
  const exprPath = join(path, 'matchExpressions');
  const exprs = listAt(o['matchExpressions'], exprPath, r);
  if (exprs && exprs.length > 0) {
    const reqs: LabelSelectorRequirement[] = [];
    exprs.forEach((e, i) => {
      const req = requirementAt(e, index(exprPath, i), r);
      if (req) reqs.push(req);
    });
    out.matchExpressions = reqs;
  }
  return out;
}

function selectorHints(o: Obj): Record<string, string> {
  const hints: Record<string, string> = {};
  for (const key of Object.keys(o)) {
    if (typeof o[key] === 'string' && key !== 'matchLabels' && key !== 'matchExpressions')
      hints[key] = `labels go under matchLabels: write "matchLabels: {${key}: ${String(o[key])}}"`;
  }
  return hints;
}

function requirementAt(v: unknown, path: string, r: Reporter): LabelSelectorRequirement | undefined {
  const o = objAt(v, path, r);
  if (!o) {
    if (absent(v)) r.error(path, 'must be an object with key and operator');
    return undefined;
  }
  checkFields(o, ['key', 'operator', 'values'], path, r);
  const key = strAt(o['key'], join(path, 'key'), r);
  const op = strAt(o['operator'], join(path, 'operator'), r);
  const values = listAt(o['values'], join(path, 'values'), r);
  let ok = true;
  if (key === undefined || key === '') {
    if (absent(o['key']) || key === '') r.error(join(path, 'key'), 'is required');
    ok = false;
  } else {
    const kp = labelKeyProblem(key);
    if (kp) {
      r.error(join(path, 'key'), `invalid label key "${key}": ${kp}`);
      ok = false;
    }
  }
  if (op === undefined) {
    if (absent(o['operator'])) r.error(join(path, 'operator'), 'is required', 'use one of In, NotIn, Exists, DoesNotExist');
    return undefined;
  }
  if (!OPERATORS.includes(op as SelectorOperator)) {
    const ci = OPERATORS.find((x) => x.toLowerCase() === op.toLowerCase());
    r.error(
      join(path, 'operator'),
      `unsupported operator ${describe(op)}`,
      ci ? `operators are case-sensitive: use ${ci}` : 'use one of In, NotIn, Exists, DoesNotExist',
    );
    return undefined;
  }
  const operator = op as SelectorOperator;
  const strs: string[] = [];
  (values ?? []).forEach((x, i) => {
    const s = strAt(x, index(join(path, 'values'), i), r);
    if (s === undefined) {
      ok = false;
      return;
    }
    const vp = labelValueProblem(s);
    if (vp) {
      r.error(index(join(path, 'values'), i), `invalid label value "${s}": ${vp}`);
      ok = false;
    }
    strs.push(s);
  });
  if ((operator === 'In' || operator === 'NotIn') && (values?.length ?? 0) === 0) {
    r.error(join(path, 'values'), `must be non-empty when operator is ${operator}`, `list at least one value, or use ${operator === 'In' ? 'Exists' : 'DoesNotExist'}`);
    return undefined;
  }
  if ((operator === 'Exists' || operator === 'DoesNotExist') && (values?.length ?? 0) > 0) {
    r.error(join(path, 'values'), `must be empty when operator is ${operator}`, `remove values, or use ${operator === 'Exists' ? 'In' : 'NotIn'}`);
    return undefined;
  }
  if (!ok || key === undefined) return undefined;
  return operator === 'In' || operator === 'NotIn' ? { key, operator, values: strs } : { key, operator };
}

// ---------------------------------------------------------------- ports and protocols

/** protocol field: absent => TCP; must be exactly TCP, UDP or SCTP. */
export function protocolAt(v: unknown, path: string, r: Reporter): Protocol | undefined {
  if (absent(v)) return 'TCP';
  const s = strAt(v, path, r);
  if (s === undefined) return undefined;
  if (PROTOCOLS.includes(s as Protocol)) return s as Protocol;
  const up = s.toUpperCase();
  r.error(
    path,
    `unsupported protocol ${describe(s)}`,
    PROTOCOLS.includes(up as Protocol) ? `protocol names are case-sensitive: use ${up}` : 'use TCP, UDP or SCTP',
  );
  return undefined;
}

export const isPortNumber = (n: number): boolean => Number.isInteger(n) && n >= 1 && n <= 65535;

/** IANA_SVC_NAME (RFC 6335): at most 15 chars, lowercase alphanumerics and '-', at least one letter. */
export function portNameProblem(name: string): string | undefined {
  if (name.length === 0) return 'must not be empty';
  if (name.length > 15) return 'must be at most 15 characters';
  if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(name))
    return 'must consist of lowercase alphanumerics or "-", and start and end with an alphanumeric';
  if (name.includes('--')) return 'must not contain consecutive hyphens';
  if (!/[a-z]/.test(name)) return 'must contain at least one letter';
  return undefined;
}

/** A required port number (containerPort, Service port, admin portNumber.port ...). */
export function portNumberAt(v: unknown, path: string, r: Reporter, required = true): number | undefined {
  if (absent(v)) {
    if (required) r.error(path, 'is required', 'set a port number between 1 and 65535');
    return undefined;
  }
  const n = intAt(v, path, r);
  if (n === undefined) return undefined;
  if (!isPortNumber(n)) {
    r.error(path, `port must be 1-65535; got ${n}`);
    return undefined;
  }
  return n;
}

/**
 * IntOrString port (NetworkPolicy `port`, Service `targetPort`): a number 1-65535 or an
 * IANA_SVC_NAME naming a container port.
 */
export function intOrNamedPortAt(v: unknown, path: string, r: Reporter): number | string | undefined {
  if (absent(v)) return undefined;
  if (typeof v === 'number') {
    if (isPortNumber(v)) return v;
    r.error(path, `port must be 1-65535 or an IANA_SVC_NAME; got ${v}`);
    return undefined;
  }
  if (typeof v === 'string') {
    const p = portNameProblem(v);
    if (p === undefined) return v;
    const numeric = /^\d+$/.test(v);
    r.error(
      path,
      `port must be 1-65535 or an IANA_SVC_NAME; got ${describe(v)} (a port name ${p})`,
      numeric ? `a quoted number is a port name: write ${v} without quotes` : 'use a port number or the name of a container port (e.g. http)',
    );
    return undefined;
  }
  r.error(path, `port must be 1-65535 or an IANA_SVC_NAME; got ${describe(v)}`);
  return undefined;
}
