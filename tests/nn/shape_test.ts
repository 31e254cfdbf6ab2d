import assert from "node:assert/strict";
import { concat, reshape, tanh, tensor } from "../../lib/nn/mod.ts";
import { assertGradients, parameter } from "./_gradients.ts";

Deno.test("reshape() reads the same entries with another shape", async (t) => {
  const x = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
  await t.step("-1 is inferred; the data is shared", () => {
    const y = reshape(x, [-1, 2]);
    assert.deepEqual(y.shape, [3, 2]);
    assert.equal(y.data, x.data);
  });
  await t.step("sizes must match", () => {
    assert.throws(() => reshape(x, [4, -1]), {
      name: "RangeError",
      message: "`shape` [4, -1] must hold the 6 entries of shape [2, 3]",
    });
    assert.throws(() => reshape(x, [-1, -1]), {
      name: "RangeError",
      message: "`shape` may have one -1, got [-1, -1]",
    });
  });
  await t.step("finite differences (through tanh, so the data matters)", () => {
    assertGradients(([v]) => tanh(reshape(v!, [3, -1])), [parameter([2, 6], 1)]);
  });
});

Deno.test("concat() joins along an axis", async (t) => {
  const a = tensor([1, 2, 3, 4], [2, 2]);
  const b = tensor([5, 6], [2, 1]);
  await t.step("last axis", () => {
    const y = concat([a, b]);
    assert.deepEqual(y.shape, [2, 3]);
    assert.deepEqual([...y.data], [1, 2, 5, 3, 4, 6]);
  });
  await t.step("first axis", () => {
    const y = concat([a, tensor([7, 8], [1, 2])], 0);
    assert.deepEqual(y.shape, [3, 2]);
    assert.deepEqual([...y.data], [1, 2, 3, 4, 7, 8]);
  });
  await t.step("the same as reshaping (B, n, E) to (B, n·E)", () => {
    const x = parameter([2, 3, 4], 1);
    const parts = [0, 1, 2].map((j) =>
      tensor(
        [0, 1].flatMap((r) => [...x.data.subarray(r * 12 + j * 4, r * 12 + j * 4 + 4)]),
        [2, 4],
        { dtype: "float64" },
      )
    );
    assert.deepEqual(concat(parts).data, reshape(x, [2, 12]).data);
  });
  await t.step("mismatched shapes are named", () => {
    assert.throws(() => concat([a, tensor([1, 2, 3], [3, 1])]), {
      name: "RangeError",
      message: "`tensors[1]` has shape [3, 1], which does not match [2, 2] outside axis 1",
    });
    assert.throws(() => concat([a], 2), {
      name: "RangeError",
      message: "`axis` must be an integer in [-2, 1], got 2",
    });
    assert.throws(() => concat([]), { name: "RangeError" });
  });
  await t.step("finite differences on axes 0, 1 and -1", () => {
    assertGradients(([x, y]) => concat([x!, y!], 0), [parameter([2, 3], 1), parameter([1, 3], 2)]);
    assertGradients(([x, y]) => concat([x!, y!], 1), [
      parameter([2, 1, 3], 3),
      parameter([2, 2, 3], 4),
    ]);
    assertGradients(([x, y]) => concat([x!, y!]), [
      parameter([2, 2, 3], 5),
      parameter([2, 2, 1], 6),
    ]);
  });
});
