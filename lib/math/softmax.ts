/**
 * Softmax with temperature, its logarithm, and log-sum-exp: turning scores (logits) into
 * probabilities without overflow.
 *
 * @module
 */

import { checkLogits, checkTemperature, readNumbers } from "../_validate.ts";
import { expMinusMaxInto } from "./fast_exp.ts";

/**
 * Log of the sum of exponentials, computed stably by factoring out the maximum.
 *
 * Formula: logSumExp(x) = m + ln Σ_i exp(x_i - m), with m = max_i x_i. Entries equal to
 * `-Infinity` contribute exp(-Infinity) = 0; if every entry is `-Infinity` the result is
 * `-Infinity` (the log of an empty sum). Runs in O(n); the exponentials and their sum come from
 * the fast path in fast_exp.ts ({@linkcode expMinusMaxInto}), so the result is within
 * (3n + 6)·2^−53·(1 + |result|) of the same formula with `Math.exp` and a left-to-right sum.
 *
 * @param values The numbers, e.g. logits. `-Infinity` allowed; NaN and `+Infinity` are not.
 * @returns ln Σ exp(values[i]).
 * @throws {TypeError} When `values` is not an array of numbers.
 * @throws {RangeError} When `values` is empty or holds NaN or `+Infinity`.
 * @example
 * ```ts
 * import { logSumExp } from "./softmax.ts";
 * import assert from "node:assert/strict";
 * assert.equal(logSumExp([1000, 1000]), 1000 + Math.LN2); // naive Math.log(Math.exp(1000) * 2) is Infinity
 * ```
 */
export function logSumExp(values: ArrayLike<number>): number {
  checkLogits(values, "values", true);
  const { max, sum } = expMinusMaxInto(null, values);
  if (max === -Infinity) return -Infinity;
  return max + Math.log(sum);
}

/**
 * Probabilities from logits: softmax(x / T).
 *
 * Formula: p_i = exp((x_i - m) / T) / Σ_j exp((x_j - m) / T), with m = max_j x_j. Subtracting m
 * first (before dividing by T) means no term exceeds exp(0) = 1, so huge logits or a tiny T
 * (1e-300) never overflow into `Infinity / Infinity = NaN`; when x_i - m itself overflows (logits
 * 1e308 apart) the division comes first, x_i / T - m / T, so a huge T still gives the right answer.
 * Limits: T = 0 is greedy (one-hot on the maximum; tied maxima share equally); T = `Infinity`
 * is uniform over the entries whose logit is not `-Infinity`. A `-Infinity` logit is masked and
 * always gets probability 0. Runs in O(n).
 *
 * @param logits Scores, one per class. At least one must be above `-Infinity`.
 * @param temperature T >= 0 (default 1); `Infinity` allowed.
 * @returns A new `Float64Array` of probabilities summing to 1.
 * @throws {TypeError} When `logits` is not an array of numbers or `temperature` not a number.
 * @throws {RangeError} Empty logits, NaN or `+Infinity` logits, all logits masked, or a negative
 *   or NaN temperature.
 * @example
 * ```ts
 * import { softmax } from "./softmax.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...softmax([1000, 1000])], [0.5, 0.5]);
 * assert.deepEqual([...softmax([1, 3, 3], 0)], [0, 0.5, 0.5]);
 * ```
 */
export function softmax(logits: ArrayLike<number>, temperature = 1): Float64Array {
  const z = scaledLogits(logits, temperature);
  const out = new Float64Array(z.length);
  let sum = 0;
  for (let i = 0; i < z.length; i++) {
    out[i] = Math.exp(z[i]!);
    sum += out[i]!;
  }
  for (let i = 0; i < out.length; i++) out[i]! /= sum;
  return out;
}

/**
 * Log-probabilities from logits: ln softmax(x / T), computed without taking the log of a
 * rounded-to-zero probability.
 *
 * Formula: logSoftmax(x)_i = z_i - logSumExp(z), with z_i = (x_i - max x) / T. Where softmax
 * underflows to 0 (e.g. x = [-1000, 1000]), this still returns the finite value -2000.
 * Masked (`-Infinity`) entries give `-Infinity`. T = 0 gives ln(1/k) on the k tied maxima and
 * `-Infinity` elsewhere; T = `Infinity` gives -ln(m) on the m unmasked entries. Runs in O(n).
 *
 * @param logits Scores, one per class. At least one must be above `-Infinity`.
 * @param temperature T >= 0 (default 1); `Infinity` allowed.
 * @returns A new `Float64Array` of natural-log probabilities.
 * @throws {TypeError} As {@linkcode softmax}.
 * @throws {RangeError} As {@linkcode softmax}.
 * @example
 * ```ts
 * import { logSoftmax } from "./softmax.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual([...logSoftmax([-1000, 1000])], [-2000, 0]);
 * ```
 */
export function logSoftmax(logits: ArrayLike<number>, temperature = 1): Float64Array {
  const z = scaledLogits(logits, temperature);
  const lse = logSumExp(z);
  for (let i = 0; i < z.length; i++) z[i]! -= lse;
  return z;
}

/**
 * The scaled, shifted logits z_i = (x_i - max x) / T, with the T = 0 and T = Infinity limits
 * written as 0 on the kept entries and -Infinity on the rest (so exp(z) is proportional to the
 * limit distribution).
 */
function scaledLogits(logits: ArrayLike<number>, temperature: number): Float64Array {
  const z = readNumbers(logits, "logits");
  checkLogits(z);
  checkTemperature(temperature);
  const max = maxOf(z);
  for (let i = 0; i < z.length; i++) {
    const x = z[i]!;
    if (x === -Infinity) continue;
    if (temperature === 0) z[i] = x === max ? 0 : -Infinity;
    else if (temperature === Infinity) z[i] = 0;
    else z[i] = shiftAndScale(x, max, temperature);
  }
  return z;
}

/**
 * (x - max) / T, or x / T - max / T when x - max overflows to -Infinity (logits 1e308 apart): with
 * a huge T the true value is finite (softmax([1e308, -1e308], 1e308) is about [0.88, 0.12]), so the
 * division must come first there. Elsewhere the subtraction comes first, as in every softmax.
 */
function shiftAndScale(x: number, max: number, temperature: number): number {
  const d = x - max;
  return d > -Infinity ? d / temperature : x / temperature - max / temperature;
}

function maxOf(values: ArrayLike<number>): number {
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) if (values[i]! > max) max = values[i]!;
  return max;
}
