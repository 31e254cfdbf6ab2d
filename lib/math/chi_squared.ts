/**
 * Pearson's chi-squared goodness-of-fit test: do observed counts match a claimed distribution?
 *
 * @module
 */

import { chiSquaredDistributionTable } from "simple-statistics";
import {
  checkInteger,
  checkNumber,
  checkNumbers,
  checkProbabilities,
  formatValue,
} from "../_validate.ts";

/** Upper-tail probabilities for which critical values are tabulated. */
export const CHI_SQUARED_SIGNIFICANCES: readonly number[] = Object.freeze([
  0.995,
  0.99,
  0.975,
  0.95,
  0.9,
  0.5,
  0.1,
  0.05,
  0.025,
  0.01,
  0.005,
]);

/** The result of {@linkcode chiSquaredTest}. */
export interface ChiSquaredResult {
  /** χ² = Σ (observed − expected)² / expected over the classes with p > 0. */
  statistic: number;
  /** Classes with p > 0, minus one (no parameter is estimated from the data). */
  degreesOfFreedom: number;
  /** The value χ² exceeds with probability `significance` when the counts do follow `probs`. */
  criticalValue: number;
  /** The significance level used. */
  significance: number;
  /** True when χ² <= criticalValue: the counts are consistent with `probs`. */
  accepted: boolean;
  /** Expected counts N·p_i. */
  expected: Float64Array;
}

/**
 * Pearson's chi-squared goodness-of-fit test of counts against a fully specified distribution.
 *
 * Formula: χ² = Σ_i (O_i − N p_i)² / (N p_i) over the classes with p_i > 0, N = Σ O_i, compared
 * with the critical value of the χ² distribution with (classes with p_i > 0) − 1 degrees of freedom
 * from simple-statistics' table. Unlike simple-statistics' `chiSquaredGoodnessOfFit`, no degree of
 * freedom is subtracted for an estimated parameter (none is estimated here) and no classes are
 * merged. The χ² approximation needs every expected count to be at least 5. Runs in O(n).
 *
 * @param counts Observed counts, one per class (safe integers >= 0).
 * @param probs The claimed distribution, same length as `counts`.
 * @param significance The test's level, one of {@linkcode CHI_SQUARED_SIGNIFICANCES}
 *   (default 0.05).
 * @returns The statistic, degrees of freedom, critical value and decision.
 * @throws {TypeError} When an argument has the wrong type.
 * @throws {RangeError} When the lengths differ, a count is not a safe integer >= 0, a class
 *   with p = 0 was observed, an expected count is below 5, the degrees of freedom are outside the
 *   table (1 to 30) or the significance is not tabulated.
 * @example
 * ```ts
 * import { chiSquaredTest } from "./chi_squared.ts";
 * import assert from "node:assert/strict";
 * // scipy.stats.chisquare([16, 18, 16, 14, 12, 12]) gives statistic 2.0.
 * const result = chiSquaredTest([16, 18, 16, 14, 12, 12], Array(6).fill(1 / 6));
 * assert.ok(Math.abs(result.statistic - 2) < 1e-12);
 * assert.equal(result.degreesOfFreedom, 5);
 * assert.equal(result.criticalValue, 11.07);
 * assert.equal(result.accepted, true);
 * ```
 */
export function chiSquaredTest(
  counts: ArrayLike<number>,
  probs: ArrayLike<number>,
  significance = 0.05,
): ChiSquaredResult {
  checkNumbers(counts, "counts");
  checkProbabilities(probs);
  if (counts.length !== probs.length) {
    throw new RangeError(
      `\`counts\` must have one count per class of \`probs\` (${probs.length}), got ${
        formatValue(counts.length)
      }`,
    );
  }
  checkNumber(significance, "significance");
  if (!CHI_SQUARED_SIGNIFICANCES.includes(significance)) {
    throw new RangeError(
      `\`significance\` must be one of ${CHI_SQUARED_SIGNIFICANCES.join(", ")}, got ${
        formatValue(significance)
      }`,
    );
  }
  let total = 0;
  for (let i = 0; i < counts.length; i++) {
    total += checkInteger(counts[i], `counts[${i}]`, { min: 0 });
  }
  const expected = new Float64Array(probs.length);
  let statistic = 0;
  let classes = 0;
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i]!;
    expected[i] = total * p;
    if (p === 0) {
      if (counts[i]! > 0) {
        throw new RangeError(
          `\`counts[${i}]\` is ${counts[i]} but \`probs[${i}]\` is 0: the claimed distribution ` +
            "cannot produce it",
        );
      }
      continue;
    }
    if (expected[i]! < 5) {
      throw new RangeError(
        `\`counts\` must hold enough draws that every expected count is >= 5 (the chi-squared ` +
          `approximation needs it), got ${formatValue(expected[i]!)} for class ${i} (${total} ` +
          `draws × p = ${formatValue(p)}); draw more`,
      );
    }
    classes++;
    statistic += (counts[i]! - expected[i]!) ** 2 / expected[i]!;
  }
  const degreesOfFreedom = classes - 1;
  const table = chiSquaredDistributionTable as unknown as Record<
    number,
    Record<number, number> | undefined
  >;
  const row = table[degreesOfFreedom];
  if (row === undefined) {
    throw new RangeError(
      `\`probs\` must give 2 to 31 classes with p > 0 (1 to 30 degrees of freedom, the range of ` +
        `simple-statistics' table), got ${classes}`,
    );
  }
  const criticalValue = row[significance]!;
  return {
    statistic,
    degreesOfFreedom,
    criticalValue,
    significance,
    accepted: statistic <= criticalValue,
    expected,
  };
}
