/**
 * A fast path for softmax on large vocabularies: the same numbers as {@linkcode softmax}, written
 * into an array the caller owns.
 *
 * `softmax()` in lib/softmax.ts is the teaching version: it builds the scaled logits, then the
 * exponentials, then divides, each step a readable loop, and allocates two arrays per call. This
 * file does the same arithmetic in the same order (so the results are bit-for-bit identical, which
 * tests/softmax_into_test.ts checks) but checks the input and finds the maximum in one pass and
 * writes into `out`, so a loop over many positions of a 50,257-token vocabulary allocates nothing.
 * `deno task bench` measures both against numpy.
 *
 * @module
 */

import { checkLogits, checkTemperature, formatValue } from "../_validate.ts";
import { softmax } from "./softmax.ts";

/**
 * Writes softmax(logits / T) into `out`: bit-for-bit the result of {@linkcode softmax}.
 *
 * Formula: out_i = exp((x_i - m) / T) / Σ_j exp((x_j - m) / T), m = max_j x_j. T = 0 (greedy) and
 * T = `Infinity` (uniform) follow {@linkcode softmax}; `-Infinity` logits get 0. Runs in O(n) with
 * two passes over the logits and one over `out`, and allocates nothing for 0 < T < `Infinity`.
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
 * assert.deepEqual(out, softmax(logits, 0.5));
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
  const n = logits?.length;
  if (out.length !== n) {
    throw new RangeError(
      `\`out\` must have the length of \`logits\` (${n}), got ${formatValue(out.length)}`,
    );
  }
  // One pass: the maximum, and a cheap test that every entry is a number below +Infinity.
  let max = -Infinity;
  let valid = n > 0;
  for (let i = 0; i < n; i++) {
    const x = logits[i]!;
    if (typeof x !== "number" || !(x < Infinity)) valid = false;
    else if (x > max) max = x;
  }
  // On bad input, the shared check throws the same message softmax() gives.
  if (!valid || max === -Infinity) checkLogits(logits);
  if (temperature === 0 || temperature === Infinity) {
    out.set(softmax(logits, temperature));
    return out;
  }
  // The arithmetic of softmax(), in its order: z = (x - max) / T, e = exp(z), sum, divide.
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.exp((logits[i]! - max) / temperature);
    out[i] = e;
    sum += e;
  }
  for (let i = 0; i < n; i++) out[i]! /= sum;
  return out;
}
