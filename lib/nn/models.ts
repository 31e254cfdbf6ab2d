/**
 * The course's trained neural language models by name, in one line:
 * `const gpt = await loadModel("transformer");` then `gpt.next(["the", "boy"])`. Each is read
 * from its committed file in models/ (checked: format, SHA-256 of the weights, settings hash) and
 * comes with the numbers recorded when it was trained.
 *
 * @module
 */

import { formatValue } from "../_validate.ts";
import type { LanguageModel, LanguageModelEvaluation } from "../text/language_model.ts";
import type { Candidate } from "../text/tokens.ts";
import type { Vocabulary } from "../text/vocabulary.ts";
import type { Mlp } from "./mlp.ts";
import type { TrainingHistory } from "./mlp_trainer.ts";
import { DEFAULT_MLP_PATH, loadMlp, type MlpResults } from "./model_file.ts";
import type { TensorData } from "./tensor.ts";
import type { Transformer } from "./transformer.ts";
import {
  DEFAULT_TRANSFORMER_PATH,
  loadTransformer,
  type TransformerResults,
} from "./transformer_file.ts";

/** The names {@link loadModel} knows. */
export const MODEL_NAMES = Object.freeze(["mlp", "transformer"] as const);

/** A name of a trained model. */
export type ModelName = (typeof MODEL_NAMES)[number];

/** A trained model with the language-model interface and what was recorded with it. */
export interface TrainedModel<M extends Mlp | Transformer = Mlp | Transformer>
  extends LanguageModel {
  /** "mlp" or "transformer". */
  readonly name: ModelName;
  /** The model itself (its weights, `config`, `parameterCount`, …). */
  readonly model: M;
  /** The shared vocabulary; `vocabulary.words` are the tokens in id order. */
  readonly vocabulary: Vocabulary;
  /** Held-out mean NLL and perplexity recorded at training time (all 121,445 held-out tokens). */
  readonly heldOut: LanguageModelEvaluation;
  /**
   * The scores of the next token in vocabulary id order (no sorting: faster than `next` when only
   * some probabilities, or the logits themselves, are needed); softmax of them gives `next`.
   */
  nextLogits(context: readonly string[]): TensorData;
  /** The training loss of every step and the validation curve. */
  readonly history: TrainingHistory;
  /**
   * Everything recorded at training time: for the transformer also the held-out losses of the
   * count models on the same vocabulary and of its mixture with the trigram.
   */
  readonly results: M extends Transformer ? TransformerResults : MlpResults;
}

/**
 * Loads a trained model by name from models/.
 *
 * Formula: "mlp" → models/mlp.json + .bin (model_file.ts), "transformer" →
 * models/transformer.json + .bin (transformer_file.ts); both checked on load.
 *
 * @param name "mlp" or "transformer".
 * @returns A {@link TrainedModel}: `next(context)` (every token with its probability, sorted, sum
 * 1), `nextLogits(context)` (the scores in id order), `tokenProbabilities`, `evaluate(sentences)`
 * (`{ meanNll, perplexity, tokens }` in nats), `vocabulary`, and the recorded `heldOut` and
 * `history`.
 * @throws {RangeError} When `name` is not a known model.
 * @throws {Error} When the model's file is missing or damaged (the message says how to recreate
 * it).
 * Running cost: reads about 1 MB (transformer) or 4 MB (MLP); well under a second.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadModel } from "./models.ts";
 *
 * const gpt = await loadModel("transformer");
 * const next = gpt.next(["the", "united"]);
 * assert.equal(next[0]!.word, "states");
 * assert.equal(next.length, gpt.vocabulary.size);
 * // The same distribution before softmax and sorting: scores in vocabulary id order.
 * const logits = gpt.nextLogits(["the", "united"]);
 * const best = logits.indexOf(Math.max(...logits));
 * assert.equal(gpt.vocabulary.words[best], "states");
 * ```
 */
export function loadModel(name: "transformer"): Promise<TrainedModel<Transformer>>;
export function loadModel(name: "mlp"): Promise<TrainedModel<Mlp>>;
export function loadModel(name: ModelName): Promise<TrainedModel>;
export async function loadModel(name: ModelName): Promise<TrainedModel> {
  if (!MODEL_NAMES.includes(name)) {
    throw new RangeError(
      `\`name\` must be one of ${MODEL_NAMES.map((n) => `"${n}"`).join(", ")}, got ${
        formatValue(name)
      }`,
    );
  }
  const saved = name === "mlp"
    ? await loadMlp(DEFAULT_MLP_PATH)
    : await loadTransformer(DEFAULT_TRANSFORMER_PATH);
  const model: Mlp | Transformer = saved.model;
  return Object.freeze({
    name,
    model,
    vocabulary: model.vocabulary,
    heldOut: saved.results.heldOut,
    history: saved.history,
    results: saved.results,
    next: (context: readonly string[]): Candidate[] => model.next(context),
    nextLogits: (context: readonly string[]) => model.nextLogits(context),
    tokenProbabilities: (sentences: readonly (readonly string[])[]) =>
      model.tokenProbabilities(sentences),
    evaluate: (sentences: readonly (readonly string[])[]) => model.evaluate(sentences),
  });
}
