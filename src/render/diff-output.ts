// The what-if diff as text, data (kind: Diff) and Markdown for a pull-request comment.
import { keyText } from '../diff/apply.js';
import type { DiffResult } from '../diff/compute.js';
import { document, Kind } from './contract.js';
import { portChangeText } from './fix-text.js';
import { plain, type Style } from './style.js';

export function diffData(r: DiffResult) {
  return document(Kind.Diff, {
    changed: r.connectionsChanged,
    policies: r.changes.map((c) => ({ change: c.change, ...c.key })),
    items: r.groups.map((g) => ({ from: g.from, to: g.to, ports: g.ports })),
    notes: r.notes,
  });
}

const pairsText = (n: number) => (n > 1 ? ` (${n} pod pairs)` : '');

export function renderDiffText(r: DiffResult, s: Style = plain): string {
  const lines: string[] = [];
  if (r.changes.length === 0) return 'No policy changes: the manifests match the base state.\n';
  lines.push(`${r.changes.length} polic${r.changes.length === 1 ? 'y' : 'ies'} change:`);
  for (const c of r.changes) lines.push(`  ${c.change.padEnd(7)} ${keyText(c.key)}`);
  lines.push('');
  if (!r.connectionsChanged) {
    lines.push('No pod-to-pod connection changes.');
    return lines.join('\n') + '\n';
  }
  const opened = r.groups.reduce((n, g) => n + g.ports.filter((p) => p.now === 'allowed').length, 0);
  const blocked = r.groups.reduce((n, g) => n + g.ports.filter((p) => p.now === 'blocked').length, 0);
  lines.push(`Connections that change (${opened} opened, ${blocked} blocked, by workload pair and port):`);
  for (const g of r.groups) {
    lines.push(`  ${g.from} -> ${g.to}`);
    for (const p of g.ports) lines.push(`    ${p.now === 'allowed' ? s.ok('+ allowed') : s.bad('- blocked')}  ${portChangeText(p)}${pairsText(p.pairs)}`);
  }
  return lines.join('\n') + '\n';
}

export function renderDiffMarkdown(r: DiffResult): string {
  const lines: string[] = ['### kubectl netpol diff', ''];
  if (r.changes.length === 0) return `${lines.join('\n')}No policy changes.\n`;
  lines.push('| change | policy |', '| --- | --- |');
  for (const c of r.changes) lines.push(`| ${c.change} | \`${keyText(c.key)}\` |`);
  lines.push('');
  if (!r.connectionsChanged) lines.push('No pod-to-pod connection changes.');
  else {
    lines.push('| from | to | port | now | pod pairs |', '| --- | --- | --- | --- | --- |');
    for (const g of r.groups) for (const p of g.ports) lines.push(`| \`${g.from}\` | \`${g.to}\` | ${portChangeText(p)} | ${p.now === 'allowed' ? '➕ allowed' : '➖ blocked'} | ${p.pairs} |`);
  }
  for (const n of r.notes) lines.push('', `> ${n}`);
  return lines.join('\n') + '\n';
}
