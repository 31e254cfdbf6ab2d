/**
 * Embedding lookup: each token id selects one row of a table of learned vectors. It is the same
 * as multiplying a one-hot vector by the table, without building the one-hot vector.
 *
 * @module
 */

import { formatValue } from "../_validate.ts";
import { allocate, checkTensors, gradOf, opResult, shapeSize, type Tensor } from "./tensor.ts";

/**
 * Looks up one row of `table` per id.
 *
 * Formula: out[i, :] = table[ids[i], :]; with `shape` = (B, T) the result has shape (B, T, E).
 * Backward: ∂L/∂table[v, :] = Σ over the positions i with ids[i] = v of ∂L/∂out[i, :] (an id that
 * appears twice collects both gradients; rows never looked up get 0).
 *
 * @param table The vectors, shape (V, E).
 * @param ids Row numbers, integers in [0, V), row-major in `shape` (not modified).
 * @param shape The shape of `ids`; default `[ids.length]`.
 * @returns A new tensor of shape (...shape, E).
 * @throws {TypeError} When `table` is not a Tensor.
 * @throws {RangeError} When `table` is not 2-D, `shape` does not hold `ids.length` entries, or an
 * id is not an integer in [0, V).
 * Running cost: O(ids · E).
 * @example A repeated id
 * ```ts
 * import assert from "node:assert/strict";
 * import { embedding, tensor } from "./mod.ts";
 *
 * const table = tensor([0, 1, 10, 11, 20, 21], [3, 2], { requiresGrad: true }); // V = 3, E = 2
 * const x = embedding(table, [2, 0, 2]); // (3, 2)
 * assert.deepEqual([...x.data], [20, 21, 0, 1, 20, 21]);
 * x.backward([1, 1, 1, 1, 1, 1]);
 * assert.deepEqual([...table.grad!], [1, 1, 0, 0, 2, 2]);
 * ```
 */
export function embedding(
  table: Tensor,
  ids: ArrayLike<number>,
  shape: readonly number[] = [ids.length],
): Tensor {
  const dtype = checkTensors("embedding", ["table", table]);
  if (table.shape.length !== 2) {
    throw new RangeError(
      `\`table\` must have shape (V, E), got ${formatValue(table.shape)}`,
    );
  }
  const [rows, width] = table.shape as [number, number];
  if (shapeSize(shape) !== ids.length) {
    throw new RangeError(
      `\`shape\` ${formatValue(shape)} must hold the ${ids.length} entries of \`ids\``,
    );
  }
  const index = Int32Array.from(ids);
  for (let i = 0; i < index.length; i++) {
    if (!(index[i] === ids[i] && index[i]! >= 0 && index[i]! < rows)) {
      throw new RangeError(
        `\`ids[${i}]\` must be an integer in [0, ${rows - 1}], got ${formatValue(ids[i])}`,
      );
    }
  }
  const out = allocate(dtype, index.length * width);
  for (let i = 0; i < index.length; i++) {
    out.set(table.data.subarray(index[i]! * width, (index[i]! + 1) * width), i * width);
  }
  return opResult(out, [...shape, width], "embedding", [table], (grad) => {
    const g = gradOf(table);
    for (let i = 0; i < index.length; i++) {
      const row = index[i]! * width;
      for (let j = 0; j < width; j++) g[row + j]! += grad[i * width + j]!;
    }
  });
}
