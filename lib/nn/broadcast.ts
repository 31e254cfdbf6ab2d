/**
 * Elementwise addition and multiplication with broadcasting, numpy's rule: shapes are aligned on
 * the right, and an axis of length 1 (or a missing axis) is repeated to match the other tensor. A
 * bias of shape (C) added to activations of shape (B, C) is added to every row.
 *
 * In the backward pass a repeated entry receives the sum of the gradients of all its copies: the
 * gradient of the bias above is the column sum of the output gradient.
 *
 * @module
 */

import { formatValue } from "../_validate.ts";
import { allocate, checkTensors, gradOf, opResult, type Tensor } from "./tensor.ts";

/**
 * The shape of a broadcast result.
 *
 * Formula: align the shapes on the right; on each axis the lengths must be equal or one of them
 * 1 (a missing axis counts as 1); the result takes the larger.
 *
 * @param a The first shape.
 * @param b The second shape.
 * @returns The broadcast shape.
 * @throws {RangeError} When an axis has two different lengths, neither of them 1.
 * Running cost: O(rank).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { broadcastShapes } from "./broadcast.ts";
 *
 * assert.deepEqual(broadcastShapes([4, 1, 3], [5, 1]), [4, 5, 3]);
 * ```
 */
export function broadcastShapes(a: readonly number[], b: readonly number[]): number[] {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let axis = 0; axis < rank; axis++) {
    const x = a[a.length - rank + axis] ?? 1;
    const y = b[b.length - rank + axis] ?? 1;
    if (x !== y && x !== 1 && y !== 1) {
      throw new RangeError(
        `shapes ${formatValue(a)} and ${formatValue(b)} cannot be broadcast: axis ${axis} has ` +
          `lengths ${x} and ${y}`,
      );
    }
    out.push(x === 1 ? y : x);
  }
  return out;
}

/**
 * Strides of `shape` read as a broadcast operand of `outShape`: 0 on every repeated axis, so
 * moving along that axis of the output stays on the same entry.
 */
function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const strides = new Array<number>(outShape.length).fill(0);
  let stride = 1;
  for (let axis = outShape.length - 1; axis >= 0; axis--) {
    const length = shape[shape.length - outShape.length + axis] ?? 1;
    strides[axis] = length === 1 ? 0 : stride;
    stride *= length;
  }
  return strides;
}

/**
 * Walks the output row by row (a row = the last axis): calls visit(i, ia, ib) with the offsets of
 * the row's first entry in the output, a and b; within the row, entry j of the output reads
 * a[ia + j·sa] and b[ib + j·sb] (sa, sb the last-axis strides, 0 when repeated). The leading axes
 * advance like an odometer.
 */
function forEachRow(
  outShape: readonly number[],
  stridesA: readonly number[],
  stridesB: readonly number[],
  visit: (i: number, ia: number, ib: number) => void,
): void {
  const rank = outShape.length;
  const size = outShape.reduce((p, n) => p * n, 1);
  if (size === 0) return;
  const last = rank === 0 ? 1 : outShape[rank - 1]!;
  const counter = new Array<number>(Math.max(rank - 1, 0)).fill(0);
  let ia = 0;
  let ib = 0;
  for (let i = 0; i < size; i += last) {
    visit(i, ia, ib);
    for (let axis = rank - 2; axis >= 0; axis--) {
      counter[axis]!++;
      ia += stridesA[axis]!;
      ib += stridesB[axis]!;
      if (counter[axis]! < outShape[axis]!) break;
      ia -= stridesA[axis]! * outShape[axis]!;
      ib -= stridesB[axis]! * outShape[axis]!;
      counter[axis] = 0;
    }
  }
}

/**
 * Elementwise sum with broadcasting.
 *
 * Formula: out = a + b, shapes broadcast ({@linkcode broadcastShapes}).
 * Backward: ∂L/∂a = ∂L/∂out summed over the axes along which a was repeated; the same for b.
 *
 * @param a A tensor.
 * @param b A tensor of the same dtype, broadcast-compatible with `a`.
 * @returns A new tensor of the broadcast shape.
 * @throws {TypeError} When an argument is not a Tensor or the dtypes differ.
 * @throws {RangeError} When the shapes cannot be broadcast.
 * Running cost: O(size of the result).
 * @example A bias added to each row
 * ```ts
 * import assert from "node:assert/strict";
 * import { add, tensor } from "./mod.ts";
 *
 * const x = tensor([1, 2, 3, 4], [2, 2]);
 * const bias = tensor([10, 20], [2], { requiresGrad: true });
 * const y = add(x, bias); // (2, 2)
 * assert.deepEqual([...y.data], [11, 22, 13, 24]);
 * y.backward([1, 1, 1, 1]);
 * assert.deepEqual([...bias.grad!], [2, 2]); // each bias entry was used twice
 * ```
 */
export function add(a: Tensor, b: Tensor): Tensor {
  const dtype = checkTensors("add", ["a", a], ["b", b]);
  const shape = broadcastShapes(a.shape, b.shape);
  const sa = broadcastStrides(a.shape, shape);
  const sb = broadcastStrides(b.shape, shape);
  const x = a.data;
  const y = b.data;
  const out = allocate(dtype, shape.reduce((p, n) => p * n, 1));
  const [last, la, lb] = [shape.at(-1) ?? 1, sa.at(-1) ?? 0, sb.at(-1) ?? 0];
  forEachRow(shape, sa, sb, (i, ia, ib) => {
    for (let j = 0; j < last; j++) out[i + j] = x[ia + j * la]! + y[ib + j * lb]!;
  });
  return opResult(out, shape, "add", [a, b], (grad) => {
    // ∂(a + b)/∂a = 1: each entry of a collects the gradients of every output it reached.
    const ga = a.requiresGrad ? gradOf(a) : undefined;
    const gb = b.requiresGrad ? gradOf(b) : undefined;
    forEachRow(shape, sa, sb, (i, ia, ib) => {
      if (ga !== undefined) { for (let j = 0; j < last; j++) ga[ia + j * la]! += grad[i + j]!; }
      if (gb !== undefined) { for (let j = 0; j < last; j++) gb[ib + j * lb]! += grad[i + j]!; }
    });
  });
}

/**
 * Elementwise product with broadcasting.
 *
 * Formula: out = a · b, shapes broadcast ({@linkcode broadcastShapes}).
 * Backward: ∂L/∂a = ∂L/∂out · b, summed over the axes along which a was repeated; symmetric for b.
 *
 * @param a A tensor.
 * @param b A tensor of the same dtype, broadcast-compatible with `a`.
 * @returns A new tensor of the broadcast shape.
 * @throws {TypeError} When an argument is not a Tensor or the dtypes differ.
 * @throws {RangeError} When the shapes cannot be broadcast.
 * Running cost: O(size of the result).
 * @example Scaling each column
 * ```ts
 * import assert from "node:assert/strict";
 * import { mul, tensor } from "./mod.ts";
 *
 * const y = mul(tensor([1, 2, 3, 4], [2, 2]), tensor([10, 100], [2]));
 * assert.deepEqual([...y.data], [10, 200, 30, 400]);
 * ```
 */
export function mul(a: Tensor, b: Tensor): Tensor {
  const dtype = checkTensors("mul", ["a", a], ["b", b]);
  const shape = broadcastShapes(a.shape, b.shape);
  const sa = broadcastStrides(a.shape, shape);
  const sb = broadcastStrides(b.shape, shape);
  const x = a.data;
  const y = b.data;
  const out = allocate(dtype, shape.reduce((p, n) => p * n, 1));
  const [last, la, lb] = [shape.at(-1) ?? 1, sa.at(-1) ?? 0, sb.at(-1) ?? 0];
  forEachRow(shape, sa, sb, (i, ia, ib) => {
    for (let j = 0; j < last; j++) out[i + j] = x[ia + j * la]! * y[ib + j * lb]!;
  });
  return opResult(out, shape, "mul", [a, b], (grad) => {
    // ∂(a · b)/∂a = b and ∂(a · b)/∂b = a.
    const ga = a.requiresGrad ? gradOf(a) : undefined;
    const gb = b.requiresGrad ? gradOf(b) : undefined;
    forEachRow(shape, sa, sb, (i, ia, ib) => {
      for (let j = 0; j < last; j++) {
        if (ga !== undefined) ga[ia + j * la]! += grad[i + j]! * y[ib + j * lb]!;
        if (gb !== undefined) gb[ib + j * lb]! += grad[i + j]! * x[ia + j * la]!;
      }
    });
  });
}
