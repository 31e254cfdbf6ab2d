/**
 * The product with a transposed right factor, a · bᵀ, without building bᵀ: attention's scores
 * Q Kᵀ (every query against every key), and an output layer that reuses the token embedding table
 * (weight tying: logits = h Eᵀ, one score per vocabulary token). `gemm` (kernels.ts) reads b
 * transposed in place.
 *
 * @module
 */

import { formatValue } from "../_validate.ts";
import { gemm } from "./kernels.ts";
import { allocate, checkTensors, gradOf, opResult, type Tensor } from "./tensor.ts";

/**
 * Matrix product with the right factor transposed, over any leading axes.
 *
 * Formula: out_ij = Σ_p a_ip · b_jp (row i of a against row j of b). Two layouts:
 * - b of shape (N, K): a of shape (..., K) is read as one (M, K) matrix, giving (..., N) (an
 *   output layer tied to an embedding table of N rows);
 * - b of shape (..., N, K) with a of shape (..., M, K) and the same leading axes: one product per
 *   leading index, giving (..., M, N) (attention scores Q Kᵀ per batch and head).
 *
 * With `bias` (N) (the first layout only), out_ij = Σ_p a_ip · b_jp + bias_j: the bias is the
 * starting value of each sum, as in matmul.ts's `linear`, with no extra (M, N) array.
 *
 * Backward: ∂L/∂a = ∂L/∂out · b, ∂L/∂b = (∂L/∂out)ᵀ · a, ∂L/∂bias = column sums of ∂L/∂out.
 *
 * @param a The left factor, (..., M, K) or (..., K).
 * @param b The right factor, read transposed, same dtype.
 * @param bias Optional, (N), same dtype; only with b of rank 2.
 * @returns A new tensor.
 * @throws {TypeError} When an argument is not a Tensor or the dtypes differ.
 * @throws {RangeError} When the last axes differ, b has rank < 2, or batched leading axes differ.
 * Running cost: O(M·K·N) forward, twice that backward.
 * @example Scores of two queries against three keys
 * ```ts
 * import assert from "node:assert/strict";
 * import { matmulTransposed, tensor } from "./mod.ts";
 *
 * const q = tensor([1, 0, 0, 1], [2, 2], { dtype: "float64" }); // two queries
 * const k = tensor([1, 2, 3, 4, 5, 6], [3, 2], { dtype: "float64" }); // three keys
 * assert.deepEqual([...matmulTransposed(q, k).data], [1, 3, 5, 2, 4, 6]); // q · kᵀ, (2, 3)
 * ```
 */
export function matmulTransposed(a: Tensor, b: Tensor, bias?: Tensor): Tensor {
  const dtype = bias === undefined
    ? checkTensors("matmulTransposed", ["a", a], ["b", b])
    : checkTensors("matmulTransposed", ["a", a], ["b", b], ["bias", bias]);
  if (b.shape.length < 2 || a.shape.length < 1) {
    throw new RangeError(
      `matmulTransposed() needs \`b\` of rank >= 2 and \`a\` of rank >= 1, got shapes ${
        formatValue(a.shape)
      } and ${formatValue(b.shape)}`,
    );
  }
  const k = a.shape.at(-1)!;
  const n = b.shape.at(-2)!;
  if (b.shape.at(-1) !== k) {
    throw new RangeError(
      `matmulTransposed() needs the last axes of \`a\` and \`b\` to match, got shapes ${
        formatValue(a.shape)
      } and ${formatValue(b.shape)}`,
    );
  }
  if (
    bias !== undefined && (b.shape.length !== 2 || bias.shape.length !== 1 || bias.shape[0] !== n)
  ) {
    throw new RangeError(
      `matmulTransposed() needs \`bias\` of shape [${n}] and \`b\` of rank 2, got shapes ${
        formatValue(bias.shape)
      } and ${formatValue(b.shape)}`,
    );
  }
  if (b.shape.length === 2) {
    // (..., K) · (N, K)ᵀ: one (M, K) · (K, N) product.
    const m = a.size / k;
    const out = allocate(dtype, m * n);
    if (bias !== undefined) { for (let i = 0; i < m; i++) out.set(bias.data, i * n); }
    gemm(out, a.data, b.data, m, n, k, { transB: true, accumulate: bias !== undefined });
    const inputs = bias === undefined ? [a, b] : [a, b, bias];
    return opResult(out, [...a.shape.slice(0, -1), n], "matmulTransposed", inputs, (grad) => {
      if (a.requiresGrad) gemm(gradOf(a), grad, b.data, m, k, n, { accumulate: true });
      if (b.requiresGrad) {
        gemm(gradOf(b), grad, a.data, n, k, m, { transA: true, accumulate: true });
      }
      if (bias?.requiresGrad) {
        const gb = gradOf(bias);
        for (let i = 0; i < m; i++) {
          for (let j = 0; j < n; j++) gb[j]! += grad[i * n + j]!;
        }
      }
    });
  }
  const lead = b.shape.slice(0, -2);
  if (
    a.shape.length !== b.shape.length || lead.some((length, axis) => a.shape[axis] !== length)
  ) {
    throw new RangeError(
      `batched matmulTransposed() needs \`a\` and \`b\` with the same leading axes, got shapes ${
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
    gemm(part(out, i, m, n), part(a.data, i, m, k), part(b.data, i, n, k), m, n, k, {
      transB: true,
    });
  }
  return opResult(out, [...lead, m, n], "matmulTransposed", [a, b], (grad) => {
    for (let i = 0; i < batches; i++) {
      const g = part(grad, i, m, n);
      if (a.requiresGrad) {
        gemm(part(gradOf(a), i, m, k), g, part(b.data, i, n, k), m, k, n, { accumulate: true });
      }
      if (b.requiresGrad) {
        gemm(part(gradOf(b), i, n, k), g, part(a.data, i, m, k), n, k, m, {
          transA: true,
          accumulate: true,
        });
      }
    }
  });
}
