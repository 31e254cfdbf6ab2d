/**
 * Training the MLP language model with mini-batches: shuffle the (context, next token) examples
 * with a seeded generator, take them a batch at a time, and after each batch move every weight a
 * little against its gradient (AdamW, with a warm-up and cosine learning-rate schedule). The
 * training loss of every step and the loss on a fixed slice of held-out text are recorded, so a
 * run can be drawn as a loss curve and repeated exactly from its seed.
 *
 * @module
 */

import { formatValue } from "../_validate.ts";
import { seededRandom } from "../math/random.ts";
import type { Mlp, MlpExamples } from "./mlp.ts";
import { AdamW, warmupCosine } from "./optimizer.ts";

/** Everything that decides a training run besides the model's starting weights and the data. */
export interface MlpTrainingSettings {
  /** Total number of steps (one batch each); the schedule decays over this many. */
  steps: number;
  /** Examples per step. */
  batchSize: number;
  /** Peak learning rate η of AdamW. */
  learningRate: number;
  /** Steps of linear warm-up to η. */
  warmupSteps: number;
  /** The learning rate at the last step, as a fraction of η (cosine decay). */
  finalFraction: number;
  /** AdamW's decoupled weight decay λ on matrices. */
  weightDecay: number;
  /** AdamW's β₁. */
  beta1: number;
  /** AdamW's β₂. */
  beta2: number;
  /** Seed of the batch order (`seededRandom(seed)` shuffles the examples every epoch). */
  seed: number;
  /** Validation loss every this many steps (and at steps 0 and `steps`); 0 for never. */
  validateEvery: number;
}

/** The losses recorded during a run. */
export interface TrainingHistory {
  /** The mean cross-entropy of each step's batch, before that step's update, in nats. */
  trainLoss: number[];
  /** `{ step, loss }`: the validation loss after `step` updates. */
  validation: { step: number; loss: number }[];
}

function checkSettings(settings: MlpTrainingSettings): void {
  const integers: [keyof MlpTrainingSettings, number][] = [
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
  if (!(settings.learningRate > 0 && Number.isFinite(settings.learningRate))) {
    throw new RangeError(
      `\`learningRate\` must be a finite number > 0, got ${formatValue(settings.learningRate)}`,
    );
  }
}

/**
 * Fisher–Yates shuffle of 0 … count − 1 with a given source of uniforms.
 *
 * @param count How many indices.
 * @param random Uniforms in [0, 1).
 * @returns A new permutation.
 */
function permutation(count: number, random: () => number): Int32Array {
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
  return order;
}

/**
 * A training run in progress: it owns the optimizer state and the batch order, so that
 * `run(100)` twice gives exactly what `run(200)` gives.
 *
 * Each step: clear the gradients, take the next `batchSize` examples of the current shuffled
 * epoch (a new shuffle when fewer than `batchSize` remain), compute their mean cross-entropy,
 * backpropagate, and let AdamW update the weights with the scheduled learning rate
 * ({@linkcode warmupCosine}).
 *
 * @example Twenty steps on a tiny text make the loss fall
 * ```ts
 * import assert from "node:assert/strict";
 * import { seededRandom } from "../math/random.ts";
 * import { buildVocabulary } from "../text/vocabulary.ts";
 * import { createMlp, mlpExamples } from "./mlp.ts";
 * import { MlpTrainer } from "./mlp_trainer.ts";
 *
 * const text = [["the", "cat", "sat"], ["the", "dog", "ran"]];
 * const vocabulary = buildVocabulary(text);
 * const config = { contextSize: 2, embeddingSize: 4, hiddenSize: 8 };
 * const model = createMlp(vocabulary, config, seededRandom(1));
 * const trainer = new MlpTrainer(model, mlpExamples(text, vocabulary, 2), {
 *   steps: 20, batchSize: 4, learningRate: 0.05, warmupSteps: 0, finalFraction: 1,
 *   weightDecay: 0, beta1: 0.9, beta2: 0.999, seed: 2, validateEvery: 0,
 * });
 * const { trainLoss } = trainer.run();
 * assert.ok(trainLoss.at(-1)! < trainLoss[0]! / 2);
 * ```
 */
export class MlpTrainer {
  /** The model being trained (its weights change in place). */
  readonly model: Mlp;
  /** The run's settings. */
  readonly settings: Readonly<MlpTrainingSettings>;
  /** Losses so far. */
  readonly history: TrainingHistory = { trainLoss: [], validation: [] };
  readonly #train: MlpExamples;
  readonly #validation: MlpExamples | undefined;
  readonly #optimizer: AdamW;
  readonly #random: () => number;
  #order: Int32Array;
  #cursor = 0;
  #step = 0;

  /**
   * @param model The model to train.
   * @param train Training examples (not modified), with the model's context size.
   * @param settings See {@link MlpTrainingSettings}.
   * @param validation Examples whose mean loss is recorded every `validateEvery` steps.
   * @throws {RangeError} When a setting is out of range, there are fewer examples than one batch,
   * or the context sizes differ.
   */
  constructor(
    model: Mlp,
    train: MlpExamples,
    settings: MlpTrainingSettings,
    validation?: MlpExamples,
  ) {
    checkSettings(settings);
    for (const [name, examples] of [["train", train], ["validation", validation]] as const) {
      if (examples !== undefined && examples.contextSize !== model.config.contextSize) {
        throw new RangeError(
          `\`${name}\` must have contextSize ${model.config.contextSize} like the model, got ${
            formatValue(examples.contextSize)
          }`,
        );
      }
    }
    if (train.targets.length < settings.batchSize) {
      throw new RangeError(
        `\`train\` must hold at least one batch (${settings.batchSize} examples), got ${train.targets.length}`,
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
    this.#order = permutation(train.targets.length, this.#random);
  }

  /** Steps taken so far. */
  get step(): number {
    return this.#step;
  }

  /** Examples seen so far (steps × batch size). */
  get examplesSeen(): number {
    return this.#step * this.settings.batchSize;
  }

  /**
   * The mean loss on the validation examples now.
   *
   * @returns Nats per token; NaN when there are no validation examples.
   */
  validationLoss(): number {
    return this.#validation === undefined ? NaN : this.model.meanLoss(this.#validation);
  }

  /**
   * Trains for up to `steps` more steps (never past `settings.steps`).
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
    const n = this.model.config.contextSize;
    const contexts = new Int32Array(batchSize * n);
    const targets = new Int32Array(batchSize);
    const end = Math.min(this.settings.steps, this.#step + steps);
    if (this.#step === 0 && validateEvery > 0 && this.history.validation.length === 0) {
      this.#recordValidation();
    }
    while (this.#step < end) {
      if (this.#cursor + batchSize > this.#order.length) {
        this.#order = permutation(this.#order.length, this.#random);
        this.#cursor = 0;
      }
      for (let b = 0; b < batchSize; b++) {
        const example = this.#order[this.#cursor++]!;
        targets[b] = this.#train.targets[example]!;
        contexts.set(this.#train.contexts.subarray(example * n, (example + 1) * n), b * n);
      }
      this.#optimizer.zeroGrad();
      const loss = this.model.loss(contexts, targets);
      loss.backward();
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
