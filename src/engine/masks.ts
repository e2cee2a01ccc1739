// Interned bit masks over a small column set (ports or port ranges): a pair's allowed columns is an
// id into this table, so equal masks are stored once and AND/OR of two ids is memoised.
export class MaskTable {
  private readonly words: Uint32Array[] = [];
  private readonly ids = new Map<string, number>();
  private readonly andMemo = new Map<number, number>();
  private readonly orMemo = new Map<number, number>();
  private readonly andNotMemo = new Map<number, number>();
  readonly width: number;

  constructor(readonly columns: number) {
    this.width = Math.max(1, (columns + 31) >>> 5);
    this.intern(new Uint32Array(this.width)); // id 0: nothing allowed
  }

  static readonly EMPTY = 0;

  intern(w: Uint32Array): number {
    const key = w.join(',');
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.words.length;
      this.words.push(w.slice());
      this.ids.set(key, id);
    }
    return id;
  }

  of(columns: Iterable<number>): number {
    const w = new Uint32Array(this.width);
    for (const c of columns) w[c >>> 5]! |= 1 << (c & 31);
    return this.intern(w);
  }

  has(id: number, column: number): boolean {
    return (this.words[id]![column >>> 5]! & (1 << (column & 31))) !== 0;
  }

  columnsOf(id: number): number[] {
    const out: number[] = [];
    for (let c = 0; c < this.columns; c++) if (this.has(id, c)) out.push(c);
    return out;
  }

  and(a: number, b: number): number {
    if (a === b) return a;
    if (a === 0 || b === 0) return 0;
    return this.combine(a, b, this.andMemo, (x, y) => x & y);
  }

  or(a: number, b: number): number {
    if (a === b || b === 0) return a;
    if (a === 0) return b;
    return this.combine(a, b, this.orMemo, (x, y) => x | y);
  }

  /** Columns of `a` that are not in `b`. */
  andNot(a: number, b: number): number {
    if (a === 0 || a === b) return 0;
    if (b === 0) return a;
    return this.combine(a, b, this.andNotMemo, (x, y) => x & ~y, false);
  }

  private combine(a: number, b: number, memo: Map<number, number>, op: (x: number, y: number) => number, symmetric = true): number {
    const key = symmetric && a > b ? b * 0x100000 + a : a * 0x100000 + b;
    let r = memo.get(key);
    if (r === undefined) {
      const x = this.words[a]!;
      const y = this.words[b]!;
      const w = new Uint32Array(this.width);
      for (let i = 0; i < w.length; i++) w[i] = op(x[i]!, y[i]!);
      r = this.intern(w);
      memo.set(key, r);
    }
    return r;
  }
}
