import assert from "node:assert/strict";
import { add, broadcastShapes, mul, tensor } from "../../lib/nn/mod.ts";
import { assertGradients, parameter } from "./_gradients.ts";

Deno.test("broadcastShapes() follows numpy's rule", () => {
  assert.deepEqual(broadcastShapes([2, 3], [3]), [2, 3]);
  assert.deepEqual(broadcastShapes([4, 1, 3], [5, 1]), [4, 5, 3]);
  assert.deepEqual(broadcastShapes([], [2, 2]), [2, 2]);
  assert.throws(() => broadcastShapes([2, 3], [2]), {
    name: "RangeError",
    message: "shapes [2, 3] and [2] cannot be broadcast: axis 1 has lengths 3 and 2",
  });
});

Deno.test("add() and mul() repeat the smaller tensor", async (t) => {
  const x = tensor([1, 2, 3, 4, 5, 6], [2, 3], { dtype: "float64" });
  await t.step("a column (2, 1) against (2, 3)", () => {
    const column = tensor([10, 20], [2, 1], { dtype: "float64" });
    assert.deepEqual([...add(x, column).data], [11, 12, 13, 24, 25, 26]);
    assert.deepEqual([...mul(column, x).data], [10, 20, 30, 80, 100, 120]);
  });
  await t.step("a scalar", () => {
    assert.deepEqual([...mul(x, tensor([2], [], { dtype: "float64" })).data], [2, 4, 6, 8, 10, 12]);
  });
  await t.step("(2, 1, 3) + (4, 1) gives (2, 4, 3)", () => {
    const y = add(parameter([2, 1, 3], 1), parameter([4, 1], 2));
    assert.deepEqual(y.shape, [2, 4, 3]);
  });
});

Deno.test("add() gradients sum over repeated axes", async (t) => {
  await t.step("bias (3) of (2, 3): column sums", () => {
    const bias = tensor([0, 0, 0], [3], { dtype: "float64", requiresGrad: true });
    add(tensor([1, 2, 3, 4, 5, 6], [2, 3], { dtype: "float64" }), bias).backward([
      1,
      2,
      3,
      4,
      5,
      6,
    ]);
    assert.deepEqual([...bias.grad!], [5, 7, 9]);
  });
  await t.step("add(x, x) gives 2", () => {
    const x = tensor([1, 2], [2], { dtype: "float64", requiresGrad: true });
    add(x, x).backward([1, 1]);
    assert.deepEqual([...x.grad!], [2, 2]);
  });
  for (
    const [a, b] of [[[2, 3, 4], [3, 1]], [[4], [2, 3, 4]], [[], [2, 3]], [[2, 1, 3], [4, 1]]]
  ) {
    await t.step(`finite differences: (${a}) + (${b}) and (${a}) · (${b})`, () => {
      assertGradients(([x, y]) => add(x!, y!), [parameter(a!, 1), parameter(b!, 2)]);
      assertGradients(([x, y]) => mul(x!, y!), [parameter(a!, 3), parameter(b!, 4)]);
    });
  }
});
