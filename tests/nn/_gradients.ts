/**
 * The gradient-check assertion shared by tests/nn (not part of lib/).
 *
 * @module
 */

import assert from "node:assert/strict";
import { seededRandom } from "../../lib/math/random.ts";
import { checkGradients, randomNormal, type Tensor } from "../../lib/nn/mod.ts";

/**
 * The bound every backward rule must meet: in float64 with central differences (h = 1e-6), the
 * relative error |a − n| / max(|a| + |n|, 1e-3) of every entry stays below 1e-6. Correct rules
 * measure 1e-10 … 1e-8; a wrong one is off by the size of the gradient itself (error near 1, or
 * 1000 × the gradient for gradients below 1e-3).
 */
export const GRADIENT_TOLERANCE = 1e-6;

/** Float64 parameters with N(0, std²) entries from a fixed seed. */
export function parameter(shape: number[], seed: number, std = 1): Tensor {
  return randomNormal(shape, seededRandom(seed), { dtype: "float64", requiresGrad: true, std });
}

/** Asserts that f's backward pass matches central finite differences for every input entry. */
export function assertGradients(f: (inputs: Tensor[]) => Tensor, inputs: Tensor[]): void {
  const result = checkGradients(f, inputs);
  assert.ok(result.checked > 0, "no entry was checked");
  assert.ok(
    result.maxRelativeError < GRADIENT_TOLERANCE,
    `relative error ${result.maxRelativeError} >= ${GRADIENT_TOLERANCE} at ${
      JSON.stringify(result.worst)
    }`,
  );
}
