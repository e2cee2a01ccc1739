// matrix as a grid per port (cli-table3) and as data items.
import Table from 'cli-table3';
import type { Matrix } from '../engine/matrix.js';
import { podLabel } from '../engine/resolve.js';
import { document, Kind } from './contract.js';
import { plain, type Style } from './style.js';

const podName = (m: Matrix, i: number) => podLabel(m.pods[i]!);

export function renderMatrixText(m: Matrix, style: Style = plain): string {
  const out: string[] = [];
  const n = m.pods.length;
  m.ports.forEach((spec, pi) => {
    // Columns are numbered to keep the grid narrow; rows carry the full names.
    const table = new Table({ head: ['from \\ to', ...m.pods.map((_, j) => String(j + 1))], style: { head: [], border: [] } });
    for (let i = 0; i < n; i++) {
      const row = [`${i + 1} ${podName(m, i)}`];
      for (let j = 0; j < n; j++) row.push(m.allowed(pi, i, j) ? style.ok('✓') : style.bad('✗'));
      table.push(row);
    }
    let allowed = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (m.allowed(pi, i, j)) allowed++;
    out.push(`${style.bold(`${spec.protocol}/${spec.port}`)}  ${allowed} of ${n * n} pairs allowed`, table.toString(), '');
  });
  out.push(style.dim(`✓ allowed  ✗ denied  (rows: source, columns: destination; pods that no policy can tell apart were evaluated together: ${m.classCount} ${m.classCount === 1 ? 'group' : 'groups'})`));
  return out.join('\n') + '\n';
}

/** `{apiVersion, kind: Matrix, items: [{from, to, port, protocol, allowed}]}` (docs/schema/matrix.schema.json). */
export function matrixData(m: Matrix) {
  const items: { from: string; to: string; port: number; protocol: string; allowed: boolean }[] = [];
  m.ports.forEach((spec, pi) => {
    for (let i = 0; i < m.pods.length; i++)
      for (let j = 0; j < m.pods.length; j++) items.push({ from: podName(m, i), to: podName(m, j), port: spec.port, protocol: spec.protocol, allowed: m.allowed(pi, i, j) });
  });
  return document(Kind.Matrix, { items });
}
