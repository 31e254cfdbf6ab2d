/**
 * Checks for the exercises of notebook 05 (sampling): one draw by inverse transform from a given
 * uniform number, top-k and top-p filters, sampling a word from logits at a temperature with a
 * seeded generator, and the distinct-pairs measure of repetition. Reference values come from
 * lib/math/sampling.ts, lib/math/decoding.ts, lib/math/random.ts and lib/text/repetition.ts.
 *
 * @module
 */

import { topK, topP } from "../math/decoding.ts";
import { seededRandom } from "../math/random.ts";
import { sampleIndex, sampleWithTemperature } from "../math/sampling.ts";
import { distinctNGramRatio } from "../text/repetition.ts";
import {
  CheckFailed,
  closeAll,
  describe,
  formatNumber,
  frozen,
  passed,
  run,
  wrong,
} from "./_check.ts";

/** The article's prediction after "The boy went to the": Cafe, Hospital, Playground, Park, School. */
const ARTICLE = [0.1, 0.05, 0.4, 0.15, 0.3];

/** The largest float below 1, the largest value a uniform generator on [0, 1) returns. */
const BELOW_ONE = 1 - 2 ** -53;

/**
 * Checks `pickIndex(probs, u)`: the word whose interval contains the uniform number u, when the
 * probabilities are laid end to end on [0, 1) (inverse transform sampling).
 *
 * Formula: the first i with u < p_0 + … + p_i; if rounding leaves u past the last edge, the last
 * word of probability > 0. Intervals include their start and exclude their end, so a word of
 * probability 0 is never picked. The reference is `sampleIndex(probs, () => u)`
 * (lib/math/sampling.ts). Inputs: two and three words, u = 0, u on an edge, a zero first word,
 * u just below 1, and ten words of 0.1 whose sum rounds below 1.
 *
 * @param pickIndex The learner's function.
 * @returns A one-line success message.
 * @throws {CheckFailed} On the first input where the index is wrong, with a hint.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkPickIndex } from "./sampling.ts";
 *
 * const lessOrEqual = (p: number[], u: number) => {
 *   let edge = 0;
 *   return p.findIndex((q) => u <= (edge += q));
 * };
 * assert.throws(() => checkPickIndex(lessOrEqual), (e: Error) => e.message.includes("include their start"));
 * ```
 */
export function checkPickIndex(pickIndex: (probs: number[], u: number) => number): string {
  const cases: [number[], number, string, string?][] = [
    [[0.5, 0.5], 0.75, "0.75 lies in the second interval, [0.5, 1)"],
    [[0.25, 0.25, 0.5], 0.3, "0.3 lies in [0.25, 0.5)"],
    [[0.25, 0.25, 0.5], 0, "0 is the start of the first interval, [0, 0.25)"],
    [
      [0.25, 0.25, 0.5],
      0.25,
      "0.25 is the start of the second interval, [0.25, 0.5)",
      "intervals include their start and exclude their end: compare u < edge",
    ],
    [
      [0, 0.5, 0.5],
      0,
      "a word of probability 0 has an empty interval and is never picked, even for u = 0",
      "intervals include their start and exclude their end: compare u < edge",
    ],
    [[0.5, 0.5, 0], BELOW_ONE, "the largest u below 1 still falls on a word of probability > 0"],
    [
      Array(10).fill(0.1),
      BELOW_ONE,
      "ten intervals of 0.1 end at 0.9999999999999999 in floating point, not at 1",
      "when rounding leaves u past the last edge, return the last word of probability > 0",
    ],
  ];
  for (const [probs, u, why, hint] of cases) {
    const expected = sampleIndex(probs, () => u);
    const shown = probs.length === 10 ? "Array(10).fill(0.1)" : describe(probs);
    const call = `pickIndex(${shown}, ${u === BELOW_ONE ? "1 - 2 ** -53" : formatNumber(u)})`;
    const actual = run(call, () => pickIndex(frozen(probs), u));
    if (actual !== expected) throw wrong(call, expected, actual, { why, hint });
  }
  return passed("pickIndex", "right on 7 draws, including edges, a zero probability and rounding");
}

/** Hints shared by the two filters. */
function filterMistakes(probs: readonly number[], expected: ArrayLike<number>) {
  const kept = Array.from(expected, (q, i) => (q > 0 ? probs[i]! : 0));
  const sorted = Array.from(expected).sort((a, b) => b - a);
  return [
    {
      matches: (x: unknown) => closeAll(x, kept),
      hint: "divide the kept probabilities by their sum so that they add up to 1 again",
    },
    {
      matches: (x: unknown) =>
        closeAll(x, sorted) &&
        !closeAll(expected, sorted),
      hint: "keep every word at its own position, and set the others to 0",
    },
  ];
}

/**
 * Checks `topK(probs, k)`: keep the k most probable words (the lower index first on a tie), set
 * the others to 0, renormalise.
 *
 * Formula: q_i = p_i / Σ_{j in K} p_j for the k kept indices K, 0 elsewhere; the reference is
 * `topK` (lib/math/decoding.ts). Inputs: the article with k = 2, 1, 5 and 10, and a tie for the
 * last place kept.
 *
 * @param topKFn The learner's function.
 * @returns A one-line success message.
 * @throws {CheckFailed} On the first input where the filter is wrong, with a hint.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { topK } from "../math/decoding.ts";
 * import { checkTopK } from "./sampling.ts";
 *
 * assert.match(checkTopK(topK), /^✓ topK/);
 * ```
 */
export function checkTopK(topKFn: (probs: number[], k: number) => ArrayLike<number>): string {
  const cases: [number[], number, string][] = [
    [ARTICLE, 2, "Playground and School survive, renormalised: 0.4 / 0.7 and 0.3 / 0.7"],
    [ARTICLE, 1, "k = 1 is greedy"],
    [ARTICLE, 5, "k = 5 keeps every word"],
    [ARTICLE, 10, "a k larger than the number of words keeps them all"],
    [
      [0.4, 0.3, 0.3],
      2,
      "a tie for second place: the lower index wins, as in lib/math/decoding.ts",
    ],
  ];
  for (const [probs, k, why] of cases) {
    const expected = topK(probs, k);
    const call = `topK(${describe(probs)}, ${k})`;
    const actual = run(call, () => topKFn(frozen(probs), k));
    if (!closeAll(actual, expected)) {
      throw wrong(call, expected, actual, { why, mistakes: filterMistakes(probs, expected) });
    }
  }
  return passed("topK", "right on 5 inputs, including k above the number of words and a tie");
}

/**
 * Checks `topP(probs, p)`: keep the smallest set of most probable words whose mass reaches p,
 * renormalised (nucleus sampling).
 *
 * Formula: sort descending; keep the shortest prefix with sum >= p; q_i = p_i / kept mass there, 0
 * elsewhere; the reference is `topP` (lib/math/decoding.ts). Inputs: the article with p = 0.7,
 * 0.5, 0.4 (reached exactly by one word), 0.85 and 1, a zero word at p = 1, and one word above p.
 *
 * @param topPFn The learner's function.
 * @returns A one-line success message.
 * @throws {CheckFailed} On the first input where the filter is wrong, with a hint.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { topP } from "../math/decoding.ts";
 * import { checkTopP } from "./sampling.ts";
 *
 * assert.match(checkTopP(topP), /^✓ topP/);
 * ```
 */
export function checkTopP(topPFn: (probs: number[], p: number) => ArrayLike<number>): string {
  const cases: [number[], number, string][] = [
    [ARTICLE, 0.7, "Playground and School: 0.4 + 0.3 reaches 0.7"],
    [ARTICLE, 0.5, "0.4 alone is not enough, 0.4 + 0.3 is"],
    [ARTICLE, 0.4, "Playground alone already reaches 0.4"],
    [ARTICLE, 0.85, "three words: 0.4 + 0.3 + 0.15"],
    [ARTICLE, 1, "p = 1 keeps every word"],
    [[0.5, 0.5, 0], 1, "every word of probability above 0"],
    [[0.9, 0.1], 0.1, "the top word alone can exceed p"],
  ];
  for (const [probs, p, why] of cases) {
    const expected = topP(probs, p);
    const call = `topP(${describe(probs)}, ${formatNumber(p)})`;
    const actual = run(call, () => topPFn(frozen(probs), p));
    if (!closeAll(actual, expected)) {
      const keptExpected = Array.from(expected).filter((q) => q > 0).length;
      const keptActual = Array.isArray(actual) || ArrayBuffer.isView(actual)
        ? Array.from(actual as ArrayLike<number>).filter((q) => q > 0).length
        : -1;
      throw wrong(call, expected, actual, {
        why,
        mistakes: [
          ...filterMistakes(probs, expected),
          {
            matches: () => keptActual === keptExpected + 1,
            hint: "stop as soon as the kept mass reaches p (>= p), not once it exceeds it",
          },
        ],
      });
    }
  }
  return passed("topP", "right on 7 inputs, including a mass that reaches p exactly");
}

/**
 * Checks `sampleWord(logits, temperature, random)`: softmax at the temperature, then one draw by
 * inverse transform, calling `random()` exactly once per word.
 *
 * Formula: sampleIndex(softmax(logits, T), random); the reference is `sampleWithTemperature`
 * (lib/math/sampling.ts). For each input, 200 words are drawn with `seededRandom(42)`
 * (lib/math/random.ts) and must be the library's 200 words, one by one. Inputs: the article's
 * logits at T = 1, 0.5, 2 and 0 (greedy), and logits with a masked word.
 *
 * @param sampleWord The learner's function.
 * @returns A one-line success message.
 * @throws {CheckFailed} At the first draw that differs, or when `random()` is not called once.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { sampleWithTemperature } from "../math/sampling.ts";
 * import { checkSampleWord } from "./sampling.ts";
 *
 * assert.match(checkSampleWord(sampleWithTemperature), /^✓ sampleWord/);
 * assert.throws(() => checkSampleWord(() => 2), (e: Error) => e.message.includes("exactly once"));
 * ```
 */
export function checkSampleWord(
  sampleWord: (logits: number[], temperature: number, random: () => number) => number,
): string {
  const articleLogits = ARTICLE.map(Math.log);
  const cases: [number[], number, string][] = [
    [articleLogits, 1, "ln([0.1, 0.05, 0.4, 0.15, 0.3])"],
    [articleLogits, 0.5, "ln([0.1, 0.05, 0.4, 0.15, 0.3])"],
    [articleLogits, 2, "ln([0.1, 0.05, 0.4, 0.15, 0.3])"],
    [articleLogits, 0, "ln([0.1, 0.05, 0.4, 0.15, 0.3])"],
    [[0, 0, -Infinity], 1, "[0, 0, -Infinity]"],
  ];
  const draws = 200;
  for (const [logits, temperature, shown] of cases) {
    const reference = seededRandom(42);
    const generator = seededRandom(42);
    let calls = 0;
    const counted = () => {
      calls++;
      return generator();
    };
    for (let k = 0; k < draws; k++) {
      const expected = sampleWithTemperature(logits, temperature, reference);
      const call = `draw ${k + 1} of sampleWord(${shown}, ${
        formatNumber(temperature)
      }, random) with random = seededRandom(42)`;
      calls = 0;
      const actual = run(call, () => sampleWord(frozen(logits), temperature, counted));
      if (calls !== 1) {
        throw new CheckFailed(
          `${call} should call random() exactly once, so that the same seed gives the same words; yours called it ${calls} times`,
        );
      }
      if (actual !== expected) {
        throw wrong(call, expected, actual, {
          why: temperature === 0
            ? "T = 0 is greedy: always the largest logit"
            : "the same uniform number in the same intervals",
          hint: "take softmax at the temperature, then pick the word whose interval holds random()",
        });
      }
    }
  }
  return passed(
    "sampleWord",
    "the library's 200 words, one by one, at T = 1, 0.5, 2 and 0, and with a masked word",
  );
}

/**
 * Checks `distinctPairs(tokens)`: the share of different word pairs among the pairs of adjacent
 * words, the distinct-2 measure of notebook 05 (1 = no pair repeats).
 *
 * Formula: |{(t_i, t_{i+1})}| / (n − 1); the reference is `distinctNGramRatio(tokens, 2)`
 * (lib/text/repetition.ts). Inputs: no repeats, a repeated pair, one word repeated, a loop from
 * notebook 05, a single pair, and two different pairs that look alike when their words are glued
 * together.
 *
 * @param distinctPairs The learner's function.
 * @returns A one-line success message.
 * @throws {CheckFailed} On the first input where the share is wrong, with a hint.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkDistinctPairs } from "./sampling.ts";
 *
 * const glued = (t: string[]) => new Set(t.slice(1).map((w, i) => t[i]! + w)).size / (t.length - 1);
 * assert.throws(() => checkDistinctPairs(glued), (e: Error) => e.message.includes("look the same when glued"));
 * ```
 */
export function checkDistinctPairs(distinctPairs: (tokens: string[]) => number): string {
  const loop = "the first time in the world . the first time in the world .".split(" ");
  const cases: [string[], string, string?][] = [
    [["a", "b", "c"], "two pairs, both different"],
    [["a", "b", "a", "b"], "the pairs are a b, b a, a b: 2 different of 3"],
    [["a", "a", "a", "a"], "three times the same pair"],
    [loop, "notebook 05's greedy loop repeats every pair after its first round"],
    [["a", "b"], "one pair"],
    [
      ["ab", "c", "a", "bc"],
      "the pairs (ab, c), (c, a), (a, bc) are all different",
      '(ab, c) and (a, bc) look the same when glued together as "abc": keep the two words apart, e.g. with JSON.stringify([first, second])',
    ],
  ];
  for (const [tokens, why, hint] of cases) {
    const expected = distinctNGramRatio(tokens, 2);
    const call = `distinctPairs(${describe(tokens)})`;
    const actual = run(call, () => distinctPairs(frozen(tokens)));
    if (!(typeof actual === "number" && Math.abs(actual - expected) < 1e-12)) {
      throw wrong(call, expected, actual, {
        why,
        hint,
        mistakes: [{
          matches: (x) =>
            typeof x === "number" &&
            Math.abs((x * tokens.length) / (tokens.length - 1) - expected) < 1e-12,
          hint: `a text of ${tokens.length} words has ${tokens.length - 1} pairs of neighbours`,
        }],
      });
    }
  }
  return passed("distinctPairs", "right on 6 texts, including pairs that look alike when glued");
}
