/**
 * The word vocabulary shared by every model compared from the MLP on: the sentence boundary
 * `</s>`, the unknown-word class `<unk>`, and the V most frequent words of the training files.
 * Every model predicts exactly these V + 2 tokens, so their losses on held-out text are comparable
 * (a model with a bigger vocabulary would pay for rare words the others lump into `<unk>`).
 *
 * `</s>` plays both boundary roles, as in bigram_model.ts and Karpathy's makemore: predicting it
 * ends a sentence, and as context it means "a sentence starts here", so a model reading a fixed
 * window pads the start of each sentence with it. `<s>` is not a token of this vocabulary.
 *
 * @module
 */

import { formatValue } from "../_validate.ts";
import { BOS, EOS, UNK } from "./tokens.ts";

/**
 * The default V: the 5,000 most frequent training words. Trained on Brown's 450 training files,
 * it leaves 13.4% of the 121,445 held-out tokens (words and `</s>`) as `<unk>`; getting under 10%
 * takes V = 8,157, which would make the output layer of every neural model 63% bigger
 * (tests/text/vocabulary_test.ts checks both figures).
 */
export const DEFAULT_VOCABULARY_WORDS = 5000;

/** The id of `</s>` in every {@link Vocabulary}. */
export const EOS_ID = 0;
/** The id of `<unk>` in every {@link Vocabulary}. */
export const UNK_ID = 1;

/**
 * A fixed list of tokens with their ids: `</s>` = 0, `<unk>` = 1, then the words.
 *
 * Create one from text with {@link buildVocabulary}, or from a saved token list with the
 * constructor.
 */
export class Vocabulary {
  /** The tokens in id order: `</s>`, `<unk>`, then the words (most frequent first). */
  readonly words: readonly string[];
  readonly #ids: Map<string, number>;

  /**
   * @param words The full token list, starting with `</s>` and `<unk>` (not modified).
   * @throws {TypeError} When `words` is not an array of strings.
   * @throws {RangeError} When it does not start with `</s>`, `<unk>`, contains `<s>`, or repeats a
   * token.
   */
  constructor(words: readonly string[]) {
    if (!Array.isArray(words)) {
      throw new TypeError(`\`words\` must be an array of strings, got ${formatValue(words)}`);
    }
    if (words[EOS_ID] !== EOS || words[UNK_ID] !== UNK) {
      throw new RangeError(
        `\`words\` must start with "${EOS}", "${UNK}", got ${formatValue(words.slice(0, 2))}`,
      );
    }
    const ids = new Map<string, number>();
    words.forEach((word, id) => {
      if (typeof word !== "string") {
        throw new TypeError(`\`words[${id}]\` must be a string, got ${formatValue(word)}`);
      }
      if (word === BOS) {
        throw new RangeError(`\`words\` must not contain "${BOS}" (at ${id})`);
      }
      if (ids.has(word)) {
        throw new RangeError(
          `\`words\` must not repeat a token: ${formatValue(word)} at ${ids.get(word)} and ${id}`,
        );
      }
      ids.set(word, id);
    });
    this.words = Object.freeze([...words]);
    this.#ids = ids;
  }

  /** The number of tokens: V words + 2. */
  get size(): number {
    return this.words.length;
  }

  /**
   * The id of a token; `<unk>`'s id (1) for a word outside the vocabulary.
   *
   * @param word A word or `</s>`.
   * @returns An id in [0, size).
   */
  id(word: string): number {
    return this.#ids.get(word) ?? UNK_ID;
  }

  /**
   * Whether `word` has its own id (it is `</s>`, `<unk>` or one of the V words).
   *
   * @param word Any string.
   * @returns True when in the vocabulary.
   */
  has(word: string): boolean {
    return this.#ids.has(word);
  }

  /**
   * The ids of a sentence's words (without `</s>`), unknown words as `<unk>`.
   *
   * @param sentence Words (not modified).
   * @returns A new Int32Array of the same length.
   * @throws {TypeError} When `sentence` is not an array.
   * @throws {RangeError} When it contains `</s>` or `<s>` (the boundary is not a word).
   */
  encode(sentence: readonly string[]): Int32Array {
    if (!Array.isArray(sentence)) {
      throw new TypeError(`\`sentence\` must be an array of words, got ${formatValue(sentence)}`);
    }
    const ids = new Int32Array(sentence.length);
    for (let i = 0; i < sentence.length; i++) {
      const word = sentence[i]!;
      if (word === EOS || word === BOS) {
        throw new RangeError(
          `\`sentence[${i}]\` must be a word, not the boundary ${formatValue(word)}`,
        );
      }
      ids[i] = this.id(word);
    }
    return ids;
  }

  /**
   * The sentence with every word outside the vocabulary replaced by `<unk>`: the text a count
   * model trained on this vocabulary sees.
   *
   * @param sentence Words (not modified).
   * @returns A new array of the same length.
   * @throws {TypeError} When `sentence` is not an array.
   */
  mapSentence(sentence: readonly string[]): string[] {
    if (!Array.isArray(sentence)) {
      throw new TypeError(`\`sentence\` must be an array of words, got ${formatValue(sentence)}`);
    }
    return sentence.map((word) => (this.#ids.has(word) ? word : UNK));
  }
}

/** Options of {@link buildVocabulary}. */
export interface VocabularyOptions {
  /** V: how many of the most frequent words get their own id; default 5,000. */
  words?: number;
}

/**
 * The vocabulary of the V most frequent words of some sentences.
 *
 * Formula: count every word; rank by count descending, ties by word (code-unit order); keep the
 * first V; tokens = [`</s>`, `<unk>`, those V words]. With fewer than V distinct words, all are
 * kept.
 *
 * @param sentences Training sentences (not modified). They must not contain `</s>`, `<s>` or
 * `<unk>`.
 * @param options `words` V (default {@link DEFAULT_VOCABULARY_WORDS}).
 * @returns A new {@link Vocabulary} of min(V, distinct words) + 2 tokens.
 * @throws {TypeError} When `sentences` is not an array of arrays of strings.
 * @throws {RangeError} When V is not an integer >= 1, or a sentence contains a special token.
 * Running cost: O(T + W log W) for T tokens and W distinct words.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildVocabulary } from "./vocabulary.ts";
 *
 * const vocabulary = buildVocabulary([["a", "b", "a"], ["c", "a", "b"]], { words: 2 });
 * assert.deepEqual(vocabulary.words, ["</s>", "<unk>", "a", "b"]);
 * assert.deepEqual([...vocabulary.encode(["b", "c"])], [3, 1]); // "c" is unknown
 * ```
 */
export function buildVocabulary(
  sentences: readonly (readonly string[])[],
  options: VocabularyOptions = {},
): Vocabulary {
  const size = options.words ?? DEFAULT_VOCABULARY_WORDS;
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError(`\`words\` must be an integer >= 1, got ${formatValue(size)}`);
  }
  if (!Array.isArray(sentences)) {
    throw new TypeError(
      `\`sentences\` must be an array of arrays of words, got ${formatValue(sentences)}`,
    );
  }
  const counts = new Map<string, number>();
  sentences.forEach((sentence, s) => {
    if (!Array.isArray(sentence)) {
      throw new TypeError(`\`sentences[${s}]\` must be an array of words, got ${typeof sentence}`);
    }
    for (const word of sentence) counts.set(word, (counts.get(word) ?? 0) + 1);
  });
  for (const special of [EOS, BOS, UNK]) {
    if (counts.has(special)) {
      throw new RangeError(`\`sentences\` must not contain the special token "${special}"`);
    }
  }
  const ranked = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
  return new Vocabulary([EOS, UNK, ...ranked.slice(0, size).map(([word]) => word)]);
}

/** How much of a text falls outside a vocabulary. */
export interface UnknownRate {
  /** Predicted tokens: every word plus one `</s>` per sentence. */
  tokens: number;
  /** Words outside the vocabulary (scored as `<unk>`). */
  unknown: number;
  /** unknown / tokens. */
  rate: number;
}

/**
 * The share of predicted tokens that a vocabulary turns into `<unk>`.
 *
 * Formula: rate = (words not in the vocabulary) / (words + sentences), counting the `</s>` that
 * ends each sentence as a predicted token (never unknown).
 *
 * @param vocabulary The vocabulary.
 * @param sentences The text, e.g. held-out sentences (not modified).
 * @returns `{ tokens, unknown, rate }`.
 * @throws {RangeError} When there are no sentences.
 * Running cost: O(T).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildVocabulary, unknownRate } from "./vocabulary.ts";
 *
 * const vocabulary = buildVocabulary([["a", "a", "b"]], { words: 1 });
 * const rate = unknownRate(vocabulary, [["a", "b", "c"]]); // "b" and "c" unknown; 3 words + </s>
 * assert.deepEqual(rate, { tokens: 4, unknown: 2, rate: 0.5 });
 * ```
 */
export function unknownRate(
  vocabulary: Vocabulary,
  sentences: readonly (readonly string[])[],
): UnknownRate {
  if (!Array.isArray(sentences) || sentences.length === 0) {
    throw new RangeError(
      `\`sentences\` must hold at least one sentence, got ${formatValue(sentences)}`,
    );
  }
  let tokens = 0;
  let unknown = 0;
  for (const sentence of sentences) {
    tokens += sentence.length + 1;
    for (const word of sentence) if (!vocabulary.has(word)) unknown++;
  }
  return { tokens, unknown, rate: unknown / tokens };
}
