/**
 * Ops that move numbers around without changing them: reading the same entries with another
 * shape, and joining tensors side by side. Their backward passes move the gradients back.
 *
 * @module
 */

import { formatValue } from "../_validate.ts";
import { allocate, checkTensors, gradOf, opResult, shapeSize, type Tensor } from "./tensor.ts";

/**
 * The same entries in the same row-major order, read with another shape.
 *
 * Formula: out.data = x.data; one axis length may be −1, meaning "whatever makes the sizes match".
 * Reshaping (B, n, E) to (B, n·E) lays the n vectors of a row end to end: concatenation for free.
 * Backward: ∂L/∂x = ∂L/∂out, read with x's shape.
 *
 * @param x A tensor.
 * @param shape The new axis lengths, with the same product (or one −1).
 * @returns A new tensor sharing `x.data` (entries are never modified in place by ops).
 * @throws {TypeError} When `x` is not a Tensor.
 * @throws {RangeError} When the sizes differ or more than one axis is −1.
 * Running cost: O(1) forward, O(size) backward.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { reshape, tensor } from "./mod.ts";
 *
 * assert.deepEqual(reshape(tensor([1, 2, 3, 4, 5, 6], [2, 3]), [3, -1]).shape, [3, 2]);
 * ```
 */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  checkTensors("reshape", ["x", x]);
  const free = shape.indexOf(-1);
  const resolved = [...shape];
  if (free !== -1) {
    if (shape.indexOf(-1, free + 1) !== -1) {
      throw new RangeError(`\`shape\` may have one -1, got ${formatValue(shape)}`);
    }
    const known = shapeSize(shape.filter((_, axis) => axis !== free));
    resolved[free] = known === 0 ? 0 : x.size / known;
  }
  if (!Number.isInteger(resolved[free] ?? 0) || shapeSize(resolved) !== x.size) {
    throw new RangeError(
      `\`shape\` ${formatValue(shape)} must hold the ${x.size} entries of shape ${
        formatValue(x.shape)
      }`,
    );
  }
  return opResult(x.data, resolved, "reshape", [x], (grad) => {
    const gx = gradOf(x);
    for (let i = 0; i < gx.length; i++) gx[i]! += grad[i]!;
  });
}

/**
 * Joins tensors along one axis.
 *
 * Formula: with `axis` = −1, rows [x₁ | x₂ | …]: out[..., offset_j + c] = x_j[..., c], where
 * offset_j is the summed length of the earlier tensors along the axis. All other axes must match.
 * Backward: each input receives its own slice of ∂L/∂out.
 *
 * @param tensors At least one tensor, same dtype and rank.
 * @param axis The axis to join along; negative counts from the end; default −1 (the last).
 * @returns A new tensor.
 * @throws {TypeError} When an entry is not a Tensor or the dtypes differ.
 * @throws {RangeError} When `tensors` is empty, `axis` is out of range, or other axes differ.
 * Running cost: O(size of the result).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { concat, tensor } from "./mod.ts";
 *
 * const y = concat([tensor([1, 2], [2, 1]), tensor([3, 4, 5, 6], [2, 2])]); // (2, 3)
 * assert.deepEqual([...y.data], [1, 3, 4, 2, 5, 6]);
 * ```
 */
export function concat(tensors: readonly Tensor[], axis = -1): Tensor {
  if (!Array.isArray(tensors) || tensors.length === 0) {
    throw new RangeError(`\`tensors\` must hold at least one tensor, got ${formatValue(tensors)}`);
  }
  const dtype = checkTensors(
    "concat",
    ...tensors.map((t, i) => [`tensors[${i}]`, t] as [string, Tensor]),
  );
  const first: Tensor = tensors[0]!;
  const rank = first.shape.length;
  const ax = axis < 0 ? rank + axis : axis;
  if (!Number.isInteger(axis) || ax < 0 || ax >= rank) {
    throw new RangeError(`\`axis\` must be an integer in [${-rank}, ${rank - 1}], got ${axis}`);
  }
  for (const [i, t] of (tensors as readonly Tensor[]).entries()) {
    if (t.shape.length !== rank || t.shape.some((n, a) => a !== ax && n !== first.shape[a])) {
      throw new RangeError(
        `\`tensors[${i}]\` has shape ${formatValue(t.shape)}, which does not match ${
          formatValue(first.shape)
        } outside axis ${ax}`,
      );
    }
  }
  // Every tensor is `outer` blocks of (its length along the axis × inner) contiguous entries.
  const outer = first.shape.slice(0, ax).reduce((p, n) => p * n, 1);
  const inner = first.shape.slice(ax + 1).reduce((p, n) => p * n, 1);
  const widths = tensors.map((t) => t.shape[ax]! * inner);
  const total = widths.reduce((p, n) => p + n, 0);
  const out = allocate(dtype, outer * total);
  let offset = 0;
  for (const [j, t] of tensors.entries()) {
    const w = widths[j]!;
    for (let o = 0; o < outer; o++) {
      out.set(t.data.subarray(o * w, (o + 1) * w), o * total + offset);
    }
    offset += w;
  }
  const shape = [...first.shape];
  shape[ax] = tensors.reduce((p, t) => p + t.shape[ax]!, 0);
  return opResult(out, shape, "concat", tensors, (grad) => {
    let offset = 0;
    for (const [j, t] of tensors.entries()) {
      const w = widths[j]!;
      if (t.requiresGrad) {
        const g = gradOf(t);
        for (let o = 0; o < outer; o++) {
          for (let c = 0; c < w; c++) g[o * w + c]! += grad[o * total + offset + c]!;
        }
      }
      offset += w;
    }
  });
}
