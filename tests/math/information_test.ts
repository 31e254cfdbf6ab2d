import assert from "node:assert/strict";
import fc from "fast-check";
import {
  crossEntropy,
  crossEntropyFromLogits,
  entropy,
  negativeLogLikelihood,
  perplexity,
  softmax,
} from "../../lib/mod.ts";
import { ARTICLE_PROBS, ARTICLE_WORDS, assertClose, probabilityVector } from "../_helpers.ts";

const distribution = probabilityVector();

Deno.test("negativeLogLikelihood() matches the article's numbers", async (t) => {
  // Independent values: -ln p from Python's math.log.
  const expected: Record<string, number> = {
    Playground: 0.916290731874155,
    School: 1.2039728043259361,
    Park: 1.8971199848858813,
    Cafe: 2.3025850929940455,
    Hospital: 2.995732273553991,
  };
  for (const [i, word] of ARTICLE_WORDS.entries()) {
    await t.step(`${word}: ${expected[word]!.toFixed(3)} nats`, () => {
      assertClose(negativeLogLikelihood(ARTICLE_PROBS, i), expected[word]!, 1e-15);
    });
  }
  await t.step("probability 0 on the target costs Infinity, not an error", () => {
    assert.equal(negativeLogLikelihood([1, 0], 1), Infinity);
  });
  await t.step("probability 1 costs 0", () => assert.equal(negativeLogLikelihood([0, 1], 1), 0));
});

Deno.test("negativeLogLikelihood() rejects bad input", async (t) => {
  await t.step("index out of range", () => {
    assert.throws(
      () => negativeLogLikelihood([0.5, 0.5], 2),
      /`targetIndex` must be an integer in \[0, 1\], got 2/,
    );
  });
  await t.step("non-integer index", () => {
    assert.throws(() => negativeLogLikelihood([0.5, 0.5], 0.5), /`targetIndex`.*got 0.5/);
  });
  await t.step("probabilities not summing to one", () => {
    assert.throws(
      () => negativeLogLikelihood([0.5, 0.6], 0),
      /`predicted` must sum to 1.*got sum 1.1/,
    );
  });
  await t.step("a probability above 1", () => {
    assert.throws(
      () => negativeLogLikelihood([1.5, -0.5], 0),
      /`predicted\[0\]` must be a probability in \[0, 1\], got 1.5/,
    );
  });
});

Deno.test("entropy() matches known values", async (t) => {
  await t.step("article distribution: 1.392321254757429 nats", () => {
    assertClose(entropy(ARTICLE_PROBS), 1.392321254757429, 1e-15);
  });
  await t.step(
    "uniform over 5 is ln 5",
    () => assertClose(entropy([0.2, 0.2, 0.2, 0.2, 0.2]), Math.log(5), 1e-15),
  );
  await t.step(
    "a certain outcome has entropy 0 (0 ln 0 = 0)",
    () => assert.equal(entropy([0, 1, 0]), 0),
  );
  await t.step(
    "a fair coin is 1 bit = ln 2 nats",
    () => assert.equal(entropy([0.5, 0.5]) / Math.LN2, 1),
  );
  await t.step(
    "rejects a non-distribution",
    () => assert.throws(() => entropy([0.2, 0.2]), /`probs` must sum to 1/),
  );
});

Deno.test("crossEntropy() properties", async (t) => {
  await t.step("with a class index equals the NLL", () => {
    for (let i = 0; i < ARTICLE_PROBS.length; i++) {
      assert.equal(crossEntropy(ARTICLE_PROBS, i), negativeLogLikelihood(ARTICLE_PROBS, i));
    }
  });
  await t.step("with a one-hot target equals the NLL", () => {
    fc.assert(
      fc.property(distribution, fc.nat(), (q, k) => {
        const t = k % q.length;
        const oneHot = q.map((_, i) => (i === t ? 1 : 0));
        assert.equal(crossEntropy(q, oneHot), negativeLogLikelihood(q, t));
      }),
    );
  });
  await t.step("Gibbs' inequality: crossEntropy(q, p) >= entropy(p)", () => {
    fc.assert(
      fc.property(
        distribution.chain((p) =>
          fc.tuple(
            fc.constant(p),
            fc.array(fc.double({ min: 0.001, max: 1, noNaN: true }), {
              minLength: p.length,
              maxLength: p.length,
            }),
          )
        ),
        ([p, w]) => {
          const total = w.reduce((a, b) => a + b, 0);
          const q = w.map((x) => x / total);
          assert.ok(crossEntropy(q, p) >= entropy(p) - 1e-12);
        },
      ),
    );
  });
  await t.step("equals entropy when predicted = target", () => {
    fc.assert(fc.property(distribution, (p) => assertClose(crossEntropy(p, p), entropy(p), 1e-12)));
  });
  await t.step("is Infinity when q is 0 where y > 0", () => {
    assert.equal(crossEntropy([1, 0], [0.5, 0.5]), Infinity);
  });
  await t.step("ignores classes the target gives 0 even if predicted 0", () => {
    assert.equal(crossEntropy([1, 0], [1, 0]), 0);
  });
  await t.step("rejects length mismatch", () => {
    assert.throws(
      () => crossEntropy([0.5, 0.5], [1, 0, 0]),
      /`target` must have the same length as `predicted` \(2\), got 3/,
    );
  });
});

Deno.test("crossEntropyFromLogits() agrees with the probability route and survives underflow", async (t) => {
  await t.step("equals NLL of softmax", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -30, max: 30, noNaN: true }), { minLength: 1, maxLength: 10 }),
        fc.nat(),
        (x, k) => {
          const t = k % x.length;
          assertClose(crossEntropyFromLogits(x, t), negativeLogLikelihood(softmax(x), t), 1e-9);
        },
      ),
    );
  });
  await t.step("[0, 1000] with target 0 is 1000, where -ln(softmax) is Infinity", () => {
    assert.equal(crossEntropyFromLogits([0, 1000], 0), 1000);
    assert.equal(negativeLogLikelihood(softmax([0, 1000]), 0), Infinity);
  });
});

Deno.test("perplexity() is e^loss", async (t) => {
  await t.step(
    "ln 5 gives 5 (as unsure as 5 equal choices)",
    () => assertClose(perplexity(Math.log(5)), 5, 1e-12),
  );
  await t.step("0 gives 1", () => assert.equal(perplexity(0), 1));
  await t.step("Infinity gives Infinity", () => assert.equal(perplexity(Infinity), Infinity));
  await t.step(
    "article entropy gives 4.024",
    () => assertClose(perplexity(entropy(ARTICLE_PROBS)), 4.0242, 1e-4),
  );
  await t.step(
    "negative throws",
    () => assert.throws(() => perplexity(-1), /`meanNll` must be >= 0, got -1/),
  );
  await t.step(
    "NaN throws",
    () => assert.throws(() => perplexity(NaN), /`meanNll` must be >= 0, got NaN/),
  );
});

Deno.test("information functions do not mutate their inputs", () => {
  const q = Object.freeze([0.1, 0.05, 0.4, 0.15, 0.3]);
  const y = Object.freeze([0, 0, 1, 0, 0]);
  entropy(q);
  crossEntropy(q, y);
  negativeLogLikelihood(q, 2);
  crossEntropyFromLogits(q, 1);
  assert.deepEqual(q, [0.1, 0.05, 0.4, 0.15, 0.3]);
});
