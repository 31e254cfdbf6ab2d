/**
 * Checks for the exercises of notebook 06 (training): the loss of a softmax bigram model, the
 * count model's loss (the floor), the gradient, a finite-difference check of a derivative, one
 * gradient step, and a training loop. The learner works on plain S × S tables (`number[][]`); the
 * reference values come from lib/text/bigram_model.ts, whose functions take the same tables
 * flattened.
 *
 * Why one file of about 440 lines: the six checks of chapter 06, each with its teaching messages,
 * as every chapter has one file.
 *
 * @module
 */

import {
  type BigramCounts,
  bigramGradient,
  bigramLoss,
  countModelLoss,
  trainBigram,
} from "../text/bigram_model.ts";
import {
  close,
  closeAll,
  closeRows,
  describe,
  formatNumber,
  frozen,
  passed,
  run,
  Shown,
  wrong,
} from "./_check.ts";

/** A table of bigram counts as lib/text/bigram_model.ts takes it (tokens named t0, t1, …). */
function bigramCounts(table: readonly (readonly number[])[]): BigramCounts {
  const rowTotals = new Float64Array(table.map((row) => row.reduce((s, x) => s + x, 0)));
  return {
    tokens: table.map((_, i) => `t${i}`),
    size: table.length,
    counts: new Float64Array(table.flat()),
    rowTotals,
    total: rowTotals.reduce((s, x) => s + x, 0),
  };
}

/** A flat S² array as S rows. */
function rows(flat: ArrayLike<number>, size: number): number[][] {
  return Array.from({ length: size }, (_, i) => Array.from(flat).slice(i * size, (i + 1) * size));
}

/** Counts of three tokens: row i says how often each token followed token i (N = 7). */
const THREE = [[0, 2, 1], [1, 0, 1], [2, 0, 0]];
/** Some weights for THREE. */
const W3 = [[0, 1, 0], [0.5, 0, -0.5], [2, 0, 0]];
/** Counts whose second row never occurs as a context. */
const UNSEEN_ROW = [[3, 1], [0, 0]];

/**
 * Checks `modelLoss(weights, counts)`: the mean cross-entropy of the softmax bigram model on the
 * counts, L(W) = −(1/N) Σ_ij C_ij ln softmax(W_i)_j, N = Σ_ij C_ij.
 *
 * Formula: as above, with ln softmax(W_i)_j = W_ij − ln Σ_k exp(W_ik) computed stably; the
 * reference is `bigramLoss` (lib/text/bigram_model.ts). Inputs: W = 0 (the uniform loss ln S),
 * other weights, a row never seen as a context, and weights of 1000 where one count in five is a
 * 1000-nat surprise.
 *
 * @param modelLoss The learner's function.
 * @returns A one-line success message.
 * @throws {CheckFailed} On the first input where the loss is wrong, with a hint.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkModelLoss } from "./training.ts";
 *
 * assert.throws(() => checkModelLoss(() => 0), (e: Error) => e.message.includes("W = 0 is the uniform model"));
 * ```
 */
export function checkModelLoss(
  modelLoss: (weights: number[][], counts: number[][]) => number,
): string {
  const zeros = THREE.map((row) => row.map(() => 0));
  const cases: [number[][], number[][], string, string?][] = [
    [zeros, THREE, "W = 0 is the uniform model: every token 1/3, loss ln 3"],
    [W3, THREE, "each row's softmax, weighted by that row's counts"],
    [[[0, 1], [5, -5]], UNSEEN_ROW, "a row never seen as a context adds nothing"],
    [
      [[1000, 0], [0, 1000]],
      [[4, 1], [1, 4]],
      "two of the ten tokens cost 1000 nats each",
      "softmax rounds e^−1000 to 0 and −ln 0 = Infinity; compute ln softmax(W_i)_j as W_ij − logSumExp(W_i), as in notebook 03",
    ],
  ];
  for (const [weights, counts, why, hint] of cases) {
    const c = bigramCounts(counts);
    const expected = bigramLoss(weights.flat(), c);
    const call = `modelLoss(${describe(weights)}, ${describe(counts)})`;
    const actual = run(call, () => modelLoss(frozen(weights), frozen(counts)));
    if (!close(actual, expected)) {
      throw wrong(call, expected, actual, {
        why,
        hint,
        mistakes: [
          {
            matches: (x) => close(x, expected * c.total),
            hint: "that is the sum over all tokens; divide by N, the sum of all counts",
          },
          {
            matches: (x) => close(x, -expected),
            hint: "a loss is never negative: −(1/N) Σ C ln p",
          },
        ],
      });
    }
  }
  return passed("modelLoss", "right on 4 inputs, including an unseen row and weights of 1000");
}

/**
 * Checks `countModelLoss(counts)`: the loss of the count model P_ij = C_ij / N_i on its own
 * counts, the lowest loss any weights can reach.
 *
 * Formula: L* = −(1/N) Σ_ij C_ij ln(C_ij / N_i), over the entries with C_ij > 0; the reference is
 * `countModelLoss` (lib/text/bigram_model.ts). Inputs: three tokens, a 50/50 row and a certain
 * row, a row never seen, and certain predictions only (L* = 0).
 *
 * @param countModelLossFn The learner's function.
 * @returns A one-line success message.
 * @throws {CheckFailed} On the first input where the loss is wrong, with a hint.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkCountModelLoss } from "./training.ts";
 *
 * assert.throws(() => checkCountModelLoss(() => NaN), (e: Error) => e.message.includes("0 × ln 0"));
 * ```
 */
export function checkCountModelLoss(countModelLossFn: (counts: number[][]) => number): string {
  const cases: [number[][], string][] = [
    [THREE, "each row's counts divided by the row's total, −ln of that, weighted by the counts"],
    [[[2, 2], [0, 4]], "a 50/50 row and a certain row: (4 ln 2) / 8"],
    [UNSEEN_ROW, "a row never seen as a context adds nothing"],
    [[[5, 0], [0, 5]], "every prediction is certain: L* = 0"],
  ];
  for (const [counts, why] of cases) {
    const c = bigramCounts(counts);
    const expected = countModelLoss(c);
    const call = `countModelLoss(${describe(counts)})`;
    const actual = run(call, () => countModelLossFn(frozen(counts)));
    if (!close(actual, expected)) {
      let overAll = 0;
      for (const row of counts) {
        for (const x of row) if (x > 0) overAll -= x * Math.log(x / c.total);
      }
      throw wrong(call, expected, actual, {
        why,
        mistakes: [
          {
            matches: (x) => Number.isNaN(x),
            hint: "a count of 0 contributes nothing, but 0 × ln 0 is NaN in JavaScript: skip it",
          },
          {
            matches: (x) => close(x, overAll / c.total),
            hint: "P_ij divides by N_i, the total of row i, not by the total of the whole table",
          },
        ],
      });
    }
  }
  return passed("countModelLoss", "right on 4 tables, including zero counts and an unseen row");
}

/**
 * Checks `gradient(weights, counts)`: ∂L/∂W_ij = (N_i softmax(W_i)_j − C_ij) / N, the model's
 * expected counts minus the observed ones, over N.
 *
 * Formula: as above; the reference is `bigramGradient` (lib/text/bigram_model.ts). Inputs: W = 0,
 * other weights, and a row never seen (whose gradient is 0).
 *
 * @param gradient The learner's function.
 * @returns A one-line success message.
 * @throws {CheckFailed} On the first input where the gradient is wrong, with a hint.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkGradient } from "./training.ts";
 *
 * assert.throws(() => checkGradient((w) => w.map((r) => r.map(() => 0))), (e: Error) => e.message.includes("expected counts minus"));
 * ```
 */
export function checkGradient(
  gradient: (weights: number[][], counts: number[][]) => number[][],
): string {
  const zeros = THREE.map((row) => row.map(() => 0));
  const cases: [number[][], number[][], string][] = [
    [zeros, THREE, "at W = 0 the model expects N_i / 3 of each token after token i"],
    [W3, THREE, "expected counts N_i softmax(W_i) minus the observed counts, over N = 7"],
    [
      [[0, 1], [5, -5]],
      UNSEEN_ROW,
      "a row never seen has N_i = 0 and nothing observed: gradient 0",
    ],
  ];
  for (const [weights, counts, why] of cases) {
    const c = bigramCounts(counts);
    const expected = rows(bigramGradient(weights.flat(), c), c.size);
    const call = `gradient(${describe(weights)}, ${describe(counts)})`;
    const actual = run(call, () => gradient(frozen(weights), frozen(counts)));
    if (!closeRows(actual, expected)) {
      const scaled = (f: (x: number, i: number) => number) =>
        expected.map((r, i) => r.map((x) => f(x, i)));
      throw wrong(call, expected, actual, {
        why,
        hint: "expected counts minus observed counts, divided by N",
        mistakes: [
          {
            matches: (x) => closeRows(x, scaled((g) => -g)),
            hint:
              "the sign is reversed: expected counts minus observed ones, so that a word seen more often than expected gets a negative gradient (raise its weight)",
          },
          {
            matches: (x) => closeRows(x, scaled((g) => g * c.total)),
            hint: "divide by N, the sum of all counts",
          },
          {
            matches: (x) =>
              closeRows(
                x,
                scaled((g, i) => (c.rowTotals[i]! > 0 ? (g * c.total) / c.rowTotals[i]! : g)),
              ),
            hint: "divide by N, the sum of all counts, not by the row's total N_i",
          },
        ],
      });
    }
  }
  return passed("gradient", "right on 3 inputs, including an unseen row");
}

/**
 * Checks `finiteDifference(f, w, index, epsilon)`: the central difference
 * (f(w + ε e_index) − f(w − ε e_index)) / 2ε, an estimate of ∂f/∂w_index, without changing `w`.
 *
 * Formula: as above; the reference is the exact derivative, within 1e-6. Inputs: x² + y² at
 * (3, 4) with ε = 0.1 (where the central difference is exact and a one-sided one is off by ε),
 * x·y, exp, and the bigram loss of notebook 06, compared with `bigramGradient`
 * (lib/text/bigram_model.ts). `w` is frozen: build new arrays.
 *
 * @param finiteDifference The learner's function.
 * @returns A one-line success message.
 * @throws {CheckFailed} On the first input where the estimate is wrong, with a hint.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkFiniteDifference } from "./training.ts";
 *
 * const oneSided = (f: (w: number[]) => number, w: number[], i: number, e: number) =>
 *   (f(w.map((x, k) => (k === i ? x + e : x))) - f(w)) / e;
 * assert.throws(() => checkFiniteDifference(oneSided), (e: Error) => e.message.includes("off by about ε"));
 * ```
 */
export function checkFiniteDifference(
  finiteDifference: (
    f: (w: number[]) => number,
    w: number[],
    index: number,
    epsilon: number,
  ) => number,
): string {
  const c = bigramCounts(THREE);
  const lossOf = (w: number[]) => bigramLoss(w, c);
  const lossGradient = bigramGradient(W3.flat(), c);
  const cases: [string, (w: number[]) => number, number[], number, number, number, string][] = [
    [
      "(w) => w[0] ** 2 + w[1] ** 2",
      (w) => w[0]! ** 2 + w[1]! ** 2,
      [3, 4],
      0,
      0.1,
      6,
      "∂/∂x (x² + y²) = 2x = 6",
    ],
    ["(w) => w[0] * w[1]", (w) => w[0]! * w[1]!, [2, 5], 1, 1e-3, 2, "∂/∂y (x y) = x = 2"],
    ["(w) => Math.exp(w[0])", (w) => Math.exp(w[0]!), [0], 0, 1e-4, 1, "∂/∂x exp(x) = exp(0) = 1"],
    [
      "modelLoss",
      lossOf,
      W3.flat(),
      1,
      1e-4,
      lossGradient[1]!,
      "the bigram loss of notebook 06: bigramGradient gives this derivative",
    ],
  ];
  for (const [shown, f, w, index, epsilon, expected, why] of cases) {
    const call = `finiteDifference(${shown}, ${describe(w)}, ${index}, ${formatNumber(epsilon)})`;
    const actual = run(call, () => finiteDifference(f, frozen(w), index, epsilon));
    if (!close(actual, expected, 1e-6)) {
      const moved = (d: number) => f(w.map((x, k) => (k === index ? x + d : x)));
      const forward = (moved(epsilon) - f(w)) / epsilon;
      throw wrong(call, expected, actual, {
        why,
        hint: "move w[index] by +ε and by −ε, and divide the change in f by 2ε",
        mistakes: [
          {
            matches: (x) => close(x, forward, 1e-9),
            hint:
              "use both sides, (f(w + ε) − f(w − ε)) / 2ε: the one-sided difference is off by about ε",
          },
          {
            matches: (x) =>
              close(x, forward * 2, 1e-9) ||
              close(x, (moved(epsilon) - moved(-epsilon)) / epsilon, 1e-9),
            hint: "the two points are 2ε apart: divide by 2ε",
          },
        ],
      });
    }
  }
  return passed(
    "finiteDifference",
    "right on 4 functions, including the bigram loss against bigramGradient",
  );
}

/**
 * Checks `gradientStep(weights, gradient, learningRate)`: one step of gradient descent,
 * W − η ∇L, as new arrays (the inputs are frozen).
 *
 * Formula: W'_ij = W_ij − η G_ij. Inputs: one row, a 2 × 2 table, and η = 0.
 *
 * @param gradientStep The learner's function.
 * @returns A one-line success message.
 * @throws {CheckFailed} On the first input where the new weights are wrong, with a hint.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkGradientStep } from "./training.ts";
 *
 * const uphill = (w: number[][], g: number[][], eta: number) => w.map((r, i) => r.map((x, j) => x + eta * g[i]![j]!));
 * assert.throws(() => checkGradientStep(uphill), (e: Error) => e.message.includes("against the gradient"));
 * ```
 */
export function checkGradientStep(
  gradientStep: (weights: number[][], gradient: number[][], learningRate: number) => number[][],
): string {
  const cases: [number[][], number[][], number, string][] = [
    [[[1, 2]], [[0.5, -1]], 0.1, "each weight moves by η times its gradient, downhill"],
    [[[0, 0], [0, 0]], [[1, 2], [3, 4]], 0.5, "every entry of the table"],
    [[[1, 2]], [[0.5, -1]], 0, "η = 0 leaves the weights where they are"],
  ];
  for (const [weights, gradient, eta, why] of cases) {
    const expected = weights.map((r, i) => r.map((x, j) => x - eta * gradient[i]![j]!));
    const call = `gradientStep(${describe(weights)}, ${describe(gradient)}, ${formatNumber(eta)})`;
    const actual = run(call, () => gradientStep(frozen(weights), frozen(gradient), eta));
    if (!closeRows(actual, expected)) {
      throw wrong(call, expected, actual, {
        why,
        mistakes: [{
          matches: (x) =>
            closeRows(x, weights.map((r, i) => r.map((w, j) => w + eta * gradient[i]![j]!))),
          hint: "step against the gradient: it points uphill, and training goes down",
        }],
      });
    }
  }
  return passed("gradientStep", "right on 3 steps, without changing its inputs");
}

/** What {@linkcode checkTrain} expects back. */
export interface TrainResult {
  /** The weights after the last step, S × S. */
  weights: number[][];
  /** The loss before each step and after the last: steps + 1 values, losses[0] = ln S. */
  losses: number[];
}

/**
 * Checks `train(counts, steps, learningRate)`: plain gradient descent from W = 0, returning the
 * final weights and the loss before every step and after the last.
 *
 * Formula: W₀ = 0; W_{t+1} = W_t − η ∇L(W_t); losses = [L(W₀), …, L(W_steps)]. The reference is
 * `trainBigram(counts, { steps, learningRate, optimizer: "gd" })` (lib/text/bigram_model.ts):
 * the losses and the weights must agree within 1e-9. Inputs: one step, 100 steps on three tokens
 * (the loss must approach the count model's), and a table with an unseen row.
 *
 * @param train The learner's function.
 * @returns A one-line success message.
 * @throws {CheckFailed} On the first input where the losses or weights differ, with a hint.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkTrain } from "./training.ts";
 *
 * assert.throws(() => checkTrain(() => ({ weights: [], losses: [] })), (e: Error) => e.message.includes("steps + 1 values"));
 * ```
 */
export function checkTrain(
  train: (counts: number[][], steps: number, learningRate: number) => TrainResult,
): string {
  const cases: [number[][], number, number, string][] = [
    [THREE, 1, 1, "one step from W = 0: the loss falls from ln 3"],
    [THREE, 100, 5, "100 steps bring the loss close to the count model's"],
    [UNSEEN_ROW, 20, 2, "the unseen row's weights never move"],
  ];
  for (const [counts, steps, eta, why] of cases) {
    const c = bigramCounts(counts);
    const reference = trainBigram(c, { steps, learningRate: eta, optimizer: "gd" });
    const expected = {
      weights: rows(reference.weights, c.size),
      losses: Array.from(reference.losses),
    };
    const call = `train(${describe(counts)}, ${steps}, ${formatNumber(eta)})`;
    const actual = run(call, () => train(frozen(counts), steps, eta));
    const losses = actual?.losses;
    if (!closeAll(losses, expected.losses)) {
      const summary = (values: ArrayLike<number>) =>
        new Shown(
          `${values.length} losses from ${describe(values[0])} to ${
            describe(values[values.length - 1])
          }`,
        );
      const shownExpected = steps > 3 ? summary(expected.losses) : expected.losses;
      const shownActual = Array.isArray(losses) && losses.length > 4 ? summary(losses) : losses;
      throw wrong(`${call}.losses`, shownExpected, shownActual, {
        why,
        mistakes: [
          {
            matches: (x) => !Array.isArray(x) || x.length !== steps + 1,
            hint: "steps + 1 values: the loss at W = 0 before any step, then after each step",
          },
          {
            matches: (x) => Array.isArray(x) && x.length > 1 && x[1] > x[0],
            hint: "the loss went up: step against the gradient",
          },
        ],
      });
    }
    if (!closeRows(actual.weights, expected.weights)) {
      throw wrong(`${call}.weights`, expected.weights, actual.weights, {
        why: "the weights after the last step",
        hint: "return the weights after the last step, as new arrays",
      });
    }
  }
  return passed("train", "the library's losses and weights after 1, 20 and 100 steps");
}
