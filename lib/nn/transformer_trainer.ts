/**
 * Training the transformer: each step draws a batch of random windows of T + 1 consecutive tokens
 * from the training stream (sentences joined by `</s>`), asks the model to predict tokens 1 … T of
 * each window from the tokens before them (T predictions per window, all at once thanks to the
 * causal mask), backpropagates the mean cross-entropy, clips the gradient's norm and lets AdamW
 * move the weights (linear warm-up, then cosine decay). Everything random comes from one seed, so
 * a run repeats exactly.
 *
 * @module
 */

import { formatValue } from "../_validate.ts";
import { seededRandom } from "../math/random.ts";
import type { TrainingHistory } from "./mlp_trainer.ts";
import { AdamW, clipGradientNorm, warmupCosine } from "./optimizer.ts";
import type { Transformer } from "./transformer.ts";

/** Everything that decides a transformer run besides the starting weights and the data. */
export interface TransformerTrainingSettings {
  /** Total number of steps (one batch each); the schedule decays over this many. */
  steps: number;
  /** Windows per step (each gives T predictions). */
  batchSize: number;
  /** Peak learning rate η of AdamW. */
  learningRate: number;
  /** Steps of linear warm-up to η. */
  warmupSteps: number;
  /** The learning rate at the last step, as a fraction of η (cosine decay). */
  finalFraction: number;
  /** AdamW's decoupled weight decay λ on matrices (embedding tables included). */
  weightDecay: number;
  /** AdamW's β₁. */
  beta1: number;
  /** AdamW's β₂. */
  beta2: number;
  /** The gradient's norm is scaled down to this when larger. */
  clipNorm: number;
  /** Seed of the window positions (`seededRandom(seed)`). */
  seed: number;
  /** Validation loss every this many steps (and at steps 0 and `steps`); 0 for never. */
  validateEvery: number;
}

/** A validation slice: a held-out stream and which of its scoring windows to use. */
export interface StreamSlice {
  /** Token ids, `</s>` first (transformer.ts's `tokenStream`). */
  stream: Int32Array;
  /** Score windows 0, k, 2k, … of the sliding-window evaluation. */
  every: number;
  /** How far each window moves (default T / 2). */
  stride?: number;
}

function checkSettings(settings: TransformerTrainingSettings): void {
  const integers: [keyof TransformerTrainingSettings, number][] = [
    ["steps", 1],
    ["batchSize", 1],
    ["warmupSteps", 0],
    ["validateEvery", 0],
    ["seed", 0],
  ];
  for (const [name, low] of integers) {
    const value = settings?.[name];
    if (!Number.isInteger(value) || value < low) {
      throw new RangeError(`\`${name}\` must be an integer >= ${low}, got ${formatValue(value)}`);
    }
  }
  for (const name of ["learningRate", "clipNorm"] as const) {
    const value = settings[name];
    if (!(value > 0 && Number.isFinite(value))) {
      throw new RangeError(`\`${name}\` must be a finite number > 0, got ${formatValue(value)}`);
    }
  }
}

/**
 * A transformer training run in progress: it owns the optimizer state and the random window
 * positions, so `run(100)` twice gives exactly what `run(200)` gives.
 *
 * @example Thirty steps on a tiny text make the loss fall
 * ```ts
 * import assert from "node:assert/strict";
 * import { seededRandom } from "../math/random.ts";
 * import { buildVocabulary } from "../text/vocabulary.ts";
 * import { createTransformer, tokenStream } from "./transformer.ts";
 * import { TransformerTrainer } from "./transformer_trainer.ts";
 *
 * const text = [["the", "cat", "sat"], ["the", "dog", "ran"]];
 * const vocabulary = buildVocabulary(text);
 * const config = { contextSize: 4, embeddingSize: 8, layers: 1, heads: 2, hiddenSize: 16 };
 * const model = createTransformer(vocabulary, config, seededRandom(1));
 * const trainer = new TransformerTrainer(model, tokenStream(text, vocabulary), {
 *   steps: 30, batchSize: 4, learningRate: 0.03, warmupSteps: 0, finalFraction: 1,
 *   weightDecay: 0, beta1: 0.9, beta2: 0.98, clipNorm: 1, seed: 2, validateEvery: 0,
 * });
 * const { trainLoss } = trainer.run();
 * assert.ok(trainLoss.at(-1)! < trainLoss[0]! / 2);
 * ```
 */
export class TransformerTrainer {
  /** The model being trained (its weights change in place). */
  readonly model: Transformer;
  /** The run's settings. */
  readonly settings: Readonly<TransformerTrainingSettings>;
  /** Losses so far: the batch loss of every step and the validation curve. */
  readonly history: TrainingHistory = { trainLoss: [], validation: [] };
  readonly #train: Int32Array;
  readonly #validation: StreamSlice | undefined;
  readonly #optimizer: AdamW;
  readonly #random: () => number;
  #step = 0;

  /**
   * @param model The model to train.
   * @param train The training stream (token ids, not modified), longer than T + 1.
   * @param settings See {@link TransformerTrainingSettings}.
   * @param validation A held-out slice whose loss is recorded every `validateEvery` steps.
   * @throws {RangeError} When a setting is out of range or the stream is too short.
   */
  constructor(
    model: Transformer,
    train: Int32Array,
    settings: TransformerTrainingSettings,
    validation?: StreamSlice,
  ) {
    checkSettings(settings);
    const t = model.config.contextSize;
    if (!(train instanceof Int32Array) || train.length < t + 2) {
      throw new RangeError(
        `\`train\` must be an Int32Array of more than ${t + 1} token ids, got ${
          formatValue(train?.length)
        }`,
      );
    }
    this.model = model;
    this.settings = Object.freeze({ ...settings });
    this.#train = train;
    this.#validation = validation;
    this.#optimizer = new AdamW(model.parameters, {
      learningRate: settings.learningRate,
      beta1: settings.beta1,
      beta2: settings.beta2,
      weightDecay: settings.weightDecay,
    });
    this.#random = seededRandom(settings.seed);
  }

  /** Steps taken so far. */
  get step(): number {
    return this.#step;
  }

  /** Predicted tokens seen so far: steps × batch size × T. */
  get tokensSeen(): number {
    return this.#step * this.settings.batchSize * this.model.config.contextSize;
  }

  /**
   * The mean loss on the validation slice now.
   *
   * @returns Nats per token; NaN without a validation slice.
   */
  validationLoss(): number {
    if (this.#validation === undefined) return NaN;
    const { stream, every, stride } = this.#validation;
    const logProbabilities = this.model.streamLogProbabilities(stream, { every, stride });
    let sum = 0;
    for (let i = 0; i < logProbabilities.length; i++) sum -= logProbabilities[i]!;
    return sum / logProbabilities.length;
  }

  /**
   * Trains for up to `steps` more steps (never past `settings.steps`).
   *
   * Each step: B window starts uniform in [0, N − T − 1] (one `random()` each, in order); inputs
   * s[start … start + T − 1], targets s[start + 1 … start + T]; loss, backward, clip, AdamW.
   *
   * @param steps How many steps; default all remaining.
   * @param onStep Called after each step (and its validation, if due) with the step count and
   * that step's batch loss.
   * @returns The history so far (the same object as {@link history}).
   * @throws {RangeError} When `steps` is not an integer >= 0.
   */
  run(
    steps: number = this.settings.steps - this.#step,
    onStep?: (step: number, loss: number) => void,
  ): TrainingHistory {
    if (!Number.isInteger(steps) || steps < 0) {
      throw new RangeError(`\`steps\` must be an integer >= 0, got ${formatValue(steps)}`);
    }
    const { batchSize, validateEvery } = this.settings;
    const t = this.model.config.contextSize;
    const inputs = new Int32Array(batchSize * t);
    const targets = new Int32Array(batchSize * t);
    const starts = this.#train.length - t; // start in [0, N − T − 1]: the target s[start + T] exists
    const end = Math.min(this.settings.steps, this.#step + steps);
    if (this.#step === 0 && validateEvery > 0 && this.history.validation.length === 0) {
      this.#recordValidation();
    }
    while (this.#step < end) {
      for (let b = 0; b < batchSize; b++) {
        const start = Math.floor(this.#random() * starts);
        inputs.set(this.#train.subarray(start, start + t), b * t);
        targets.set(this.#train.subarray(start + 1, start + t + 1), b * t);
      }
      this.#optimizer.zeroGrad();
      const loss = this.model.loss(inputs, targets, batchSize);
      loss.backward();
      clipGradientNorm(this.model.parameters, this.settings.clipNorm);
      this.#optimizer.step(
        warmupCosine(this.#step, {
          peak: this.settings.learningRate,
          warmupSteps: this.settings.warmupSteps,
          totalSteps: this.settings.steps,
          finalFraction: this.settings.finalFraction,
        }),
      );
      this.#step++;
      this.history.trainLoss.push(loss.item());
      if (
        validateEvery > 0 &&
        (this.#step % validateEvery === 0 || this.#step === this.settings.steps)
      ) {
        this.#recordValidation();
      }
      onStep?.(this.#step, loss.item());
    }
    return this.history;
  }

  #recordValidation(): void {
    if (this.#validation === undefined) return;
    this.history.validation.push({ step: this.#step, loss: this.validationLoss() });
  }
}
