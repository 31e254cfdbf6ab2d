/**
 * Checks for the exercises of notebook 09 (attention), from first principles: the scaled
 * dot-product scores of a query against keys, the attention weights (their softmax, lib/math),
 * the weighted sum of values, causal weights in which a position sees only itself and the
 * positions before it, and causal self-attention for a whole sequence. The reference weights come
 * from `softmax` (lib/math/softmax.ts); dot products are written out.
 *
 * @module
 */

import { softmax } from "../math/softmax.ts";
import { closeAll, closeRows, describe, frozen, passed, run, wrong } from "./_check.ts";

/** a · b. */
function dot(a: readonly number[], b: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += a[i]! * b[i]!;
  return sum;
}

/** The reference scores q · k_j / √d. */
function scoresOf(query: readonly number[], keys: readonly (readonly number[])[]): number[] {
  return keys.map((k) => dot(query, k) / Math.sqrt(query.length));
}

/** The reference causal weights: row i is softmax of row i's scores over positions 0 … i. */
function causalOf(queries: readonly (readonly number[])[], keys: readonly (readonly number[])[]) {
  return queries.map((q, i) =>
    Array.from(softmax(scoresOf(q, keys).map((s, j) => (j <= i ? s : -Infinity))))
  );
}

/**
 * Checks `attentionScores(query, keys)`: how well a query matches each key, scaled by √d.
 *
 * Formula: s_j = (q · k_j) / √d for vectors of length d. Inputs: a query matching the first of two
 * keys, opposite keys, d = 1 (no scaling), and d = 4 (divide by 2).
 *
 * @param attentionScores The learner's function.
 * @returns A one-line success message.
 * @throws {CheckFailed} On the first input where the scores are wrong, with a hint.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkAttentionScores } from "./attention.ts";
 *
 * const unscaled = (q: number[], keys: number[][]) => keys.map((k) => k.reduce((s, x, i) => s + x * q[i]!, 0));
 * assert.throws(() => checkAttentionScores(unscaled), (e: Error) => e.message.includes("divide by √d"));
 * ```
 */
export function checkAttentionScores(
  attentionScores: (query: number[], keys: number[][]) => ArrayLike<number>,
): string {
  const cases: [number[], number[][], string][] = [
    [
      [1, 0],
      [[1, 0], [0, 1]],
      "the query matches the first key (1 / √2) and is orthogonal to the second",
    ],
    [[1, 1], [[1, 1], [-1, -1]], "a key pointing the other way scores negative"],
    [[2], [[3]], "d = 1: √1 = 1, nothing to scale"],
    [[1, 2, 3, 4], [[1, 1, 1, 1]], "d = 4: the dot product 10, divided by √4 = 2"],
  ];
  for (const [query, keys, why] of cases) {
    const expected = scoresOf(query, keys);
    const call = `attentionScores(${describe(query)}, ${describe(keys)})`;
    const actual = run(call, () => attentionScores(frozen(query), frozen(keys)));
    if (!closeAll(actual, expected)) {
      const d = query.length;
      throw wrong(call, expected, actual, {
        why,
        mistakes: [
          {
            matches: (x) => d > 1 && closeAll(x, expected.map((s) => s * Math.sqrt(d))),
            hint:
              "divide by √d, the square root of the vectors' length, so that long vectors do not make huge scores",
          },
          {
            matches: (x) => d > 1 && closeAll(x, expected.map((s) => s / Math.sqrt(d))),
            hint: "divide by √d, not by d",
          },
        ],
      });
    }
  }
  return passed("attentionScores", "right on 4 queries, including d = 1 and d = 4");
}

/**
 * Checks `attentionWeights(query, keys)`: the attention a query pays to each key, the softmax of
 * the scaled scores, stable for large scores.
 *
 * Formula: w = softmax((q · k_j) / √d); the reference is `softmax` (lib/math/softmax.ts). Inputs:
 * "it" attending to "cat" and "mat" (two words), two equal keys, three keys, and scores in the
 * thousands.
 *
 * @param attentionWeights The learner's function.
 * @returns A one-line success message.
 * @throws {CheckFailed} On the first input where the weights are wrong, with a hint.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkAttentionWeights } from "./attention.ts";
 *
 * assert.throws(() => checkAttentionWeights(() => [0.5, 0.5]), (e: Error) => e.message.includes('"it"'));
 * ```
 */
export function checkAttentionWeights(
  attentionWeights: (query: number[], keys: number[][]) => ArrayLike<number>,
): string {
  const cases: [number[], number[][], string, string?][] = [
    [
      [1, 0],
      [[2, 0], [0, 2]],
      '"it" (query [1, 0]) attends to "cat" (key [2, 0]) and "mat" (key [0, 2]): scores √2 and 0',
    ],
    [[1, 0], [[1, 1], [1, 1]], "two equal keys share the attention equally"],
    [[0.5, -1], [[1, 0], [0, 1], [1, 1]], "three keys"],
    [
      [100, 0],
      [[100, 0], [0, 100]],
      "scores 7071 and 0",
      "exp(7071) overflows: take the softmax as lib's softmax does, subtracting the largest score first",
    ],
  ];
  for (const [query, keys, why, hint] of cases) {
    const expected = softmax(scoresOf(query, keys));
    const call = `attentionWeights(${describe(query)}, ${describe(keys)})`;
    const actual = run(call, () => attentionWeights(frozen(query), frozen(keys)));
    if (!closeAll(actual, expected)) {
      throw wrong(call, expected, actual, {
        why,
        hint,
        mistakes: [{
          matches: (x) => closeAll(x, softmax(keys.map((k) => dot(query, k)))),
          hint: "scale the scores by 1/√d before the softmax",
        }],
      });
    }
  }
  return passed("attentionWeights", "right on 4 queries, including scores in the thousands");
}

/**
 * Checks `attend(weights, values)`: the output of attention, the weighted average of the value
 * vectors.
 *
 * Formula: out = Σ_j w_j v_j. Inputs: all weight on the first value, an even split, and three
 * values.
 *
 * @param attend The learner's function.
 * @returns A one-line success message.
 * @throws {CheckFailed} On the first input where the output is wrong, with a hint.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkAttend } from "./attention.ts";
 *
 * assert.throws(() => checkAttend((_, v) => v[0]!), (e: Error) => e.message.includes("[2, 3]"));
 * ```
 */
export function checkAttend(
  attend: (weights: number[], values: number[][]) => ArrayLike<number>,
): string {
  const cases: [number[], number[][], string][] = [
    [[1, 0], [[1, 2], [3, 4]], "all the weight on the first value"],
    [[0.5, 0.5], [[1, 2], [3, 4]], "an even split: the average of the two values"],
    [[0.2, 0.3, 0.5], [[1, 0, 0], [0, 1, 0], [0, 0, 1]], "each value contributes its weight"],
  ];
  for (const [weights, values, why] of cases) {
    const expected = values[0]!.map((_, c) =>
      weights.reduce((s, w, j) => s + w * values[j]![c]!, 0)
    );
    const call = `attend(${describe(weights)}, ${describe(values)})`;
    const actual = run(call, () => attend(frozen(weights), frozen(values)));
    if (!closeAll(actual, expected)) {
      throw wrong(call, expected, actual, {
        why,
        hint: "multiply each value vector by its weight and add the vectors up, entry by entry",
      });
    }
  }
  return passed("attend", "right on 3 weightings");
}

/**
 * Checks `causalWeights(queries, keys)`: the attention weights of every position of a sequence,
 * where position i sees only positions 0 … i (the causal mask), as a T × T table.
 *
 * Formula: row i = softmax over j of s_ij = q_i · k_j / √d for j <= i, −Infinity (weight 0) for
 * j > i; the reference is `softmax` (lib/math/softmax.ts) on the masked scores. Inputs: two
 * positions, three positions, and a later key that would otherwise attract all the attention.
 *
 * @param causalWeights The learner's function.
 * @returns A one-line success message.
 * @throws {CheckFailed} On the first input where the table is wrong, with a hint.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkCausalWeights } from "./attention.ts";
 *
 * assert.throws(() => checkCausalWeights((q) => q.map(() => q.map(() => 1 / q.length))), (e: Error) => e.message.includes("sees only itself"));
 * ```
 */
export function checkCausalWeights(
  causalWeights: (queries: number[][], keys: number[][]) => ArrayLike<number>[],
): string {
  const cases: [number[][], number[][], string][] = [
    [[[1, 0], [0, 1]], [[1, 0], [0, 1]], "position 0 sees only itself; position 1 sees both"],
    [
      [[1, 1], [1, 0], [0, 1]],
      [[1, 0], [0, 1], [1, 1]],
      "three positions: a lower-triangular table",
    ],
    [
      [[1, 0], [1, 0]],
      [[0, 0], [100, 0]],
      "position 0 must not see the later key, however well it matches",
    ],
  ];
  for (const [queries, keys, why] of cases) {
    const expected = causalOf(queries, keys);
    const call = `causalWeights(${describe(queries)}, ${describe(keys)})`;
    const actual = run(call, () => causalWeights(frozen(queries), frozen(keys)));
    if (!closeRows(actual, expected)) {
      throw wrong(call, expected, actual, {
        why,
        hint:
          "position 0 sees only itself, so its row is [1, 0, …]: give the scores of later positions −Infinity before the softmax",
        mistakes: [{
          matches: (x) => closeRows(x, queries.map((q) => Array.from(softmax(scoresOf(q, keys))))),
          hint: "a position must not attend to later positions: mask their scores with −Infinity",
        }],
      });
    }
  }
  return passed("causalWeights", "right on 3 sequences, none peeking ahead");
}

/**
 * Checks `selfAttention(queries, keys, values)`: causal self-attention, each position's output the
 * average of the values at positions 0 … i, weighted by its causal attention weights.
 *
 * Formula: out_i = Σ_{j <= i} w_ij v_j with w from {@linkcode checkCausalWeights}. Inputs: two and
 * three positions, and a later position with a tempting key.
 *
 * @param selfAttention The learner's function.
 * @returns A one-line success message.
 * @throws {CheckFailed} On the first input where the outputs are wrong, with a hint.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkSelfAttention } from "./attention.ts";
 *
 * assert.throws(() => checkSelfAttention((_, __, v) => v), (e: Error) => e.message.includes("selfAttention("));
 * ```
 */
export function checkSelfAttention(
  selfAttention: (queries: number[][], keys: number[][], values: number[][]) => ArrayLike<number>[],
): string {
  const cases: [number[][], number[][], number[][], string][] = [
    [[[1, 0], [0, 1]], [[1, 0], [0, 1]], [[1, 2], [3, 4]], "position 0 outputs its own value"],
    [
      [[1, 1], [1, 0], [0, 1]],
      [[1, 0], [0, 1], [1, 1]],
      [[1, 0], [0, 1], [1, 1]],
      "each output mixes the values up to its position",
    ],
    [
      [[1, 0], [1, 0]],
      [[0, 0], [100, 0]],
      [[5, 5], [-5, -5]],
      "position 0 never sees the later value",
    ],
  ];
  for (const [queries, keys, values, why] of cases) {
    const weights = causalOf(queries, keys);
    const expected = weights.map((row) =>
      values[0]!.map((_, c) => row.reduce((s, w, j) => s + w * values[j]![c]!, 0))
    );
    const call = `selfAttention(${describe(queries)}, ${describe(keys)}, ${describe(values)})`;
    const actual = run(call, () => selfAttention(frozen(queries), frozen(keys), frozen(values)));
    if (!closeRows(actual, expected)) {
      throw wrong(call, expected, actual, {
        why,
        hint:
          "for each position i: its causal weights (exercise 4), then the weighted sum of the values (exercise 3)",
      });
    }
  }
  return passed("selfAttention", "right on 3 sequences");
}
