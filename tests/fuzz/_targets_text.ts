/**
 * Fuzz targets for lib/text/ (the files of issue 12: corpus, ngram, bigram_model, generate,
 * repetition; tokens.ts holds only constants): every export and every public NGramModel method.
 *
 * @module
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import {
  BROWN_CATEGORIES,
  brownFiles,
  brownSentences,
  parseBrownText,
  splitByFile,
} from "../../lib/text/corpus.ts";
import { defaultLambdas, type Smoothing, trainNGram } from "../../lib/text/ngram.ts";
import {
  bigramGradient,
  bigramLoss,
  bigramProbabilities,
  countBigrams,
  countedProbabilities,
  countModelLoss,
  trainBigram,
} from "../../lib/text/bigram_model.ts";
import { decodingDistribution, generate } from "../../lib/text/generate.ts";
import { distinctNGramRatio, repeatingCycle } from "../../lib/text/repetition.ts";
import { EOS, UNK } from "../../lib/text/tokens.ts";
import {
  anything,
  arrayLikeOf,
  mostly,
  optionsOf,
  probabilities,
  random,
  stringArrayOf,
  type Target,
  temperature,
  weirdNumber,
  word,
  wrongType,
} from "./_fuzz.ts";

const small = fc.oneof(fc.integer({ min: -1, max: 6 }), weirdNumber);
const words = fc.array(word, { maxLength: 6 });
const validSentences = fc.array(
  fc.array(fc.constantFrom("a", "b", "c", "the", "cat"), { maxLength: 5 }),
  { minLength: 1, maxLength: 5 },
);
const sentences = fc.oneof(
  { weight: 6, arbitrary: validSentences },
  { weight: 2, arbitrary: fc.array(stringArrayOf(words), { maxLength: 4 }) },
  {
    weight: 1,
    arbitrary: validSentences.map((s) => Object.freeze(s.map((x) => Object.freeze(x)))),
  },
  { weight: 1, arbitrary: anything },
);

const smoothing: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant({ method: "none" }),
  fc.record({ method: fc.constant("add-k"), k: mostly(fc.constantFrom(1, 0.5, 1e308, 5e-324)) }),
  fc.record({
    method: fc.constant("interpolation"),
    lambdas: fc.oneof(
      fc.constant(undefined),
      arrayLikeOf(fc.constantFrom([0.01, 0.99], [0.01, 0.3, 0.69], [0.1, 0.2, 0.3, 0.4], [1, 0])),
    ),
  }),
  fc.record({ method: fc.oneof(fc.constantFrom("add-k", "Laplace"), wrongType) }),
  anything,
);

/** The reference repeatingCycle(): the O(L²) scan it replaced. */
function naiveCycle(tokens: readonly string[]) {
  const L = tokens.length;
  let best: { period: number; start: number; length: number } | undefined;
  for (let p = 1; 2 * p <= L; p++) {
    let s = L - p;
    while (s > 0 && tokens[s - 1] === tokens[s - 1 + p]) s--;
    const length = L - s;
    if (length >= 2 * p && (best === undefined || length > best.length)) {
      best = { period: p, start: s, length };
    }
  }
  return best;
}

function rowsSumToOne(p: Float64Array, size: number): void {
  for (let i = 0; i < size; i++) {
    let s = 0;
    for (let j = 0; j < size; j++) s += p[i * size + j]!;
    assert.ok(Math.abs(s - 1) < 1e-9, `row ${i} sums to ${s}`);
  }
}

/** Counts built from fuzzed sentences, or forged / broken copies of them. */
const counts = fc.tuple(
  validSentences,
  fc.integer({ min: 1, max: 5 }),
  fc.constantFrom(
    "as is",
    "as is",
    "as is",
    "empty",
    "size NaN",
    "total 0",
    "NaN count",
    "1e308 count",
    "short",
    "no tokens",
    "frozen",
    "not an object",
  ),
).map(([s, vocabularySize, how]) => {
  const c = how === "empty" ? countBigrams([]) : countBigrams(s, { vocabularySize });
  switch (how) {
    case "size NaN":
      return { ...c, size: NaN };
    case "total 0":
      return { ...c, total: 0 };
    case "NaN count":
      return { ...c, counts: c.counts.map((x, i) => i === 0 ? NaN : x) };
    case "1e308 count":
      return { ...c, counts: c.counts.map((x, i) => i === 0 ? 1e308 : x) };
    case "short":
      return { ...c, counts: c.counts.subarray(1) };
    case "no tokens":
      return { ...c, tokens: undefined };
    case "frozen":
      return Object.freeze({ ...c, tokens: Object.freeze([...c.tokens]) });
    case "not an object":
      return "counts";
    default:
      return c;
  }
});

/** Weights for counts of size S: a recipe, applied by `weightsFor`. */
const weightsRecipe = fc.oneof(
  fc.constantFrom("zeros", "seeded", "spread 1e308", "NaN", "Infinity", "short", "frozen"),
  anything,
);

function weightsFor(recipe: unknown, countsValue: unknown): unknown {
  const size = (countsValue as { size?: unknown })?.size;
  const n = typeof size === "number" && Number.isInteger(size) && size > 0 && size < 100
    ? size * size
    : 4;
  const seeded = (k: number) => Math.sin(k * 12.9898) * 3;
  switch (recipe) {
    case "zeros":
      return new Float64Array(n);
    case "seeded":
      return Float64Array.from({ length: n }, (_, k) => seeded(k));
    case "spread 1e308":
      return Float64Array.from({ length: n }, (_, k) => (k % 2 ? 1e308 : -1e308));
    case "NaN":
      return new Float64Array(n).fill(NaN);
    case "Infinity":
      return new Float64Array(n).fill(-Infinity);
    case "short":
      return new Float64Array(Math.max(0, n - 1));
    case "frozen":
      return Object.freeze(Array.from({ length: n }, (_, k) => seeded(k)));
    default:
      return recipe;
  }
}

/** Candidate-list functions for generate(): a small model, and broken ones. */
const nextFunction = fc.constantFrom<unknown>(
  (c: readonly string[]) =>
    c.at(-1) === "a"
      ? [{ word: "b", probability: 0.6 }, { word: EOS, probability: 0.4 }]
      : [{ word: "a", probability: 1 }],
  (c: readonly string[]) =>
    c.at(-1) === "a"
      ? [{ word: "b", probability: 0.6 }, { word: EOS, probability: 0.4 }]
      : [{ word: "a", probability: 1 }],
  () => [],
  () => "ab",
  () => null,
  () => [{ word: 1, probability: 1 }],
  () => [{ word: "a", probability: 0.5 }],
  () => [{ word: "a", probability: NaN }],
  () => [{ word: "a", probability: 2 }, { word: "b", probability: -1 }],
  () => [null],
  // deno-lint-ignore no-sparse-arrays
  () => [, { word: "a", probability: 1 }],
  () => [Object.assign(Object.create(null), { word: "a", probability: 1 })],
  () => Object.freeze([Object.freeze({ word: "a", probability: 1 })]),
  "next",
  null,
);

/** The targets of lib/text/ (issue-12 files). */
export const textTargets: Target[] = [
  {
    name: "parseBrownText",
    params: ["text"],
    args: fc.tuple(
      mostly(
        fc.oneof(
          fc.string(),
          fc.array(fc.constantFrom("The/at", "jury/nn", "./.", "1/2/cd", "\n", "\t", " "))
            .map((parts) => parts.join(" ")),
        ),
      ),
    ),
    call: parseBrownText,
    check: (s: string[][]) =>
      s.forEach((sentence) => {
        assert.ok(sentence.length > 0);
        sentence.forEach((w) => assert.equal(typeof w, "string"));
      }),
  },
  {
    name: "brownFiles",
    params: ["options", "categories", "directory"],
    args: fc.tuple(
      optionsOf({
        categories: mostly(fc.subarray(["humor", "science_fiction", "poetry"], { minLength: 1 })),
        directory: fc.constantFrom<unknown>(undefined, 5, null, {}, 1n, Symbol("d")),
      }, ["categories"]),
    ),
    call: brownFiles,
    check: (files: { category: string }[]) =>
      files.forEach((f) => assert.ok(BROWN_CATEGORIES.includes(f.category))),
    weight: 0.05,
    minRuns: 8,
  },
  {
    name: "brownSentences",
    params: ["options", "categories", "directory"],
    args: fc.tuple(
      optionsOf({
        categories: mostly(fc.subarray(["humor", "science_fiction"], { minLength: 1 })),
        directory: fc.constantFrom<unknown>(undefined, 5, null),
      }, ["categories"]),
    ),
    call: brownSentences,
    weight: 0.05,
    minRuns: 8,
  },
  {
    name: "splitByFile",
    params: ["files", "options", "heldOutEvery", "offset"],
    args: fc.tuple(
      mostly(fc.array(fc.record({ id: fc.string() }), { maxLength: 12 })),
      optionsOf({ heldOutEvery: mostly(small), offset: mostly(small) }),
    ),
    call: splitByFile,
    passThrough: true, // the files come back as given, whatever they hold
    check: (r: { train: unknown[]; heldOut: unknown[] }, [files]: [unknown[]]) =>
      assert.equal(r.train.length + r.heldOut.length, files.length),
  },
  {
    name: "defaultLambdas",
    params: ["n"],
    args: fc.tuple(mostly(small)),
    call: defaultLambdas,
    check: (l: number[], [n]: [number]) => {
      assert.equal(l.length, n + 1);
      assert.ok(Math.abs(l.reduce((a, b) => a + b, 0) - 1) < 1e-9);
    },
  },
  {
    name: "trainNGram",
    params: ["sentences", "n", "options", "minCount"],
    args: fc.tuple(sentences, mostly(small), optionsOf({ minCount: mostly(small) })),
    call: (s: string[][], n: number, o: { minCount?: number }) => {
      const model = trainNGram(s, n, o);
      return { vocabulary: model.vocabulary, tokens: model.tokenCount, next: model.next([]) };
    },
    weight: 2,
  },
  ...(["count", "next", "probability", "distribution", "logProbability", "evaluate"] as const)
    .map((method): Target => ({
      name: `NGramModel.${method}`,
      params: [
        "words",
        "context",
        "word",
        "smoothing",
        "k",
        "lambdas",
        "sentence",
        "sentences",
      ],
      args: fc.tuple(
        validSentences,
        fc.integer({ min: 1, max: 3 }),
        fc.oneof(stringArrayOf(words), anything),
        mostly(word),
        fc.oneof(fc.constant(undefined), smoothing),
        fc.oneof(fc.array(stringArrayOf(words), { maxLength: 3 }), anything),
      ),
      build: ([train, n, list, w, smooth, held]) => [trainNGram(train, n), list, w, smooth, held],
      call: (
        model: ReturnType<typeof trainNGram>,
        list: string[],
        w: string,
        smooth: Smoothing,
        held: string[][],
      ) => {
        switch (method) {
          case "count":
            return model.count(list);
          case "next":
            return model.next(list);
          case "probability":
            return model.probability(list, w, smooth);
          case "distribution":
            return model.distribution(list, smooth);
          case "logProbability":
            return model.logProbability(list, smooth);
          case "evaluate":
            return model.evaluate(held, smooth);
        }
      },
      infinite: method === "logProbability" || method === "evaluate",
      check: (r: unknown) => {
        if (method === "probability") assert.ok((r as number) >= 0 && (r as number) <= 1);
        if (method === "distribution" || method === "next") {
          const list = r as { probability: number }[];
          if (list.length > 0) {
            const s = list.reduce((a, b) => a + b.probability, 0);
            assert.ok(Math.abs(s - 1) < 1e-9, `sum ${s}`);
          }
        }
      },
    })),
  {
    name: "countBigrams",
    params: ["sentences", "options", "vocabularySize", "tokens"],
    args: fc.tuple(
      sentences,
      optionsOf({
        vocabularySize: mostly(small),
        tokens: mostly(
          fc.array(word, { maxLength: 4 }).map((w) => [EOS, ...new Set(w)].concat(UNK)),
        ),
      }),
    ),
    call: countBigrams,
    check: (c: { size: number; tokens: string[]; total: number }) =>
      assert.equal(c.size, c.tokens.length),
  },
  {
    name: "bigramLoss",
    params: ["weights", "counts", "temperature"],
    args: fc.tuple(weightsRecipe, counts, mostly(temperature)),
    build: ([recipe, c, t]) => [weightsFor(recipe, c), c, t],
    call: bigramLoss,
    infinite: true,
    check: (loss: number) => assert.ok(loss >= -1e-12, `${loss}`),
    weight: 2,
  },
  {
    name: "bigramGradient",
    params: ["weights", "counts"],
    args: fc.tuple(weightsRecipe, counts),
    build: ([recipe, c]) => [weightsFor(recipe, c), c],
    call: bigramGradient,
  },
  {
    name: "bigramProbabilities",
    params: ["weights", "size", "temperature"],
    args: fc.tuple(
      weightsRecipe,
      counts,
      mostly(fc.integer({ min: 1, max: 4 })),
      mostly(temperature),
    ),
    build: ([recipe, c, size, t]) => [weightsFor(recipe, c), size, t],
    call: bigramProbabilities,
    check: (p: Float64Array, [, size]: [unknown, number]) => rowsSumToOne(p, size),
  },
  {
    name: "countedProbabilities",
    params: ["counts"],
    args: fc.tuple(counts),
    call: countedProbabilities,
    check: (p: Float64Array) => rowsSumToOne(p, Math.round(Math.sqrt(p.length))),
  },
  {
    name: "countModelLoss",
    params: ["counts"],
    args: fc.tuple(counts),
    call: countModelLoss,
    check: (loss: number) => assert.ok(loss >= 0),
  },
  {
    name: "trainBigram",
    params: [
      "counts",
      "options",
      "steps",
      "learningRate",
      "optimizer",
      "initialWeights",
      "resume",
    ],
    args: fc.tuple(
      counts,
      fc.record({
        steps: fc.oneof(fc.constant(undefined), fc.integer({ min: 0, max: 4 }), weirdNumber),
        learningRate: fc.oneof(
          fc.constant(undefined),
          fc.constantFrom(0.5, 50, 1e308, 1e300, 5e-324),
          weirdNumber,
        ),
        optimizer: fc.oneof(
          fc.constant(undefined),
          fc.constantFrom("adam", "gd", "momentum", "sgd"),
          wrongType,
        ),
        initial: fc.oneof(fc.constant(undefined), weightsRecipe),
        resume: fc.constantFrom("no", "no", "previous", "broken state", "garbage"),
      }),
    ),
    build: ([c, o]) => {
      const options: Record<string, unknown> = {
        steps: o.steps === undefined ? 3 : o.steps,
        learningRate: o.learningRate,
        optimizer: o.optimizer,
      };
      if (o.initial !== undefined) options.initialWeights = weightsFor(o.initial, c);
      if (o.resume !== "no") {
        let previous: unknown = "garbage";
        try {
          previous = trainBigram(c as never, { steps: 1 });
        } catch {
          // forged counts: resume from garbage instead
        }
        if (o.resume === "broken state" && typeof previous === "object") {
          previous = { ...previous, state: { optimizer: "adam", step: -0.5, m: [NaN], v: [-1] } };
        }
        options.resume = o.resume === "garbage" ? "garbage" : previous;
      }
      return [c, options];
    },
    call: trainBigram,
    check: (r: { losses: Float64Array }) => r.losses.forEach((l) => assert.ok(l >= -1e-12)),
    weight: 2,
  },
  {
    name: "decodingDistribution",
    params: ["probs", "options", "temperature", "topK", "topP"],
    args: fc.tuple(
      arrayLikeOf(probabilities),
      optionsOf({
        temperature: mostly(temperature),
        topK: mostly(small),
        topP: mostly(fc.constantFrom(0.5, 1, 1e-300)),
      }),
    ),
    call: decodingDistribution,
    check: (q: Float64Array) => {
      const s = q.reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(s - 1) < 1e-9, `sum ${s}`);
    },
  },
  {
    name: "generate",
    params: [
      "next",
      "options",
      "length",
      "random",
      "temperature",
      "topK",
      "topP",
      "prompt",
      "end",
    ],
    args: fc.tuple(
      nextFunction,
      optionsOf({
        length: mostly(small),
        random,
        temperature: mostly(temperature),
        topK: mostly(small),
        topP: mostly(fc.constantFrom(0.5, 1)),
        prompt: stringArrayOf(fc.array(word, { maxLength: 3 })),
        end: mostly(word),
      }, ["length", "random"]),
    ),
    call: generate,
    check: (text: string[], [, options]: [unknown, { length: number }]) =>
      assert.ok(
        text.length === options.length,
        `${text.length} tokens for length ${options.length}`,
      ),
    weight: 2,
  },
  {
    name: "distinctNGramRatio",
    params: ["tokens", "n"],
    args: fc.tuple(stringArrayOf(words), mostly(small)),
    call: distinctNGramRatio,
    check: (r: number) => assert.ok(r > 0 && r <= 1),
  },
  {
    name: "repeatingCycle",
    params: ["tokens"],
    args: fc.tuple(
      fc.oneof(
        stringArrayOf(words),
        fc.array(fc.constantFrom("a", "b"), { maxLength: 40 }),
        fc.constant(Array(20_000).fill("a")),
      ),
    ),
    call: repeatingCycle,
    check: (cycle: { period: number; start: number; length: number } | undefined, [tokens]: [
      string[],
    ]) => {
      if (tokens.length > 5000) return;
      const expected = naiveCycle(tokens);
      assert.deepEqual(
        cycle === undefined
          ? undefined
          : { period: cycle.period, start: cycle.start, length: cycle.length },
        expected,
      );
    },
  },
];
