/**
 * Checks for the exercises of notebook 10 (decoding): the repetition penalty, the
 * no-repeat-n-gram ban, min-p filtering, KL divergence, and the expected calibration error.
 * Reference values come from lib/math/penalties.ts, lib/math/decoding.ts, lib/math/divergence.ts
 * and lib/math/calibration.ts.
 *
 * @module
 */

import { expectedCalibrationError } from "../math/calibration.ts";
import { minP } from "../math/decoding.ts";
import { klDivergence } from "../math/divergence.ts";
import { noRepeatNGram, repetitionPenalty } from "../math/penalties.ts";
import { close, closeAll, describe, formatNumber, frozen, passed, run, wrong } from "./_check.ts";

/** The article's prediction after "The boy went to the": Cafe, Hospital, Playground, Park, School. */
const ARTICLE = [0.1, 0.05, 0.4, 0.15, 0.3];

/**
 * Checks `penalizeRepeats(logits, previousIds, penalty)`: the repetition penalty of CTRL, applied
 * once to every word that already occurred: a positive logit divided by θ, a negative one
 * multiplied by θ.
 *
 * Formula: for each distinct id i of `previousIds` below the number of logits: x_i / θ if x_i > 0,
 * x_i · θ if x_i < 0 (0 and −Infinity stay); the reference is `repetitionPenalty`
 * (lib/math/penalties.ts). Inputs: a positive and a negative logit, a word said three times, the
 * article's logits ln p, a zero and a masked logit, and an id beyond the list.
 *
 * @param penalizeRepeats The learner's function.
 * @returns A one-line success message.
 * @throws {CheckFailed} On the first input where the logits are wrong, with a hint.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkPenalizeRepeats } from "./decoding.ts";
 *
 * const divideAll = (x: number[], ids: number[], t: number) => x.map((v, i) => (ids.includes(i) ? v / t : v));
 * assert.throws(() => checkPenalizeRepeats(divideAll), (e: Error) => e.message.includes("multiply it by θ"));
 * ```
 */
export function checkPenalizeRepeats(
  penalizeRepeats: (logits: number[], previousIds: number[], penalty: number) => ArrayLike<number>,
): string {
  const cases: [number[], number[], number, string][] = [
    [[2.4, -1, 3], [0, 1], 1.2, "2.4 / 1.2 = 2 and −1 × 1.2 = −1.2; word 2 was not said"],
    [[2.4, -1, 3], [1, 1, 1], 1.2, "a word said three times is penalised once"],
    [
      ARTICLE.map(Math.log),
      [4, 2, 4],
      1.5,
      "School and Playground were said: their negative logits ln p are multiplied by 1.5",
    ],
    [[0, -Infinity, 1], [0, 1, 2], 2, "0 and −Infinity stay where they are"],
    [[1, 2], [0, 7], 2, "an id beyond the list of logits is ignored"],
  ];
  for (const [logits, ids, penalty, why] of cases) {
    const expected = repetitionPenalty(logits, ids, penalty);
    const shown = logits.length === 5 ? "ln([0.1, 0.05, 0.4, 0.15, 0.3])" : describe(logits);
    const call = `penalizeRepeats(${shown}, ${describe(ids)}, ${formatNumber(penalty)})`;
    const actual = run(call, () => penalizeRepeats(frozen(logits), frozen(ids), penalty));
    if (!closeAll(actual, expected)) {
      throw wrong(call, expected, actual, {
        why,
        mistakes: [
          {
            matches: (x) =>
              closeAll(
                x,
                logits.map((v, i) => (ids.includes(i) && v !== -Infinity ? v / penalty : v)),
              ),
            hint:
              "dividing a negative logit by θ moves it up, making the word more likely; a negative logit must move down too: multiply it by θ",
          },
          {
            matches: (x) => {
              const times = logits.map((v, i) => {
                const n = ids.filter((id) => id === i).length;
                return v > 0 ? v / penalty ** n : v < 0 ? v * penalty ** n : v;
              });
              return ids.length !== new Set(ids).size && closeAll(x, times);
            },
            hint: "penalise each word once, however often it occurred",
          },
        ],
      });
    }
  }
  return passed(
    "penalizeRepeats",
    "right on 5 inputs, including repeats, 0, −Infinity and unknown ids",
  );
}

/**
 * Checks `banRepeats(logits, previousIds, n)`: the no-repeat-n-gram rule, every word that would
 * complete an n-gram already in the text gets the logit −Infinity.
 *
 * Formula: with the text h and s = its last n − 1 ids, ban h_{j+n−1} for every position j where
 * h_j … h_{j+n−2} = s; the reference is `noRepeatNGram` (lib/math/penalties.ts). Inputs: notebook
 * 10's School Playground School with n = 2, a trigram, n = 1 (ban every word said), a text
 * shorter than n, and two earlier matches.
 *
 * @param banRepeats The learner's function.
 * @returns A one-line success message.
 * @throws {CheckFailed} On the first input where the logits are wrong, with a hint.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkBanRepeats } from "./decoding.ts";
 *
 * assert.throws(() => checkBanRepeats((x) => x), (e: Error) => e.message.includes("School was followed by Playground"));
 * ```
 */
export function checkBanRepeats(
  banRepeats: (logits: number[], previousIds: number[], n: number) => ArrayLike<number>,
): string {
  const zeros = [0, 0, 0, 0, 0];
  const cases: [number[], number[], number, string][] = [
    [
      zeros,
      [4, 2, 4],
      2,
      "the text ends in School (4), and School was followed by Playground (2) before",
    ],
    [[0, 0, 0, 0], [0, 1, 2, 0, 1], 3, "the text ends in 0 1, and 0 1 was followed by 2 before"],
    [[5, 6, 7], [2, 0], 1, "n = 1 bans every word that was said"],
    [[1, 2, 3], [0], 3, "a text shorter than n holds no n-gram yet"],
    [zeros, [1, 3, 1, 4, 1], 2, "1 was followed by 3 and by 4: both are banned"],
  ];
  for (const [logits, ids, n, why] of cases) {
    const expected = noRepeatNGram(logits, ids, n);
    const call = `banRepeats(${describe(logits)}, ${describe(ids)}, ${n})`;
    const actual = run(call, () => banRepeats(frozen(logits), frozen(ids), n));
    if (!closeAll(actual, expected)) {
      throw wrong(call, expected, actual, {
        why,
        hint:
          "look for every earlier place where the last n − 1 words occurred, and ban the word that followed them there",
      });
    }
  }
  return passed("banRepeats", "right on 5 texts, including n = 1 and a text shorter than n");
}

/**
 * Checks `minPFilter(probs, pBase)`: keep every word at least `pBase` times as probable as the
 * most probable one, renormalised; the others 0.
 *
 * Formula: threshold t = pBase · max p; q_i = p_i / Σ_{p_j >= t} p_j when p_i >= t (and p_i > 0);
 * the reference is `minP` (lib/math/decoding.ts). Inputs: the article with pBase = 0.25 (Cafe sits
 * exactly on the threshold) and 0.5, pBase = 0, pBase = 1 with a tie, and a zero entry.
 *
 * @param minPFilter The learner's function.
 * @returns A one-line success message.
 * @throws {CheckFailed} On the first input where the filter is wrong, with a hint.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { minP } from "../math/decoding.ts";
 * import { checkMinPFilter } from "./decoding.ts";
 *
 * assert.match(checkMinPFilter(minP), /^✓ minPFilter/);
 * ```
 */
export function checkMinPFilter(
  minPFilter: (probs: number[], pBase: number) => ArrayLike<number>,
): string {
  const cases: [number[], number, string][] = [
    [ARTICLE, 0.25, "the threshold is 0.25 × 0.4 = 0.1: Cafe (0.1) stays, Hospital (0.05) goes"],
    [ARTICLE, 0.5, "the threshold is 0.2: Playground and School"],
    [ARTICLE, 0, "pBase = 0 keeps every word"],
    [[0.4, 0.4, 0.2], 1, "pBase = 1 keeps only the most probable words, here two tied ones"],
    [[0.5, 0.5, 0], 0, "a word of probability 0 stays at 0"],
  ];
  for (const [probs, pBase, why] of cases) {
    const expected = minP(probs, pBase);
    const call = `minPFilter(${describe(probs)}, ${formatNumber(pBase)})`;
    const actual = run(call, () => minPFilter(frozen(probs), pBase));
    if (!closeAll(actual, expected)) {
      const threshold = pBase * Math.max(...probs);
      throw wrong(call, expected, actual, {
        why,
        mistakes: [
          {
            matches: (x) => closeAll(x, Array.from(expected, (q, i) => (q > 0 ? probs[i]! : 0))),
            hint: "divide the kept probabilities by their sum so that they add up to 1 again",
          },
          {
            matches: (x) => {
              const strict = probs.map((p) => (p > threshold ? p : 0));
              const mass = strict.reduce((s, y) => s + y, 0);
              return mass > 0 && closeAll(x, strict.map((p) => p / mass));
            },
            hint: "a word exactly at the threshold stays: keep p >= pBase × max p",
          },
        ],
      });
    }
  }
  return passed("minPFilter", "right on 5 inputs, including a word exactly at the threshold");
}

/**
 * Checks `klDivergence(p, q)`: the extra loss of predicting with q when the words follow p.
 *
 * Formula: KL(p ‖ q) = Σ_i p_i ln(p_i / q_i), terms with p_i = 0 counting 0, Infinity when some
 * q_i = 0 < p_i; the reference is `klDivergence` (lib/math/divergence.ts). Inputs: equal
 * distributions, a 50/50 p against [0.25, 0.75], a zero in p, a zero in q, the article against its
 * T = 0.5 version, and both orders of one pair (KL is not symmetric).
 *
 * @param klDivergenceFn The learner's function.
 * @returns A one-line success message.
 * @throws {CheckFailed} On the first input where the divergence is wrong, with a hint.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { klDivergence } from "../math/divergence.ts";
 * import { checkKlDivergence } from "./decoding.ts";
 *
 * assert.throws(() => checkKlDivergence((p, q) => klDivergence(q, p)), (e: Error) => e.message.includes("not symmetric"));
 * ```
 */
export function checkKlDivergence(klDivergenceFn: (p: number[], q: number[]) => number): string {
  const squared = ARTICLE.map((x) => x * x);
  const sharpened = squared.map((x) => x / squared.reduce((s, y) => s + y, 0));
  const cases: [number[], number[], string][] = [
    [[0.5, 0.5], [0.5, 0.5], "q = p: no extra loss"],
    [[0.5, 0.5], [0.25, 0.75], "½ ln 2 + ½ ln(2/3) = ½ ln(4/3)"],
    [[1, 0], [0.5, 0.5], "a word p never produces costs nothing, even where q gives it 0.5"],
    [[0.5, 0.5], [1, 0], "q rules out a word p produces: an infinite loss"],
    [ARTICLE, sharpened, "the article against its own T = 0.5 version"],
    [[0.9, 0.1], [0.5, 0.5], "predicting 50/50 when the truth is 90/10"],
  ];
  for (const [p, q, why] of cases) {
    const expected = klDivergence(p, q);
    const call = `klDivergence(${describe(p)}, ${describe(q)})`;
    const actual = run(call, () => klDivergenceFn(frozen(p), frozen(q)));
    if (!close(actual, expected)) {
      let swapped = NaN;
      try {
        swapped = klDivergence(q, p);
      } catch { /* not a distribution */ }
      throw wrong(call, expected, actual, {
        why,
        mistakes: [
          {
            matches: (x) => Number.isNaN(x),
            hint: "0 × ln 0 is NaN in JavaScript; a term with p_i = 0 counts 0: skip it",
          },
          {
            matches: (x) => !close(swapped, expected) && close(x, swapped),
            hint:
              "that is KL(q ‖ p): KL is not symmetric; weight by p, the distribution the words follow",
          },
          {
            matches: (x) => expected !== 0 && close(x, -expected),
            hint: "a divergence is never negative: ln(p / q), not ln(q / p)",
          },
        ],
      });
    }
  }
  return passed("klDivergence", "right on 6 pairs, including zeros on either side");
}

/**
 * Checks `calibrationError(confidences, correct, bins)`: the expected calibration error, the gap
 * between confidence and accuracy averaged over equal-width bins, weighted by their counts.
 *
 * Formula: prediction i goes to bin min(B − 1, floor(c_i · B)); ECE = Σ_b (n_b / N) |accuracy_b −
 * meanConfidence_b| over the non-empty bins; the reference is `expectedCalibrationError`
 * (lib/math/calibration.ts). Inputs: four predictions in two bins, a calibrated set, a confidence
 * of exactly 1, empty bins, and one overconfident bin.
 *
 * @param calibrationError The learner's function.
 * @returns A one-line success message.
 * @throws {CheckFailed} On the first input where the error is wrong, with a hint.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { expectedCalibrationError } from "../math/calibration.ts";
 * import { checkCalibrationError } from "./decoding.ts";
 *
 * assert.match(checkCalibrationError(expectedCalibrationError), /^✓ calibrationError/);
 * ```
 */
export function checkCalibrationError(
  calibrationError: (confidences: number[], correct: boolean[], bins: number) => number,
): string {
  const cases: [number[], boolean[], number, string, string?][] = [
    [
      [0.9, 0.8, 0.6, 0.3],
      [true, false, true, true],
      2,
      "bin [0, 0.5): 0.3 said, right: gap 0.7, weight 1/4; bin [0.5, 1]: mean 0.7667 said, 2 of 3 right: gap 0.1, weight 3/4",
    ],
    [
      [0.75, 0.75, 0.75, 0.75],
      [true, true, true, false],
      4,
      "75% sure and right 3 times in 4: calibrated",
    ],
    [
      [1, 1, 0.6],
      [true, false, true],
      2,
      "a confidence of exactly 1 belongs to the last bin, [0.5, 1]",
      "floor(1 × B) = B is past the last bin: put a confidence of 1 into bin B − 1",
    ],
    [[0.95, 0.15], [false, false], 10, "8 of the 10 bins are empty; they count nothing"],
    [
      [0.9, 0.9, 0.9, 0.9, 0.9],
      [true, false, true, false, true],
      10,
      "90% sure, right 60% of the time",
    ],
  ];
  for (const [confidences, correct, bins, why, hint] of cases) {
    const expected = expectedCalibrationError(confidences, correct, bins);
    const call = `calibrationError(${describe(confidences)}, ${describe(correct)}, ${bins})`;
    const actual = run(call, () => calibrationError(frozen(confidences), frozen(correct), bins));
    if (!close(actual, expected)) {
      throw wrong(call, expected, actual, {
        why,
        hint,
        mistakes: hint === undefined
          ? [{
            matches: (x) => Number.isNaN(x),
            hint: "an empty bin has no mean (0 / 0 is NaN): skip empty bins",
          }]
          : [],
      });
    }
  }
  return passed("calibrationError", "right on 5 sets, including a confidence of 1 and empty bins");
}
