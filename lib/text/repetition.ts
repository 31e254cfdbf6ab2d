/**
 * Measuring repetition in generated text: the share of distinct n-grams, and the loop a text
 * ends in.
 *
 * @module
 */

import { formatValue } from "../_validate.ts";

function checkTokens(tokens: readonly string[]): void {
  if (!Array.isArray(tokens)) {
    throw new TypeError(`\`tokens\` must be an array of strings, got ${formatValue(tokens)}`);
  }
  tokens.forEach((t, i) => {
    if (typeof t !== "string") {
      throw new TypeError(`\`tokens[${i}]\` must be a string, got ${formatValue(t)}`);
    }
  });
}

/**
 * distinct-n: the number of different n-grams divided by the number of n-grams in a text. 1 means
 * no n-gram repeats; a text stuck in a loop tends towards 0.
 *
 * Formula: |{ (t_i … t_{i+n−1}) }| / (L − n + 1) for L tokens. Runs in O(L·n).
 *
 * @param tokens The text as tokens (words).
 * @param n The n-gram length, an integer >= 1.
 * @returns The ratio in (0, 1]; `NaN` when the text is shorter than n (no n-grams).
 * @throws {TypeError} When `tokens` is not an array of strings.
 * @throws {RangeError} When `n` is not an integer >= 1.
 * @example
 * ```ts
 * import { distinctNGramRatio } from "./repetition.ts";
 * import assert from "node:assert/strict";
 * // Bigrams: "a b", "b a", "a b", "b a": 2 distinct out of 4.
 * assert.equal(distinctNGramRatio(["a", "b", "a", "b", "a"], 2), 0.5);
 * ```
 */
export function distinctNGramRatio(tokens: readonly string[], n: number): number {
  checkTokens(tokens);
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`\`n\` must be an integer >= 1, got ${formatValue(n)}`);
  }
  const total = tokens.length - n + 1;
  if (total < 1) return NaN;
  const seen = new Set<string>();
  for (let i = 0; i < total; i++) seen.add(JSON.stringify(tokens.slice(i, i + n)));
  return seen.size / total;
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
 * wins (the shortest such period on ties). Runs in O(L²) for L tokens.
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
  checkTokens(tokens);
  const L = tokens.length;
  let best: Cycle | undefined;
  for (let p = 1; 2 * p <= L; p++) {
    let s = L - p; // the last p tokens are trivially periodic
    while (s > 0 && tokens[s - 1] === tokens[s - 1 + p]) s--;
    const length = L - s;
    if (length >= 2 * p && (best === undefined || length > best.length)) {
      best = { period: p, start: s, length, repeats: length / p, unit: tokens.slice(s, s + p) };
    }
  }
  return best;
}
