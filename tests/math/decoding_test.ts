import assert from "node:assert/strict";
import fc from "fast-check";
import { argmax, minP, topK, topP } from "../../lib/mod.ts";
import { ARTICLE_PROBS, assertClose, probabilityVector, sum } from "../_helpers.ts";

const distribution = probabilityVector({ maxLength: 15 });

const support = (p: ArrayLike<number>) => Array.from(p).filter((x) => x > 0).length;

Deno.test("argmax() is the greedy choice", async (t) => {
  await t.step("article: Playground (index 2)", () => assert.equal(argmax(ARTICLE_PROBS), 2));
  await t.step("first index among ties", () => assert.equal(argmax([0, 7, 3, 7]), 1));
  await t.step(
    "works on logits with -Infinity",
    () => assert.equal(argmax([-Infinity, -5, -Infinity]), 1),
  );
  await t.step(
    "all -Infinity gives index 0",
    () => assert.equal(argmax([-Infinity, -Infinity]), 0),
  );
  await t.step("empty throws", () => assert.throws(() => argmax([]), /`values` must not be empty/));
  await t.step(
    "NaN throws",
    () => assert.throws(() => argmax([1, NaN]), /`values\[1\]` must not be NaN/),
  );
  await t.step("matches indexOf(max) on random arrays", () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1 }), (x) => {
      assert.equal(argmax(x), x.indexOf(Math.max(...x)));
    }));
  });
});

Deno.test("topK() keeps the k most probable entries", async (t) => {
  await t.step("article k = 2: Playground and School renormalised", () => {
    assertClose(topK(ARTICLE_PROBS, 2), [0, 0, 0.4 / 0.7, 0, 0.3 / 0.7], 1e-15);
  });
  await t.step(
    "k = 1 is greedy (one-hot)",
    () => assert.deepEqual([...topK(ARTICLE_PROBS, 1)], [0, 0, 1, 0, 0]),
  );
  await t.step(
    "k >= n keeps the distribution",
    () => assertClose(topK(ARTICLE_PROBS, 99), ARTICLE_PROBS, 1e-15),
  );
  await t.step(
    "ties at the cut keep the lower index",
    () => assert.deepEqual([...topK([0.25, 0.25, 0.25, 0.25], 2)], [0.5, 0.5, 0, 0]),
  );
  await t.step("support size is min(k, non-zero entries) and it sums to 1", () => {
    fc.assert(fc.property(distribution, fc.integer({ min: 1, max: 20 }), (p, k) => {
      const q = topK(p, k);
      assert.equal(support(q), Math.min(k, support(p)));
      assertClose(sum(q), 1, 1e-12);
      // kept entries keep their ratios to the largest kept entry
      const kept = Array.from(q.keys()).filter((i) => q[i]! > 0);
      const top = kept.reduce((a, b) => (q[b]! > q[a]! ? b : a));
      for (const i of kept) assertClose(q[i]! / q[top]!, p[i]! / p[top]!, 1e-9);
    }));
  });
  await t.step(
    "k = 0 throws",
    () => assert.throws(() => topK(ARTICLE_PROBS, 0), /`k` must be an integer >= 1, got 0/),
  );
  await t.step(
    "k = 1.5 throws",
    () => assert.throws(() => topK(ARTICLE_PROBS, 1.5), /`k` must be an integer >= 1, got 1.5/),
  );
  await t.step(
    "bad probs throw",
    () => assert.throws(() => topK([0.9, 0.9], 1), /`probs` must sum to 1/),
  );
  await t.step("input is not mutated", () => {
    const p = Object.freeze([...ARTICLE_PROBS]);
    topK(p, 2);
    assert.deepEqual(p, [...ARTICLE_PROBS]);
  });
});

Deno.test("topP() keeps the smallest nucleus reaching p", async (t) => {
  await t.step("article p = 0.5: Playground 0.4 is not enough, add School", () => {
    assert.equal(support(topP(ARTICLE_PROBS, 0.5)), 2);
  });
  await t.step(
    "article p = 0.4: Playground alone",
    () => assert.deepEqual([...topP(ARTICLE_PROBS, 0.4)], [0, 0, 1, 0, 0]),
  );
  await t.step("article p = 0.9: drops Hospital only", () => {
    assertClose(
      topP(ARTICLE_PROBS, 0.9),
      [0.1 / 0.95, 0, 0.4 / 0.95, 0.15 / 0.95, 0.3 / 0.95],
      1e-12,
    );
  });
  await t.step(
    "p = 1 keeps every non-zero entry",
    () => assert.equal(support(topP([0.5, 0, 0.5], 1)), 2),
  );
  await t.step("support is the smallest prefix of sorted probabilities reaching p", () => {
    fc.assert(
      fc.property(distribution, fc.double({ min: 0.01, max: 1, noNaN: true }), (p, mass) => {
        const q = topP(p, mass);
        const k = support(q);
        const sorted = [...p].sort((a, b) => b - a);
        const prefix = (n: number) => sorted.slice(0, n).reduce((a, b) => a + b, 0);
        assert.ok(prefix(k) + 1e-9 >= mass, "kept mass reaches p");
        if (k > 1) assert.ok(prefix(k - 1) < mass + 1e-9, "one fewer would not reach p");
        assertClose(sum(q), 1, 1e-12);
      }),
    );
  });
  await t.step(
    "p = 0 throws",
    () => assert.throws(() => topP(ARTICLE_PROBS, 0), /`p` must be in \(0, 1\], got 0/),
  );
  await t.step(
    "p = 1.2 throws",
    () => assert.throws(() => topP(ARTICLE_PROBS, 1.2), /`p` must be in \(0, 1\], got 1.2/),
  );
});

Deno.test("minP() keeps entries at least pBase times the largest", async (t) => {
  await t.step(
    "article, pBase 0.25: threshold 0.1 keeps Cafe, drops Hospital (hand-computed)",
    () => {
      assertClose(
        minP(ARTICLE_PROBS, 0.25),
        [0.1 / 0.95, 0, 0.4 / 0.95, 0.15 / 0.95, 0.3 / 0.95],
        1e-15,
      );
    },
  );
  await t.step("article, pBase 0.5: threshold 0.2 keeps Playground and School", () => {
    assertClose(minP(ARTICLE_PROBS, 0.5), [0, 0, 0.4 / 0.7, 0, 0.3 / 0.7], 1e-15);
  });
  await t.step("pBase 0 keeps the distribution; pBase 1 keeps the maxima, ties sharing", () => {
    assertClose(minP(ARTICLE_PROBS, 0), ARTICLE_PROBS, 1e-15);
    assert.deepEqual([...minP([0.4, 0.2, 0.4], 1)], [0.5, 0, 0.5]);
  });
  await t.step("the cut-off follows confidence: a sure model keeps fewer words", () => {
    assert.equal(support(minP([0.9, 0.05, 0.05], 0.1)), 1);
    assert.equal(support(minP([0.4, 0.3, 0.3], 0.1)), 3);
  });
  await t.step("keeps exactly the entries >= pBase · max, renormalised", () => {
    fc.assert(fc.property(distribution, fc.double({ min: 0, max: 1, noNaN: true }), (p, base) => {
      const q = minP(p, base);
      const max = Math.max(...p);
      p.forEach((x, i) => assert.equal(q[i]! > 0, x > 0 && x >= base * max, `entry ${i}`));
      assertClose(sum(q), 1, 1e-12);
    }));
  });
  await t.step("input not mutated", () => {
    const p = Object.freeze([0.5, 0.5]);
    assert.ok(minP(p, 0.5) instanceof Float64Array);
    assert.deepEqual(p, [0.5, 0.5]);
  });
  await t.step("pBase outside [0, 1] throws", () => {
    assert.throws(() => minP(ARTICLE_PROBS, 1.5), {
      name: "RangeError",
      message: "`pBase` must be a probability in [0, 1], got 1.5",
    });
    assert.throws(() => minP(ARTICLE_PROBS, NaN), /`pBase`.*got NaN/);
  });
  await t.step("probs not a distribution throws", () => {
    assert.throws(() => minP([0.5, 0.6], 0.1), /`probs` must sum to 1/);
  });
});
