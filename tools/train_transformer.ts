/**
 * `deno task train transformer [--out path] [--quick] [--threads n]`: trains the transformer
 * language model from its seed and writes its weights (default models/transformer.json +
 * models/transformer.bin, the committed files). tools/train.ts hands the `transformer` model here.
 *
 * The run is {@linkcode TRANSFORMER_RUN} in lib/nn/transformer_run.ts: the same settings give the
 * same weights, bit for bit, whatever the load and the thread count (the SHA-256 of the weights is
 * printed at the end, to compare two runs). `--quick` runs {@linkcode QUICK_TRANSFORMER_RUN}
 * (seconds; never committed). `--threads` sets gemm's threads (default 2, at most the number of
 * cores; the numbers do not depend on it). After training it scores the whole held-out text with the transformer, with the
 * interpolated unigram, bigram and trigram count models on the same vocabulary, and with a mixture
 * of the transformer and the trigram, and stores the results in the header.
 *
 * @module
 */

import { defaultGemmThreads, useGemmThreads } from "../lib/nn/kernels.ts";
import { warmupCosine } from "../lib/nn/optimizer.ts";
import { scoringWindows } from "../lib/nn/transformer.ts";
import {
  DEFAULT_TRANSFORMER_PATH,
  loadTransformer,
  saveTransformer,
  type TransformerResults,
} from "../lib/nn/transformer_file.ts";
import {
  loadTransformerRunData,
  QUICK_TRANSFORMER_RUN,
  startTransformerRun,
  TRANSFORMER_RUN,
  type TransformerRunSettings,
} from "../lib/nn/transformer_run.ts";
import {
  countLanguageModel,
  evaluationFromProbabilities,
  type LanguageModelEvaluation,
} from "../lib/text/language_model.ts";
import { unknownRate } from "../lib/text/vocabulary.ts";

/** Parsed command line of the transformer. */
export interface TrainTransformerArgs {
  /** Where to write the header (`.json`). */
  out: string | URL;
  /** The run's settings. */
  settings: TransformerRunSettings;
  /** gemm threads. */
  threads: number;
}

const USAGE = "Usage: deno task train transformer [--out path.json] [--quick] [--threads n]";

/**
 * Parses the arguments after `transformer`.
 *
 * @param args E.g. `["--quick", "--out", "/tmp/t.json"]`.
 * @returns What to train, where to write it, how many threads.
 * @throws {RangeError} On an unknown option or a missing value.
 */
export function parseTrainTransformerArgs(args: readonly string[]): TrainTransformerArgs {
  let out: string | undefined;
  let quick = false;
  let threads = defaultGemmThreads();
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--out") {
      out = args[++i];
      if (out === undefined) throw new RangeError("`--out` needs a path ending in .json");
    } else if (arg === "--quick") quick = true;
    else if (arg === "--threads") {
      threads = Number(args[++i]);
      if (!Number.isInteger(threads) || threads < 1 || threads > 64) {
        throw new RangeError(`\`--threads\` must be an integer in [1, 64], got ${args[i]}`);
      }
    } else throw new RangeError(`Unknown option \`${arg}\`. ${USAGE}`);
  }
  if (quick && out === undefined) {
    throw new RangeError(
      "`--quick` needs `--out`: the quick run must not replace models/transformer.*",
    );
  }
  return {
    out: out ?? DEFAULT_TRANSFORMER_PATH,
    settings: quick ? QUICK_TRANSFORMER_RUN : TRANSFORMER_RUN,
    threads,
  };
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function format(name: string, e: LanguageModelEvaluation): string {
  return `${name}: mean NLL ${e.meanNll.toFixed(4)}, perplexity ${e.perplexity.toFixed(2)}`;
}

/**
 * Trains, scores and saves the transformer (the body of `deno task train transformer`).
 *
 * @param args The arguments after `transformer`.
 */
export async function trainTransformer(args: readonly string[]): Promise<void> {
  const { out, settings, threads } = parseTrainTransformerArgs(args);
  const started = performance.now();
  await useGemmThreads(threads);
  const data = await loadTransformerRunData(settings);
  const unknown = unknownRate(data.vocabulary, data.heldOutSentences);
  console.log(
    `data: ${data.train.length - 1} training tokens, ${data.heldOut.length - 1} held-out tokens ` +
      `(${(100 * unknown.rate).toFixed(1)}% <unk> at V = ${settings.vocabularyWords}); ` +
      `${seconds(performance.now() - started)}`,
  );
  const trainer = startTransformerRun(settings, data);
  const { steps, batchSize } = settings.training;
  const t = settings.config.contextSize;
  console.log(
    `model: ${trainer.model.parameterCount} parameters; ${steps} steps of ${batchSize} windows ` +
      `of ${t} tokens; ${threads} gemm thread(s)`,
  );
  const trainStart = performance.now();
  trainer.run(undefined, (step, loss) => {
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
          `${seconds(elapsed)}  ${Math.round((step * batchSize * t) / (elapsed / 1000))} tokens/s` +
          (last?.step === step ? `  validation ${last.loss.toFixed(4)}` : ""),
      );
    }
  });
  const trainTime = performance.now() - trainStart;
  console.log(
    `trained in ${seconds(trainTime)} (${
      Math.round((steps * batchSize * t) / (trainTime / 1000))
    } tokens/s, validation passes included)`,
  );
  const scoreStart = performance.now();
  const model = trainer.model;
  const stride = settings.evaluationStride;
  const logProbabilities = model.streamLogProbabilities(data.heldOut, { stride });
  const transformerP = logProbabilities.map(Math.exp);
  const heldOut = evaluationFromProbabilities(transformerP);
  const counts = [1, 2, 3].map((n) => {
    const count = countLanguageModel(data.trainSentences, data.vocabulary, { n });
    return count.tokenProbabilities(data.heldOutSentences);
  });
  const trigramP = counts[2]!;
  const [unigram, bigram, trigram] = counts.map(evaluationFromProbabilities) as [
    LanguageModelEvaluation,
    LanguageModelEvaluation,
    LanguageModelEvaluation,
  ];
  // The validation slice's tokens: every k-th scoring window, as positions in the stream.
  const validationTokens: number[] = [];
  scoringWindows(data.heldOut.length, t, stride).forEach((w, i) => {
    if (i % settings.validationEvery !== 0) return;
    for (let j = w.from; j < w.length; j++) validationTokens.push(w.start + j); // target − 1
  });
  const mixed = (weight: number, at: Iterable<number>) =>
    Float64Array.from(at, (i) => weight * transformerP[i]! + (1 - weight) * trigramP[i]!);
  let transformerWeight = 0.5;
  let best = Infinity;
  for (let k = 10; k <= 19; k++) {
    const weight = k / 20;
    const { meanNll } = evaluationFromProbabilities(mixed(weight, validationTokens));
    if (meanNll < best) [best, transformerWeight] = [meanNll, weight];
  }
  const all = Array.from({ length: transformerP.length }, (_, i) => i);
  const results: TransformerResults = {
    validationLoss: trainer.history.validation.at(-1)?.loss ?? trainer.validationLoss(),
    heldOut,
    unigram,
    bigram,
    trigram,
    mixture: {
      transformerWeight,
      heldOut: evaluationFromProbabilities(mixed(transformerWeight, all)),
    },
  };
  console.log(format("transformer", heldOut));
  console.log(format("unigram", unigram));
  console.log(format("bigram (interpolated)", bigram));
  console.log(format("trigram (interpolated)", trigram));
  console.log(format(`mixture ${transformerWeight} transformer`, results.mixture.heldOut));
  console.log(`scored in ${seconds(performance.now() - scoreStart)}`);
  const { header, weightsPath } = await saveTransformer(model, {
    settings,
    history: trainer.history,
    results,
  }, out);
  console.log(
    `wrote ${weightsPath.pathname.replace(/\.bin$/, ".json")} and ${weightsPath.pathname} ` +
      `(${header.weights.bytes} bytes, sha256 ${header.weights.sha256})`,
  );
  // Read it back: the file must load and give the same validation loss.
  const loaded = await loadTransformer(out);
  const again = loaded.model.streamLogProbabilities(data.heldOut, {
    stride,
    every: settings.validationEvery,
  });
  const againLoss = -again.reduce((s, x) => s + x, 0) / again.length;
  if (againLoss !== results.validationLoss) {
    throw new Error(
      `the saved model gives validation loss ${againLoss}, not ${results.validationLoss}`,
    );
  }
  console.log(`total ${seconds(performance.now() - started)}`);
}

if (import.meta.main) {
  try {
    await trainTransformer(Deno.args);
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    Deno.exit(1);
  }
}
