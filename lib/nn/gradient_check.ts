/**
 * The test every backward rule must pass: nudge one input entry up and down by a tiny h, watch
 * how the output moves, and compare that slope with the gradient backpropagation computed.
 *
 * @module
 */

import { formatValue } from "../_validate.ts";
import { seededRandom } from "../math/random.ts";
import { Tensor } from "./tensor.ts";

/** Options of {@link checkGradients}. */
export interface GradientCheckOptions {
  /** The nudge h > 0; default 1e-6. */
  step?: number;
  /**
   * Draws the weights w that turn a non-scalar output into the number L = Σ w_i out_i; default
   * `seededRandom(0)`. Random weights make every output entry matter.
   */
  random?: () => number;
}

/** What {@link checkGradients} found. */
export interface GradientCheckResult {
  /**
   * The largest relative error |a − n| / max(|a| + |n|, 1e-3) over the checked entries: relative
   * for ordinary gradients, absolute (× 1000) for tiny ones, where rounding in L(x ± h), about
   * 1e-16 · |L| / h, would otherwise dominate.
   */
  maxRelativeError: number;
  /** The largest absolute error |a − n|. */
  maxAbsoluteError: number;
  /** How many input entries were checked (non-finite ones, e.g. −Infinity masks, are skipped). */
  checked: number;
  /** Where the largest relative error occurred: input number, entry index and both values. */
  worst: { input: number; index: number; analytic: number; numeric: number };
}

/**
 * Compares backpropagated gradients with central finite differences, entry by entry.
 *
 * Formula: L(x) = Σ_i w_i f(x)_i with fixed random w in [−1, 1) (w = 1 for a scalar output);
 * analytic a = ∂L/∂x_j from {@linkcode Tensor.backward} with seed w; numeric
 * n = (L(x + h e_j) − L(x − h e_j)) / (2h), error O(h²); relative error
 * |a − n| / max(|a| + |n|, 1e-3). In float64 with h = 1e-6 a correct backward rule gives errors
 * around 1e-9; a wrong one is off by about the size of the gradient (error near 1).
 *
 * @param f Builds the output from the inputs; called once for the gradient and twice per checked
 * entry (it must read the inputs' current data each time).
 * @param inputs Float64 tensors with `requiresGrad: true` (their data is nudged and restored; their
 * grad is overwritten).
 * @param options `step` h and `random` for the weights.
 * @returns The largest relative and absolute errors and where they occurred.
 * @throws {TypeError} When an input is not a float64 Tensor.
 * @throws {RangeError} When an input does not require grad or `step` is not > 0.
 * Running cost: 2 × (input entries) calls of f.
 * @example x · x + x has gradient 2x + 1
 * ```ts
 * import assert from "node:assert/strict";
 * import { add, checkGradients, mul, tensor } from "./mod.ts";
 *
 * const x = tensor([0.5, -2], [2], { dtype: "float64", requiresGrad: true });
 * const result = checkGradients(([x]) => add(mul(x!, x!), x!), [x]);
 * assert.ok(result.maxRelativeError < 1e-7);
 * ```
 */
export function checkGradients(
  f: (inputs: Tensor[]) => Tensor,
  inputs: Tensor[],
  options: GradientCheckOptions = {},
): GradientCheckResult {
  const h = options.step ?? 1e-6;
  if (!(h > 0)) throw new RangeError(`\`step\` must be > 0, got ${formatValue(h)}`);
  inputs.forEach((t, i) => {
    if (!(t instanceof Tensor) || t.dtype !== "float64") {
      throw new TypeError(`\`inputs[${i}]\` must be a float64 Tensor (checks need float64)`);
    }
    if (!t.requiresGrad) {
      throw new RangeError(`\`inputs[${i}]\` must have \`requiresGrad: true\``);
    }
  });
  const random = options.random ?? seededRandom(0);
  const out = f(inputs);
  const weights = out.size === 1
    ? new Float64Array([1])
    : Float64Array.from({ length: out.size }, () => 2 * random() - 1);
  const objective = (): number => {
    const y = f(inputs).data;
    let sum = 0;
    for (let i = 0; i < y.length; i++) sum += weights[i]! * y[i]!;
    return sum;
  };
  for (const t of inputs) t.grad = undefined;
  out.backward(weights);
  const analytic = inputs.map((t) => t.grad?.slice() ?? new Float64Array(t.size));
  const result: GradientCheckResult = {
    maxRelativeError: 0,
    maxAbsoluteError: 0,
    checked: 0,
    worst: { input: -1, index: -1, analytic: 0, numeric: 0 },
  };
  inputs.forEach((t, input) => {
    const x = t.data;
    for (let j = 0; j < x.length; j++) {
      const original = x[j]!;
      if (!Number.isFinite(original)) continue;
      x[j] = original + h;
      const plus = objective();
      x[j] = original - h;
      const minus = objective();
      x[j] = original;
      const numeric = (plus - minus) / (2 * h);
      const a = analytic[input]![j]!;
      const absolute = Math.abs(a - numeric);
      const relative = absolute / Math.max(Math.abs(a) + Math.abs(numeric), 1e-3);
      result.checked++;
      result.maxAbsoluteError = Math.max(result.maxAbsoluteError, absolute);
      if (relative >= result.maxRelativeError) {
        result.maxRelativeError = relative;
        result.worst = { input, index: j, analytic: a, numeric };
      }
    }
  });
  return result;
}
