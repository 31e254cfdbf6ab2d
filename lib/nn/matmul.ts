/**
 * Matrix multiplication, the op where a neural network spends nearly all of its time, and the
 * linear layer built on it. The arithmetic is done by `gemm` (general matrix multiply, kernels.ts),
 * one call for the forward pass and one per input for the backward pass.
 *
 * @module
 */

import { formatValue } from "../_validate.ts";
import { gemm } from "./kernels.ts";
import { allocate, checkTensors, gradOf, opResult, type Tensor } from "./tensor.ts";

/**
 * Matrix product, over any leading axes.
 *
 * Formula: out_ij = Σ_p a_ip · b_pj. Two layouts:
 * - b of shape (K, N): a of shape (..., K) is read as one (M, K) matrix, M = the product of its
 *   leading axes, giving (..., N) (a linear layer applied to every row);
 * - b of shape (..., K, N) with a of shape (..., M, K) and the same leading axes: one product per
 *   leading index, giving (..., M, N) (attention-style batches).
 *
 * Backward: ∂L/∂a = ∂L/∂out · bᵀ and ∂L/∂b = aᵀ · ∂L/∂out (summed over the rows that share b).
 *
 * @param a The left factor.
 * @param b The right factor, same dtype.
 * @returns A new tensor.
 * @throws {TypeError} When an argument is not a Tensor or the dtypes differ.
 * @throws {RangeError} When the inner lengths differ, b has rank < 2, or batched leading axes
 * differ.
 * Running cost: O(M·K·N) for the forward pass, twice that for the backward pass.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { matmul, tensor } from "./mod.ts";
 *
 * const a = tensor([1, 2, 3, 4], [2, 2], { dtype: "float64", requiresGrad: true });
 * const b = tensor([5, 6, 7, 8], [2, 2], { dtype: "float64" });
 * const c = matmul(a, b); // [[1·5 + 2·7, 1·6 + 2·8], [3·5 + 4·7, 3·6 + 4·8]]
 * assert.deepEqual([...c.data], [19, 22, 43, 50]);
 * c.backward([1, 0, 0, 0]); // ∂c₀₀/∂a = [[5, 7], [0, 0]]: row 0 of b as a column
 * assert.deepEqual([...a.grad!], [5, 7, 0, 0]);
 * ```
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  const dtype = checkTensors("matmul", ["a", a], ["b", b]);
  if (b.shape.length < 2 || a.shape.length < 1) {
    throw new RangeError(
      `matmul() needs \`b\` of rank >= 2 and \`a\` of rank >= 1, got shapes ${
        formatValue(a.shape)
      } and ${formatValue(b.shape)}`,
    );
  }
  const k = a.shape.at(-1)!;
  const n = b.shape.at(-1)!;
  if (b.shape.at(-2) !== k) {
    throw new RangeError(
      `matmul() needs the last axis of \`a\` to match the second-to-last of \`b\`, got shapes ${
        formatValue(a.shape)
      } and ${formatValue(b.shape)}`,
    );
  }
  if (b.shape.length === 2) {
    // (..., K) · (K, N): one (M, K) · (K, N) product.
    const m = a.size / k;
    const shape = [...a.shape.slice(0, -1), n];
    const out = allocate(dtype, m * n);
    gemm(out, a.data, b.data, m, n, k);
    return opResult(out, shape, "matmul", [a, b], (grad) => {
      if (a.requiresGrad) {
        gemm(gradOf(a), grad, b.data, m, k, n, { transB: true, accumulate: true });
      }
      if (b.requiresGrad) {
        gemm(gradOf(b), a.data, grad, k, n, m, { transA: true, accumulate: true });
      }
    });
  }
  // (..., M, K) · (..., K, N): one product per leading index.
  const lead = b.shape.slice(0, -2);
  if (
    a.shape.length !== b.shape.length || lead.some((length, axis) => a.shape[axis] !== length)
  ) {
    throw new RangeError(
      `batched matmul() needs \`a\` and \`b\` with the same leading axes, got shapes ${
        formatValue(a.shape)
      } and ${formatValue(b.shape)}`,
    );
  }
  const m = a.shape.at(-2)!;
  const batches = lead.reduce((p, x) => p * x, 1);
  const out = allocate(dtype, batches * m * n);
  const part = (data: typeof out, i: number, rows: number, cols: number) =>
    data.subarray(i * rows * cols, (i + 1) * rows * cols);
  for (let i = 0; i < batches; i++) {
    gemm(part(out, i, m, n), part(a.data, i, m, k), part(b.data, i, k, n), m, n, k);
  }
  return opResult(out, [...lead, m, n], "matmul", [a, b], (grad) => {
    for (let i = 0; i < batches; i++) {
      const g = part(grad, i, m, n);
      if (a.requiresGrad) {
        gemm(part(gradOf(a), i, m, k), g, part(b.data, i, k, n), m, k, n, {
          transB: true,
          accumulate: true,
        });
      }
      if (b.requiresGrad) {
        gemm(part(gradOf(b), i, k, n), part(a.data, i, m, k), g, k, n, m, {
          transA: true,
          accumulate: true,
        });
      }
    }
  });
}

/**
 * A linear (fully connected) layer: a matrix product plus a bias on every row, in one op.
 *
 * Formula: out = x W + b, out_ij = Σ_p x_ip W_pj + b_j, for x of shape (..., K) read as (M, K),
 * W (K, N), b (N). The same numbers as `add(matmul(x, W), b)` up to float32 rounding (the bias is
 * the starting value of each sum instead of added at the end), without the intermediate (M, N)
 * array.
 * Backward: ∂L/∂x = ∂L/∂out · Wᵀ, ∂L/∂W = xᵀ · ∂L/∂out, ∂L/∂b = column sums of ∂L/∂out.
 *
 * @param x Input of shape (..., K).
 * @param weight W, shape (K, N).
 * @param bias b, shape (N).
 * @returns A new tensor of shape (..., N).
 * @throws {TypeError} When an argument is not a Tensor or the dtypes differ.
 * @throws {RangeError} When the shapes do not fit.
 * Running cost: O(M·K·N), as {@link matmul}.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { linear, tensor } from "./mod.ts";
 *
 * const x = tensor([1, 2], [1, 2], { dtype: "float64" });
 * const w = tensor([1, 0, 1, 0, 1, 1], [2, 3], { dtype: "float64" });
 * const b = tensor([10, 20, 30], [3], { dtype: "float64" });
 * assert.deepEqual([...linear(x, w, b).data], [11, 22, 33]);
 * ```
 */
export function linear(x: Tensor, weight: Tensor, bias: Tensor): Tensor {
  const dtype = checkTensors("linear", ["x", x], ["weight", weight], ["bias", bias]);
  const k = x.shape.at(-1);
  if (
    weight.shape.length !== 2 || weight.shape[0] !== k || bias.shape.length !== 1 ||
    bias.shape[0] !== weight.shape[1]
  ) {
    throw new RangeError(
      `linear() needs \`x\` (..., K), \`weight\` (K, N) and \`bias\` (N), got shapes ${
        formatValue(x.shape)
      }, ${formatValue(weight.shape)} and ${formatValue(bias.shape)}`,
    );
  }
  const n = weight.shape[1]!;
  const m = x.size / k!;
  const out = allocate(dtype, m * n);
  for (let i = 0; i < m; i++) out.set(bias.data, i * n); // each row starts at b
  gemm(out, x.data, weight.data, m, n, k!, { accumulate: true });
  return opResult(out, [...x.shape.slice(0, -1), n], "linear", [x, weight, bias], (grad) => {
    if (x.requiresGrad) {
      gemm(gradOf(x), grad, weight.data, m, k!, n, { transB: true, accumulate: true });
    }
    if (weight.requiresGrad) {
      gemm(gradOf(weight), x.data, grad, k!, n, m, { transA: true, accumulate: true });
    }
    if (bias.requiresGrad) {
      const gb = gradOf(bias);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) gb[j]! += grad[i * n + j]!;
      }
    }
  });
}
