/**
 * `deno task train mlp [--out path] [--threads n] [--quick] [--compare]`: trains the MLP language
 * model from its seed and writes its weights (default models/mlp.json + models/mlp.bin, the
 * committed files).
 *
 * The run is {@linkcode MLP_RUN} in lib/nn/mlp_run.ts: the same settings give the same weights,
 * bit for bit, with any number of threads (the SHA-256 of the weights is printed at the end, to
 * compare two runs). `--threads` (default 2, at most the number of cores) sets how many threads
 * the matrix products use. `--quick` runs {@linkcode QUICK_MLP_RUN} instead (seconds; for trying
 * the tool, never committed). `--compare` also prints the count models' held-out perplexities on
 * the same vocabulary. Progress goes to stdout every 100 steps: the batch loss, the learning rate,
 * elapsed time and tokens (examples) per second.
 *
 * @module
 */

import { countLanguageModel } from "../lib/text/language_model.ts";
import {
  loadMlpRunData,
  MLP_RUN,
  type MlpRunSettings,
  QUICK_MLP_RUN,
  startMlpRun,
} from "../lib/nn/mlp_run.ts";
import {
  CHECKPOINT_STEP,
  DEFAULT_MLP_PATH,
  loadMlp,
  mlpWeightBytes,
  saveMlp,
  sha256Hex,
} from "../lib/nn/model_file.ts";
import { defaultGemmThreads, useGemmThreads } from "../lib/nn/kernels.ts";
import { warmupCosine } from "../lib/nn/optimizer.ts";
import { unknownRate } from "../lib/text/vocabulary.ts";
import { trainTransformer } from "./train_transformer.ts"; // `train transformer …`

/** Parsed command line. */
export interface TrainArgs {
  /** Which model: only "mlp" for now. */
  model: "mlp";
  /** Where to write the header (`.json`). */
  out: string | URL;
  /** The run's settings. */
  settings: MlpRunSettings;
  /** Also print the count models' perplexities on the same vocabulary. */
  compare: boolean;
  /** Threads for the matrix products. */
  threads: number;
}

/**
 * Parses `mlp [--out path] [--threads n] [--quick] [--compare]`.
 *
 * @param args The task's arguments.
 * @returns What to train and where to write it.
 * @throws {RangeError} On a missing or unknown model, or an unknown option.
 */
export function parseTrainArgs(args: readonly string[]): TrainArgs {
  let model: string | undefined;
  let out: string | URL | undefined;
  let quick = false;
  let compare = false;
  let threads = defaultGemmThreads();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--out") {
      out = args[++i];
      if (out === undefined) throw new RangeError("`--out` needs a path ending in .json");
    } else if (arg === "--threads") {
      threads = Number(args[++i]);
      if (!Number.isInteger(threads) || threads < 1 || threads > 64) {
        throw new RangeError(`\`--threads\` must be an integer in [1, 64], got ${args[i]}`);
      }
    } else if (arg === "--quick") quick = true;
    else if (arg === "--compare") compare = true;
    else if (arg.startsWith("-")) throw new RangeError(`Unknown option \`${arg}\``);
    else if (model === undefined) model = arg;
    else throw new RangeError(`One model at a time, got ${model} and ${arg}`);
  }
  if (model !== "mlp") {
    throw new RangeError(
      `Usage: deno task train mlp [--out path.json] [--threads n] [--quick] [--compare] (got ${
        model === undefined ? "no model" : `\`${model}\``
      }; the models are: mlp)`,
    );
  }
  if (quick && out === undefined) {
    throw new RangeError("`--quick` needs `--out`: the quick run must not replace models/mlp.*");
  }
  return {
    model,
    out: out ?? DEFAULT_MLP_PATH,
    settings: quick ? QUICK_MLP_RUN : MLP_RUN,
    compare,
    threads,
  };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

async function main(args: readonly string[]): Promise<void> {
  if (args[0] === "transformer") return await trainTransformer(args.slice(1)); // its own tool
  const { out, settings, compare, threads } = parseTrainArgs(args);
  await useGemmThreads(threads);
  const started = performance.now();
  const data = await loadMlpRunData(settings);
  const unknown = unknownRate(data.vocabulary, data.heldOutSentences);
  console.log(
    `data: ${data.train.targets.length} training tokens, ${unknown.tokens} held-out tokens ` +
      `(${(100 * unknown.rate).toFixed(1)}% <unk> at V = ${settings.vocabularyWords}), ` +
      `${data.validation.targets.length} validation tokens; ${
        seconds(performance.now() - started)
      }`,
  );
  const trainer = startMlpRun(settings, data);
  const { steps, batchSize } = settings.training;
  console.log(
    `model: ${trainer.model.parameterCount} parameters; ${steps} steps of ${batchSize} examples; ` +
      `${threads} thread${threads === 1 ? "" : "s"}`,
  );
  const trainStart = performance.now();
  let checkpoint: Uint8Array | undefined;
  trainer.run(undefined, (step, loss) => {
    if (step === CHECKPOINT_STEP) checkpoint = mlpWeightBytes(trainer.model);
    if (step % 100 === 0 || step === steps) {
      const elapsed = performance.now() - trainStart;
      const rate = warmupCosine(step - 1, {
        peak: settings.training.learningRate,
        warmupSteps: settings.training.warmupSteps,
        totalSteps: steps,
        finalFraction: settings.training.finalFraction,
      });
      const last = trainer.history.validation.at(-1);
      console.log(
        `step ${step}/${steps}  loss ${loss.toFixed(4)}  lr ${rate.toExponential(2)}  ` +
          `${seconds(elapsed)}  ${Math.round((step * batchSize) / (elapsed / 1000))} tokens/s` +
          (last?.step === step ? `  validation ${last.loss.toFixed(4)}` : ""),
      );
    }
  });
  const trainTime = performance.now() - trainStart;
  const evaluateStart = performance.now();
  const heldOut = trainer.model.evaluate(data.heldOutSentences);
  const validationLoss = trainer.history.validation.at(-1)?.loss ?? trainer.validationLoss();
  const evaluateTime = performance.now() - evaluateStart;
  console.log(
    `trained in ${seconds(trainTime)} (${Math.round((steps * batchSize) / (trainTime / 1000))} ` +
      `tokens/s, validation passes included); held-out: mean NLL ${heldOut.meanNll.toFixed(4)}, ` +
      `perplexity ${heldOut.perplexity.toFixed(2)} (${seconds(evaluateTime)})`,
  );
  if (checkpoint === undefined) throw new Error(`the run ended before step ${CHECKPOINT_STEP}`);
  const checkpointHash = await sha256Hex(checkpoint);
  const { header, weightsPath } = await saveMlp(trainer.model, {
    settings,
    history: trainer.history,
    results: {
      validationLoss,
      heldOut,
      checkpoint: { step: CHECKPOINT_STEP, sha256: checkpointHash },
    },
  }, out);
  const json = await Deno.stat(new URL(weightsPath.href.replace(/\.bin$/, ".json")));
  console.log(
    `wrote ${weightsPath.pathname.replace(/\.bin$/, ".json")} (${json.size} bytes) and ` +
      `${weightsPath.pathname} (${header.weights.bytes} bytes, sha256 ${header.weights.sha256})`,
  );
  // Read it back: the file must load and give the same held-out loss.
  const loaded = await loadMlp(out);
  const again = loaded.model.meanLoss(data.validation);
  if (again !== validationLoss) {
    throw new Error(`the saved model gives validation loss ${again}, not ${validationLoss}`);
  }
  if (compare) {
    for (const n of [1, 2, 3]) {
      const model = countLanguageModel(data.trainSentences, data.vocabulary, { n });
      console.log(
        `${n}-gram (interpolated): ${model.evaluate(data.heldOutSentences).perplexity.toFixed(2)}`,
      );
    }
  }
  console.log(`total ${seconds(performance.now() - started)}`);
}

if (import.meta.main) {
  try {
    await main(Deno.args);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    Deno.exit(1);
  }
}
