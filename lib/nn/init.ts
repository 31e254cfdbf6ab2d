/**
 * Random starting values for parameters, drawn from a seeded generator so that a training run can
 * be repeated exactly. Weights start small and random: all-zero weights would give every hidden
 * unit the same gradient, and they would never become different from one another.
 *
 * @module
 */

import { checkUniform, formatValue } from "../_validate.ts";
import { allocate, shapeSize, Tensor, type TensorOptions } from "./tensor.ts";

/** Options of {@link randomNormal}. */
export interface RandomNormalOptions extends TensorOptions {
  /** Standard deviation σ >= 0; default 1. */
  std?: number;
}

/**
 * A tensor of independent normal draws with mean 0.
 *
 * Formula: Box–Muller: from two uniforms u₁, u₂ in [0, 1), r = √(−2 ln(1 − u₁)),
 * z₁ = r cos(2π u₂), z₂ = r sin(2π u₂) are independent N(0, 1); entries are σ·z, filled two at
 * a time in row-major order (so `random` is called `size` times, rounded up to even).
 *
 * @param shape The axis lengths.
 * @param random A source of uniforms in [0, 1), e.g. `seededRandom(seed)`.
 * @param options `std` σ (default 1), `dtype` (default "float32"), `requiresGrad` (default
 * false).
 * @returns A new leaf tensor.
 * @throws {RangeError} When the shape is invalid, σ is negative or not finite, or `random()`
 * returns a number outside [0, 1).
 * Running cost: O(size).
 * @example The same seed gives the same weights
 * ```ts
 * import assert from "node:assert/strict";
 * import { seededRandom } from "../math/random.ts";
 * import { randomNormal } from "./init.ts";
 *
 * const a = randomNormal([2, 3], seededRandom(7), { std: 0.1 });
 * const b = randomNormal([2, 3], seededRandom(7), { std: 0.1 });
 * assert.deepEqual(a.data, b.data);
 * assert.ok([...a.data].every((x) => Math.abs(x) < 1));
 * ```
 */
export function randomNormal(
  shape: readonly number[],
  random: () => number,
  options: RandomNormalOptions = {},
): Tensor {
  const size = shapeSize(shape);
  if (typeof random !== "function") {
    throw new TypeError(`\`random\` must be a function returning [0, 1), got ${typeof random}`);
  }
  const std = options.std ?? 1;
  if (!(std >= 0 && Number.isFinite(std))) {
    throw new RangeError(`\`std\` must be a finite number >= 0, got ${formatValue(std)}`);
  }
  const data = allocate(options.dtype ?? "float32", size);
  for (let i = 0; i < size; i += 2) {
    const r = Math.sqrt(-2 * Math.log(1 - checkUniform(random())));
    const angle = 2 * Math.PI * checkUniform(random());
    data[i] = std * r * Math.cos(angle);
    if (i + 1 < size) data[i + 1] = std * r * Math.sin(angle);
  }
  return new Tensor(data, shape, options.requiresGrad ?? false);
}
