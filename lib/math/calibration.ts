/**
 * Calibration (校准): does a model that says "70% sure" turn out right 70% of the time? The
 * expected calibration error and the data of a reliability diagram measure it; temperature scaling
 * ({@linkcode fitTemperature}, Guo et al. 2017) repairs it with one number fitted on held-out data.
 *
 * @module
 */

import {
  checkArrayLike,
  checkInteger,
  checkLogits,
  checkNumber,
  checkNumbers,
  checkObject,
  formatValue,
  MAX_LENGTH,
} from "../_validate.ts";

/** One bin of a reliability diagram. */
export interface ReliabilityBin {
  /** Lower edge of the bin (included). */
  lower: number;
  /** Upper edge (excluded, except 1 in the last bin). */
  upper: number;
  /** How many predictions fall in the bin. */
  count: number;
  /** Their mean confidence; `NaN` for an empty bin. */
  meanConfidence: number;
  /** The share of them that were right; `NaN` for an empty bin. */
  accuracy: number;
}

/** Reads `correct` as 0/1 numbers: each entry `true`/`false` or 1/0. */
function readCorrect(correct: ArrayLike<boolean | number>, length: number): Uint8Array {
  const n = checkArrayLike(correct, "correct", "an array of booleans");
  if (n !== length) {
    throw new RangeError(
      `\`correct\` must have one entry per confidence (${length}), got ${formatValue(n)}`,
    );
  }
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const c = correct[i];
    if (c === true || c === 1) out[i] = 1;
    else if (!(c === false || c === 0)) {
      throw new TypeError(`\`correct[${i}]\` must be true, false, 1 or 0, got ${formatValue(c)}`);
    }
  }
  return out;
}

/**
 * The data of a reliability diagram: predictions grouped by confidence into equal-width bins,
 * with each bin's mean confidence and accuracy. A calibrated model has accuracy = confidence in
 * every bin (the diagonal); bars below the diagonal mean overconfidence.
 *
 * Formula: bin b of B covers [b/B, (b+1)/B), the last one [(B−1)/B, 1]; prediction i goes to bin
 * min(B − 1, floor(c_i · B)). Per bin: count n_b, mean confidence (1/n_b) Σ c_i, accuracy
 * (1/n_b) Σ correct_i. Runs in O(N + B).
 *
 * @param confidences The probability each prediction gave its chosen answer, in [0, 1].
 * @param correct Whether each prediction was right (`true`/`false` or 1/0).
 * @param bins B, the number of bins (an integer >= 1); default 10.
 * @returns B bins in order of confidence; empty ones have count 0 and `NaN` mean and accuracy.
 * @throws {TypeError} When an argument has the wrong type.
 * @throws {RangeError} When `confidences` is empty or outside [0, 1], the lengths differ, or `bins`
 * is not an integer >= 1.
 * @example
 * ```ts
 * import { reliabilityDiagram } from "./calibration.ts";
 * import assert from "node:assert/strict";
 * const [low, high] = reliabilityDiagram([0.9, 0.8, 0.6, 0.3], [true, false, true, true], 2);
 * assert.deepEqual(low, { lower: 0, upper: 0.5, count: 1, meanConfidence: 0.3, accuracy: 1 });
 * assert.equal(high!.count, 3);
 * assert.equal(high!.accuracy, 2 / 3); // confident (mean 0.77) but right 67% of the time
 * ```
 */
export function reliabilityDiagram(
  confidences: ArrayLike<number>,
  correct: ArrayLike<boolean | number>,
  bins = 10,
): ReliabilityBin[] {
  const n = checkNumbers(confidences, "confidences");
  for (let i = 0; i < n; i++) checkNumber(confidences[i], `confidences[${i}]`, { min: 0, max: 1 });
  const right = readCorrect(correct, n);
  checkInteger(bins, "bins", { min: 1, limit: MAX_LENGTH });
  const count = new Float64Array(bins);
  const confidenceSum = new Float64Array(bins);
  const rightSum = new Float64Array(bins);
  for (let i = 0; i < n; i++) {
    const c = confidences[i]!;
    const b = Math.min(bins - 1, Math.floor(c * bins));
    count[b]!++;
    confidenceSum[b]! += c;
    rightSum[b]! += right[i]!;
  }
  return Array.from({ length: bins }, (_, b) => ({
    lower: b / bins,
    upper: (b + 1) / bins,
    count: count[b]!,
    meanConfidence: count[b]! === 0 ? NaN : confidenceSum[b]! / count[b]!,
    accuracy: count[b]! === 0 ? NaN : rightSum[b]! / count[b]!,
  }));
}

/**
 * Expected calibration error (Naeini et al. 2015; Guo et al. 2017): the average gap between
 * confidence and accuracy over the bins of a reliability diagram, weighted by how many predictions
 * each bin holds.
 *
 * Formula: ECE = Σ_b (n_b / N) · |accuracy_b − meanConfidence_b| over the non-empty bins of
 * {@linkcode reliabilityDiagram}. 0 for a calibrated model; at most 1. The value depends on B: with
 * more bins each bin's gap is noisier. Runs in O(N + B).
 *
 * @param confidences The probability each prediction gave its chosen answer, in [0, 1].
 * @param correct Whether each prediction was right (`true`/`false` or 1/0).
 * @param bins B, the number of equal-width bins (an integer >= 1); default 10.
 * @returns ECE in [0, 1].
 * @throws {TypeError} When an argument has the wrong type.
 * @throws {RangeError} As {@linkcode reliabilityDiagram}.
 * @example
 * ```ts
 * import { expectedCalibrationError } from "./calibration.ts";
 * import assert from "node:assert/strict";
 * // Bin [0, 0.5): 0.3 said, 1 right: gap 0.7, weight 1/4. Bin [0.5, 1]: 0.9, 0.8, 0.6 said
 * // (mean 2.3/3), 2 of 3 right: gap 0.1, weight 3/4. ECE = 0.175 + 0.075 = 0.25.
 * const ece = expectedCalibrationError([0.9, 0.8, 0.6, 0.3], [1, 0, 1, 1], 2);
 * assert.ok(Math.abs(ece - 0.25) < 1e-12);
 * ```
 */
export function expectedCalibrationError(
  confidences: ArrayLike<number>,
  correct: ArrayLike<boolean | number>,
  bins = 10,
): number {
  const diagram = reliabilityDiagram(confidences, correct, bins);
  const total = confidences.length;
  let ece = 0;
  for (const bin of diagram) {
    if (bin.count > 0) ece += (bin.count / total) * Math.abs(bin.accuracy - bin.meanConfidence);
  }
  return ece;
}

/** The confidence and correctness of each prediction; see {@linkcode predictionConfidences}. */
export interface PredictionConfidences {
  /** max_i softmax(x / T)_i of each example. */
  confidences: Float64Array;
  /** Whether each example's first largest logit is its target. */
  correct: boolean[];
}

/** Checks a batch of logit rows and their targets; returns the number of rows. */
function checkBatch(logits: readonly ArrayLike<number>[], targets: ArrayLike<number>): number {
  if (!Array.isArray(logits)) {
    throw new TypeError(`\`logits\` must be an array of logit rows, got ${formatValue(logits)}`);
  }
  const n = checkArrayLike(logits, "logits", "an array of logit rows");
  if (n === 0) throw new RangeError("`logits` must hold at least one row");
  const m = checkNumbers(targets, "targets");
  if (m !== n) {
    throw new RangeError(
      `\`targets\` must have one entry per row of \`logits\` (${n}), got ${formatValue(m)}`,
    );
  }
  for (let r = 0; r < n; r++) {
    const row = logits[r]!;
    checkLogits(row, `logits[${r}]`);
    const t = checkInteger(targets[r], `targets[${r}]`, { min: 0, max: row.length - 1 });
    if (row[t] === -Infinity) {
      throw new RangeError(
        `\`logits[${r}][${t}]\` (the target of row ${r}) is -Infinity: its loss is infinite at ` +
          "every temperature",
      );
    }
  }
  return n;
}

/** −ln softmax(x / T)[t] of one row, stable: ln Σ exp((x_i − max) / T) − (x_t − max) / T. */
function rowNll(row: ArrayLike<number>, target: number, temperature: number): number {
  let max = -Infinity;
  for (let i = 0; i < row.length; i++) if (row[i]! > max) max = row[i]!;
  let sum = 0;
  for (let i = 0; i < row.length; i++) sum += Math.exp((row[i]! - max) / temperature);
  return Math.log(sum) - (row[target]! - max) / temperature;
}

/**
 * The held-out loss of a model whose logits are divided by T: mean negative log-likelihood of the
 * targets under softmax(x / T).
 *
 * Formula: NLL(T) = (1/N) Σ_r [ln Σ_i exp(x_ri / T) − x_r,t_r / T], computed with the row maximum
 * subtracted (the same numbers as −logSoftmax(x_r, T)[t_r] of softmax.ts). As a function of
 * β = 1/T it is convex (log-sum-exp is convex, the other term linear). Runs in O(total logits).
 *
 * @param logits One row of logits per example (`-Infinity` masks a class; a model that gives
 * probabilities has logits ln p).
 * @param targets The index of the true class of each row.
 * @param temperature T, a finite number > 0.
 * @returns NLL(T) in nats, >= 0.
 * @throws {TypeError} When an argument has the wrong type.
 * @throws {RangeError} No rows, invalid logits, a target out of range or masked, lengths that
 * differ, or T not finite and > 0.
 * @example
 * ```ts
 * import { temperatureScaledNll } from "./calibration.ts";
 * import assert from "node:assert/strict";
 * const logits = [[0.1, 0.05, 0.4, 0.15, 0.3].map(Math.log)];
 * assert.ok(Math.abs(temperatureScaledNll(logits, [2], 1) + Math.log(0.4)) < 1e-12);
 * ```
 */
export function temperatureScaledNll(
  logits: readonly ArrayLike<number>[],
  targets: ArrayLike<number>,
  temperature: number,
): number {
  const n = checkBatch(logits, targets);
  checkNumber(temperature, "temperature", { min: 0, minExclusive: true, finite: true });
  return meanNll(logits, targets, n, temperature);
}

function meanNll(
  logits: readonly ArrayLike<number>[],
  targets: ArrayLike<number>,
  n: number,
  temperature: number,
): number {
  let sum = 0;
  for (let r = 0; r < n; r++) sum += rowNll(logits[r]!, targets[r]!, temperature);
  return sum / n;
}

/**
 * The confidence of each prediction at temperature T and whether it was right: the inputs of
 * {@linkcode reliabilityDiagram} and {@linkcode expectedCalibrationError} for a batch of logits.
 *
 * Formula: confidence_r = max_i softmax(x_r / T)_i = 1 / Σ_i exp((x_ri − max x_r) / T);
 * correct_r = (argmax_i x_ri = t_r), the first largest on ties. T changes the confidences, never
 * which class is chosen. Runs in O(total logits).
 *
 * @param logits One row of logits per example.
 * @param targets The index of the true class of each row.
 * @param temperature T, a finite number > 0; default 1.
 * @returns `{ confidences, correct }`, one entry per row.
 * @throws {TypeError} When an argument has the wrong type.
 * @throws {RangeError} As {@linkcode temperatureScaledNll}.
 * @example
 * ```ts
 * import { predictionConfidences } from "./calibration.ts";
 * import assert from "node:assert/strict";
 * const logits = [[0.1, 0.05, 0.4, 0.15, 0.3].map(Math.log)];
 * const { confidences, correct } = predictionConfidences(logits, [4]);
 * assert.ok(Math.abs(confidences[0]! - 0.4) < 1e-12); // Playground, 40% sure
 * assert.deepEqual(correct, [false]); // but the answer was School
 * ```
 */
export function predictionConfidences(
  logits: readonly ArrayLike<number>[],
  targets: ArrayLike<number>,
  temperature = 1,
): PredictionConfidences {
  const n = checkBatch(logits, targets);
  checkNumber(temperature, "temperature", { min: 0, minExclusive: true, finite: true });
  const confidences = new Float64Array(n);
  const correct: boolean[] = [];
  for (let r = 0; r < n; r++) {
    const row = logits[r]!;
    let best = 0;
    for (let i = 1; i < row.length; i++) if (row[i]! > row[best]!) best = i;
    let sum = 0;
    for (let i = 0; i < row.length; i++) sum += Math.exp((row[i]! - row[best]!) / temperature);
    confidences[r] = 1 / sum;
    correct.push(best === targets[r]);
  }
  return { confidences, correct };
}

/** Options of {@linkcode fitTemperature}. */
export interface FitTemperatureOptions {
  /** Smallest T searched, finite > 0; default 0.05. */
  lower?: number;
  /** Largest T searched, finite > `lower`; default 20. */
  upper?: number;
  /** Stop when the bracket on ln T is narrower than this (finite > 0); default 1e-4. */
  tolerance?: number;
}

/** The result of {@linkcode fitTemperature}. */
export interface TemperatureFit {
  /** The fitted T. */
  temperature: number;
  /** NLL at the fitted T, in nats. */
  meanNll: number;
  /** How many times NLL(T) was computed. */
  evaluations: number;
}

/** 1/φ = (√5 − 1) / 2, the golden-section ratio. */
const INVERSE_PHI = (Math.sqrt(5) - 1) / 2;

/**
 * Temperature scaling (Guo et al. 2017): the single temperature T that minimises the mean
 * negative log-likelihood of held-out data. Dividing the logits by it calibrates the model's
 * confidences without changing any prediction.
 *
 * Formula: T* = argmin_T NLL(T) ({@linkcode temperatureScaledNll}) over [lower, upper], found by
 * golden-section search on u = ln T: keep a bracket [a, b] of u, compare NLL at the two points
 * that split it in the golden ratio, drop the part beyond the worse one, and stop when b − a <
 * tolerance; T* = exp((a + b) / 2), so T* is within a factor e^(tolerance / 2) of the minimiser.
 * NLL is convex in β = 1/T, hence unimodal in u = −ln β, so the search finds the minimum in the
 * bracket (an end of it when the minimum lies outside). Searching ln T treats T = 0.5 and T = 2 as
 * equally far from 1. Defaults: [0.05, 20], tolerance 1e-4 (about 25 evaluations). Runs in
 * O(evaluations × total logits).
 *
 * @param logits One row of logits per held-out example (ln p for a model that gives
 * probabilities).
 * @param targets The index of the true class of each row.
 * @param options `lower`, `upper` (the bracket of T) and `tolerance` (on ln T).
 * @returns `{ temperature, meanNll, evaluations }`.
 * @throws {TypeError} When an argument has the wrong type.
 * @throws {RangeError} As {@linkcode temperatureScaledNll}, or an invalid bracket or tolerance.
 * @example Three right answers out of four: the fitted model says 3/4
 * ```ts
 * import { fitTemperature } from "./calibration.ts";
 * import assert from "node:assert/strict";
 * // Every row has logits [1, 0]; class 0 is right 3 times in 4. softmax([1, 0] / T)[0] = 3/4
 * // when 1/T = ln 3, so T* = 1 / ln 3 = 0.9102392266268373.
 * const fit = fitTemperature([[1, 0], [1, 0], [1, 0], [1, 0]], [0, 0, 0, 1]);
 * assert.ok(Math.abs(fit.temperature - 1 / Math.log(3)) < 1e-4);
 * // NLL at T* is the entropy of (3/4, 1/4): 0.5623351446188083 nats.
 * assert.ok(Math.abs(fit.meanNll - 0.5623351446188083) < 1e-9);
 * ```
 */
export function fitTemperature(
  logits: readonly ArrayLike<number>[],
  targets: ArrayLike<number>,
  options: FitTemperatureOptions = {},
): TemperatureFit {
  checkObject(options, "options");
  const n = checkBatch(logits, targets);
  const lower = checkNumber(options.lower ?? 0.05, "lower", {
    min: 0,
    minExclusive: true,
    finite: true,
  });
  const upper = checkNumber(options.upper ?? 20, "upper", {
    min: lower,
    minExclusive: true,
    finite: true,
  });
  const tolerance = checkNumber(options.tolerance ?? 1e-4, "tolerance", {
    min: 0,
    minExclusive: true,
    finite: true,
  });
  let evaluations = 0;
  const f = (u: number) => {
    evaluations++;
    return meanNll(logits, targets, n, Math.exp(u));
  };
  let a = Math.log(lower);
  let b = Math.log(upper);
  let c = b - INVERSE_PHI * (b - a);
  let d = a + INVERSE_PHI * (b - a);
  let fc = f(c);
  let fd = f(d);
  while (b - a >= tolerance) {
    if (fc <= fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - INVERSE_PHI * (b - a);
      fc = f(c);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + INVERSE_PHI * (b - a);
      fd = f(d);
    }
  }
  const u = (a + b) / 2;
  return { temperature: Math.exp(u), meanNll: f(u), evaluations };
}
