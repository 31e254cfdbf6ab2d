/**
 * Drawing tokens at random from a distribution: one draw, a draw with temperature, and a fast
 * sampler for many draws from one distribution.
 *
 * @module
 */

import { checkFunction, checkProbabilities, checkUniform } from "../_validate.ts";
import { softmax } from "./softmax.ts";

/**
 * Draws one index from a categorical distribution by inverse transform sampling.
 *
 * Formula: with u = random(), return the first i with u < p_0 + … + p_i. Entries of probability
 * 0 are never drawn. Runs in O(n).
 *
 * @param probs A probability distribution.
 * @param random A source of uniform numbers in [0, 1), e.g. `seededRandom(42)`.
 * @returns The drawn index.
 * @throws {TypeError} When `probs` is not an array of numbers, `random` is not a function or
 *   `random()` returns something other than a number.
 * @throws {RangeError} When `probs` is not a distribution or `random()` returns a value outside
 *   [0, 1).
 * @example
 * ```ts
 * import { sampleIndex } from "./sampling.ts";
 * import assert from "node:assert/strict";
 * const probs = [0.1, 0.05, 0.4, 0.15, 0.3];
 * assert.equal(sampleIndex(probs, () => 0.5), 2); // 0.1 + 0.05 + 0.4 = 0.55 > 0.5
 * assert.equal(sampleIndex(probs, () => 0.99), 4);
 * ```
 */
export function sampleIndex(probs: ArrayLike<number>, random: () => number): number {
  checkProbabilities(probs);
  checkFunction(random, "random");
  const u = checkUniform(random());
  let cumulative = 0;
  let last = 0;
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i]!;
    if (p === 0) continue;
    cumulative += p;
    last = i;
    if (u < cumulative) return i;
  }
  return last; // u fell in the rounding gap of a sum slightly below 1
}

/**
 * Samples the next token from logits at a temperature: sampleIndex(softmax(logits, T)).
 *
 * T = 0 is greedy (a random choice only among tied maxima); T = `Infinity` is uniform over the
 * unmasked entries. Runs in O(n).
 *
 * @param logits Scores, one per class (`-Infinity` masks an entry).
 * @param temperature T >= 0.
 * @param random A source of uniform numbers in [0, 1).
 * @returns The drawn index.
 * @throws {TypeError} As {@linkcode softmax} and {@linkcode sampleIndex}.
 * @throws {RangeError} As {@linkcode softmax} and {@linkcode sampleIndex}.
 * @example
 * ```ts
 * import { sampleWithTemperature, seededRandom } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const logits = [0.1, 0.05, 0.4, 0.15, 0.3].map(Math.log);
 * assert.equal(sampleWithTemperature(logits, 0, seededRandom(7)), 2); // greedy: Playground
 * ```
 */
export function sampleWithTemperature(
  logits: ArrayLike<number>,
  temperature: number,
  random: () => number,
): number {
  return sampleIndex(softmax(logits, temperature), random);
}

/**
 * Prepares a distribution for many fast draws (Vose's alias method).
 *
 * Set-up builds two tables in O(n); each draw then costs O(1): one uniform u picks column
 * i = floor(u n) and its fractional part f = u n - i keeps i when f < prob[i], else takes
 * alias[i]. Entries of probability 0 are never drawn. Draws follow the same distribution as
 * {@linkcode sampleIndex}, but not the same sequence for a given seed.
 *
 * @param probs A probability distribution.
 * @returns A function that draws one index per call from a source of uniform numbers in [0, 1).
 * @throws {TypeError} When `probs` is not an array of numbers; the returned function throws
 *   TypeError when `random` is not a function.
 * @throws {RangeError} When `probs` is not a distribution; the returned function throws when
 *   `random()` returns a value outside [0, 1).
 * @example
 * ```ts
 * import { categoricalSampler, seededRandom } from "../mod.ts";
 * import assert from "node:assert/strict";
 * const draw = categoricalSampler([0, 0.25, 0.75]);
 * const random = seededRandom(1);
 * const counts = [0, 0, 0];
 * for (let i = 0; i < 1000; i++) counts[draw(random)]! += 1;
 * assert.equal(counts[0], 0);
 * assert.ok(counts[2]! > counts[1]!);
 * ```
 */
export function categoricalSampler(probs: ArrayLike<number>): (random: () => number) => number {
  checkProbabilities(probs);
  const n = probs.length;
  const prob = new Float64Array(n);
  const alias = new Int32Array(n);
  const scaled = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) sum += probs[i]!;
  // Zeros go on the small stack last so they are popped (and given an alias) first.
  const small: number[] = [];
  const large: number[] = [];
  for (let i = 0; i < n; i++) {
    scaled[i] = (probs[i]! / sum) * n;
    if (scaled[i]! >= 1) large.push(i);
    else if (scaled[i]! > 0) small.push(i);
  }
  for (let i = 0; i < n; i++) if (scaled[i] === 0) small.push(i);
  while (small.length > 0 && large.length > 0) {
    const s = small.pop()!;
    const l = large[large.length - 1]!;
    prob[s] = scaled[s]!;
    alias[s] = l;
    scaled[l] = scaled[l]! + scaled[s]! - 1;
    if (scaled[l]! < 1) {
      large.pop();
      small.push(l);
    }
  }
  // What is left is 1 up to rounding; a leftover zero-probability entry (impossible but for
  // rounding) points at the most probable entry instead of being kept.
  let top = 0;
  for (let i = 1; i < n; i++) if (probs[i]! > probs[top]!) top = i;
  for (const i of [...small, ...large]) {
    if (probs[i]! > 0) prob[i] = 1;
    else {
      prob[i] = 0;
      alias[i] = top;
    }
  }
  return (random) => {
    checkFunction(random, "random");
    const x = checkUniform(random()) * n;
    const i = Math.floor(x);
    return x - i < prob[i]! ? i : alias[i]!;
  };
}
