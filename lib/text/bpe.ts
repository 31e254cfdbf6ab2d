/**
 * Byte-level byte-pair encoding (BPE, the algorithm behind GPT-2's tokenizer), from scratch.
 *
 * A text is first cut into chunks by GPT-2's pre-tokenization pattern ({@linkcode preTokenize}:
 * words with their leading space, numbers, runs of punctuation, whitespace). Each chunk becomes its
 * UTF-8 bytes, and the 256 possible bytes are the first 256 tokens, so any text can be encoded and
 * nothing is ever unknown. Training ({@linkcode trainBpe}) then repeats one step: count every pair
 * of adjacent tokens inside the chunks, join the most frequent pair into a new token, and replace
 * it everywhere. Each step adds exactly one token to the vocabulary. Encoding a new text
 * ({@linkcode BpeTokenizer.encode}) replays the learned merges in the order they were learned;
 * decoding concatenates the tokens' bytes.
 *
 * **Tie rule.** When several pairs are equally frequent, the pair with the smaller left token id
 * wins, then the one with the smaller right token id. Byte tokens have their byte value as id, so
 * among byte pairs this is byte order (alphabetical for ASCII). The rule makes training
 * deterministic: the same text and number of merges always give the same merges.
 *
 * Why one file of about 480 lines: training, encoding and decoding share the merge table and the
 * tie rule, and splitting them would separate the rule from its uses.
 *
 * @module
 */

import { checkIndex, formatValue } from "../_validate.ts";
import { checkText, type Tokenizer } from "./tokenizers.ts";

/** Number of byte tokens: ids 0 to 255 stand for the bytes themselves. */
export const BYTE_TOKENS = 256;

/**
 * Largest supported vocabulary, 2^15: a pair is stored as the one number left · 2^15 + right, which
 * stays below 2^30, a small integer that JavaScript engines hash fast.
 */
const MAX_VOCABULARY = 1 << 15;

/** GPT-2's pre-tokenization pattern (OpenAI's `encoder.py`), as a regular-expression source. */
const GPT2_PATTERN = String
  .raw`'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`;

/** One learned merge: the token `id` stands for `pair[0]` followed by `pair[1]`. */
export interface Merge {
  /** The ids of the two tokens that are joined, left then right. */
  readonly pair: readonly [number, number];
  /** The id of the new token: 256 + the merge's position in the list. */
  readonly id: number;
  /** How often the pair occurred in the training text when it was merged (0 if unknown). */
  readonly count: number;
}

/**
 * Cuts a text into the chunks BPE works inside, with GPT-2's pattern: a few English contractions
 * (`'s`, `'t`, `'re`, `'ve`, `'m`, `'ll`, `'d`), then an optional space followed by letters, by
 * digits or by other symbols, then whitespace. A space before a word stays with the word, so
 * " playground" is one chunk; merges never cross a chunk boundary.
 *
 * Formula: the successive matches of
 * `'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+`; every character
 * falls in some alternative, so the chunks joined give the text back. Runs in O(length).
 *
 * @param text Any string.
 * @returns The chunks, in order; `preTokenize(text).join("") === text`.
 * @throws {TypeError} When `text` is not a string.
 *
 * @example Words keep their leading space
 * ```ts
 * import assert from "node:assert/strict";
 * import { preTokenize } from "./bpe.ts";
 *
 * assert.deepEqual(preTokenize("The boy's ball, 42."), ["The", " boy", "'s", " ball", ",", " 42", "."]);
 * ```
 */
export function preTokenize(text: string): string[] {
  if (typeof text !== "string") {
    throw new TypeError(`\`text\` must be a string, got ${formatValue(text)}`);
  }
  return text.match(new RegExp(GPT2_PATTERN, "gu")) ?? [];
}

/** The key of a pair of token ids in a Map. */
function pairKey(left: number, right: number): number {
  return left * MAX_VOCABULARY + right;
}

/** A new array with every non-overlapping (left, right), scanned left to right, replaced by `id`. */
function mergePair(ids: readonly number[], left: number, right: number, id: number): number[] {
  const out: number[] = [];
  let i = 0;
  while (i < ids.length) {
    if (i + 1 < ids.length && ids[i] === left && ids[i + 1] === right) {
      out.push(id);
      i += 2;
    } else {
      out.push(ids[i]!);
      i += 1;
    }
  }
  return out;
}

const UTF8 = new TextEncoder();

/**
 * A trained byte-level BPE tokenizer: 256 byte tokens plus one token per merge.
 *
 * Build one with {@linkcode trainBpe}, or from a list of merges.
 */
export class BpeTokenizer implements Tokenizer {
  /** The learned merges, in the order they were learned; merge k creates token 256 + k. */
  readonly merges: readonly Merge[];
  /** 256 + the number of merges: every id from 0 to vocabularySize − 1 is a token. */
  readonly vocabularySize: number;
  /** A short description, e.g. `"BPE, 300 merges"`. */
  readonly name: string;
  /** The bytes of every token, by id. */
  readonly #bytes: readonly Uint8Array[];
  /** Rank (position in `merges`) of each merged pair, by {@linkcode pairKey}. */
  readonly #ranks: ReadonlyMap<number, number>;

  /**
   * A tokenizer from merges, checked for consistency.
   *
   * Formula: bytes(id) = [id] for id < 256; bytes(256 + k) = bytes(left_k) ‖ bytes(right_k).
   *
   * @param merges Merge k must have `id` 256 + k and join two ids below its own.
   * @throws {TypeError} When `merges` is not an array.
   * @throws {RangeError} When a merge has the wrong id, joins an id that does not exist yet, or
   * repeats an earlier pair.
   *
   * @example Two merges by hand
   * ```ts
   * import assert from "node:assert/strict";
   * import { BpeTokenizer } from "./bpe.ts";
   *
   * const bpe = new BpeTokenizer([
   *   { pair: [104, 105], id: 256, count: 0 }, // "h" + "i" = "hi"
   *   { pair: [32, 256], id: 257, count: 0 }, // " " + "hi" = " hi"
   * ]);
   * assert.deepEqual(bpe.encode("hi hi!"), [256, 257, 33]); // "hi", " hi", "!"
   * assert.equal(bpe.vocabularySize, 258);
   * ```
   */
  constructor(merges: readonly Merge[]) {
    if (!Array.isArray(merges)) {
      throw new TypeError(`\`merges\` must be an array of merges, got ${formatValue(merges)}`);
    }
    if (BYTE_TOKENS + merges.length > MAX_VOCABULARY) {
      throw new RangeError(
        `\`merges\` must hold at most ${MAX_VOCABULARY - BYTE_TOKENS} merges, got ${merges.length}`,
      );
    }
    const bytes: Uint8Array[] = Array.from({ length: BYTE_TOKENS }, (_, b) => Uint8Array.of(b));
    const ranks = new Map<number, number>();
    const copies: Merge[] = [];
    merges.forEach((merge, k) => {
      const id = BYTE_TOKENS + k;
      if (merge?.id !== id) {
        throw new RangeError(`\`merges[${k}].id\` must be ${id}, got ${formatValue(merge?.id)}`);
      }
      const [left, right] = merge.pair;
      checkIndex(left, id, `merges[${k}].pair[0]`);
      checkIndex(right, id, `merges[${k}].pair[1]`);
      const key = pairKey(left, right);
      if (ranks.has(key)) {
        throw new RangeError(
          `\`merges[${k}].pair\` must be new, got [${left}, ${right}], already merge ${
            ranks.get(key)
          }`,
        );
      }
      ranks.set(key, k);
      const joined = new Uint8Array(bytes[left]!.length + bytes[right]!.length);
      joined.set(bytes[left]!);
      joined.set(bytes[right]!, bytes[left]!.length);
      bytes.push(joined);
      copies.push(
        Object.freeze({ pair: Object.freeze([left, right] as const), id, count: merge.count }),
      );
    });
    this.merges = Object.freeze(copies);
    this.vocabularySize = BYTE_TOKENS + merges.length;
    this.name = `BPE, ${merges.length} merges`;
    this.#bytes = bytes;
    this.#ranks = ranks;
  }

  /**
   * The same tokenizer with only its first `merges` merges: exactly what {@linkcode trainBpe}
   * would have returned had it stopped there (training is greedy, so a shorter run is a prefix of
   * a longer one). Train once, read off every smaller vocabulary.
   *
   * @param merges How many merges to keep, an integer in [0, this.merges.length].
   * @returns A new tokenizer with 256 + `merges` tokens.
   * @throws {RangeError} When `merges` is not an integer in range.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { trainBpe } from "./bpe.ts";
   *
   * const bpe = trainBpe("aaabdaaabac", 3);
   * assert.equal(bpe.withMerges(1).vocabularySize, 257);
   * assert.deepEqual(bpe.withMerges(1).encode("aaab"), [256, 97, 98]);
   * ```
   */
  withMerges(merges: number): BpeTokenizer {
    checkIndex(merges, this.merges.length + 1, "merges");
    return new BpeTokenizer(this.merges.slice(0, merges));
  }

  /**
   * Encodes a text as token ids.
   *
   * Formula: for each chunk of {@linkcode preTokenize}, start from its UTF-8 bytes; while some
   * adjacent pair has been merged in training, replace every occurrence (left to right) of the
   * pair that was merged earliest by its token. This replays training's merges in training order.
   * Running cost: O(L²) for a chunk of L bytes (chunks are words, so short); equal chunks are
   * encoded once per call.
   *
   * @param text A well-formed string (any Unicode; no lone surrogates).
   * @returns The token ids; `decode(encode(text)) === text`.
   * @throws {TypeError} When `text` is not a string.
   * @throws {RangeError} When `text` contains a lone surrogate.
   *
   * @example Bytes when nothing was learned
   * ```ts
   * import assert from "node:assert/strict";
   * import { BpeTokenizer } from "./bpe.ts";
   *
   * const bytesOnly = new BpeTokenizer([]);
   * assert.deepEqual(bytesOnly.encode("é!"), [0xc3, 0xa9, 0x21]);
   * ```
   */
  encode(text: string): number[] {
    checkText(text, "text");
    const seen = new Map<string, readonly number[]>();
    const out: number[] = [];
    for (const chunk of preTokenize(text)) {
      let ids = seen.get(chunk);
      if (ids === undefined) {
        ids = this.#encodeChunk(chunk);
        seen.set(chunk, ids);
      }
      for (const id of ids) out.push(id);
    }
    return out;
  }

  /** Encodes one pre-tokenized chunk. */
  #encodeChunk(chunk: string): number[] {
    let ids = Array.from(UTF8.encode(chunk));
    for (;;) {
      let best = Infinity;
      for (let i = 0; i + 1 < ids.length; i++) {
        const rank = this.#ranks.get(pairKey(ids[i]!, ids[i + 1]!));
        if (rank !== undefined && rank < best) best = rank;
      }
      if (best === Infinity) return ids;
      const [left, right] = this.merges[best]!.pair;
      ids = mergePair(ids, left, right, BYTE_TOKENS + best);
    }
  }

  /**
   * Decodes token ids back to text.
   *
   * Formula: the UTF-8 decoding of bytes(id₁) ‖ bytes(id₂) ‖ …; byte sequences that are not valid
   * UTF-8 (say, half a character) become U+FFFD "�". Runs in O(total bytes).
   *
   * @param ids Token ids, each an integer in [0, vocabularySize).
   * @returns The text.
   * @throws {TypeError} When `ids` is not an array or an id is not a number.
   * @throws {RangeError} When an id is not a token of this vocabulary.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { trainBpe } from "./bpe.ts";
   *
   * const bpe = trainBpe("low lower lowest", 4);
   * assert.equal(bpe.decode(bpe.encode("slower 男孩")), "slower 男孩");
   * ```
   */
  decode(ids: readonly number[]): string {
    if (!Array.isArray(ids)) {
      throw new TypeError(`\`ids\` must be an array of token ids, got ${formatValue(ids)}`);
    }
    let length = 0;
    ids.forEach((id, i) => {
      checkIndex(id, this.vocabularySize, `ids[${i}]`);
      length += this.#bytes[id]!.length;
    });
    const bytes = new Uint8Array(length);
    let at = 0;
    for (const id of ids) {
      bytes.set(this.#bytes[id]!, at);
      at += this.#bytes[id]!.length;
    }
    return new TextDecoder().decode(bytes);
  }

  /**
   * The bytes a token stands for.
   *
   * @param id A token id in [0, vocabularySize).
   * @returns A new array of its UTF-8 bytes (a token can hold part of a character).
   * @throws {RangeError} When `id` is not a token of this vocabulary.
   *
   * @example
   * ```ts
   * import assert from "node:assert/strict";
   * import { trainBpe } from "./bpe.ts";
   *
   * const bpe = trainBpe("aaabdaaabac", 1);
   * assert.deepEqual([...bpe.tokenBytes(256)], [97, 97]); // "aa"
   * ```
   */
  tokenBytes(id: number): Uint8Array {
    checkIndex(id, this.vocabularySize, "id");
    return this.#bytes[id]!.slice();
  }
}

/**
 * A max-heap of (count, pair key) entries: the larger count first, and for equal counts the smaller
 * key, which is the tie rule (smaller left id, then smaller right id). O(log n) per push and pop.
 */
class PairHeap {
  readonly #counts: number[] = [];
  readonly #keys: number[] = [];

  /** True when entry i must come out before entry j. */
  #before(i: number, j: number): boolean {
    const ci = this.#counts[i]!;
    const cj = this.#counts[j]!;
    return ci > cj || (ci === cj && this.#keys[i]! < this.#keys[j]!);
  }

  #swap(i: number, j: number): void {
    [this.#counts[i], this.#counts[j]] = [this.#counts[j]!, this.#counts[i]!];
    [this.#keys[i], this.#keys[j]] = [this.#keys[j]!, this.#keys[i]!];
  }

  push(count: number, key: number): void {
    this.#counts.push(count);
    this.#keys.push(key);
    for (let i = this.#counts.length - 1; i > 0;) {
      const parent = (i - 1) >> 1;
      if (!this.#before(i, parent)) break;
      this.#swap(i, parent);
      i = parent;
    }
  }

  /** Removes and returns the first entry as [count, key], or undefined when empty. */
  pop(): [number, number] | undefined {
    if (this.#counts.length === 0) return undefined;
    const top: [number, number] = [this.#counts[0]!, this.#keys[0]!];
    const lastCount = this.#counts.pop()!;
    const lastKey = this.#keys.pop()!;
    const n = this.#counts.length;
    if (n === 0) return top;
    this.#counts[0] = lastCount;
    this.#keys[0] = lastKey;
    for (let i = 0;;) {
      let first = i;
      for (const child of [2 * i + 1, 2 * i + 2]) {
        if (child < n && this.#before(child, first)) first = child;
      }
      if (first === i) return top;
      this.#swap(i, first);
      i = first;
    }
  }
}

/**
 * Trains byte-level BPE on a text: start from the 256 byte tokens, then `merges` times join the
 * most frequent adjacent pair of tokens into a new token.
 *
 * Formula: chunks = {@linkcode preTokenize}(text), each a sequence of byte ids; repeat: count(a, b)
 * = number of places where token a is directly followed by token b inside a chunk; pick the pair
 * with the largest count (ties: smaller a, then smaller b); give it id 256 + k; replace it, left
 * to right, in every chunk. Stops early when no chunk has two tokens left (then fewer merges are
 * returned). The vocabulary grows by exactly one token per merge.
 *
 * Running cost: equal chunks are counted once (a corpus of a million words has about 50,000
 * distinct chunks); after each merge only the chunks that contained the pair are recounted, and
 * the most frequent pair comes from a heap (O(log pairs) per update). On the Brown training files
 * (5.5 million characters) about 0.5 s to count, then about 0.5 s per 1,000 merges.
 *
 * @param text The training text (well-formed; any Unicode).
 * @param merges How many merges to learn, an integer >= 0.
 * @returns The trained tokenizer, with 256 + (merges learned) tokens.
 * @throws {TypeError} When `text` is not a string or `merges` is not a number.
 * @throws {RangeError} When `merges` is not an integer in [0, 1,048,320] or `text` has a lone
 * surrogate.
 *
 * @example Wikipedia's example: "aaabdaaabac" becomes "XdXac"
 * ```ts
 * import assert from "node:assert/strict";
 * import { trainBpe } from "./bpe.ts";
 *
 * const bpe = trainBpe("aaabdaaabac", 3);
 * // 256 = "a" + "a" (4 times); 257 = "a" + "b" (2 times, wins the tie with "aa" + "a" as
 * // 97 < 256); 258 = 256 + 257, "aaab" (2 times).
 * assert.deepEqual(bpe.merges.map((m) => [...m.pair, m.count]), [[97, 97, 4], [97, 98, 2], [256, 257, 2]]);
 * assert.deepEqual(bpe.encode("aaabdaaabac"), [258, 100, 258, 97, 99]);
 * ```
 */
export function trainBpe(text: string, merges: number): BpeTokenizer {
  checkText(text, "text");
  if (typeof merges !== "number") {
    throw new TypeError(`\`merges\` must be a number, got ${formatValue(merges)}`);
  }
  if (!(Number.isInteger(merges) && merges >= 0 && merges <= MAX_VOCABULARY - BYTE_TOKENS)) {
    throw new RangeError(
      `\`merges\` must be an integer in [0, ${MAX_VOCABULARY - BYTE_TOKENS}], got ${
        formatValue(merges)
      }`,
    );
  }
  // Each distinct chunk once, with how often it occurs.
  const chunkCounts = new Map<string, number>();
  for (const chunk of preTokenize(text)) chunkCounts.set(chunk, (chunkCounts.get(chunk) ?? 0) + 1);
  const words: number[][] = [...chunkCounts.keys()].map((chunk) => Array.from(UTF8.encode(chunk)));
  const weights: number[] = [...chunkCounts.values()];

  // pairCounts: how often each adjacent pair occurs; containing: which words (may) contain it.
  const pairCounts = new Map<number, number>();
  const containing = new Map<number, Set<number>>();
  // Adds (sign 1) or removes (sign −1) the pairs of word w. When adding after a merge, only pairs
  // with the new token are listed in `containing` (the others were in the word before) and in
  // `created`.
  const addPairs = (w: number, sign: 1 | -1, newToken = -1, created?: Set<number>) => {
    const ids = words[w]!;
    for (let i = 0; i + 1 < ids.length; i++) {
      const key = pairKey(ids[i]!, ids[i + 1]!);
      const count = (pairCounts.get(key) ?? 0) + sign * weights[w]!;
      if (count === 0) pairCounts.delete(key);
      else pairCounts.set(key, count);
      if (sign === 1 && (newToken === -1 || ids[i] === newToken || ids[i + 1] === newToken)) {
        let set = containing.get(key);
        if (set === undefined) containing.set(key, set = new Set());
        set.add(w);
        created?.add(key);
      }
    }
  };
  words.forEach((_, w) => addPairs(w, 1));

  // The most frequent pair comes from a heap. After a merge only pairs with the new token have
  // grown (they are pushed); the others can only have shrunk, so an entry may hold an old, larger
  // count: when popped it goes back in with its current count, and the true maximum surfaces.
  const heap = new PairHeap();
  for (const [key, count] of pairCounts) heap.push(count, key);
  const learned: Merge[] = [];
  while (learned.length < merges) {
    const top = heap.pop();
    if (top === undefined) break; // every chunk is a single token
    const [count, best] = top;
    const current = pairCounts.get(best) ?? 0;
    if (current !== count) {
      if (current > 0) heap.push(current, best);
      continue;
    }
    const left = Math.floor(best / MAX_VOCABULARY);
    const right = best % MAX_VOCABULARY;
    const id = BYTE_TOKENS + learned.length;
    const created = new Set<number>();
    for (const w of containing.get(best)!) {
      addPairs(w, -1);
      words[w] = mergePair(words[w]!, left, right, id);
      addPairs(w, 1, id, created);
    }
    for (const key of created) heap.push(pairCounts.get(key)!, key);
    containing.delete(best);
    learned.push({ pair: [left, right], id, count });
  }
  return new BpeTokenizer(learned);
}
