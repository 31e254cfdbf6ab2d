/**
 * Probability from counts: the article's Venn diagram, conditional probability and Bayes' rule.
 *
 * @module
 */

import { checkProbability, checkVennCounts, formatValue } from "../_validate.ts";

/** Counts for two events A and B among `total` people (or outcomes). */
export interface VennCounts {
  /** Everyone counted, > 0. */
  total: number;
  /** How many are in A (e.g. like tennis), including those in both. */
  a: number;
  /** How many are in B (e.g. like football), including those in both. */
  b: number;
  /** How many are in both A and B. */
  both: number;
}

/** Probabilities read off a two-set Venn diagram. */
export interface VennProbabilities {
  /** P(A) = a / total. */
  a: number;
  /** P(B) = b / total. */
  b: number;
  /** P(A ∩ B) = both / total. */
  both: number;
  /** P(A ∪ B) = P(A) + P(B) - P(A ∩ B) (inclusion–exclusion). */
  either: number;
  /** P(neither) = 1 - P(A ∪ B). */
  neither: number;
  /** P(A | B) = P(A ∩ B) / P(B) = both / b. */
  aGivenB: number;
  /** P(B | A) = P(A ∩ B) / P(A) = both / a. */
  bGivenA: number;
}

/**
 * Every probability of the two-event Venn diagram, from counts.
 *
 * Formulas: P(A) = a/total, P(B) = b/total, P(A∩B) = both/total,
 * P(A∪B) = (a + b - both)/total, P(neither) = 1 - P(A∪B), P(A|B) = both/b, P(B|A) = both/a.
 * Runs in O(1).
 *
 * @param counts `{ total, a, b, both }`: safe integers >= 0 with total > 0,
 *   both <= min(a, b), a + b - both <= total, and a, b > 0 (conditioning on an empty event is
 *   undefined).
 * @returns The probabilities `{ a, b, both, either, neither, aGivenB, bGivenA }`.
 * @throws {TypeError} When `counts` is not an object or a count is not a number.
 * @throws {RangeError} When a count is not a safe integer >= 0 or the counts are impossible;
 *   the message names the constraint and by how much it fails.
 * @example
 * ```ts
 * import { vennProbabilities } from "./probability.ts";
 * import assert from "node:assert/strict";
 * // The article: 14 people, 7 like tennis (A), 8 football (B), 3 both.
 * const p = vennProbabilities({ total: 14, a: 7, b: 8, both: 3 });
 * assert.equal(p.aGivenB, 3 / 8);
 * assert.equal(p.bGivenA, 3 / 7);
 * assert.equal(p.neither, 2 / 14);
 * ```
 */
export function vennProbabilities(counts: VennCounts): VennProbabilities {
  checkVennCounts(counts);
  const { total, a, b, both } = counts;
  if (total === 0) throw new RangeError("`total` must be > 0, got 0");
  const either = a + b - both;
  for (const [name, value] of [["a", a], ["b", b]] as const) {
    if (value === 0) {
      throw new RangeError(
        `\`${name}\` must be > 0 to condition on it (P(·|${name.toUpperCase()}) is undefined when ` +
          `P(${name.toUpperCase()}) = 0), got 0`,
      );
    }
  }
  return {
    a: a / total,
    b: b / total,
    both: both / total,
    either: either / total,
    neither: (total - either) / total,
    aGivenB: both / b,
    bGivenA: both / a,
  };
}

/**
 * Conditional probability: the chance of A once we know B happened.
 *
 * Formula: P(A|B) = P(A ∩ B) / P(B): zoom into B and ask what share of it is also A.
 * Runs in O(1).
 *
 * @param pJoint P(A ∩ B), in [0, 1] and not above `pCondition` (1e-12 slack for rounding).
 * @param pCondition P(B), in (0, 1]. P(A|B) is undefined when P(B) = 0.
 * @returns P(A|B) in [0, 1].
 * @throws {TypeError} When an argument is not a number.
 * @throws {RangeError} When a probability is outside [0, 1], `pCondition` is 0, or
 *   `pJoint` > `pCondition`.
 * @example
 * ```ts
 * import { conditionalProbability } from "./probability.ts";
 * import assert from "node:assert/strict";
 * assert.equal(conditionalProbability(3 / 14, 8 / 14), 0.375); // 3/8
 * ```
 */
export function conditionalProbability(pJoint: number, pCondition: number): number {
  checkProbability(pJoint, "pJoint");
  checkProbability(pCondition, "pCondition");
  if (pCondition === 0) {
    throw new RangeError(
      "`pCondition` must be > 0 (P(A|B) is undefined when P(B) = 0), got 0",
    );
  }
  if (pJoint > pCondition + 1e-12) {
    throw new RangeError(
      `\`pJoint\` must be <= \`pCondition\` = ${pCondition} (A ∩ B lies inside B), got ${
        formatValue(pJoint)
      }`,
    );
  }
  return Math.min(1, pJoint / pCondition);
}

/**
 * Bayes' rule: turns P(B|A) around into P(A|B).
 *
 * Formula: P(A|B) = P(B|A) P(A) / P(B). Runs in O(1).
 *
 * @param pBGivenA P(B|A), in [0, 1].
 * @param pA P(A), in [0, 1].
 * @param pB P(B), in (0, 1].
 * @returns P(A|B) in [0, 1].
 * @throws {TypeError} When an argument is not a number.
 * @throws {RangeError} When a probability is outside [0, 1], `pB` is 0, or the inputs are
 *   inconsistent (P(B|A) P(A) = P(A ∩ B) cannot exceed P(B)).
 * @example
 * ```ts
 * import { bayes } from "./probability.ts";
 * import assert from "node:assert/strict";
 * // P(football | tennis) = 3/7, P(tennis) = 7/14, P(football) = 8/14.
 * assert.ok(Math.abs(bayes(3 / 7, 7 / 14, 8 / 14) - 3 / 8) < 1e-15);
 * ```
 */
export function bayes(pBGivenA: number, pA: number, pB: number): number {
  checkProbability(pBGivenA, "pBGivenA");
  checkProbability(pA, "pA");
  checkProbability(pB, "pB");
  if (pB === 0) throw new RangeError("`pB` must be > 0 (P(A|B) is undefined when P(B) = 0), got 0");
  const joint = pBGivenA * pA;
  if (joint > pB + 1e-12) {
    throw new RangeError(
      `\`pBGivenA\` × \`pA\` = ${joint} must be <= \`pB\` = ${pB} (P(A ∩ B) lies inside B)`,
    );
  }
  return Math.min(1, joint / pB);
}
