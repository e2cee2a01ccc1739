// check results as text (one line per flow + summary), data, and JUnit XML for CI systems.
import type { FlowResult } from '../engine/check.js';
import { plain, type Style } from './style.js';

const portOf = (r: FlowResult) => (r.flow.port === undefined ? 'any' : String(r.flow.port));

export function renderCheckText(results: readonly FlowResult[], style: Style = plain): string {
  const lines = results.map((r, i) => {
    const mark = r.pass ? style.ok('PASS') : style.bad('FAIL');
    const got = r.error ? `error: ${r.error.message}${r.error.hint ? ` (${r.error.hint})` : ''}` : `${r.allowed ? 'allowed' : 'denied'}${r.reason ? ` (${r.reason})` : ''}`;
    return `${mark}  #${i + 1} ${r.flow.from} -> ${r.flow.to} ${r.protocol}/${portOf(r)}  expected ${r.flow.expect}, got ${got}`;
  });
  const passed = results.filter((r) => r.pass).length;
  lines.push('', `${passed} of ${results.length} flows as expected${passed === results.length ? '' : `, ${results.length - passed} not`}`);
  return lines.join('\n') + '\n';
}

export function checkData(results: readonly FlowResult[]): { items: Record<string, unknown>[] } {
  return {
    items: results.map((r) => ({
      from: r.flow.from,
      to: r.flow.to,
      port: r.flow.port ?? null,
      protocol: r.protocol,
      expect: r.flow.expect,
      allowed: r.allowed ?? null,
      pass: r.pass,
      ...(r.reason ? { reason: r.reason } : {}),
      ...(r.error ? { error: r.error } : {}),
    })),
  };
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export function renderCheckJUnit(results: readonly FlowResult[], suiteName = 'kubectl-netpol check'): string {
  const failures = results.filter((r) => !r.pass && !r.error).length;
  const errors = results.filter((r) => r.error).length;
  const cases = results.map((r) => {
    const name = `${r.flow.from} -> ${r.flow.to} ${r.protocol}/${portOf(r)} expect ${r.flow.expect}`;
    let body = '';
    if (r.error) body = `<error message="${xml(r.error.message)}">${xml(r.error.hint ?? '')}</error>`;
    else if (!r.pass) body = `<failure message="${xml(`expected ${r.flow.expect}, got ${r.allowed ? 'allowed' : 'denied'}`)}">${xml(`reason: ${r.reason ?? ''}`)}</failure>`;
    return `    <testcase classname="netpol.flows" name="${xml(name)}">${body}</testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites tests="${results.length}" failures="${failures}" errors="${errors}">`,
    `  <testsuite name="${xml(suiteName)}" tests="${results.length}" failures="${failures}" errors="${errors}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n');
}
