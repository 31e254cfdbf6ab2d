/**
 * Entropy, cross-entropy, negative log-likelihood and perplexity, in nats (natural log).
 *
 * Divide a value in nats by ln 2 to get bits.
 *
 * @module
 */

import {
  checkIndex,
  checkLogits,
  checkNumber,
  checkProbabilities,
  formatValue,
} from "../_validate.ts";
import { logSoftmax } from "./softmax.ts";

/**
 * Shannon entropy of a distribution: how unsure it is, in nats.
 *
 * Formula: H(p) = -Σ_i p_i ln p_i, with 0 ln 0 = 0. Ranges from 0 (one certain outcome) to
 * ln n (uniform over n outcomes). Runs in O(n).
 *
 * @param probs A probability distribution (entries in [0, 1], sum within 1e-9 of 1).
 * @returns H(p) >= 0 in nats.
 * @throws {TypeError} When `probs` is not an array of numbers.
 * @throws {RangeError} When `probs` is not a probability distribution.
 * @example
 * ```ts
 * import { entropy } from "./information.ts";
 * import assert from "node:assert/strict";
 * assert.equal(entropy([0.5, 0.5]), Math.LN2);
 * assert.equal(entropy([1, 0]), 0);
 * ```
 */
export function entropy(probs: ArrayLike<number>): number {
  checkProbabilities(probs);
  let h = 0;
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i]!;
    if (p > 0) h -= p * Math.log(p);
  }
  return h;
}

/**
 * Negative log-likelihood of the true class: the loss of one prediction, in nats.
 *
 * Formula: NLL = -ln q_t, where q is the predicted distribution and t the true class. A
 * probability of 1 costs 0; a probability of 0 costs `Infinity` (not an error). Runs in O(n)
 * (the validation of `predicted`).
 *
 * @param predicted The model's distribution over classes.
 * @param targetIndex The index of the class that really came next.
 * @returns -ln predicted[targetIndex], in [0, Infinity].
 * @throws {TypeError} When an argument has the wrong type.
 * @throws {RangeError} When `predicted` is not a distribution or `targetIndex` is not an integer
 *   in range.
 * @example
 * ```ts
 * import { negativeLogLikelihood } from "./information.ts";
 * import assert from "node:assert/strict";
 * // The article: "The boy went to the ___" with Playground (index 2) at 0.4.
 * assert.equal(negativeLogLikelihood([0.1, 0.05, 0.4, 0.15, 0.3], 2), -Math.log(0.4));
 * ```
 */
export function negativeLogLikelihood(predicted: ArrayLike<number>, targetIndex: number): number {
  checkProbabilities(predicted, "predicted");
  checkIndex(targetIndex, predicted.length, "targetIndex");
  return 0 - Math.log(predicted[targetIndex]!); // 0 - x, not -x: no -0 for a certain prediction
}

/**
 * Cross-entropy between a target distribution y and a predicted distribution q, in nats.
 *
 * Formula: H(y, q) = -Σ_i y_i ln q_i (terms with y_i = 0 count 0). With a one-hot target, or a
 * class index, it equals {@linkcode negativeLogLikelihood}. H(y, q) >= H(y) (Gibbs' inequality),
 * with equality when q = y. Infinite when q_i = 0 where y_i > 0. Runs in O(n).
 *
 * @param predicted The model's distribution q.
 * @param target A class index, or a distribution y of the same length as `predicted`.
 * @returns H(y, q) in [0, Infinity].
 * @throws {TypeError} When an argument has the wrong type.
 * @throws {RangeError} When a distribution is invalid, the lengths differ, or an index is out of
 *   range.
 * @example
 * ```ts
 * import { crossEntropy } from "./information.ts";
 * import assert from "node:assert/strict";
 * const q = [0.1, 0.05, 0.4, 0.15, 0.3];
 * assert.equal(crossEntropy(q, [0, 0, 1, 0, 0]), crossEntropy(q, 2));
 * ```
 */
export function crossEntropy(
  predicted: ArrayLike<number>,
  target: number | ArrayLike<number>,
): number {
  if (typeof target === "number") {
    checkProbabilities(predicted, "predicted");
    checkIndex(target, predicted.length, "target"); // the public name, not NLL's `targetIndex`
    return negativeLogLikelihood(predicted, target);
  }
  checkProbabilities(predicted, "predicted");
  checkProbabilities(target, "target");
  if (target.length !== predicted.length) {
    throw new RangeError(
      `\`target\` must have the same length as \`predicted\` (${predicted.length}), got ${
        formatValue(target.length)
      }`,
    );
  }
  let h = 0;
  for (let i = 0; i < target.length; i++) {
    const y = target[i]!;
    if (y > 0) h -= y * Math.log(predicted[i]!);
  }
  return h;
}

/**
 * Cross-entropy loss straight from logits: -logSoftmax(logits)[target], as training computes it.
 *
 * Formula: loss = logSumExp(x) - x_t (at T = 1). Going through logSoftmax instead of
 * -ln(softmax(x)_t) keeps the loss finite when the probability underflows to 0. Runs in O(n).
 *
 * @param logits The model's scores.
 * @param targetIndex The index of the true class.
 * @returns The loss in nats, in [0, Infinity] (`Infinity` only for a masked target).
 * @throws {TypeError} When an argument has the wrong type.
 * @throws {RangeError} Invalid logits (see softmax) or an index out of range.
 * @example
 * ```ts
 * import { crossEntropyFromLogits } from "./information.ts";
 * import assert from "node:assert/strict";
 * assert.equal(crossEntropyFromLogits([0, 1000], 0), 1000); // -ln(softmax) would be Infinity
 * ```
 */
export function crossEntropyFromLogits(logits: ArrayLike<number>, targetIndex: number): number {
  checkLogits(logits);
  checkIndex(targetIndex, logits.length, "targetIndex");
  return 0 - logSoftmax(logits)[targetIndex]!;
}

/**
 * Perplexity from a mean negative log-likelihood: the effective number of equally likely choices.
 *
 * Formula: PPL = exp(mean NLL). A model as unsure as a fair choice among N words has perplexity N.
 * Runs in O(1).
 *
 * @param meanNll Mean negative log-likelihood in nats, >= 0 (`Infinity` gives `Infinity`).
 * @returns e^meanNll >= 1.
 * @throws {TypeError} When `meanNll` is not a number.
 * @throws {RangeError} When `meanNll` is negative or NaN.
 * @example
 * ```ts
 * import { perplexity } from "./information.ts";
 * import assert from "node:assert/strict";
 * assert.equal(Math.round(perplexity(Math.log(5))), 5); // uniform over 5 words
 * ```
 */
export function perplexity(meanNll: number): number {
  checkNumber(meanNll, "meanNll", { min: 0 });
  return Math.exp(meanNll);
}
