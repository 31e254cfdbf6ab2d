import assert from "node:assert/strict";
import { embedding, tensor } from "../../lib/nn/mod.ts";
import { assertGradients, parameter } from "./_gradients.ts";

Deno.test("embedding() looks up rows", async (t) => {
  const table = tensor([0, 1, 10, 11, 20, 21], [3, 2], { dtype: "float64" });
  await t.step("ids of shape (2, 2) give (2, 2, 2)", () => {
    const ids = Object.freeze([2, 0, 1, 1]);
    const y = embedding(table, ids, [2, 2]);
    assert.deepEqual(y.shape, [2, 2, 2]);
    assert.deepEqual([...y.data], [20, 21, 0, 1, 10, 11, 10, 11]);
  });
  await t.step("bad ids are named", () => {
    assert.throws(() => embedding(table, [0, 3]), {
      name: "RangeError",
      message: "`ids[1]` must be an integer in [0, 2], got 3",
    });
    assert.throws(() => embedding(table, [0.5]), {
      name: "RangeError",
      message: "`ids[0]` must be an integer in [0, 2], got 0.5",
    });
    assert.throws(() => embedding(table, [0, 1, 2], [2, 2]), {
      name: "RangeError",
      message: "`shape` [2, 2] must hold the 3 entries of `ids`",
    });
  });
});

Deno.test("embedding() gradients add up over repeated ids", async (t) => {
  await t.step("row 1 used three times, row 3 never", () => {
    const table = parameter([4, 3], 1);
    const y = embedding(table, [1, 0, 1, 1]);
    y.backward(new Float64Array(12).fill(1));
    assert.deepEqual([...table.grad!], [1, 1, 1, 3, 3, 3, 0, 0, 0, 0, 0, 0]);
  });
  await t.step("finite differences", () => {
    assertGradients(([t]) => embedding(t!, [1, 4, 1, 1, 0, 4], [2, 3]), [parameter([5, 3], 2)]);
  });
  await t.step("the ids are copied: changing them later does not change the backward pass", () => {
    const table = parameter([3, 1], 3);
    const ids = [0, 0];
    const y = embedding(table, ids);
    ids[0] = 2;
    y.backward([1, 1]);
    assert.deepEqual([...table.grad!], [2, 0, 0]);
  });
});
