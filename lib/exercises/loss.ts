/**
 * Checks for the exercises of notebook 03 (loss): the negative log-likelihood of one prediction,
 * cross-entropy against a target distribution, entropy, the mean loss and perplexity of a batch,
 * and the loss straight from logits without overflow. Reference values come from
 * lib/math/information.ts.
 *
 * @module
 */

import {
  crossEntropy,
  crossEntropyFromLogits,
  entropy,
  negativeLogLikelihood,
  perplexity,
} from "../math/information.ts";
import { close, describe, expectRangeError, frozen, passed, run, wrong } from "./_check.ts";

/** The article's prediction after "The boy went to the": Cafe, Hospital, Playground, Park, School. */
const ARTICLE = [0.1, 0.05, 0.4, 0.15, 0.3];

/** Hints for a value that is the right one with the wrong sign or in another log base. */
function logMistakes(expected: number): { matches: (x: unknown) => boolean; hint: string }[] {
  return [
    {
      matches: (x) => expected !== 0 && close(x, -expected),
      hint: "a loss is never negative: mind the minus sign in front of the sum of logs",
    },
    {
      matches: (x) =>
        expected !== 0 && (close(x, expected / Math.LN2) || close(x, expected / Math.LN10)),
      hint: "use the natural log, Math.log: losses here are in nats",
    },
    {
      matches: (x) => Number.isNaN(x),
      hint:
        "0 × ln 0 is NaN in JavaScript (0 × −Infinity); a term whose weight is 0 contributes nothing: skip it",
    },
  ];
}

/**
 * Checks `nll(probs, index)`: the loss of one prediction when the word at `index` came next.
 *
 * Formula: −ln probs[index]; the reference is `negativeLogLikelihood` (lib/math/information.ts).
 * Inputs: the article's Playground and Hospital, a certain right answer, an impossible word.
 *
 * @param nll The learner's function.
 * @returns A one-line success message.
 * @throws {CheckFailed} On the first input where the loss is wrong, with a hint.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkNll } from "./loss.ts";
 *
 * assert.throws(() => checkNll((p, i) => Math.log(p[i]!)), (e: Error) => e.message.includes("mind the minus sign"));
 * ```
 */
export function checkNll(nll: (probs: number[], index: number) => number): string {
  const cases: [number[], number, string][] = [
    [ARTICLE, 2, "Playground came next, and the model gave it 0.4"],
    [ARTICLE, 1, "Hospital got only 0.05: a surprising word costs more"],
    [[1, 0], 0, "certain and right: no loss"],
    [[1, 0], 1, "the model called the true word impossible"],
  ];
  for (const [probs, index, why] of cases) {
    const expected = negativeLogLikelihood(probs, index);
    const call = `nll(${describe(probs)}, ${index})`;
    const actual = run(call, () => nll(frozen(probs), index));
    if (!close(actual, expected)) {
      throw wrong(call, expected, actual, {
        why,
        mistakes: [
          ...logMistakes(expected),
          {
            matches: (x) => close(x, probs[index]!),
            hint: "that is the probability; the loss is its negative natural log",
          },
        ],
      });
    }
  }
  return passed("nll", "right on 4 predictions, including −ln 0 = Infinity");
}

/**
 * Checks `crossEntropy(predicted, target)`: how far a prediction is from a target distribution.
 *
 * Formula: H(y, ŷ) = −Σ_i y_i ln ŷ_i, terms with y_i = 0 contributing 0; the reference is
 * `crossEntropy` (lib/math/information.ts). Inputs: a one-hot target, equal distributions, the
 * article against itself (its entropy), a 0 in both (0 × ln 0), an impossible outcome, and two
 * different distributions (which catches swapped arguments).
 *
 * @param crossEntropyFn The learner's function.
 * @returns A one-line success message.
 * @throws {CheckFailed} On the first input where the value is wrong, with a hint.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { crossEntropy } from "../math/information.ts";
 * import { checkCrossEntropy } from "./loss.ts";
 *
 * assert.throws(() => checkCrossEntropy((q, y) => crossEntropy(y, q)), (e: Error) => e.message.includes("weighted by the target"));
 * ```
 */
export function checkCrossEntropy(
  crossEntropyFn: (predicted: number[], target: number[]) => number,
): string {
  const cases: [number[], number[], string][] = [
    [ARTICLE, [0, 0, 1, 0, 0], "a one-hot target keeps only the true word's term: −ln 0.4"],
    [[0.5, 0.5], [0.5, 0.5], "a 50/50 truth against a 50/50 prediction"],
    [ARTICLE, ARTICLE, "a prediction against itself gives its entropy"],
    [[0, 1], [0, 1], "the word of probability 0 never happens, so it costs nothing"],
    [[1, 0], [0.5, 0.5], "half the time the truth is a word the model called impossible"],
    [[0.9, 0.1], [0.2, 0.8], "the prediction and the truth disagree"],
  ];
  for (const [predicted, target, why] of cases) {
    const expected = crossEntropy(predicted, target);
    const call = `crossEntropy(${describe(predicted)}, ${describe(target)})`;
    const actual = run(call, () => crossEntropyFn(frozen(predicted), frozen(target)));
    if (!close(actual, expected)) {
      let swapped = NaN;
      try {
        swapped = crossEntropy(target, predicted);
      } catch { /* target is not a valid prediction */ }
      throw wrong(call, expected, actual, {
        why,
        mistakes: [
          {
            matches: (x) => !close(swapped, expected) && close(x, swapped),
            hint: "the log is taken of the prediction ŷ, weighted by the target y: −Σ y ln ŷ",
          },
          ...logMistakes(expected),
        ],
      });
    }
  }
  return passed("crossEntropy", "right on 6 pairs, including 0 × ln 0 and an impossible truth");
}

/**
 * Checks `entropy(probs)`: how unsure a prediction is, the expected loss when the truth follows it.
 *
 * Formula: H(p) = −Σ_i p_i ln p_i, terms with p_i = 0 contributing 0; the reference is `entropy`
 * (lib/math/information.ts). Inputs: a fair coin, a certain outcome, uniform over four, the
 * article, a zero entry, and a lopsided coin.
 *
 * @param entropyFn The learner's function.
 * @returns A one-line success message.
 * @throws {CheckFailed} On the first input where the entropy is wrong, with a hint.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkEntropy } from "./loss.ts";
 *
 * const naive = (p: number[]) => -p.reduce((s, x) => s + x * Math.log(x), 0);
 * assert.throws(() => checkEntropy(naive), (e: Error) => e.message.includes("0 × ln 0 is NaN"));
 * ```
 */
export function checkEntropy(entropyFn: (probs: number[]) => number): string {
  const cases: [number[], string][] = [
    [[0.5, 0.5], "a fair coin: ln 2"],
    [[1], "a certain outcome is no surprise"],
    [[0.25, 0.25, 0.25, 0.25], "uniform over 4 words: ln 4, the most a 4-word prediction can have"],
    [ARTICLE, "the article's prediction"],
    [[1, 0], "a word of probability 0 adds nothing"],
    [[0.9, 0.1], "a lopsided coin is less surprising than a fair one"],
  ];
  for (const [probs, why] of cases) {
    const expected = entropy(probs);
    const call = `entropy(${describe(probs)})`;
    const actual = run(call, () => entropyFn(frozen(probs)));
    if (!close(actual, expected)) {
      throw wrong(call, expected, actual, { why, mistakes: logMistakes(expected) });
    }
  }
  return passed("entropy", "right on 6 distributions, including a zero entry");
}

/** What {@linkcode checkBatchLoss} expects back. */
export interface BatchLoss {
  /** The mean negative log-likelihood over the examples, in nats. */
  meanNll: number;
  /** e^meanNll. */
  perplexity: number;
}

/**
 * Checks `batchLoss(predictions, targets)`: the mean loss of a batch and its perplexity; a
 * RangeError for an empty batch.
 *
 * Formula: meanNll = (1/n) Σ_k −ln predictions[k][targets[k]], perplexity = e^meanNll; the
 * references are `negativeLogLikelihood` and `perplexity` (lib/math/information.ts). Inputs: one
 * example, notebook 03's batch of ten, two examples with their own predictions, an impossible
 * example, and no examples.
 *
 * @param batchLoss The learner's function.
 * @returns A one-line success message.
 * @throws {CheckFailed} On the first input where a field is wrong, with a hint.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkBatchLoss } from "./loss.ts";
 *
 * const summed = (q: number[][], t: number[]) => {
 *   const total = t.reduce((s, j, k) => s - Math.log(q[k]![j]!), 0);
 *   return { meanNll: total, perplexity: Math.exp(total) };
 * };
 * assert.throws(() => checkBatchLoss(summed), (e: Error) => e.message.includes("their mean"));
 * ```
 */
export function checkBatchLoss(
  batchLoss: (predictions: number[][], targets: number[]) => BatchLoss,
): string {
  // Notebook 03's batch: Playground, School, Playground, Park, School, Cafe, Playground, Hospital,
  // School, Playground, as indices into the article's words.
  const batch = [2, 4, 2, 3, 4, 0, 2, 1, 4, 2];
  const cases: [number[][], number[], string][] = [
    [[[0.5, 0.5]], [0], "one example, a fair coin: as unsure as a choice between 2"],
    [batch.map(() => ARTICLE), batch, "notebook 03's batch of ten, one prediction for all"],
    [[[0.9, 0.1], [0.2, 0.8]], [0, 1], "each example has its own prediction"],
    [[[1, 0], [0.5, 0.5]], [1, 0], "one impossible example makes the mean infinite"],
  ];
  for (const [predictions, targets, why] of cases) {
    const losses = targets.map((t, k) => negativeLogLikelihood(predictions[k]!, t));
    const mean = losses.reduce((s, x) => s + x, 0) / losses.length;
    const expected: BatchLoss = { meanNll: mean, perplexity: perplexity(mean) };
    const call = `batchLoss(${describe(predictions)}, ${describe(targets)})`;
    const actual = run(call, () => batchLoss(frozen(predictions), frozen(targets)));
    if (
      !close(actual?.meanNll, expected.meanNll) || !close(actual?.perplexity, expected.perplexity)
    ) {
      const sum = mean * losses.length;
      throw wrong(call, expected, actual, {
        why,
        mistakes: [
          {
            matches: (x) => losses.length > 1 && close((x as BatchLoss).meanNll, sum),
            hint: "you summed the losses; the loss of a batch is their mean",
          },
          {
            matches: (x) =>
              close((x as BatchLoss).meanNll, mean) && close((x as BatchLoss).perplexity, mean),
            hint: "perplexity is e raised to the mean loss",
          },
          ...logMistakes(mean).map((m) => ({
            matches: (x: unknown) => m.matches((x as BatchLoss).meanNll),
            hint: m.hint,
          })),
        ],
      });
    }
  }
  expectRangeError(
    "batchLoss([], [])",
    () => batchLoss(frozen([]), frozen([])),
    "an empty batch has no mean",
  );
  return passed(
    "batchLoss",
    "right on 4 batches, including an impossible example, and refuses an empty one",
  );
}

/**
 * Checks `lossFromLogits(logits, target)`: the training loss straight from logits, without
 * overflow and without taking the log of a probability that rounded to 0.
 *
 * Formula: −ln softmax(x)_target = ln Σ_j exp(x_j) − x_target, with ln Σ exp computed after
 * subtracting max x; the reference is `crossEntropyFromLogits` (lib/math/information.ts). Inputs:
 * equal logits, the article's logits ln p, three logits, [1000, 1000] (overflow), [−1000, 1000]
 * (a probability that rounds to 0) and a masked −Infinity logit.
 *
 * @param lossFromLogits The learner's function.
 * @returns A one-line success message.
 * @throws {CheckFailed} On the first input where the loss is wrong, with a hint.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { softmax } from "../math/softmax.ts";
 * import { crossEntropyFromLogits } from "../math/information.ts";
 * import { checkLossFromLogits } from "./loss.ts";
 *
 * assert.throws(() => checkLossFromLogits((x, t) => -Math.log(softmax(x)[t]!)), (e: Error) => e.message.includes("rounds to 0"));
 * assert.match(checkLossFromLogits(crossEntropyFromLogits), /^✓ lossFromLogits/);
 * ```
 */
export function checkLossFromLogits(
  lossFromLogits: (logits: number[], target: number) => number,
): string {
  const cases: [number[], number, string, string?][] = [
    [[0, 0], 0, "two equal logits give each word probability 1/2"],
    [ARTICLE.map(Math.log), 2, "logits ln p give back −ln 0.4"],
    [[2, 1, 0], 0, "softmax([2, 1, 0]) gives the first word 0.665"],
    [
      [1000, 1000],
      0,
      "the same as [0, 0]",
      "exp(1000) overflows to Infinity: subtract the largest logit before exponentiating",
    ],
    [
      [-1000, 1000],
      0,
      "the first word's probability is e^−2000",
      "e^−2000 rounds to 0, and −ln 0 = Infinity; ln Σ exp(x) − x[target] gives the loss without ever forming the probability",
    ],
    [[0, -Infinity], 1, "a masked logit (−Infinity) means probability 0"],
  ];
  for (const [logits, target, why, hint] of cases) {
    const expected = crossEntropyFromLogits(logits, target);
    const call = `lossFromLogits(${describe(logits)}, ${target})`;
    const actual = run(call, () => lossFromLogits(frozen(logits), target));
    if (!close(actual, expected)) {
      throw wrong(call, expected, actual, {
        why,
        hint,
        mistakes: logMistakes(expected).slice(0, 2),
      });
    }
  }
  return passed("lossFromLogits", "right on 6 inputs, including [1000, 1000] and [-1000, 1000]");
}
