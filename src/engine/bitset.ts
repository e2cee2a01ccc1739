// Fixed-size bit sets over equivalence-class ids (the matrix's working unit).
export class Bitset {
  readonly words: Uint32Array;
  constructor(readonly size: number, fill = false) {
    this.words = new Uint32Array((size + 31) >>> 5);
    if (fill) {
      this.words.fill(0xffffffff);
      const extra = this.words.length * 32 - size;
      if (extra > 0) this.words[this.words.length - 1] = 0xffffffff >>> extra;
    }
  }
  has(i: number): boolean {
    return (this.words[i >>> 5]! & (1 << (i & 31))) !== 0;
  }
  set(i: number): void {
    this.words[i >>> 5]! |= 1 << (i & 31);
  }
  clone(): Bitset {
    const b = new Bitset(this.size);
    b.words.set(this.words);
    return b;
  }
  or(o: Bitset): this {
    for (let i = 0; i < this.words.length; i++) this.words[i]! |= o.words[i]!;
    return this;
  }
  and(o: Bitset): this {
    for (let i = 0; i < this.words.length; i++) this.words[i]! &= o.words[i]!;
    return this;
  }
  andNot(o: Bitset): this {
    for (let i = 0; i < this.words.length; i++) this.words[i]! &= ~o.words[i]!;
    return this;
  }
}
