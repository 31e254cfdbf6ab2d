/**
 * The neural language model of Bengio, Ducharme, Vincent & Jauvin (2003), "A Neural Probabilistic
 * Language Model": each of the previous n tokens is looked up in a table of learned vectors
 * (embeddings), the n vectors are laid end to end, a tanh hidden layer mixes them, and a softmax
 * over the vocabulary gives P(next | previous n). Unlike a count model it can share what it learns
 * between similar words, because similar words end up with similar vectors.
 *
 * The model reads each sentence on its own: the context of the first word is n copies of `</s>`
 * ("a sentence starts here"), as the count models pad with `<s>`.
 *
 * Why one file of about 420 lines: the model, its forward pass and its language-model interface
 * read top to bottom in one place.
 *
 * @module
 */

import { formatValue } from "../_validate.ts";
import { logSumExp } from "../math/softmax.ts";
import {
  candidatesFromProbabilities,
  checkSentences,
  currentSentence,
  type LanguageModel,
  type LanguageModelEvaluation,
} from "../text/language_model.ts";
import type { Candidate } from "../text/tokens.ts";
import { EOS_ID, type Vocabulary } from "../text/vocabulary.ts";
import { tanh } from "./activations.ts";
import { softmaxCrossEntropy } from "./cross_entropy.ts";
import { embedding } from "./embedding.ts";
import { randomNormal } from "./init.ts";
import { linear } from "./matmul.ts";
import { reshape } from "./shape.ts";
import { type DType, type Tensor, type TensorData, zeros } from "./tensor.ts";

/** The sizes of an {@link Mlp}. */
export interface MlpConfig {
  /** n: how many previous tokens the model sees. */
  contextSize: number;
  /** E: the length of each token's vector. */
  embeddingSize: number;
  /** H: the number of tanh hidden units. */
  hiddenSize: number;
}

/** The committed model's sizes, from the measurements in the course's neural recipe. */
export const DEFAULT_MLP_CONFIG: Readonly<MlpConfig> = Object.freeze({
  contextSize: 3,
  embeddingSize: 64,
  hiddenSize: 128,
});

/** The parameter tensors of an {@link Mlp}, by name, in the order they are saved. */
export interface MlpParameters {
  /** C, (S, E): one vector per token. */
  embeddings: Tensor;
  /** W₁, (n·E, H). */
  hiddenWeights: Tensor;
  /** b₁, (H). */
  hiddenBias: Tensor;
  /** W₂, (H, S). */
  outputWeights: Tensor;
  /** b₂, (S). */
  outputBias: Tensor;
}

/** The names of {@link MlpParameters}, in save order. */
export const MLP_PARAMETER_NAMES = [
  "embeddings",
  "hiddenWeights",
  "hiddenBias",
  "outputWeights",
  "outputBias",
] as const;

/** Training examples for an {@link Mlp}: a context of n token ids and the id that came next. */
export interface MlpExamples {
  /** n, the context length. */
  contextSize: number;
  /** (N, n) row-major: the n previous ids of each example, `</s>` (0) before a sentence start. */
  contexts: Int32Array;
  /** (N): the id to predict. */
  targets: Int32Array;
}

function checkConfig(config: MlpConfig): void {
  for (const name of ["contextSize", "embeddingSize", "hiddenSize"] as const) {
    const value = config?.[name];
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(`\`${name}\` must be an integer >= 1, got ${formatValue(value)}`);
    }
  }
}

/**
 * The expected shape of each parameter.
 *
 * @param config The sizes.
 * @param tokens S, the vocabulary size.
 * @returns `{ embeddings: [S, E], hiddenWeights: [n·E, H], … }`.
 */
export function mlpParameterShapes(
  config: MlpConfig,
  tokens: number,
): Record<keyof MlpParameters, number[]> {
  const { contextSize: n, embeddingSize: e, hiddenSize: h } = config;
  return {
    embeddings: [tokens, e],
    hiddenWeights: [n * e, h],
    hiddenBias: [h],
    outputWeights: [h, tokens],
    outputBias: [tokens],
  };
}

/**
 * Every (context, next token) pair of some sentences, as ids.
 *
 * Formula: for sentence w₁ … w_L (ids; unknown words `<unk>`) and position i = 1 … L + 1, the
 * context is (w_{i−n}, …, w_{i−1}) with `</s>` for positions before 1, and the target is w_i, with
 * w_{L+1} = `</s>`. L + 1 examples per sentence.
 *
 * @param sentences The text (not modified).
 * @param vocabulary The token ids.
 * @param contextSize n >= 1.
 * @returns `{ contextSize, contexts, targets }`.
 * @throws {RangeError} When `contextSize` is not an integer >= 1, or a sentence contains `</s>`.
 * Running cost: O(n·T) for T predicted tokens.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildVocabulary } from "../text/vocabulary.ts";
 * import { mlpExamples } from "./mlp.ts";
 *
 * const vocabulary = buildVocabulary([["a", "b"]]); // </s> 0, <unk> 1, a 2, b 3
 * const { contexts, targets } = mlpExamples([["a", "b"]], vocabulary, 2);
 * assert.deepEqual([...contexts], [0, 0, 0, 2, 2, 3]); // (</s> </s>), (</s> a), (a b)
 * assert.deepEqual([...targets], [2, 3, 0]); // a, b, </s>
 * ```
 */
export function mlpExamples(
  sentences: readonly (readonly string[])[],
  vocabulary: Vocabulary,
  contextSize: number,
): MlpExamples {
  if (!Number.isInteger(contextSize) || contextSize < 1) {
    throw new RangeError(
      `\`contextSize\` must be an integer >= 1, got ${formatValue(contextSize)}`,
    );
  }
  const encoded = sentences.map((sentence) => vocabulary.encode(sentence));
  const count = encoded.reduce((sum, ids) => sum + ids.length + 1, 0);
  const contexts = new Int32Array(count * contextSize).fill(EOS_ID);
  const targets = new Int32Array(count);
  let row = 0;
  for (const ids of encoded) {
    for (let i = 0; i <= ids.length; i++, row++) {
      for (let j = 0; j < contextSize; j++) {
        const position = i - contextSize + j;
        if (position >= 0) contexts[row * contextSize + j] = ids[position]!;
      }
      targets[row] = i < ids.length ? ids[i]! : EOS_ID;
    }
  }
  return { contextSize, contexts, targets };
}

/**
 * The MLP language model: embeddings of the previous n tokens, concatenated, a tanh hidden layer,
 * a softmax over the vocabulary. It owns its parameter tensors.
 *
 * Create one with {@link createMlp} (random start) or load trained weights with `loadMlp` from
 * model_file.ts.
 */
export class Mlp implements LanguageModel {
  /** The tokens it reads and predicts. */
  readonly vocabulary: Vocabulary;
  /** n, E, H. */
  readonly config: Readonly<MlpConfig>;
  /** C, (S, E): row t is the vector of token t (nearest neighbours and PCA read it). */
  readonly embeddings: Tensor;
  /** W₁, (n·E, H). */
  readonly hiddenWeights: Tensor;
  /** b₁, (H). */
  readonly hiddenBias: Tensor;
  /** W₂, (H, S). */
  readonly outputWeights: Tensor;
  /** b₂, (S). */
  readonly outputBias: Tensor;

  /**
   * @param vocabulary The tokens.
   * @param config The sizes.
   * @param parameters The tensors, of the shapes {@link mlpParameterShapes} gives and one dtype.
   * @throws {RangeError} When a size is invalid or a tensor has the wrong shape.
   */
  constructor(vocabulary: Vocabulary, config: MlpConfig, parameters: MlpParameters) {
    checkConfig(config);
    const shapes = mlpParameterShapes(config, vocabulary.size);
    for (const name of MLP_PARAMETER_NAMES) {
      const t = parameters[name];
      const expected = shapes[name];
      if (t?.shape.length !== expected.length || t.shape.some((n, i) => n !== expected[i])) {
        throw new RangeError(
          `\`${name}\` must have shape ${formatValue(expected)}, got ${formatValue(t?.shape)}`,
        );
      }
    }
    this.vocabulary = vocabulary;
    this.config = Object.freeze({
      contextSize: config.contextSize,
      embeddingSize: config.embeddingSize,
      hiddenSize: config.hiddenSize,
    });
    this.embeddings = parameters.embeddings;
    this.hiddenWeights = parameters.hiddenWeights;
    this.hiddenBias = parameters.hiddenBias;
    this.outputWeights = parameters.outputWeights;
    this.outputBias = parameters.outputBias;
  }

  /** The parameters in save order: embeddings, W₁, b₁, W₂, b₂. */
  get parameters(): Tensor[] {
    return MLP_PARAMETER_NAMES.map((name) => this[name]);
  }

  /** The number of trained numbers. */
  get parameterCount(): number {
    return this.parameters.reduce((sum, t) => sum + t.size, 0);
  }

  /**
   * Logits for a batch of contexts.
   *
   * Formula: x = [C[c₁] | … | C[cₙ]] (B, n·E); h = tanh(x W₁ + b₁) (B, H);
   * logits = h W₂ + b₂ (B, S); P(next | context) = softmax(logits).
   *
   * @param contexts (B, n) token ids, row-major.
   * @returns The logits, (B, S), part of a graph back to the parameters.
   * @throws {RangeError} When `contexts.length` is not a multiple of n or an id is out of range.
   */
  forward(contexts: ArrayLike<number>): Tensor {
    const { contextSize: n, embeddingSize: e } = this.config;
    if (contexts.length % n !== 0) {
      throw new RangeError(
        `\`contexts\` must hold whole rows of n = ${n} ids, got ${contexts.length} ids`,
      );
    }
    const batch = contexts.length / n;
    const vectors = embedding(this.embeddings, contexts, [batch, n]); // (B, n, E)
    const x = reshape(vectors, [batch, n * e]); // (B, n·E): the n vectors end to end
    const h = tanh(linear(x, this.hiddenWeights, this.hiddenBias)); // (B, H)
    return linear(h, this.outputWeights, this.outputBias); // (B, S)
  }

  /**
   * The mean cross-entropy of a batch: the training loss.
   *
   * @param contexts (B, n) ids.
   * @param targets (B) ids of the tokens that came next.
   * @returns A scalar tensor; call `backward()` on it for the gradients.
   */
  loss(contexts: ArrayLike<number>, targets: ArrayLike<number>): Tensor {
    return softmaxCrossEntropy(this.forward(contexts), targets);
  }

  /**
   * The ids of the context the model reads for the next token of the current sentence.
   *
   * @param context Preceding words (only those after the last `</s>` are read).
   * @returns n ids, `</s>` before the sentence start.
   */
  contextIds(context: readonly string[]): Int32Array {
    const words = currentSentence(context);
    const n = this.config.contextSize;
    const ids = new Int32Array(n).fill(EOS_ID);
    for (let j = 0; j < Math.min(n, words.length); j++) {
      ids[n - 1 - j] = this.vocabulary.id(words[words.length - 1 - j]!);
    }
    return ids;
  }

  /**
   * The scores of the next token, in vocabulary id order: what {@link next} puts through softmax.
   *
   * @param context Preceding words, as for {@link next}.
   * @returns `vocabulary.size` logits; `softmax(nextLogits(context))[id]` is P(word with that id).
   * @throws {TypeError} When `context` is not an array of words.
   */
  nextLogits(context: readonly string[]): TensorData {
    return this.forward(this.contextIds(context)).data;
  }

  /**
   * P(next | the last n tokens of the current sentence) over the whole vocabulary.
   *
   * @param context Preceding words; only the last n after the last `</s>` are used, padded with
   * `</s>`. Unknown words are read as `<unk>`.
   * @returns Every token with its probability, sorted by probability (descending, then word).
   */
  next(context: readonly string[]): Candidate[] {
    const logits = this.nextLogits(context);
    const lse = logSumExp(logits);
    const probabilities = Float64Array.from(logits, (x) => Math.exp(x - lse));
    return candidatesFromProbabilities(this.vocabulary, probabilities);
  }

  /**
   * ln P(target | context) of each example, computed in batches.
   *
   * Formula: x_{target} − logSumExp(x) for the logits x of each context (lib/math/softmax.ts).
   *
   * @param examples Contexts and targets, e.g. from {@link mlpExamples}.
   * @param batchSize Rows per forward pass (default 1024).
   * @returns One natural-log probability per example.
   */
  logProbabilities(examples: MlpExamples, batchSize = 1024): Float64Array {
    const n = this.config.contextSize;
    if (examples.contextSize !== n) {
      throw new RangeError(
        `\`examples\` must have contextSize ${n} like the model, got ${examples.contextSize}`,
      );
    }
    const count = examples.targets.length;
    const out = new Float64Array(count);
    const size = this.vocabulary.size;
    for (let start = 0; start < count; start += batchSize) {
      const end = Math.min(count, start + batchSize);
      const logits = this.forward(examples.contexts.subarray(start * n, end * n)).data;
      for (let r = 0; r < end - start; r++) {
        const row = logits.subarray(r * size, (r + 1) * size);
        out[start + r] = row[examples.targets[start + r]!]! - logSumExp(row);
      }
    }
    return out;
  }

  /**
   * The mean cross-entropy over examples (e.g. a validation set), in nats.
   *
   * @param examples Contexts and targets.
   * @returns −mean ln P(target | context).
   */
  meanLoss(examples: MlpExamples): number {
    const logProbabilities = this.logProbabilities(examples);
    let sum = 0;
    for (let i = 0; i < logProbabilities.length; i++) sum -= logProbabilities[i]!;
    return sum / logProbabilities.length;
  }

  /**
   * P(token | its context) for every word and `</s>` of the sentences.
   *
   * @param sentences The text.
   * @returns One probability per predicted token.
   */
  tokenProbabilities(sentences: readonly (readonly string[])[]): Float64Array {
    const logProbabilities = this.logProbabilities(
      mlpExamples(sentences, this.vocabulary, this.config.contextSize),
    );
    return logProbabilities.map(Math.exp);
  }

  /**
   * Held-out loss: mean negative log-likelihood and perplexity.
   *
   * @param sentences The text.
   * @returns `{ meanNll, perplexity, tokens }`.
   * @throws {RangeError} When there are no sentences.
   */
  evaluate(sentences: readonly (readonly string[])[]): LanguageModelEvaluation {
    checkSentences(sentences);
    const examples = mlpExamples(sentences, this.vocabulary, this.config.contextSize);
    const meanNll = this.meanLoss(examples);
    return { meanNll, perplexity: Math.exp(meanNll), tokens: examples.targets.length };
  }
}

/** Options of {@link createMlp}. */
export interface CreateMlpOptions {
  /** "float32" (default) or "float64" (for gradient checks). */
  dtype?: DType;
}

/**
 * A new MLP with random weights.
 *
 * Formula: C ~ N(0, 1); W₁ ~ N(0, 1/(n·E)) so that each hidden pre-activation starts with
 * variance about 1 (tanh neither flat nor saturated); b₁ = 0; W₂ ~ N(0, 0.01²) and b₂ = 0, so the
 * first predictions are nearly uniform (loss ≈ ln S) rather than confidently wrong. Draws C, then
 * W₁, then W₂ from `random`.
 *
 * @param vocabulary The tokens (S = vocabulary.size).
 * @param config n, E, H (e.g. {@link DEFAULT_MLP_CONFIG}).
 * @param random Uniforms in [0, 1), e.g. `seededRandom(seed)`.
 * @param options `dtype`.
 * @returns The model.
 * @throws {RangeError} When a size is not an integer >= 1.
 * Running cost: O(parameters).
 * @example A tiny model predicts a distribution over its vocabulary
 * ```ts
 * import assert from "node:assert/strict";
 * import { seededRandom } from "../math/random.ts";
 * import { buildVocabulary } from "../text/vocabulary.ts";
 * import { createMlp } from "./mlp.ts";
 *
 * const vocabulary = buildVocabulary([["the", "cat", "sat"]]);
 * const config = { contextSize: 2, embeddingSize: 4, hiddenSize: 8 };
 * const model = createMlp(vocabulary, config, seededRandom(1));
 * const next = model.next(["the"]);
 * assert.equal(next.length, 5); // </s> <unk> the cat sat
 * assert.ok(Math.abs(next.reduce((s, c) => s + c.probability, 0) - 1) < 1e-6);
 * ```
 */
export function createMlp(
  vocabulary: Vocabulary,
  config: MlpConfig,
  random: () => number,
  options: CreateMlpOptions = {},
): Mlp {
  checkConfig(config);
  const dtype = options.dtype ?? "float32";
  const shapes = mlpParameterShapes(config, vocabulary.size);
  const fanIn = config.contextSize * config.embeddingSize;
  const parameter = { dtype, requiresGrad: true };
  return new Mlp(vocabulary, config, {
    embeddings: randomNormal(shapes.embeddings, random, { ...parameter, std: 1 }),
    hiddenWeights: randomNormal(shapes.hiddenWeights, random, {
      ...parameter,
      std: 1 / Math.sqrt(fanIn),
    }),
    hiddenBias: zeros(shapes.hiddenBias, parameter),
    outputWeights: randomNormal(shapes.outputWeights, random, { ...parameter, std: 0.01 }),
    outputBias: zeros(shapes.outputBias, parameter),
  });
}
