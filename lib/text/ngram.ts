/**
 * n-gram language models counted from sentences: P(next | the previous n − 1 words) as a ratio
 * of counts, plus smoothing (add-k, interpolation) so that text the model never saw gets a finite
 * loss.
 *
 * Why one file of about 650 lines: `NGramModel` is one class whose look-ups, smoothing and
 * evaluation share its private count tables; the counting hash table itself, which no notebook
 * teaches, lives in ngram_table.ts. About half of the lines are doc comments.
 *
 * Counting is two passes (see {@link trainNGram}): every word to its id, into one stream of padded
 * sentences, then every n-gram of that stream into the table, in order, so the table is exactly the
 * one that counting n-gram by n-gram would build.
 *
 * @module
 */

import {
  checkEntries,
  checkInteger,
  checkNumber,
  checkObject,
  checkSentences,
  checkString,
  checkStrings,
  checkSumToOne,
  formatValue,
  MAX_LENGTH,
  readNumbers,
} from "../_validate.ts";
import { NGramTable } from "./ngram_table.ts";
import { BOS, type Candidate, EOS, UNK } from "./tokens.ts";

/**
 * The most Int32 entries the count tables of one model (every order, the lower ones derived on
 * demand) may need: 4 × MAX_LENGTH (512 MB). Brown as a trigram model needs 21 million.
 */
const MAX_TABLE_ENTRIES = 4 * MAX_LENGTH;

const BOS_ID = 0;
const EOS_ID = 1;
const UNK_ID = 2;

/** One possible next word with its count after the context and its probability. */
export interface NextWord extends Candidate {
  /** count(context, word): how often the word followed the context in training. */
  count: number;
}

/**
 * How to turn counts into probabilities.
 *
 * - `{ method: "none" }`: maximum likelihood, P = count(context, w) / count(context). A word never
 *   seen after the context gets 0, and an unseen context has no distribution.
 * - `{ method: "add-k", k }`: P = (count(context, w) + k) / (count(context) + k·|V|), where |V| is
 *   the number of words that can be predicted (training words, `</s>` and `<unk>`). k = 1 is
 *   Laplace smoothing. An unseen context gives the uniform distribution 1/|V|. k is any finite
 *   number > 0; when k·|V| overflows (k near 1e308) the same ratio is computed as
 *   (count/k + 1) / (count(context)/k + |V|), so the distribution still sums to 1.
 * - `{ method: "interpolation", lambdas }`: Jelinek–Mercer interpolation,
 *   P = λ₀/|V| + λ₁·P₁(w) + λ₂·P₂(w | 1 word) + … + λₙ·Pₙ(w | n−1 words), each Pⱼ a maximum
 *   likelihood estimate from the last j − 1 context words; `lambdas` has n + 1 non-negative
 *   weights with λ₀ > 0 summing to 1 (default {@link defaultLambdas}). When the context of some
 *   order was never seen, that order's weight is dropped and the others are rescaled to sum to 1,
 *   so an unseen context falls back to the shorter ones.
 */
export type Smoothing =
  | { method: "none" }
  | { method: "add-k"; k: number }
  | { method: "interpolation"; lambdas?: readonly number[] };

/**
 * Default interpolation weights [λ₀ (uniform), λ₁ (unigram), …, λₙ] for an order-n model.
 *
 * Formula: n = 1: [0.01, 0.99]; n = 2: [0.01, 0.3, 0.69]; n = 3: [0.01, 0.2, 0.4, 0.39] (the best
 * of a small grid on Brown, training on 450 files and testing on the other 50, see
 * {@link splitByFile} in corpus.ts); n > 3: 0.01 then (0.99 / n) for each order.
 *
 * @param n The model order, an integer from 1 to MAX_LENGTH (2^25, the library's size limit).
 * @returns n + 1 weights summing to 1.
 * @throws {TypeError} When `n` is not a number.
 * @throws {RangeError} When `n` is not an integer in [1, 2^25].
 * Running cost: O(n).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { defaultLambdas } from "./ngram.ts";
 *
 * assert.deepEqual(defaultLambdas(3), [0.01, 0.2, 0.4, 0.39]);
 * ```
 */
export function defaultLambdas(n: number): number[] {
  checkOrder(n);
  if (n === 1) return [0.01, 0.99];
  if (n === 2) return [0.01, 0.3, 0.69];
  if (n === 3) return [0.01, 0.2, 0.4, 0.39];
  return [0.01, ...Array.from({ length: n }, () => 0.99 / n)];
}

/** Held-out evaluation of a model: the mean negative log-likelihood and the perplexity. */
export interface Evaluation {
  /** Number of predicted tokens: the words plus one `</s>` per sentence. */
  tokens: number;
  /** Σ ln P(token | context), natural log; −Infinity when some token has probability 0. */
  logProbability: number;
  /** Mean negative log-likelihood in nats per token: −logProbability / tokens. */
  meanNll: number;
  /** exp(meanNll): the effective number of equally likely choices per token. */
  perplexity: number;
  /** How many predicted tokens were not in the vocabulary and were scored as `<unk>`. */
  unknownTokens: number;
}

/** Options of {@link trainNGram}. */
export interface NGramOptions {
  /**
   * Words seen fewer than `minCount` times in training are replaced by `<unk>`, so that the model
   * learns how likely an unknown word is. Default 1: every word is kept and counts are exact.
   */
  minCount?: number;
}

/**
 * The m-grams of one order grouped by context (CSR layout): the m-grams whose first m − 1 words
 * are context c (an id in the order m − 1 table; 0 for the empty context of unigrams) are
 * `ids[start[c]] … ids[start[c + 1] − 1]`, and total[c] = Σ of their counts, `<s>` excluded.
 */
interface Children {
  start: Int32Array;
  ids: Int32Array;
  total: Float64Array;
}

/** Checks that `n` is an integer in [1, MAX_LENGTH]. */
function checkOrder(n: number): void {
  checkInteger(n, "n", { min: 1, limit: MAX_LENGTH });
}

/**
 * Checks a smoothing specification against the model order and returns a copy whose `lambdas`
 * (if any) is a Float64Array read once.
 */
function checkSmoothing(smoothing: Smoothing, n: number): Smoothing {
  const spec = checkObject<{ method?: unknown; k?: unknown; lambdas?: unknown }>(
    smoothing,
    "smoothing",
    "an object with a `method`",
  );
  const method = spec.method;
  if (method === "none") return { method };
  if (method === "add-k") {
    return { method, k: checkNumber(spec.k, "k", { min: 0, minExclusive: true, finite: true }) };
  }
  if (method === "interpolation") {
    if (spec.lambdas === undefined) return { method };
    const lambdas = readNumbers(spec.lambdas, "lambdas");
    if (lambdas.length !== n + 1) {
      throw new RangeError(
        `\`lambdas\` must have n + 1 = ${n + 1} weights (uniform, unigram, …), got ` +
          `${lambdas.length}`,
      );
    }
    checkEntries(lambdas, "lambdas", { min: 0, finite: true });
    let sum = 0;
    for (const lambda of lambdas) sum += lambda;
    checkSumToOne(sum, "`lambdas`");
    if (!(lambdas[0]! > 0)) {
      throw new RangeError(
        `\`lambdas[0]\` (the uniform weight) must be > 0 so every word gets a probability, got ${
          formatValue(lambdas[0])
        }`,
      );
    }
    return { method, lambdas: Array.from(lambdas) };
  }
  if (typeof method !== "string") {
    throw new TypeError(`\`smoothing.method\` must be a string, got ${formatValue(method)}`);
  }
  throw new RangeError(
    `\`smoothing.method\` must be "none", "add-k" or "interpolation", got ${formatValue(method)}`,
  );
}

/**
 * Add-k smoothing: (count + k) / (total + k·size), or the same ratio with numerator and
 * denominator divided by k when k·size overflows (k near 1e308), so the result never collapses to 0.
 */
function addK(count: number, total: number, k: number, size: number): number {
  const denominator = total + k * size;
  return denominator < Infinity ? (count + k) / denominator : (count / k + 1) / (total / k + size);
}

/**
 * A counted n-gram model; create one with {@link trainNGram}.
 *
 * Internally every word is an integer id and the m-grams of each order (m = 1 … n) are keys of a
 * typed-array hash table, so no string keys are ever built. Training counts only the n-grams; the
 * lower orders (needed by interpolation) are derived from them on first use: an (m−1)-gram is the
 * suffix of the m-grams that end where it ends, plus the all-`<s>` padding at sentence starts.
 */
export class NGramModel {
  /** The order: how many words an n-gram spans (1 = unigram, 2 = bigram, 3 = trigram, …). */
  readonly n: number;
  readonly #ids: Map<string, number>;
  readonly #words: string[];
  readonly #sentences: number;
  /** #tables[m] counts the m-grams (index 0 unused). */
  readonly #tables: (NGramTable | undefined)[];
  readonly #children: (Children | undefined)[] = [];
  readonly #defaultLambdas: number[];

  /**
   * Use {@link trainNGram}; the constructor is internal (its `top` table type is not exported).
   *
   * @throws {TypeError} When an argument does not come from {@link trainNGram}.
   */
  constructor(
    n: number,
    ids: Map<string, number>,
    words: string[],
    sentences: number,
    top: NGramTable,
  ) {
    checkOrder(n);
    checkInteger(sentences, "sentences", { min: 0 });
    if (!(ids instanceof Map) || !Array.isArray(words) || !(top instanceof NGramTable)) {
      throw new TypeError("`NGramModel` must be created by `trainNGram(sentences, n)`");
    }
    this.n = n;
    this.#ids = ids;
    this.#words = words;
    this.#sentences = sentences;
    this.#tables = [];
    this.#tables[n] = top;
    this.#defaultLambdas = defaultLambdas(n);
  }

  /**
   * The words the model can predict, |V| of them: `</s>`, `<unk>` and every training word kept
   * (`<s>` is never predicted, so it is not included). Order: `</s>`, `<unk>`, then first seen.
   */
  get vocabulary(): string[] {
    return this.#words.slice(1);
  }

  /** How many tokens were predicted in training: the words plus one `</s>` per sentence. */
  get tokenCount(): number {
    return this.#childrenOf(1).total[0]!;
  }

  /**
   * How often a sequence of 1 … n words occurs in the padded training sentences.
   *
   * @param words The sequence, e.g. `["to", "the"]`; `<s>` and `</s>` may appear as in padding.
   * @returns Its count; 0 if never seen or if it contains an unknown word.
   * @throws {TypeError} When `words` is not an array of strings.
   * @throws {RangeError} When the sequence is empty or longer than n.
   */
  count(words: readonly string[]): number {
    checkStrings(words, "words");
    if (words.length < 1 || words.length > this.n) {
      throw new RangeError(
        `\`words\` must have 1 to ${this.n} words, got ${formatValue(words.length)}`,
      );
    }
    const key = new Int32Array(words.length);
    for (let j = 0; j < words.length; j++) {
      const id = this.#ids.get(words[j]!);
      if (id === undefined) return 0;
      key[j] = id;
    }
    const table = this.#table(words.length);
    const id = table.find(key);
    return id === -1 ? 0 : table.countAt(id);
  }

  /**
   * The observed next words after a context, with counts and maximum-likelihood probabilities.
   *
   * Formula: P(w | context) = count(context, w) / count(context), where count(context) = Σ over w'
   * of count(context, w'): the Venn formula P(next | context) = P(context ∩ next) / P(context).
   * The context is the words of the sentence so far: only its last n − 1 words are used, and a
   * shorter one is padded on the left with `<s>` (so `[]` asks for the first word of a sentence).
   *
   * @param context The preceding words.
   * @returns Every word seen after the context, sorted by probability (descending) then word; `[]`
   * when the context never occurred (or contains a word outside the vocabulary).
   * @throws {TypeError} When `context` is not an array of strings.
   * Running cost: O(k log k) for k distinct next words, after a one-off O(entries) index build.
   */
  next(context: readonly string[]): NextWord[] {
    const ids = this.#contextIds(context);
    const c = this.#contextId(ids, this.n - 1);
    if (c === -1) return [];
    const children = this.#childrenOf(this.n);
    const table = this.#table(this.n);
    const total = children.total[c]!;
    const result: NextWord[] = [];
    for (let j = children.start[c]!; j < children.start[c + 1]!; j++) {
      const id = children.ids[j]!;
      const word = table.wordAt(id, this.n - 1);
      if (word === BOS_ID) continue;
      const count = table.countAt(id);
      result.push({ word: this.#words[word]!, count, probability: count / total });
    }
    return result.sort(byProbabilityThenWord);
  }

  /**
   * The probability of one next word after a context.
   *
   * Formula: see {@link Smoothing}; with `none`, count(context, w) / count(context). A word outside
   * the vocabulary is scored as `<unk>`.
   *
   * @param context The preceding words (last n − 1 used, left-padded with `<s>`).
   * @param word The next word; `</s>` for the end of the sentence.
   * @param smoothing How to smooth; default `{ method: "none" }`.
   * @returns P(word | context) in [0, 1]; 0 for an unseen context without smoothing.
   * @throws {TypeError} When `context` is not an array of strings, `word` not a string or
   * `smoothing` not an object.
   * @throws {RangeError} On an invalid smoothing specification.
   * Running cost: O(n) hash look-ups.
   */
  probability(
    context: readonly string[],
    word: string,
    smoothing: Smoothing = { method: "none" },
  ): number {
    const checked = checkSmoothing(smoothing, this.n);
    const ids = this.#contextIds(context);
    checkString(word, "word");
    const key = new Int32Array(this.n);
    key.set(ids);
    key[this.n - 1] = this.#id(word);
    return this.#probability(key, checked);
  }

  /**
   * The full distribution over the vocabulary after a context.
   *
   * Formula: P(w | context) for every w in {@link vocabulary}, as in {@link Smoothing}; with
   * `none` this is {@link next} (only observed words).
   *
   * @param context The preceding words (last n − 1 used, left-padded with `<s>`).
   * @param smoothing How to smooth; default `{ method: "none" }`.
   * @returns Entries sorted by probability (descending) then word; with smoothing, all |V| words,
   * their probabilities summing to 1. `count` is count(context, w) of the full context.
   * @throws {TypeError} When `context` is not an array of strings or `smoothing` not an object.
   * @throws {RangeError} On an invalid smoothing specification.
   * Running cost: O(|V| log |V|).
   */
  distribution(
    context: readonly string[],
    smoothing: Smoothing = { method: "none" },
  ): NextWord[] {
    smoothing = checkSmoothing(smoothing, this.n);
    if (smoothing.method === "none") return this.next(context);
    const ids = this.#contextIds(context);
    const size = this.#words.length;
    const vocabularySize = size - 1;
    const counts = new Float64Array(size);
    const c = this.#contextId(ids, this.n - 1);
    if (c !== -1) this.#addChildren(this.n, c, 1, counts);
    const probabilities = new Float64Array(size);
    if (smoothing.method === "add-k") {
      const total = c === -1 ? 0 : this.#childrenOf(this.n).total[c]!;
      for (let w = 1; w < size; w++) {
        probabilities[w] = addK(counts[w]!, total, smoothing.k, vocabularySize);
      }
    } else {
      const lambdas = smoothing.lambdas ?? defaultLambdas(this.n);
      let weightSum = lambdas[0]!;
      probabilities.fill(lambdas[0]! / vocabularySize);
      for (let m = 1; m <= this.n; m++) {
        if (lambdas[m] === 0) continue;
        const cm = this.#contextId(ids, m - 1);
        if (cm === -1) continue;
        const total = this.#childrenOf(m).total[cm]!;
        if (total === 0) continue;
        weightSum += lambdas[m]!;
        this.#addChildren(m, cm, lambdas[m]! / total, probabilities);
      }
      for (let w = 1; w < size; w++) probabilities[w]! /= weightSum;
    }
    const result: NextWord[] = [];
    for (let w = 1; w < size; w++) {
      result.push({ word: this.#words[w]!, count: counts[w]!, probability: probabilities[w]! });
    }
    return result.sort(byProbabilityThenWord);
  }

  /**
   * The natural-log probability of a whole sentence, its end included.
   *
   * Formula: ln P(w₁ … w_L) = Σ_{i=1}^{L+1} ln P(wᵢ | wᵢ₋ₙ₊₁ … wᵢ₋₁), with n − 1 `<s>` before w₁
   * and w_{L+1} = `</s>`.
   *
   * @param sentence The words (without padding).
   * @param smoothing How to smooth; default `{ method: "none" }`.
   * @returns A number <= 0; −Infinity when, unsmoothed, some n-gram was never seen (or a
   * smoothed probability underflows to 0, with k near 5e-324).
   * @throws {TypeError} When `sentence` is not an array of strings or `smoothing` not an object.
   * @throws {RangeError} On an invalid smoothing specification.
   * Running cost: O(n·L) hash look-ups.
   */
  logProbability(
    sentence: readonly string[],
    smoothing: Smoothing = { method: "none" },
  ): number {
    const checked = checkSmoothing(smoothing, this.n);
    checkStrings(sentence, "sentence");
    return this.#scoreSentence(sentence, checked).logProbability;
  }

  /**
   * Scores held-out sentences: mean negative log-likelihood per token and perplexity.
   *
   * Formula: meanNll = −(1/T) Σ_sentences ln P(sentence), T = Σ (length + 1); perplexity =
   * exp(meanNll). Unknown words are scored as `<unk>`.
   *
   * @param sentences The held-out sentences.
   * @param smoothing How to smooth; default `{ method: "none" }`, which gives Infinity as soon as
   * one n-gram of the held-out text was never seen in training.
   * @returns `{ tokens, logProbability, meanNll, perplexity, unknownTokens }`.
   * @throws {TypeError} When `sentences` is not an array of arrays of strings or `smoothing` not
   * an object.
   * @throws {RangeError} On an invalid smoothing specification or when there are no sentences.
   * Running cost: O(n·T) hash look-ups.
   */
  evaluate(
    sentences: readonly (readonly string[])[],
    smoothing: Smoothing = { method: "none" },
  ): Evaluation {
    smoothing = checkSmoothing(smoothing, this.n);
    checkSentences(sentences, "sentences");
    if (sentences.length === 0) {
      throw new RangeError(`\`sentences\` must contain at least one sentence, got 0`);
    }
    let tokens = 0;
    let logProbability = 0;
    let unknownTokens = 0;
    for (const sentence of sentences) {
      const score = this.#scoreSentence(sentence, smoothing);
      tokens += sentence.length + 1;
      logProbability += score.logProbability;
      unknownTokens += score.unknown;
    }
    const meanNll = 0 - logProbability / tokens; // 0 - x, not -x: no -0 for a certain text
    return { tokens, logProbability, meanNll, perplexity: Math.exp(meanNll), unknownTokens };
  }

  #id(word: string): number {
    return this.#ids.get(word) ?? UNK_ID;
  }

  /** The last n − 1 context ids, left-padded with `<s>`. */
  #contextIds(context: readonly string[]): Int32Array {
    checkStrings(context, "context");
    const size = this.n - 1;
    const ids = new Int32Array(size).fill(BOS_ID);
    const take = Math.min(size, context.length);
    for (let j = 0; j < take; j++) {
      ids[size - take + j] = this.#id(context[context.length - take + j]!);
    }
    return ids;
  }

  /** Id of the context made of the last `length` of `key[0 … end)`: 0 if empty, −1 if unseen. */
  #contextId(key: Int32Array, length: number, end = key.length): number {
    if (length === 0) return 0;
    return this.#table(length).find(key, end - length);
  }

  /**
   * The table of the m-grams (1 <= m <= n), derived from the (m+1)-grams on first use, and those
   * from the (m+2)-grams, …: a loop, not a recursion, so a high order cannot overflow the stack.
   */
  #table(m: number): NGramTable {
    let known = m;
    while (this.#tables[known] === undefined) known++; // #tables[n] is always there
    for (let k = known - 1; k >= m; k--) this.#tables[k] = this.#derive(k, this.#tables[k + 1]!);
    return this.#tables[m]!;
  }

  /** The m-gram table derived from the (m+1)-gram table `longer`. */
  #derive(m: number, longer: NGramTable): NGramTable {
    const table = new NGramTable(m, longer.size);
    for (let id = 0; id < longer.slotCount; id++) {
      const count = longer.countAt(id);
      if (count === 0) continue;
      const key = new Int32Array(m);
      for (let j = 0; j < m; j++) key[j] = longer.wordAt(id, j + 1);
      table.add(key, 0, count);
    }
    // The m-gram <s>…<s> that ends at padding position m − 1: once per sentence, never a suffix
    // of a longer m-gram.
    if (this.#sentences > 0) table.add(new Int32Array(m).fill(BOS_ID), 0, this.#sentences);
    return table;
  }

  /** Adds scale · count(context, w) into into[w] for every observed w after context c. */
  #addChildren(m: number, c: number, scale: number, into: Float64Array): void {
    const children = this.#childrenOf(m);
    const table = this.#table(m);
    for (let j = children.start[c]!; j < children.start[c + 1]!; j++) {
      const id = children.ids[j]!;
      const word = table.wordAt(id, m - 1);
      if (word !== BOS_ID) into[word]! += scale * table.countAt(id);
    }
  }

  /** The m-grams grouped by their context (built on first use). */
  #childrenOf(m: number): Children {
    const cached = this.#children[m];
    if (cached !== undefined) return cached;
    const table = this.#table(m);
    const contexts = m === 1 ? 1 : this.#table(m - 1).slotCount;
    const context = new Int32Array(table.slotCount).fill(-1);
    const start = new Int32Array(contexts + 1);
    const total = new Float64Array(contexts);
    const key = new Int32Array(Math.max(1, m - 1));
    for (let id = 0; id < table.slotCount; id++) {
      const count = table.countAt(id);
      if (count === 0) continue;
      let c = 0;
      if (m > 1) {
        for (let j = 0; j < m - 1; j++) key[j] = table.wordAt(id, j);
        c = this.#table(m - 1).find(key);
      }
      context[id] = c;
      start[c + 1]!++;
      if (table.wordAt(id, m - 1) !== BOS_ID) total[c]! += count;
    }
    for (let c = 0; c < contexts; c++) start[c + 1]! += start[c]!;
    const fill = start.slice(0, contexts);
    const ids = new Int32Array(table.size);
    for (let id = 0; id < table.slotCount; id++) {
      if (context[id] !== -1) ids[fill[context[id]!]!++] = id;
    }
    const children = { start, ids, total };
    this.#children[m] = children;
    return children;
  }

  /**
   * P(key[n−1] | key[0 … n−1)) for a full key of n ids.
   */
  #probability(key: Int32Array, smoothing: Smoothing): number {
    const n = this.n;
    if (smoothing.method === "interpolation") {
      const lambdas = smoothing.lambdas ?? this.#defaultLambdas;
      let weightSum = lambdas[0]!;
      let p = lambdas[0]! / (this.#words.length - 1);
      for (let m = 1; m <= n; m++) {
        if (lambdas[m] === 0) continue;
        const c = this.#contextId(key, m - 1, n - 1);
        if (c === -1) continue;
        const total = this.#childrenOf(m).total[c]!;
        if (total === 0) continue;
        weightSum += lambdas[m]!;
        const id = this.#table(m).find(key, n - m);
        if (id !== -1) p += lambdas[m]! * this.#table(m).countAt(id) / total;
      }
      return p / weightSum;
    }
    const c = this.#contextId(key, n - 1, n - 1);
    const total = c === -1 ? 0 : this.#childrenOf(n).total[c]!;
    let count = 0;
    if (c !== -1) {
      const id = this.#table(n).find(key, 0);
      if (id !== -1) count = this.#table(n).countAt(id);
    }
    if (smoothing.method === "add-k") {
      return addK(count, total, smoothing.k, this.#words.length - 1);
    }
    return total === 0 ? 0 : count / total;
  }

  #scoreSentence(
    sentence: readonly string[],
    smoothing: Smoothing,
  ): { logProbability: number; unknown: number } {
    const n = this.n;
    const key = new Int32Array(n).fill(BOS_ID);
    let logProbability = 0;
    let unknown = 0;
    for (let i = 0; i <= sentence.length; i++) {
      let word = EOS_ID;
      if (i < sentence.length) {
        const id = this.#ids.get(sentence[i]!);
        if (id === undefined) unknown++;
        word = id ?? UNK_ID;
      }
      key[n - 1] = word;
      logProbability += Math.log(this.#probability(key, smoothing));
      key.copyWithin(0, 1);
    }
    return { logProbability, unknown };
  }
}

/** Sort order of next-word lists: probability descending, then word ascending (code units). */
function byProbabilityThenWord(a: NextWord, b: NextWord): number {
  return b.probability - a.probability || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0);
}

/**
 * The sentences as one stream of word ids, each sentence padded as the model counts it: n − 1
 * `<s>`, its words, `</s>`. A word seen for the first time gets the next id (and is appended to
 * `words`), or `<unk>`'s id when it is in `rare`; `ids` records both.
 *
 * @throws {RangeError} When a sentence contains `<s>` or `</s>`.
 */
function paddedIds(
  sentences: readonly (readonly string[])[],
  n: number,
  ids: Map<string, number>,
  words: string[],
  rare: Set<string> | undefined,
): Int32Array {
  let length = 0;
  for (const sentence of sentences) length += n + sentence.length;
  const padded = new Int32Array(length).fill(BOS_ID);
  let k = 0;
  for (let s = 0; s < sentences.length; s++) {
    const sentence = sentences[s]!;
    k += n - 1;
    for (let i = 0; i < sentence.length; i++) {
      const text = sentence[i]!;
      let id = ids.get(text);
      if (id === undefined) {
        id = rare !== undefined && rare.has(text) ? UNK_ID : words.push(text) - 1;
        ids.set(text, id);
      } else if (id < UNK_ID) {
        throw new RangeError(
          `\`sentences[${s}]\` must not contain the padding word ${formatValue(text)}`,
        );
      }
      padded[k++] = id;
    }
    padded[k++] = EOS_ID;
  }
  return padded;
}

/**
 * Counts an n-gram model from sentences.
 *
 * Formula: each sentence w₁ … w_L is padded to `<s>`×(n−1) w₁ … w_L `</s>`, and every n-gram
 * ending at a word or at `</s>` is counted; then
 * P(w | context) = count(context, w) / count(context) (see {@link NGramModel.next}).
 *
 * @param sentences The training sentences, each an array of words (not modified).
 * @param n The order: 1 unigram, 2 bigram, 3 trigram, …
 * @param options `minCount` (default 1): rarer words become `<unk>`.
 * @returns The trained model.
 * @throws {RangeError} When `n` is not an integer >= 1, `minCount` is not an integer >= 1, a
 * sentence contains the padding words `<s>` or `</s>`, or the count tables of orders 1 … n would
 * exceed 4 × MAX_LENGTH = 134,217,728 entries (about (n + 1)(n + 2) / 2 × 1.5 × tokens; Brown
 * allows n up to 7).
 * @throws {TypeError} When `sentences` is not an array of arrays of strings, `n` or `minCount`
 * not a number, or `options` not an object.
 * Running cost: O(T) for T tokens, one Map look-up and one hash update per token; the whole Brown
 * corpus as a trigram model counts in about 0.3 s.
 *
 * @example What follows "the cat"
 * ```ts
 * import assert from "node:assert/strict";
 * import { trainNGram } from "./ngram.ts";
 *
 * const model = trainNGram([["the", "cat", "sat"], ["the", "cat", "ran"], ["the", "dog", "sat"]], 3);
 * assert.deepEqual(model.next(["the", "cat"]), [
 *   { word: "ran", count: 1, probability: 0.5 },
 *   { word: "sat", count: 1, probability: 0.5 },
 * ]);
 * assert.deepEqual(model.next([])[0], { word: "the", count: 3, probability: 1 });
 * assert.deepEqual(model.next(["a", "cat"]), []);
 * assert.deepEqual(model.logProbability(["the", "cat", "sat"]), Math.log(1 * 2 / 3 * 1 / 2 * 1));
 * ```
 */
export function trainNGram(
  sentences: readonly (readonly string[])[],
  n: number,
  options: NGramOptions = {},
): NGramModel {
  checkOrder(n);
  checkObject(options, "options", "an object { minCount? }", true);
  const minCount = checkInteger(options.minCount ?? 1, "minCount", { min: 1 });
  checkSentences(sentences, "sentences");
  // At most one distinct n-gram per predicted token: the table is sized once for that. The tables
  // of every lower order, derived on demand, together hold at most (n + 1)(n + 2) / 2 entries per
  // slot; check that before anything is counted or allocated.
  let predicted = 0;
  for (const sentence of sentences) predicted += sentence.length + 1;
  const slots = NGramTable.slotsFor(predicted);
  const entries = slots * (n + 1) * (n + 2) / 2;
  if (entries > MAX_TABLE_ENTRIES) {
    throw new RangeError(
      `\`n\` must be smaller for ${predicted} predicted tokens: the count tables of orders 1 to ` +
        `${n} would need ${entries} entries, above the library's limit of ${MAX_TABLE_ENTRIES} ` +
        `(4 × MAX_LENGTH), got ${n}`,
    );
  }
  const ids = new Map<string, number>([[BOS, BOS_ID], [EOS, EOS_ID], [UNK, UNK_ID]]);
  const words = [BOS, EOS, UNK];
  let rare: Set<string> | undefined;
  if (minCount > 1) {
    const frequency = new Map<string, number>();
    for (const sentence of sentences) {
      for (const word of sentence) frequency.set(word, (frequency.get(word) ?? 0) + 1);
    }
    rare = new Set();
    for (const [word, count] of frequency) if (count < minCount) rare.add(word);
  }
  // Two passes: words to ids (a Map look-up per token), then n-grams of ids into the table (a
  // random access into megabytes per token). One loop doing both, word by word, measured 1.1–1.5×
  // slower on Brown: probably each evicts the other's data from the processor's caches.
  const padded = paddedIds(sentences, n, ids, words, rare);
  const table = new NGramTable(n, predicted);
  // Count the n-gram ending at each word and at each `</s>`, in order: the same insertions, so the
  // same table, as counting one sentence at a time.
  for (let start = 0, s = 0; s < sentences.length; s++) {
    const end = start + n - 1 + sentences[s]!.length; // where this sentence's `</s>` is
    for (let last = start + n - 1; last <= end; last++) table.add(padded, last - n + 1);
    start = end + 1;
  }
  // Rare words mapped to <unk> must not be found under their own spelling.
  if (rare !== undefined) { for (const word of rare) ids.delete(word); }
  return new NGramModel(n, ids, words, sentences.length, table);
}
