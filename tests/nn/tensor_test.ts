import assert from "node:assert/strict";
import { add, mul, opResult, tanh, Tensor, tensor, zeroGrad, zeros } from "../../lib/nn/mod.ts";
import { assertGradients, parameter } from "./_gradients.ts";

Deno.test("tensor() copies its values into the chosen dtype", async (t) => {
  await t.step("float32 by default, rounding each entry", () => {
    const values = Object.freeze([0.1, 2, 3]);
    const x = tensor(values);
    assert.equal(x.dtype, "float32");
    assert.deepEqual(x.shape, [3]);
    assert.equal(x.data[0], Math.fround(0.1));
    assert.deepEqual(values, [0.1, 2, 3]);
  });
  await t.step("float64 keeps every bit; [] is a scalar", () => {
    const x = tensor([0.1], [], { dtype: "float64" });
    assert.equal(x.item(), 0.1);
    assert.deepEqual(x.shape, []);
  });
  await t.step("the data is a copy", () => {
    const values = [1, 2];
    const x = tensor(values);
    values[0] = 5;
    assert.equal(x.data[0], 1);
  });
  await t.step("bad input says what is wrong", () => {
    assert.throws(() => tensor([1, 2, 3], [2, 2]), {
      name: "RangeError",
      message: "`shape` [2, 2] holds 4 entries but `values` has 3",
    });
    assert.throws(() => tensor([1, "2" as unknown as number]), {
      name: "TypeError",
      message: '`values[1]` must be a number, got "2"',
    });
    assert.throws(() => zeros([2, -1]), {
      name: "RangeError",
      message: "`shape` must hold integers >= 0, got [2, -1]",
    });
    assert.throws(() => tensor([1], [1], { dtype: "int8" as "float32" }), {
      name: "RangeError",
      message: '`dtype` must be "float32" or "float64", got "int8"',
    });
  });
});

Deno.test("Tensor.item() needs exactly one entry", () => {
  assert.throws(() => zeros([2]).item(), {
    name: "RangeError",
    message: "`item()` needs a tensor with one entry, got shape [2]",
  });
});

Deno.test("Tensor.backward() applies the chain rule through a shared input", async (t) => {
  await t.step("y = tanh(x)² + tanh(x): dy/dx = (2 tanh x + 1)(1 − tanh² x)", () => {
    const x = tensor([0.3, -1.2], [2], { dtype: "float64", requiresGrad: true });
    const z = tanh(x);
    add(mul(z, z), z).backward([1, 1]);
    const expected = [0.3, -1.2].map((v) => (2 * Math.tanh(v) + 1) * (1 - Math.tanh(v) ** 2));
    assert.ok(Math.abs(x.grad![0]! - expected[0]!) < 1e-15);
    assert.ok(Math.abs(x.grad![1]! - expected[1]!) < 1e-15);
  });
  await t.step("agrees with finite differences", () => {
    assertGradients(([x]) => {
      const z = tanh(x!);
      return add(mul(z, z), z);
    }, [parameter([3, 2], 1)]);
  });
  await t.step("leaves accumulate until zeroGrad()", () => {
    const w = tensor([2], [], { dtype: "float64", requiresGrad: true });
    mul(w, w).backward();
    mul(w, w).backward();
    assert.deepEqual([...w.grad!], [8]);
    zeroGrad([w]);
    assert.deepEqual([...w.grad!], [0]);
  });
  await t.step("refuses what it cannot do", () => {
    assert.throws(() => tensor([1]).backward(), {
      name: "RangeError",
      message:
        "`backward()` needs a tensor computed from at least one tensor with `requiresGrad: true`",
    });
    const x = tensor([1, 2], [2], { requiresGrad: true });
    assert.throws(() => tanh(x).backward(), {
      name: "RangeError",
      message:
        "`seed` is needed for a tensor of 2 entries (shape [2]); a loss should be one number",
    });
    assert.throws(() => tanh(x).backward([1]), {
      name: "RangeError",
      message: "`seed` must have 2 entries, got 1",
    });
  });
});

Deno.test("opResult() builds no graph when no input needs a gradient", () => {
  const constant = add(tensor([1]), tensor([2]));
  assert.equal(constant.requiresGrad, false);
  assert.deepEqual(constant.inputs, []);
  const tracked = add(tensor([1], [1], { requiresGrad: true }), tensor([2]));
  assert.equal(tracked.requiresGrad, true);
  assert.equal(tracked.op, "add");
  assert.equal(tracked.inputs.length, 2);
  const custom = opResult(new Float32Array(1), [1], "custom", [], () => {});
  assert.ok(custom instanceof Tensor && !custom.requiresGrad);
});

Deno.test("ops refuse tensors of different dtypes", () => {
  assert.throws(() => add(tensor([1]), tensor([1], [1], { dtype: "float64" })), {
    name: "TypeError",
    message: "`b` of add() must have dtype float32 like `a`, got float64",
  });
  assert.throws(() => add(tensor([1]), [1] as unknown as Tensor), {
    name: "TypeError",
    message: "`b` of add() must be a Tensor, got [1]",
  });
});
