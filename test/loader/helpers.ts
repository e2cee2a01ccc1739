import { load } from 'js-yaml';
import { expect } from 'vitest';
import type { Converted, Problem } from '../../src/convert/problems.js';

/** One YAML document -> plain object (as the loader would see it). */
export const y = (text: string): unknown => load(text);

/** The value of a conversion that must succeed without errors. */
export function ok<T>(res: Converted<T>): T {
  if (!res.ok) throw new Error(`expected success, got:\n${res.problems.map((p) => `${p.severity}: ${p.message}`).join('\n')}`);
  return res.value;
}

export const errors = (res: Converted<unknown>): Problem[] => res.problems.filter((p) => p.severity === 'error');
export const warnings = (res: Converted<unknown>): Problem[] => res.problems.filter((p) => p.severity === 'warning');

/** Asserts the conversion failed with an error at `field` whose message names the object. */
export function expectError(res: Converted<unknown>, field: string, objectName: string, messagePart?: string | RegExp): Problem {
  expect(res.ok, 'conversion should fail').toBe(false);
  const errs = errors(res);
  const p = errs.find((e) => e.field === field);
  expect(p, `error at ${field}; got ${JSON.stringify(errs.map((e) => [e.field, e.message]))}`).toBeDefined();
  expect(p!.message.startsWith(`${objectName}: `), `"${p!.message}" should start with "${objectName}: "`).toBe(true);
  expect(p!.message).toContain(field);
  if (messagePart !== undefined) expect(p!.message).toMatch(messagePart);
  return p!;
}
