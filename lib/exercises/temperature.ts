/**
 * Checks for the exercises of notebook 04 (temperature): softmax that neither overflows nor
 * underflows, softmax with a temperature including its limits T = 0 and T = ∞, the same reshaping
 * written on probabilities (p^(1/T), renormalised), and finding the temperature at which the least
 * likely word reaches a given probability. The reference is `softmax` from lib/math/softmax.ts.
 *
 * @module
 */

import { softmax } from "../math/softmax.ts";
import {
  close,
  closeAll,
  describe,
  expectRangeError,
  formatNumber,
  frozen,
  passed,
  run,
  wrong,
} from "./_check.ts";

/** ln p of the article's prediction: Cafe, Hospital, Playground, Park, School. */
const ARTICLE_LOGITS = [0.1, 0.05, 0.4, 0.15, 0.3].map(Math.log);

/** Logits as a message shows them: ln p of the article's prediction by name. */
function showLogits(logits: readonly number[]): string {
  return logits.every((x, i) => x === ARTICLE_LOGITS[i]) && logits.length === 5
    ? "ln([0.1, 0.05, 0.4, 0.15, 0.3])"
    : describe(logits);
}

/** exp of every entry divided by exp of the largest, i.e. softmax without dividing by the sum. */
function unnormalised(logits: readonly number[], scale = 1): number[][] {
  const max = Math.max(...logits);
  return [logits.map((x) => Math.exp(x * scale)), logits.map((x) => Math.exp((x - max) * scale))];
}

/**
 * Checks `softmax(logits)`: probabilities from logits, stable for huge and tiny logits.
 *
 * Formula: softmax(x)_i = exp(x_i − max x) / Σ_j exp(x_j − max x); the reference is `softmax`
 * (lib/math/softmax.ts). Inputs: equal logits, [0, ln 3], the article's ln p, one logit,
 * [1000, 1000] (overflow), [−1000, −1000] (underflow) and a masked −Infinity.
 *
 * @param softmaxFn The learner's function.
 * @returns A one-line success message.
 * @throws {CheckFailed} On the first input where the probabilities are wrong, with a hint.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { softmax } from "../math/softmax.ts";
 * import { checkSoftmax } from "./temperature.ts";
 *
 * assert.throws(
 *   () => checkSoftmax((x) => x.map(Math.exp)),
 *   (e: Error) => e.message === "softmax([0, 0]) should be [0.5, 0.5] (equal logits, equal probabilities), yours gave [1, 1]: did you divide by the sum?",
 * );
 * assert.match(checkSoftmax((x) => softmax(x)), /^✓ softmax/);
 * ```
 */
export function checkSoftmax(softmaxFn: (logits: number[]) => ArrayLike<number>): string {
  const cases: [number[], string, string?][] = [
    [[0, 0], "equal logits, equal probabilities"],
    [[0, Math.log(3)], "exp(ln 3) is 3 times exp(0)"],
    [ARTICLE_LOGITS, "softmax of ln p gives p back"],
    [[5], "one word is certain"],
    [
      [1000, 1000],
      "the same as [0, 0]",
      "exp(1000) overflows to Infinity, and Infinity / Infinity is NaN: subtract the largest logit first (softmax does not change when every logit moves by the same amount)",
    ],
    [
      [-1000, -1000],
      "the same as [0, 0]",
      "exp(−1000) underflows to 0, and 0 / 0 is NaN: subtracting the largest logit fixes this too",
    ],
    [[0, -Infinity], "a masked word (logit −Infinity) gets probability 0"],
  ];
  for (const [logits, why, hint] of cases) {
    const expected = softmax(logits);
    const call = `softmax(${showLogits(logits)})`;
    const actual = run(call, () => softmaxFn(frozen(logits)));
    if (!closeAll(actual, expected)) {
      throw wrong(call, expected, actual, {
        why,
        hint,
        mistakes: [
          {
            matches: (x) => unnormalised(logits).some((u) => closeAll(x, u)),
            hint: "did you divide by the sum?",
          },
          {
            matches: (x) => closeAll(x, logits.map((v) => v / logits.reduce((s, y) => s + y, 0))),
            hint: "exponentiate first: softmax divides exp(x) by the sum of exp(x)",
          },
        ],
      });
    }
  }
  return passed(
    "softmax",
    "right on 7 inputs, including [1000, 1000], [-1000, -1000] and a masked logit",
  );
}

/**
 * Checks `softmaxWithTemperature(logits, T)`: softmax(x / T), with T = 0 the greedy limit (ties
 * share) and T = ∞ uniform; a RangeError for T < 0.
 *
 * Formula: p_i = exp((x_i − max x) / T) / Σ_j exp((x_j − max x) / T); the reference is
 * `softmax(logits, T)` (lib/math/softmax.ts). Inputs: T = 1, the article at T = 0.5 and T = 2,
 * T = 0 with a tie, a tiny T on large logits, T = ∞, and T = −1.
 *
 * @param softmaxWithTemperature The learner's function.
 * @returns A one-line success message.
 * @throws {CheckFailed} On the first input where the probabilities are wrong, with a hint.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { softmax } from "../math/softmax.ts";
 * import { checkSoftmaxWithTemperature } from "./temperature.ts";
 *
 * const times = (x: number[], t: number) => softmax(x.map((v) => v * t));
 * assert.throws(() => checkSoftmaxWithTemperature(times), (e: Error) => e.message.endsWith("divide the logits by T: a low T must sharpen"));
 * ```
 */
export function checkSoftmaxWithTemperature(
  softmaxWithTemperature: (logits: number[], temperature: number) => ArrayLike<number>,
): string {
  const cases: [number[], number, string, string?][] = [
    [[0, Math.log(3)], 1, "T = 1 is plain softmax"],
    [ARTICLE_LOGITS, 0.5, "T = 0.5 sharpens: Playground gets the article's 0.5614"],
    [ARTICLE_LOGITS, 2, "T = 2 flattens"],
    [
      [1, 3, 3],
      0,
      "T = 0 is the greedy limit: all the probability on the largest logit, shared by ties",
      "dividing by 0 gives NaN and ±Infinity: handle T = 0 on its own",
    ],
    [
      [1000, 999],
      0.001,
      "a tiny T",
      "subtract the largest logit before dividing by T, or exp(1000 / 0.001) overflows",
    ],
    [[1, 2, 3], Infinity, "T = ∞ flattens the distribution all the way to uniform"],
  ];
  for (const [logits, temperature, why, hint] of cases) {
    const expected = softmax(logits, temperature);
    const call = `softmaxWithTemperature(${showLogits(logits)}, ${formatNumber(temperature)})`;
    const actual = run(call, () => softmaxWithTemperature(frozen(logits), temperature));
    if (!closeAll(actual, expected)) {
      const mistakes = [];
      if (temperature > 0 && temperature !== 1 && Number.isFinite(temperature)) {
        mistakes.push(
          {
            matches: (x: unknown) => closeAll(x, softmax(logits.map((v) => v * temperature))),
            hint: "divide the logits by T: a low T must sharpen",
          },
          {
            matches: (x: unknown) => closeAll(x, softmax(logits)),
            hint: "the temperature changed nothing: divide the logits by T before the softmax",
          },
        );
      }
      throw wrong(call, expected, actual, { why, hint, mistakes });
    }
  }
  expectRangeError(
    "softmaxWithTemperature([1, 2], -1)",
    () => softmaxWithTemperature(frozen([1, 2]), -1),
    "a negative temperature would turn the order of the words around",
  );
  return passed(
    "softmaxWithTemperature",
    "right on 6 inputs, including T = 0, a tiny T and T = ∞, and refuses T < 0",
  );
}

/**
 * Checks `sharpen(probs, T)`: temperature applied to probabilities, p^(1/T) renormalised, which is
 * softmax(ln p / T).
 *
 * Formula: q_i = p_i^(1/T) / Σ_j p_j^(1/T); the reference is `softmax(ln p, T)`
 * (lib/math/softmax.ts). Inputs: T = 1, T = 0.5 on two words and on the article, T = 2, and a
 * word of probability 0.
 *
 * @param sharpen The learner's function.
 * @returns A one-line success message.
 * @throws {CheckFailed} On the first input where the probabilities are wrong, with a hint.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkSharpen } from "./temperature.ts";
 *
 * const wrongPower = (p: number[], t: number) => {
 *   const q = p.map((x) => x ** t);
 *   const sum = q.reduce((s, x) => s + x, 0);
 *   return q.map((x) => x / sum);
 * };
 * assert.throws(() => checkSharpen(wrongPower), (e: Error) => e.message.includes("the exponent is 1/T"));
 * ```
 */
export function checkSharpen(
  sharpen: (probs: number[], temperature: number) => ArrayLike<number>,
): string {
  const cases: [number[], number, string][] = [
    [[0.25, 0.75], 1, "T = 1 changes nothing"],
    [[0.25, 0.75], 0.5, "T = 0.5 squares them (0.0625 and 0.5625), then they are renormalised"],
    [[0.1, 0.05, 0.4, 0.15, 0.3], 0.5, "the article at T = 0.5: Playground 0.5614"],
    [[0.2, 0.8], 2, "T = 2 takes square roots: flatter"],
    [[0, 0.4, 0.6], 0.5, "a word of probability 0 stays at 0"],
  ];
  for (const [probs, temperature, why] of cases) {
    const expected = softmax(probs.map(Math.log), temperature);
    const call = `sharpen(${describe(probs)}, ${formatNumber(temperature)})`;
    const actual = run(call, () => sharpen(frozen(probs), temperature));
    if (!closeAll(actual, expected)) {
      const power = (e: number) => probs.map((p) => p ** e);
      const normalised = (q: number[]) => q.map((x) => x / q.reduce((s, y) => s + y, 0));
      throw wrong(call, expected, actual, {
        why,
        mistakes: [
          {
            matches: (x) => temperature !== 1 && closeAll(x, normalised(power(temperature))),
            hint:
              "the exponent is 1/T: T = 0.5 should sharpen (square), T = 2 flatten (square root)",
          },
          {
            matches: (x) => closeAll(x, power(1 / temperature)),
            hint: "divide by their sum so that they add up to 1 again",
          },
        ],
      });
    }
  }
  return passed("sharpen", "right on 5 inputs, and agrees with softmax(ln p / T)");
}

/**
 * Checks `temperatureFor(logits, target)`: a temperature T at which the word with the smallest
 * logit gets probability `target`; a RangeError when no T can give it that (target ≥ 1/n, the
 * uniform limit, or target ≤ 0).
 *
 * Formula: the least likely word's probability softmax(x / T)_min rises with T from 0 (T → 0) to
 * 1/n (T → ∞), so exactly one T gives any target in (0, 1/n): bisection finds it. The answer is
 * accepted when softmax(logits, T)_min is within 1e-6 of `target` (reference: `softmax`,
 * lib/math/softmax.ts). Inputs: the article's Hospital at 0.05 (T = 1) and 0.1 (notebook 04's
 * "Try it"), two words, a small target, and the unreachable 0.2 = 1/5.
 *
 * @param temperatureFor The learner's function.
 * @returns A one-line success message.
 * @throws {CheckFailed} On the first input where the temperature misses, with the probability it
 * gives instead.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkTemperatureFor } from "./temperature.ts";
 *
 * assert.throws(() => checkTemperatureFor(() => 1), (e: Error) => e.message.includes("yours gave 1: at T = 1 it gets 0.05;"));
 * ```
 */
export function checkTemperatureFor(
  temperatureFor: (logits: number[], target: number) => number,
): string {
  const cases: [number[], number, string][] = [
    [ARTICLE_LOGITS, 0.05, "Hospital already has 0.05 at T = 1"],
    [ARTICLE_LOGITS, 0.1, "Hospital gets 0.1: notebook 04's Try it question"],
    [[Math.log(3), 0], 0.4, "two words, 3 : 1 at T = 1"],
    [[0, -1, -2], 0.01, "a target below its T = 1 probability needs T < 1"],
  ];
  for (const [logits, target, why] of cases) {
    const least = logits.indexOf(Math.min(...logits));
    const probabilityAt = (t: number) => softmax(logits, t)[least]!;
    let low = 1e-6;
    let high = 1e6;
    for (let k = 0; k < 200; k++) {
      const mid = Math.sqrt(low * high);
      if (probabilityAt(mid) < target) low = mid;
      else high = mid;
    }
    const expected = Math.sqrt(low * high);
    const call = `temperatureFor(${showLogits(logits)}, ${formatNumber(target)})`;
    const actual = run(call, () => temperatureFor(frozen(logits), target));
    let got = NaN;
    try {
      if (typeof actual === "number" && actual >= 0) got = probabilityAt(actual);
    } catch { /* not a temperature */ }
    if (!close(got, target, 1e-6)) {
      throw wrong(call, expected, actual, {
        why,
        hint: Number.isNaN(got)
          ? "a temperature is a number >= 0"
          : `at T = ${formatNumber(actual as number)} it gets ${
            formatNumber(got)
          }; its probability rises with T, so bisect between a T that gives too little and one that gives too much`,
      });
    }
  }
  expectRangeError(
    "temperatureFor(ln([0.1, 0.05, 0.4, 0.15, 0.3]), 0.2)",
    () => temperatureFor(frozen(ARTICLE_LOGITS), 0.2),
    "1/5 is the uniform limit, reached only at T = ∞",
  );
  return passed("temperatureFor", "right on 4 targets, and refuses the unreachable 1/n");
}
