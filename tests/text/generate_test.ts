import assert from "node:assert/strict";
import fc from "fast-check";
import {
  type Candidate,
  chiSquaredTest,
  countClasses,
  decodingDistribution,
  entropy,
  generate,
  seededRandom,
  softmax,
  topK,
  topP,
  trainNGram,
} from "../../lib/mod.ts";
import { ARTICLE_PROBS, assertClose, probabilityVector, sum } from "../_helpers.ts";

const distribution = probabilityVector();

Deno.test("decodingDistribution() reshapes then cuts the next-word distribution", async (t) => {
  await t.step("T = 1 and no filter give the probabilities back", () => {
    assertClose(decodingDistribution(ARTICLE_PROBS), ARTICLE_PROBS, 1e-12);
  });
  await t.step("temperature is softmax(ln p / T): p^(1/T) renormalised", () => {
    const q = decodingDistribution(ARTICLE_PROBS, { temperature: 0.5 });
    const squares = ARTICLE_PROBS.map((p) => p * p);
    assertClose(q, squares.map((s) => s / sum(squares)), 1e-12);
    // numpy: p = np.array([.1, .05, .4, .15, .3]) ** (1 / 2); p / p.sum()
    assertClose(
      decodingDistribution(ARTICLE_PROBS, { temperature: 2 }),
      [0.15006222, 0.10611001, 0.30012444, 0.18378793, 0.25991539],
      1e-8,
    );
  });
  await t.step("T = 0 is one-hot on the first most probable entry", () => {
    assert.deepEqual([...decodingDistribution([0.2, 0.4, 0.4], { temperature: 0 })], [0, 1, 0]);
  });
  await t.step("top-k and top-p act after temperature, in that order", () => {
    const q = decodingDistribution(ARTICLE_PROBS, { temperature: 2, topK: 3, topP: 0.5 });
    const expected = topP(topK(softmax(ARTICLE_PROBS.map(Math.log), 2), 3), 0.5);
    assert.deepEqual([...q], [...expected]);
    assert.deepEqual([...q].map((x) => x > 0), [false, false, true, false, true]);
  });
  await t.step("zero-probability entries stay impossible at any temperature", () => {
    const q = decodingDistribution([0, 0.5, 0.5], { temperature: 100 });
    assert.equal(q[0], 0);
  });
  await t.step("does not mutate its input", () => {
    const probs = Object.freeze([0.5, 0.3, 0.2]);
    decodingDistribution(probs, { temperature: 0.7, topK: 2 });
    assert.deepEqual(probs, [0.5, 0.3, 0.2]);
  });
  await t.step(
    "properties: a distribution, inside the model's support, sharper below T = 1",
    () => {
      fc.assert(fc.property(
        distribution,
        fc.double({ min: 0.05, max: 20, noNaN: true }),
        fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }),
        fc.option(fc.double({ min: 0.01, max: 1, noNaN: true }), { nil: undefined }),
        (p, T, k, nucleus) => {
          const q = decodingDistribution(p, { temperature: T, topK: k, topP: nucleus });
          assertClose(sum(q), 1, 1e-9);
          q.forEach((x, i) => assert.ok(x === 0 || p[i]! > 0, "never adds a word"));
          if (k === undefined && nucleus === undefined) {
            const H = entropy(q);
            const H1 = entropy(p);
            if (T < 1) assert.ok(H <= H1 + 1e-9, `T = ${T}: ${H} > ${H1}`);
            if (T > 1) assert.ok(H >= H1 - 1e-9, `T = ${T}: ${H} < ${H1}`);
          }
        },
      ));
    },
  );
  await t.step("rejects bad options with the parameter's name", () => {
    assert.throws(
      () => decodingDistribution([1], { temperature: -1 }),
      /`temperature` must be >= 0, got -1/,
    );
    assert.throws(() => decodingDistribution([1], { topK: 0 }), /`topK` must be an integer >= 1/);
    assert.throws(() => decodingDistribution([1], { topP: 1.5 }), /`topP` must be in \(0, 1\]/);
    assert.throws(() => decodingDistribution([0.5, 0.6]), RangeError);
  });
});

/** A tiny model: after "a", "b" (0.6) or the end (0.4); after anything else, "a". */
const tiny = (context: readonly string[]): Candidate[] =>
  context.at(-1) === "a"
    ? [{ word: "b", probability: 0.6 }, { word: "</s>", probability: 0.4 }]
    : [{ word: "a", probability: 1 }];

Deno.test("generate() writes text word by word", async (t) => {
  await t.step("greedy is deterministic, ignores `random` and loops", () => {
    const text = generate(tiny, {
      length: 7,
      temperature: 0,
      random: () => {
        throw new Error("greedy must not draw");
      },
    });
    assert.deepEqual(text, ["a", "b", "a", "b", "a", "b", "a"]);
  });
  await t.step("gives exactly `length` tokens, the end token included", () => {
    const text = generate(tiny, { length: 50, random: seededRandom(3) });
    assert.equal(text.length, 50);
    assert.ok(text.includes("</s>"));
    assert.deepEqual(generate(tiny, { length: 0, random: seededRandom(3) }), []);
  });
  await t.step("passes the sentence so far, prompt included, and restarts after the end", () => {
    const seen: string[] = [];
    const next = (context: readonly string[]): Candidate[] => {
      seen.push(context.join(" "));
      return context.length >= 3
        ? [{ word: "</s>", probability: 1 }]
        : [{ word: "x", probability: 1 }];
    };
    const text = generate(next, { length: 4, prompt: ["p"], random: seededRandom(0) });
    assert.deepEqual(text, ["x", "x", "</s>", "x"]);
    assert.deepEqual(seen, ["p", "p x", "p x x", ""]);
  });
  await t.step("the same seed gives the same text", () => {
    const options = { length: 40, temperature: 1.3, random: seededRandom(11) };
    const first = generate(tiny, options);
    assert.deepEqual(generate(tiny, { ...options, random: seededRandom(11) }), first);
  });
  await t.step("sampled words follow the decoding distribution (chi-squared, seeded)", () => {
    // After "a" the model says b 0.6, </s> 0.4; at T = 0.5 that is 0.36 / 0.52 and 0.16 / 0.52.
    const random = seededRandom(2024);
    const draws = Array.from(
      { length: 20_000 },
      () =>
        generate(tiny, { length: 1, prompt: ["a"], temperature: 0.5, random })[0] === "b" ? 0 : 1,
    );
    const expected = decodingDistribution([0.6, 0.4], { temperature: 0.5 });
    assert.equal(chiSquaredTest(countClasses(draws, 2), expected).accepted, true);
    // Negative control: the same draws are not T = 1 draws.
    assert.equal(chiSquaredTest(countClasses(draws, 2), [0.6, 0.4]).accepted, false);
  });
  await t.step("a memoised `next` (same list per context) gives the same text", () => {
    const lists = new Map<string, Candidate[]>();
    const memo = (context: readonly string[]) => {
      const key = context.at(-1) ?? "";
      if (!lists.has(key)) lists.set(key, tiny(context));
      return lists.get(key)!;
    };
    for (const options of [{ temperature: 0.7 }, { temperature: 2, topK: 1 }, { topP: 0.5 }]) {
      const fresh = generate(tiny, { ...options, length: 60, random: seededRandom(8) });
      assert.deepEqual(generate(memo, { ...options, length: 60, random: seededRandom(8) }), fresh);
    }
  });
  await t.step("top-k 1 is greedy", () => {
    const text = generate(tiny, { length: 9, topK: 1, random: seededRandom(5) });
    assert.deepEqual(text, generate(tiny, { length: 9, temperature: 0, random: seededRandom(5) }));
  });
  await t.step("works with an n-gram model: every word continues a seen context", () => {
    const model = trainNGram([["the", "cat", "sat"], ["the", "dog", "sat"]], 2);
    const text = generate((c) => model.next(c), { length: 30, random: seededRandom(9) });
    for (let i = 1; i < text.length; i++) {
      if (text[i - 1] === "</s>") assert.equal(text[i], "the");
    }
    assert.ok(text.every((w) => ["the", "cat", "dog", "sat", "</s>"].includes(w)));
  });
  await t.step("an unseen context stops with a message saying what to do", () => {
    const model = trainNGram([["the", "cat"]], 3);
    assert.throws(
      () =>
        generate((c) => model.next(c), { length: 3, prompt: ["a", "dog"], random: Math.random }),
      /`next` returned no candidates after \["a", "dog"\]: the model never saw this context/,
    );
  });
  await t.step("rejects bad arguments", () => {
    assert.throws(
      () => generate(tiny, { length: -1, random: Math.random }),
      /`length` must be an integer >= 0, got -1/,
    );
    assert.throws(
      () => generate(tiny, { length: 1, temperature: -0.5, random: Math.random }),
      /`temperature` must be >= 0, got -0.5/,
    );
  });
});
