/**
 * Checks for the exercises of notebook 08 (a neural language model): the steps of one prediction
 * of the MLP of Bengio et al. (2003), on plain arrays: look up embeddings, concatenate a context,
 * the tanh hidden layer, the output probabilities and the loss of the true next word, and one
 * gradient step on the output bias. The reference values come from lib/nn (`embedding`, `concat`,
 * `linear`, `tanh`, `softmaxCrossEntropy` and its backward pass) and lib/math/softmax.ts.
 *
 * @module
 */

import { logSoftmax, softmax } from "../math/softmax.ts";
import { tanh } from "../nn/activations.ts";
import { softmaxCrossEntropy } from "../nn/cross_entropy.ts";
import { embedding } from "../nn/embedding.ts";
import { linear } from "../nn/matmul.ts";
import { concat } from "../nn/shape.ts";
import { type Tensor, tensor } from "../nn/tensor.ts";
import { close, closeAll, closeRows, describe, frozen, passed, run, wrong } from "./_check.ts";

/** A float64 tensor of some rows. */
const matrix = (rows: readonly (readonly number[])[]): Tensor =>
  tensor(rows.flat(), [rows.length, rows[0]!.length], { dtype: "float64" });
/** A float64 vector. */
const vector = (values: readonly number[]): Tensor =>
  tensor(values, [values.length], { dtype: "float64" });
/** A tensor's data as rows of `width`. */
const rowsOf = (t: Tensor, width: number): number[][] =>
  Array.from(
    { length: t.size / width },
    (_, i) => Array.from(t.data.subarray(i * width, (i + 1) * width)),
  );

/** A table of 3 words with 2-number vectors: word t is (10t, 10t + 1). */
const TABLE = [[0, 1], [10, 11], [20, 21]];

/**
 * Checks `lookUp(table, ids)`: the embedding lookup, row `ids[k]` of the table for each k.
 *
 * Formula: lookUp(C, ids)_k = C[ids_k]; the reference is `embedding` (lib/nn/embedding.ts).
 * Inputs: one id, several ids, a repeated id, and no ids.
 *
 * @param lookUp The learner's function.
 * @returns A one-line success message.
 * @throws {CheckFailed} On the first input where the rows are wrong, with a hint.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkLookUp } from "./neural.ts";
 *
 * assert.throws(() => checkLookUp(() => []), (e: Error) => e.message.includes("row 2 of the table"));
 * ```
 */
export function checkLookUp(lookUp: (table: number[][], ids: number[]) => number[][]): string {
  const cases: [number[][], number[], string][] = [
    [TABLE, [2], "row 2 of the table is the vector of word 2"],
    [TABLE, [0, 1, 2], "one row per id, in the order of the ids"],
    [TABLE, [2, 0, 2], "a word that occurs twice in the context gets its row twice"],
    [TABLE, [], "no ids, no rows"],
  ];
  for (const [table, ids, why] of cases) {
    const expected = ids.length === 0 ? [] : rowsOf(embedding(matrix(table), ids), 2);
    const call = `lookUp(${describe(table)}, ${describe(ids)})`;
    const actual = run(call, () => lookUp(frozen(table), frozen(ids)));
    if (!closeRows(actual, expected)) {
      throw wrong(call, expected, actual, {
        why,
        mistakes: [{
          matches: (a) => closeAll(a, expected.flat()),
          hint: "return one row (an array) per id, not the numbers run together",
        }],
      });
    }
  }
  return passed("lookUp", "right on 4 inputs, including a repeated id and no ids");
}

/**
 * Checks `concatContext(vectors)`: the n context vectors laid end to end, oldest first.
 *
 * Formula: x = [v₁ | v₂ | … | v_n], length n·E; the reference is `concat` (lib/nn/shape.ts).
 * Inputs: two vectors, three, one, and vectors of length 1.
 *
 * @param concatContext The learner's function.
 * @returns A one-line success message.
 * @throws {CheckFailed} On the first input where the vector is wrong, with a hint.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkConcatContext } from "./neural.ts";
 *
 * assert.throws(() => checkConcatContext((v) => [...v].reverse().flat()), (e: Error) => e.message.includes("oldest"));
 * ```
 */
export function checkConcatContext(concatContext: (vectors: number[][]) => number[]): string {
  const cases: [number[][], string][] = [
    [[[1, 2], [3, 4]], "the vectors laid end to end, in context order"],
    [[[1, 2], [3, 4], [5, 6]], "n = 3 vectors of E = 2 give n·E = 6 numbers"],
    [[[7, 8, 9]], "a context of one word is its vector"],
    [[[1], [2], [3]], "vectors of one number each"],
  ];
  for (const [vectors, why] of cases) {
    const expected = Array.from(concat(vectors.map(vector), 0).data);
    const call = `concatContext(${describe(vectors)})`;
    const actual = run(call, () => concatContext(frozen(vectors)));
    if (!closeAll(actual, expected)) {
      const interleaved = vectors[0]!.flatMap((_, j) => vectors.map((v) => v[j]!));
      throw wrong(call, expected, actual, {
        why,
        hint: "put all of the first vector, then all of the second, and so on",
        mistakes: [
          {
            matches: (a) => closeAll(a, [...vectors].reverse().flat()),
            hint: "keep the context order: the oldest word's vector first, the last word's last",
          },
          {
            matches: (a) =>
              vectors.length > 1 && vectors[0]!.length > 1 && closeAll(a, interleaved),
            hint: "you interleaved the vectors entry by entry; lay them end to end instead",
          },
        ],
      });
    }
  }
  return passed("concatContext", "right on 4 contexts of 1 to 3 words");
}

/**
 * Checks `hiddenLayer(x, weights, bias)`: h = tanh(x W + b), W of shape (n·E, H).
 *
 * Formula: h_j = tanh(Σ_i x_i W_ij + b_j); the reference is `tanh(linear(x, W, b))` (lib/nn).
 * Inputs: x picking one row of W, a bias, a large input where tanh saturates near 1, and a
 * non-square W.
 *
 * @param hiddenLayer The learner's function.
 * @returns A one-line success message.
 * @throws {CheckFailed} On the first input where h is wrong, with a hint.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkHiddenLayer } from "./neural.ts";
 *
 * assert.throws(() => checkHiddenLayer((x) => x), (e: Error) => e.message.includes("tanh(1), tanh(2)"));
 * ```
 */
export function checkHiddenLayer(
  hiddenLayer: (x: number[], weights: number[][], bias: number[]) => number[],
): string {
  const cases: [number[], number[][], number[], string][] = [
    [[1, 0], [[1, 2], [3, 4]], [0, 0], "x W takes row 0 of W: tanh(1), tanh(2)"],
    [[1, 1], [[1, 2], [3, 4]], [-4, -6], "x W = [4, 6], plus the bias: tanh(0), tanh(0)"],
    [[0.5, -1, 2], [[1, 0], [0, 1], [1, -1]], [0.1, 0.2], "a 3-number input, 2 hidden units"],
    [[10, 10], [[1, 1], [1, -1]], [0, 0], "tanh(20) is 1 within rounding: it saturates"],
  ];
  for (const [x, weights, bias, why] of cases) {
    const expected = Array.from(tanh(linear(vector(x), matrix(weights), vector(bias))).data);
    const call = `hiddenLayer(${describe(x)}, ${describe(weights)}, ${describe(bias)})`;
    const actual = run(call, () => hiddenLayer(frozen(x), frozen(weights), frozen(bias)));
    if (!closeAll(actual, expected)) {
      const pre = expected.map((_, j) =>
        x.reduce((s, xi, i) => s + xi * weights[i]![j]!, bias[j]!)
      );
      const transposed = weights.map((row, j) =>
        Math.tanh(row.reduce((s, w, i) => s + w * (x[i] ?? 0), bias[j] ?? 0))
      );
      throw wrong(call, expected, actual, {
        why,
        hint: "h_j = tanh(Σ_i x_i W_ij + b_j): one number per column of W",
        mistakes: [
          {
            matches: (a) => closeAll(a, pre),
            hint: "that is x W + b before the activation: apply tanh to each entry",
          },
          {
            matches: (a) => closeAll(a, transposed),
            hint: "entry j of x W uses column j of W (x_i times W_ij, summed over i), not row j",
          },
        ],
      });
    }
  }
  return passed("hiddenLayer", "right on 4 inputs, including a bias and a saturated tanh");
}

/**
 * Checks `predict(hidden, weights, bias, target)`: the output layer, z = h W₂ + b₂, its softmax,
 * and the loss of the true next word, −ln p_target.
 *
 * Formula: p = softmax(h W₂ + b₂); loss = −(z_target − logSumExp(z)), computed stably; the
 * references are `softmax` and `logSoftmax` (lib/math/softmax.ts). Inputs: equal logits, a bias
 * that favours one word, and logits of 1000 where the naive −ln p is Infinity.
 *
 * @param predict The learner's function.
 * @returns A one-line success message.
 * @throws {CheckFailed} On the first input where the probabilities or the loss are wrong.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkPredict } from "./neural.ts";
 *
 * assert.throws(() => checkPredict(() => ({ probabilities: [], loss: 0 })), (e: Error) => e.message.includes("both logits are 0"));
 * ```
 */
export function checkPredict(
  predict: (
    hidden: number[],
    weights: number[][],
    bias: number[],
    target: number,
  ) => { probabilities: number[]; loss: number },
): string {
  const cases: [number[], number[][], number[], number, string, string?][] = [
    [[1], [[0, 0]], [0, 0], 0, "both logits are 0: each word 1/2, loss ln 2"],
    [[1, -1], [[1, 0, 2], [0, 1, 0]], [0, 0, 1], 2, "logits [1, −1, 3]: word 2 is the likeliest"],
    [[0.5], [[2, 0]], [0, Math.log(3)], 1, "the bias alone gives word 1 three times the weight"],
    [
      [1],
      [[1000, 0]],
      [0, 0],
      1,
      "word 1's logit is 1000 below word 0's: a loss of 1000 nats",
      "softmax rounds e^−1000 to 0 and −ln 0 = Infinity; compute the loss as logSumExp(z) − z_target",
    ],
  ];
  for (const [hidden, weights, bias, target, why, hint] of cases) {
    const logits = Array.from(linear(vector(hidden), matrix(weights), vector(bias)).data);
    const expected = {
      probabilities: Array.from(softmax(logits)),
      loss: -logSoftmax(logits)[target]!,
    };
    const call = `predict(${describe(hidden)}, ${describe(weights)}, ${describe(bias)}, ${target})`;
    const actual = run(
      call,
      () => predict(frozen(hidden), frozen(weights), frozen(bias), target),
    ) as { probabilities?: unknown; loss?: unknown } | undefined;
    if (
      !closeAll(actual?.probabilities, expected.probabilities) ||
      !close(actual?.loss, expected.loss)
    ) {
      throw wrong(call, expected, actual, {
        why,
        hint,
        mistakes: [{
          matches: (a) => close((a as { loss: unknown }).loss, -expected.loss),
          hint: "mind the minus sign: the loss is −ln p, never negative",
        }],
      });
    }
  }
  return passed("predict", "right on 4 inputs, including logits 1000 apart");
}

/**
 * Checks `biasStep(logits, target, bias, learningRate)`: one gradient step on the output bias b₂.
 * The gradient of the loss −ln softmax(z)_target with respect to z (and so to b₂) is p − y, the
 * probabilities minus the one-hot target.
 *
 * Formula: b' = b − η (softmax(z) − onehot(target)); the reference gradient is the backward pass
 * of `softmaxCrossEntropy` (lib/nn/cross_entropy.ts). Inputs: equal logits, a confident right
 * prediction (small step), a confident wrong one (large step), and η = 0.
 *
 * @param biasStep The learner's function.
 * @returns A one-line success message.
 * @throws {CheckFailed} On the first input where the new bias is wrong, with a hint.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkBiasStep } from "./neural.ts";
 *
 * assert.throws(() => checkBiasStep((z, t, b) => [...b]), (e: Error) => e.message.includes("p − y"));
 * ```
 */
export function checkBiasStep(
  biasStep: (logits: number[], target: number, bias: number[], learningRate: number) => number[],
): string {
  const cases: [number[], number, number[], number, string][] = [
    [
      [0, 0],
      0,
      [0, 0],
      1,
      "p = [0.5, 0.5], y = [1, 0]: gradient p − y = [−0.5, 0.5], step against it",
    ],
    [[5, 0, 0], 0, [1, 2, 3], 0.5, "a confident right prediction: a small step"],
    [[0, 5, 0], 0, [1, 2, 3], 0.5, "a confident wrong prediction: a large step toward word 0"],
    [[1, 2], 1, [0.25, -0.5], 0, "η = 0 leaves the bias as it is"],
  ];
  for (const [logits, target, bias, eta, why] of cases) {
    const z = tensor(logits, [1, logits.length], { dtype: "float64", requiresGrad: true });
    softmaxCrossEntropy(z, [target]).backward();
    const gradient = Array.from(z.grad!);
    const expected = bias.map((b, j) => b - eta * gradient[j]!);
    const call = `biasStep(${describe(logits)}, ${target}, ${describe(bias)}, ${eta})`;
    const actual = run(call, () => biasStep(frozen(logits), target, frozen(bias), eta));
    if (!closeAll(actual, expected)) {
      throw wrong(call, expected, actual, {
        why,
        hint: "the gradient with respect to the bias is p − y: softmax(z) minus the one-hot target",
        mistakes: [{
          matches: (a) => closeAll(a, bias.map((b, j) => b + eta * gradient[j]!)),
          hint: "step against the gradient: b − η (p − y), so the true word's bias goes up",
        }],
      });
    }
  }
  return passed("biasStep", "right on 4 inputs, including η = 0");
}
