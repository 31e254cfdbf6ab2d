import assert from "node:assert/strict";
import {
  matmulTransposed,
  reshape,
  softmaxCrossEntropy,
  type Tensor,
  tensor,
  tiedOutputCrossEntropy,
} from "../../lib/nn/mod.ts";
import { assertClose } from "../_helpers.ts";
import { assertGradients, parameter } from "./_gradients.ts";

/** The readable path the fused op must agree with: logits (M, S), then the loss. */
function reference(h: Tensor, e: Tensor, targets: number[]): Tensor {
  const rows = reshape(h, [-1, h.shape.at(-1)!]);
  return softmaxCrossEntropy(matmulTransposed(rows, e), targets);
}

Deno.test("tiedOutputCrossEntropy() equals softmaxCrossEntropy(matmulTransposed(h, E))", async (t) => {
  await t.step("float64: loss and gradients to 1e-12", () => {
    const targets = [3, 0, 6, 6, 2, 1, 5, 4, 0, 2];
    const [h1, e1] = [parameter([2, 5, 4], 1, 2), parameter([7, 4], 2, 2)];
    const [h2, e2] = [parameter([2, 5, 4], 1, 2), parameter([7, 4], 2, 2)];
    const fused = tiedOutputCrossEntropy(h1, e1, targets);
    const plain = reference(h2, e2, targets);
    assertClose(fused.item(), plain.item(), 1e-12);
    fused.backward();
    plain.backward();
    assertClose(h1.grad!, h2.grad!, 1e-12);
    assertClose(e1.grad!, e2.grad!, 1e-12);
  });
  await t.step("float32 with more rows than one backward block (300 rows, 50 tokens)", () => {
    const targets = Array.from({ length: 300 }, (_, i) => (i * 7) % 50);
    const h64 = parameter([300, 8], 3);
    const e64 = parameter([50, 8], 4);
    const h = tensor(h64.data, [300, 8], { requiresGrad: true });
    const e = tensor(e64.data, [50, 8], { requiresGrad: true });
    const loss = tiedOutputCrossEntropy(h, e, targets);
    const exact = reference(h64, e64, targets);
    assertClose(loss.item(), exact.item(), 1e-5);
    loss.backward();
    exact.backward();
    assertClose(h.grad!, h64.grad!, 1e-6);
    assertClose(e.grad!, e64.grad!, 1e-6);
  });
});

Deno.test("tiedOutputCrossEntropy() gradients match finite differences", () => {
  assertGradients(([h, e]) => tiedOutputCrossEntropy(h!, e!, [1, 4, 0, 4, 2, 3]), [
    parameter([2, 3, 5], 5),
    parameter([6, 5], 6),
  ]);
});

Deno.test("tiedOutputCrossEntropy() checks its arguments", () => {
  assert.throws(() => tiedOutputCrossEntropy(parameter([2, 3], 1), parameter([4, 2], 2), [0, 1]), {
    name: "RangeError",
    message:
      "tiedOutputCrossEntropy() needs `hidden` (..., C) and `embeddings` (S, C), got shapes [2, 3] and [4, 2]",
  });
  assert.throws(() => tiedOutputCrossEntropy(parameter([2, 3], 1), parameter([4, 3], 2), [0]), {
    name: "RangeError",
    message: "`targets` must have one entry per row of `hidden` (2), got 1",
  });
  assert.throws(() => tiedOutputCrossEntropy(parameter([2, 3], 1), parameter([4, 3], 2), [0, 4]), {
    name: "RangeError",
    message: "`targets[1]` must be an integer in [0, 3], got 4",
  });
});
