import assert from "node:assert/strict";
import fc from "fast-check";
import {
  bigramGradient,
  bigramLoss,
  bigramProbabilities,
  countBigrams,
  countedProbabilities,
  countModelLoss,
  trainBigram,
} from "../../lib/text/bigram_model.ts";
import { brownFiles, splitByFile } from "../../lib/text/corpus.ts";
import { logSoftmax } from "../../lib/math/softmax.ts";
import { assertClose } from "../_helpers.ts";

const small = Object.freeze([
  ["the", "cat", "sat"],
  ["the", "dog", "sat"],
  ["a", "cat", "ran"],
  ["the", "cat"],
].map((s) => Object.freeze(s)));

/** Deterministic pseudo-random weights (a seeded LCG; no Math.random). */
function seededWeights(length: number, seed: number, scale = 2): Float64Array {
  let state = seed >>> 0;
  return Float64Array.from({ length }, () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return (state / 2 ** 32 - 0.5) * scale;
  });
}

/** The loss computed the slow, obvious way: −(1/N) Σ C_ij logSoftmax(W_i / T)_j. */
function referenceLoss(weights: Float64Array, counts: ReturnType<typeof countBigrams>, t = 1) {
  let sum = 0;
  for (let i = 0; i < counts.size; i++) {
    const row = logSoftmax(weights.subarray(i * counts.size, (i + 1) * counts.size), t);
    for (let j = 0; j < counts.size; j++) sum -= counts.counts[i * counts.size + j]! * row[j]!;
  }
  return sum / counts.total;
}

Deno.test("countBigrams() counts the </s>-separated stream", async (t) => {
  const counts = countBigrams(small, { vocabularySize: 4 });
  await t.step("tokens: </s>, top 3 words by count then alphabet, <unk>", () => {
    // the ×3, cat ×3, sat ×2; dog, a, ran ×1 → <unk>
    assert.deepEqual(counts.tokens, ["</s>", "cat", "the", "sat", "<unk>"]);
  });
  await t.step("hand counts", () => {
    const c = (a: string, b: string) =>
      counts.counts[counts.tokens.indexOf(a) * counts.size + counts.tokens.indexOf(b)];
    assert.equal(c("</s>", "the"), 3);
    assert.equal(c("</s>", "<unk>"), 1); // "a"
    assert.equal(c("the", "cat"), 2);
    assert.equal(c("the", "<unk>"), 1); // "dog"
    assert.equal(c("cat", "sat"), 1);
    assert.equal(c("cat", "</s>"), 1);
    assert.equal(c("<unk>", "<unk>"), 0); // a, dog, ran never follow each other
    assert.equal(c("<unk>", "sat"), 1); // dog sat
    assert.equal(c("<unk>", "cat"), 1);
  });
  await t.step("total = words + sentences; row totals add up", () => {
    assert.equal(counts.total, 11 + 4);
    assert.equal(counts.rowTotals.reduce((a, b) => a + b, 0), counts.total);
  });
  await t.step("a fixed token list counts held-out text on the same rows", () => {
    const held = countBigrams([["the", "bird"]], { tokens: counts.tokens });
    assert.deepEqual(held.tokens, counts.tokens);
    assert.equal(held.total, 3);
    assert.equal(held.counts[2 * held.size + 4], 1); // the → <unk>
  });
  await t.step("invalid options throw", () => {
    assert.throws(() => countBigrams(small, { vocabularySize: 0 }), {
      name: "RangeError",
      message: "`vocabularySize` must be an integer >= 1, got 0",
    });
    assert.throws(() => countBigrams(small, { tokens: ["a", "b"] }), RangeError);
  });
});

Deno.test("bigramLoss() matches the logSoftmax definition", () => {
  const counts = countBigrams(small, { vocabularySize: 4 });
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 2 ** 31 }),
      fc.double({ min: 0.2, max: 5, noNaN: true }),
      (seed, t) => {
        const w = seededWeights(counts.size ** 2, seed, 10);
        assertClose(bigramLoss(w, counts, t), referenceLoss(w, counts, t), 1e-10);
      },
    ),
  );
  assertClose(bigramLoss(new Float64Array(25), counts), Math.log(5), 1e-15);
});

Deno.test("bigramGradient() matches central finite differences", () => {
  const counts = countBigrams(small, { vocabularySize: 4 });
  const w = seededWeights(counts.size ** 2, 42);
  const frozen = Float64Array.from(w);
  const g = bigramGradient(w, counts);
  assert.deepEqual(w, frozen, "weights must not be modified");
  const h = 1e-5;
  for (let k = 0; k < w.length; k++) {
    const plus = Float64Array.from(w);
    const minus = Float64Array.from(w);
    plus[k]! += h;
    minus[k]! -= h;
    const numeric = (bigramLoss(plus, counts) - bigramLoss(minus, counts)) / (2 * h);
    assertClose(g[k]!, numeric, 1e-8);
  }
  // Each row of the gradient sums to zero (softmax is shift invariant).
  for (let i = 0; i < counts.size; i++) {
    assertClose(
      g.subarray(i * counts.size, (i + 1) * counts.size).reduce((a, b) => a + b),
      0,
      1e-15,
    );
  }
});

Deno.test("countModelLoss() is the minimum: Gibbs' inequality", () => {
  const counts = countBigrams(small, { vocabularySize: 4 });
  const best = countModelLoss(counts);
  fc.assert(
    fc.property(fc.integer({ min: 0, max: 2 ** 31 }), (seed) => {
      assert.ok(bigramLoss(seededWeights(25, seed, 6), counts) >= best);
    }),
  );
  // ln of the counted probabilities reaches it (up to the −Infinity of zero counts).
  const logCounted = Float64Array.from(
    countedProbabilities(counts),
    (p) => Math.log(Math.max(p, 1e-300)),
  );
  assertClose(bigramLoss(logCounted, counts), best, 1e-12);
});

Deno.test("trainBigram() lowers the loss toward the count model's", async (t) => {
  const counts = countBigrams(small, { vocabularySize: 6 });
  const best = countModelLoss(counts);
  for (const optimizer of ["adam", "momentum", "gd"] as const) {
    await t.step(`${optimizer}: starts at ln S, ends near the optimum`, () => {
      const steps = optimizer === "adam" ? 800 : 3000;
      const { losses } = trainBigram(counts, {
        optimizer,
        steps,
        learningRate: optimizer === "adam" ? 0.5 : 5,
      });
      assert.equal(losses.length, steps + 1);
      assertClose(losses[0]!, Math.log(counts.size), 1e-12);
      assert.ok(losses.at(-1)! < losses[0]!);
      assert.ok(losses.at(-1)! - best < 0.02, `${losses.at(-1)} vs ${best}`);
      assert.ok(losses.at(-1)! >= best);
    });
  }
  await t.step("trained probabilities converge to the counted ones", () => {
    const { weights } = trainBigram(counts, { steps: 2000 });
    const trained = bigramProbabilities(weights, counts.size);
    const counted = countedProbabilities(counts);
    for (let i = 0; i < counts.size; i++) {
      if (counts.rowTotals[i] === 0) continue; // never a context: no data, stays uniform
      for (let j = 0; j < counts.size; j++) {
        assertClose(trained[i * counts.size + j]!, counted[i * counts.size + j]!, 0.01);
      }
    }
  });
  await t.step("initialWeights are copied, not modified", () => {
    const start = Object.freeze(Array.from({ length: counts.size ** 2 }, () => 0.5));
    const { losses } = trainBigram(counts, { steps: 1, initialWeights: start });
    assertClose(losses[0]!, Math.log(counts.size), 1e-12);
  });
  await t.step("invalid options throw RangeError", () => {
    assert.throws(() => trainBigram(counts, { steps: -1 }), {
      name: "RangeError",
      message: "`steps` must be an integer >= 0, got -1",
    });
    assert.throws(() => trainBigram(counts, { learningRate: 0 }), RangeError);
    assert.throws(() => trainBigram(counts, { initialWeights: [1, 2] }), RangeError);
  });
});

Deno.test("trainBigram() resumed in pieces equals one run, bit for bit", async (t) => {
  const counts = countBigrams(small, { vocabularySize: 6 });
  for (const optimizer of ["adam", "momentum", "gd"] as const) {
    await t.step(`${optimizer}: 7 steps = 3 + 0 + 4 resumed steps`, () => {
      const learningRate = optimizer === "adam" ? 0.5 : 5;
      const once = trainBigram(counts, { optimizer, learningRate, steps: 7 });
      const a = trainBigram(counts, { optimizer, learningRate, steps: 3 });
      // Resume from frozen plain-array copies: reading them must be enough (no writes).
      const frozen = (x: ArrayLike<number> | undefined) =>
        x === undefined ? undefined : Object.freeze(Array.from(x));
      const checkpoint = Object.freeze({
        weights: frozen(a.weights)!,
        state: Object.freeze({
          optimizer: a.state.optimizer,
          step: a.state.step,
          velocity: frozen(a.state.velocity),
          m: frozen(a.state.m),
          v: frozen(a.state.v),
        }),
      });
      const b = trainBigram(counts, { learningRate, steps: 0, resume: checkpoint });
      const c = trainBigram(counts, { learningRate, steps: 4, resume: b });
      assert.deepEqual(c.weights, once.weights);
      assert.deepEqual(c.state, once.state);
      assert.deepEqual(
        Float64Array.from([...a.losses, ...b.losses.subarray(1), ...c.losses.subarray(1)]),
        once.losses,
      );
      assert.equal(c.state.step, 7);
    });
  }
  await t.step("the resumed run's arrays are copied, not shared or modified", () => {
    const a = trainBigram(counts, { steps: 2 });
    const before = structuredClone(a);
    const b = trainBigram(counts, { steps: 2, resume: a });
    assert.deepEqual(a, before);
    assert.notEqual(b.weights, a.weights);
    assert.notEqual(b.state.m, a.state.m);
    assert.notEqual(b.state.v, a.state.v);
  });
  await t.step("a mismatched or incomplete checkpoint throws", () => {
    const a = trainBigram(counts, { steps: 2 });
    assert.throws(() => trainBigram(counts, { optimizer: "gd", resume: a }), {
      name: "RangeError",
      message: '`optimizer` must be the resumed run\'s "adam", got "gd"',
    });
    assert.throws(
      () => trainBigram(counts, { resume: a, initialWeights: a.weights }),
      RangeError,
    );
    assert.throws(
      () => trainBigram(counts, { resume: { ...a, state: { ...a.state, step: -1 } } }),
      {
        name: "RangeError",
        message: "`resume.state.step` must be an integer >= 0, got -1",
      },
    );
    assert.throws(
      () => trainBigram(counts, { resume: { ...a, state: { ...a.state, v: undefined } } }),
      {
        name: "TypeError",
        message: "`resume.state.v` must be an array of numbers, got undefined",
      },
    );
    assert.throws(() => trainBigram(counts, { resume: { ...a, weights: [1, 2] } }), RangeError);
  });
});

Deno.test("trainBigram() on Brown reaches the count model's loss", async () => {
  const files = await brownFiles();
  const { train, heldOut } = splitByFile(files);
  const counts = countBigrams(train.flatMap((f) => f.sentences), { vocabularySize: 300 });
  const { weights, losses } = trainBigram(counts, { steps: 100 });
  const best = countModelLoss(counts);
  assert.ok(losses.at(-1)! - best < 0.01, `${losses.at(-1)} vs ${best}`);
  // Held-out loss is finite (softmax never gives 0) and above the training loss.
  const held = countBigrams(heldOut.flatMap((f) => f.sentences), { tokens: counts.tokens });
  const heldLoss = bigramLoss(weights, held);
  assert.ok(Number.isFinite(heldLoss) && heldLoss > losses.at(-1)!);
});
