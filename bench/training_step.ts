/**
 * Training throughput of the course's transformer, in predicted tokens per second: the hook
 * bench/report.ts looks for (issue 15's "training tokens per second").
 *
 * {@linkcode measureTraining} trains the model of `deno task train transformer` (lib/nn/
 * transformer_run.ts's `TRANSFORMER_RUN`: the same data, vocabulary, sizes, batch and optimizer, and
 * gemm on the same number of threads as the tool's default) for a few untimed warm-up steps, then
 * times a few more. A step is one batch of B windows of T tokens: B · T predicted tokens through the
 * forward pass, the backward pass, gradient clipping and AdamW. Loading Brown, building the model
 * and the step-0 validation pass happen before the clock starts; no validation pass falls inside
 * the timed steps (the run validates every 500 steps).
 *
 * Run on its own: `deno run --allow-all bench/training_step.ts` prints one line.
 *
 * @module
 */

import { checkInteger } from "../lib/_validate.ts";
import { defaultGemmThreads, useGemmThreads } from "../lib/nn/kernels.ts";
import {
  loadTransformerRunData,
  startTransformerRun,
  TRANSFORMER_RUN,
  type TransformerRunSettings,
} from "../lib/nn/transformer_run.ts";

/** One throughput measurement: `tokens` predicted tokens trained in `seconds`. */
export interface TrainingMeasurement {
  /** Predicted tokens of the timed steps: steps × B × T. */
  tokens: number;
  /** Wall-clock seconds of the timed steps. */
  seconds: number;
  /** What was measured: model, batch and context, steps, threads. */
  what: string;
}

/** Options of {@link measureTraining}; the defaults are the bench's settings. */
export interface MeasureTrainingOptions {
  /** The run to time (default `TRANSFORMER_RUN`, what `deno task train transformer` trains). */
  settings?: Readonly<TransformerRunSettings>;
  /** gemm threads (default `defaultGemmThreads()`, as `deno task train`). */
  threads?: number;
  /** Untimed steps first (default 3): JIT warm-up, the kernel's memory, the workers. */
  warmupSteps?: number;
  /** Timed steps (default 30, about 6 s on the 2-core reference machine). */
  steps?: number;
}

/**
 * Trains the transformer for `warmupSteps` untimed steps, then times `steps` more.
 *
 * Formula: tokens = steps · B · T; tokens per second = tokens / seconds.
 *
 * @param options See {@link MeasureTrainingOptions}.
 * @returns `{ tokens, seconds, what }`.
 * @throws {RangeError} When `steps` is not an integer >= 1, `warmupSteps` not an integer >= 0, or
 * warm-up plus timed steps exceed the run's `training.steps`.
 * @throws {Error} When the Brown corpus package is not installed.
 * Running cost: loading Brown (about a second) plus warmupSteps + steps training steps.
 */
export async function measureTraining(
  options: MeasureTrainingOptions = {},
): Promise<TrainingMeasurement> {
  const settings = options.settings ?? TRANSFORMER_RUN;
  const threads = options.threads ?? defaultGemmThreads();
  const warmupSteps = options.warmupSteps ?? 3;
  const steps = options.steps ?? 30;
  checkInteger(steps, "steps", { min: 1 });
  checkInteger(warmupSteps, "warmupSteps", { min: 0 });
  if (warmupSteps + steps > settings.training.steps) {
    throw new RangeError(
      `\`warmupSteps\` + \`steps\` must be at most the run's ${settings.training.steps} steps, ` +
        `got ${warmupSteps + steps}`,
    );
  }
  await useGemmThreads(threads);
  try {
    const data = await loadTransformerRunData(settings);
    const trainer = startTransformerRun(settings, data);
    trainer.run(warmupSteps); // includes the step-0 validation pass
    const before = trainer.tokensSeen;
    const start = performance.now();
    trainer.run(steps);
    const seconds = (performance.now() - start) / 1000;
    const { batchSize } = settings.training;
    const { contextSize, embeddingSize, layers, heads } = settings.config;
    const model = settings === TRANSFORMER_RUN
      ? "transformer of `deno task train transformer`"
      : "transformer";
    return {
      tokens: trainer.tokensSeen - before,
      seconds,
      what: `${model} (${trainer.model.parameterCount} parameters: C = ${embeddingSize}, ` +
        `${layers} blocks of ${heads} heads, V = ${settings.vocabularyWords}), ` +
        `batch ${batchSize} × context ${contextSize}, ${steps} timed steps after ${warmupSteps} ` +
        `warm-up, ${threads} gemm thread${threads === 1 ? "" : "s"}`,
    };
  } finally {
    await useGemmThreads(1);
  }
}

if (import.meta.main) {
  const { tokens, seconds, what } = await measureTraining();
  console.log(
    `${Math.round(tokens / seconds).toLocaleString("en-US")} tokens / s ` +
      `(${tokens} tokens in ${seconds.toFixed(2)} s; ${what})`,
  );
}
