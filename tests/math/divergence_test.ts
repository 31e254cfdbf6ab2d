import assert from "node:assert/strict";
import fc from "fast-check";
import { crossEntropy, entropy, klDivergence, softmax } from "../../lib/mod.ts";
import { ARTICLE_PROBS, assertClose, probabilityVector } from "../_helpers.ts";

const articleAt = (T: number) => softmax(ARTICLE_PROBS.map(Math.log), T);

Deno.test("klDivergence() matches numpy", async (t) => {
  // numpy: p = article, q = softmax(ln p / T); np.sum(p * np.log(p / q)) and the reverse.
  const cases: [number, number, number][] = [
    [0.5, 0.13705515604394256, 0.10381188551012926],
    [2, 0.04925209404900379, 0.054591425217889206],
    [0.1, 3.4228219684169945, 0.7229587036193904],
  ];
  for (const [T, forward, reverse] of cases) {
    await t.step(
      `article against T = ${T}: ${forward.toFixed(4)} and reversed ${reverse.toFixed(4)}`,
      () => {
        assertClose(klDivergence(ARTICLE_PROBS, articleAt(T)), forward, 1e-14);
        assertClose(klDivergence(articleAt(T), ARTICLE_PROBS), reverse, 1e-14);
      },
    );
  }
  await t.step("[0.5, 0.5] against [0.9, 0.1]: 0.5108256237659907 (numpy)", () => {
    assertClose(klDivergence([0.5, 0.5], [0.9, 0.1]), 0.5108256237659907, 1e-15);
  });
});

Deno.test("klDivergence() edge cases", async (t) => {
  await t.step("Infinity where q is 0 and p is not", () => {
    assert.equal(klDivergence([0.5, 0.5], [1, 0]), Infinity);
  });
  await t.step("terms with p = 0 count 0, whatever q", () => {
    assert.equal(klDivergence([1, 0], [0.5, 0.5]), Math.LN2);
    assert.equal(klDivergence([0, 1], [0, 1]), 0);
  });
  await t.step("KL(p ‖ p) is exactly 0", () => {
    assert.equal(klDivergence(ARTICLE_PROBS, ARTICLE_PROBS), 0);
  });
  await t.step("never negative, even when rounding would make it so", () => {
    // The plain sum Σ p (ln p − ln q) is −5.9e-17 here (q is p up to rounding): returned as 0.
    const p = [0.2669491525423729, 0.11864406779661017, 0.3813559322033898, 0.2330508474576271];
    const q = [0.26694915254237295, 0.11864406779661017, 0.3813559322033898, 0.23305084745762714];
    assert.equal(klDivergence(p, q), 0);
  });
  await t.step("a subnormal q stays finite (ln p − ln q, not ln(p / q))", () => {
    const q = [5e-324, 1 - 5e-324];
    assertClose(klDivergence([1, 0], q), -Math.log(5e-324), 1e-9);
  });
  await t.step("inputs are not mutated", () => {
    const p = Object.freeze([0.25, 0.75]);
    const q = Object.freeze([0.5, 0.5]);
    klDivergence(p, q);
    assert.deepEqual(p, [0.25, 0.75]);
  });
});

Deno.test("klDivergence() properties", async (t) => {
  await t.step(
    "cross-entropy = entropy + KL: crossEntropy(q, p) = entropy(p) + klDivergence(p, q)",
    () => {
      // lib's crossEntropy takes the model first: crossEntropy(predicted = q, target = p).
      fc.assert(
        fc.property(
          probabilityVector({ minLength: 2, maxLength: 10 }),
          fc.integer({ min: 0, max: 1e6 }),
          (p, salt) => {
            const q = softmax(p.map((x, i) => Math.log(x + 0.01) + Math.sin(salt + i)));
            const h = crossEntropy(q, p);
            assertClose(h, entropy(p) + klDivergence(p, q), 1e-9 * Math.max(1, h));
          },
        ),
      );
    },
  );
  await t.step("the identity holds with zeros in q: both sides Infinity", () => {
    const p = [0.5, 0.5];
    const q = [1, 0];
    assert.equal(crossEntropy(q, p), Infinity);
    assert.equal(entropy(p) + klDivergence(p, q), Infinity);
  });
  await t.step("Gibbs: KL >= 0, and > 0 when q differs from p", () => {
    const pair = fc.integer({ min: 1, max: 10 }).chain((n) =>
      fc.tuple(
        probabilityVector({ minLength: n, maxLength: n }),
        probabilityVector({ minLength: n, maxLength: n }),
      )
    );
    fc.assert(fc.property(pair, ([p, q]) => {
      const kl = klDivergence(p, q);
      assert.ok(kl >= 0);
      if (p.some((x, i) => Math.abs(x - q[i]!) > 1e-3)) assert.ok(kl > 0);
    }));
  });
  await t.step("not symmetric", () => {
    assert.notEqual(klDivergence([0.5, 0.5], [0.9, 0.1]), klDivergence([0.9, 0.1], [0.5, 0.5]));
  });
});

Deno.test("klDivergence() rejects bad input", async (t) => {
  await t.step("lengths differ", () => {
    assert.throws(() => klDivergence([0.5, 0.5], [1]), {
      name: "RangeError",
      message: "`q` must have the same length as `p` (2), got 1",
    });
  });
  await t.step("p is not a distribution", () => {
    assert.throws(() => klDivergence([0.5, 0.6], [0.5, 0.5]), /`p` must sum to 1/);
  });
  await t.step("q has a negative entry", () => {
    assert.throws(
      () => klDivergence([0.5, 0.5], [1.5, -0.5]),
      /`q\[0\]` must be a probability in \[0, 1\], got 1.5/,
    );
  });
  await t.step("not an array: TypeError", () => {
    assert.throws(() => klDivergence("ab" as unknown as number[], [1]), TypeError);
  });
});
