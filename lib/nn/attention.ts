/**
 * Causal self-attention (Vaswani et al., 2017, "Attention Is All You Need"; GPT's masked form):
 * every position asks a question (its query), every position offers a description (its key) and
 * some content (its value); a position's output is the average of the values, weighted by how
 * well its query matches each key, over itself and the positions before it only.
 *
 * For x of shape (B, T, C) and H heads of size D = C / H:
 *
 *     Q = x W_q + b_q, K = x W_k + b_k, V = x W_v + b_v        each (B, T, C) → (B, H, T, D)
 *     scores = Q Kᵀ / √D                                        (B, H, T, T)
 *     scores[i, j] = −Infinity for j > i                         the causal mask: no peeking ahead
 *     A = softmax(scores) along the last axis                    each row sums to 1
 *     out = (A V) merged back to (B, T, C), then · W_o + b_o
 *
 * The mask and the softmax are two small ops here ({@linkcode causalMask}, {@linkcode rowSoftmax},
 * the latter on lib/math's softmax, which gives a `-Infinity` score probability 0); the products
 * are matmul.ts and matmul_transposed.ts, the head split transpose.ts.
 *
 * @module
 */

import { formatValue } from "../_validate.ts";
import { softmaxInto } from "../math/softmax_into.ts";
import { mul } from "./broadcast.ts";
import { linear, matmul } from "./matmul.ts";
import { matmulTransposed } from "./matmul_transposed.ts";
import { reshape } from "./shape.ts";
import { allocate, checkTensors, gradOf, opResult, type Tensor, tensor } from "./tensor.ts";
import { swapAxes } from "./transpose.ts";

function checkSquare(op: string, x: Tensor): number {
  const t = x.shape.at(-1);
  if (x.shape.length < 2 || x.shape.at(-2) !== t) {
    throw new RangeError(
      `${op}() needs \`scores\` of shape (..., T, T), got ${formatValue(x.shape)}`,
    );
  }
  return t!;
}

/**
 * The causal mask: a score of a position for a later position becomes −Infinity, so that after
 * the softmax it gets weight exactly 0 and a prediction can never read the future.
 *
 * Formula: out[..., i, j] = scores[..., i, j] for j <= i, −Infinity for j > i.
 * Backward: ∂L/∂scores[..., i, j] = ∂L/∂out[..., i, j] for j <= i, 0 for masked entries (they do
 * not influence the output).
 *
 * @param scores Square matrices over the last two axes, (..., T, T).
 * @returns A new tensor of the same shape.
 * @throws {TypeError} When `scores` is not a Tensor.
 * @throws {RangeError} When the last two axes are not of equal length.
 * Running cost: O(size).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { causalMask, tensor } from "./mod.ts";
 *
 * const masked = causalMask(tensor([1, 2, 3, 4], [2, 2]));
 * assert.deepEqual([...masked.data], [1, -Infinity, 3, 4]); // row 0 cannot see position 1
 * ```
 */
export function causalMask(scores: Tensor): Tensor {
  const dtype = checkTensors("causalMask", ["scores", scores]);
  const t = checkSquare("causalMask", scores);
  const out = allocate(dtype, scores.size);
  const matrices = scores.size / (t * t);
  for (let m = 0; m < matrices; m++) {
    for (let i = 0; i < t; i++) {
      const row = (m * t + i) * t;
      for (let j = 0; j < t; j++) out[row + j] = j <= i ? scores.data[row + j]! : -Infinity;
    }
  }
  return opResult(out, scores.shape, "causalMask", [scores], (grad) => {
    const g = gradOf(scores);
    for (let m = 0; m < matrices; m++) {
      for (let i = 0; i < t; i++) {
        const row = (m * t + i) * t;
        for (let j = 0; j <= i; j++) g[row + j]! += grad[row + j]!;
      }
    }
  });
}

/**
 * Softmax along the last axis: every row becomes a probability distribution (the attention
 * weights), computed by lib/math's softmax (`softmaxInto`, softmax_into.ts: the numbers of
 * `softmax` to an ulp, without allocating), so `-Infinity` entries get exactly 0.
 *
 * Formula: y[..., j] = exp(x_j − max x) / Σ_k exp(x_k − max x) for each row x.
 * Backward: with g = ∂L/∂y of a row, ∂L/∂x_j = y_j (g_j − Σ_k g_k y_k) (the softmax's Jacobian
 * diag(y) − y yᵀ applied to g); a masked entry has y_j = 0 and gets 0.
 *
 * @param x Scores, (..., N); every row needs at least one entry above `-Infinity`.
 * @returns A new tensor of the same shape whose rows sum to 1.
 * @throws {TypeError} When `x` is not a Tensor.
 * @throws {RangeError} When a row holds NaN or `+Infinity`, or only `-Infinity`.
 * Running cost: O(size).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { rowSoftmax, tensor } from "./mod.ts";
 *
 * const y = rowSoftmax(tensor([0, 0, Math.log(3), -Infinity], [2, 2], { dtype: "float64" }));
 * assert.deepEqual([...y.data], [0.5, 0.5, 1, 0]);
 * ```
 */
export function rowSoftmax(x: Tensor): Tensor {
  const dtype = checkTensors("rowSoftmax", ["x", x]);
  const n = x.shape.at(-1) ?? 1;
  const rows = n === 0 ? 0 : x.size / n;
  const y = allocate(dtype, x.size);
  const row = new Float64Array(n); // softmaxInto: softmax() without allocating, on the fast exp
  for (let r = 0; r < rows; r++) {
    try {
      y.set(softmaxInto(row, x.data.subarray(r * n, (r + 1) * n)), r * n);
    } catch (error) {
      throw new RangeError(`\`x\` row ${r}: ${(error as Error).message}`);
    }
  }
  return opResult(y, x.shape, "rowSoftmax", [x], (grad) => {
    const gx = gradOf(x);
    for (let r = 0; r < rows; r++) {
      const base = r * n;
      let dot = 0; // Σ_k g_k y_k
      for (let k = 0; k < n; k++) dot += grad[base + k]! * y[base + k]!;
      for (let j = 0; j < n; j++) gx[base + j]! += y[base + j]! * (grad[base + j]! - dot);
    }
  });
}

/** The weights of one attention layer: the query, key, value and output projections. */
export interface AttentionParameters {
  /** W_q, (C, C). */
  queryWeights: Tensor;
  /** b_q, (C). */
  queryBias: Tensor;
  /** W_k, (C, C). */
  keyWeights: Tensor;
  /** b_k, (C). */
  keyBias: Tensor;
  /** W_v, (C, C). */
  valueWeights: Tensor;
  /** b_v, (C). */
  valueBias: Tensor;
  /** W_o, (C, C): mixes the heads' outputs. */
  outputWeights: Tensor;
  /** b_o, (C). */
  outputBias: Tensor;
}

/** The names of {@link AttentionParameters}, in save order. */
export const ATTENTION_PARAMETER_NAMES = [
  "queryWeights",
  "queryBias",
  "keyWeights",
  "keyBias",
  "valueWeights",
  "valueBias",
  "outputWeights",
  "outputBias",
] as const;

/** What {@link causalSelfAttention} computes. */
export interface AttentionResult {
  /** The layer's output, (B, T, C). */
  output: Tensor;
  /** The attention weights A, (B, H, T, T): row i is how much position i reads each position. */
  weights: Tensor;
}

/**
 * Multi-head causal self-attention, as in GPT.
 *
 * Formula (module doc): per head h, A_h = softmax(mask(Q_h K_hᵀ / √D)), out_h = A_h V_h; the
 * heads' outputs are laid side by side, (B, T, C), and projected by W_o, b_o.
 *
 * @param x The input, (B, T, C).
 * @param parameters The projections (see {@link AttentionParameters}).
 * @param heads H, which must divide C.
 * @returns `{ output, weights }`.
 * @throws {TypeError} When a tensor is missing or the dtypes differ.
 * @throws {RangeError} When `x` is not 3-D, `heads` does not divide C, or a weight has the wrong
 * shape.
 * Running cost: O(B·T·C² + B·T²·C).
 * @example Position 0 can only attend to itself
 * ```ts
 * import assert from "node:assert/strict";
 * import { seededRandom } from "../math/random.ts";
 * import { ATTENTION_PARAMETER_NAMES, causalSelfAttention, randomNormal } from "./mod.ts";
 *
 * const random = seededRandom(1);
 * const shapeOf = (name: string) => (name.endsWith("Bias") ? [4] : [4, 4]);
 * const parameters = Object.fromEntries(
 *   ATTENTION_PARAMETER_NAMES.map((name) => [name, randomNormal(shapeOf(name), random)]),
 * ) as unknown as Parameters<typeof causalSelfAttention>[1];
 * const x = randomNormal([1, 3, 4], random); // B = 1, T = 3, C = 4
 * const { output, weights } = causalSelfAttention(x, parameters, 2);
 * assert.deepEqual(output.shape, [1, 3, 4]);
 * assert.deepEqual(weights.shape, [1, 2, 3, 3]);
 * assert.deepEqual([...weights.data.subarray(0, 3)], [1, 0, 0]); // head 0, position 0
 * ```
 */
export function causalSelfAttention(
  x: Tensor,
  parameters: AttentionParameters,
  heads: number,
): AttentionResult {
  const dtype = checkTensors("causalSelfAttention", ["x", x]);
  if (x.shape.length !== 3) {
    throw new RangeError(`\`x\` must have shape (B, T, C), got ${formatValue(x.shape)}`);
  }
  const [b, t, c] = x.shape as [number, number, number];
  if (!Number.isInteger(heads) || heads < 1 || c % heads !== 0) {
    throw new RangeError(
      `\`heads\` must be an integer >= 1 that divides C = ${c}, got ${formatValue(heads)}`,
    );
  }
  const d = c / heads;
  // (B, T, C) → (B, T, H, D) → (B, H, T, D): one (T, D) matrix per head.
  const split = (y: Tensor) => swapAxes(reshape(y, [b, t, heads, d]), 1, 2);
  const p = parameters;
  const q = split(linear(x, p.queryWeights, p.queryBias)); // (B, H, T, D)
  const k = split(linear(x, p.keyWeights, p.keyBias)); // (B, H, T, D)
  const v = split(linear(x, p.valueWeights, p.valueBias)); // (B, H, T, D)
  const scale = tensor([1 / Math.sqrt(d)], [], { dtype });
  const scores = mul(matmulTransposed(q, k), scale); // (B, H, T, T): Q Kᵀ / √D
  const weights = rowSoftmax(causalMask(scores)); // (B, H, T, T), rows sum to 1
  const mixed = matmul(weights, v); // (B, H, T, D): each row a weighted average of values
  const merged = reshape(swapAxes(mixed, 1, 2), [b, t, c]); // (B, T, C): heads side by side
  return { output: linear(merged, p.outputWeights, p.outputBias), weights };
}
