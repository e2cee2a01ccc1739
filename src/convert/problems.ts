// Problems found while converting Kubernetes objects into the engine model.
// Every problem names the object (kind, namespace/name), the field path, what is wrong and,
// where we can tell, how to fix it.

import type { SourceRef } from '../engine/model.js';

export type Severity = 'error' | 'warning';

export interface Problem {
  readonly severity: Severity;
  /** The object's kind (e.g. `NetworkPolicy`); absent for problems about a whole document. */
  readonly kind?: string;
  readonly namespace?: string;
  readonly name?: string;
  /** Field path inside the object, e.g. `spec.ingress[0].from[1].ipBlock.cidr`. */
  readonly field?: string;
  /** Self-contained sentence: starts with the object (`NetworkPolicy prod/web: ...`). */
  readonly message: string;
  readonly hint?: string;
  readonly source?: SourceRef;
  /** Index in the `items` of a List document, when the object came from one. */
  readonly itemIndex?: number;
  /** For summaries covering many objects (e.g. ignored kinds): every file involved. */
  readonly files?: readonly string[];
}

/**
 * Result of converting one object: the value (possibly with warnings) or, when any error was
 * found, only the problems. Invalid objects are never half-converted.
 */
export type Converted<T> =
  | { readonly ok: true; readonly value: T; readonly problems: readonly Problem[] }
  | { readonly ok: false; readonly problems: readonly Problem[] };

/** Identity and location of the object being converted, shared by its problems. */
export interface ObjectContext {
  /** Namespace for namespaced objects without metadata.namespace (like `kubectl -n`). */
  readonly defaultNamespace?: string;
  readonly source?: SourceRef;
  readonly itemIndex?: number;
}

/** Collects problems for one object. The object's name may be filled in after metadata is read. */
export class Reporter {
  readonly problems: Problem[] = [];
  errorCount = 0;
  namespace: string | undefined;
  name: string | undefined;

  constructor(
    readonly kind: string,
    readonly ctx: ObjectContext = {},
  ) {}

  /** `NetworkPolicy prod/web`, `Namespace prod`, `Pod default/<unnamed>`. */
  get objectName(): string {
    const name = this.name ?? '<unnamed>';
    return this.namespace !== undefined ? `${this.kind} ${this.namespace}/${name}` : `${this.kind} ${name}`;
  }

  error(field: string, what: string, hint?: string): void {
    this.errorCount++;
    this.push('error', field, what, hint);
  }

  warn(field: string, what: string, hint?: string): void {
    this.push('warning', field, what, hint);
  }

  get failed(): boolean {
    return this.errorCount > 0;
  }

  result<T>(value: T | undefined): Converted<T> {
    if (this.errorCount > 0 || value === undefined) return { ok: false, problems: this.problems };
    return { ok: true, value, problems: this.problems };
  }

  private push(severity: Severity, field: string, what: string, hint: string | undefined): void {
    const p: {
      -readonly [K in keyof Problem]: Problem[K];
    } = {
      severity,
      kind: this.kind,
      message: field ? `${this.objectName}: ${field}: ${what}` : `${this.objectName}: ${what}`,
    };
    if (this.namespace !== undefined) p.namespace = this.namespace;
    if (this.name !== undefined) p.name = this.name;
    if (field) p.field = field;
    if (hint !== undefined) p.hint = hint;
    if (this.ctx.source !== undefined) p.source = this.ctx.source;
    if (this.ctx.itemIndex !== undefined) p.itemIndex = this.ctx.itemIndex;
    this.problems.push(p);
  }
}

/** Short description of a value for messages: `70000`, `"abc"`, `a list`, `an object`, `null`. */
export function describe(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  if (typeof v === 'string') return JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v);
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  if (Array.isArray(v)) return 'a list';
  if (v instanceof Date) return JSON.stringify(v.toISOString());
  if (typeof v === 'object') return 'an object';
  return typeof v;
}

/** Child field path: `join('spec', 'ingress')` = `spec.ingress`; `join('', 'spec')` = `spec`. */
export const join = (path: string, key: string): string => (path ? `${path}.${key}` : key);
export const index = (path: string, i: number): string => `${path}[${i}]`;
