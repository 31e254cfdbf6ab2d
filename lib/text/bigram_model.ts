/**
 * A softmax bigram model trained by gradient descent: a table W of logits, one row per previous
 * word, turned into P(next | previous) = softmax(W_previous), and fitted by minimising the mean
 * cross-entropy of the next words. Because the loss only depends on the bigram count matrix C, one
 * gradient step costs O(S²) for S = V + 1 tokens, not O(corpus tokens).
 *
 * Tokens: index 0 is the sentence boundary `</s>`, then the V − 1 most frequent words, then
 * `<unk>` at index V for every other word. The corpus is read as one stream
 * `</s> w₁ … w_L </s> w₁ … </s>`, so row 0 (the previous token was a boundary) is the distribution
 * of first words, and column 0 is the probability that the sentence ends. `<s>` and `</s>` are
 * thus one token, as in Karpathy's makemore: the model never needs a separate start symbol.
 *
 * Why one file of about 600 lines: counting, the loss, its gradient and training share one private
 * kernel (`lossAndGradientInto`) and one shape check; splitting training off would make both
 * public. About half of the lines are doc comments with runnable examples.
 *
 * @module
 */

import { logSoftmax, softmax } from "../math/softmax.ts";
import {
  checkInteger,
  checkNumber,
  checkNumbers,
  checkObject,
  checkSentences,
  checkStrings,
  checkTemperature,
  formatValue,
  MAX_LENGTH,
} from "../_validate.ts";
import { EOS, UNK } from "./tokens.ts";

/**
 * The token of the sentence boundary: index 0 as a row (sentence start) and column (end). It is
 * {@linkcode EOS} from tokens.ts, under the name this model's doc uses.
 */
export const BOUNDARY: typeof EOS = EOS;
/** The token standing for every word outside the vocabulary, at the last index: {@linkcode UNK}. */
export const UNKNOWN: typeof UNK = UNK;
/**
 * Default vocabulary size V (boundary plus 999 words; 1,001 tokens with `<unk>`). The top 1,000
 * tokens cover 74% of Brown's predicted tokens (words and sentence ends), and one 1,001 × 1,001
 * step takes about 16 ms on the 2-core reference machine, so the default 200-step run takes about
 * 3.5 s, well under 10 s.
 */
export const DEFAULT_VOCABULARY_SIZE = 1000;

/** The most tokens S a bigram table may have: S² stays within the library's size limit. */
const MAX_SIZE = Math.floor(Math.sqrt(MAX_LENGTH)); // 5,792

/** Bigram counts over a fixed token list: the only data the softmax bigram model needs. */
export interface BigramCounts {
  /** The S = V + 1 tokens: `</s>`, the V − 1 most frequent words, `<unk>`. */
  tokens: string[];
  /** S, the number of tokens (rows and columns). */
  size: number;
  /** C as an S × S row-major matrix: counts[i·S + j] = how often token j followed token i. */
  counts: Float64Array;
  /** N_i = Σ_j C_ij: how often token i was followed by anything. */
  rowTotals: Float64Array;
  /** N = Σ_i N_i: the number of predicted tokens (words plus one `</s>` per sentence). */
  total: number;
}

/** Options of {@link countBigrams}. */
export interface CountBigramOptions {
  /** V: the boundary plus the V − 1 most frequent words get their own index; default 1000. */
  vocabularySize?: number;
  /**
   * Reuse this token list (e.g. the training counts' `tokens`) instead of ranking words: needed to
   * count held-out text on the same rows and columns. Must start with `</s>` and end with `<unk>`.
   */
  tokens?: readonly string[];
}

/**
 * Counts bigrams of sentences over the boundary, the most frequent words and `<unk>`.
 *
 * Formula: ranking = words by count descending, then alphabetically; tokens = [`</s>`, top V − 1
 * words, `<unk>`]; C_ij = number of times token j directly follows token i in the stream
 * `</s> w₁ … w_L </s>` of each sentence (L + 1 bigrams per sentence).
 *
 * @param sentences Sentences of words (not modified); none gives counts with total 0, which the
 * losses reject.
 * @param options `vocabularySize` V (default 1000) or a fixed `tokens` list.
 * @returns `{ tokens, size, counts, rowTotals, total }`.
 * @throws {TypeError} When `sentences` is not an array of arrays of strings, `options` not an
 * object, `vocabularySize` not a number or `tokens` not an array of strings.
 * @throws {RangeError} When `vocabularySize` is not an integer >= 1, `tokens` does not start
 * with `</s>`, end with `<unk>` or repeats a token, or S² would exceed the library's size limit
 * MAX_LENGTH (S at most 5,792).
 * Running cost: O(T + W log W) for T tokens and W distinct words, plus O(S²) memory.
 *
 * @example Two sentences, V = 2 (the boundary and "a")
 * ```ts
 * import assert from "node:assert/strict";
 * import { countBigrams } from "./bigram_model.ts";
 * import { EOS, UNK } from "./tokens.ts";
 *
 * const c = countBigrams([["a", "b"], ["a"]], { vocabularySize: 2 });
 * assert.deepEqual(c.tokens, [EOS, "a", UNK]);
 * // rows: previous </s>, a, <unk>; columns: next </s>, a, <unk>
 * assert.deepEqual([...c.counts], [0, 2, 0, 1, 0, 1, 1, 0, 0]);
 * assert.deepEqual(c.total, 5);
 * ```
 */
export function countBigrams(
  sentences: readonly (readonly string[])[],
  options: CountBigramOptions = {},
): BigramCounts {
  checkSentences(sentences, "sentences");
  checkObject(options, "options", "an object { vocabularySize?, tokens? }", true);
  let tokens: string[];
  if (options.tokens !== undefined) {
    tokens = [...checkStrings(options.tokens, "tokens")];
    if (tokens.length < 2 || tokens[0] !== BOUNDARY || tokens.at(-1) !== UNKNOWN) {
      throw new RangeError(
        `\`tokens\` must start with "${BOUNDARY}" and end with "${UNKNOWN}", got ${
          formatValue(tokens)
        }`,
      );
    }
    if (tokens.length > MAX_SIZE) {
      throw new RangeError(
        `\`tokens\` must hold at most ${MAX_SIZE} tokens (S² entries within the library's size ` +
          `limit), got ${tokens.length}`,
      );
    }
    const seen = new Set<string>();
    for (const token of tokens) {
      if (seen.has(token)) {
        throw new RangeError(`\`tokens\` must not repeat a token, got ${formatValue(token)} twice`);
      }
      seen.add(token);
    }
  } else {
    const vocabularySize = checkInteger(
      options.vocabularySize ?? DEFAULT_VOCABULARY_SIZE,
      "vocabularySize",
      { min: 1 },
    );
    const frequency = new Map<string, number>();
    for (const sentence of sentences) {
      for (const word of sentence) frequency.set(word, (frequency.get(word) ?? 0) + 1);
    }
    frequency.delete(BOUNDARY);
    frequency.delete(UNKNOWN);
    const ranked = [...frequency].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    if (Math.min(vocabularySize, ranked.length + 1) + 1 > MAX_SIZE) {
      throw new RangeError(
        `\`vocabularySize\` must be at most ${
          MAX_SIZE - 1
        } for sentences with ${ranked.length} distinct words (S² entries within the library's size limit), got ${vocabularySize}`,
      );
    }
    tokens = [BOUNDARY, ...ranked.slice(0, vocabularySize - 1).map(([word]) => word), UNKNOWN];
  }
  const size = tokens.length;
  const unknown = size - 1;
  const index = new Map(tokens.map((token, i) => [token, i]));
  const counts = new Float64Array(size * size);
  for (const sentence of sentences) {
    let previous = 0;
    for (const word of sentence) {
      const next = index.get(word) ?? unknown;
      counts[previous * size + next]!++;
      previous = next;
    }
    counts[previous * size]!++;
  }
  const rowTotals = new Float64Array(size);
  let total = 0;
  for (let i = 0; i < size; i++) {
    let sum = 0;
    for (let j = 0; j < size; j++) sum += counts[i * size + j]!;
    rowTotals[i] = sum;
    total += sum;
  }
  return { tokens, size, counts, rowTotals, total };
}

/**
 * Checks bigram counts (from {@link countBigrams}, or built by hand): `tokens` strings, `size`
 * their number, `counts` S² integers >= 0, each row total their row's sum, `total` their sum (a
 * safe integer), and, unless `allowEmpty`, at least one bigram. Returns them with Float64Arrays,
 * read once.
 */
function checkCounts(counts: unknown, allowEmpty = false): BigramCounts {
  const c = checkObject<Record<string, unknown>>(
    counts,
    "counts",
    "bigram counts { tokens, size, counts, rowTotals, total } from `countBigrams()`",
  );
  const tokens = checkStrings(c.tokens, "counts.tokens");
  const size = checkInteger(c.size, "counts.size", { min: 1, max: MAX_SIZE });
  if (tokens.length !== size) {
    throw new RangeError(
      `\`counts.size\` must be the number of tokens (${tokens.length}), got ${size}`,
    );
  }
  const matrix = readCounts(c.counts, "counts.counts", size * size);
  const rowTotals = readCounts(c.rowTotals, "counts.rowTotals", size);
  let total = 0;
  for (let i = 0; i < size; i++) {
    let sum = 0;
    for (let j = 0; j < size; j++) sum += matrix[i * size + j]!;
    if (rowTotals[i] !== sum) {
      throw new RangeError(
        `\`counts.rowTotals[${i}]\` must be the sum of row ${i} of \`counts.counts\` (${sum}), got ${
          formatValue(rowTotals[i])
        }`,
      );
    }
    total += sum;
  }
  if (!Number.isSafeInteger(total)) {
    throw new RangeError(
      `\`counts.counts\` must sum to at most ${Number.MAX_SAFE_INTEGER}, got ${total}`,
    );
  }
  if (c.total !== total) {
    throw new RangeError(
      `\`counts.total\` must be the sum of \`counts.counts\` (${total}), got ${
        formatValue(c.total)
      }`,
    );
  }
  if (total === 0 && !allowEmpty) {
    throw new RangeError(
      "`counts` must hold at least one bigram (a loss over no tokens is 0/0), got total 0",
    );
  }
  return { tokens: [...tokens], size, counts: matrix, rowTotals, total };
}

/** Reads `length` counts (safe integers >= 0) into a Float64Array (no copy if it already is one). */
function readCounts(values: unknown, name: string, length: number): Float64Array {
  const n = checkNumbers(values, name, true);
  if (n !== length) {
    throw new RangeError(`\`${name}\` must have ${length} entries, got ${n}`);
  }
  const array = values instanceof Float64Array ? values : Float64Array.from(values as number[]);
  for (let k = 0; k < n; k++) {
    const x = array[k]!;
    if (!(Number.isSafeInteger(x) && x >= 0)) checkInteger(x, `${name}[${k}]`, { min: 0 });
  }
  return array;
}

/**
 * Checks weights (or an optimizer array, named `name`): S² finite numbers (>= 0 when
 * `nonNegative`, for Adam's second moment).
 */
function checkWeights(
  weights: unknown,
  size: number,
  name: string,
  nonNegative = false,
): asserts weights is ArrayLike<number> {
  const n = checkNumbers(weights, name, true);
  const expected = size * size;
  if (n !== expected) {
    throw new RangeError(
      `\`${name}\` must have S² = ${expected} entries (${size} × ${size} tokens), got ${n}`,
    );
  }
  const array = weights as ArrayLike<number>;
  for (let k = 0; k < n; k++) {
    const x = array[k]!;
    if (!(Number.isFinite(x) && (x >= 0 || !nonNegative))) {
      checkNumber(x, `${name}[${k}]`, nonNegative ? { min: 0, finite: true } : { finite: true });
    }
  }
}

/**
 * The loss and, optionally, its gradient, in one pass over the rows (the fast path shared by
 * {@link bigramLoss}, {@link bigramGradient} and {@link trainBigram}).
 */
function lossAndGradientInto(
  weights: ArrayLike<number>,
  counts: BigramCounts,
  temperature: number,
  gradient: Float64Array | undefined,
): number {
  const { size, counts: c, rowTotals, total } = counts;
  let loss = 0;
  const exps = new Float64Array(size);
  const scale = 1 / (total * temperature);
  for (let i = 0; i < size; i++) {
    const base = i * size;
    const rowTotal = rowTotals[i]!;
    if (rowTotal === 0) {
      if (gradient !== undefined) gradient.fill(0, base, base + size);
      continue;
    }
    let max = -Infinity;
    for (let j = 0; j < size; j++) if (weights[base + j]! > max) max = weights[base + j]!;
    // z_ij = (W_ij − max) / T <= 0, so exp never overflows. When W_ij − max itself overflows
    // (weights 1e308 apart) divide first, as softmax does; a zero count skips its (maybe
    // -Infinity) z, since 0 · -Infinity would be NaN.
    let sum = 0;
    let dot = 0;
    for (let j = 0; j < size; j++) {
      const w = weights[base + j]!;
      const d = w - max;
      const z = d > -Infinity ? d / temperature : w / temperature - max / temperature;
      const e = Math.exp(z);
      exps[j] = e;
      sum += e;
      const count = c[base + j]!;
      if (count !== 0) dot += count * z;
    }
    // Row i contributes Σ_j C_ij · (logSumExp(z_i) − z_ij) = N_i · ln Σ_j e^z_ij − Σ_j C_ij z_ij.
    loss += rowTotal * Math.log(sum) - dot;
    if (gradient !== undefined) {
      const rowScale = rowTotal / sum;
      for (let j = 0; j < size; j++) {
        gradient[base + j] = (rowScale * exps[j]! - c[base + j]!) * scale;
      }
    }
  }
  return loss / total;
}

/**
 * The loss at T = 0, the greedy limit: each row puts probability 1/k on its k tied maxima and 0
 * elsewhere, so the loss is Infinity as soon as a counted bigram is not a row maximum.
 */
function greedyLoss(weights: ArrayLike<number>, counts: BigramCounts): number {
  const { size, counts: c, total } = counts;
  let loss = 0;
  for (let i = 0; i < size; i++) {
    const logP = logSoftmax(Array.from({ length: size }, (_, j) => weights[i * size + j]!), 0);
    for (let j = 0; j < size; j++) {
      const count = c[i * size + j]!;
      if (count > 0) loss -= count * logP[j]!;
    }
  }
  return loss / total;
}

/**
 * Mean cross-entropy of the next tokens under the softmax bigram model with logits W.
 *
 * Formula: L(W) = −(1/N) Σ_i Σ_j C_ij · ln softmax(W_i / T)_j
 * = (1/N) Σ_i [N_i · logSumExp(W_i / T) − Σ_j C_ij W_ij / T].
 *
 * @param weights W, S × S row-major logits (row = previous token).
 * @param counts Bigram counts from {@link countBigrams} (training or held-out), at least one.
 * @param temperature T >= 0 (default 1; the course's one temperature rule, see checkTemperature in
 * lib/_validate.ts): the logits are divided by T before the softmax. T = 0 is the greedy limit
 * (Infinity unless every counted bigram is a row maximum), T = Infinity the uniform one (ln S).
 * @returns The loss in nats per token; ln S for W = 0 (uniform). Infinity when a counted bigram's
 * probability is 0 in floating point (T = 0, or weights about 700·T or more below the row's
 * maximum), never NaN.
 * @throws {TypeError} When an argument has the wrong type.
 * @throws {RangeError} When `weights` does not have S² finite entries, `counts` are inconsistent
 * or empty (total 0), or T is negative or NaN.
 * Running cost: O(S²).
 *
 * @example Uniform logits give ln S
 * ```ts
 * import assert from "node:assert/strict";
 * import { bigramLoss, countBigrams } from "./bigram_model.ts";
 *
 * const counts = countBigrams([["a", "b"], ["b"]], { vocabularySize: 3 });
 * assert.equal(bigramLoss(new Float64Array(16), counts), Math.log(4));
 * ```
 */
export function bigramLoss(
  weights: ArrayLike<number>,
  counts: BigramCounts,
  temperature = 1,
): number {
  const checked = checkCounts(counts);
  checkWeights(weights, checked.size, "weights");
  checkTemperature(temperature);
  if (temperature === 0) return greedyLoss(weights, checked);
  return lossAndGradientInto(weights, checked, temperature, undefined);
}

/**
 * Gradient of the mean cross-entropy {@link bigramLoss} with respect to the logits (T = 1).
 *
 * Formula: ∂L/∂W_i = (N_i · softmax(W_i) − C_i) / N, row by row: the model's expected counts
 * minus the observed counts, divided by the number of predicted tokens.
 *
 * @param weights W, S × S row-major logits.
 * @param counts Bigram counts from {@link countBigrams}.
 * @returns A new Float64Array of S² partial derivatives.
 * @throws {TypeError} When an argument has the wrong type.
 * @throws {RangeError} When `weights` does not have S² finite entries or `counts` are inconsistent
 * or empty.
 * Running cost: O(S²), independent of the corpus size.
 *
 * @example At W = 0 the gradient is (N_i / S − C_ij) / N
 * ```ts
 * import assert from "node:assert/strict";
 * import { bigramGradient, countBigrams } from "./bigram_model.ts";
 *
 * const counts = countBigrams([["a"]], { vocabularySize: 2 }); // </s> a </s>: C_01 = C_10 = 1
 * const g = bigramGradient(new Float64Array(9), counts);
 * assert.deepEqual([...g].map((x) => Math.round(x * 600) / 600), [
 *   1 / 6, -1 / 3, 1 / 6, // row </s>: N = 1, softmax = 1/3 each, minus C = [0, 1, 0], over N = 2
 *   -1 / 3, 1 / 6, 1 / 6, // row a
 *   0, 0, 0, // row <unk>: never a context
 * ]);
 * ```
 */
export function bigramGradient(weights: ArrayLike<number>, counts: BigramCounts): Float64Array {
  const checked = checkCounts(counts);
  checkWeights(weights, checked.size, "weights");
  const gradient = new Float64Array(checked.size * checked.size);
  lossAndGradientInto(weights, checked, 1, gradient);
  return gradient;
}

/**
 * The probability table of the softmax bigram model: P(next = j | previous = i).
 *
 * Formula: P_i = softmax(W_i / T), row by row.
 *
 * @param weights W, S × S row-major finite logits.
 * @param size S, an integer from 1 to 5,792 (S² within the library's size limit).
 * @param temperature T >= 0 (default 1): 0 is greedy per row (ties share), Infinity uniform.
 * @returns A new S × S Float64Array whose rows each sum to 1.
 * @throws {TypeError} When an argument has the wrong type.
 * @throws {RangeError} When `size` is out of range, `weights` does not hold size² finite numbers,
 * or T is negative or NaN.
 * Running cost: O(S²).
 *
 * @example Each row is a softmax
 * ```ts
 * import assert from "node:assert/strict";
 * import { bigramProbabilities } from "./bigram_model.ts";
 *
 * const p = bigramProbabilities([0, 0, Math.log(3), 0], 2);
 * assert.deepEqual([...p].map((x) => Math.round(x * 1e12) / 1e12), [0.5, 0.5, 0.75, 0.25]);
 * ```
 */
export function bigramProbabilities(
  weights: ArrayLike<number>,
  size: number,
  temperature = 1,
): Float64Array {
  checkInteger(size, "size", { min: 1, max: MAX_SIZE });
  checkWeights(weights, size, "weights");
  checkTemperature(temperature);
  const out = new Float64Array(size * size);
  const row = new Float64Array(size);
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) row[j] = weights[i * size + j]!;
    out.set(softmax(row, temperature), i * size);
  }
  return out;
}

/**
 * The counted bigram probabilities, the maximum-likelihood estimate the softmax model converges to.
 *
 * Formula: P_ij = C_ij / N_i; a row never seen as a context (N_i = 0) is uniform, 1/S.
 *
 * @param counts Bigram counts from {@link countBigrams} (total 0 gives the uniform table).
 * @returns A new S × S Float64Array whose rows each sum to 1.
 * @throws {TypeError} When `counts` is not bigram counts.
 * @throws {RangeError} When `counts` are inconsistent (see {@link bigramLoss}).
 * Running cost: O(S²).
 *
 * @example Row "a" of "a b", "a a"
 * ```ts
 * import assert from "node:assert/strict";
 * import { countBigrams, countedProbabilities } from "./bigram_model.ts";
 * import { EOS, UNK } from "./tokens.ts";
 *
 * const counts = countBigrams([["a", "b"], ["a", "a"]], { vocabularySize: 3 });
 * assert.deepEqual(counts.tokens, [EOS, "a", "b", UNK]);
 * const p = countedProbabilities(counts);
 * assert.deepEqual([...p.slice(4, 8)], [1 / 3, 1 / 3, 1 / 3, 0]); // after a: </s>, a, b once each
 * ```
 */
export function countedProbabilities(counts: BigramCounts): Float64Array {
  const { size, counts: c, rowTotals } = checkCounts(counts, true);
  const out = new Float64Array(size * size);
  for (let i = 0; i < size; i++) {
    const n = rowTotals[i]!;
    for (let j = 0; j < size; j++) out[i * size + j] = n === 0 ? 1 / size : c[i * size + j]! / n;
  }
  return out;
}

/**
 * The loss of the count model on its own data: the lowest loss any softmax bigram model can reach.
 *
 * Formula: L* = −(1/N) Σ_ij C_ij ln(C_ij / N_i), over the entries with C_ij > 0. Gibbs'
 * inequality makes L(W) >= L* for every W; L(W) → L* when softmax(W_i) → C_i / N_i.
 *
 * @param counts Bigram counts from {@link countBigrams}, at least one.
 * @returns L* in nats per token.
 * @throws {TypeError} When `counts` is not bigram counts.
 * @throws {RangeError} When `counts` are inconsistent or empty (total 0: the mean over no tokens
 * is 0/0).
 * Running cost: O(S²).
 *
 * @example One certain and one 50/50 prediction
 * ```ts
 * import assert from "node:assert/strict";
 * import { countBigrams, countModelLoss } from "./bigram_model.ts";
 *
 * // stream </s> a b </s> a </s>: after </s> always a; after a, b or </s>; after b, </s>
 * const counts = countBigrams([["a", "b"], ["a"]], { vocabularySize: 3 });
 * assert.equal(countModelLoss(counts), 2 * Math.LN2 / 5);
 * ```
 */
export function countModelLoss(counts: BigramCounts): number {
  const { size, counts: c, rowTotals, total } = checkCounts(counts);
  let sum = 0;
  for (let i = 0; i < size; i++) {
    for (let j = 0; j < size; j++) {
      const count = c[i * size + j]!;
      if (count > 0) sum -= count * Math.log(count / rowTotals[i]!);
    }
  }
  return sum / total;
}

/** The update rules {@link trainBigram} knows. */
export type BigramOptimizer = "gd" | "momentum" | "adam";

/**
 * What an optimizer carries from one step to the next besides the weights. Together with the
 * weights it is a checkpoint: {@link trainBigram} given both continues exactly where a run stopped.
 */
export interface BigramOptimizerState {
  /** The update rule that produced this state. */
  optimizer: BigramOptimizer;
  /** t, the number of steps taken since the starting weights (Adam's bias correction uses it). */
  step: number;
  /** Momentum only: the velocity, S × S (a Float64Array in results). */
  velocity?: ArrayLike<number>;
  /** Adam only: the first moment m, a running mean of gradients, S × S. */
  m?: ArrayLike<number>;
  /** Adam only: the second moment v, a running mean of squared gradients, S × S. */
  v?: ArrayLike<number>;
}

/** Options of {@link trainBigram}. */
export interface BigramTrainOptions {
  /** Number of gradient steps; default 200. */
  steps?: number;
  /** Step size η; default 0.5 for Adam, 50 for plain or momentum gradient descent. */
  learningRate?: number;
  /**
   * `"adam"` (per-weight step sizes, which matters because rare rows get tiny gradients),
   * `"momentum"` (heavy ball, β = 0.9) or `"gd"` (plain W ← W − η ∇L). Default: the resumed run's
   * optimizer, else `"adam"`.
   */
  optimizer?: BigramOptimizer;
  /** Starting logits (not modified); default all zeros, the uniform model with loss ln S. */
  initialWeights?: ArrayLike<number>;
  /**
   * Continue a previous run: its `weights` and optimizer `state` (a {@link BigramTrainResult}
   * fits; it is copied, not modified). Pass the same `learningRate` as that run: n steps and then
   * m resumed steps give bit for bit the weights of one n + m step run. Excludes `initialWeights`.
   */
  resume?: { weights: ArrayLike<number>; state: BigramOptimizerState };
}

/** Result of {@link trainBigram}. */
export interface BigramTrainResult {
  /** The trained logits W, S × S row-major. */
  weights: Float64Array;
  /**
   * losses[t] = L(W) before step t of this call; the last entry is the loss after the final step.
   * When resuming, losses[0] repeats the previous run's last loss.
   */
  losses: Float64Array;
  /** The optimizer's state after the last step (new arrays): pass it back as `resume` to go on. */
  state: BigramOptimizerState;
}

/**
 * Trains the softmax bigram model by gradient descent on the mean cross-entropy, from zeros, from
 * `initialWeights`, or continuing a previous run (`resume`).
 *
 * Formula: g = ∇L(W) (see {@link bigramGradient}); gd: W ← W − η g; momentum: u ← 0.9 u + g,
 * W ← W − η u; Adam at step t = 1, 2, …: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g²,
 * W ← W − η m̂ / (√v̂ + ε) with m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ), β₁ = 0.9, β₂ = 0.999,
 * ε = 1e−8. The velocity u, the moments m, v and the count t are the returned `state`; resuming
 * restores them, so a run split into pieces is exactly one run. Deterministic: no randomness.
 *
 * @param counts Bigram counts from {@link countBigrams}.
 * @param options `steps` (200), `learningRate`, `optimizer` ("adam"), `initialWeights` (zeros) or
 * `resume` (a previous result).
 * @returns `{ weights, losses, state }`, losses of length steps + 1; new arrays, sharing nothing
 * with the inputs.
 * @throws {RangeError} When `counts` are inconsistent or empty, `steps` is not an integer in
 * [0, MAX_LENGTH − 1], `learningRate` is not finite and > 0, `optimizer` is unknown or differs
 * from the resumed run's, `initialWeights` or a `resume` array has the wrong length or a
 * non-finite entry (or a negative `v`), `resume.state.step` is not an integer >= 0, both
 * `initialWeights` and `resume` are given, or training diverges (a loss that is not finite: the
 * message names `learningRate`).
 * @throws {TypeError} When `counts` or `options` is not an object, an option has the wrong type,
 * `resume` is not a `{ weights, state }` object or one of the arrays the optimizer needs
 * (`velocity`; `m` and `v`) is missing.
 * Running cost: O(steps · S²); the default on Brown (S = 1,001, 200 Adam steps) takes about 3.5 s
 * and ends within 0.001 nats of the count model's loss.
 *
 * @example Training approaches the count model's loss
 * ```ts
 * import assert from "node:assert/strict";
 * import { countBigrams, countModelLoss, trainBigram } from "./bigram_model.ts";
 *
 * const counts = countBigrams([["a", "b"], ["a", "c"], ["b"]], { vocabularySize: 4 });
 * const { losses } = trainBigram(counts, { steps: 500 });
 * assert.equal(losses[0], Math.log(counts.size)); // W = 0 is the uniform model
 * assert.ok(losses.at(-1)! - countModelLoss(counts) < 0.01);
 * ```
 *
 * @example 3 steps, then 2 more with `resume`, are exactly one 5-step run
 * ```ts
 * import assert from "node:assert/strict";
 * import { countBigrams, trainBigram } from "./bigram_model.ts";
 *
 * const counts = countBigrams([["a", "b"], ["a", "c"], ["b"]], { vocabularySize: 4 });
 * const once = trainBigram(counts, { steps: 5 });
 * const first = trainBigram(counts, { steps: 3 });
 * const rest = trainBigram(counts, { steps: 2, resume: first });
 * assert.deepEqual(rest.weights, once.weights);
 * assert.deepEqual(rest.state, once.state); // Adam's m, v and step count t = 5
 * // rest.losses[0] is first's last loss: drop it to join the histories
 * assert.deepEqual([...first.losses, ...rest.losses.subarray(1)], [...once.losses]);
 * ```
 */
export function trainBigram(
  counts: BigramCounts,
  options: BigramTrainOptions = {},
): BigramTrainResult {
  const checked = checkCounts(counts);
  checkObject(options, "options", "an object { steps?, learningRate?, optimizer?, … }", true);
  const steps = checkInteger(options.steps ?? 200, "steps", { min: 0, limit: MAX_LENGTH - 1 });
  const resume = options.resume;
  if (resume !== undefined) {
    checkObject(resume, "resume", "a previous result { weights, state }");
    checkObject(resume.state, "resume.state", "an optimizer state { optimizer, step, … }");
  }
  const optimizer: unknown = options.optimizer ?? resume?.state.optimizer ?? "adam";
  if (optimizer !== "gd" && optimizer !== "momentum" && optimizer !== "adam") {
    const name = options.optimizer === undefined ? "resume.state.optimizer" : "optimizer";
    const message = `\`${name}\` must be "gd", "momentum" or "adam", got ${formatValue(optimizer)}`;
    throw typeof optimizer === "string" ? new RangeError(message) : new TypeError(message);
  }
  const learningRate = checkNumber(
    options.learningRate ?? (optimizer === "adam" ? 0.5 : 50),
    "learningRate",
    { min: 0, minExclusive: true, finite: true },
  );
  const size = checked.size;
  const length = size * size;
  const weights = new Float64Array(length);
  const gradient = new Float64Array(length);
  const first = optimizer === "gd" ? undefined : new Float64Array(length);
  const second = optimizer === "adam" ? new Float64Array(length) : undefined;
  let start = 0;
  if (resume !== undefined) {
    if (options.initialWeights !== undefined) {
      throw new RangeError(
        "`initialWeights` must be undefined when `resume` is given (training resumes from `resume.weights`)",
      );
    }
    const state = resume.state;
    if (state.optimizer !== optimizer) {
      throw new RangeError(
        `\`optimizer\` must be the resumed run's ${formatValue(state.optimizer)}, got ${
          formatValue(optimizer)
        }`,
      );
    }
    start = checkInteger(state.step, "resume.state.step", { min: 0 });
    checkWeights(resume.weights, size, "resume.weights");
    weights.set(resume.weights);
    if (optimizer === "momentum") {
      checkWeights(state.velocity, size, "resume.state.velocity");
      first!.set(state.velocity);
    } else if (optimizer === "adam") {
      checkWeights(state.m, size, "resume.state.m");
      checkWeights(state.v, size, "resume.state.v", true);
      first!.set(state.m);
      second!.set(state.v);
    }
  } else if (options.initialWeights !== undefined) {
    checkWeights(options.initialWeights, size, "initialWeights");
    weights.set(options.initialWeights);
  }
  // Finite weights give a finite loss unless they are ~1e308 apart; a diverging run (a huge
  // learning rate) overflows them. Either way the next loss is not finite: stop and say which
  // parameter to change.
  const lossAt = (t: number, gradient: Float64Array | undefined): number => {
    const loss = lossAndGradientInto(weights, checked, 1, gradient);
    if (Number.isFinite(loss)) return loss;
    if (t === 0) {
      const name = resume !== undefined ? "resume.weights" : "initialWeights";
      throw new RangeError(
        `\`${name}\` must give a finite loss (weights about 1e308 apart make a counted ` +
          `bigram's probability 0), got loss ${loss}`,
      );
    }
    throw new RangeError(
      `\`learningRate\` must be small enough for training to converge: with ${learningRate} the ` +
        `weights overflowed and the loss became ${loss} at step ${t}; try a smaller one`,
    );
  };
  const losses = new Float64Array(steps + 1);
  const beta1 = 0.9;
  const beta2 = 0.999;
  for (let t = 0; t < steps; t++) {
    losses[t] = lossAt(t, gradient);
    if (optimizer === "gd") {
      for (let k = 0; k < length; k++) weights[k]! -= learningRate * gradient[k]!;
    } else if (optimizer === "momentum") {
      for (let k = 0; k < length; k++) {
        first![k] = beta1 * first![k]! + gradient[k]!;
        weights[k]! -= learningRate * first![k]!;
      }
    } else {
      const correction1 = 1 - beta1 ** (start + t + 1);
      const correction2 = 1 - beta2 ** (start + t + 1);
      const stepSize = learningRate / correction1;
      for (let k = 0; k < length; k++) {
        const g = gradient[k]!;
        const m = beta1 * first![k]! + (1 - beta1) * g;
        const v = beta2 * second![k]! + (1 - beta2) * g * g;
        first![k] = m;
        second![k] = v;
        weights[k]! -= stepSize * m / (Math.sqrt(v / correction2) + 1e-8);
      }
    }
  }
  losses[steps] = lossAt(steps, undefined);
  const step = start + steps;
  const state: BigramOptimizerState = optimizer === "gd"
    ? { optimizer, step }
    : optimizer === "momentum"
    ? { optimizer, step, velocity: first! }
    : { optimizer, step, m: first!, v: second! };
  return { weights, losses, state };
}
