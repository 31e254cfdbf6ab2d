import assert from "node:assert/strict";
import { add, linear, matmul, tensor } from "../../lib/nn/mod.ts";
import { assertClose } from "../_helpers.ts";
import { assertGradients, parameter } from "./_gradients.ts";

/** The textbook triple loop, (m, k) · (k, n). */
function naive(a: ArrayLike<number>, b: ArrayLike<number>, m: number, k: number, n: number) {
  const out = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      for (let p = 0; p < k; p++) out[i * n + j]! += a[i * k + p]! * b[p * n + j]!;
    }
  }
  return out;
}

Deno.test("matmul() agrees with the triple loop", async (t) => {
  await t.step("(5, 7) · (7, 3) in float64", () => {
    const a = parameter([5, 7], 1);
    const b = parameter([7, 3], 2);
    assertClose(matmul(a, b).data, naive(a.data, b.data, 5, 7, 3), 1e-12);
  });
  await t.step("(2, 5, 7) · (7, 3): every row through the same matrix", () => {
    const a = parameter([2, 5, 7], 3);
    const b = parameter([7, 3], 4);
    const c = matmul(a, b);
    assert.deepEqual(c.shape, [2, 5, 3]);
    assertClose(c.data, naive(a.data, b.data, 10, 7, 3), 1e-12);
  });
  await t.step("(2, 5, 7) · (2, 7, 3): one product per batch", () => {
    const a = parameter([2, 5, 7], 5);
    const b = parameter([2, 7, 3], 6);
    const c = matmul(a, b);
    assert.deepEqual(c.shape, [2, 5, 3]);
    for (let i = 0; i < 2; i++) {
      const expected = naive(a.data.subarray(i * 35), b.data.subarray(i * 21), 5, 7, 3);
      assertClose(c.data.subarray(i * 15, (i + 1) * 15), expected, 1e-12);
    }
  });
  await t.step("float32 within rounding of float64", () => {
    const a64 = parameter([16, 40], 7);
    const b64 = parameter([40, 9], 8);
    const a32 = tensor(a64.data, [16, 40]);
    const b32 = tensor(b64.data, [40, 9]);
    assertClose(matmul(a32, b32).data, matmul(a64, b64).data, 1e-4);
  });
});

Deno.test("matmul() gradients match finite differences", async (t) => {
  await t.step("(4, 3) · (3, 5)", () => {
    assertGradients(([a, b]) => matmul(a!, b!), [parameter([4, 3], 1), parameter([3, 5], 2)]);
  });
  await t.step("(2, 3, 4) · (4, 5)", () => {
    assertGradients(([a, b]) => matmul(a!, b!), [parameter([2, 3, 4], 3), parameter([4, 5], 4)]);
  });
  await t.step("(2, 3, 4) · (2, 4, 5)", () => {
    assertGradients(([a, b]) => matmul(a!, b!), [parameter([2, 3, 4], 5), parameter([2, 4, 5], 6)]);
  });
});

Deno.test("matmul() names mismatched shapes", () => {
  assert.throws(() => matmul(parameter([2, 3], 1), parameter([4, 5], 2)), {
    name: "RangeError",
    message:
      "matmul() needs the last axis of `a` to match the second-to-last of `b`, got shapes [2, 3] and [4, 5]",
  });
  assert.throws(() => matmul(parameter([2, 3], 1), parameter([3], 2)), {
    name: "RangeError",
    message: "matmul() needs `b` of rank >= 2 and `a` of rank >= 1, got shapes [2, 3] and [3]",
  });
  assert.throws(() => matmul(parameter([2, 2, 3], 1), parameter([3, 3, 4], 2)), {
    name: "RangeError",
    message:
      "batched matmul() needs `a` and `b` with the same leading axes, got shapes [2, 2, 3] and [3, 3, 4]",
  });
});

Deno.test("linear() is matmul() plus a bias on every row", async (t) => {
  await t.step("the same numbers as add(matmul(x, W), b)", () => {
    const x = parameter([2, 3, 4], 1);
    const w = parameter([4, 5], 2);
    const b = parameter([5], 3);
    const y = linear(x, w, b);
    assert.deepEqual(y.shape, [2, 3, 5]);
    assertClose(y.data, add(matmul(x, w), b).data, 1e-12);
  });
  await t.step("finite differences for x, W and b", () => {
    assertGradients(([x, w, b]) => linear(x!, w!, b!), [
      parameter([2, 3, 4], 4),
      parameter([4, 5], 5),
      parameter([5], 6),
    ]);
  });
  await t.step("shapes are checked", () => {
    assert.throws(() => linear(parameter([2, 3], 1), parameter([3, 4], 2), parameter([3], 3)), {
      name: "RangeError",
      message:
        "linear() needs `x` (..., K), `weight` (K, N) and `bias` (N), got shapes [2, 3], [3, 4] and [3]",
    });
  });
});
