import assert from "node:assert/strict";
import fc from "fast-check";
import { layerNorm, tensor } from "../../lib/nn/mod.ts";
import { assertGradients, parameter } from "./_gradients.ts";

const ones = (c: number) => tensor(new Array(c).fill(1), [c], { dtype: "float64" });
const zerosOf = (c: number) => tensor(new Array(c).fill(0), [c], { dtype: "float64" });

Deno.test("layerNorm() gives each row mean 0 and variance 1 (γ = 1, β = 0, ε = 0)", () => {
  fc.assert(
    fc.property(
      fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: 2, maxLength: 12 })
        .filter((row) => Math.max(...row) - Math.min(...row) > 1e-3),
      (row) => {
        const x = tensor(row, [1, row.length], { dtype: "float64" });
        const y = [...layerNorm(x, ones(row.length), zerosOf(row.length), 0).data];
        const mean = y.reduce((s, v) => s + v, 0) / y.length;
        const variance = y.reduce((s, v) => s + (v - mean) ** 2, 0) / y.length;
        return Math.abs(mean) < 1e-9 && Math.abs(variance - 1) < 1e-9;
      },
    ),
  );
});

Deno.test("layerNorm() applies gain and bias per column", () => {
  const x = tensor([1, 3], [1, 2], { dtype: "float64" });
  const gain = tensor([2, 10], [2], { dtype: "float64" });
  const bias = tensor([5, 0], [2], { dtype: "float64" });
  assert.deepEqual([...layerNorm(x, gain, bias, 0).data], [2 * -1 + 5, 10 * 1]);
});

Deno.test("layerNorm() checks its arguments", () => {
  assert.throws(() => layerNorm(parameter([2, 3], 1), ones(2), zerosOf(3)), {
    name: "RangeError",
    message: "`gain` must have shape [3] (the last axis of `x`), got [2]",
  });
  assert.throws(() => layerNorm(parameter([2, 3], 1), ones(3), zerosOf(3), -1), {
    name: "RangeError",
    message: "`epsilon` must be a finite number >= 0, got -1",
  });
});

Deno.test("layerNorm() gradients match finite differences for x, gain and bias", async (t) => {
  await t.step("(3, 5)", () => {
    assertGradients(([x, g, b]) => layerNorm(x!, g!, b!), [
      parameter([3, 5], 1),
      parameter([5], 2),
      parameter([5], 3),
    ]);
  });
  await t.step("(2, 2, 4), large values", () => {
    assertGradients(([x, g, b]) => layerNorm(x!, g!, b!), [
      parameter([2, 2, 4], 4, 50),
      parameter([4], 5),
      parameter([4], 6),
    ]);
  });
});
