/**
 * Checks for the exercises of notebook 01 (conditional probability): the four regions of a Venn
 * diagram, P(A | B) from counts, inclusion–exclusion, Bayes' rule, and "zooming into" one row of a
 * table. The reference values come from lib/math/probability.ts.
 *
 * @module
 */

import { bayes, conditionalProbability, vennProbabilities } from "../math/probability.ts";
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

/** The four regions of a two-set Venn diagram, as counts. */
export interface Regions {
  /** In A only. */
  aOnly: number;
  /** In both A and B. */
  both: number;
  /** In B only. */
  bOnly: number;
  /** In neither. */
  neither: number;
}

/**
 * Checks `regions(total, a, b, both)`: the counts of the four regions of the Venn diagram.
 *
 * Formula: aOnly = a − both, bOnly = b − both, neither = total − (aOnly + both + bOnly); the
 * reference comes from `vennProbabilities` (lib/math/probability.ts). Inputs: the article's group,
 * disjoint circles, A inside B, and A equal to B.
 *
 * @param regions The learner's function.
 * @returns A one-line success message.
 * @throws {CheckFailed} On the first input where `regions` is wrong, with a hint.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkRegions } from "./conditional_probability.ts";
 *
 * assert.throws(
 *   () => checkRegions((total, a, b, both) => ({ aOnly: a - both, both, bOnly: b - both, neither: total - a - b })),
 *   /subtracted twice/,
 * );
 * ```
 */
export function checkRegions(
  regions: (total: number, a: number, b: number, both: number) => Regions,
): string {
  const cases = [
    { counts: [14, 7, 8, 3], why: "the article's 14 people" },
    { counts: [10, 4, 6, 0], why: "nobody likes both: the circles do not overlap" },
    { counts: [5, 2, 5, 2], why: "everyone in A is also in B" },
    { counts: [6, 2, 2, 2], why: "A and B are the same two people" },
  ] as const;
  for (const { counts, why } of cases) {
    const [total, a, b, both] = counts;
    const p = vennProbabilities({ total, a, b, both });
    const expected: Regions = {
      aOnly: Math.round((p.a - p.both) * total),
      both,
      bOnly: Math.round((p.b - p.both) * total),
      neither: Math.round(p.neither * total),
    };
    const call = `regions(${counts.join(", ")})`;
    const actual = run(call, () => regions(total, a, b, both));
    const fields = ["aOnly", "both", "bOnly", "neither"] as const;
    const bad = fields.find((f) => actual?.[f] !== expected[f]);
    if (bad === undefined) continue;
    const hints: Record<typeof bad, string> = {
      aOnly: "aOnly counts the people in A outside the overlap",
      both: "both is given: pass it through unchanged",
      bOnly: "bOnly counts the people in B outside the overlap",
      neither: actual?.neither === total - a - b && both > 0
        ? `neither: the ${both} people in both circles were subtracted twice from the total`
        : "neither is everyone outside both circles: the total minus the three regions inside them",
    };
    throw wrong(call, expected, actual, { why, hint: hints[bad] });
  }
  return passed(
    "regions",
    "right on 4 groups, including disjoint circles and one inside the other",
  );
}

/**
 * Checks `conditionalFromCounts(countBoth, countB)`: P(A | B) = count(A ∩ B) / count(B), and a
 * RangeError when count(B) = 0.
 *
 * Formula: P(A | B) = count(A ∩ B) / count(B); the reference is `conditionalProbability`
 * (lib/math/probability.ts). Inputs: 3 of 8, 3 of 7, none, all, and the empty condition.
 *
 * @param conditionalFromCounts The learner's function.
 * @returns A one-line success message.
 * @throws {CheckFailed} On the first input where the function is wrong, with a hint.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkConditionalFromCounts } from "./conditional_probability.ts";
 *
 * assert.throws(() => checkConditionalFromCounts((both, b) => b / both), /other way round/);
 * ```
 */
export function checkConditionalFromCounts(
  conditionalFromCounts: (countBoth: number, countB: number) => number,
): string {
  const cases = [
    [3, 8, "3 of the 8 people in B are also in A"],
    [3, 7, "3 of the 7 people in A are also in B: the condition is now A"],
    [0, 5, "nobody in B is in A"],
    [6, 6, "everyone in B is in A"],
  ] as const;
  for (const [countBoth, countB, why] of cases) {
    const expected = conditionalProbability(countBoth / 100, countB / 100);
    const call = `conditionalFromCounts(${countBoth}, ${countB})`;
    const actual = run(call, () => conditionalFromCounts(countBoth, countB));
    if (!close(actual, expected)) {
      throw wrong(call, expected, actual, {
        why,
        hint: "once you know the person is in B, the universe is B alone",
        mistakes: [{
          matches: (x) => countBoth > 0 && close(x, countB / countBoth),
          hint:
            "you divided the other way round: the universe is B, so count(B) goes below the line",
        }],
      });
    }
  }
  expectRangeError(
    "conditionalFromCounts(0, 0)",
    () => conditionalFromCounts(0, 0),
    "nobody is in B, so P(A | B) is undefined",
  );
  return passed("conditionalFromCounts", "right on 4 groups, and refuses an empty B");
}

/**
 * Checks `union(pA, pB, pBoth)`: inclusion–exclusion, P(A ∪ B) = P(A) + P(B) − P(A ∩ B).
 *
 * Formula: as above; the reference is `vennProbabilities(…).either` (lib/math/probability.ts).
 * Inputs: the article's group, disjoint events, A inside B, and three certain events.
 *
 * @param union The learner's function.
 * @returns A one-line success message.
 * @throws {CheckFailed} On the first input where `union` is wrong, with a hint.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkUnion } from "./conditional_probability.ts";
 *
 * assert.throws(() => checkUnion((a, b) => a + b), /counted the people in both circles twice/);
 * ```
 */
export function checkUnion(union: (pA: number, pB: number, pBoth: number) => number): string {
  const cases = [
    { total: 14, a: 7, b: 8, both: 3, why: "12 of the 14 people like at least one sport" },
    { total: 10, a: 2, b: 3, both: 0, why: "A and B never happen together" },
    { total: 10, a: 2, b: 5, both: 2, why: "A lies inside B, so A ∪ B is B" },
    { total: 4, a: 4, b: 4, both: 4, why: "everyone is in both" },
  ];
  for (const { total, a, b, both, why } of cases) {
    const expected = vennProbabilities({ total, a, b, both }).either;
    const [pA, pB, pBoth] = [a / total, b / total, both / total];
    const call = `union(${[pA, pB, pBoth].map(formatNumber).join(", ")})`;
    const actual = run(call, () => union(pA, pB, pBoth));
    if (!close(actual, expected)) {
      throw wrong(call, expected, actual, {
        why,
        hint: "add the two circles, then correct for the people you counted twice",
        mistakes: [
          {
            matches: (x) => close(x, pA + pB),
            hint: "you counted the people in both circles twice: subtract the overlap once",
          },
          {
            matches: (x) => close(x, pA + pB - 2 * pBoth),
            hint: "that is P(exactly one of the two); the people in both belong to A ∪ B too",
          },
        ],
      });
    }
  }
  return passed("union", "right on 4 pairs of events, including disjoint and nested ones");
}

/**
 * Checks `bayesRule(pBGivenA, pA, pB)`: P(A | B) = P(B | A) P(A) / P(B), and a RangeError when
 * P(B) = 0.
 *
 * Formula: as above; the reference is `bayes` (lib/math/probability.ts). Inputs: tennis and
 * football, rain and clouds, a certain P(B | A), an impossible one, and P(B) = 0.
 *
 * @param bayesRule The learner's function.
 * @returns A one-line success message.
 * @throws {CheckFailed} On the first input where `bayesRule` is wrong, with a hint.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { bayes } from "../math/probability.ts";
 * import { checkBayesRule } from "./conditional_probability.ts";
 *
 * assert.throws(() => checkBayesRule((bGivenA, a, b) => (bGivenA * b) / a), (e: Error) => e.message.endsWith("you swapped P(A) and P(B)"));
 * assert.match(checkBayesRule(bayes), /^✓ bayesRule/);
 * ```
 */
export function checkBayesRule(
  bayesRule: (pBGivenA: number, pA: number, pB: number) => number,
): string {
  const cases = [
    [3 / 7, 7 / 14, 8 / 14, "P(tennis | football) from P(football | tennis) = 3/7"],
    [0.375, 0.4, 0.16, "P(cloudy | rain) from P(rain | cloudy) = 0.375"],
    [1, 0.1, 0.5, "B always follows A, but B has other causes too"],
    [0, 0.3, 0.6, "B never follows A, so B rules A out"],
  ] as const;
  for (const [pBGivenA, pA, pB, why] of cases) {
    const expected = bayes(pBGivenA, pA, pB);
    const call = `bayesRule(${[pBGivenA, pA, pB].map(formatNumber).join(", ")})`;
    const actual = run(call, () => bayesRule(pBGivenA, pA, pB));
    if (!close(actual, expected)) {
      throw wrong(call, expected, actual, {
        why,
        hint: "both conditionals share P(A ∩ B) = P(B | A) P(A) = P(A | B) P(B)",
        mistakes: [
          {
            matches: (x) => close(x, (pBGivenA * pB) / pA),
            hint: "you swapped P(A) and P(B)",
          },
          {
            matches: (x) => close(x, pBGivenA * pA),
            hint: "that is P(A ∩ B); divide by P(B) to zoom into B",
          },
          {
            matches: (x) => close(x, pBGivenA),
            hint: "that is P(B | A) itself; P(A | B) is a different number in general",
          },
        ],
      });
    }
  }
  expectRangeError(
    "bayesRule(0.5, 0.5, 0)",
    () => bayesRule(0.5, 0.5, 0),
    "P(B) = 0: B never happens, so P(A | B) is undefined",
  );
  return passed("bayesRule", "right on 4 inputs, and refuses P(B) = 0");
}

/**
 * Checks `zoomIntoRow(table, row)`: the row of a table of joint probabilities (or counts),
 * divided by its own sum, P(column | row); a RangeError for a row that sums to 0.
 *
 * Formula: P(j | i) = table[i][j] / Σ_k table[i][k]; the reference is `conditionalProbability`
 * (lib/math/probability.ts) entry by entry. Inputs: the weather table of notebook 01 (both rows),
 * the next-word counts after "to the", and an empty row. The table is frozen: the function must
 * not change it.
 *
 * @param zoomIntoRow The learner's function.
 * @returns A one-line success message.
 * @throws {CheckFailed} On the first input where `zoomIntoRow` is wrong, with a hint.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkZoomIntoRow } from "./conditional_probability.ts";
 *
 * assert.throws(() => checkZoomIntoRow((table, row) => table[row]!), /divided by its own sum/);
 * ```
 */
export function checkZoomIntoRow(
  zoomIntoRow: (table: number[][], row: number) => ArrayLike<number>,
): string {
  const weather = [[0.15, 0.25], [0.01, 0.59]];
  const cases = [
    { table: weather, row: 0, why: "P(rain | cloudy) and P(no rain | cloudy)" },
    { table: weather, row: 1, why: "P(rain | clear) and P(no rain | clear)" },
    {
      table: [[8, 6, 3, 2, 1], [1, 0, 0, 0, 4]],
      row: 0,
      why: 'counts work too: after "to the", playground 8, school 6, park 3, cafe 2, hospital 1',
    },
  ];
  for (const { table, row, why } of cases) {
    const all = table.flat().reduce((s, x) => s + x, 0);
    const cells = table[row]!;
    const rowSum = cells.reduce((s, x) => s + x, 0);
    const expected = cells.map((x) => conditionalProbability(x / all, rowSum / all));
    const call = `zoomIntoRow(${describe(table)}, ${row})`;
    const actual = run(call, () => zoomIntoRow(frozen(table), row));
    if (!closeAll(actual, expected)) {
      throw wrong(call, expected, actual, {
        why,
        hint: "keep only the given row, then make it sum to 1",
        mistakes: [
          {
            matches: (x) => closeAll(x, cells),
            hint: "the row must be divided by its own sum so that it adds up to 1",
          },
          {
            matches: (x) => closeAll(x, cells.map((c) => c / all)),
            hint:
              "you divided by the whole table's sum; zooming into the row means dividing by the row's own sum",
          },
        ],
      });
    }
  }
  expectRangeError(
    "zoomIntoRow([[1, 1], [0, 0]], 1)",
    () => zoomIntoRow(frozen([[1, 1], [0, 0]]), 1),
    "row 1 sums to 0: that condition never happens",
  );
  return passed(
    "zoomIntoRow",
    "right on 3 rows of probabilities and counts, and refuses an empty row",
  );
}
