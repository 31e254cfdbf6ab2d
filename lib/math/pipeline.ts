/**
 * The decoding pipeline: the one fixed order in which the course's rules turn a model's logits
 * into the distribution the next token is drawn from. Every generator in the course goes through
 * it (generate.ts's `decodingDistribution` delegates here).
 *
 * The order is {@linkcode DECODING_ORDER}: the penalties (repetition penalty, then
 * no-repeat-n-gram), then temperature, then the cut-offs top-k, top-p and min-p; the order
 * Hugging Face's `generate` uses too. Why this order:
 *
 * - The penalties come first because they are rules about the text, defined on logits: once they
 *   have moved or banned a token, every later rule sees the corrected scores, and a cut-off can
 *   never bring a banned token back.
 * - Temperature comes before the cut-offs so that they measure the distribution that is really
 *   sampled: top-p at T = 2 keeps more words than top-p at T = 0.5.
 * - Top-k, then top-p, then min-p. Top-k and min-p commute (both keep a set defined by ranks or
 *   ratios, which renormalising does not change), but top-p does not commute with either.
 *
 * Rules that do not commute give a different distribution in another order: the notebook
 * 10-decoding shows top-p before and after temperature.
 *
 * @module
 */

import {
  checkLogits,
  checkObject,
  checkProbability,
  checkTemperature,
  checkTopK,
  checkTopP,
} from "../_validate.ts";
import { argmax, minP, topK, topP } from "./decoding.ts";
import {
  checkNGramSize,
  checkPreviousIds,
  checkRepetitionPenalty,
  noRepeatNGram,
  repetitionPenalty,
} from "./penalties.ts";
import { softmax } from "./softmax.ts";

/** The rules of the pipeline, in the order they are applied. */
export const DECODING_ORDER: readonly DecodingRule[] = Object.freeze([
  "repetitionPenalty",
  "noRepeatNGram",
  "temperature",
  "topK",
  "topP",
  "minP",
]);

/** The name of one rule of the pipeline (an option of {@linkcode DecodingPipelineOptions}). */
export type DecodingRule =
  | "repetitionPenalty"
  | "noRepeatNGram"
  | "temperature"
  | "topK"
  | "topP"
  | "minP";

/** The rules' settings; a rule left `undefined` is skipped. */
export interface DecodingPipelineOptions {
  /**
   * Ids of the tokens generated so far, in the logits' index space (integers >= 0; ids >= the
   * number of logits take part in n-gram matching only). Default none.
   */
  previousIds?: ArrayLike<number>;
  /** θ > 0 of {@linkcode repetitionPenalty} (1 = off; CTRL used 1.2). */
  repetitionPenalty?: number;
  /** n >= 1 of {@linkcode noRepeatNGram}: ban tokens that would repeat an n-gram. */
  noRepeatNGram?: number;
  /** T >= 0 (default 1): softmax(x / T); T = 0 is greedy, all mass on the first largest logit. */
  temperature?: number;
  /** Keep the k most probable tokens (an integer >= 1). */
  topK?: number;
  /** Keep the smallest set of most probable tokens reaching mass p, 0 < p <= 1. */
  topP?: number;
  /** Keep the tokens at least `minP` times as probable as the most probable, in [0, 1]. */
  minP?: number;
}

/** The distribution after one rule of the pipeline. */
export interface DecodingStage {
  /** `"model"` for softmax of the raw logits, otherwise the rule just applied. */
  rule: "model" | DecodingRule;
  /** A short label with the setting, e.g. `"top-p 0.9"`. */
  label: string;
  /** The distribution after this rule (a new `Float64Array` summing to 1). */
  probabilities: Float64Array;
}

/** Checks every setting up front, so an invalid one fails whatever the others are. */
function checkPipeline(logits: ArrayLike<number>, options: DecodingPipelineOptions): void {
  checkObject(options, "options");
  checkLogits(logits);
  const o = options;
  if (o.previousIds !== undefined) checkPreviousIds(o.previousIds);
  if (o.repetitionPenalty !== undefined) {
    checkRepetitionPenalty(o.repetitionPenalty, "repetitionPenalty");
  }
  if (o.noRepeatNGram !== undefined) checkNGramSize(o.noRepeatNGram, "noRepeatNGram");
  if (o.temperature !== undefined) checkTemperature(o.temperature);
  if (o.topK !== undefined) checkTopK(o.topK, "topK");
  if (o.topP !== undefined) checkTopP(o.topP, "topP");
  if (o.minP !== undefined) checkProbability(o.minP, "minP");
}

/**
 * Every intermediate distribution of the pipeline: softmax of the model's logits, then one stage
 * per rule that is set, in {@linkcode DECODING_ORDER}.
 *
 * Formula: x ← repetitionPenalty(x, h, θ); x ← noRepeatNGram(x, h, n); q ← softmax(x / T) (for
 * T = 0 one-hot on argmax x); q ← topK(q, k); q ← topP(q, p); q ← minP(q, pBase). The stages of
 * the two penalties show softmax of the penalised logits at T = 1. Runs in O(V log V + h·n) for V
 * logits and a history of h ids.
 *
 * @param logits The model's scores for the next token (`-Infinity` masks a token; for a model that
 * gives probabilities, ln p).
 * @param options The rules' settings and `previousIds`; see {@linkcode DecodingPipelineOptions}.
 * @returns The stages, first `"model"`; the last one is {@linkcode decodingPipeline}'s result.
 * @throws {TypeError} When an argument has the wrong type.
 * @throws {RangeError} Invalid logits or settings (each named in the message), or when
 * `noRepeatNGram` bans every token that is not masked.
 * @example The article's five words at T = 2, then top-k 3
 * ```ts
 * import { decodingStages } from "./pipeline.ts";
 * import assert from "node:assert/strict";
 * const logits = [0.1, 0.05, 0.4, 0.15, 0.3].map(Math.log);
 * const stages = decodingStages(logits, { temperature: 2, topK: 3 });
 * assert.deepEqual(stages.map((s) => s.label), ["model", "temperature 2", "top-k 3"]);
 * // T = 2 takes square roots: √0.4 / Σ √p for Playground.
 * const roots = [0.1, 0.05, 0.4, 0.15, 0.3].map(Math.sqrt);
 * const total = roots.reduce((a, b) => a + b, 0);
 * assert.ok(Math.abs(stages[1]!.probabilities[2]! - roots[2]! / total) < 1e-12);
 * assert.equal(stages[2]!.probabilities[1], 0); // Hospital cut by top-k
 * ```
 */
export function decodingStages(
  logits: ArrayLike<number>,
  options: DecodingPipelineOptions = {},
): DecodingStage[] {
  checkPipeline(logits, options);
  const history = options.previousIds ?? [];
  const stages: DecodingStage[] = [{
    rule: "model",
    label: "model",
    probabilities: softmax(logits),
  }];
  let x: Float64Array = Float64Array.from(logits);
  if (options.repetitionPenalty !== undefined) {
    x = repetitionPenalty(x, history, options.repetitionPenalty);
    stages.push({
      rule: "repetitionPenalty",
      label: `repetition penalty ${options.repetitionPenalty}`,
      probabilities: softmax(x),
    });
  }
  if (options.noRepeatNGram !== undefined) {
    const n = options.noRepeatNGram;
    x = noRepeatNGram(x, history, n);
    if (x.every((v) => v === -Infinity)) {
      throw new RangeError(
        `\`noRepeatNGram\` = ${n} bans every token: each would repeat an ${n}-gram of ` +
          "`previousIds`; use a larger n or a model that offers more tokens",
      );
    }
    stages.push({ rule: "noRepeatNGram", label: `no-repeat ${n}-gram`, probabilities: softmax(x) });
  }
  let q = stages.at(-1)!.probabilities;
  if (options.temperature !== undefined) {
    const T = options.temperature;
    if (T === 0) {
      q = new Float64Array(x.length);
      q[argmax(x)] = 1;
    } else {
      q = softmax(x, T);
    }
    stages.push({ rule: "temperature", label: `temperature ${T}`, probabilities: q });
  }
  if (options.topK !== undefined) {
    q = topK(q, options.topK);
    stages.push({ rule: "topK", label: `top-k ${options.topK}`, probabilities: q });
  }
  if (options.topP !== undefined) {
    q = topP(q, options.topP);
    stages.push({ rule: "topP", label: `top-p ${options.topP}`, probabilities: q });
  }
  if (options.minP !== undefined) {
    q = minP(q, options.minP);
    stages.push({ rule: "minP", label: `min-p ${options.minP}`, probabilities: q });
  }
  return stages;
}

/**
 * The distribution the next token is drawn from: the model's logits through every rule that is
 * set, in the pipeline's fixed order (penalties, temperature, top-k, top-p, min-p; see
 * {@linkcode DECODING_ORDER} and the module doc for why).
 *
 * Formula: the last stage of {@linkcode decodingStages}: q = minP(topP(topK(softmax(
 * noRepeatNGram(repetitionPenalty(x, h, θ), h, n) / T), k), p), pBase), each rule skipped when
 * unset; T = 0 puts all mass on the first largest logit (greedy). Runs in O(V log V + h·n).
 *
 * @param logits The model's scores for the next token (ln p for a model that gives
 * probabilities; `-Infinity` masks a token).
 * @param options The rules' settings and `previousIds`.
 * @returns A new `Float64Array` summing to 1, zero for every token that cannot be drawn.
 * @throws {TypeError} When an argument has the wrong type.
 * @throws {RangeError} Invalid logits or settings, or a `noRepeatNGram` that bans every token.
 * @example Penalise the word just said, then sample greedily
 * ```ts
 * import { decodingPipeline } from "./pipeline.ts";
 * import assert from "node:assert/strict";
 * const logits = [0.1, 0.05, 0.4, 0.15, 0.3].map(Math.log);
 * // Playground (2) was already said: θ = 2 doubles its logit ln 0.4 ≈ −0.92 to ≈ −1.83, below
 * // School's ln 0.3 ≈ −1.20, so greedy now says School.
 * const q = decodingPipeline(logits, { previousIds: [2], repetitionPenalty: 2, temperature: 0 });
 * assert.deepEqual([...q], [0, 0, 0, 0, 1]);
 * ```
 */
export function decodingPipeline(
  logits: ArrayLike<number>,
  options: DecodingPipelineOptions = {},
): Float64Array {
  return decodingStages(logits, options).at(-1)!.probabilities;
}
