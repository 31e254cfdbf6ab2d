/**
 * Decoding rules that pick or restrict the next token: greedy argmax, top-k, top-p and min-p.
 *
 * @module
 */

import {
  checkNumbers,
  checkProbabilities,
  checkProbability,
  checkTopK,
  checkTopP,
} from "../_validate.ts";

/**
 * Index of the largest value: the greedy choice.
 *
 * Formula: argmax_i x_i; the first such index when several tie. Runs in O(n).
 *
 * @param values Numbers (logits or probabilities); `±Infinity` allowed, NaN not.
 * @returns The first index holding the maximum.
 * @throws {TypeError} When `values` is not an array of numbers.
 * @throws {RangeError} When `values` is empty or holds NaN.
 * @example
 * ```ts
 * import { argmax } from "./decoding.ts";
 * import assert from "node:assert/strict";
 * assert.equal(argmax([0.1, 0.05, 0.4, 0.15, 0.3]), 2); // Playground
 * assert.equal(argmax([1, 3, 3]), 1); // first of the tied maxima
 * ```
 */
export function argmax(values: ArrayLike<number>): number {
  checkNumbers(values, "values");
  let best = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (Number.isNaN(x)) throw new RangeError(`\`values[${i}]\` must not be NaN, got NaN`);
    if (x > values[best]!) best = i;
  }
  return best;
}

/**
 * Keeps the k most probable entries and renormalises them to sum to 1.
 *
 * Formula: q_i = p_i / Σ_{j in K} p_j for i in K (the k largest p, ties broken by lower index),
 * q_i = 0 otherwise. k larger than the number of entries keeps them all. Runs in O(n log n).
 *
 * @param probs A probability distribution.
 * @param k How many entries to keep: an integer >= 1.
 * @returns A new `Float64Array`, zero outside the kept entries.
 * @throws {TypeError} When an argument has the wrong type.
 * @throws {RangeError} When `probs` is not a distribution or `k` is not an integer >= 1.
 * @example
 * ```ts
 * import { topK } from "./decoding.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...topK([0.1, 0.05, 0.4, 0.15, 0.3], 2)], [0, 0, 0.4 / (0.4 + 0.3), 0, 0.3 / (0.4 + 0.3)]);
 * ```
 */
export function topK(probs: ArrayLike<number>, k: number): Float64Array {
  checkProbabilities(probs);
  checkTopK(k);
  return keepFirst(probs, rankByProbability(probs).slice(0, k));
}

/**
 * Nucleus (top-p) filtering: keeps the smallest set of most probable entries whose mass reaches p,
 * renormalised.
 *
 * Formula: sort p descending (ties by lower index) and keep the shortest prefix whose sum is
 * >= p (allowing 1e-12 for rounding); q_i = p_i / (kept mass) there, 0 elsewhere. p = 1 keeps
 * every entry of non-zero probability. Runs in O(n log n).
 *
 * @param probs A probability distribution.
 * @param p The mass to keep, 0 < p <= 1.
 * @returns A new `Float64Array`, zero outside the nucleus.
 * @throws {TypeError} When an argument has the wrong type.
 * @throws {RangeError} When `probs` is not a distribution or `p` is outside (0, 1].
 * @example
 * ```ts
 * import { topP } from "./decoding.ts";
 * import assert from "node:assert/strict";
 * // 0.4 + 0.3 = 0.7 reaches p = 0.7: Playground and School survive.
 * assert.deepEqual([...topP([0.1, 0.05, 0.4, 0.15, 0.3], 0.7)], [0, 0, 0.4 / (0.4 + 0.3), 0, 0.3 / (0.4 + 0.3)]);
 * ```
 */
export function topP(probs: ArrayLike<number>, p: number): Float64Array {
  checkProbabilities(probs);
  checkTopP(p);
  const order = rankByProbability(probs);
  let mass = 0;
  let kept = 0;
  while (kept < order.length && probs[order[kept]!]! > 0) {
    mass += probs[order[kept]!]!;
    kept++;
    if (mass + 1e-12 >= p) break;
  }
  return keepFirst(probs, order.slice(0, kept));
}

/**
 * Min-p filtering (Nguyen et al. 2024): keeps every entry at least `pBase` times as probable as
 * the most probable one, renormalised. The cut-off scales with the model's confidence: a sure
 * model keeps few words, an unsure one many.
 *
 * Formula: q_i = p_i / Σ_{j: p_j >= pBase·max p} p_j when p_i >= pBase · max p, q_i = 0
 * otherwise. pBase = 0 keeps every entry; pBase = 1 keeps only the maxima (ties share). Runs in
 * O(n).
 *
 * @param probs A probability distribution.
 * @param pBase The fraction of the largest probability an entry needs, in [0, 1].
 * @returns A new `Float64Array`, zero outside the kept entries.
 * @throws {TypeError} When an argument has the wrong type.
 * @throws {RangeError} When `probs` is not a distribution or `pBase` is outside [0, 1].
 * @example
 * ```ts
 * import { minP } from "./decoding.ts";
 * import assert from "node:assert/strict";
 * // Threshold 0.25 × 0.4 = 0.1: Cafe (0.1) stays, Hospital (0.05) goes; kept mass 0.95.
 * const q = minP([0.1, 0.05, 0.4, 0.15, 0.3], 0.25);
 * assert.deepEqual([...q], [0.1 / 0.95, 0, 0.4 / 0.95, 0.15 / 0.95, 0.3 / 0.95]);
 * ```
 */
export function minP(probs: ArrayLike<number>, pBase: number): Float64Array {
  checkProbabilities(probs);
  checkProbability(pBase, "pBase");
  let max = 0;
  for (let i = 0; i < probs.length; i++) max = Math.max(max, probs[i]!);
  const threshold = pBase * max;
  const kept: number[] = [];
  for (let i = 0; i < probs.length; i++) if (probs[i]! > 0 && probs[i]! >= threshold) kept.push(i);
  return keepFirst(probs, kept);
}

/** Indices sorted by probability, highest first; ties keep index order. */
function rankByProbability(probs: ArrayLike<number>): number[] {
  return Array.from({ length: probs.length }, (_, i) => i)
    .sort((i, j) => probs[j]! - probs[i]! || i - j);
}

/** A distribution that keeps only `indices`, renormalised. */
function keepFirst(probs: ArrayLike<number>, indices: number[]): Float64Array {
  const out = new Float64Array(probs.length);
  let mass = 0;
  for (const i of indices) mass += probs[i]!;
  for (const i of indices) out[i] = probs[i]! / mass;
  return out;
}
