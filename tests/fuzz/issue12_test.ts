/**
 * Every reproducer of project issue 12 ("the README's promise, tried as a hostile tester would"),
 * one step each: it now throws the right class naming the parameter, or returns the right finite
 * value, quickly.
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  barChart,
  bigramLoss,
  bigramProbabilities,
  categoricalSampler,
  chiSquaredTest,
  countBigrams,
  countClasses,
  countModelLoss,
  crossEntropy,
  defaultLambdas,
  distinctNGramRatio,
  entropy,
  formatNumber,
  frequencies,
  generate,
  jsonForHtml,
  lensArea,
  lineChart,
  markedCurveChart,
  sampleIndex,
  sideBySideChart,
  sliderBarChart,
  softmax,
  softmaxInto,
  splitByFile,
  trainBigram,
  trainNGram,
} from "../../lib/mod.ts";
import { MAX_LENGTH } from "../../lib/_validate.ts";
import { assertClose } from "../_helpers.ts";

/** Asserts `run` throws exactly `type` with a message matching `message`, in under a second. */
function throwsQuickly(run: () => unknown, type: ErrorConstructor, message: RegExp): void {
  const start = performance.now();
  assert.throws(run, (e: unknown) => {
    assert.equal((e as Error).constructor, type, String(e));
    assert.match((e as Error).message, message);
    return true;
  });
  assert.ok(performance.now() - start < 1000, "took a second or more");
}

const labels150k = Array.from({ length: 150_000 }, (_, i) => `w${i}`);
const values150k = new Float64Array(150_000).fill(0.5);
const tinyCounts = () => countBigrams([["a", "b"], ["b"]]);

Deno.test("issue 12: no crash that kills the kernel", async (t) => {
  await t.step("defaultLambdas(2 ** 32 - 1) is a RangeError, not an invalid table size", () => {
    throwsQuickly(() => defaultLambdas(2 ** 32 - 1), RangeError, /^`n` must be at most 33554432/);
  });
  await t.step("countClasses([], 2 ** 31) is a RangeError before allocating 16 GB", () => {
    throwsQuickly(() => countClasses([], 2 ** 31), RangeError, /^`classes` must be at most/);
  });
  await t.step("MAX_LENGTH itself is still allowed", () => {
    assert.equal(countClasses([], 3).length, 3);
    assert.equal(MAX_LENGTH, 2 ** 25);
  });
});

Deno.test("issue 12: no NaN returned", async (t) => {
  await t.step("lensArea(1e200, 1e200, 1e200): the area overflows, a RangeError", () => {
    throwsQuickly(() => lensArea(1e200, 1e200, 1e200), RangeError, /^`r1` must be small enough/);
  });
  await t.step("lensArea of huge circles that fit is finite", () => {
    assertClose(lensArea(1e150, 1e150, 2e150) / 1e300, 0, 1e-12);
    assertClose(lensArea(1e150, 1e150, 1e150) / 1e300, 2 * Math.PI / 3 - Math.sqrt(3) / 2, 1e-12);
  });
  await t.step("chiSquaredTest([1e308, 1e308], [0.5, 0.5]): counts must be safe integers", () => {
    throwsQuickly(
      () => chiSquaredTest([1e308, 1e308], [0.5, 0.5]),
      RangeError,
      /^`counts\[0\]` must be a safe integer/,
    );
  });
  await t.step("countModelLoss(countBigrams([])): empty counts are an error, not 0/0", () => {
    throwsQuickly(
      () => countModelLoss(countBigrams([])),
      RangeError,
      /^`counts` must hold at least one bigram/,
    );
  });
  await t.step("bigramLoss and trainBigram on empty counts", () => {
    const empty = countBigrams([]);
    throwsQuickly(() => bigramLoss(new Float64Array(4), empty), RangeError, /^`counts` must hold/);
    throwsQuickly(() => trainBigram(empty), RangeError, /^`counts` must hold/);
  });
  await t.step("bigramLoss with NaN weights", () => {
    const counts = tinyCounts();
    throwsQuickly(
      () => bigramLoss(new Float64Array(counts.size ** 2).fill(NaN), counts),
      RangeError,
      /^`weights\[0\]` must be a finite number, got NaN/,
    );
  });
  await t.step("trainBigram with NaN initial weights", () => {
    const counts = tinyCounts();
    throwsQuickly(
      () => trainBigram(counts, { initialWeights: new Float64Array(counts.size ** 2).fill(NaN) }),
      RangeError,
      /^`initialWeights\[0\]` must be a finite number, got NaN/,
    );
  });
  await t.step("trainBigram with learningRate 1e308: diverging is an error naming it", () => {
    throwsQuickly(
      () => trainBigram(tinyCounts(), { learningRate: 1e308, steps: 20 }),
      RangeError,
      /^`learningRate` must be small enough for training to converge/,
    );
  });
  await t.step("bigramLoss of weights 1e308 apart is finite or Infinity, never NaN", () => {
    const counts = tinyCounts();
    const spread = Float64Array.from(
      { length: counts.size ** 2 },
      (_, k) => k % 2 ? 1e308 : -1e308,
    );
    const loss = bigramLoss(spread, counts);
    assert.ok(!Number.isNaN(loss) && loss >= 0);
    assert.ok(!Number.isNaN(bigramLoss(spread, counts, Infinity)));
  });
  await t.step("distinctNGramRatio(['a'], 2): no n-grams is a RangeError, not 0/0", () => {
    throwsQuickly(
      () => distinctNGramRatio(["a"], 2),
      RangeError,
      /^`tokens` must hold at least `n` = 2 tokens/,
    );
  });
  await t.step("chart yRange [NaN, 1] and color NaN do not reach the figure", () => {
    const steps = [{ label: "x", values: [1] }];
    throwsQuickly(
      () => sliderBarChart({ title: "t", labels: ["a"], steps, yRange: [NaN, 1] }),
      RangeError,
      /^`yRange\[0\]` must be a finite number, got NaN/,
    );
    throwsQuickly(
      () =>
        markedCurveChart({
          title: "t",
          curveName: "c",
          x: [1],
          y: [1],
          points: [],
          yRange: [1, NaN],
        }),
      RangeError,
      /^`yRange\[1\]` must be a finite number, got NaN/,
    );
    throwsQuickly(
      () => barChart({ title: "t", labels: ["a"], values: [1], color: NaN as unknown as string }),
      TypeError,
      /^`color` must be a colour string or an array of them, got NaN/,
    );
  });
});

Deno.test("issue 12: no wrong answer without an error", async (t) => {
  await t.step("frequencies([1e308, 1e308]) is [0.5, 0.5]", () => {
    assert.deepEqual([...frequencies([1e308, 1e308])], [0.5, 0.5]);
    // Scaled by the largest count first: the ratios 1 : 1 : 0 : 0.2 over 2.2.
    assertClose(frequencies([1e308, 1e308, 0, 2e307]), [1 / 2.2, 1 / 2.2, 0, 0.2 / 2.2], 1e-15);
  });
  await t.step("softmax([1e308, -1e308], 1e308) is about [0.88, 0.12] (divide first)", () => {
    const expected = [1 / (1 + Math.exp(-2)), Math.exp(-2) / (1 + Math.exp(-2))];
    assertClose(softmax([1e308, -1e308], 1e308), expected, 1e-15);
    assertClose(softmaxInto(new Float64Array(2), [1e308, -1e308], 1e308), expected, 1e-15);
  });
  await t.step("add-k with k = 1e308 gives a distribution summing to 1 (near uniform)", () => {
    const model = trainNGram([["a", "b"], ["b"]], 2);
    const list = model.distribution(["a"], { method: "add-k", k: 1e308 });
    assertClose(list.reduce((s, w) => s + w.probability, 0), 1, 1e-12);
    assertClose(model.probability(["a"], "b", { method: "add-k", k: 1e308 }), 1 / 4, 1e-12);
  });
  await t.step("lensArea(1e-15, 1, 1) is positive: about half the small circle", () => {
    const area = lensArea(1e-15, 1, 1);
    assert.ok(area > 0);
    assertClose(area / (Math.PI * 1e-30 / 2), 1, 1e-9);
  });
  await t.step("array-likes with an impossible length are rejected", () => {
    throwsQuickly(
      () => softmax({ length: -1 } as unknown as number[]),
      RangeError,
      /^`logits.length` must be an integer >= 0, got -1/,
    );
    throwsQuickly(
      () => entropy({ length: 0.5, 0: 1 } as unknown as number[]),
      RangeError,
      /^`probs.length` must be an integer >= 0, got 0.5/,
    );
    throwsQuickly(
      () => categoricalSampler({ length: 1.5, 0: 1 } as unknown as number[]),
      RangeError,
      /^`probs.length` must be an integer >= 0, got 1.5/,
    );
    throwsQuickly(
      () => softmax({ length: 2 ** 32 } as unknown as number[]),
      RangeError,
      /^`logits` must have at most 33554432 entries/,
    );
  });
  await t.step("categoricalSampler never draws undefined", () => {
    const draw = categoricalSampler({ length: 2, 0: 0.25, 1: 0.75 });
    for (const u of [0, 0.3, 0.999]) assert.ok([0, 1].includes(draw(() => u)));
  });
});

Deno.test("issue 12: every message names the public parameter", async (t) => {
  await t.step("objects without a prototype: no 'Cannot convert object to primitive value'", () => {
    throwsQuickly(
      () => softmax(Object.create(null)),
      TypeError,
      /^`logits` must be an array of numbers, got \{\}/,
    );
    throwsQuickly(
      () => splitByFile(Object.create(null)),
      TypeError,
      /^`files` must be an array, got \{\}/,
    );
  });
  await t.step("a random that is not a function: no 'random is not a function'", () => {
    throwsQuickly(
      () => sampleIndex([1], 5 as never),
      TypeError,
      /^`random` must be a function, got 5/,
    );
    throwsQuickly(
      () => categoricalSampler([1])(null as never),
      TypeError,
      /^`random` must be a function/,
    );
  });
  await t.step("bigints: no 'Do not know how to serialize a BigInt'", () => {
    throwsQuickly(() => jsonForHtml(1n), TypeError, /^`value` must be serialisable as JSON/);
    throwsQuickly(
      () => barChart({ title: 1n as unknown as string, labels: ["a"], values: [1] }),
      TypeError,
      /^`title` must be a string, got 1n/,
    );
    throwsQuickly(
      () => trainNGram([["a"]], 2).probability([], "a", { method: 1n } as never),
      TypeError,
      /^`smoothing.method` must be a string, got 1n/,
    );
  });
  await t.step("a next() returning a string: no 'Invalid value used as weak map key'", () => {
    throwsQuickly(
      () => generate(() => "ab" as never, { length: 2, random: () => 0.5 }),
      TypeError,
      /^`next` must return an array of \{ word, probability \}, got "ab"/,
    );
  });
  await t.step("150,000 labels: no stack overflow from Math.max(...values)", () => {
    const start = performance.now();
    const slider = sliderBarChart({
      title: "t",
      labels: labels150k,
      steps: [{ label: "x", values: values150k }],
    });
    const bars = barChart({ title: "t", labels: labels150k, values: values150k });
    const both = sideBySideChart(bars, bars, { title: "both" });
    const line = lineChart({
      title: "t",
      x: values150k.map((_, i) => i),
      series: [{ name: "y", values: values150k }],
    });
    assert.deepEqual((slider.figure.layout.yaxis as { range: number[] }).range, [0, 0.54]);
    assert.deepEqual((both.figure.layout.yaxis as { range: number[] }).range, [0, 0.54]);
    assert.equal(line.figure.data[0]!.y!.length, 150_000);
    assert.ok(performance.now() - start < 10_000);
  });
  await t.step("a wrong type is a TypeError, not a RangeError", () => {
    throwsQuickly(() => lensArea("1" as never, 1, 1), TypeError, /^`r1` must be a number, got "1"/);
    throwsQuickly(() => trainNGram([["a"]], "2" as never), TypeError, /^`n` must be a number/);
    throwsQuickly(() => splitByFile("ab" as never), TypeError, /^`files` must be an array/);
    throwsQuickly(() => countClasses([0], "3" as never), TypeError, /^`classes` must be a number/);
    throwsQuickly(
      () => distinctNGramRatio(["a"], "1" as never),
      TypeError,
      /^`n` must be a number/,
    );
    throwsQuickly(
      () => countBigrams([["a"]], { vocabularySize: "9" as never }),
      TypeError,
      /^`vocabularySize` must be a number/,
    );
    throwsQuickly(
      () => trainBigram(tinyCounts(), { learningRate: "1" as never }),
      TypeError,
      /^`learningRate` must be a number/,
    );
    throwsQuickly(
      () => bigramProbabilities([0], "1" as never),
      TypeError,
      /^`size` must be a number/,
    );
    throwsQuickly(
      () => trainNGram([["a"]], 2).probability([], "a", { method: "add-k", k: "1" } as never),
      TypeError,
      /^`k` must be a number/,
    );
  });
  await t.step("wrong types are no longer accepted silently", () => {
    const next = () => [{ word: "a", probability: 1 }];
    throwsQuickly(
      () => generate(next, { length: 1, random: () => 0.5, prompt: "ab" as never }),
      TypeError,
      /^`prompt` must be an array of strings, got "ab"/,
    );
    throwsQuickly(
      () => generate(next, { length: 1, random: () => 0.5, end: 5 as never }),
      TypeError,
      /^`end` must be a string, got 5/,
    );
    throwsQuickly(
      () => formatNumber("1" as never),
      TypeError,
      /^`value` must be a number, got "1"/,
    );
    throwsQuickly(
      () => barChart({ title: 5 as never, labels: ["a"], values: [1] }),
      TypeError,
      /^`title` must be a string, got 5/,
    );
    throwsQuickly(
      () =>
        lineChart({
          title: "t",
          x: [1],
          series: [{ name: "y", values: [1] }],
          logX: "yes" as never,
        }),
      TypeError,
      /^`logX` must be true or false/,
    );
  });
  await t.step("internal names do not leak: `weights`, not `logits`; `next`, not `probs`", () => {
    throwsQuickly(
      () => bigramProbabilities([0, 0, -Infinity, -Infinity], 2),
      RangeError,
      /^`weights\[2\]` must be a finite number/,
    );
    throwsQuickly(
      () => generate(() => [{ word: "a", probability: 2 }], { length: 1, random: () => 0.5 }),
      RangeError,
      /^`next\(context\)\[0\].probability` must be a probability/,
    );
    throwsQuickly(
      () => generate(() => [{ word: "a", probability: 0.5 }], { length: 1, random: () => 0.5 }),
      RangeError,
      /^the probabilities `next\(context\)` returns must sum to 1/,
    );
    throwsQuickly(
      () => crossEntropy([0.5, 0.5], 2),
      RangeError,
      /^`target` must be an integer in \[0, 1\]/,
    );
  });
  await t.step("no 'size² = NaN': forged counts are checked", () => {
    throwsQuickly(
      () =>
        bigramLoss([1], {
          tokens: [],
          size: NaN,
          counts: new Float64Array(),
          rowTotals: new Float64Array(),
          total: 0,
        }),
      RangeError,
      /^`counts.size` must be an integer in \[1, 5792\], got NaN/,
    );
  });
});
