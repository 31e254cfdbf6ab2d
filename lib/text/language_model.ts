/**
 * One interface for every language model compared from the MLP on (count models, the MLP, the
 * transformer): `next(context)` gives the whole next-token distribution over a shared
 * {@linkcode Vocabulary}, and `evaluate(sentences)` the held-out loss in nats. An adapter gives the
 * n-gram count models of ngram.ts this interface, and {@linkcode mixLanguageModels} averages the
 * probabilities of several models.
 *
 * How a model reads its context is its own business: the count models and the MLP look only at
 * the current sentence (the words after the last `</s>` of `context`), padded at its start;
 * a model with a long window may look further back.
 *
 * @module
 */

import { formatValue } from "../_validate.ts";
import { type NGramModel, type Smoothing, trainNGram } from "./ngram.ts";
import { type Candidate, EOS } from "./tokens.ts";
import type { Vocabulary } from "./vocabulary.ts";

/** The held-out score of a language model. */
export interface LanguageModelEvaluation {
  /** Mean negative log-likelihood per predicted token, in nats: −(1/N) Σ ln P(token | context). */
  meanNll: number;
  /** exp(meanNll): the effective number of equally likely choices per token. */
  perplexity: number;
  /** N, the number of predicted tokens: every word plus one `</s>` per sentence. */
  tokens: number;
}

/** A model of P(next token | context) over a fixed vocabulary. */
export interface LanguageModel {
  /** The tokens the model predicts; every distribution is over exactly these. */
  readonly vocabulary: Vocabulary;
  /**
   * The next-token distribution after a context.
   *
   * @param context The preceding words (of the current sentence; `[]` at a sentence start).
   * Words outside the vocabulary are read as `<unk>`.
   * @returns One entry per vocabulary token, sorted by probability (descending, then word),
   * summing to 1.
   */
  next(context: readonly string[]): Candidate[];
  /**
   * P(token | context) of every predicted token of the sentences, in order: each sentence's words
   * (unknown ones as `<unk>`), then its `</s>`.
   *
   * @param sentences The text to score.
   * @returns One probability per predicted token.
   */
  tokenProbabilities(sentences: readonly (readonly string[])[]): Float64Array;
  /**
   * Held-out loss: {@linkcode evaluationFromProbabilities} of {@link tokenProbabilities}.
   *
   * @param sentences The text to score.
   * @returns `{ meanNll, perplexity, tokens }`.
   */
  evaluate(sentences: readonly (readonly string[])[]): LanguageModelEvaluation;
}

/**
 * Mean negative log-likelihood and perplexity from the probabilities a model gave each token.
 *
 * Formula: meanNll = −(1/N) Σ_i ln p_i (summed in order), perplexity = exp(meanNll).
 *
 * @param probabilities p_i in [0, 1], one per predicted token.
 * @returns `{ meanNll, perplexity, tokens: N }`; Infinity when some p_i is 0.
 * @throws {RangeError} When there are no probabilities or one is outside [0, 1].
 * Running cost: O(N).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { evaluationFromProbabilities } from "./language_model.ts";
 *
 * const { meanNll, perplexity } = evaluationFromProbabilities([0.5, 0.125]);
 * assert.equal(meanNll, 2 * Math.LN2); // −(ln ½ + ln ⅛) / 2 = 2 ln 2
 * assert.equal(Math.round(perplexity * 1e12) / 1e12, 4);
 * ```
 */
export function evaluationFromProbabilities(
  probabilities: ArrayLike<number>,
): LanguageModelEvaluation {
  if (probabilities.length === 0) {
    throw new RangeError("`probabilities` must hold at least one token's probability");
  }
  let sum = 0;
  for (let i = 0; i < probabilities.length; i++) {
    const p = probabilities[i]!;
    if (!(p >= 0 && p <= 1)) {
      throw new RangeError(`\`probabilities[${i}]\` must be in [0, 1], got ${formatValue(p)}`);
    }
    sum -= Math.log(p);
  }
  const meanNll = sum / probabilities.length;
  return { meanNll, perplexity: Math.exp(meanNll), tokens: probabilities.length };
}

/**
 * Checks the text given to `evaluate`: an array of at least one sentence, each an array of words.
 *
 * @param sentences The input.
 * @throws {TypeError} When `sentences` or one of its entries is not an array.
 * @throws {RangeError} When there are no sentences.
 */
export function checkSentences(sentences: readonly (readonly string[])[]): void {
  if (!Array.isArray(sentences as unknown)) {
    throw new TypeError(
      `\`sentences\` must be an array of arrays of words, got ${formatValue(sentences)}`,
    );
  }
  if (sentences.length === 0) {
    throw new RangeError("`sentences` must hold at least one sentence, got 0");
  }
  sentences.forEach((sentence, s) => {
    if (!Array.isArray(sentence as unknown)) {
      throw new TypeError(
        `\`sentences[${s}]\` must be an array of words, got ${formatValue(sentence)}`,
      );
    }
  });
}

/**
 * The words of the current sentence: what follows the last `</s>` of a context.
 *
 * @param context Preceding tokens, possibly spanning several sentences.
 * @returns The words after the last `</s>` (all of them when there is none).
 * @throws {TypeError} When `context` is not an array.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { currentSentence } from "./language_model.ts";
 *
 * assert.deepEqual(currentSentence(["it", "ended", "</s>", "the"]), ["the"]);
 * ```
 */
export function currentSentence(context: readonly string[]): readonly string[] {
  if (!Array.isArray(context)) {
    throw new TypeError(`\`context\` must be an array of words, got ${formatValue(context)}`);
  }
  return context.slice(context.lastIndexOf(EOS) + 1);
}

/** Sort order of next-token lists: probability descending, then word (code units). */
function byProbabilityThenWord(a: Candidate, b: Candidate): number {
  return b.probability - a.probability || (a.word < b.word ? -1 : a.word > b.word ? 1 : 0);
}

/**
 * Builds the sorted next-token list of a probability vector indexed by token id.
 *
 * @param vocabulary The tokens.
 * @param probabilities P(token id), `vocabulary.size` entries.
 * @returns `{ word, probability }` for every token, by probability descending, then word.
 */
export function candidatesFromProbabilities(
  vocabulary: Vocabulary,
  probabilities: ArrayLike<number>,
): Candidate[] {
  return vocabulary.words
    .map((word, id) => ({ word, probability: probabilities[id]! }))
    .sort(byProbabilityThenWord);
}

/** Options of {@link countLanguageModel}. */
export interface CountModelOptions {
  /** The order: 1 unigram, 2 bigram, 3 trigram; default 3. */
  n?: number;
  /**
   * Add-k or interpolation (see ngram.ts); default interpolation with `defaultLambdas` of ngram.ts.
   * Unsmoothed counts are refused: they give unseen text probability 0.
   */
  smoothing?: Smoothing;
}

/**
 * An n-gram count model (ngram.ts) on a shared vocabulary, behind the {@link LanguageModel}
 * interface. Create one with {@link countLanguageModel}.
 */
export class CountLanguageModel implements LanguageModel {
  /** The shared vocabulary. */
  readonly vocabulary: Vocabulary;
  /** The wrapped count model, trained on the sentences with unknown words as `<unk>`. */
  readonly model: NGramModel;
  /** The smoothing used for every probability. */
  readonly smoothing: Smoothing;

  /**
   * Use {@link countLanguageModel}.
   *
   * @param vocabulary The shared vocabulary.
   * @param model A count model whose vocabulary is exactly `vocabulary`'s tokens.
   * @param smoothing Add-k or interpolation.
   */
  constructor(vocabulary: Vocabulary, model: NGramModel, smoothing: Smoothing) {
    this.vocabulary = vocabulary;
    this.model = model;
    this.smoothing = smoothing;
  }

  /**
   * P(next | the current sentence so far), smoothed, over the whole vocabulary.
   *
   * @param context Preceding words; only those after the last `</s>` are used (the last n − 1 of
   * them, padded with `<s>`).
   * @returns Every token with its probability, sorted; sums to 1.
   */
  next(context: readonly string[]): Candidate[] {
    const words = this.vocabulary.mapSentence(currentSentence(context));
    return this.model.distribution(words, this.smoothing)
      .map(({ word, probability }) => ({ word, probability }));
  }

  /**
   * The smoothed probability of each predicted token, sentence by sentence.
   *
   * @param sentences The text.
   * @returns One probability per word and per `</s>`.
   */
  tokenProbabilities(sentences: readonly (readonly string[])[]): Float64Array {
    const out: number[] = [];
    for (const sentence of sentences) {
      const words = this.vocabulary.mapSentence(sentence);
      for (let i = 0; i <= words.length; i++) {
        const start = Math.max(0, i - this.model.n + 1);
        out.push(
          this.model.probability(words.slice(start, i), words[i] ?? EOS, this.smoothing),
        );
      }
    }
    return Float64Array.from(out);
  }

  /**
   * Mean negative log-likelihood and perplexity.
   *
   * @param sentences The text.
   * @returns `{ meanNll, perplexity, tokens }`.
   * @throws {RangeError} When there are no sentences.
   */
  evaluate(sentences: readonly (readonly string[])[]): LanguageModelEvaluation {
    checkSentences(sentences);
    return evaluationFromProbabilities(this.tokenProbabilities(sentences));
  }
}

/**
 * Trains an n-gram count model on a shared vocabulary and gives it the {@link LanguageModel}
 * interface.
 *
 * Formula: every training word outside `vocabulary` becomes `<unk>`; then the counts and smoothing
 * of ngram.ts ({@linkcode trainNGram}, `distribution`, `probability`). The model's |V| (used by
 * add-k and by the uniform term of interpolation) is `vocabulary.size`.
 *
 * @param sentences Training sentences (not modified); every vocabulary word must occur in them.
 * @param vocabulary The shared vocabulary, e.g. {@linkcode buildVocabulary} of the same sentences.
 * @param options `n` (default 3) and `smoothing` (default interpolation with the `defaultLambdas`
 * of ngram.ts).
 * @returns The wrapped model.
 * @throws {RangeError} When `smoothing` is `none`, or some vocabulary word never occurs in the
 * sentences, or as {@linkcode trainNGram}.
 * Running cost: O(T) to count; `next` O(|V| log |V|); `tokenProbabilities` O(n) look-ups a token.
 * @example A bigram model on a tiny vocabulary
 * ```ts
 * import assert from "node:assert/strict";
 * import { countLanguageModel } from "./language_model.ts";
 * import { buildVocabulary } from "./vocabulary.ts";
 *
 * const train = [["a", "b"], ["a", "c"], ["a", "b"]];
 * const vocabulary = buildVocabulary(train, { words: 2 }); // </s> <unk> a b
 * const addOne = { method: "add-k", k: 1 } as const;
 * const model = countLanguageModel(train, vocabulary, { n: 2, smoothing: addOne });
 * const next = model.next(["a"]); // after "a": b twice, <unk> ("c") once
 * assert.deepEqual(next.map((c) => c.word), ["b", "<unk>", "</s>", "a"]);
 * assert.deepEqual(next.map((c) => c.probability), [3 / 7, 2 / 7, 1 / 7, 1 / 7]);
 * ```
 */
export function countLanguageModel(
  sentences: readonly (readonly string[])[],
  vocabulary: Vocabulary,
  options: CountModelOptions = {},
): CountLanguageModel {
  const n = options.n ?? 3;
  const smoothing: Smoothing = options.smoothing ?? { method: "interpolation" };
  if (smoothing?.method === "none") {
    throw new RangeError(
      '`smoothing` must be "add-k" or "interpolation": without smoothing an unseen word has ' +
        "probability 0 and the held-out loss is infinite",
    );
  }
  if (!Array.isArray(sentences)) {
    throw new TypeError(
      `\`sentences\` must be an array of arrays of words, got ${formatValue(sentences)}`,
    );
  }
  const model = trainNGram(sentences.map((s) => vocabulary.mapSentence(s)), n);
  const known = new Set(model.vocabulary);
  const missing = vocabulary.words.filter((word) => !known.has(word));
  if (missing.length > 0) {
    throw new RangeError(
      `every vocabulary word must occur in \`sentences\`; missing ${formatValue(missing)}`,
    );
  }
  return new CountLanguageModel(vocabulary, model, smoothing);
}

/** One component of {@link mixLanguageModels}. */
export interface MixtureComponent {
  /** A model over the shared vocabulary. */
  model: LanguageModel;
  /** Its weight, >= 0; the weights must sum to 1. */
  weight: number;
}

/**
 * A mixture of language models: a weighted average of their probabilities.
 *
 * Formula: P(w | context) = Σ_k λ_k P_k(w | context), with λ_k >= 0 and Σ λ_k = 1. Each component
 * reads the context its own way. The mixture is never worse than its worst component, and on
 * held-out text often better than its best (the models' mistakes differ).
 *
 * @param components `{ model, weight }` pairs over the same vocabulary.
 * @returns A {@link LanguageModel}.
 * @throws {RangeError} When there are no components, a weight is negative, the weights do not
 * sum to 1 (within 1e-9), or the vocabularies differ.
 * Running cost: the sum of the components' costs.
 * @example Half add-one, half add-0.01
 * ```ts
 * import assert from "node:assert/strict";
 * import { countLanguageModel, mixLanguageModels } from "./language_model.ts";
 * import { buildVocabulary } from "./vocabulary.ts";
 *
 * const train = [["a", "b"], ["b"]];
 * const vocabulary = buildVocabulary(train);
 * const addK = (k: number) => ({ n: 1, smoothing: { method: "add-k", k } as const });
 * const one = countLanguageModel(train, vocabulary, addK(1));
 * const small = countLanguageModel(train, vocabulary, addK(0.01));
 * const mix = mixLanguageModels([{ model: one, weight: 0.5 }, { model: small, weight: 0.5 }]);
 * const [p] = mix.tokenProbabilities([["a"]]);
 * const [p1] = one.tokenProbabilities([["a"]]);
 * const [p2] = small.tokenProbabilities([["a"]]);
 * assert.equal(p, 0.5 * p1! + 0.5 * p2!);
 * ```
 */
export function mixLanguageModels(components: readonly MixtureComponent[]): LanguageModel {
  if (!Array.isArray(components as unknown) || components.length === 0) {
    throw new RangeError(
      `\`components\` must hold at least one model, got ${formatValue(components)}`,
    );
  }
  let total = 0;
  components.forEach(({ weight }, k) => {
    if (!(weight >= 0 && weight <= 1)) {
      throw new RangeError(
        `\`components[${k}].weight\` must be in [0, 1], got ${formatValue(weight)}`,
      );
    }
    total += weight;
  });
  if (Math.abs(total - 1) > 1e-9) {
    throw new RangeError(`the weights of \`components\` must sum to 1, got ${total}`);
  }
  const vocabulary = components[0]!.model.vocabulary;
  components.forEach(({ model }, k) => {
    const words = model.vocabulary.words;
    if (words.length !== vocabulary.size || words.some((w, i) => w !== vocabulary.words[i])) {
      throw new RangeError(
        `\`components[${k}].model\` must use the vocabulary of \`components[0].model\``,
      );
    }
  });
  const mixture: LanguageModel = {
    vocabulary,
    next(context) {
      const probabilities = new Float64Array(vocabulary.size);
      for (const { model, weight } of components) {
        for (const { word, probability } of model.next(context)) {
          probabilities[vocabulary.id(word)]! += weight * probability;
        }
      }
      return candidatesFromProbabilities(vocabulary, probabilities);
    },
    tokenProbabilities(sentences) {
      let out: Float64Array | undefined;
      for (const { model, weight } of components) {
        const p = model.tokenProbabilities(sentences);
        out ??= new Float64Array(p.length);
        for (let i = 0; i < p.length; i++) out[i]! += weight * p[i]!;
      }
      return out!;
    },
    evaluate(sentences) {
      checkSentences(sentences);
      return evaluationFromProbabilities(mixture.tokenProbabilities(sentences));
    },
  };
  return mixture;
}
