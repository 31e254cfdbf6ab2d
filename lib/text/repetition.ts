/**
 * Measuring repetition in generated text: the share of distinct n-grams, and the loop a text
 * ends in.
 *
 * @module
 */

import { checkInteger, checkStrings } from "../_validate.ts";
import { NGramTable } from "./ngram_table.ts";

/**
 * distinct-n: the number of different n-grams divided by the number of n-grams in a text. 1 means
 * no n-gram repeats; a text stuck in a loop tends towards 0.
 *
 * Formula: |{ (t_i … t_{i+n−1}) }| / (L − n + 1) for L tokens. Runs in O(L log n): every token
 * gets an integer id, and the ids of longer and longer grams are made from pairs of shorter ones
 * (lengths 1, 2, 4, … combined as n's binary digits), so no n-gram is ever built as a string.
 *
 * @param tokens The text as tokens (words), at least n of them.
 * @param n The n-gram length, an integer >= 1.
 * @returns The ratio in (0, 1].
 * @throws {TypeError} When `tokens` is not an array of strings or `n` not a number.
 * @throws {RangeError} When `n` is not an integer >= 1, or the text is shorter than n (it has no
 * n-grams, and 0/0 is no ratio).
 * @example
 * ```ts
 * import { distinctNGramRatio } from "./repetition.ts";
 * import assert from "node:assert/strict";
 * // Bigrams: "a b", "b a", "a b", "b a": 2 distinct out of 4.
 * assert.equal(distinctNGramRatio(["a", "b", "a", "b", "a"], 2), 0.5);
 * ```
 */
export function distinctNGramRatio(tokens: readonly string[], n: number): number {
  checkStrings(tokens, "tokens");
  checkInteger(n, "n", { min: 1 });
  const total = tokens.length - n + 1;
  if (total < 1) {
    throw new RangeError(
      `\`tokens\` must hold at least \`n\` = ${n} tokens to have an n-gram, got ${tokens.length}`,
    );
  }
  const L = tokens.length;
  // power[i]: an id of the gram of length p (1, 2, 4, …) starting at i; equal grams, equal ids.
  const vocabulary = new Map<string, number>();
  let power: Int32Array = new Int32Array(L);
  for (let i = 0; i < L; i++) {
    let id = vocabulary.get(tokens[i]!);
    if (id === undefined) vocabulary.set(tokens[i]!, id = vocabulary.size);
    power[i] = id;
  }
  // Once the grams of some length p <= n are all different, so are all longer ones.
  if (vocabulary.size === L) return 1;
  let p = 1;
  let powerCount = vocabulary.size; // how many different p-grams
  // grams[i]: the id of the gram of length r starting at i, r the sum of n's binary digits so far.
  let grams: Int32Array | undefined;
  let r = 0;
  let distinct = 0;
  for (let rest = n; rest > 0; rest = Math.floor(rest / 2)) {
    if (rest % 2 === 1) {
      if (grams === undefined) [grams, distinct] = [power, powerCount];
      else [grams, distinct] = pairIds(grams, r, power, p, L);
      r += p;
    }
    if (rest > 1) {
      [power, powerCount] = pairIds(power, p, power, p, L);
      p *= 2;
      if (powerCount === L - p + 1) return 1;
    }
  }
  return distinct / total;
}

/**
 * Ids of the grams of length a + b: the gram at i is the a-gram at i followed by the b-gram at
 * i + a; ids are the slots of a pair-counting hash table (ngram_table.ts), so equal pairs share
 * one. Returns the ids and how many different grams there are.
 */
function pairIds(
  first: Int32Array,
  a: number,
  second: Int32Array,
  b: number,
  L: number,
): [Int32Array, number] {
  const count = L - a - b + 1;
  const out = new Int32Array(count);
  const table = new NGramTable(2, count);
  const pair = new Int32Array(2);
  for (let i = 0; i < count; i++) {
    pair[0] = first[i]!;
    pair[1] = second[i + a]!;
    table.add(pair);
    out[i] = table.find(pair);
  }
  return [out, table.size];
}

/** A loop at the end of a text, found by {@linkcode repeatingCycle}. */
export interface Cycle {
  /** Length of the repeated unit, in tokens. */
  period: number;
  /** Index where the periodic tail starts. */
  start: number;
  /** Tokens in the periodic tail (from `start` to the end). */
  length: number;
  /** length / period: how many times the unit repeats (may end mid-unit). */
  repeats: number;
  /** The repeated unit: tokens[start … start + period − 1]. */
  unit: string[];
}

/**
 * The longest loop a text ends in: the periodic tail of the text covering the most tokens.
 *
 * Formula: for each period p, the tail from s is periodic when t_i = t_{i+p} for every i >= s;
 * the tail must hold at least two full units (length >= 2p). The period whose tail is longest
 * wins (the shortest such period on ties). Runs in O(L) for L tokens: the tail of period p is
 * p + Z[p] tokens long, where Z is the Z-function of the reversed text (Z[p] = how many tokens the
 * reversed text shares with itself shifted by p).
 *
 * @param tokens The text as tokens.
 * @returns The cycle, or `undefined` when the text does not end by repeating a unit twice.
 * @throws {TypeError} When `tokens` is not an array of strings.
 * @example
 * ```ts
 * import { repeatingCycle } from "./repetition.ts";
 * import assert from "node:assert/strict";
 * const cycle = repeatingCycle(["x", "a", "b", "c", "a", "b", "c", "a"]);
 * assert.deepEqual(cycle, { period: 3, start: 1, length: 7, repeats: 7 / 3, unit: ["a", "b", "c"] });
 * assert.equal(repeatingCycle(["a", "b", "c"]), undefined);
 * ```
 */
export function repeatingCycle(tokens: readonly string[]): Cycle | undefined {
  checkStrings(tokens, "tokens");
  const L = tokens.length;
  // r = tokens reversed; z[p] = the longest k with r[0 … k) = r[p … p + k) (Z-algorithm, O(L)).
  const r = tokens.toReversed();
  const z = new Int32Array(L);
  let left = 0;
  let right = 0; // r[left … right) matches r[0 … right − left)
  for (let p = 1; p < L; p++) {
    let k = p < right ? Math.min(right - p, z[p - left]!) : 0;
    while (p + k < L && r[k] === r[p + k]) k++;
    z[p] = k;
    if (p + k > right) {
      left = p;
      right = p + k;
    }
  }
  let best: Cycle | undefined;
  for (let p = 1; 2 * p <= L; p++) {
    const length = p + z[p]!; // t_i = t_{i+p} for the last z[p] positions i, plus the last unit
    if (length >= 2 * p && (best === undefined || length > best.length)) {
      const s = L - length;
      best = { period: p, start: s, length, repeats: length / p, unit: tokens.slice(s, s + p) };
    }
  }
  return best;
}
