import assert from "node:assert/strict";
import { linear, matmul, matmulTransposed, swapAxes, tensor } from "../../lib/nn/mod.ts";
import { assertClose } from "../_helpers.ts";
import { assertGradients, parameter } from "./_gradients.ts";

Deno.test("matmulTransposed(a, b) equals matmul(a, bᵀ)", async (t) => {
  await t.step("(2, 5, 7) · (3, 7)ᵀ", () => {
    const a = parameter([2, 5, 7], 1);
    const b = parameter([3, 7], 2);
    const c = matmulTransposed(a, b);
    assert.deepEqual(c.shape, [2, 5, 3]);
    assertClose(c.data, matmul(a, swapAxes(b, 0, 1)).data, 1e-12);
  });
  await t.step("batched (2, 3, 5, 4) · (2, 3, 6, 4)ᵀ", () => {
    const a = parameter([2, 3, 5, 4], 3);
    const b = parameter([2, 3, 6, 4], 4);
    const c = matmulTransposed(a, b);
    assert.deepEqual(c.shape, [2, 3, 5, 6]);
    assertClose(c.data, matmul(a, swapAxes(b, -1, -2)).data, 1e-12);
  });
  await t.step("with a bias: linear(a, bᵀ, bias)", () => {
    const a = parameter([4, 3], 5);
    const b = parameter([6, 3], 6);
    const bias = parameter([6], 7);
    assertClose(matmulTransposed(a, b, bias).data, linear(a, swapAxes(b, 0, 1), bias).data, 1e-12);
  });
  await t.step("float32 within rounding of float64", () => {
    const a = parameter([16, 40], 8);
    const b = parameter([9, 40], 9);
    const c32 = matmulTransposed(tensor(a.data, [16, 40]), tensor(b.data, [9, 40]));
    assertClose(c32.data, matmulTransposed(a, b).data, 1e-4);
  });
});

Deno.test("matmulTransposed() gradients match finite differences", async (t) => {
  await t.step("(2, 3, 4) · (5, 4)ᵀ + bias", () => {
    assertGradients(([a, b, bias]) => matmulTransposed(a!, b!, bias), [
      parameter([2, 3, 4], 1),
      parameter([5, 4], 2),
      parameter([5], 3),
    ]);
  });
  await t.step("batched (2, 3, 4) · (2, 5, 4)ᵀ", () => {
    assertGradients(([a, b]) => matmulTransposed(a!, b!), [
      parameter([2, 3, 4], 4),
      parameter([2, 5, 4], 5),
    ]);
  });
});

Deno.test("matmulTransposed() checks shapes", () => {
  assert.throws(() => matmulTransposed(parameter([2, 3], 1), parameter([4, 2], 2)), {
    name: "RangeError",
    message:
      "matmulTransposed() needs the last axes of `a` and `b` to match, got shapes [2, 3] and [4, 2]",
  });
  assert.throws(
    () => matmulTransposed(parameter([2, 3], 1), parameter([4, 3], 2), parameter([3], 3)),
    {
      name: "RangeError",
      message:
        "matmulTransposed() needs `bias` of shape [4] and `b` of rank 2, got shapes [3] and [4, 3]",
    },
  );
});
