/**
 * Estimating probabilities from samples: counting draws, turning counts into frequencies, and the
 * binomial standard error that says how far a frequency from N draws may stray from the truth.
 *
 * @module
 */

import { checkIndex, checkNumbers, checkProbability, formatValue } from "../_validate.ts";

/**
 * Counts how often each class index occurs among the draws.
 *
 * Formula: counts[i] = #{ j : draws[j] = i }. Runs in O(draws + classes).
 *
 * @param draws Class indices, each an integer in [0, classes).
 * @param classes How many classes there are (an integer >= 1).
 * @returns A new `Float64Array` of length `classes` with the counts.
 * @throws {TypeError} When `draws` is not an array of numbers or `classes` not a number.
 * @throws {RangeError} When `classes` is not an integer >= 1 or a draw is not an integer in
 *   [0, classes).
 * @example
 * ```ts
 * import { countClasses } from "./estimation.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...countClasses([2, 0, 2, 2], 3)], [1, 0, 3]);
 * ```
 */
export function countClasses(draws: ArrayLike<number>, classes: number): Float64Array {
  if (typeof classes !== "number") {
    throw new TypeError(`\`classes\` must be a number, got ${formatValue(classes)}`);
  }
  if (!Number.isInteger(classes) || classes < 1) {
    throw new RangeError(`\`classes\` must be an integer >= 1, got ${formatValue(classes)}`);
  }
  const counts = new Float64Array(classes);
  if (draws.length === 0) return counts;
  checkNumbers(draws, "draws");
  for (let j = 0; j < draws.length; j++) {
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
 * Formula: f_i = c_i / Σ_j c_j. Runs in O(n).
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
  checkNumbers(counts, "counts");
  let total = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    if (!(Number.isFinite(c) && c >= 0)) {
      throw new RangeError(`\`counts[${i}]\` must be a finite number >= 0, got ${formatValue(c)}`);
    }
    total += c;
  }
  if (total === 0) throw new RangeError("`counts` must have a total above 0, got 0");
  const out = new Float64Array(counts.length);
  for (let i = 0; i < counts.length; i++) out[i] = counts[i]! / total;
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
 * @throws {RangeError} When `p` is outside [0, 1] or `n` is not an integer >= 1.
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
  if (typeof n !== "number") throw new TypeError(`\`n\` must be a number, got ${formatValue(n)}`);
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`\`n\` must be an integer >= 1, got ${formatValue(n)}`);
  }
  return Math.sqrt((p * (1 - p)) / n);
}
