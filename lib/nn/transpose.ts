/**
 * Swapping two axes of a tensor: how multi-head attention turns (B, T, H, D), one row of heads
 * per position, into (B, H, T, D), one (T, D) matrix per head, and back. The entries are copied
 * into the new order; the backward pass copies the gradients back the other way.
 *
 * @module
 */

import { formatValue } from "../_validate.ts";
import { allocate, checkTensors, gradOf, opResult, type Tensor } from "./tensor.ts";

/** Row-major strides of a shape: how far one step along each axis moves in the flat data. */
function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length).fill(1);
  for (let axis = shape.length - 2; axis >= 0; axis--) {
    strides[axis] = strides[axis + 1]! * shape[axis + 1]!;
  }
  return strides;
}

/**
 * For every entry of the result (in row-major order), the index of the entry of `x` it copies.
 */
function sourceIndices(shape: readonly number[], first: number, second: number): Int32Array {
  const outShape = [...shape];
  outShape[first] = shape[second]!;
  outShape[second] = shape[first]!;
  const inStrides = stridesOf(shape);
  // Walking the output, a step along output axis a is a step along input axis a, except that
  // the two swapped axes trade strides.
  const steps = [...inStrides];
  steps[first] = inStrides[second]!;
  steps[second] = inStrides[first]!;
  const size = shape.reduce((p, n) => p * n, 1);
  const source = new Int32Array(size);
  const counter = new Array<number>(shape.length).fill(0);
  let at = 0;
  for (let i = 0; i < size; i++) {
    source[i] = at;
    for (let axis = shape.length - 1; axis >= 0; axis--) {
      counter[axis]!++;
      at += steps[axis]!;
      if (counter[axis]! < outShape[axis]!) break;
      at -= steps[axis]! * outShape[axis]!;
      counter[axis] = 0;
    }
  }
  return source;
}

/**
 * Swaps two axes: the transpose of a matrix, generalised.
 *
 * Formula: out[…, j, …, i, …] = x[…, i, …, j, …] with i on axis `first` of x and j on axis
 * `second`; the result's shape is x's with those two lengths exchanged. Backward: ∂L/∂x is
 * ∂L/∂out with the same two axes swapped back.
 *
 * @param x A tensor of rank >= 2.
 * @param first One axis; negative counts from the end.
 * @param second The other axis; negative counts from the end.
 * @returns A new tensor (the entries copied in the new order).
 * @throws {TypeError} When `x` is not a Tensor.
 * @throws {RangeError} When an axis is not an integer in [−rank, rank − 1].
 * Running cost: O(size).
 * @example A matrix transpose, and the heads of attention
 * ```ts
 * import assert from "node:assert/strict";
 * import { swapAxes, tensor } from "./mod.ts";
 *
 * const m = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
 * const t = swapAxes(m, 0, 1); // (3, 2)
 * assert.deepEqual(t.shape, [3, 2]);
 * assert.deepEqual([...t.data], [1, 4, 2, 5, 3, 6]);
 * // (B, T, H, D) = (1, 2, 2, 1): positions p0, p1 with heads h0, h1 → (1, H, T, D)
 * const x = tensor([0.0, 0.1, 1.0, 1.1], [1, 2, 2, 1]); // p0h0 p0h1 p1h0 p1h1
 * assert.deepEqual([...swapAxes(x, 1, 2).data].map((v) => Math.round(v * 10) / 10), [0, 1, 0.1, 1.1]);
 * ```
 */
export function swapAxes(x: Tensor, first: number, second: number): Tensor {
  const dtype = checkTensors("swapAxes", ["x", x]);
  const rank = x.shape.length;
  const resolve = (axis: number, name: string): number => {
    if (!Number.isInteger(axis) || axis < -rank || axis >= rank) {
      throw new RangeError(
        `\`${name}\` must be an integer in [${-rank}, ${rank - 1}] (x has shape ${
          formatValue(x.shape)
        }), got ${formatValue(axis)}`,
      );
    }
    return axis < 0 ? rank + axis : axis;
  };
  const a = resolve(first, "first");
  const b = resolve(second, "second");
  const shape = [...x.shape];
  shape[a] = x.shape[b]!;
  shape[b] = x.shape[a]!;
  const source = sourceIndices(x.shape, a, b);
  const out = allocate(dtype, x.size);
  for (let i = 0; i < source.length; i++) out[i] = x.data[source[i]!]!;
  return opResult(out, shape, "swapAxes", [x], (grad) => {
    // Each output entry came from exactly one input entry: send its gradient back there.
    const gx = gradOf(x);
    for (let i = 0; i < source.length; i++) gx[source[i]!]! += grad[i]!;
  });
}
