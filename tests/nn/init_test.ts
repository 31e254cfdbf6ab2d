import assert from "node:assert/strict";
import { seededRandom } from "../../lib/math/random.ts";
import { randomNormal } from "../../lib/nn/mod.ts";

Deno.test("randomNormal() is repeatable from its seed", () => {
  const a = randomNormal([3, 5], seededRandom(4), { dtype: "float64" });
  const b = randomNormal([3, 5], seededRandom(4), { dtype: "float64" });
  const c = randomNormal([3, 5], seededRandom(5), { dtype: "float64" });
  assert.deepEqual(a.data, b.data);
  assert.notDeepEqual(a.data, c.data);
  assert.equal(a.requiresGrad, false);
});

Deno.test("randomNormal() has the requested mean and standard deviation", () => {
  // 200,000 draws: the sample mean has standard error σ/√n ≈ 0.00067 for σ = 0.3, and the
  // sample standard deviation σ/√(2n) ≈ 0.00047; 5 standard errors either way.
  const n = 200_000;
  const x = [...randomNormal([n], seededRandom(11), { std: 0.3, dtype: "float64" }).data];
  const mean = x.reduce((s, v) => s + v, 0) / n;
  const std = Math.sqrt(x.reduce((s, v) => s + (v - mean) ** 2, 0) / n);
  assert.ok(Math.abs(mean) < 5 * 0.3 / Math.sqrt(n), `mean ${mean}`);
  assert.ok(Math.abs(std - 0.3) < 5 * 0.3 / Math.sqrt(2 * n), `std ${std}`);
  // About 68.3% within one σ.
  const inside = x.reduce((s, v) => s + (Math.abs(v) < 0.3 ? 1 : 0), 0) / n;
  assert.ok(Math.abs(inside - 0.6827) < 0.005, `within 1σ: ${inside}`);
});

Deno.test("randomNormal() checks its arguments", () => {
  assert.throws(() => randomNormal([2], seededRandom(1), { std: -1 }), {
    name: "RangeError",
    message: "`std` must be a finite number >= 0, got -1",
  });
  assert.throws(() => randomNormal([2], () => 1), {
    name: "RangeError",
    message: "`random()` must return a number in [0, 1), got 1",
  });
  assert.ok([...randomNormal([3], seededRandom(1), { std: 0 }).data].every((v) => v === 0));
});
