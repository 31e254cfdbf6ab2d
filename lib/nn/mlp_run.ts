/**
 * A complete, repeatable MLP training run on Brown: which data (the shared vocabulary and
 * train / held-out split), which model sizes and seeds, which optimizer settings. `deno task train
 * mlp` runs {@linkcode MLP_RUN} and saves the weights; the test suite reruns its first steps to
 * prove the committed weights come from the committed code. {@linkcode QUICK_MLP_RUN} is a small
 * run that finishes in a couple of seconds, for a live notebook cell.
 *
 * @module
 */

import { formatValue } from "../_validate.ts";
import { seededRandom } from "../math/random.ts";
import { brownFiles, splitByFile } from "../text/corpus.ts";
import { buildVocabulary, type Vocabulary } from "../text/vocabulary.ts";
import {
  createMlp,
  DEFAULT_MLP_CONFIG,
  type MlpConfig,
  type MlpExamples,
  mlpExamples,
} from "./mlp.ts";
import { MlpTrainer, type MlpTrainingSettings } from "./mlp_trainer.ts";

/** Everything that decides an MLP run on Brown. */
export interface MlpRunSettings {
  /** n, E, H. */
  config: MlpConfig;
  /** V: the most frequent training words in the vocabulary (plus `</s>` and `<unk>`). */
  vocabularyWords: number;
  /** Seed of the starting weights (`createMlp(…, seededRandom(initSeed))`). */
  initSeed: number;
  /** The validation slice is every `validationEvery`-th held-out sentence (the 1st, …). */
  validationEvery: number;
  /** Steps, batch size, optimizer, batch-order seed. */
  training: MlpTrainingSettings;
}

/**
 * The run behind the committed weights models/mlp.*: the recipe's MLP (context 3, embedding 64,
 * hidden 128, batch 256, AdamW at 3e-3 with 100 warm-up steps and cosine decay to 3e-4) on the
 * 5,000-word vocabulary: 4,000 steps, 1,024,000 examples (0.93 epoch). Measured on the 2-core
 * reference machine while other jobs ran (load 4–8): 400 s of training with 2 threads, 834 s with
 * one; about 80 ms a step on one idle core. Held-out perplexity 97.85 (interpolated trigram on
 * the same vocabulary: 104.00).
 */
export const MLP_RUN: Readonly<MlpRunSettings> = Object.freeze({
  config: { ...DEFAULT_MLP_CONFIG },
  vocabularyWords: 5000,
  initSeed: 1,
  validationEvery: 10,
  training: {
    steps: 4000,
    batchSize: 256,
    learningRate: 3e-3,
    warmupSteps: 100,
    finalFraction: 0.1,
    weightDecay: 0,
    beta1: 0.9,
    beta2: 0.999,
    seed: 2,
    validateEvery: 500,
  },
});

/**
 * A small run for a live notebook cell: 1,000 words, small vectors, 300 steps of 64 examples;
 * 1.1–1.5 s on the reference machine with its four validation passes (plus 0.6 s to load the
 * data). Held-out perplexity 51.8 on its own 1,000-word vocabulary (27% `<unk>`), where the
 * count trigram reaches 30.4: a demonstration of training, not a good model.
 */
export const QUICK_MLP_RUN: Readonly<MlpRunSettings> = Object.freeze({
  config: { contextSize: 3, embeddingSize: 16, hiddenSize: 64 },
  vocabularyWords: 1000,
  initSeed: 1,
  validationEvery: 50,
  training: {
    steps: 300,
    batchSize: 64,
    learningRate: 1e-2,
    warmupSteps: 20,
    finalFraction: 0.1,
    weightDecay: 0,
    beta1: 0.9,
    beta2: 0.999,
    seed: 2,
    validateEvery: 100,
  },
});

/** The data of a run. */
export interface MlpRunData {
  /** The shared vocabulary: the top V training words, `</s>`, `<unk>`. */
  vocabulary: Vocabulary;
  /** The training sentences: Brown's files except every 10th (450 files). */
  trainSentences: string[][];
  /** The held-out sentences: every 10th file (50 files). */
  heldOutSentences: string[][];
  /** Every (context, next) pair of the training sentences. */
  train: MlpExamples;
  /** The validation slice: every `validationEvery`-th held-out sentence, as examples. */
  validation: MlpExamples;
}

/**
 * Loads Brown, splits it by file and builds the vocabulary and examples of a run.
 *
 * Formula: split = `splitByFile(brownFiles())` (every 10th file held out); vocabulary =
 * {@linkcode buildVocabulary}(training sentences, V); examples = {@linkcode mlpExamples}; the
 * validation slice = held-out sentences 0, k, 2k, … for k = `validationEvery`.
 *
 * @param settings The run's settings (only `vocabularyWords`, `config.contextSize` and
 * `validationEvery` matter here).
 * @returns The vocabulary, sentences and examples.
 * @throws {Error} When the corpus package is not installed.
 * @throws {RangeError} When `validationEvery` is not an integer >= 1.
 * Running cost: about a second (reading Brown and building about a million examples).
 */
export async function loadMlpRunData(settings: MlpRunSettings): Promise<MlpRunData> {
  const every = settings.validationEvery;
  if (!Number.isInteger(every) || every < 1) {
    throw new RangeError(`\`validationEvery\` must be an integer >= 1, got ${formatValue(every)}`);
  }
  const { train, heldOut } = splitByFile(await brownFiles());
  const trainSentences = train.flatMap((file) => file.sentences);
  const heldOutSentences = heldOut.flatMap((file) => file.sentences);
  const vocabulary = buildVocabulary(trainSentences, { words: settings.vocabularyWords });
  const n = settings.config.contextSize;
  return {
    vocabulary,
    trainSentences,
    heldOutSentences,
    train: mlpExamples(trainSentences, vocabulary, n),
    validation: mlpExamples(heldOutSentences.filter((_, i) => i % every === 0), vocabulary, n),
  };
}

/**
 * A fresh model and its trainer, ready to `run()`.
 *
 * @param settings The run's settings.
 * @param data From {@link loadMlpRunData} with the same settings.
 * @returns A trainer whose `model` starts from `seededRandom(initSeed)`.
 * @throws {RangeError} As {@linkcode createMlp} and {@linkcode MlpTrainer}.
 * @example The quick run's first step (the full run takes a few seconds)
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadMlpRunData, QUICK_MLP_RUN, startMlpRun } from "./mlp_run.ts";
 *
 * const data = await loadMlpRunData(QUICK_MLP_RUN);
 * const trainer = startMlpRun(QUICK_MLP_RUN, data);
 * const [first] = trainer.run(1).trainLoss;
 * assert.ok(Math.abs(first! - Math.log(1002)) < 0.01); // nearly uniform at the start: ln S
 * ```
 */
export function startMlpRun(settings: MlpRunSettings, data: MlpRunData): MlpTrainer {
  const model = createMlp(data.vocabulary, settings.config, seededRandom(settings.initSeed));
  return new MlpTrainer(model, data.train, settings.training, data.validation);
}
