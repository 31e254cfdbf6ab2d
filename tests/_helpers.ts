/**
 * Small helpers shared by the tests (not part of lib/).
 *
 * @module
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import { chiSquaredGoodnessOfFit } from "simple-statistics";

/** The article's next-word distribution for "The boy went to the ___". */
export const ARTICLE_WORDS = ["Cafe", "Hospital", "Playground", "Park", "School"] as const;
/** Probabilities in the order of {@linkcode ARTICLE_WORDS}. */
export const ARTICLE_PROBS = [0.1, 0.05, 0.4, 0.15, 0.3] as const;

/** Asserts |actual - expected| <= tolerance, elementwise for arrays. */
export function assertClose(
  actual: number | ArrayLike<number>,
  expected: number | ArrayLike<number>,
  tolerance = 1e-12,
): void {
  if (typeof actual === "number" || typeof expected === "number") {
    assert.equal(typeof actual, "number");
    assert.equal(typeof expected, "number");
    const diff = Math.abs((actual as number) - (expected as number));
    assert.ok(
      diff <= tolerance,
      `expected ${expected}, got ${actual} (diff ${diff} > ${tolerance})`,
    );
    return;
  }
  assert.equal(actual.length, expected.length, "lengths differ");
  for (let i = 0; i < actual.length; i++) {
    const diff = Math.abs(actual[i]! - expected[i]!);
    assert.ok(
      diff <= tolerance,
      `at [${i}]: expected ${expected[i]}, got ${actual[i]} (diff ${diff} > ${tolerance})`,
    );
  }
}

/** Sum of an array-like. */
export function sum(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return s;
}

/**
 * Pearson chi-squared goodness-of-fit through simple-statistics: true when `draws` (class indices)
 * are consistent with `probs` at the given significance (i.e. the test does NOT reject).
 *
 * simple-statistics' test subtracts one degree of freedom for an estimated parameter; our
 * distribution has none, so it is slightly stricter than needed, never looser.
 */
export function chiSquaredAccepts(
  draws: number[],
  probs: ArrayLike<number>,
  significance = 0.01,
): boolean {
  const hypothesis: Record<number, number> = {};
  for (let i = 0; i < probs.length; i++) hypothesis[i] = probs[i]!;
  return !chiSquaredGoodnessOfFit(draws, () => hypothesis, significance);
}

/**
 * fast-check arbitrary: probability distributions with `minLength`..`maxLength` entries, some of
 * them possibly 0, at least one above 1e-3 before normalising.
 */
export function probabilityVector(
  { minLength = 1, maxLength = 12 }: { minLength?: number; maxLength?: number } = {},
): fc.Arbitrary<number[]> {
  return fc
    .array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength, maxLength })
    .filter((w) => w.some((x) => x > 1e-3))
    .map((w) => {
      const total = w.reduce((a, b) => a + b, 0);
      return w.map((x) => x / total);
    });
}
