import assert from "node:assert/strict";
import { brownFiles, splitByFile } from "../../lib/text/corpus.ts";
import {
  buildVocabulary,
  DEFAULT_VOCABULARY_WORDS,
  EOS_ID,
  UNK_ID,
  unknownRate,
  Vocabulary,
} from "../../lib/text/vocabulary.ts";

const split = splitByFile(await brownFiles());
const train = split.train.flatMap((file) => file.sentences);
const heldOut = split.heldOut.flatMap((file) => file.sentences);

Deno.test("buildVocabulary() keeps the most frequent words after </s> and <unk>", async (t) => {
  const text = Object.freeze([Object.freeze(["b", "a", "c", "a"]), Object.freeze(["b", "d", "a"])]);
  await t.step("ranked by count, ties by word", () => {
    const vocabulary = buildVocabulary(text, { words: 3 });
    assert.deepEqual(vocabulary.words, ["</s>", "<unk>", "a", "b", "c"]);
    assert.equal(vocabulary.size, 5);
    assert.equal(vocabulary.id("</s>"), EOS_ID);
    assert.equal(vocabulary.id("d"), UNK_ID);
    assert.deepEqual(text[0], ["b", "a", "c", "a"]);
  });
  await t.step("fewer distinct words than V: all of them", () => {
    assert.equal(buildVocabulary(text).size, 4 + 2);
  });
  await t.step("special tokens in the text are refused", () => {
    assert.throws(() => buildVocabulary([["a", "</s>"]]), {
      name: "RangeError",
      message: '`sentences` must not contain the special token "</s>"',
    });
    assert.throws(() => buildVocabulary([["a"]], { words: 0 }), {
      name: "RangeError",
      message: "`words` must be an integer >= 1, got 0",
    });
  });
});

Deno.test("Vocabulary encodes sentences and maps unknown words", () => {
  const vocabulary = new Vocabulary(["</s>", "<unk>", "the", "cat"]);
  assert.deepEqual([...vocabulary.encode(["the", "dog"])], [2, 1]);
  assert.deepEqual(vocabulary.mapSentence(["the", "dog"]), ["the", "<unk>"]);
  assert.ok(vocabulary.has("cat") && !vocabulary.has("dog"));
  assert.throws(() => vocabulary.encode(["the", "</s>"]), {
    name: "RangeError",
    message: '`sentence[1]` must be a word, not the boundary "</s>"',
  });
  assert.throws(() => new Vocabulary(["<unk>", "</s>"]), {
    name: "RangeError",
    message: '`words` must start with "</s>", "<unk>", got ["<unk>", "</s>"]',
  });
  assert.throws(() => new Vocabulary(["</s>", "<unk>", "a", "a"]), {
    name: "RangeError",
    message: '`words` must not repeat a token: "a" at 2 and 3',
  });
});

Deno.test("the default V = 5,000 leaves 13.4% of Brown's held-out tokens unknown", () => {
  assert.equal(DEFAULT_VOCABULARY_WORDS, 5000);
  const vocabulary = buildVocabulary(train);
  assert.equal(vocabulary.size, 5002);
  assert.deepEqual(vocabulary.words.slice(0, 6), ["</s>", "<unk>", "the", ",", ".", "of"]);
  const rate = unknownRate(vocabulary, heldOut);
  assert.deepEqual(rate, { tokens: 121_445, unknown: 16_274, rate: 16_274 / 121_445 });
  // Under 10% takes V = 8,157: a 63% bigger output layer for every neural model.
  assert.ok(unknownRate(buildVocabulary(train, { words: 8157 }), heldOut).rate < 0.1);
  assert.ok(unknownRate(buildVocabulary(train, { words: 8156 }), heldOut).rate >= 0.1);
});
