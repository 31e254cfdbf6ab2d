/**
 * A small GPT: a word-level transformer language model (Radford et al., 2018/2019, after Vaswani
 * et al., 2017). Each token of a window of up to T tokens gets a vector (its token embedding
 * plus an embedding of its position); L blocks each let every position read the earlier ones
 * (causal self-attention, attention.ts) and then think on its own (an MLP), each step added onto a
 * running "residual stream"; a final layer norm and a product with the token embeddings again
 * (weight tying) give one score per vocabulary token at every position: P(next | everything so
 * far in the window).
 *
 *     x = E[tokens] + P[0 … t−1]                               (B, T, C)
 *     for each block:  x = x + attention(layerNorm(x))         causal: position i reads 0 … i
 *                      x = x + W₂ gelu(W₁ layerNorm(x) + b₁) + b₂
 *     logits = layerNorm(x) Eᵀ                                  (B, T, S)
 *
 * Unlike the count models and the MLP, it reads across sentence boundaries: text is one stream
 * of tokens with `</s>` between sentences, and the model sees the last T tokens of it.
 *
 * Why one file of about 640 lines: the GPT reads top to bottom in one place (embeddings, blocks,
 * output layer, loss, the language-model interface), as nanoGPT's model.py does; about half of it
 * is doc comments.
 *
 * @module
 */

import { formatValue } from "../_validate.ts";
import { expMinusMaxInto } from "../math/fast_exp.ts";
import { logSumExp } from "../math/softmax.ts";
import {
  candidatesFromProbabilities,
  checkSentences,
  type LanguageModel,
  type LanguageModelEvaluation,
} from "../text/language_model.ts";
import { type Candidate, EOS } from "../text/tokens.ts";
import type { Vocabulary } from "../text/vocabulary.ts";
import { gelu } from "./activations.ts";
import {
  ATTENTION_PARAMETER_NAMES,
  type AttentionParameters,
  causalSelfAttention,
} from "./attention.ts";
import { add } from "./broadcast.ts";
import { embedding } from "./embedding.ts";
import { randomNormal } from "./init.ts";
import { layerNorm } from "./layer_norm.ts";
import { linear } from "./matmul.ts";
import { matmulTransposed } from "./matmul_transposed.ts";
import { reshape } from "./shape.ts";
import { tiedOutputCrossEntropy } from "./tied_output.ts";
import { allocate, type DType, Tensor, tensor, type TensorData } from "./tensor.ts";

/** The sizes of a {@link Transformer}. */
export interface TransformerConfig {
  /** T: the longest window of tokens the model reads (it has T position embeddings). */
  contextSize: number;
  /** C: the width of every token's vector (the residual stream). */
  embeddingSize: number;
  /** L: the number of blocks. */
  layers: number;
  /** H: attention heads per block; must divide C. */
  heads: number;
  /** The width of each block's MLP (GPT uses 4·C). */
  hiddenSize: number;
}

/** The names of one block's parameters, in save order (prefixed `blocks.<l>.` in a file). */
export const BLOCK_PARAMETER_NAMES = [
  "attentionNormGain",
  "attentionNormBias",
  ...ATTENTION_PARAMETER_NAMES,
  "mlpNormGain",
  "mlpNormBias",
  "mlpHiddenWeights",
  "mlpHiddenBias",
  "mlpOutputWeights",
  "mlpOutputBias",
] as const;

/** The name of one block parameter. */
export type BlockParameterName = (typeof BLOCK_PARAMETER_NAMES)[number];

/** One block's parameters: attention's (attention.ts) plus two layer norms and the MLP. */
export type BlockParameters = Record<BlockParameterName, Tensor> & AttentionParameters;

/** All parameters of a {@link Transformer}. */
export interface TransformerParameters {
  /** E, (S, C): one vector per token; also the output layer (weight tying). */
  tokenEmbeddings: Tensor;
  /** P, (T, C): one vector per position in the window. */
  positionEmbeddings: Tensor;
  /** The L blocks. */
  blocks: BlockParameters[];
  /** γ of the final layer norm, (C). */
  finalNormGain: Tensor;
  /** β of the final layer norm, (C). */
  finalNormBias: Tensor;
}

function checkConfig(config: TransformerConfig): void {
  for (const name of ["contextSize", "embeddingSize", "layers", "heads", "hiddenSize"] as const) {
    const value = config?.[name];
    if (!Number.isInteger(value) || value < 1) {
      throw new RangeError(`\`${name}\` must be an integer >= 1, got ${formatValue(value)}`);
    }
  }
  if (config.embeddingSize % config.heads !== 0) {
    throw new RangeError(
      `\`heads\` must divide \`embeddingSize\` (${config.embeddingSize}), got ${config.heads}`,
    );
  }
}

/**
 * Every parameter's name and expected shape, in save order: `tokenEmbeddings`,
 * `positionEmbeddings`, `blocks.0.attentionNormGain` … `blocks.<L−1>.mlpOutputBias`,
 * `finalNormGain`, `finalNormBias`.
 *
 * @param config The sizes.
 * @param tokens S, the vocabulary size.
 * @returns `[name, shape]` pairs.
 * @throws {RangeError} When a size is invalid.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { transformerParameterShapes } from "./transformer.ts";
 *
 * const shapes = transformerParameterShapes(
 *   { contextSize: 8, embeddingSize: 4, layers: 1, heads: 2, hiddenSize: 16 },
 *   10,
 * );
 * assert.deepEqual(shapes[0], ["tokenEmbeddings", [10, 4]]);
 * assert.deepEqual(shapes.at(-1), ["finalNormBias", [4]]);
 * ```
 */
export function transformerParameterShapes(
  config: TransformerConfig,
  tokens: number,
): [string, number[]][] {
  checkConfig(config);
  const { contextSize: t, embeddingSize: c, hiddenSize: h } = config;
  const block: Record<BlockParameterName, number[]> = {
    attentionNormGain: [c],
    attentionNormBias: [c],
    queryWeights: [c, c],
    queryBias: [c],
    keyWeights: [c, c],
    keyBias: [c],
    valueWeights: [c, c],
    valueBias: [c],
    outputWeights: [c, c],
    outputBias: [c],
    mlpNormGain: [c],
    mlpNormBias: [c],
    mlpHiddenWeights: [c, h],
    mlpHiddenBias: [h],
    mlpOutputWeights: [h, c],
    mlpOutputBias: [c],
  };
  return [
    ["tokenEmbeddings", [tokens, c]],
    ["positionEmbeddings", [t, c]],
    ...Array.from(
      { length: config.layers },
      (_, l) =>
        BLOCK_PARAMETER_NAMES.map((
          name,
        ): [string, number[]] => [`blocks.${l}.${name}`, block[name]]),
    ).flat(),
    ["finalNormGain", [c]],
    ["finalNormBias", [c]],
  ];
}

/** What {@link Transformer.hidden} computes. */
export interface TransformerHidden {
  /** The final layer norm's output, (B, T, C): what the output layer reads. */
  hidden: Tensor;
  /** Each block's attention weights, (B, H, T, T), block 0 first. */
  attention: Tensor[];
}

/** The scored part of one window of a sliding-window evaluation. */
export interface ScoringWindow {
  /** Index into the stream of the window's first input token. */
  start: number;
  /** Tokens in the window (input length), <= T. */
  length: number;
  /** The first scored position within the window (earlier positions only give context). */
  from: number;
}

/**
 * The windows a long token stream is scored with: the first window scores all its positions,
 * every later one moves on by `stride` tokens and scores only its last `stride` positions, so every
 * scored token after the first window sees at least T − stride earlier tokens.
 *
 * Formula: for predicted tokens 1 … N of a stream s₀ … s_N (s_i predicted from s₀ … s_{i−1}),
 * window k covers targets (e_{k−1}, e_k] with e₀ = 0, e₁ = min(N, T), e_k = min(N, e_{k−1} + stride);
 * its inputs are s_{start} … s_{e_k − 1} with start = max(0, e_k − T).
 *
 * @param tokens N + 1, the stream's length (>= 2).
 * @param contextSize T >= 1.
 * @param stride How far each window moves, in [1, T].
 * @returns The windows in order; each target is scored exactly once.
 * @throws {RangeError} When a size is out of range.
 * Running cost: O(N / stride).
 * @example A stream of 10 tokens (9 predictions), T = 4, stride 2
 * ```ts
 * import assert from "node:assert/strict";
 * import { scoringWindows } from "./transformer.ts";
 *
 * assert.deepEqual(scoringWindows(10, 4, 2), [
 *   { start: 0, length: 4, from: 0 }, // predicts s1 … s4
 *   { start: 2, length: 4, from: 2 }, // predicts s5, s6 from s2 … s5
 *   { start: 4, length: 4, from: 2 }, // s7, s8
 *   { start: 5, length: 4, from: 3 }, // s9
 * ]);
 * ```
 */
export function scoringWindows(
  tokens: number,
  contextSize: number,
  stride: number,
): ScoringWindow[] {
  if (!Number.isInteger(tokens) || tokens < 2) {
    throw new RangeError(`\`tokens\` must be an integer >= 2, got ${formatValue(tokens)}`);
  }
  if (!Number.isInteger(contextSize) || contextSize < 1) {
    throw new RangeError(
      `\`contextSize\` must be an integer >= 1, got ${formatValue(contextSize)}`,
    );
  }
  if (!Number.isInteger(stride) || stride < 1 || stride > contextSize) {
    throw new RangeError(
      `\`stride\` must be an integer in [1, ${contextSize}], got ${formatValue(stride)}`,
    );
  }
  const n = tokens - 1;
  const windows: ScoringWindow[] = [];
  let scored = 0;
  while (scored < n) {
    const end = Math.min(n, scored === 0 ? contextSize : scored + stride);
    const start = Math.max(0, end - contextSize);
    windows.push({ start, length: end - start, from: scored - start });
    scored = end;
  }
  return windows;
}

/**
 * Sentences as one stream of token ids: `</s>` first (a sentence starts), then each sentence's
 * words followed by `</s>`.
 *
 * Formula: s = [`</s>`, w₁₁ … w₁ₗ, `</s>`, w₂₁ …, `</s>`]; predicting s₁ … s_N scores every word
 * and every sentence end once: N = Σ (sentence length + 1).
 *
 * @param sentences The text (not modified); unknown words become `<unk>`.
 * @param vocabulary The token ids.
 * @returns A new Int32Array of N + 1 ids.
 * @throws {RangeError} When a sentence contains `</s>` or `<s>`.
 * Running cost: O(N).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildVocabulary } from "../text/vocabulary.ts";
 * import { tokenStream } from "./transformer.ts";
 *
 * const vocabulary = buildVocabulary([["a", "b"]]); // </s> 0, <unk> 1, a 2, b 3
 * assert.deepEqual([...tokenStream([["a", "b"], ["b", "z"]], vocabulary)], [0, 2, 3, 0, 3, 1, 0]);
 * ```
 */
export function tokenStream(
  sentences: readonly (readonly string[])[],
  vocabulary: Vocabulary,
): Int32Array {
  const encoded = sentences.map((sentence) => vocabulary.encode(sentence));
  const out = new Int32Array(1 + encoded.reduce((sum, ids) => sum + ids.length + 1, 0));
  let at = 1; // out[0] = </s>
  for (const ids of encoded) {
    out.set(ids, at);
    at += ids.length + 1; // the </s> after it is already 0
  }
  return out;
}

/** Rows of `logits` per forward pass when scoring held-out text (bounds the memory used). */
const SCORING_BATCH = 64;

/**
 * The transformer language model. It owns its parameter tensors.
 *
 * Create one with {@link createTransformer} (random start) or load the trained one with
 * `loadTransformer` (transformer_file.ts) or `loadModel("transformer")` (models.ts).
 */
export class Transformer implements LanguageModel {
  /** The tokens it reads and predicts. */
  readonly vocabulary: Vocabulary;
  /** T, C, L, H and the MLP width. */
  readonly config: Readonly<TransformerConfig>;
  /** The parameters by name (see {@link transformerParameterShapes}). */
  readonly weights: Readonly<TransformerParameters>;
  /** Every parameter tensor, in save order. */
  readonly parameters: readonly Tensor[];
  /** The names of {@link parameters}, same order. */
  readonly parameterNames: readonly string[];

  /**
   * @param vocabulary The tokens.
   * @param config The sizes.
   * @param parameters Tensors in the order and shapes of {@link transformerParameterShapes}, one
   * dtype.
   * @throws {RangeError} When a size is invalid or a tensor is missing or has the wrong shape.
   */
  constructor(vocabulary: Vocabulary, config: TransformerConfig, parameters: readonly Tensor[]) {
    const shapes = transformerParameterShapes(config, vocabulary.size);
    if (!Array.isArray(parameters) || parameters.length !== shapes.length) {
      throw new RangeError(
        `\`parameters\` must hold ${shapes.length} tensors, got ${formatValue(parameters?.length)}`,
      );
    }
    shapes.forEach(([name, shape], i) => {
      const t = parameters[i];
      if (!(t instanceof Tensor) || canonical(t.shape) !== canonical(shape)) {
        throw new RangeError(
          `\`${name}\` must have shape ${formatValue(shape)}, got ${formatValue(t?.shape)}`,
        );
      }
    });
    this.vocabulary = vocabulary;
    this.config = Object.freeze({
      contextSize: config.contextSize,
      embeddingSize: config.embeddingSize,
      layers: config.layers,
      heads: config.heads,
      hiddenSize: config.hiddenSize,
    });
    this.parameters = Object.freeze([...parameters]);
    this.parameterNames = Object.freeze(shapes.map(([name]) => name));
    const byName = new Map(shapes.map(([name], i) => [name, parameters[i]!]));
    const get = (name: string) => byName.get(name)!;
    this.weights = Object.freeze({
      tokenEmbeddings: get("tokenEmbeddings"),
      positionEmbeddings: get("positionEmbeddings"),
      blocks: Array.from({ length: config.layers }, (_, l) =>
        Object.fromEntries(
          BLOCK_PARAMETER_NAMES.map((name) => [name, get(`blocks.${l}.${name}`)]),
        ) as BlockParameters),
      finalNormGain: get("finalNormGain"),
      finalNormBias: get("finalNormBias"),
    });
  }

  /** The number of trained numbers. */
  get parameterCount(): number {
    return this.parameters.reduce((sum, t) => sum + t.size, 0);
  }

  /**
   * The residual stream after every block and the final layer norm.
   *
   * Formula: see the module doc; x = E[ids] + P[0 … t − 1], then the blocks, then layerNorm.
   *
   * @param ids (B, t) token ids, row-major, t <= T.
   * @param batch B, the number of windows (default 1).
   * @returns `{ hidden, attention }`, part of a graph back to the parameters.
   * @throws {RangeError} When `ids` does not hold B whole windows of 1 … T tokens, or an id is out
   * of range.
   */
  hidden(ids: ArrayLike<number>, batch = 1): TransformerHidden {
    const { contextSize, heads } = this.config;
    const t = ids.length / batch;
    if (!Number.isInteger(batch) || batch < 1 || !Number.isInteger(t) || t < 1 || t > contextSize) {
      throw new RangeError(
        `\`ids\` must hold ${
          formatValue(batch)
        } windows of 1 to ${contextSize} tokens, got ${ids.length} ids`,
      );
    }
    const w = this.weights;
    const positions = Array.from({ length: t }, (_, i) => i);
    let x = add(
      embedding(w.tokenEmbeddings, ids, [batch, t]), // (B, t, C)
      embedding(w.positionEmbeddings, positions), // (t, C), the same for every window
    );
    const attention: Tensor[] = [];
    for (const block of w.blocks) {
      // x = x + attention(layerNorm(x)): each position reads the earlier ones.
      const normed = layerNorm(x, block.attentionNormGain, block.attentionNormBias); // (B, t, C)
      const a = causalSelfAttention(normed, block, heads);
      attention.push(a.weights); // (B, H, t, t)
      x = add(x, a.output); // (B, t, C)
      // x = x + W₂ gelu(W₁ layerNorm(x) + b₁) + b₂: each position on its own.
      const normed2 = layerNorm(x, block.mlpNormGain, block.mlpNormBias); // (B, t, C)
      const h = gelu(linear(normed2, block.mlpHiddenWeights, block.mlpHiddenBias)); // (B, t, 4C)
      x = add(x, linear(h, block.mlpOutputWeights, block.mlpOutputBias)); // (B, t, C)
    }
    return { hidden: layerNorm(x, w.finalNormGain, w.finalNormBias), attention }; // (B, t, C)
  }

  /**
   * Scores over the vocabulary from hidden vectors, with the token embeddings as the output layer.
   *
   * Formula: logits = h Eᵀ: a token scores high when its embedding points the way h does.
   *
   * @param hidden (..., C).
   * @returns (rows, S), rows = the product of hidden's leading axes.
   */
  logits(hidden: Tensor): Tensor {
    const c = this.config.embeddingSize;
    const rows = reshape(hidden, [hidden.size / c, c]);
    return matmulTransposed(rows, this.weights.tokenEmbeddings);
  }

  /**
   * The mean cross-entropy of predicting each window's next tokens: the training loss.
   *
   * Formula: mean over every position of −ln softmax(logits)_target, with the logits of
   * {@link logits}; computed by the fused {@linkcode tiedOutputCrossEntropy} (tied_output.ts),
   * which equals `softmaxCrossEntropy(this.logits(hidden), targets)` up to float rounding.
   *
   * @param inputs (B, t) ids.
   * @param targets (B, t) ids: targets[b, i] is the token after inputs[b, i].
   * @param batch B.
   * @returns A scalar tensor; call `backward()` on it for the gradients.
   */
  loss(inputs: ArrayLike<number>, targets: ArrayLike<number>, batch = 1): Tensor {
    const { hidden } = this.hidden(inputs, batch);
    return tiedOutputCrossEntropy(hidden, this.weights.tokenEmbeddings, targets);
  }

  /**
   * The ids the model reads for the next token: the stream `</s>` + context, last T tokens.
   *
   * @param context Preceding tokens; may span sentences separated by `</s>`; unknown words are
   * read as `<unk>`.
   * @returns 1 … T ids, ending with the context's last word.
   */
  contextIds(context: readonly string[]): Int32Array {
    if (!Array.isArray(context)) {
      throw new TypeError(`\`context\` must be an array of words, got ${formatValue(context)}`);
    }
    const stream = context[0] === EOS ? context : [EOS, ...context];
    const ids = Int32Array.from(stream, (word) => this.vocabulary.id(word));
    return ids.subarray(Math.max(0, ids.length - this.config.contextSize));
  }

  /**
   * The scores of the next token, in vocabulary id order: what {@link next} puts through softmax.
   *
   * Formula: h Eᵀ for the last position's hidden vector h (see {@link logits}).
   *
   * @param context Preceding tokens, as for {@link next}.
   * @returns `vocabulary.size` logits; `softmax(nextLogits(context))[id]` is P(word with that id).
   * @throws {TypeError} When `context` is not an array of words.
   */
  nextLogits(context: readonly string[]): TensorData {
    const ids = this.contextIds(context);
    const { hidden } = this.hidden(ids);
    const last = hidden.data.subarray((ids.length - 1) * this.config.embeddingSize);
    return this.logits(new Tensor(last, [last.length])).data;
  }

  /**
   * P(next | context) over the whole vocabulary.
   *
   * @param context Preceding tokens (`[]` at the start of a text); the last T − 1 are read,
   * after a `</s>` that marks the start.
   * @returns Every token with its probability, sorted by probability (descending, then word).
   */
  next(context: readonly string[]): Candidate[] {
    const logits = this.nextLogits(context);
    const lse = logSumExp(logits);
    return candidatesFromProbabilities(
      this.vocabulary,
      Float64Array.from(logits, (x) => Math.exp(x - lse)),
    );
  }

  /**
   * The attention weights of every block and head for one context: what each word read.
   *
   * @param context Tokens, as for {@link next}.
   * @returns `{ tokens, weights }`: the tokens read (with the leading `</s>`; unknown words as
   * `<unk>`), and weights[l][h] a (t, t) matrix as an array of rows; row i sums to 1 and is 0
   * after i.
   */
  attention(context: readonly string[]): { tokens: string[]; weights: number[][][][] } {
    const ids = this.contextIds(context);
    const t = ids.length;
    const { attention } = this.hidden(ids);
    return {
      tokens: Array.from(ids, (id) => this.vocabulary.words[id]!),
      weights: attention.map((a) =>
        Array.from(
          { length: this.config.heads },
          (_, h) =>
            Array.from({ length: t }, (_, i) =>
              Array.from(a.data.subarray((h * t + i) * t, (h * t + i + 1) * t))),
        )
      ),
    };
  }

  /**
   * ln P(s_i | the tokens before it) for the scored tokens of a stream, window by window
   * ({@linkcode scoringWindows}).
   *
   * @param stream Token ids, s₀ (usually `</s>`) … s_N.
   * @param options `stride` (default T / 2, rounded up) and `every`: score only windows 0, k, 2k, …
   * (default 1, all; a validation slice).
   * @returns One natural-log probability per scored token, in stream order.
   */
  streamLogProbabilities(
    stream: Int32Array,
    options: { stride?: number; every?: number } = {},
  ): Float64Array {
    const { contextSize: t, embeddingSize: c } = this.config;
    const stride = options.stride ?? Math.ceil(t / 2);
    const every = options.every ?? 1;
    if (!Number.isInteger(every) || every < 1) {
      throw new RangeError(`\`every\` must be an integer >= 1, got ${formatValue(every)}`);
    }
    const windows = scoringWindows(stream.length, t, stride).filter((_, i) => i % every === 0);
    const out = new Float64Array(windows.reduce((sum, w) => sum + w.length - w.from, 0));
    const size = this.vocabulary.size;
    let written = 0;
    // Windows of the same length go through the model together.
    for (let first = 0; first < windows.length;) {
      const length = windows[first]!.length;
      let last = first;
      while (
        last + 1 < windows.length && windows[last + 1]!.length === length &&
        last + 1 - first < SCORING_BATCH
      ) last++;
      const group = windows.slice(first, last + 1);
      const ids = new Int32Array(group.length * length);
      group.forEach((w, b) => ids.set(stream.subarray(w.start, w.start + length), b * length));
      const { hidden } = this.hidden(ids, group.length);
      // Only the scored positions go through the output layer (the costly part).
      const rows = group.reduce((sum, w) => sum + length - w.from, 0);
      const picked = new Tensor(allocate(hidden.dtype, rows * c), [rows, c]);
      const targets = new Int32Array(rows);
      let r = 0;
      group.forEach((w, b) => {
        for (let i = w.from; i < length; i++, r++) {
          picked.data.set(
            hidden.data.subarray((b * length + i) * c, (b * length + i + 1) * c),
            r * c,
          );
          targets[r] = stream[w.start + i + 1]!;
        }
      });
      const logits = this.logits(picked).data;
      for (let i = 0; i < rows; i++) {
        const row = logits.subarray(i * size, (i + 1) * size);
        // ln softmax(row)_target = row_target − (max + ln Σ exp(row − max)), exp on the fast path
        const { max, sum } = expMinusMaxInto(null, row);
        out[written++] = row[targets[i]!]! - max - Math.log(sum);
      }
      first = last + 1;
    }
    return out;
  }

  /**
   * P(token | the tokens before it) for every word and `</s>` of the sentences, read as one
   * stream (sliding windows of T with stride T / 2).
   *
   * @param sentences The text.
   * @returns One probability per predicted token.
   */
  tokenProbabilities(sentences: readonly (readonly string[])[]): Float64Array {
    checkSentences(sentences);
    return this.streamLogProbabilities(tokenStream(sentences, this.vocabulary)).map(Math.exp);
  }

  /**
   * Held-out loss: mean negative log-likelihood and perplexity over every word and `</s>`.
   *
   * @param sentences The text.
   * @returns `{ meanNll, perplexity, tokens }`.
   * @throws {RangeError} When there are no sentences.
   */
  evaluate(sentences: readonly (readonly string[])[]): LanguageModelEvaluation {
    checkSentences(sentences);
    const logProbabilities = this.streamLogProbabilities(tokenStream(sentences, this.vocabulary));
    let sum = 0;
    for (let i = 0; i < logProbabilities.length; i++) sum -= logProbabilities[i]!;
    const meanNll = sum / logProbabilities.length;
    return { meanNll, perplexity: Math.exp(meanNll), tokens: logProbabilities.length };
  }
}

function canonical(shape: readonly number[]): string {
  return JSON.stringify(shape);
}

/** Options of {@link createTransformer}. */
export interface CreateTransformerOptions {
  /** "float32" (default) or "float64" (for gradient checks). */
  dtype?: DType;
  /** σ of the starting weights (default 0.02, GPT-2's). */
  std?: number;
}

/**
 * A new transformer with random weights, GPT-2's way.
 *
 * Formula: every weight matrix and both embedding tables ~ N(0, σ²) with σ = 0.02, except the
 * two projections that write into the residual stream (attention's W_o and the MLP's W₂), which
 * get σ / √(2L) so that the stream does not grow with depth; biases 0; layer-norm gains 1. Tensors
 * are drawn in save order from `random`.
 *
 * @param vocabulary The tokens (S = vocabulary.size).
 * @param config T, C, L, H, MLP width.
 * @param random Uniforms in [0, 1), e.g. `seededRandom(seed)`.
 * @param options `dtype`, `std`.
 * @returns The model.
 * @throws {RangeError} When a size is invalid.
 * Running cost: O(parameters).
 * @example A tiny model gives a distribution over its vocabulary
 * ```ts
 * import assert from "node:assert/strict";
 * import { seededRandom } from "../math/random.ts";
 * import { buildVocabulary } from "../text/vocabulary.ts";
 * import { createTransformer } from "./transformer.ts";
 *
 * const vocabulary = buildVocabulary([["the", "cat", "sat"]]);
 * const config = { contextSize: 4, embeddingSize: 8, layers: 1, heads: 2, hiddenSize: 32 };
 * const model = createTransformer(vocabulary, config, seededRandom(1));
 * const next = model.next(["the"]);
 * assert.equal(next.length, 5); // </s> <unk> the cat sat
 * assert.ok(Math.abs(next.reduce((s, c) => s + c.probability, 0) - 1) < 1e-6);
 * ```
 */
export function createTransformer(
  vocabulary: Vocabulary,
  config: TransformerConfig,
  random: () => number,
  options: CreateTransformerOptions = {},
): Transformer {
  const shapes = transformerParameterShapes(config, vocabulary.size);
  const dtype = options.dtype ?? "float32";
  const std = options.std ?? 0.02;
  const residualStd = std / Math.sqrt(2 * config.layers);
  const parameters = shapes.map(([name, shape]) => {
    const short = name.split(".").at(-1)!;
    if (short.endsWith("Gain")) {
      return tensor(new Array(shape[0]!).fill(1), shape, { dtype, requiresGrad: true });
    }
    if (shape.length === 1) {
      return tensor(new Array(shape[0]!).fill(0), shape, { dtype, requiresGrad: true });
    }
    const sigma = short === "outputWeights" || short === "mlpOutputWeights" ? residualStd : std;
    return randomNormal(shape, random, { dtype, requiresGrad: true, std: sigma });
  });
  return new Transformer(vocabulary, config, parameters);
}
