/**
 * A fast path for softmax on large vocabularies: {@linkcode softmax}'s numbers to within a few
 * units in the last place, written into an array the caller owns, about 4 times faster.
 *
 * `softmax()` in softmax.ts is the teaching version: it builds the scaled logits, then the
 * exponentials, then divides, each step a readable loop with `Math.exp`, and allocates two arrays
 * per call. This file computes the same z_i = (x_i − max)/T, rounded the same way, but takes the
 * exponentials from fast_exp.ts (WebAssembly SIMD, within one ulp of `Math.exp`), adds them in two
 * interleaved halves and multiplies by 1/sum, all inside the WebAssembly kernel, and writes into
 * `out`: a loop over many positions of a 50,257-token vocabulary allocates nothing. The stated
 * bound below is checked against `softmax()` by tests/math/softmax_into_test.ts. `deno task bench`
 * measures both against numpy.
 *
 * @module
 */

import { checkArrayLike, checkLogits, checkTemperature, formatValue } from "../_validate.ts";
import { softmax } from "./softmax.ts";
import { expMinusMaxInto } from "./fast_exp.ts";

/**
 * Writes softmax(logits / T) into `out`: the result of {@linkcode softmax} within a stated bound.
 *
 * Formula: out_i = exp((x_i - m) / T) / Σ_j exp((x_j - m) / T), m = max_j x_j. T = 0 (greedy) and
 * T = `Infinity` (uniform) follow {@linkcode softmax} exactly; `-Infinity` logits get 0. Against
 * softmax(): |out_i − softmax(x, T)_i| <= (2n + 6)·2^−53·softmax(x, T)_i + 2·`Number.MIN_VALUE`
 * for n logits (each exponential within one ulp of `Math.exp`, each sum within (n − 1)·2^−53 of
 * the exact one, three roundings more), which is about 10^−11 relative at n = 50,257 and in
 * practice under 10^−13. Runs in O(n), a few ns a logit, and allocates nothing for
 * 0 < T < `Infinity` once the kernel's memory has grown to the vocabulary.
 *
 * @param out Where to write; a `Float64Array` of the same length as `logits`. It may be `logits`
 *   itself (in-place softmax).
 * @param logits Scores, one per class. At least one must be above `-Infinity`.
 * @param temperature T >= 0 (default 1); `Infinity` allowed.
 * @returns `out`, now holding probabilities that sum to 1.
 * @throws {TypeError} As {@linkcode softmax}, or when `out` is not a `Float64Array`.
 * @throws {RangeError} As {@linkcode softmax}, or when `out.length !== logits.length`.
 * @example
 * ```ts
 * import { softmax } from "./softmax.ts";
 * import { softmaxInto } from "./softmax_into.ts";
 * import assert from "node:assert/strict";
 * const logits = [2, 1, 3];
 * const out = new Float64Array(3);
 * assert.equal(softmaxInto(out, logits, 0.5), out);
 * const expected = softmax(logits, 0.5);
 * out.forEach((p, i) => assert.ok(Math.abs(p - expected[i]!) <= 12 * 2 ** -53 * expected[i]!));
 * ```
 */
export function softmaxInto(
  out: Float64Array,
  logits: ArrayLike<number>,
  temperature = 1,
): Float64Array {
  if (!(out instanceof Float64Array)) {
    throw new TypeError(
      `\`out\` must be a Float64Array, got ${Object.prototype.toString.call(out)}`,
    );
  }
  checkTemperature(temperature);
  const n = checkArrayLike(logits, "logits"); // a safe integer in [0, MAX_LENGTH], or it throws
  if (out.length !== n) {
    throw new RangeError(
      `\`out\` must have the length of \`logits\` (${n}), got ${formatValue(out.length)}`,
    );
  }
  // Arrays are checked here, with softmax()'s messages; a float array holds only numbers, and its
  // NaN, +Infinity or all -Infinity show in the maximum the kernel finds.
  if (!(logits instanceof Float64Array || logits instanceof Float32Array)) checkLogits(logits);
  if (temperature === 0 || temperature === Infinity) {
    out.set(softmax(logits, temperature));
    return out;
  }
  const { max } = expMinusMaxInto(out, logits, { temperature, normalize: true });
  if (!(max > -Infinity && max < Infinity)) checkLogits(logits);
  return out;
}
