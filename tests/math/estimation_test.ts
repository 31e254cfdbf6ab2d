import assert from "node:assert/strict";
import fc from "fast-check";
import {
  binomialStandardError,
  countClasses,
  frequencies,
  sampleIndex,
  seededRandom,
} from "../../lib/mod.ts";
import { ARTICLE_PROBS, assertClose, sum } from "../_helpers.ts";

Deno.test("countClasses() counts each class index", async (t) => {
  await t.step("known counts", () => {
    assert.deepEqual([...countClasses([4, 2, 2, 0, 2], 5)], [1, 0, 3, 0, 1]);
  });
  await t.step("no draws gives zeros", () => {
    assert.deepEqual([...countClasses([], 3)], [0, 0, 0]);
  });
  await t.step("counts sum to the number of draws", () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 6 })), (draws) => {
      assert.equal(sum(countClasses(draws, 7)), draws.length);
    }));
  });
  await t.step("does not mutate its input", () => {
    const draws = Object.freeze([1, 1, 0]);
    countClasses(draws, 2);
    assert.deepEqual(draws, [1, 1, 0]);
  });
  await t.step("rejects bad input with the parameter named", () => {
    assert.throws(
      () => countClasses([0, 3], 3),
      /`draws\[1\]` must be an integer in \[0, 2\], got 3/,
    );
    assert.throws(() => countClasses([0.5], 3), /`draws\[0\]` must be an integer/);
    assert.throws(() => countClasses([0], 0), /`classes` must be an integer >= 1, got 0/);
  });
});

Deno.test("frequencies() divides counts by their total", async (t) => {
  await t.step("known values", () => {
    assert.deepEqual([...frequencies([2, 0, 6])], [0.25, 0, 0.75]);
  });
  await t.step("rejects an empty total and negative counts", () => {
    assert.throws(() => frequencies([0, 0]), /`counts` must have a total above 0, got 0/);
    assert.throws(() => frequencies([1, -1]), /`counts\[1\]` must be a finite number >= 0, got -1/);
    assert.throws(() => frequencies([]), /`counts` must not be empty/);
  });
  await t.step("frequencies of many seeded draws approach the probabilities", () => {
    const random = seededRandom(3);
    const draws = Array.from({ length: 100_000 }, () => sampleIndex(ARTICLE_PROBS, random));
    const f = frequencies(countClasses(draws, ARTICLE_PROBS.length));
    for (let i = 0; i < f.length; i++) {
      // 4 standard errors: fails with probability about 6e-5 per class for a correct sampler.
      const p = ARTICLE_PROBS[i]!;
      assert.ok(Math.abs(f[i]! - p) < 4 * binomialStandardError(p, 100_000), `class ${i}`);
    }
  });
});

Deno.test("binomialStandardError() is sqrt(p(1-p)/n)", async (t) => {
  await t.step("known values", () => {
    assert.equal(binomialStandardError(0.5, 100), 0.05);
    assert.equal(binomialStandardError(0, 10), 0);
    assert.equal(binomialStandardError(1, 10), 0);
    assertClose(binomialStandardError(0.4, 1000), 0.015491933384829668, 1e-15); // numpy
  });
  await t.step("shrinks tenfold for a hundred times more draws", () => {
    assertClose(binomialStandardError(0.3, 100) / binomialStandardError(0.3, 10_000), 10, 1e-12);
  });
  await t.step("matches the spread of simulated frequencies", () => {
    // 2000 experiments of n = 400 draws with p = 0.3: the standard deviation of the frequencies
    // should be near sqrt(0.3 * 0.7 / 400) = 0.0229.
    const random = seededRandom(11);
    const n = 400;
    const freqs = Array.from({ length: 2000 }, () => {
      let hits = 0;
      for (let i = 0; i < n; i++) if (random() < 0.3) hits++;
      return hits / n;
    });
    const mean = sum(freqs) / freqs.length;
    const sd = Math.sqrt(sum(freqs.map((f) => (f - mean) ** 2)) / (freqs.length - 1));
    assert.ok(Math.abs(sd / binomialStandardError(0.3, n) - 1) < 0.06, `sd ${sd}`);
  });
  await t.step("rejects bad input", () => {
    assert.throws(
      () => binomialStandardError(1.5, 10),
      /`p` must be a probability in \[0, 1\], got 1.5/,
    );
    assert.throws(() => binomialStandardError(0.5, 0), /`n` must be an integer >= 1, got 0/);
    assert.throws(() => binomialStandardError(0.5, 2.5), /`n` must be an integer >= 1, got 2.5/);
  });
});
