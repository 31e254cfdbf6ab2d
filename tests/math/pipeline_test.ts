import assert from "node:assert/strict";
import fc from "fast-check";
import {
  DECODING_ORDER,
  decodingDistribution,
  decodingPipeline,
  decodingStages,
  minP,
  noRepeatNGram,
  repetitionPenalty,
  softmax,
  topK,
  topP,
} from "../../lib/mod.ts";
import { ARTICLE_PROBS, assertClose, probabilityVector, sum } from "../_helpers.ts";

const logits = ARTICLE_PROBS.map(Math.log);

Deno.test("decodingStages() applies the rules in the documented order", async (t) => {
  await t.step("the order: penalties, temperature, top-k, top-p, min-p", () => {
    assert.deepEqual(DECODING_ORDER, [
      "repetitionPenalty",
      "noRepeatNGram",
      "temperature",
      "topK",
      "topP",
      "minP",
    ]);
  });
  await t.step("every rule set gives one stage, in that order, whatever the options' order", () => {
    const stages = decodingStages(logits, {
      minP: 0.1,
      topP: 0.99,
      topK: 4,
      temperature: 0.9,
      noRepeatNGram: 2,
      repetitionPenalty: 1.1,
      previousIds: [0],
    });
    assert.deepEqual(stages.map((s) => s.rule), ["model", ...DECODING_ORDER]);
    assert.deepEqual(stages.map((s) => s.label), [
      "model",
      "repetition penalty 1.1",
      "no-repeat 2-gram",
      "temperature 0.9",
      "top-k 4",
      "top-p 0.99",
      "min-p 0.1",
    ]);
    for (const s of stages) assertClose(sum(s.probabilities), 1, 1e-12);
  });
  await t.step("article at T = 0.7 then top-k 3 (numpy)", () => {
    const [model, tempered, cut] = decodingStages(logits, { temperature: 0.7, topK: 3 });
    assertClose(model!.probabilities, ARTICLE_PROBS, 1e-15);
    // numpy: e = exp((x − max) / 0.7); e / e.sum()
    assertClose(tempered!.probabilities, [
      0.06576373614919327,
      0.024431134087502582,
      0.47651017664585643,
      0.11736684216375345,
      0.31592811095369416,
    ], 1e-15);
    // numpy: keep the 3 largest of the above and renormalise
    assertClose(cut!.probabilities, [
      0,
      0,
      0.5237497141501344,
      0.12900217675656298,
      0.3472481090933026,
    ], 1e-15);
  });
  await t.step("no options: softmax of the logits", () => {
    const stages = decodingStages([1, 2, 3]);
    assert.equal(stages.length, 1);
    assertClose(decodingPipeline([1, 2, 3]), softmax([1, 2, 3]), 0);
  });
});

Deno.test("decodingPipeline() is the composition of the rules", async (t) => {
  const options = fc.record({
    repetitionPenalty: fc.option(fc.double({ min: 0.5, max: 3, noNaN: true }), { nil: undefined }),
    noRepeatNGram: fc.option(fc.integer({ min: 2, max: 3 }), { nil: undefined }),
    temperature: fc.option(fc.double({ min: 0.05, max: 5, noNaN: true }), { nil: undefined }),
    topK: fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
    topP: fc.option(fc.double({ min: 0.05, max: 1, noNaN: true }), { nil: undefined }),
    minP: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined }),
  });
  await t.step("equals the rules applied by hand in DECODING_ORDER", () => {
    fc.assert(fc.property(
      probabilityVector({ minLength: 2, maxLength: 8 }),
      fc.array(fc.nat(7), { maxLength: 6 }),
      options,
      (p, previousIds, o) => {
        let x: Float64Array = Float64Array.from(p, Math.log);
        if (o.repetitionPenalty !== undefined) {
          x = repetitionPenalty(x, previousIds, o.repetitionPenalty);
        }
        if (o.noRepeatNGram !== undefined) x = noRepeatNGram(x, previousIds, o.noRepeatNGram);
        if (x.every((v) => v === -Infinity)) {
          assert.throws(
            () => decodingPipeline(Array.from(p, Math.log), { ...o, previousIds }),
            RangeError,
          );
          return;
        }
        let q = softmax(x, o.temperature ?? 1);
        if (o.topK !== undefined) q = topK(q, o.topK);
        if (o.topP !== undefined) q = topP(q, o.topP);
        if (o.minP !== undefined) q = minP(q, o.minP);
        assertClose(decodingPipeline(Array.from(p, Math.log), { ...o, previousIds }), q, 0);
      },
    ));
  });
  await t.step("T = 0 is greedy: all mass on the first largest logit, ties not shared", () => {
    assert.deepEqual([...decodingPipeline([1, 3, 3], { temperature: 0 })], [0, 1, 0]);
    assert.deepEqual([...softmax([1, 3, 3], 0)], [0, 0.5, 0.5]); // unlike softmax's limit
  });
  await t.step("T = 0 after a penalty: the greedy word changes", () => {
    const q = decodingPipeline(logits, { previousIds: [2], repetitionPenalty: 2, temperature: 0 });
    assert.deepEqual([...q], [0, 0, 0, 0, 1]); // School, not Playground
  });
  await t.step("the repetition penalty commutes with temperature (both scale logits)", () => {
    fc.assert(fc.property(
      fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 1, maxLength: 6 }),
      fc.array(fc.nat(5), { maxLength: 4 }),
      fc.double({ min: 0.1, max: 4, noNaN: true }),
      fc.double({ min: 0.1, max: 4, noNaN: true }),
      (x, ids, theta, T) => {
        const penaltyFirst = softmax(repetitionPenalty(x, ids, theta), T);
        const temperatureFirst = softmax(repetitionPenalty(x.map((v) => v / T), ids, theta));
        assertClose(penaltyFirst, temperatureFirst, 1e-12);
      },
    ));
  });
  await t.step("top-k and min-p commute", () => {
    fc.assert(fc.property(
      probabilityVector({ maxLength: 10 }),
      fc.integer({ min: 1, max: 10 }),
      fc.double({ min: 0, max: 1, noNaN: true }),
      (p, k, base) => assertClose(minP(topK(p, k), base), topK(minP(p, base), k), 1e-12),
    ));
  });
  await t.step("order matters: top-p 0.7 after T = 2 keeps 3 words, before it only 2", () => {
    const after = decodingPipeline(logits, { temperature: 2, topP: 0.7 });
    const before = softmax(Array.from(topP(ARTICLE_PROBS, 0.7), Math.log), 2);
    assert.equal(after.filter((q) => q > 0).length, 3);
    assert.equal(before.filter((q) => q > 0).length, 2);
  });
  await t.step("inputs are not mutated", () => {
    const frozen = Object.freeze([...logits]);
    const ids = Object.freeze([2, 2]);
    decodingPipeline(frozen, { previousIds: ids, repetitionPenalty: 2, noRepeatNGram: 1 });
    assert.deepEqual(frozen, logits);
  });
});

Deno.test("decodingPipeline() rejects bad settings, naming them", async (t) => {
  const cases: [string, object, RegExp][] = [
    ["temperature", { temperature: -1 }, /^`temperature` must be >= 0, got -1$/],
    ["topK", { topK: 0 }, /^`topK` must be an integer >= 1, got 0$/],
    ["topP", { topP: 1.5 }, /^`topP` must be in \(0, 1\], got 1.5$/],
    ["minP", { minP: -0.1 }, /^`minP` must be a probability in \[0, 1\], got -0.1$/],
    [
      "repetitionPenalty",
      { repetitionPenalty: 0 },
      /^`repetitionPenalty` must be a finite number > 0, got 0$/,
    ],
    ["noRepeatNGram", { noRepeatNGram: 0 }, /^`noRepeatNGram` must be an integer >= 1, got 0$/],
    [
      "previousIds",
      { previousIds: [1, -2] },
      /^`previousIds\[1\]` must be an integer >= 0, got -2$/,
    ],
  ];
  for (const [name, options, message] of cases) {
    await t.step(name, () => {
      assert.throws(() => decodingPipeline(logits, options), (e: Error) => {
        assert.ok(e instanceof RangeError, e.message);
        assert.match(e.message, message);
        return true;
      });
    });
  }
  await t.step("an invalid setting fails even when an earlier rule would have thrown too", () => {
    assert.throws(() => decodingPipeline(logits, { topK: 0, temperature: 1 }), /`topK`/);
  });
  await t.step("no-repeat-n-gram banning every token", () => {
    assert.throws(
      () => decodingPipeline([0, 0], { previousIds: [0, 1], noRepeatNGram: 1 }),
      /^RangeError: `noRepeatNGram` = 1 bans every token/,
    );
  });
  await t.step("options not an object: TypeError", () => {
    assert.throws(() => decodingPipeline(logits, 3 as unknown as object), TypeError);
  });
});

Deno.test("decodingDistribution() of generate.ts delegates to the pipeline on ln p", () => {
  fc.assert(fc.property(
    probabilityVector({ maxLength: 10 }),
    fc.double({ min: 0, max: 4, noNaN: true }),
    fc.integer({ min: 1, max: 10 }),
    fc.double({ min: 0.05, max: 1, noNaN: true }),
    (p, temperature, k, mass) => {
      const options = { temperature, topK: k, topP: mass };
      assertClose(decodingDistribution(p, options), decodingPipeline(p.map(Math.log), options), 0);
    },
  ));
});
