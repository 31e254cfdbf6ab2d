/**
 * Layer normalisation (Ba, Kiros & Hinton, 2016): each vector is shifted and scaled to mean 0 and
 * variance 1 over its last axis, then given a learned scale and shift. It keeps activations in a
 * steady range however deep the network, which is why every transformer block uses it.
 *
 * @module
 */

import { formatValue } from "../_validate.ts";
import { allocate, checkTensors, gradOf, opResult, type Tensor } from "./tensor.ts";

/**
 * Layer normalisation over the last axis.
 *
 * Formula: for each row x of length C: μ = Σ x_c / C, σ² = Σ (x_c − μ)² / C,
 * x̂ = (x − μ) / √(σ² + ε), y = γ ⊙ x̂ + β.
 * Backward, with g = ∂L/∂y: ∂L/∂β = Σ_rows g, ∂L/∂γ = Σ_rows g ⊙ x̂, and with d = g ⊙ γ,
 * ∂L/∂x = (d − mean(d) − x̂ · mean(d ⊙ x̂)) / √(σ² + ε).
 *
 * @param x Input of shape (..., C).
 * @param gain γ, shape (C).
 * @param bias β, shape (C).
 * @param epsilon ε >= 0 added to the variance (default 1e-5; 0 suits only rows that are not
 * constant).
 * @returns A new tensor of x's shape.
 * @throws {TypeError} When an argument is not a Tensor or the dtypes differ.
 * @throws {RangeError} When `gain` or `bias` is not of shape (C), or `epsilon` is not a finite
 * number >= 0.
 * Running cost: O(size).
 * @example Each row gets mean 0 and variance 1 (with γ = 1, β = 0)
 * ```ts
 * import assert from "node:assert/strict";
 * import { layerNorm, tensor } from "./mod.ts";
 *
 * const x = tensor([1, 2, 3, 10, 20, 30], [2, 3], { dtype: "float64" });
 * const one = tensor([1, 1, 1], [3], { dtype: "float64" });
 * const zero = tensor([0, 0, 0], [3], { dtype: "float64" });
 * const y = layerNorm(x, one, zero, 0).data;
 * const s = Math.sqrt(3 / 2); // (x − μ) / σ for x = μ ± σ·√(3/2)
 * const round = (v: number) => Math.round(v * 1e12) / 1e12;
 * assert.deepEqual([...y].map(round), [-s, 0, s, -s, 0, s].map(round));
 * ```
 */
export function layerNorm(x: Tensor, gain: Tensor, bias: Tensor, epsilon = 1e-5): Tensor {
  const dtype = checkTensors("layerNorm", ["x", x], ["gain", gain], ["bias", bias]);
  const c = x.shape.at(-1) ?? 1;
  for (const [name, t] of [["gain", gain], ["bias", bias]] as const) {
    if (t.shape.length !== 1 || t.shape[0] !== c) {
      throw new RangeError(
        `\`${name}\` must have shape [${c}] (the last axis of \`x\`), got ${formatValue(t.shape)}`,
      );
    }
  }
  if (!(epsilon >= 0 && Number.isFinite(epsilon))) {
    throw new RangeError(`\`epsilon\` must be a finite number >= 0, got ${formatValue(epsilon)}`);
  }
  const rows = x.size / c;
  const normalised = new Float64Array(x.size); // x̂, kept for the backward pass
  const inverseStd = new Float64Array(rows); // 1 / √(σ² + ε) per row
  const y = allocate(dtype, x.size);
  const gamma = gain.data;
  const beta = bias.data;
  for (let r = 0; r < rows; r++) {
    const base = r * c;
    let mean = 0;
    for (let j = 0; j < c; j++) mean += x.data[base + j]!;
    mean /= c;
    let variance = 0;
    for (let j = 0; j < c; j++) variance += (x.data[base + j]! - mean) ** 2;
    variance /= c;
    const inv = 1 / Math.sqrt(variance + epsilon);
    inverseStd[r] = inv;
    for (let j = 0; j < c; j++) {
      const h = (x.data[base + j]! - mean) * inv;
      normalised[base + j] = h;
      y[base + j] = gamma[j]! * h + beta[j]!;
    }
  }
  return opResult(y, x.shape, "layerNorm", [x, gain, bias], (grad) => {
    const gx = x.requiresGrad ? gradOf(x) : undefined;
    const gGain = gain.requiresGrad ? gradOf(gain) : undefined;
    const gBias = bias.requiresGrad ? gradOf(bias) : undefined;
    for (let r = 0; r < rows; r++) {
      const base = r * c;
      let meanD = 0; // mean(d), d = g ⊙ γ
      let meanDH = 0; // mean(d ⊙ x̂)
      for (let j = 0; j < c; j++) {
        const g = grad[base + j]!;
        const h = normalised[base + j]!;
        if (gGain !== undefined) gGain[j]! += g * h;
        if (gBias !== undefined) gBias[j]! += g;
        const d = g * gamma[j]!;
        meanD += d;
        meanDH += d * h;
      }
      if (gx === undefined) continue;
      meanD /= c;
      meanDH /= c;
      const inv = inverseStd[r]!;
      for (let j = 0; j < c; j++) {
        const d = grad[base + j]! * gamma[j]!;
        gx[base + j]! += (d - meanD - normalised[base + j]! * meanDH) * inv;
      }
    }
  });
}
