import assert from "node:assert/strict";
import { brownFiles, splitByFile } from "../../lib/text/corpus.ts";
import {
  countLanguageModel,
  currentSentence,
  evaluationFromProbabilities,
  type LanguageModel,
  mixLanguageModels,
} from "../../lib/text/language_model.ts";
import { trainNGram } from "../../lib/text/ngram.ts";
import { buildVocabulary } from "../../lib/text/vocabulary.ts";
import { assertClose } from "../_helpers.ts";

const split = splitByFile(await brownFiles());
const train = split.train.flatMap((file) => file.sentences);
const heldOut = split.heldOut.flatMap((file) => file.sentences);
const vocabulary = buildVocabulary(train);

const tiny = Object.freeze([["a", "b", "a"], ["b", "c"]].map((s) => Object.freeze(s)));

function assertDistribution(model: LanguageModel, context: string[]): void {
  const next = model.next(context);
  assert.equal(next.length, model.vocabulary.size);
  assert.deepEqual(new Set(next.map((c) => c.word)), new Set(model.vocabulary.words));
  assertClose(next.reduce((s, c) => s + c.probability, 0), 1, 1e-9);
  for (let i = 1; i < next.length; i++) assert.ok(next[i - 1]!.probability >= next[i]!.probability);
}

Deno.test("currentSentence() keeps what follows the last </s>", () => {
  assert.deepEqual(currentSentence(["a", "</s>", "b", "c"]), ["b", "c"]);
  assert.deepEqual(currentSentence(["a", "b"]), ["a", "b"]);
  assert.deepEqual(currentSentence(["a", "</s>"]), []);
});

Deno.test("evaluationFromProbabilities() averages −ln p", () => {
  assert.deepEqual(evaluationFromProbabilities([1, 1]), { meanNll: 0, perplexity: 1, tokens: 2 });
  assert.equal(evaluationFromProbabilities([0.5, 0]).meanNll, Infinity);
  assert.throws(() => evaluationFromProbabilities([1.5]), {
    name: "RangeError",
    message: "`probabilities[0]` must be in [0, 1], got 1.5",
  });
});

Deno.test("countLanguageModel() wraps ngram.ts on the shared vocabulary", async (t) => {
  await t.step("probabilities are ngram.ts's on the <unk>-mapped text", () => {
    const small = buildVocabulary(tiny, { words: 2 }); // </s> <unk> a b; "c" is unknown
    const model = countLanguageModel(tiny, small, { n: 2 });
    const reference = trainNGram([["a", "b", "a"], ["b", "<unk>"]], 2);
    const p = model.tokenProbabilities([["b", "c"]]);
    const smoothing = { method: "interpolation" } as const;
    assert.deepEqual([...p], [
      reference.probability([], "b", smoothing),
      reference.probability(["b"], "<unk>", smoothing),
      reference.probability(["<unk>"], "</s>", smoothing),
    ]);
    assertDistribution(model, ["b"]);
  });
  await t.step("next() reads only the current sentence", () => {
    const model = countLanguageModel(tiny, buildVocabulary(tiny), { n: 2 });
    assert.deepEqual(model.next(["a", "b", "</s>"]), model.next([]));
    assert.deepEqual(model.next(["c", "</s>", "b"]), model.next(["b"]));
  });
  await t.step("evaluate() is −mean ln of tokenProbabilities()", () => {
    const model = countLanguageModel(tiny, buildVocabulary(tiny), { n: 1 });
    const p = model.tokenProbabilities(tiny);
    assert.equal(p.length, 7);
    assert.deepEqual(model.evaluate(tiny), evaluationFromProbabilities(p));
  });
  await t.step("refuses unsmoothed counts and missing words", () => {
    assert.throws(
      () => countLanguageModel(tiny, buildVocabulary(tiny), { smoothing: { method: "none" } }),
      { name: "RangeError", message: /must be "add-k" or "interpolation"/ },
    );
    assert.throws(() => countLanguageModel([["a"]], buildVocabulary(tiny)), {
      name: "RangeError",
      message: 'every vocabulary word must occur in `sentences`; missing ["b", "c"]',
    });
    assert.throws(() => countLanguageModel(tiny, buildVocabulary(tiny)).evaluate([]), {
      name: "RangeError",
      message: "`sentences` must hold at least one sentence, got 0",
    });
  });
});

Deno.test("count models on Brown with V = 5,000: unigram 262, bigram 111, trigram 104", () => {
  const perplexities = [1, 2, 3].map((n) => {
    const model = countLanguageModel(train, vocabulary, { n });
    const evaluation = model.evaluate(heldOut);
    assert.equal(evaluation.tokens, 121_445);
    return evaluation.perplexity;
  });
  assertClose(perplexities, [262.1676, 111.0208, 103.9989], 1e-4);
});

Deno.test("mixLanguageModels() averages probabilities", async (t) => {
  const unigram = countLanguageModel(train, vocabulary, { n: 1 });
  const trigram = countLanguageModel(train, vocabulary, { n: 3 });
  const mix = mixLanguageModels([{ model: trigram, weight: 0.8 }, { model: unigram, weight: 0.2 }]);
  const sample = heldOut.slice(0, 200);
  await t.step("token by token", () => {
    const p = mix.tokenProbabilities(sample);
    const p1 = unigram.tokenProbabilities(sample);
    const p3 = trigram.tokenProbabilities(sample);
    for (let i = 0; i < p.length; i++) assert.equal(p[i], 0.8 * p3[i]! + 0.2 * p1[i]!);
  });
  await t.step(
    "next() sums to 1 over the vocabulary",
    () => assertDistribution(mix, ["of", "the"]),
  );
  await t.step("the mixture's loss is at most the worse component's (convexity of −ln)", () => {
    const worst = Math.max(unigram.evaluate(sample).meanNll, trigram.evaluate(sample).meanNll);
    assert.ok(mix.evaluate(sample).meanNll <= worst);
  });
  await t.step("checks weights and vocabularies", () => {
    assert.throws(() => mixLanguageModels([{ model: unigram, weight: 0.5 }]), {
      name: "RangeError",
      message: "the weights of `components` must sum to 1, got 0.5",
    });
    const other = countLanguageModel(tiny, buildVocabulary(tiny), { n: 1 });
    assert.throws(
      () => mixLanguageModels([{ model: unigram, weight: 0.5 }, { model: other, weight: 0.5 }]),
      {
        name: "RangeError",
        message: "`components[1].model` must use the vocabulary of `components[0].model`",
      },
    );
  });
});
