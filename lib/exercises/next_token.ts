/**
 * Checks for the exercises of notebook 02 (next-token prediction): what makes a list of numbers a
 * probability distribution, the greedy choice, P(next | previous) counted from sentences, the
 * chain rule in log space, and counting trigrams with the padding of lib/text/ngram.ts. Reference
 * values come from lib/_validate.ts, lib/math/decoding.ts and lib/text/ngram.ts.
 *
 * @module
 */

import { checkProbabilities } from "../_validate.ts";
import { argmax } from "../math/decoding.ts";
import { trainNGram } from "../text/ngram.ts";
import { BOS, EOS } from "../text/tokens.ts";
import { close, describe, frozen, passed, run, wrong } from "./_check.ts";

/**
 * Checks `isDistribution(probs)`: true exactly when every entry is in [0, 1] and they sum to 1
 * (within 1e-9, as lib/_validate.ts allows).
 *
 * Inputs: the article's distribution, a sum of 1.1, a negative entry that still sums to 1, one
 * certain word, ten words of 0.1 (whose floating-point sum is 0.9999999999999999), a zero entry,
 * no entries, and NaN.
 *
 * @param isDistribution The learner's function.
 * @returns A one-line success message.
 * @throws {CheckFailed} On the first input where the answer is wrong, saying which rule decides.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkIsDistribution } from "./next_token.ts";
 *
 * const sumIsOne = (p: number[]) => Math.abs(p.reduce((s, x) => s + x, 0) - 1) < 1e-9;
 * assert.throws(() => checkIsDistribution(sumIsOne), (e: Error) => e.message.startsWith("isDistribution([-0.1, 1.1]) should be false"));
 * ```
 */
export function checkIsDistribution(isDistribution: (probs: number[]) => boolean): string {
  const cases: [number[], string][] = [
    [[0.1, 0.05, 0.4, 0.15, 0.3], "the article's next-word probabilities: all in [0, 1], sum 1"],
    [[0.5, 0.6], "they sum to 1.1"],
    [[-0.1, 1.1], "they sum to 1, but a probability is never negative, nor above 1"],
    [[1], "one certain word"],
    [
      Array(10).fill(0.1),
      "ten words of 0.1 add up to 0.9999999999999999 in floating point: compare the sum with 1 allowing a small tolerance such as 1e-9",
    ],
    [[0.5, 0.5, 0], "a word may have probability 0"],
    [[], "no words at all: nothing is predicted"],
    [[NaN, 1], "NaN is not a probability"],
  ];
  for (const [probs, why] of cases) {
    let expected = true;
    try {
      checkProbabilities(probs);
    } catch {
      expected = false;
    }
    const call = `isDistribution(${describe(probs)})`;
    const actual = run(call, () => isDistribution(frozen(probs)));
    if (actual !== expected) throw wrong(call, expected, actual, { why });
  }
  return passed(
    "isDistribution",
    "right on 8 lists, including a negative entry, rounding and NaN",
  );
}

/**
 * Checks `greedy(scores)`: the index of the largest entry, the first one on a tie.
 *
 * Formula: argmax_i x_i; the reference is `argmax` (lib/math/decoding.ts). Inputs: the article's
 * distribution, the maximum last and first, a tie, negative logits, one entry.
 *
 * @param greedy The learner's function.
 * @returns A one-line success message.
 * @throws {CheckFailed} On the first input where `greedy` is wrong, with a hint.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { argmax } from "../math/decoding.ts";
 * import { checkGreedy } from "./next_token.ts";
 *
 * assert.throws(() => checkGreedy((x) => Math.max(...x)), /the position of the largest entry/);
 * assert.match(checkGreedy(argmax), /^✓ greedy/);
 * ```
 */
export function checkGreedy(greedy: (scores: number[]) => number): string {
  const cases: [number[], string][] = [
    [[0.1, 0.05, 0.4, 0.15, 0.3], "Playground, 0.4, is the most probable"],
    [[0.2, 0.1, 0.7], "the largest can be the last entry"],
    [[0.6, 0.4], "or the first"],
    [[0.3, 0.35, 0.35], "a tie: keep the first of the largest, as argmax in lib/math/decoding.ts"],
    [[-3, -1, -2], "scores (logits) can be negative: start from the first entry, not from 0"],
    [[7], "a single entry"],
  ];
  for (const [scores, why] of cases) {
    const expected = argmax(scores);
    const call = `greedy(${describe(scores)})`;
    const actual = run(call, () => greedy(frozen(scores)));
    if (actual !== expected) {
      throw wrong(call, expected, actual, {
        why,
        mistakes: [
          {
            matches: (x) => x === scores[expected] && x !== expected,
            hint: "return the position of the largest entry, not the entry itself",
          },
          {
            matches: (x) => x === scores.lastIndexOf(scores[expected]!),
            hint: "on a tie keep the first of the largest entries",
          },
        ],
      });
    }
  }
  return passed("greedy", "right on 6 lists, including a tie and negative scores");
}

/** Whether a value is a Map whose keys are those of `expected` and whose values are close. */
function closeMap(actual: unknown, expected: ReadonlyMap<string, number>): boolean {
  if (!(actual instanceof Map) || actual.size !== expected.size) return false;
  for (const [key, value] of expected) if (!close(actual.get(key), value)) return false;
  return true;
}

/**
 * Checks `nextWordProbabilities(sentences, previous)`: P(next | previous word) counted from
 * sentences that each end with `</s>` (the constant `EOS`), as a Map from next word to probability.
 *
 * Formula: P(w | v) = count(v, w) / count(v, anything); the reference is
 * `trainNGram(sentences, 2).next([previous])` (lib/text/ngram.ts). Inputs: one pair, a word that
 * ends its sentence, three sentences, a repeated word, a small corpus, and an unseen word (an
 * empty Map).
 *
 * @param nextWordProbabilities The learner's function.
 * @returns A one-line success message.
 * @throws {CheckFailed} On the first input where the Map is wrong, with a hint.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkNextWordProbabilities } from "./next_token.ts";
 *
 * assert.throws(() => checkNextWordProbabilities(() => new Map([["b", 1]])), (e: Error) => e.message.includes('should be Map { "</s>": 1 }'));
 * ```
 */
export function checkNextWordProbabilities(
  nextWordProbabilities: (sentences: string[][], previous: string) => ReadonlyMap<string, number>,
): string {
  const corpus = [
    "the boy went to the playground",
    "the girl went to the school",
    "the boy ran to the park",
  ].map((s) => s.split(" "));
  const cases: [string[][], string, string][] = [
    [[["a", "b"]], "a", "in the only sentence, a is followed by b"],
    [[["a", "b"]], "b", `b ends the sentence, and the end counts as the word ${EOS}`],
    [[["a", "b"], ["a", "c"], ["a", "b"]], "a", "a is followed 3 times: twice by b, once by c"],
    [[["a", "a", "a"]], "a", `a is followed by a twice and by ${EOS} once`],
    [corpus, "the", '"the" occurs 6 times, each time followed by a word'],
    [[["a", "b"]], "zebra", "zebra never occurs: there is nothing to count"],
  ];
  for (const [sentences, previous, why] of cases) {
    const expected = new Map(
      trainNGram(sentences, 2).next([previous]).map((w) => [w.word, w.probability]),
    );
    const call = `nextWordProbabilities(${describe(sentences)}, ${describe(previous)})`;
    const actual = run(call, () => nextWordProbabilities(frozen(sentences), previous));
    if (!closeMap(actual, expected)) {
      const sum = actual instanceof Map
        ? [...actual.values()].reduce((s: number, x) => s + Number(x), 0)
        : NaN;
      throw wrong(call, expected, actual, {
        why,
        mistakes: [
          {
            matches: (x) => !(x instanceof Map),
            hint: "return a Map from each next word to its probability",
          },
          {
            matches: (x) => expected.size === 0 && x instanceof Map && x.size > 0,
            hint: "a word never seen has no next words: return an empty Map",
          },
          {
            matches: (x) => expected.has(EOS) && x instanceof Map && !x.has(EOS),
            hint:
              `the end of a sentence counts as a next word: end every sentence with EOS ("${EOS}")`,
          },
          {
            matches: (x) =>
              x instanceof Map && x.size > 0 && expected.size > 0 && Math.abs(sum - 1) > 1e-9,
            hint: `your probabilities sum to ${
              describe(sum)
            }; divide each count by how often "${previous}" was followed by anything`,
          },
        ],
      });
    }
  }
  return passed(
    "nextWordProbabilities",
    `right on 6 inputs, including ${EOS} and an unseen word`,
  );
}

/**
 * Checks `logProbability(stepProbs)`: the natural log of a sentence's probability from its
 * next-word probabilities, by the chain rule in log space.
 *
 * Formula: ln P(w₁ … w_L) = Σ_t ln P(w_t | w₁ … w_{t−1}); computed here with `Math.log`. Inputs: one
 * word, two words, certain words, no words, 400 words of 0.1 (whose product underflows to 0), and
 * an impossible word.
 *
 * @param logProbability The learner's function.
 * @returns A one-line success message.
 * @throws {CheckFailed} On the first input where the sum is wrong, with a hint.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkLogProbability } from "./next_token.ts";
 *
 * const viaProduct = (p: number[]) => Math.log(p.reduce((a, b) => a * b, 1));
 * assert.throws(() => checkLogProbability(viaProduct), /underflows to 0/);
 * ```
 */
export function checkLogProbability(logProbability: (stepProbs: number[]) => number): string {
  const cases: [number[], string][] = [
    [[0.5], "one word of probability 0.5"],
    [[0.4, 0.5], "P = 0.4 × 0.5 = 0.2, and the log of a product is the sum of the logs"],
    [[1, 1, 1], "certain words cost nothing"],
    [[], "no words: probability 1, whose log is 0"],
    [Array(400).fill(0.1), "400 words of probability 0.1"],
    [[0.5, 0], "a word of probability 0 makes the sentence impossible"],
  ];
  for (const [probs, why] of cases) {
    const expected = probs.reduce((s, p) => s + Math.log(p), 0);
    const product = probs.reduce((s, p) => s * p, 1);
    const call = probs.length > 10
      ? `logProbability(Array(${probs.length}).fill(${probs[0]}))`
      : `logProbability(${describe(probs)})`;
    const actual = run(call, () => logProbability(frozen(probs)));
    if (!close(actual, expected)) {
      throw wrong(call, expected, actual, {
        why,
        mistakes: [
          {
            matches: (x) => x === -Infinity && product === 0 && Number.isFinite(expected),
            hint:
              `0.1 multiplied ${probs.length} times underflows to 0 before the log: add the logs instead of multiplying`,
          },
          {
            matches: (x) => close(x, product) && product !== 1,
            hint: "that is the probability itself; return its natural log",
          },
          {
            matches: (x) => close(x, -expected) && expected !== 0,
            hint: "a log-probability is never positive: no minus sign here",
          },
          {
            matches: (x) => close(x, expected / Math.LN10) || close(x, expected / Math.LN2),
            hint: "use the natural log, Math.log",
          },
        ],
      });
    }
  }
  return passed(
    "logProbability",
    "right on 6 sentences, including 400 words whose product underflows",
  );
}

/**
 * Checks `countTrigrams(sentences)`: every trigram of the padded sentences (two `<s>` in front,
 * `</s>` at the end, the constants `BOS` and `EOS`), as a Map from the three words joined by
 * spaces to their count.
 *
 * Formula: for a sentence w₁ … w_L, the L + 1 trigrams of `<s> <s> w₁ … w_L </s>`. The expected
 * Maps are written out below and checked against `trainNGram(sentences, 3).count(…)`
 * (lib/text/ngram.ts). Inputs: one word, two words, a repeated word (overlapping trigrams), two
 * sentences sharing a start, an empty sentence, and no sentences.
 *
 * @param countTrigrams The learner's function.
 * @returns A one-line success message.
 * @throws {CheckFailed} On the first input where the Map is wrong, with a hint.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkCountTrigrams } from "./next_token.ts";
 *
 * assert.throws(() => checkCountTrigrams(() => new Map()), (e: Error) => e.message.includes('Map { "<s> <s> a": 1, "<s> a </s>": 1 }'));
 * ```
 */
export function checkCountTrigrams(
  countTrigrams: (sentences: string[][]) => ReadonlyMap<string, number>,
): string {
  const s = BOS;
  const e = EOS;
  const cases: [string[][], [string, number][], string][] = [
    [[["a"]], [[`${s} ${s} a`, 1], [`${s} a ${e}`, 1]], `a one-word sentence: ${s} ${s} a ${e}`],
    [
      [["a", "b"]],
      [[`${s} ${s} a`, 1], [`${s} a b`, 1], [`a b ${e}`, 1]],
      "one trigram per word, plus one for the end",
    ],
    [
      [["a", "a", "a", "a"]],
      [[`${s} ${s} a`, 1], [`${s} a a`, 1], ["a a a", 2], [`a a ${e}`, 1]],
      '"a a a" starts at the first and at the second a: trigrams overlap',
    ],
    [
      [["the", "boy", "ran"], ["the", "boy", "sat"]],
      [
        [`${s} ${s} the`, 2],
        [`${s} the boy`, 2],
        ["the boy ran", 1],
        [`boy ran ${e}`, 1],
        ["the boy sat", 1],
        [`boy sat ${e}`, 1],
      ],
      "two sentences share their first two trigrams",
    ],
    [[[]], [[`${s} ${s} ${e}`, 1]], "an empty sentence still ends"],
    [[], [], "no sentences, no trigrams"],
  ];
  for (const [sentences, entries, why] of cases) {
    const expected = new Map(entries);
    if (sentences.length > 0) {
      const model = trainNGram(sentences, 3);
      const total = sentences.reduce((n, sentence) => n + sentence.length + 1, 0);
      const agrees = entries.every(([key, count]) => model.count(key.split(" ")) === count) &&
        entries.reduce((n, [, count]) => n + count, 0) === total;
      if (!agrees) {
        throw new Error(`lib/exercises: the trigrams of ${describe(sentences)} are wrong`);
      }
    }
    const call = `countTrigrams(${describe(sentences)})`;
    const actual = run(call, () => countTrigrams(frozen(sentences)));
    if (!closeMap(actual, expected)) {
      const keys = actual instanceof Map ? [...actual.keys()].map(String) : [];
      throw wrong(call, expected, actual, {
        why,
        mistakes: [
          {
            matches: (x) => !(x instanceof Map),
            hint: 'return a Map from "w1 w2 w3" (words joined by one space) to its count',
          },
          {
            matches: () => expected.size > 0 && keys.length > 0 && !keys.some((k) => k.endsWith(e)),
            hint: `every sentence ends with ${e}, the last word of its last trigram`,
          },
          {
            matches: () => expected.size > 0 && !keys.some((k) => k.startsWith(`${s} ${s} `)),
            hint:
              `the first word has two words of context too: put two ${s} in front of every sentence`,
          },
        ],
      });
    }
  }
  return passed("countTrigrams", "right on 6 inputs, including overlaps and an empty sentence");
}
