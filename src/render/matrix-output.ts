// matrix as text that fits 80 columns: a grid of numbered rows with a legend while one fits, else the
// allowed connections as `src => dst : ports`. Produced line by line, in time linear in the cells.
import { formatPorts, matrixProtocols, portFormatter, type MatrixView } from './matrix-data.js';
import { plain, type Style } from './style.js';

export const TEXT_WIDTH = 80;
/** Rows a grid can hold in TEXT_WIDTH: "NN " then two characters per column. */
export const GRID_MAX_ROWS = Math.floor((TEXT_WIDTH - 4) / 2);
const CODES = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ';

export type TextForm = 'grid' | 'list';

/** Why the grid cannot be used, or undefined when it can. */
export function gridRefusal(v: MatrixView): string | undefined {
  const what = v.by === 'pod' ? 'pods' : 'workloads';
  if (v.rows.length > GRID_MAX_ROWS) return `${v.rows.length} ${what} do not fit a grid in ${TEXT_WIDTH} columns (at most ${GRID_MAX_ROWS})`;
  if (v.r.columns.length > 1) {
    const masks = new Set<number>();
    for (let i = 0; i < v.rows.length; i++) for (const c of v.connections.cells(i)) if (c.all !== 0) masks.add(c.all);
    if (masks.size > CODES.length) return `${masks.size} different port sets are more than a grid legend can letter`;
  }
  return undefined;
}

function header(v: MatrixView, style: Style): string {
  const what = v.by === 'pod' ? 'pods' : `workloads (${v.r.pods.length} pods)`;
  const protocols = matrixProtocols(v);
  const every = protocols.length === 3 ? 'every port and protocol' : `every ${protocols.join(' and ')} port`;
  const ports = v.r.allPorts ? every : v.r.columns.map((c) => `${c.protocol}/${c.name ?? c.start}`).join(', ');
  return `${style.bold(`${v.rows.length} ${what}`)}, ${ports}`;
}

function footer(v: MatrixView, connections: number, style: Style, extra: string): string {
  const g = v.r.classCount;
  return `${style.dim(`${connections} allowed ${connections === 1 ? 'connection' : 'connections'}${extra}`)}\n${style.dim(`(pods that no policy can tell apart were evaluated together: ${g} ${g === 1 ? 'group' : 'groups'})`)}`;
}

/** Line-by-line text; `form` is what gridRefusal allows (the caller says when it switched). */
export function* renderMatrixText(v: MatrixView, form: TextForm, style: Style = plain): Generator<string> {
  yield header(v, style) + '\n';
  if (form === 'grid') yield* grid(v, style);
  else yield* list(v, style);
}

function* list(v: MatrixView, style: Style): Generator<string> {
  const { r, rows } = v;
  const fmt = portFormatter(r);
  let n = 0;
  for (let i = 0; i < rows.length; i++)
    for (const cell of v.connections.cells(i)) {
      const partial = r.masks.andNot(cell.some, cell.all);
      const ports = [cell.all !== 0 ? formatPorts(fmt(cell.all)) : '', partial !== 0 ? `some pods only: ${formatPorts(fmt(partial))}` : ''].filter(Boolean).join('; ');
      const line = `${rows[i]!.label} => ${rows[cell.to]!.label} : ${ports}`;
      // Too long for one line: the destination and ports go on an indented second line.
      yield line.length <= TEXT_WIDTH ? `${line}\n` : `${rows[i]!.label} =>\n    ${rows[cell.to]!.label} : ${ports}\n`;
      n++;
    }
  if (n === 0) yield style.dim('(no allowed connections)') + '\n';
  yield footer(v, n, style, v.by === 'workload' ? ' (a workload to itself: replica to replica)' : '') + '\n';
}

function* grid(v: MatrixView, style: Style): Generator<string> {
  const { r, rows } = v;
  const single = r.columns.length === 1;
  const fmt = portFormatter(r);
  const codes = new Map<number, string>();
  const w = String(rows.length).length;
  // Column numbers read top-down: a tens line (when there are 10 or more), then the units.
  if (rows.length >= 10) yield `${' '.repeat(w + 1)}${style.dim(rows.map((_, j) => (j + 1 >= 10 ? String(Math.floor((j + 1) / 10) % 10) : ' ')).join(' '))}\n`;
  yield `${' '.repeat(w + 1)}${style.dim(rows.map((_, j) => String((j + 1) % 10)).join(' '))}\n`;
  let allowed = 0;
  let partialSeen = false;
  for (let i = 0; i < rows.length; i++) {
    const cells = new Map(v.connections.cells(i).map((c) => [c.to, c]));
    const line: string[] = [];
    for (let j = 0; j < rows.length; j++) {
      const cell = cells.get(j);
      if (i === j && rows[i]!.classes.length === 1 && rows[i]!.classes[0]!.n === 1) {
        line.push(style.dim('='));
        continue;
      }
      if (!cell || cell.some === 0) {
        line.push(style.bad(single ? '✗' : '·'));
        continue;
      }
      allowed++;
      if (cell.all !== cell.some) {
        partialSeen = true;
        line.push(style.warn('~'));
      } else if (single) line.push(style.ok('✓'));
      else {
        let code = codes.get(cell.all);
        if (code === undefined) codes.set(cell.all, (code = CODES[codes.size]!));
        line.push(style.ok(code));
      }
    }
    yield `${String(i + 1).padStart(w)} ${line.join(' ')}\n`;
  }
  yield '\n';
  for (let i = 0; i < rows.length; i++) yield `${String(i + 1).padStart(w)}  ${rows[i]!.label}${rows[i]!.pods > 1 ? style.dim(` (${rows[i]!.pods} pods)`) : ''}\n`;
  yield '\n';
  const legend = single ? [`${style.ok('✓')} allowed  ${style.bad('✗')} denied`] : [...codes].map(([mask, code]) => `${style.ok(code)} ${formatPorts(fmt(mask))}`).concat([`${style.bad('·')} nothing allowed`]);
  legend.push(`${style.dim('=')} a pod to itself (never policed)`);
  if (partialSeen) legend.push(`${style.warn('~')} allowed between some of their pods only (see --list or --by pod)`);
  for (const l of legend) yield `${l}\n`;
  yield footer(v, allowed, style, ' (rows: source, columns: destination)') + '\n';
}
