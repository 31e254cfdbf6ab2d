/**
 * The training loss of every model in the course: the mean cross-entropy between the model's
 * next-token distribution softmax(logits) and the token that actually came next, computed from
 * the logits through the stable log-sum-exp of lib/math/softmax.ts (never as log(softmax(x)),
 * which turns a tiny probability into log(0) = −Infinity). The backward pass takes its softmax
 * from lib/math/softmax_into.ts.
 *
 * @module
 */

import { formatValue } from "../_validate.ts";
import { logSumExp } from "../math/softmax.ts";
import { softmaxInto } from "../math/softmax_into.ts";
import { allocate, checkTensors, gradOf, opResult, type Tensor } from "./tensor.ts";

/**
 * Mean softmax cross-entropy of target classes, from logits.
 *
 * Formula: for each row r with target t_r, ℓ_r = logSumExp(x_r) − x_{r,t_r}
 * = −ln softmax(x_r)_{t_r}; loss = (1/N) Σ_r ℓ_r over the N rows whose target is not −1 (a target
 * of −1 marks a row to ignore, e.g. padding). logSumExp subtracts the row maximum first, so logits
 * of ±1000 are fine. A `-Infinity` logit masks its class (probability 0).
 * Backward: ∂loss/∂x_{r,c} = (softmax(x_r)_c − [c = t_r]) / N: the predicted probabilities minus
 * the one-hot target; ignored rows get 0.
 *
 * @param logits Scores of shape (N, C): one row per prediction.
 * @param targets N class indices in [0, C), or −1 to ignore a row (not modified).
 * @returns A scalar tensor (shape []) of logits' dtype: the mean loss in nats.
 * @throws {TypeError} When `logits` is not a Tensor.
 * @throws {RangeError} When `logits` is not 2-D, `targets` has the wrong length or an entry that is
 * not −1 or an integer in [0, C), every row is ignored, or a row holds NaN or `+Infinity` or only
 * `-Infinity`.
 * Running cost: O(N·C).
 * @example Uniform logits cost ln C
 * ```ts
 * import assert from "node:assert/strict";
 * import { softmaxCrossEntropy, tensor } from "./mod.ts";
 *
 * const logits = tensor([0, 0, 0, 0, 1000, 0], [2, 3], { dtype: "float64", requiresGrad: true });
 * const loss = softmaxCrossEntropy(logits, [2, 1]); // row 1 is certain of its target
 * assert.equal(loss.item(), Math.log(3) / 2);
 * loss.backward();
 * const round = (g: number) => Math.round(g * 1e12) / 1e12;
 * assert.deepEqual([...logits.grad!].map(round), [1 / 6, 1 / 6, -1 / 3, 0, 0, 0].map(round));
 * ```
 */
export function softmaxCrossEntropy(logits: Tensor, targets: ArrayLike<number>): Tensor {
  const dtype = checkTensors("softmaxCrossEntropy", ["logits", logits]);
  if (logits.shape.length !== 2) {
    throw new RangeError(`\`logits\` must have shape (N, C), got ${formatValue(logits.shape)}`);
  }
  const [rows, classes] = logits.shape as [number, number];
  if (targets?.length !== rows) {
    throw new RangeError(
      `\`targets\` must have one entry per row of \`logits\` (${rows}), got ${
        formatValue(targets?.length)
      }`,
    );
  }
  const target = new Int32Array(rows).fill(-1); // a checked copy, kept for the backward pass
  let total = 0;
  let counted = 0;
  for (let r = 0; r < rows; r++) {
    const t = targets[r]!;
    if (t === -1) continue;
    if (!(Number.isInteger(t) && t >= 0 && t < classes)) {
      throw new RangeError(
        `\`targets[${r}]\` must be -1 or an integer in [0, ${classes - 1}], got ${formatValue(t)}`,
      );
    }
    target[r] = t;
    const row = logits.data.subarray(r * classes, (r + 1) * classes);
    let lse: number;
    try {
      lse = logSumExp(row);
    } catch (error) {
      throw new RangeError(`\`logits\` row ${r}: ${(error as Error).message}`);
    }
    if (lse === -Infinity) {
      throw new RangeError(`\`logits\` row ${r} must have a logit above -Infinity`);
    }
    total += lse - row[t]!; // −ln softmax(x_r)_t = logSumExp(x_r) − x_{r,t}
    counted++;
  }
  if (counted === 0) {
    throw new RangeError("`targets` must keep at least one row (not all -1)");
  }
  const out = allocate(dtype, 1);
  out[0] = total / counted;
  return opResult(out, [], "softmaxCrossEntropy", [logits], (grad) => {
    const g = gradOf(logits);
    const scale = grad[0]! / counted;
    const probabilities = new Float64Array(classes); // softmax of one row
    for (let r = 0; r < rows; r++) {
      const t = target[r]!;
      if (t === -1) continue;
      const base = r * classes;
      softmaxInto(probabilities, logits.data.subarray(base, base + classes));
      for (let c = 0; c < classes; c++) g[base + c]! += scale * probabilities[c]!;
      g[base + t]! -= scale; // minus the one-hot target
    }
  });
}
