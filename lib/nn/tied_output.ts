/**
 * The fast path of a language model's last step when the output layer is tied to the token
 * embeddings: hidden vectors → scores for every vocabulary token → mean cross-entropy of the
 * tokens that came next, in one op. It computes exactly what
 * `softmaxCrossEntropy(matmulTransposed(hidden, embeddings), targets)` computes (cross_entropy.ts,
 * matmul_transposed.ts: the readable path, which tests/nn/tied_output_test.ts compares it with),
 * but it is the single most expensive step of training the transformer (a 1,024 × 5,002 matrix
 * of scores per batch), so it
 *
 * - computes each exponential once, with the array exp of lib/math/fast_exp.ts, and keeps the
 *   probabilities for the backward pass instead of recomputing them, and
 * - forms the gradient (softmax − one-hot) / N a block of rows at a time instead of as a second
 *   full matrix.
 *
 * @module
 */

import { formatValue } from "../_validate.ts";
import { expMinusMaxInto } from "../math/fast_exp.ts";
import { gemm } from "./kernels.ts";
import { allocate, checkTensors, gradOf, opResult, type Tensor } from "./tensor.ts";

/** Rows of the gradient formed at a time in the backward pass. */
const BLOCK = 128;

/**
 * Mean cross-entropy of the next tokens from hidden vectors through a tied output layer.
 *
 * Formula: logits = h Eᵀ (M, S); for row r with target t_r,
 * ℓ_r = logSumExp(logits_r) − logits_{r,t_r}; loss = (1/M) Σ_r ℓ_r.
 * Backward, with P = softmax of each row and Y the one-hot targets, G = (P − Y) / M:
 * ∂loss/∂h = G E and ∂loss/∂E = Gᵀ h.
 *
 * @param hidden h, (..., C): one vector per prediction (M = the product of the leading axes).
 * @param embeddings E, (S, C): one row per vocabulary token, the same dtype.
 * @param targets M token ids in [0, S) (not modified).
 * @returns A scalar tensor (shape []): the mean loss in nats.
 * @throws {TypeError} When an argument is not a Tensor or the dtypes differ.
 * @throws {RangeError} When the last axes differ, `embeddings` is not 2-D, or `targets` has the
 * wrong length or an id out of range.
 * Running cost: O(M·S·C), two products backward; memory one (M, S) array of probabilities.
 * @example Zero vectors score every token alike: the loss is ln S
 * ```ts
 * import assert from "node:assert/strict";
 * import { tensor, tiedOutputCrossEntropy } from "./mod.ts";
 *
 * const h = tensor([0, 0, 0, 0], [2, 2], { dtype: "float64" });
 * const e = tensor([1, 2, 3, 4, 5, 6], [3, 2], { dtype: "float64" });
 * assert.ok(Math.abs(tiedOutputCrossEntropy(h, e, [0, 2]).item() - Math.log(3)) < 1e-15);
 * ```
 */
export function tiedOutputCrossEntropy(
  hidden: Tensor,
  embeddings: Tensor,
  targets: ArrayLike<number>,
): Tensor {
  const dtype = checkTensors("tiedOutputCrossEntropy", ["hidden", hidden], [
    "embeddings",
    embeddings,
  ]);
  const c = hidden.shape.at(-1);
  if (embeddings.shape.length !== 2 || embeddings.shape[1] !== c) {
    throw new RangeError(
      `tiedOutputCrossEntropy() needs \`hidden\` (..., C) and \`embeddings\` (S, C), got shapes ${
        formatValue(hidden.shape)
      } and ${formatValue(embeddings.shape)}`,
    );
  }
  const [s] = embeddings.shape as [number, number];
  const m = hidden.size / c!;
  if (targets?.length !== m) {
    throw new RangeError(
      `\`targets\` must have one entry per row of \`hidden\` (${m}), got ${
        formatValue(targets?.length)
      }`,
    );
  }
  const target = new Int32Array(m);
  for (let r = 0; r < m; r++) {
    const t = targets[r]!;
    if (!(Number.isInteger(t) && t >= 0 && t < s)) {
      throw new RangeError(
        `\`targets[${r}]\` must be an integer in [0, ${s - 1}], got ${formatValue(t)}`,
      );
    }
    target[r] = t;
  }
  // Forward: the scores, then each row's softmax in place (kept for the backward pass).
  const probabilities = allocate(dtype, m * s); // (M, S): logits, then P
  gemm(probabilities, hidden.data, embeddings.data, m, s, c!, { transB: true });
  const row = new Float64Array(s);
  let total = 0;
  for (let r = 0; r < m; r++) {
    const logits = probabilities.subarray(r * s, (r + 1) * s);
    const { max, sum } = expMinusMaxInto(row, logits, { normalize: true }); // row = softmax
    if (!(max > -Infinity && max < Infinity)) {
      throw new RangeError(`\`hidden\` row ${r} gives scores that are not finite`);
    }
    total += max + Math.log(sum) - logits[target[r]!]!; // logSumExp − the target's score
    logits.set(row);
  }
  const out = allocate(dtype, 1);
  out[0] = total / m;
  return opResult(out, [], "tiedOutputCrossEntropy", [hidden, embeddings], (grad) => {
    const scale = grad[0]! / m;
    const block = allocate(dtype, Math.min(BLOCK, m) * s); // G for a block of rows
    for (let start = 0; start < m; start += BLOCK) {
      const rows = Math.min(BLOCK, m - start);
      const g = block.subarray(0, rows * s);
      for (let i = 0; i < rows * s; i++) g[i] = scale * probabilities[start * s + i]!;
      for (let r = 0; r < rows; r++) g[r * s + target[start + r]!]! -= scale;
      if (hidden.requiresGrad) {
        const gh = gradOf(hidden).subarray(start * c!, (start + rows) * c!);
        gemm(gh, g, embeddings.data, rows, c!, s, { accumulate: true });
      }
      if (embeddings.requiresGrad) {
        const h = hidden.data.subarray(start * c!, (start + rows) * c!);
        gemm(gradOf(embeddings), g, h, s, c!, rows, { transA: true, accumulate: true });
      }
    }
  });
}
