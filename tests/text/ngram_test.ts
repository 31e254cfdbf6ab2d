import assert from "node:assert/strict";
import fc from "fast-check";
import { brownFiles, splitByFile } from "../../lib/text/corpus.ts";
import { defaultLambdas, type NextWord, type Smoothing, trainNGram } from "../../lib/text/ngram.ts";
import { assertClose } from "../_helpers.ts";

// Loaded once for the whole file.
const files = await brownFiles();
const all = files.flatMap((file) => file.sentences);
const split = splitByFile(files);
const train = split.train.flatMap((file) => file.sentences);
const heldOut = split.heldOut.flatMap((file) => file.sentences);

const tiny = Object.freeze([Object.freeze(["a", "b", "a"]), Object.freeze(["b", "a"])]);

const sumOf = (list: NextWord[]) => list.reduce((total, entry) => total + entry.probability, 0);

Deno.test("trainNGram() counts a tiny corpus by hand", async (t) => {
  // Padded for n = 2: <s> a b a </s> and <s> b a </s>.
  const bigram = trainNGram(tiny, 2);
  await t.step("next(['a']): </s> twice, b once", () => {
    assert.deepEqual(bigram.next(["a"]), [
      { word: "</s>", count: 2, probability: 2 / 3 },
      { word: "b", count: 1, probability: 1 / 3 },
    ]);
  });
  await t.step("next([]) is the first-word distribution; ties sorted by word", () => {
    assert.deepEqual(bigram.next([]), [
      { word: "a", count: 1, probability: 0.5 },
      { word: "b", count: 1, probability: 0.5 },
    ]);
    assert.deepEqual(bigram.next(["<s>"]), bigram.next([]));
  });
  await t.step("a longer context uses only its last n − 1 words", () => {
    assert.deepEqual(bigram.next(["x", "y", "b"]), [{ word: "a", count: 2, probability: 1 }]);
  });
  await t.step("count() of n-grams in the padded text", () => {
    assert.equal(bigram.count(["b", "a"]), 2);
    assert.equal(bigram.count(["a", "</s>"]), 2);
    assert.equal(bigram.count(["a"]), 3);
    assert.equal(bigram.count(["z"]), 0);
    assert.equal(bigram.tokenCount, 7);
  });
  await t.step("logProbability() multiplies the conditionals, </s> included", () => {
    assertClose(bigram.logProbability(["b", "a"]), Math.log(0.5 * 1 * (2 / 3)));
    assert.equal(bigram.logProbability(["a", "a"]), -Infinity);
  });
  await t.step("trigram: padding with two <s>, lower orders derived", () => {
    const trigram = trainNGram(tiny, 3);
    assert.deepEqual(trigram.next(["b", "a"]), [{ word: "</s>", count: 2, probability: 1 }]);
    assert.deepEqual(trigram.next(["b"]), [{ word: "a", count: 1, probability: 1 }]);
    assert.equal(trigram.count(["<s>", "<s>"]), 2);
    assert.equal(trigram.count(["<s>"]), 4);
    assert.equal(trigram.count(["b", "a"]), 2);
    assert.equal(trigram.count(["a"]), 3);
  });
  await t.step("unigram: P(w) = count(w) / (words + sentences)", () => {
    const unigram = trainNGram(tiny, 1);
    assert.deepEqual(unigram.next(["ignored"]), [
      { word: "a", count: 3, probability: 3 / 7 },
      { word: "</s>", count: 2, probability: 2 / 7 },
      { word: "b", count: 2, probability: 2 / 7 },
    ]);
  });
});

Deno.test("NGramModel.next() on an unseen context is [] , not an error", () => {
  const model = trainNGram(tiny, 3);
  assert.deepEqual(model.next(["b", "b"]), []);
  assert.deepEqual(model.next(["never", "seen"]), []);
  assert.equal(model.probability(["b", "b"], "a"), 0);
});

Deno.test("trainNGram() on the Brown corpus", async (t) => {
  const trigram = trainNGram(all, 3);
  await t.step('"to the" is followed 3,484 times; "editor" leads with 34', () => {
    const next = trigram.next(["to", "the"]);
    assert.equal(next.reduce((total, e) => total + e.count, 0), 3_484);
    assert.equal(trigram.count(["to", "the"]), 3_484);
    assert.deepEqual(next.slice(0, 3).map((e) => [e.word, e.count]), [
      ["editor", 34],
      ["point", 26],
      ["west", 25],
    ]);
    assertClose(next[0]!.probability, 34 / 3_484);
    assertClose(sumOf(next), 1, 1e-12);
  });
  await t.step("sorted by probability, then word (extent before public at 24)", () => {
    const next = trigram.next(["went", "to", "the"]);
    for (let i = 1; i < next.length; i++) {
      const [a, b] = [next[i - 1]!, next[i]!];
      assert.ok(
        a.probability > b.probability || (a.probability === b.probability && a.word < b.word),
      );
    }
    assert.deepEqual(trigram.next(["to", "the"]).slice(3, 5).map((e) => e.word), [
      "extent",
      "public",
    ]);
  });
  await t.step("1,218,532 predicted tokens (words plus one </s> per sentence)", () => {
    assert.equal(trigram.tokenCount, 1_161_192 + 57_340);
  });
  await t.step("the derived bigram counts equal a bigram model's", () => {
    const bigram = trainNGram(all, 2);
    for (const pair of [["to", "the"], ["of", "the"], ["<s>", "the"], ["the", "</s>"]]) {
      assert.equal(trigram.count(pair), bigram.count(pair), pair.join(" "));
    }
    assert.deepEqual(
      trigram.distribution(["the"], { method: "interpolation", lambdas: [0.5, 0, 0.5, 0] }).slice(
        0,
        5,
      ),
      bigram.distribution(["the"], { method: "interpolation", lambdas: [0.5, 0, 0.5] }).slice(0, 5)
        .map((e) => ({ ...e, count: trigram.count(["<s>", "the", e.word]) })),
    );
  });
});

Deno.test("NGramModel.evaluate() on held-out Brown files", async (t) => {
  const models = [1, 2, 3].map((n) => trainNGram(train, n, { minCount: 2 }));
  const interpolation: Smoothing = { method: "interpolation" };
  await t.step("without smoothing the held-out loss is infinite for n >= 2", () => {
    for (const model of models.slice(1)) {
      const result = model.evaluate(heldOut);
      assert.equal(result.meanNll, Infinity);
      assert.equal(result.perplexity, Infinity);
    }
  });
  await t.step("add-k and interpolation make it finite", () => {
    for (const model of models) {
      assert.ok(Number.isFinite(model.evaluate(heldOut, { method: "add-k", k: 0.01 }).meanNll));
      assert.ok(Number.isFinite(model.evaluate(heldOut, interpolation).meanNll));
    }
  });
  await t.step("interpolated perplexity falls with n and beats the uniform baseline", () => {
    const perplexities = models.map((m) => m.evaluate(heldOut, interpolation).perplexity);
    assert.ok(
      perplexities[0]! > perplexities[1]! && perplexities[1]! > perplexities[2]!,
      `${perplexities}`,
    );
    assert.ok(perplexities[0]! < models[0]!.vocabulary.length);
  });
  await t.step("tokens = words + sentences; mean NLL = −logP / tokens", () => {
    const result = models[2]!.evaluate(heldOut, interpolation);
    assert.equal(result.tokens, heldOut.reduce((total, s) => total + s.length + 1, 0));
    assertClose(result.meanNll, -result.logProbability / result.tokens, 1e-12);
    assertClose(result.perplexity, Math.exp(result.meanNll), 1e-9);
  });
  await t.step("evaluate() agrees with the sum of logProbability()", () => {
    const some = heldOut.slice(0, 50);
    const total = some.reduce((sum, s) => sum + models[2]!.logProbability(s, interpolation), 0);
    assertClose(models[2]!.evaluate(some, interpolation).logProbability, total, 1e-9);
  });
});

const smallCorpus = fc.array(
  fc.array(fc.constantFrom("a", "b", "c", "d"), { minLength: 0, maxLength: 6 }),
  { minLength: 1, maxLength: 8 },
);
const smoothing: fc.Arbitrary<Smoothing> = fc.oneof(
  fc.double({ min: 0.01, max: 5, noNaN: true }).map((k) => ({ method: "add-k", k }) as Smoothing),
  fc.array(fc.double({ min: 0.01, max: 1, noNaN: true }), { minLength: 4, maxLength: 4 }).map(
    (w) =>
      ({
        method: "interpolation",
        lambdas: w.map((x) => x / w.reduce((a, b) => a + b)),
      }) as Smoothing,
  ),
);

Deno.test("NGramModel.distribution() with smoothing sums to one over the vocabulary", () => {
  fc.assert(
    fc.property(
      smallCorpus,
      fc.array(fc.constantFrom("a", "b", "c", "x", "<s>"), { maxLength: 3 }),
      smoothing,
      (sentences, context, s) => {
        const model = trainNGram(sentences, 3);
        const dist = model.distribution(context, s);
        assert.equal(dist.length, model.vocabulary.length);
        assertClose(sumOf(dist), 1, 1e-9);
        for (const entry of dist) {
          assertClose(model.probability(context, entry.word, s), entry.probability, 1e-12);
        }
      },
    ),
    { numRuns: 200 },
  );
});

Deno.test("NGramModel.next() probabilities of a seen context sum to one", () => {
  fc.assert(
    fc.property(smallCorpus, fc.integer({ min: 1, max: 4 }), (sentences, n) => {
      const model = trainNGram(sentences, n);
      const first = model.next([]);
      assertClose(sumOf(first), 1, 1e-12);
      // Every sentence starts once; a unigram "context" is every predicted token.
      const expected = n === 1
        ? sentences.reduce((total, s) => total + s.length + 1, 0)
        : sentences.length;
      assert.equal(first.reduce((total, e) => total + e.count, 0), expected);
    }),
  );
});

Deno.test("trainNGram() derived lower orders match a directly trained model", () => {
  fc.assert(
    fc.property(smallCorpus, (sentences) => {
      const trigram = trainNGram(sentences, 3);
      const bigram = trainNGram(sentences, 2);
      for (const x of ["<s>", "a", "b", "c", "d"]) {
        for (const y of ["a", "b", "c", "d", "</s>"]) {
          assert.equal(trigram.count([x, y]), bigram.count([x, y]), `${x} ${y}`);
        }
      }
    }),
  );
});

Deno.test("interpolation falls back to shorter contexts when a context is unseen", () => {
  const model = trainNGram(tiny, 3);
  const lambdas = [0.1, 0.3, 0.6, 0]; // no trigram weight: bigram after "a", renormalised
  const p = model.probability(["never", "a"], "</s>", { method: "interpolation", lambdas });
  // V = {</s>, <unk>, a, b}; P1(</s>) = 2/7; P2(</s> | a) = 2/3
  assertClose(p, 0.1 / 4 + 0.3 * 2 / 7 + 0.6 * 2 / 3, 1e-12);
  assert.deepEqual(defaultLambdas(2), [0.01, 0.3, 0.69]);
});

Deno.test("trainNGram() checks its input and leaves it unchanged", async (t) => {
  await t.step("frozen input is accepted (never mutated)", () => {
    trainNGram(tiny, 2, { minCount: 2 });
  });
  await t.step("n must be an integer >= 1", () => {
    assert.throws(() => trainNGram(tiny, 0), {
      name: "RangeError",
      message: "`n` must be an integer >= 1, got 0",
    });
    assert.throws(() => trainNGram(tiny, 1.5), RangeError);
  });
  await t.step("padding words inside a sentence are rejected", () => {
    assert.throws(() => trainNGram([["a", "</s>"]], 2), RangeError);
    assert.throws(() => trainNGram([["<s>"]], 2), RangeError);
  });
  await t.step("non-string tokens are a TypeError", () => {
    assert.throws(() => trainNGram([[1 as unknown as string]], 2), TypeError);
  });
  await t.step("bad smoothing is a RangeError", () => {
    const model = trainNGram(tiny, 2);
    assert.throws(() => model.evaluate(tiny, { method: "add-k", k: 0 }), {
      name: "RangeError",
      message: "`k` must be a finite number > 0, got 0",
    });
    assert.throws(
      () => model.evaluate(tiny, { method: "interpolation", lambdas: [0.5, 0.5] }),
      RangeError,
    );
  });
  await t.step("minCount turns rare words into <unk>", () => {
    const model = trainNGram([["a", "b"], ["a", "c"]], 2, { minCount: 2 });
    assert.deepEqual(model.next(["a"]), [{ word: "<unk>", count: 2, probability: 1 }]);
    assert.deepEqual(model.next(["b"]), model.next(["<unk>"]));
  });
});
