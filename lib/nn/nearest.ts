/**
 * Which words a model thinks are alike: the rows of an embedding table nearest to a word's row,
 * by cosine similarity. After training, words used in similar contexts ("monday", "tuesday")
 * end up with vectors pointing in similar directions.
 *
 * @module
 */

import { formatValue } from "../_validate.ts";
import type { Vocabulary } from "../text/vocabulary.ts";
import type { Tensor } from "./tensor.ts";

/** A token and its cosine similarity to the query. */
export interface Neighbour {
  /** The token. */
  word: string;
  /** cos(angle) between the two vectors, in [−1, 1]. */
  similarity: number;
}

/**
 * The k tokens whose embedding vectors are closest in direction to a word's.
 *
 * Formula: similarity(u, v) = u · v / (‖u‖ ‖v‖) between row `word` and every other row; sorted by
 * similarity descending, ties by word. Rows of length 0 get similarity 0.
 *
 * @param embeddings The table, shape (S, E), row t the vector of token t (e.g. `model.embeddings`).
 * @param vocabulary The tokens of the rows.
 * @param word The query; must be in the vocabulary.
 * @param k How many neighbours (default 10).
 * @returns Up to k neighbours, the word itself excluded.
 * @throws {RangeError} When the table does not have one row per token, `word` is not in the
 * vocabulary, or k is not an integer >= 1.
 * Running cost: O(S·E).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildVocabulary } from "../text/vocabulary.ts";
 * import { nearestWords } from "./nearest.ts";
 * import { tensor } from "./tensor.ts";
 *
 * const vocabulary = buildVocabulary([["cat", "dog", "car"]]); // </s> <unk> car cat dog
 * // Rows: </s> (0, 0), <unk> (0, 1), car (−1, 0), cat (1, 0), dog (2, 0.1).
 * const table = tensor([0, 0, 0, 1, -1, 0, 1, 0, 2, 0.1], [5, 2], { dtype: "float64" });
 * const [first] = nearestWords(table, vocabulary, "cat", 1);
 * assert.equal(first!.word, "dog"); // (2, 0.1) points almost the way cat's (1, 0) does
 * ```
 */
export function nearestWords(
  embeddings: Tensor,
  vocabulary: Vocabulary,
  word: string,
  k = 10,
): Neighbour[] {
  const [rows, width] = embeddings.shape as [number, number];
  if (embeddings.shape.length !== 2 || rows !== vocabulary.size) {
    throw new RangeError(
      `\`embeddings\` must have shape [${vocabulary.size}, E] (one row per token), got ${
        formatValue(embeddings.shape)
      }`,
    );
  }
  if (!vocabulary.has(word)) {
    throw new RangeError(`\`word\` must be in the vocabulary, got ${formatValue(word)}`);
  }
  if (!Number.isInteger(k) || k < 1) {
    throw new RangeError(`\`k\` must be an integer >= 1, got ${formatValue(k)}`);
  }
  const data = embeddings.data;
  const norms = new Float64Array(rows);
  for (let t = 0; t < rows; t++) {
    let sum = 0;
    for (let j = 0; j < width; j++) sum += data[t * width + j]! ** 2;
    norms[t] = Math.sqrt(sum);
  }
  const query = vocabulary.id(word);
  const result: Neighbour[] = [];
  for (let t = 0; t < rows; t++) {
    if (t === query) continue;
    let dot = 0;
    for (let j = 0; j < width; j++) dot += data[query * width + j]! * data[t * width + j]!;
    const scale = norms[query]! * norms[t]!;
    result.push({ word: vocabulary.words[t]!, similarity: scale === 0 ? 0 : dot / scale });
  }
  result.sort((a, b) =>
    b.similarity - a.similarity || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0)
  );
  return result.slice(0, k);
}
