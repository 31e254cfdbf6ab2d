/**
 * Elementwise nonlinearities: without one between them, two linear layers would collapse into
 * one. tanh is the hidden layer of Bengio et al. (2003); ReLU and GELU are the modern choices
 * (GELU in GPT-2's MLP blocks).
 *
 * @module
 */

import { allocate, checkTensors, gradOf, opResult, type Tensor } from "./tensor.ts";

/**
 * Hyperbolic tangent, elementwise.
 *
 * Formula: y = tanh(x) = (eˣ − e⁻ˣ) / (eˣ + e⁻ˣ), in (−1, 1).
 * Backward: ∂y/∂x = 1 − y² (computed from the saved output).
 *
 * @param x A tensor.
 * @returns A new tensor of the same shape.
 * @throws {TypeError} When `x` is not a Tensor.
 * Running cost: O(size).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tanh, tensor } from "./mod.ts";
 *
 * const x = tensor([0, 1], [2], { dtype: "float64", requiresGrad: true });
 * const y = tanh(x);
 * assert.deepEqual([...y.data], [0, Math.tanh(1)]);
 * y.backward([1, 1]);
 * assert.deepEqual([...x.grad!], [1, 1 - Math.tanh(1) ** 2]);
 * ```
 */
export function tanh(x: Tensor): Tensor {
  const dtype = checkTensors("tanh", ["x", x]);
  const y = allocate(dtype, x.size);
  for (let i = 0; i < y.length; i++) y[i] = Math.tanh(x.data[i]!);
  return opResult(y, x.shape, "tanh", [x], (grad) => {
    const gx = gradOf(x);
    for (let i = 0; i < gx.length; i++) gx[i]! += grad[i]! * (1 - y[i]! * y[i]!);
  });
}

/**
 * Rectified linear unit, elementwise.
 *
 * Formula: y = max(0, x).
 * Backward: ∂y/∂x = 1 where x > 0, else 0 (the kink at 0 gets 0).
 *
 * @param x A tensor.
 * @returns A new tensor of the same shape.
 * @throws {TypeError} When `x` is not a Tensor.
 * Running cost: O(size).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { relu, tensor } from "./mod.ts";
 *
 * assert.deepEqual([...relu(tensor([-2, 0, 3])).data], [0, 0, 3]);
 * ```
 */
export function relu(x: Tensor): Tensor {
  const dtype = checkTensors("relu", ["x", x]);
  const y = allocate(dtype, x.size);
  for (let i = 0; i < y.length; i++) y[i] = x.data[i]! > 0 ? x.data[i]! : 0;
  return opResult(y, x.shape, "relu", [x], (grad) => {
    const gx = gradOf(x);
    for (let i = 0; i < gx.length; i++) if (x.data[i]! > 0) gx[i]! += grad[i]!;
  });
}

/** √(2/π), the constant of the tanh form of GELU. */
const GELU_C = Math.sqrt(2 / Math.PI);

/**
 * Gaussian error linear unit, elementwise, in the tanh form GPT-2 uses.
 *
 * Formula: y = ½ x (1 + tanh(u)), u = √(2/π) (x + 0.044715 x³).
 * Backward: ∂y/∂x = ½ (1 + tanh u) + ½ x (1 − tanh² u) · √(2/π) (1 + 3 · 0.044715 x²).
 *
 * @param x A tensor.
 * @returns A new tensor of the same shape.
 * @throws {TypeError} When `x` is not a Tensor.
 * Running cost: O(size).
 * @example GELU is close to ReLU away from 0
 * ```ts
 * import assert from "node:assert/strict";
 * import { gelu, tensor } from "./mod.ts";
 *
 * const y = gelu(tensor([-5, 0, 5], [3], { dtype: "float64" })).data;
 * assert.ok(Math.abs(y[0]!) < 1e-6 && y[1] === 0 && Math.abs(y[2]! - 5) < 1e-6);
 * ```
 */
export function gelu(x: Tensor): Tensor {
  const dtype = checkTensors("gelu", ["x", x]);
  const y = allocate(dtype, x.size);
  for (let i = 0; i < y.length; i++) {
    const v = x.data[i]!;
    y[i] = 0.5 * v * (1 + Math.tanh(GELU_C * (v + 0.044715 * v * v * v)));
  }
  return opResult(y, x.shape, "gelu", [x], (grad) => {
    const gx = gradOf(x);
    for (let i = 0; i < gx.length; i++) {
      const v = x.data[i]!;
      const t = Math.tanh(GELU_C * (v + 0.044715 * v * v * v));
      const dy = 0.5 * (1 + t) + 0.5 * v * (1 - t * t) * GELU_C * (1 + 3 * 0.044715 * v * v);
      gx[i]! += grad[i]! * dy;
    }
  });
}
