// An open-addressing hash table from pairs of non-negative int32s (a context node and a token) to
// int32 values, in typed arrays: the n-gram model's contexts and counts live in these, so
// counting a token allocates no object.

/** A pair's 32-bit hash. */
function hashPair(a: number, b: number): number {
  let h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 13);
}

export class PairTable {
  /** First halves of the keys (-1: an empty slot), second halves, and values. */
  a: Int32Array;
  b: Int32Array;
  values: Int32Array;
  size = 0;
  private mask: number;

  constructor(expected = 1024) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.a = new Int32Array(cap).fill(-1);
    this.b = new Int32Array(cap);
    this.values = new Int32Array(cap);
    this.mask = cap - 1;
  }

  /** The value of (a, b), or -1 when absent. */
  get(a: number, b: number): number {
    const ka = this.a;
    const kb = this.b;
    const mask = this.mask;
    let i = hashPair(a, b) & mask;
    for (;;) {
      const x = ka[i];
      if (x === a && kb[i] === b) return this.values[i];
      if (x === -1) return -1;
      i = (i + 1) & mask;
    }
  }

  /** The value of (a, b); when absent, stores `value` for it and returns -1. */
  getOrSet(a: number, b: number, value: number): number {
    let ka = this.a;
    let kb = this.b;
    let mask = this.mask;
    let i = hashPair(a, b) & mask;
    for (;;) {
      const x = ka[i];
      if (x === a && kb[i] === b) return this.values[i];
      if (x === -1) break;
      i = (i + 1) & mask;
    }
    if ((this.size + 1) * 2 > ka.length) {
      this.grow();
      ka = this.a;
      kb = this.b;
      mask = this.mask;
      i = hashPair(a, b) & mask;
      while (ka[i] !== -1) i = (i + 1) & mask;
    }
    ka[i] = a;
    kb[i] = b;
    this.values[i] = value;
    this.size++;
    return -1;
  }

  private grow(): void {
    const oa = this.a;
    const ob = this.b;
    const ov = this.values;
    const cap = oa.length * 2;
    const ka = new Int32Array(cap).fill(-1);
    const kb = new Int32Array(cap);
    const values = new Int32Array(cap);
    const mask = cap - 1;
    for (let j = 0; j < oa.length; j++) {
      if (oa[j] === -1) continue;
      let i = hashPair(oa[j], ob[j]) & mask;
      while (ka[i] !== -1) i = (i + 1) & mask;
      ka[i] = oa[j];
      kb[i] = ob[j];
      values[i] = ov[j];
    }
    this.a = ka;
    this.b = kb;
    this.values = values;
    this.mask = mask;
  }
}
