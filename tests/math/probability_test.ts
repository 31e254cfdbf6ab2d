import assert from "node:assert/strict";
import fc from "fast-check";
import { bayes, conditionalProbability, vennProbabilities } from "../../lib/mod.ts";
import { assertClose } from "../_helpers.ts";

Deno.test("vennProbabilities() reproduces the article", () => {
  const p = vennProbabilities({ total: 14, a: 7, b: 8, both: 3 });
  assert.deepEqual(p, {
    a: 7 / 14,
    b: 8 / 14,
    both: 3 / 14,
    either: 12 / 14,
    neither: 2 / 14,
    aGivenB: 3 / 8,
    bGivenA: 3 / 7,
  });
});

Deno.test("vennProbabilities() rejects impossible counts, saying by how much", async (t) => {
  const cases: [string, Parameters<typeof vennProbabilities>[0], RegExp][] = [
    [
      "both above min(a, b)",
      { total: 14, a: 7, b: 8, both: 9 },
      /`both` must be <= min\(`a`, `b`\) = 7, got 9 \(2 too many\)/,
    ],
    [
      "union above total",
      { total: 14, a: 10, b: 8, both: 2 },
      /`a` \+ `b` - `both` must be <= `total` = 14, got 10 \+ 8 - 2 = 16 \(2 too many\)/,
    ],
    ["total 0", { total: 0, a: 0, b: 0, both: 0 }, /`total` must be > 0, got 0/],
    [
      "negative count",
      { total: 14, a: -1, b: 8, both: 0 },
      /`a` must be an integer >= 0, got -1/,
    ],
    [
      "fractional count",
      { total: 14, a: 7, b: 8.5, both: 3 },
      /`b` must be an integer >= 0, got 8.5/,
    ],
    [
      "NaN count",
      { total: NaN, a: 7, b: 8, both: 3 },
      /`total` must be an integer >= 0, got NaN/,
    ],
    [
      "empty B cannot be conditioned on",
      { total: 14, a: 7, b: 0, both: 0 },
      /`b` must be > 0 to condition on it/,
    ],
  ];
  for (const [name, counts, message] of cases) {
    await t.step(
      name,
      () =>
        assert.throws(
          () => vennProbabilities(counts),
          (e: unknown) => e instanceof RangeError && message.test(e.message),
        ),
    );
  }
  await t.step("a string count is a TypeError", () => {
    assert.throws(
      () => vennProbabilities({ total: "14", a: 7, b: 8, both: 3 } as never),
      TypeError,
    );
  });
});

/** Valid Venn counts: regions (onlyA, onlyB, both, neither) with at least one person in A and B. */
const vennCounts = fc
  .tuple(fc.nat(50), fc.nat(50), fc.nat(50), fc.nat(50))
  .filter(([onlyA, onlyB, both]) => onlyA + both > 0 && onlyB + both > 0)
  .map(([onlyA, onlyB, both, neither]) => ({
    total: onlyA + onlyB + both + neither,
    a: onlyA + both,
    b: onlyB + both,
    both,
  }));

Deno.test("vennProbabilities() properties", async (t) => {
  await t.step("inclusion–exclusion and complement", () => {
    fc.assert(fc.property(vennCounts, (c) => {
      const p = vennProbabilities(c);
      assertClose(p.either, p.a + p.b - p.both, 1e-12);
      assertClose(p.either + p.neither, 1, 1e-12);
    }));
  });
  await t.step("conditionals agree with conditionalProbability and Bayes", () => {
    fc.assert(fc.property(vennCounts, (c) => {
      const p = vennProbabilities(c);
      assertClose(p.aGivenB, conditionalProbability(p.both, p.b), 1e-12);
      assertClose(p.bGivenA, conditionalProbability(p.both, p.a), 1e-12);
      assertClose(bayes(p.bGivenA, p.a, p.b), p.aGivenB, 1e-12);
    }));
  });
});

Deno.test("conditionalProbability() zooms into the condition", async (t) => {
  await t.step(
    "article: P(A|B) = (3/14) / (8/14) = 3/8",
    () => assertClose(conditionalProbability(3 / 14, 8 / 14), 3 / 8, 1e-15),
  );
  await t.step(
    "P(B) = 0 throws: undefined",
    () =>
      assert.throws(
        () => conditionalProbability(0, 0),
        /`pCondition` must be > 0 \(P\(A\|B\) is undefined when P\(B\) = 0\), got 0/,
      ),
  );
  await t.step(
    "joint above condition throws",
    () =>
      assert.throws(
        () => conditionalProbability(0.6, 0.5),
        /`pJoint` must be <= `pCondition` = 0.5/,
      ),
  );
  await t.step(
    "probability out of range throws",
    () =>
      assert.throws(
        () => conditionalProbability(1.2, 0.5),
        /`pJoint` must be a probability in \[0, 1\], got 1.2/,
      ),
  );
  await t.step(
    "negative condition throws",
    () =>
      assert.throws(
        () => conditionalProbability(0, -0.1),
        /`pCondition` must be a probability in \[0, 1\], got -0.1/,
      ),
  );
});

Deno.test("bayes() turns P(B|A) into P(A|B)", async (t) => {
  await t.step(
    "article: P(B|A) = 3/7 gives P(A|B) = 3/8",
    () => assertClose(bayes(3 / 7, 7 / 14, 8 / 14), 3 / 8, 1e-15),
  );
  await t.step(
    "rain and clouds: P(cloudy|rain)=0.9, P(rain)=0.1, P(cloudy)=0.4 gives 0.225",
    () => assertClose(bayes(0.9, 0.1, 0.4), 0.225, 1e-15),
  );
  await t.step(
    "P(B) = 0 throws",
    () => assert.throws(() => bayes(0.5, 0.5, 0), /`pB` must be > 0/),
  );
  await t.step(
    "inconsistent inputs throw",
    () =>
      assert.throws(() => bayes(0.9, 0.9, 0.1), /`pBGivenA` × `pA` = 0.81 must be <= `pB` = 0.1/),
  );
  await t.step(
    "NaN throws",
    () =>
      assert.throws(
        () => bayes(NaN, 0.5, 0.5),
        /`pBGivenA` must be a probability in \[0, 1\], got NaN/,
      ),
  );
});
