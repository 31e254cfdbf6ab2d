/**
 * The repeatable transformer run on Brown: the same vocabulary and train / held-out split as the
 * MLP (mlp_run.ts), the model's sizes, seeds and optimizer settings. `deno task train transformer`
 * runs {@linkcode TRANSFORMER_RUN} and saves the weights; the tests rerun its first steps to
 * prove the committed weights come from the committed code. {@linkcode QUICK_TRANSFORMER_RUN} is
 * a tiny run of a few seconds, for trying the tool.
 *
 * @module
 */

import { formatValue } from "../_validate.ts";
import { seededRandom } from "../math/random.ts";
import { brownFiles, splitByFile } from "../text/corpus.ts";
import { buildVocabulary, type Vocabulary } from "../text/vocabulary.ts";
import { createTransformer, tokenStream, type TransformerConfig } from "./transformer.ts";
import { TransformerTrainer, type TransformerTrainingSettings } from "./transformer_trainer.ts";

/** Everything that decides a transformer run on Brown. */
export interface TransformerRunSettings {
  /** T, C, L, H, MLP width. */
  config: TransformerConfig;
  /** V: the most frequent training words in the vocabulary (plus `</s>` and `<unk>`). */
  vocabularyWords: number;
  /** Seed of the starting weights (`createTransformer(…, seededRandom(initSeed))`). */
  initSeed: number;
  /** Held-out scoring moves each window by this many tokens (T / 2: at least T / 2 of context). */
  evaluationStride: number;
  /** The validation slice is every `validationEvery`-th scoring window of the held-out stream. */
  validationEvery: number;
  /** Steps, batch size, optimizer, clipping, window seed. */
  training: TransformerTrainingSettings;
}

/**
 * The run behind the committed weights models/transformer.*: the course's neural recipe at
 * V = 5,000 (C = 32, 2 blocks of 4 heads, context 32, GELU MLP at 4×, tied embeddings; AdamW at
 * 1e-2 with β = (0.9, 0.98), weight decay 0.1, clipping at 1, 150 warm-up steps then cosine to
 * 0.1×; 32 windows of 32 tokens a step), for 3,000 steps: 3.1 million predicted tokens, about 3.4
 * TFLOP, sized to train in under 20 minutes on the 2-core reference machine.
 */
export const TRANSFORMER_RUN: Readonly<TransformerRunSettings> = Object.freeze({
  config: { contextSize: 32, embeddingSize: 32, layers: 2, heads: 4, hiddenSize: 128 },
  vocabularyWords: 5000,
  initSeed: 1,
  evaluationStride: 16,
  validationEvery: 10,
  training: {
    steps: 3000,
    batchSize: 32,
    learningRate: 1e-2,
    warmupSteps: 150,
    finalFraction: 0.1,
    weightDecay: 0.1,
    beta1: 0.9,
    beta2: 0.98,
    clipNorm: 1,
    seed: 2,
    validateEvery: 500,
  },
});

/** A tiny run for trying the tool: 1,000 words, C = 16, one block, 200 steps; seconds. */
export const QUICK_TRANSFORMER_RUN: Readonly<TransformerRunSettings> = Object.freeze({
  config: { contextSize: 16, embeddingSize: 16, layers: 1, heads: 2, hiddenSize: 64 },
  vocabularyWords: 1000,
  initSeed: 1,
  evaluationStride: 8,
  validationEvery: 50,
  training: {
    steps: 200,
    batchSize: 16,
    learningRate: 1e-2,
    warmupSteps: 20,
    finalFraction: 0.1,
    weightDecay: 0.1,
    beta1: 0.9,
    beta2: 0.98,
    clipNorm: 1,
    seed: 2,
    validateEvery: 100,
  },
});

/** The data of a run. */
export interface TransformerRunData {
  /** The shared vocabulary: the top V training words, `</s>`, `<unk>` (the MLP's). */
  vocabulary: Vocabulary;
  /** The training sentences: Brown's files except every 10th (450 files). */
  trainSentences: string[][];
  /** The held-out sentences: every 10th file (50 files). */
  heldOutSentences: string[][];
  /** The training sentences as one stream of ids (`tokenStream`). */
  train: Int32Array;
  /** The held-out sentences as one stream of ids. */
  heldOut: Int32Array;
}

/**
 * Loads Brown, splits it by file, builds the vocabulary and the token streams of a run.
 *
 * Formula: as mlp_run.ts: split = `splitByFile(brownFiles())`, vocabulary =
 * `buildVocabulary(training sentences, V)`; streams from {@linkcode tokenStream}.
 *
 * @param settings The run's settings (only `vocabularyWords` matters here).
 * @returns The vocabulary, sentences and streams.
 * @throws {Error} When the corpus package is not installed.
 * @throws {RangeError} When `vocabularyWords` is not an integer >= 1.
 * Running cost: about a second.
 */
export async function loadTransformerRunData(
  settings: TransformerRunSettings,
): Promise<TransformerRunData> {
  const { train, heldOut } = splitByFile(await brownFiles());
  const trainSentences = train.flatMap((file) => file.sentences);
  const heldOutSentences = heldOut.flatMap((file) => file.sentences);
  const vocabulary = buildVocabulary(trainSentences, { words: settings.vocabularyWords });
  return {
    vocabulary,
    trainSentences,
    heldOutSentences,
    train: tokenStream(trainSentences, vocabulary),
    heldOut: tokenStream(heldOutSentences, vocabulary),
  };
}

/**
 * A fresh model and its trainer, ready to `run()`.
 *
 * @param settings The run's settings.
 * @param data From {@link loadTransformerRunData} with the same settings.
 * @returns A trainer whose `model` starts from `seededRandom(initSeed)`, validating on every
 * `validationEvery`-th scoring window of the held-out stream.
 * @throws {RangeError} As {@linkcode createTransformer} and {@linkcode TransformerTrainer}, or when
 * `validationEvery` is not an integer >= 1.
 * @example The quick run's first step
 * ```ts
 * import assert from "node:assert/strict";
 * import {
 *   loadTransformerRunData,
 *   QUICK_TRANSFORMER_RUN,
 *   startTransformerRun,
 * } from "./transformer_run.ts";
 *
 * const data = await loadTransformerRunData(QUICK_TRANSFORMER_RUN);
 * const trainer = startTransformerRun(QUICK_TRANSFORMER_RUN, data);
 * const [first] = trainer.run(1).trainLoss;
 * assert.ok(Math.abs(first! - Math.log(1002)) < 0.05); // nearly uniform at the start: ln S
 * ```
 */
export function startTransformerRun(
  settings: TransformerRunSettings,
  data: TransformerRunData,
): TransformerTrainer {
  const every = settings.validationEvery;
  if (!Number.isInteger(every) || every < 1) {
    throw new RangeError(`\`validationEvery\` must be an integer >= 1, got ${formatValue(every)}`);
  }
  const model = createTransformer(
    data.vocabulary,
    settings.config,
    seededRandom(settings.initSeed),
  );
  return new TransformerTrainer(model, data.train, settings.training, {
    stream: data.heldOut,
    every,
    stride: settings.evaluationStride,
  });
}
