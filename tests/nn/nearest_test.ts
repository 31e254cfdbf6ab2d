import assert from "node:assert/strict";
import { nearestWords, tensor } from "../../lib/nn/mod.ts";
import { Vocabulary } from "../../lib/text/vocabulary.ts";

const vocabulary = new Vocabulary(["</s>", "<unk>", "a", "b", "c", "d"]);
// Rows: </s> (0, 0), <unk> (1, 1), a (1, 0), b (2, 0.2), c (−1, 0), d (0, 3).
const table = tensor([0, 0, 1, 1, 1, 0, 2, 0.2, -1, 0, 0, 3], [6, 2], { dtype: "float64" });

Deno.test("nearestWords() ranks by cosine similarity, not by distance", () => {
  const neighbours = nearestWords(table, vocabulary, "a", 5);
  assert.deepEqual(neighbours.map((n) => n.word), ["b", "<unk>", "</s>", "d", "c"]);
  assert.equal(neighbours[0]!.similarity, 2 / Math.sqrt(4.04)); // b is twice as long, nearly parallel
  assert.equal(neighbours[1]!.similarity, 1 / Math.SQRT2);
  assert.equal(neighbours[2]!.similarity, 0); // a zero vector
  assert.equal(neighbours[4]!.similarity, -1); // opposite direction
  assert.equal(nearestWords(table, vocabulary, "a").length, 5); // never the word itself
});

Deno.test("nearestWords() checks its arguments", () => {
  assert.throws(() => nearestWords(table, vocabulary, "z"), {
    name: "RangeError",
    message: '`word` must be in the vocabulary, got "z"',
  });
  assert.throws(() => nearestWords(tensor([1, 2], [1, 2]), vocabulary, "a"), {
    name: "RangeError",
    message: "`embeddings` must have shape [6, E] (one row per token), got [1, 2]",
  });
  assert.throws(() => nearestWords(table, vocabulary, "a", 0), {
    name: "RangeError",
    message: "`k` must be an integer >= 1, got 0",
  });
});
