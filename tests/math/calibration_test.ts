import assert from "node:assert/strict";
import fc from "fast-check";
import {
  crossEntropyFromLogits,
  expectedCalibrationError,
  fitTemperature,
  logSoftmax,
  predictionConfidences,
  reliabilityDiagram,
  temperatureScaledNll,
} from "../../lib/mod.ts";
import { ARTICLE_PROBS, assertClose } from "../_helpers.ts";

Deno.test("reliabilityDiagram() groups predictions by confidence", async (t) => {
  await t.step("hand-computed, 2 bins", () => {
    const bins = reliabilityDiagram([0.9, 0.8, 0.6, 0.3], [true, false, true, true], 2);
    assert.deepEqual(bins[0], { lower: 0, upper: 0.5, count: 1, meanConfidence: 0.3, accuracy: 1 });
    assert.equal(bins[1]!.count, 3);
    assertClose(bins[1]!.meanConfidence, 2.3 / 3, 1e-15);
    assert.equal(bins[1]!.accuracy, 2 / 3);
  });
  await t.step("edges: [b/B, (b+1)/B), 1 in the last bin, 0 in the first", () => {
    const bins = reliabilityDiagram([0, 0.5, 1], [1, 1, 0], 2);
    assert.deepEqual(bins.map((b) => b.count), [1, 2]);
    assert.equal(bins[1]!.accuracy, 0.5);
  });
  await t.step("empty bins: count 0, NaN mean and accuracy", () => {
    const bins = reliabilityDiagram([0.95], [1], 4);
    assert.deepEqual(bins.map((b) => b.count), [0, 0, 0, 1]);
    assert.ok(Number.isNaN(bins[0]!.meanConfidence) && Number.isNaN(bins[0]!.accuracy));
    assert.deepEqual(bins.map((b) => b.lower), [0, 0.25, 0.5, 0.75]);
  });
  await t.step("counts add up to N", () => {
    fc.assert(fc.property(
      fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.boolean()), {
        minLength: 1,
        maxLength: 40,
      }),
      fc.integer({ min: 1, max: 20 }),
      (pairs, B) => {
        const bins = reliabilityDiagram(pairs.map((p) => p[0]), pairs.map((p) => p[1]), B);
        assert.equal(bins.reduce((n, b) => n + b.count, 0), pairs.length);
        for (const b of bins) {
          if (b.count > 0) assert.ok(b.meanConfidence >= b.lower && b.meanConfidence <= b.upper);
        }
      },
    ));
  });
});

Deno.test("expectedCalibrationError() matches hand and numpy values", async (t) => {
  await t.step("hand-computed: 0.25", () => {
    assertClose(expectedCalibrationError([0.9, 0.8, 0.6, 0.3], [1, 0, 1, 1], 2), 0.25, 1e-15);
  });
  await t.step("numpy: 20 predictions, 5 bins: 0.20099999999999998", () => {
    // numpy: c = (i * 0.37) % 1, correct = i % 3 != 0, bins by floor(c * 5) capped at 4.
    const c = Array.from({ length: 20 }, (_, i) => (i * 0.37) % 1);
    const right = Array.from({ length: 20 }, (_, i) => i % 3 !== 0);
    assertClose(expectedCalibrationError(c, right, 5), 0.20099999999999998, 1e-15);
  });
  await t.step("always 90% sure and always wrong: 0.9", () => {
    assertClose(expectedCalibrationError([0.9, 0.9, 0.9], [0, 0, 0]), 0.9, 1e-15);
  });
  await t.step("right as often as it says: 0", () => {
    assert.equal(expectedCalibrationError([0.75, 0.75, 0.75, 0.75], [1, 1, 1, 0]), 0);
  });
  await t.step("one bin: |accuracy − mean confidence|", () => {
    assertClose(expectedCalibrationError([0.2, 0.6], [1, 1], 1), 0.6, 1e-15);
  });
  await t.step("inputs not mutated", () => {
    const c = Object.freeze([0.2, 0.6]);
    const r = Object.freeze([true, false]);
    expectedCalibrationError(c, r);
    assert.deepEqual([c, r], [[0.2, 0.6], [true, false]]);
  });
});

Deno.test("expectedCalibrationError() and reliabilityDiagram() reject bad input", async (t) => {
  await t.step("a confidence above 1", () => {
    assert.throws(() => expectedCalibrationError([1.5], [1]), {
      name: "RangeError",
      message: "`confidences[0]` must be in [0, 1], got 1.5",
    });
  });
  await t.step("lengths differ", () => {
    assert.throws(
      () => expectedCalibrationError([0.5, 0.5], [1]),
      /`correct` must have one entry per confidence \(2\), got 1/,
    );
  });
  await t.step("correct holds something else: TypeError", () => {
    assert.throws(() => reliabilityDiagram([0.5], [2]), {
      name: "TypeError",
      message: "`correct[0]` must be true, false, 1 or 0, got 2",
    });
  });
  await t.step("bins 0", () => {
    assert.throws(() => reliabilityDiagram([0.5], [1], 0), /`bins` must be an integer >= 1, got 0/);
  });
  await t.step("empty confidences", () => {
    assert.throws(() => reliabilityDiagram([], []), /`confidences` must not be empty/);
  });
});

// A small held-out set: logit rows and true classes (numpy values below).
const ROWS = [[2, 1, 0], [0.5, 1.5, -1], [3, 0, 0], [1, 1, 2], [0, 2.5, 1], [1.2, 0.3, 0.9]];
const TARGETS = [0, 0, 0, 2, 1, 2];

Deno.test("temperatureScaledNll() and predictionConfidences()", async (t) => {
  await t.step("T = 1: mean crossEntropyFromLogits (numpy: 0.6260221217701997)", () => {
    const mean = ROWS.reduce((s, x, r) => s + crossEntropyFromLogits(x, TARGETS[r]!), 0) / 6;
    assertClose(temperatureScaledNll(ROWS, TARGETS, 1), mean, 1e-15);
    assertClose(temperatureScaledNll(ROWS, TARGETS, 1), 0.6260221217701997, 1e-15);
  });
  await t.step("any T: mean of −logSoftmax(x, T)[t]", () => {
    for (const T of [0.1, 0.7, 3, 50]) {
      const mean = ROWS.reduce((s, x, r) => s - logSoftmax(x, T)[TARGETS[r]!]!, 0) / 6;
      assertClose(temperatureScaledNll(ROWS, TARGETS, T), mean, 1e-12);
    }
  });
  await t.step("large logits stay finite", () => {
    assertClose(temperatureScaledNll([[1000, 0]], [1], 1), 1000, 1e-12);
  });
  await t.step("masked logits are allowed when not the target", () => {
    assertClose(temperatureScaledNll([[0, -Infinity, 0]], [0], 1), Math.LN2, 1e-15);
  });
  await t.step("confidences: max softmax; correct: first argmax is the target", () => {
    const { confidences, correct } = predictionConfidences([ARTICLE_PROBS.map(Math.log)], [2]);
    assertClose(confidences[0]!, 0.4, 1e-15);
    assert.deepEqual(correct, [true]);
    const ties = predictionConfidences([[1, 1]], [1]);
    assert.deepEqual([ties.confidences[0], ties.correct], [0.5, [false]]);
  });
  await t.step("temperature changes confidences, never correctness", () => {
    const sharp = predictionConfidences(ROWS, TARGETS, 0.5);
    const flat = predictionConfidences(ROWS, TARGETS, 2);
    assert.deepEqual(sharp.correct, flat.correct);
    sharp.confidences.forEach((c, r) => assert.ok(c > flat.confidences[r]!));
  });
});

Deno.test("fitTemperature() finds the temperature of least held-out loss", async (t) => {
  await t.step("[1, 0] right 3 times in 4: T* = 1 / ln 3 (hand-computed)", () => {
    const fit = fitTemperature([[1, 0], [1, 0], [1, 0], [1, 0]], [0, 0, 0, 1]);
    assertClose(fit.temperature, 1 / Math.log(3), 1e-4);
    assertClose(fit.meanNll, -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25)), 1e-9);
  });
  await t.step("numpy grid search: T* = 0.6770378824900692, NLL 0.593972536853008", () => {
    // numpy: NLL(T) on a grid of 2,000,001 points of ln T in [ln 0.05, ln 20], refined 200,001.
    const fit = fitTemperature(ROWS, TARGETS);
    assert.ok(Math.abs(Math.log(fit.temperature / 0.6770378824900692)) < 1e-4);
    assertClose(fit.meanNll, 0.593972536853008, 1e-9);
  });
  await t.step("no worse than T = 1 or nearby temperatures", () => {
    const fit = fitTemperature(ROWS, TARGETS);
    for (const T of [1, fit.temperature * 1.01, fit.temperature / 1.01]) {
      assert.ok(fit.meanNll <= temperatureScaledNll(ROWS, TARGETS, T));
    }
  });
  await t.step("about 25 evaluations with the default bracket and tolerance", () => {
    const fit = fitTemperature(ROWS, TARGETS);
    assert.ok(fit.evaluations >= 20 && fit.evaluations <= 30, String(fit.evaluations));
  });
  await t.step("a minimum outside the bracket gives its nearest end", () => {
    // Always right: the loss keeps falling as T → 0.
    const fit = fitTemperature([[2, 0], [0, 2]], [0, 1], { lower: 0.5, upper: 4 });
    assertClose(fit.temperature, 0.5, 1e-3);
  });
  await t.step("a looser tolerance takes fewer evaluations", () => {
    const loose = fitTemperature(ROWS, TARGETS, { tolerance: 0.1 });
    assert.ok(loose.evaluations < fitTemperature(ROWS, TARGETS).evaluations);
    assert.ok(Math.abs(Math.log(loose.temperature / 0.6770378824900692)) < 0.05);
  });
  await t.step("inputs not mutated", () => {
    const rows = Object.freeze(ROWS.map((r) => Object.freeze([...r])));
    fitTemperature(rows, Object.freeze([...TARGETS]), { tolerance: 0.1 });
    assert.deepEqual(rows, ROWS);
  });
});

Deno.test("fitTemperature() and temperatureScaledNll() reject bad input", async (t) => {
  await t.step("a masked target", () => {
    assert.throws(
      () => fitTemperature([[0, -Infinity]], [1]),
      /^RangeError: `logits\[0\]\[1\]` \(the target of row 0\) is -Infinity/,
    );
  });
  await t.step("a target out of range", () => {
    assert.throws(
      () => temperatureScaledNll([[0, 1]], [2], 1),
      /`targets\[0\]` must be an integer in \[0, 1\], got 2/,
    );
  });
  await t.step("lengths differ", () => {
    assert.throws(
      () => fitTemperature([[0, 1]], [0, 1]),
      /`targets` must have one entry per row of `logits` \(1\), got 2/,
    );
  });
  await t.step("no rows", () => {
    assert.throws(() => fitTemperature([], []), /`logits` must hold at least one row/);
  });
  await t.step("T = 0 in temperatureScaledNll", () => {
    assert.throws(
      () => temperatureScaledNll([[0, 1]], [0], 0),
      /`temperature` must be a finite number > 0, got 0/,
    );
  });
  await t.step("upper below lower", () => {
    assert.throws(
      () => fitTemperature([[0, 1]], [0], { lower: 2, upper: 1 }),
      /`upper` must be a finite number > 2, got 1/,
    );
  });
  await t.step("tolerance 0", () => {
    assert.throws(
      () => fitTemperature([[0, 1]], [0], { tolerance: 0 }),
      /`tolerance` must be a finite number > 0, got 0/,
    );
  });
  await t.step("a row with NaN", () => {
    assert.throws(() => fitTemperature([[0, NaN]], [0]), /`logits\[0\]\[1\]` must be finite/);
  });
  await t.step("logits not an array: TypeError", () => {
    assert.throws(() => fitTemperature("x" as unknown as number[][], [0]), TypeError);
  });
});
