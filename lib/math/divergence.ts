/**
 * Kullback–Leibler divergence: how many extra nats a code built for q costs on data from p.
 *
 * It is the gap in Gibbs' inequality: crossEntropy(q, p) = entropy(p) + klDivergence(p, q), where
 * lib's `crossEntropy(predicted, target)` takes the model q first and the data p second.
 *
 * @module
 */

import { checkProbabilities, formatValue } from "../_validate.ts";

/**
 * Kullback–Leibler divergence of q from p, in nats: the extra loss of predicting with q when the
 * outcomes follow p.
 *
 * Formula: KL(p ‖ q) = Σ_i p_i (ln p_i − ln q_i), terms with p_i = 0 counting 0 and a term with
 * p_i > 0 = q_i making it `Infinity`. KL(p ‖ q) >= 0 with equality only when q = p; it is not
 * symmetric. A sum that rounds below 0 (q within rounding of p) is returned as 0. Runs in O(n).
 *
 * @param p The distribution the outcomes follow (the data, the "target").
 * @param q The distribution used to predict them (the model).
 * @returns KL(p ‖ q) in [0, Infinity].
 * @throws {TypeError} When `p` or `q` is not an array of numbers.
 * @throws {RangeError} When `p` or `q` is not a distribution, or their lengths differ.
 * @example
 * ```ts
 * import { klDivergence } from "./divergence.ts";
 * import assert from "node:assert/strict";
 * // ½ ln(½ / ¼) + ½ ln(½ / ¾) = ½ ln(4/3) (numpy: 0.14384103622589042)
 * assert.ok(Math.abs(klDivergence([0.5, 0.5], [0.25, 0.75]) - 0.5 * Math.log(4 / 3)) < 1e-15);
 * assert.equal(klDivergence([0.5, 0.5], [1, 0]), Infinity); // q rules out what p allows
 * assert.equal(klDivergence([1, 0], [0.5, 0.5]), Math.LN2);
 * ```
 */
export function klDivergence(p: ArrayLike<number>, q: ArrayLike<number>): number {
  checkProbabilities(p, "p");
  checkProbabilities(q, "q");
  if (q.length !== p.length) {
    throw new RangeError(
      `\`q\` must have the same length as \`p\` (${p.length}), got ${formatValue(q.length)}`,
    );
  }
  let sum = 0;
  for (let i = 0; i < p.length; i++) {
    const pi = p[i]!;
    if (pi === 0) continue;
    const qi = q[i]!;
    if (qi === 0) return Infinity;
    // ln p − ln q rather than ln(p / q): p / q overflows when q is subnormal.
    sum += pi * (Math.log(pi) - Math.log(qi));
  }
  return Math.max(0, sum);
}
