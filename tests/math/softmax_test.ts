import assert from "node:assert/strict";
import fc from "fast-check";
import { entropy, logSoftmax, logSumExp, softmax } from "../../lib/mod.ts";
import { ARTICLE_PROBS, assertClose, sum } from "../_helpers.ts";

const finiteLogits = fc.array(fc.double({ min: -50, max: 50, noNaN: true }), {
  minLength: 1,
  maxLength: 20,
});

Deno.test("softmax() matches independent values", async (t) => {
  await t.step("[2, 1, 3] (numpy: exp(x) / exp(x).sum())", () => {
    assertClose(softmax([2, 1, 3]), [0.24472847105479764, 0.09003057317038046, 0.6652409557748218]);
  });
  await t.step("logits ln p at T = 1 give back the article's distribution", () => {
    assertClose(softmax(ARTICLE_PROBS.map(Math.log)), ARTICLE_PROBS, 1e-15);
  });
  await t.step("article at T = 0.5: Playground 0.5614 (p² renormalised)", () => {
    const p = softmax(ARTICLE_PROBS.map(Math.log), 0.5);
    const squares = ARTICLE_PROBS.map((x) => x * x);
    assertClose(p, squares.map((x) => x / sum(squares)), 1e-15);
    assertClose(p[2]!, 0.5614, 5e-5);
  });
  await t.step("article at T = 0.1: Playground 0.9466", () => {
    assertClose(softmax(ARTICLE_PROBS.map(Math.log), 0.1)[2]!, 0.9466, 5e-5);
  });
});

Deno.test("softmax() is stable at the edges", async (t) => {
  await t.step("overflow: [1000, 1000] is [0.5, 0.5]", () => {
    assert.deepEqual([...softmax([1000, 1000])], [0.5, 0.5]);
  });
  await t.step("underflow: [-1000, 1000] is [0, 1]", () => {
    assert.deepEqual([...softmax([-1000, 1000])], [0, 1]);
  });
  await t.step("extreme logits [-1e308, 1e308] give no NaN", () => {
    assert.deepEqual([...softmax([-1e308, 1e308])], [0, 1]);
  });
  await t.step("a tiny temperature (1e-300) is greedy, not NaN", () => {
    assert.deepEqual([...softmax([1, 2, 1.5], 1e-300)], [0, 1, 0]);
  });
  await t.step("a huge temperature (1e300) is uniform, not NaN", () => {
    assertClose(softmax([1, 2, 1.5], 1e300), [1 / 3, 1 / 3, 1 / 3]);
  });
  await t.step("typed arrays work and the input is not mutated", () => {
    const input = Object.freeze([3, 1, 2]);
    const typed = new Float32Array([3, 1, 2]);
    assertClose(softmax(typed), softmax(input));
    assert.deepEqual(input, [3, 1, 2]);
    assert.deepEqual([...typed], [3, 1, 2]);
  });
});

Deno.test("softmax() temperature limits", async (t) => {
  await t.step("T = 0 is one-hot on the maximum", () => {
    assert.deepEqual([...softmax([0.1, 5, 2], 0)], [0, 1, 0]);
  });
  await t.step("T = 0 splits ties equally", () => {
    assert.deepEqual([...softmax([5, 1, 5, 5], 0)], [1 / 3, 0, 1 / 3, 1 / 3]);
  });
  await t.step("T = Infinity is uniform over unmasked entries", () => {
    assert.deepEqual([...softmax([1, -Infinity, 7, 3], Infinity)], [1 / 3, 0, 1 / 3, 1 / 3]);
  });
  await t.step("-Infinity is masked with probability 0", () => {
    const p = softmax([0, -Infinity, 0]);
    assert.deepEqual([...p], [0.5, 0, 0.5]);
  });
});

Deno.test("softmax() rejects bad input with clear messages", async (t) => {
  const cases: [string, () => unknown, RegExp, ErrorConstructor][] = [
    ["empty logits", () => softmax([]), /`logits` must not be empty/, RangeError],
    [
      "NaN logit",
      () => softmax([1, NaN]),
      /`logits\[1\]` must be finite or -Infinity, got NaN/,
      RangeError,
    ],
    ["+Infinity logit", () => softmax([Infinity, 1]), /`logits\[0\]`.*got Infinity/, RangeError],
    [
      "all masked",
      () => softmax([-Infinity, -Infinity]),
      /at least one entry above -Infinity/,
      RangeError,
    ],
    [
      "negative temperature",
      () => softmax([1, 2], -1),
      /`temperature` must be >= 0, got -1/,
      RangeError,
    ],
    [
      "NaN temperature",
      () => softmax([1, 2], NaN),
      /`temperature` must be >= 0, got NaN/,
      RangeError,
    ],
    [
      "string temperature",
      () => softmax([1, 2], "2" as never),
      /`temperature` must be a number/,
      TypeError,
    ],
    [
      "string logit",
      () => softmax([1, "2"] as never),
      /`logits\[1\]` must be a number, got "2"/,
      TypeError,
    ],
    [
      "not an array",
      () => softmax(5 as never),
      /`logits` must be an array of numbers, got 5/,
      TypeError,
    ],
  ];
  for (const [name, fn, message, type] of cases) {
    await t.step(
      name,
      () =>
        assert.throws(fn, (e: unknown) => e instanceof type && message.test((e as Error).message)),
    );
  }
});

Deno.test("softmax() properties", async (t) => {
  await t.step("sums to one", () => {
    fc.assert(
      fc.property(finiteLogits, fc.double({ min: 0.01, max: 100, noNaN: true }), (x, T) => {
        assertClose(sum(softmax(x, T)), 1, 1e-12);
      }),
    );
  });
  await t.step("is invariant to adding a constant to every logit", () => {
    fc.assert(
      fc.property(finiteLogits, fc.double({ min: -100, max: 100, noNaN: true }), (x, c) => {
        assertClose(softmax(x.map((v) => v + c)), softmax(x), 1e-9);
      }),
    );
  });
  await t.step("entropy is non-decreasing in temperature", () => {
    fc.assert(
      fc.property(
        finiteLogits,
        fc.double({ min: 0.05, max: 20, noNaN: true }),
        fc.double({ min: 0.05, max: 20, noNaN: true }),
        (x, t1, t2) => {
          const [lo, hi] = t1 < t2 ? [t1, t2] : [t2, t1];
          assert.ok(entropy(softmax(x, lo)) <= entropy(softmax(x, hi)) + 1e-9);
        },
      ),
    );
  });
  await t.step("keeps the order of the logits", () => {
    fc.assert(
      fc.property(finiteLogits, (x) => {
        const p = softmax(x);
        for (let i = 0; i < x.length; i++) {
          for (let j = 0; j < x.length; j++) if (x[i]! > x[j]!) assert.ok(p[i]! >= p[j]!);
        }
      }),
    );
  });
});

Deno.test("logSoftmax() equals ln softmax where softmax does not underflow", () => {
  fc.assert(
    // T >= 0.2 keeps (max - min) / T <= 500, so no probability is subnormal (where ln loses precision).
    fc.property(finiteLogits, fc.double({ min: 0.2, max: 10, noNaN: true }), (x, T) => {
      assertClose(logSoftmax(x, T), [...softmax(x, T)].map(Math.log), 1e-9);
    }),
  );
});

Deno.test("logSoftmax() stays finite where softmax underflows", async (t) => {
  await t.step("[-1000, 1000] is [-2000, 0]", () => {
    assert.deepEqual([...logSoftmax([-1000, 1000])], [-2000, 0]);
  });
  await t.step("masked entries are -Infinity", () => {
    assert.deepEqual([...logSoftmax([0, -Infinity, 0])], [-Math.LN2, -Infinity, -Math.LN2]);
  });
  await t.step("T = 0 is ln(1/k) on k tied maxima", () => {
    assert.deepEqual([...logSoftmax([2, 2, 1], 0)], [-Math.LN2, -Math.LN2, -Infinity]);
  });
  await t.step("T = Infinity is -ln(m) on m unmasked entries", () => {
    assertClose([...logSoftmax([2, 9, 1, 4], Infinity)], Array(4).fill(-Math.log(4)));
  });
  await t.step("errors match softmax", () => {
    assert.throws(() => logSoftmax([1], -2), /`temperature` must be >= 0, got -2/);
  });
});

Deno.test("logSumExp() is stable and exact", async (t) => {
  await t.step(
    "[1000, 1000] = 1000 + ln 2",
    () => assert.equal(logSumExp([1000, 1000]), 1000 + Math.LN2),
  );
  await t.step(
    "[-1000, -1000] = -1000 + ln 2",
    () => assert.equal(logSumExp([-1000, -1000]), -1000 + Math.LN2),
  );
  await t.step(
    "small values match ln Σ exp",
    () => assertClose(logSumExp([1, 2, 3]), Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3))),
  );
  await t.step(
    "-Infinity entries contribute nothing",
    () => assert.equal(logSumExp([0, -Infinity]), 0),
  );
  await t.step(
    "all -Infinity is -Infinity (log of 0)",
    () => assert.equal(logSumExp([-Infinity]), -Infinity),
  );
  await t.step("NaN throws", () => assert.throws(() => logSumExp([NaN]), /`values\[0\]`/));
  await t.step(
    "empty throws",
    () => assert.throws(() => logSumExp([]), /`values` must not be empty/),
  );
  await t.step("logSoftmax(x) = x - logSumExp(x)", () => {
    fc.assert(fc.property(finiteLogits, (x) => {
      const lse = logSumExp(x);
      assertClose(logSoftmax(x), x.map((v) => v - lse), 1e-9);
    }));
  });
});
