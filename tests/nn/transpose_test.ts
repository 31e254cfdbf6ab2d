import assert from "node:assert/strict";
import { swapAxes, tanh, tensor } from "../../lib/nn/mod.ts";
import { assertGradients, parameter } from "./_gradients.ts";

Deno.test("swapAxes() moves every entry to its swapped place", async (t) => {
  await t.step("a matrix transpose", () => {
    const y = swapAxes(tensor([1, 2, 3, 4, 5, 6], [2, 3]), -1, -2);
    assert.deepEqual(y.shape, [3, 2]);
    assert.deepEqual([...y.data], [1, 4, 2, 5, 3, 6]);
  });
  await t.step("(B, T, H, D) → (B, H, T, D), entry by entry", () => {
    const shape = [2, 3, 4, 5];
    const x = parameter(shape, 1);
    const y = swapAxes(x, 1, 2);
    assert.deepEqual(y.shape, [2, 4, 3, 5]);
    for (let b = 0; b < 2; b++) {
      for (let t = 0; t < 3; t++) {
        for (let h = 0; h < 4; h++) {
          for (let d = 0; d < 5; d++) {
            assert.equal(
              y.data[((b * 4 + h) * 3 + t) * 5 + d],
              x.data[((b * 3 + t) * 4 + h) * 5 + d],
            );
          }
        }
      }
    }
  });
  await t.step("swapping twice gives the input back; an axis with itself is a copy", () => {
    const x = parameter([3, 4, 2], 2);
    assert.deepEqual(swapAxes(swapAxes(x, 0, 2), 0, 2).data, x.data);
    assert.deepEqual(swapAxes(x, 1, 1).data, x.data);
  });
});

Deno.test("swapAxes() checks its axes", () => {
  assert.throws(() => swapAxes(tensor([1, 2], [1, 2]), 0, 2), {
    name: "RangeError",
    message: "`second` must be an integer in [-2, 1] (x has shape [1, 2]), got 2",
  });
});

Deno.test("swapAxes() gradients match finite differences", () => {
  assertGradients(([x]) => tanh(swapAxes(x!, 0, 2)), [parameter([2, 3, 4], 3)]);
});
