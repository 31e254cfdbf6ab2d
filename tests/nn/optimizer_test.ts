import assert from "node:assert/strict";
import { AdamW, clipGradientNorm, tensor, warmupCosine } from "../../lib/nn/mod.ts";
import { assertClose } from "../_helpers.ts";

const f64 = { dtype: "float64" as const, requiresGrad: true };

Deno.test("AdamW.step() follows the update rule by hand", () => {
  const w = tensor([1, -2], [2], f64);
  const optimizer = new AdamW([w], { learningRate: 0.1, beta1: 0.9, beta2: 0.99, epsilon: 1e-8 });
  // Step 1 with g = [0.5, -4]: m = 0.1 g, v = 0.01 g², m̂ = g, v̂ = g²: a step of η · sign(g).
  w.grad = new Float64Array([0.5, -4]);
  optimizer.step();
  assertClose(w.data, [1 - 0.1 * 0.5 / (0.5 + 1e-8), -2 + 0.1 * 4 / (4 + 1e-8)], 1e-15);
  // Step 2 with g = [1, 0]: m = [0.9·0.05 + 0.1, 0.9·(−0.4)], v = [0.99·0.0025 + 0.01, 0.99·0.16].
  w.grad = new Float64Array([1, 0]);
  const before = [...w.data];
  optimizer.step();
  const m = [0.9 * 0.05 + 0.1, 0.9 * -0.4];
  const v = [0.99 * 0.0025 + 0.01, 0.99 * 0.16];
  const expected = before.map((x, i) =>
    x - 0.1 * (m[i]! / (1 - 0.81)) / (Math.sqrt(v[i]! / (1 - 0.9801)) + 1e-8)
  );
  assertClose(w.data, expected, 1e-12);
  assert.equal(optimizer.stepCount, 2);
});

Deno.test("AdamW weight decay shrinks matrices only", () => {
  const matrix = tensor([1, 1, 1, 1], [2, 2], f64);
  const bias = tensor([1, 1], [2], f64);
  const optimizer = new AdamW([matrix, bias], { learningRate: 0.1, weightDecay: 0.5 });
  optimizer.step(); // no gradients: only the decay moves anything
  assert.deepEqual([...matrix.data], [0.95, 0.95, 0.95, 0.95]);
  assert.deepEqual([...bias.data], [1, 1]);
});

Deno.test("AdamW checks its options", () => {
  const w = tensor([1], [1], f64);
  assert.throws(() => new AdamW([w], { beta1: 1 }), {
    name: "RangeError",
    message: "`beta1` must be in [0, 1), got 1",
  });
  assert.throws(() => new AdamW([w], { learningRate: 0 }), {
    name: "RangeError",
    message: "`learningRate` must be a finite number > 0, got 0",
  });
  assert.throws(() => new AdamW([tensor([1])]), {
    name: "RangeError",
    message: "`parameters[0]` must have `requiresGrad: true`",
  });
});

Deno.test("clipGradientNorm() rescales only above the limit", () => {
  const a = tensor([0, 0], [2], f64);
  const b = tensor([0], [1], f64);
  a.grad = new Float64Array([3, 0]);
  b.grad = new Float64Array([4]);
  assert.equal(clipGradientNorm([a, b], 10), 5);
  assert.deepEqual([...a.grad, ...b.grad], [3, 0, 4]);
  assert.equal(clipGradientNorm([a, b], 2.5), 5);
  assert.deepEqual([...a.grad, ...b.grad], [1.5, 0, 2]);
});

Deno.test("warmupCosine() rises linearly, then decays to the final fraction", () => {
  const options = { peak: 2, warmupSteps: 4, totalSteps: 104, finalFraction: 0.1 };
  assert.deepEqual([0, 1, 2, 3].map((s) => warmupCosine(s, options)), [0.5, 1, 1.5, 2]);
  assert.equal(warmupCosine(54, options), 2 * (0.1 + 0.9 * 0.5)); // halfway: cos(π/2) = 0
  assert.equal(warmupCosine(104, options), 0.2);
  assert.equal(warmupCosine(500, options), 0.2);
  let previous = Infinity;
  for (let s = 4; s <= 104; s++) {
    const rate = warmupCosine(s, options);
    assert.ok(rate <= previous);
    previous = rate;
  }
  assert.throws(() => warmupCosine(-1, options), {
    name: "RangeError",
    message: "`step` must be an integer >= 0, got -1",
  });
});
