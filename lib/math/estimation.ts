/**
 * Estimating probabilities from samples: counting draws, turning counts into frequencies, and the
 * binomial standard error that says how far a frequency from N draws may stray from the truth.
 *
 * @module
 */

import {
  checkIndex,
  checkInteger,
  checkNumber,
  checkNumbers,
  checkProbability,
  MAX_LENGTH,
} from "../_validate.ts";

/**
 * Counts how often each class index occurs among the draws.
 *
 * Formula: counts[i] = #{ j : draws[j] = i }. Runs in O(draws + classes).
 *
 * @param draws Class indices, each an integer in [0, classes); may be empty.
 * @param classes How many classes there are: an integer from 1 to MAX_LENGTH (2^25, the
 *   library's size limit, checked before the counts are allocated).
 * @returns A new `Float64Array` of length `classes` with the counts.
 * @throws {TypeError} When `draws` is not an array of numbers or `classes` not a number.
 * @throws {RangeError} When `classes` is not an integer in [1, 2^25] or a draw is not an integer
 *   in [0, classes).
 * @example
 * ```ts
 * import { countClasses } from "./estimation.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...countClasses([2, 0, 2, 2], 3)], [1, 0, 3]);
 * ```
 */
export function countClasses(draws: ArrayLike<number>, classes: number): Float64Array {
  checkInteger(classes, "classes", { min: 1, limit: MAX_LENGTH });
  const n = checkNumbers(draws, "draws", true);
  const counts = new Float64Array(classes);
  for (let j = 0; j < n; j++) {
    const i = draws[j]!;
    if (!(Number.isInteger(i) && i >= 0 && i < classes)) checkIndex(i, classes, `draws[${j}]`);
    counts[i]! += 1;
  }
  return counts;
}

/**
 * Relative frequencies: counts divided by their total, the empirical estimate of each
 * probability.
 *
 * Formula: f_i = c_i / Σ_j c_j. When the sum overflows (counts near 1e308), every count is first
 * divided by the largest, which leaves the ratios unchanged. Runs in O(n).
 *
 * @param counts Non-negative finite counts with a positive total.
 * @returns A new `Float64Array` summing to 1.
 * @throws {TypeError} When `counts` is not an array of numbers.
 * @throws {RangeError} When `counts` is empty, holds a negative or non-finite count, or sums to 0.
 * @example
 * ```ts
 * import { frequencies } from "./estimation.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...frequencies([1, 0, 3])], [0.25, 0, 0.75]);
 * ```
 */
export function frequencies(counts: ArrayLike<number>): Float64Array {
  const n = checkNumbers(counts, "counts");
  let total = 0;
  let largest = 0;
  for (let i = 0; i < n; i++) {
    const c = checkNumber(counts[i], `counts[${i}]`, { min: 0, finite: true });
    total += c;
    if (c > largest) largest = c;
  }
  if (total === 0) throw new RangeError("`counts` must have a total above 0, got 0");
  // Scale before summing when the plain sum overflows: c_i / max <= 1, so the sum is at most n.
  const scale = total === Infinity ? largest : 1;
  if (scale !== 1) {
    total = 0;
    for (let i = 0; i < n; i++) total += counts[i]! / scale;
  }
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = counts[i]! / scale / total;
  return out;
}

/**
 * Standard error of a frequency estimated from n independent draws: the typical distance between
 * the observed frequency and the true probability p.
 *
 * Formula: SE = √(p (1 − p) / n) (the standard deviation of a binomial count divided by n).
 * It shrinks like 1/√n: a hundred times more draws, ten times less error. Runs in O(1).
 *
 * @param p The probability (true or estimated), in [0, 1].
 * @param n The number of draws, an integer >= 1.
 * @returns SE >= 0.
 * @throws {TypeError} When an argument is not a number.
 * @throws {RangeError} When `p` is outside [0, 1] or `n` is not a safe integer >= 1.
 * @example
 * ```ts
 * import { binomialStandardError } from "./estimation.ts";
 * import assert from "node:assert/strict";
 * assert.equal(binomialStandardError(0.5, 100), 0.05);
 * assert.equal(binomialStandardError(0.4, 10_000), Math.sqrt(0.4 * 0.6 / 10_000));
 * ```
 */
export function binomialStandardError(p: number, n: number): number {
  checkProbability(p, "p");
  checkInteger(n, "n", { min: 1 });
  return Math.sqrt((p * (1 - p)) / n);
}
