/**
 * The counting table behind the n-gram models: a hash table from m-grams of word ids to counts,
 * built for speed and memory (the Brown trigram counts fit in a few MB of Int32Array). It is
 * plumbing, not a lesson: ngram.ts teaches the model and uses this table to count.
 *
 * @module
 */

/**
 * A counting hash table whose keys are m-grams of word ids. Open addressing with linear probing;
 * slot i holds `[w₁, …, wₘ, count]` side by side in one Int32Array (count 0 marks an empty slot),
 * so a look-up usually touches one cache line. A slot's index is the m-gram's id; ids stay valid
 * as long as the table does not grow, and it never grows after counting.
 */
export class NGramTable {
  /** The key length m. */
  readonly m: number;
  /** Number of distinct m-grams stored. */
  size = 0;
  #stride: number;
  #slots: Int32Array;
  #mask: number;

  /** The number of slots a table sized for `expected` distinct m-grams gets (a power of 2). */
  static slotsFor(expected: number): number {
    return 2 ** Math.max(4, Math.ceil(Math.log2(expected * 1.5 + 1)));
  }

  constructor(m: number, expected: number) {
    this.m = m;
    this.#stride = m + 1;
    const slotCount = NGramTable.slotsFor(expected);
    this.#slots = new Int32Array(slotCount * this.#stride);
    this.#mask = slotCount - 1;
  }

  /** Number of slots; ids are in [0, slotCount). */
  get slotCount(): number {
    return this.#mask + 1;
  }

  /** The count of the m-gram in slot `id` (0 for an empty slot). */
  countAt(id: number): number {
    return this.#slots[id * this.#stride + this.m]!;
  }

  /** Word j (0-based) of the m-gram in slot `id`. */
  wordAt(id: number, j: number): number {
    return this.#slots[id * this.#stride + j]!;
  }

  #hash(key: ArrayLike<number>, offset: number): number {
    let h = 0x2545f491;
    for (let j = 0; j < this.m; j++) {
      h = Math.imul(h ^ key[offset + j]!, 0x9e3779b1);
      h ^= h >>> 16;
    }
    h = Math.imul(h, 0x85ebca6b);
    return h ^ (h >>> 13);
  }

  /** The id of key[offset … offset + m), or −1 when absent. */
  find(key: ArrayLike<number>, offset = 0): number {
    const slots = this.#slots;
    const m = this.m;
    const stride = this.#stride;
    const mask = this.#mask;
    let i = this.#hash(key, offset) & mask;
    for (;;) {
      const at = i * stride;
      if (slots[at + m] === 0) return -1;
      let j = 0;
      while (j < m && slots[at + j] === key[offset + j]) j++;
      if (j === m) return i;
      i = (i + 1) & mask;
    }
  }

  /** Adds `amount` (> 0) to the count of key[offset … offset + m), inserting it if new. */
  add(key: ArrayLike<number>, offset = 0, amount = 1): void {
    const slots = this.#slots;
    const m = this.m;
    const stride = this.#stride;
    const mask = this.#mask;
    let i = this.#hash(key, offset) & mask;
    for (;;) {
      const at = i * stride;
      if (slots[at + m] === 0) {
        for (let j = 0; j < m; j++) slots[at + j] = key[offset + j]!;
        slots[at + m] = amount;
        if (++this.size * 10 > (mask + 1) * 7) this.#grow();
        return;
      }
      let j = 0;
      while (j < m && slots[at + j] === key[offset + j]) j++;
      if (j === m) {
        slots[at + m]! += amount;
        return;
      }
      i = (i + 1) & mask;
    }
  }

  #grow(): void {
    const old = this.#slots;
    const stride = this.#stride;
    const m = this.m;
    const slotCount = (this.#mask + 1) * 2;
    const slots = new Int32Array(slotCount * stride);
    const mask = slotCount - 1;
    for (let from = 0; from < old.length; from += stride) {
      if (old[from + m] === 0) continue;
      let i = this.#hash(old, from) & mask;
      while (slots[i * stride + m] !== 0) i = (i + 1) & mask;
      for (let j = 0; j <= m; j++) slots[i * stride + j] = old[from + j]!;
    }
    this.#slots = slots;
    this.#mask = mask;
  }
}
