/**
 * Generating text from a language model one word at a time: turn the model's next-word
 * probabilities into a sampling distribution (temperature, then top-k, then top-p), draw a word,
 * append it, repeat. Works with any model that lists candidate next words with probabilities, such
 * as `NGramModel.next` from ngram.ts.
 *
 * @module
 */

import { argmax } from "../math/decoding.ts";
import { decodingPipeline } from "../math/pipeline.ts";
import { sampleIndex } from "../math/sampling.ts";
import {
  checkFunction,
  checkInteger,
  checkObject,
  checkOptionalString,
  checkProbabilities,
  checkProbability,
  checkStrings,
  checkSumToOne,
  checkTemperature,
  checkTopK,
  checkTopP,
  formatValue,
  MAX_LENGTH,
} from "../_validate.ts";
import { type Candidate, EOS } from "./tokens.ts";

/** How to turn the model's probabilities into the distribution a word is drawn from. */
export interface DecodingOptions {
  /** T >= 0 (default 1): q = softmax(ln p / T). T = 0 is greedy: always the first most probable. */
  temperature?: number;
  /** After temperature, keep only the k most probable words (an integer >= 1); default all. */
  topK?: number;
  /** After temperature and top-k, keep the smallest set reaching mass p, 0 < p <= 1; default 1. */
  topP?: number;
}

/** Checks decoding options once, with the library's messages. */
function checkDecoding(options: DecodingOptions): void {
  const { temperature = 1, topK: k, topP: p } = options;
  checkTemperature(temperature);
  if (k !== undefined) checkTopK(k, "topK");
  if (p !== undefined) checkTopP(p, "topP");
}

/**
 * Checks what `next` returned: a non-empty array of `{ word, probability }` whose probabilities
 * form a distribution. Returns the probabilities.
 */
function checkCandidates(candidates: unknown, context: readonly string[]): Float64Array {
  if (!Array.isArray(candidates)) {
    throw new TypeError(
      `\`next\` must return an array of { word, probability }, got ${formatValue(candidates)}`,
    );
  }
  if (candidates.length === 0) {
    throw new RangeError(
      `\`next\` returned no candidates after ${
        formatValue(context.slice(-3))
      }: the model never saw this context; start from a prompt taken from its training text`,
    );
  }
  const probabilities = new Float64Array(candidates.length);
  let sum = 0;
  for (let i = 0; i < candidates.length; i++) {
    const candidate = checkObject<Candidate>(
      candidates[i],
      `next(context)[${i}]`,
      "a candidate { word, probability }",
    );
    if (typeof candidate.word !== "string") {
      throw new TypeError(
        `\`next(context)[${i}].word\` must be a string, got ${formatValue(candidate.word)}`,
      );
    }
    probabilities[i] = checkProbability(candidate.probability, `next(context)[${i}].probability`);
    sum += probabilities[i]!;
  }
  checkSumToOne(sum, "the probabilities `next(context)` returns");
  return probabilities;
}

/**
 * The distribution the next word is drawn from: the model's probabilities reshaped by temperature
 * and cut by top-k and top-p, in that order (the order Hugging Face's `generate` uses).
 *
 * Formula: q = softmax(ln p / T) (for T = 0, one-hot on the first largest p); then q ← topK(q, k);
 * then q ← topP(q, p). Temperature on a count model's probabilities is the same as on logits,
 * because ln p are logits whose softmax is p. Runs in O(n log n) for n candidates.
 *
 * @param probs The model's next-word distribution (entries >= 0, summing to 1).
 * @param options `temperature` (default 1), `topK`, `topP`.
 * @returns A new `Float64Array` summing to 1, zero for every word that cannot be drawn.
 * @throws {TypeError} When `probs` is not an array of numbers, `options` not an object or an option
 * not a number.
 * @throws {RangeError} When `probs` is not a distribution, `temperature` < 0, `topK` is not an
 * integer >= 1 or `topP` is outside (0, 1].
 * @example Temperature 0.5 squares and renormalises; top-k 2 keeps the two largest
 * ```ts
 * import assert from "node:assert/strict";
 * import { decodingDistribution } from "./generate.ts";
 *
 * const q = decodingDistribution([0.5, 0.3, 0.2], { temperature: 0.5 });
 * const squares = 0.25 + 0.09 + 0.04;
 * assert.ok(Math.abs(q[0]! - 0.25 / squares) < 1e-12);
 * const cut = decodingDistribution([0.5, 0.3, 0.2], { topK: 2 });
 * assert.ok(Math.abs(cut[0]! - 0.625) < 1e-12 && Math.abs(cut[1]! - 0.375) < 1e-12 && cut[2] === 0);
 * assert.deepEqual([...decodingDistribution([0.3, 0.5, 0.2], { temperature: 0 })], [0, 1, 0]);
 * ```
 */
export function decodingDistribution(
  probs: ArrayLike<number>,
  options: DecodingOptions = {},
): Float64Array {
  checkProbabilities(probs);
  checkObject(options, "options", "an object { temperature?, topK?, topP? }", true);
  checkDecoding(options);
  // The course's one decoding pipeline (lib/math/pipeline.ts), on the logits ln p.
  return decodingPipeline(Array.from(probs, Math.log), options);
}

/** Options of {@link generate}. */
export interface GenerateOptions extends DecodingOptions {
  /** How many tokens to generate (an integer >= 0), sentence ends included. */
  length: number;
  /** A source of uniform numbers in [0, 1), e.g. `seededRandom(42)`; unused when T = 0. */
  random: () => number;
  /** Words the first sentence starts with (not part of the result); default none. */
  prompt?: readonly string[];
  /** The token that ends a sentence; after it a new sentence starts. Default `EOS` (tokens.ts). */
  end?: string;
}

/**
 * Generates text word by word: ask the model for the next words after the sentence so far, reshape
 * the probabilities ({@link decodingDistribution}), draw one, append it, and repeat. When the end
 * token is drawn, it is appended and the next sentence starts from an empty context, so the result
 * always holds exactly `length` tokens.
 *
 * Formula: for i = 1 … length: C = next(sentence so far); w_i = C[j] with
 * j = sampleIndex(q, random), q = decodingDistribution(C.probability, options); greedy (T = 0)
 * takes j = argmax without calling `random`. Runs in O(length · cost of `next`).
 *
 * @param next The model: candidate next words after a context (the current sentence's words, the
 * prompt included), e.g. `(context) => model.next(context)` for an `NGramModel`. The context array
 * is reused between calls: copy it to keep it. A returned list must not be changed during the
 * call: its decoded distribution is remembered for the rest of this call, so a `next` that returns
 * the same list for the same context (a memoised model) is decoded once per list.
 * @param options `length`, `random`, `prompt`, `end` and the decoding options.
 * @returns The generated tokens (without the prompt), end tokens included.
 * @throws {TypeError} When `next` or `random` is not a function, `options` not an object,
 * `prompt` not an array of strings, `end` not a string, an option not a number, or `next` returns
 * something other than an array of `{ word, probability }`.
 * @throws {RangeError} When `length` is not an integer in [0, MAX_LENGTH], a decoding option is
 * invalid, the probabilities `next` returns are not a distribution, or `next` returns no
 * candidates (a context the model never saw: choose a prompt from its training text).
 * @example Greedy decoding of a tiny model loops
 * ```ts
 * import assert from "node:assert/strict";
 * import { generate } from "./generate.ts";
 * import { EOS } from "./tokens.ts";
 *
 * // After "a" comes "b" (0.6) or the end EOS (0.4); after "b" always "a"; sentences start with "a".
 * const next = (context: readonly string[]) =>
 *   context.at(-1) === "a"
 *     ? [{ word: "b", probability: 0.6 }, { word: EOS, probability: 0.4 }]
 *     : [{ word: "a", probability: 1 }];
 * const text = generate(next, { length: 6, temperature: 0, random: () => 0.5 });
 * assert.deepEqual(text, ["a", "b", "a", "b", "a", "b"]);
 * const sampled = generate(next, { length: 3, random: () => 0.9 }); // u = 0.9 > 0.6: EOS
 * assert.deepEqual(sampled, ["a", EOS, "a"]);
 * ```
 */
export function generate(
  next: (context: readonly string[]) => readonly Candidate[],
  options: GenerateOptions,
): string[] {
  checkFunction(next, "next");
  checkObject(options, "options", "an object { length, random, … }");
  const { length, random, prompt = [], end = EOS } = options;
  checkInteger(length, "length", { min: 0, limit: MAX_LENGTH });
  checkFunction(random, "random");
  checkStrings(prompt, "prompt");
  checkOptionalString(end, "end");
  checkDecoding(options);
  const greedy = (options.temperature ?? 1) === 0;
  // Decoded distributions (greedy: the one-hot argmax) of the candidate lists met in this call,
  // each list checked once (lists held weakly).
  const decoded = new WeakMap<readonly Candidate[], Float64Array>();
  const decode = (candidates: readonly Candidate[], context: readonly string[]): Float64Array => {
    let q = decoded.get(candidates);
    if (q === undefined) {
      const probabilities = checkCandidates(candidates, context);
      q = greedy ? probabilities : decodingDistribution(probabilities, options);
      decoded.set(candidates, q);
    }
    return q;
  };
  const out: string[] = [];
  let sentence: string[] = [...prompt];
  while (out.length < length) {
    const candidates = next(sentence);
    if (!Array.isArray(candidates)) checkCandidates(candidates, sentence); // throws TypeError
    const q = decode(candidates, sentence);
    const index = greedy ? argmax(q) : sampleIndex(q, random);
    const word = candidates[index]!.word;
    out.push(word);
    if (word === end) sentence = [];
    else sentence.push(word);
  }
  return out;
}
