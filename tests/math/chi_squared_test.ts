import assert from "node:assert/strict";
import { chiSquaredGoodnessOfFit } from "simple-statistics";
import { categoricalSampler, chiSquaredTest, countClasses, seededRandom } from "../../lib/mod.ts";
import { ARTICLE_PROBS, assertClose } from "../_helpers.ts";

Deno.test("chiSquaredTest() matches known statistics", async (t) => {
  await t.step("scipy.stats.chisquare([16, 18, 16, 14, 12, 12]) = 2.0, df 5", () => {
    const r = chiSquaredTest([16, 18, 16, 14, 12, 12], Array(6).fill(1 / 6));
    assertClose(r.statistic, 2);
    assert.equal(r.degreesOfFreedom, 5);
    assert.equal(r.criticalValue, 11.07);
    assert.equal(r.accepted, true);
  });
  await t.step(
    "scipy.stats.chisquare([16, 18, 16, 14, 12, 12], f_exp=[16, 16, 16, 16, 16, 8]) = 3.5",
    () => {
      const r = chiSquaredTest(
        [16, 18, 16, 14, 12, 12],
        [16, 16, 16, 16, 16, 8].map((e) => e / 88),
      );
      assertClose(r.statistic, 3.5);
      assertClose([...r.expected], [16, 16, 16, 16, 16, 8]);
    },
  );
  await t.step("a perfect match has statistic 0", () => {
    const r = chiSquaredTest([10, 5, 40, 15, 30], ARTICLE_PROBS);
    assertClose(r.statistic, 0);
    assert.equal(r.degreesOfFreedom, 4);
    assert.equal(r.criticalValue, 9.49);
  });
  await t.step("classes with p = 0 and no counts do not count as degrees of freedom", () => {
    const r = chiSquaredTest([50, 0, 50], [0.5, 0, 0.5], 0.01);
    assert.equal(r.degreesOfFreedom, 1);
    assert.equal(r.criticalValue, 6.63);
  });
});

Deno.test("chiSquaredTest() accepts the true distribution and rejects a wrong one", async (t) => {
  const draw = categoricalSampler(ARTICLE_PROBS);
  const random = seededRandom(5);
  const counts = countClasses(Array.from({ length: 20_000 }, () => draw(random)), 5);
  await t.step("accepts the distribution the draws came from", () => {
    assert.equal(chiSquaredTest(counts, ARTICLE_PROBS).accepted, true);
  });
  await t.step("agrees with simple-statistics' test on the same draws", () => {
    const draws: number[] = [];
    counts.forEach((c, i) => draws.push(...Array(c).fill(i)));
    const rejected = chiSquaredGoodnessOfFit(draws, () => ({ ...ARTICLE_PROBS }), 0.05);
    assert.equal(rejected, false);
  });
  await t.step("rejects a slightly different distribution", () => {
    const other = [0.11, 0.05, 0.39, 0.15, 0.3];
    assert.equal(chiSquaredTest(counts, other).accepted, false);
  });
});

Deno.test("chiSquaredTest() rejects invalid input with clear messages", () => {
  assert.throws(
    () => chiSquaredTest([1, 2], [0.2, 0.3, 0.5]),
    /`counts` must have one count per class of `probs` \(3\), got 2/,
  );
  assert.throws(
    () => chiSquaredTest([1.5, 2], [0.5, 0.5]),
    /`counts\[0\]` must be an integer >= 0, got 1.5/,
  );
  assert.throws(
    () => chiSquaredTest([3, 3], [0.5, 0.5]),
    /`counts` must hold enough draws that every expected count is >= 5.*got 3 for class 0/,
  );
  assert.throws(() => chiSquaredTest([10, 10], [0.5, 0.5], 0.03), /`significance` must be one of/);
  assert.throws(() => chiSquaredTest([10, 1], [1, 0]), /`counts\[1\]` is 1 but `probs\[1\]` is 0/);
  assert.throws(
    () => chiSquaredTest([10, 0], [1, 0]),
    /`probs` must give 2 to 31 classes with p > 0 \(1 to 30 degrees of freedom.*got 1$/,
  );
  assert.throws(
    () => chiSquaredTest(Array(32).fill(10), Array(32).fill(1 / 32)),
    /`probs` must give 2 to 31 classes with p > 0 \(1 to 30 degrees of freedom.*got 32$/,
  );
  assert.throws(() => chiSquaredTest([10, 10], [0.6, 0.6]), /`probs` must sum to 1/);
});
