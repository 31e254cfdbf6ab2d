import assert from "node:assert/strict";
import { gelu, relu, tanh, tensor } from "../../lib/nn/mod.ts";
import { assertClose } from "../_helpers.ts";
import { assertGradients, parameter } from "./_gradients.ts";

const x = Object.freeze([-3, -0.5, 0, 0.5, 3]);

Deno.test("tanh(), relu() and gelu() give known values", async (t) => {
  await t.step("tanh is Math.tanh", () => {
    assert.deepEqual([...tanh(tensor(x, [5], { dtype: "float64" })).data], x.map(Math.tanh));
  });
  await t.step("relu keeps positives", () => {
    assert.deepEqual([...relu(tensor(x, [5], { dtype: "float64" })).data], [0, 0, 0, 0.5, 3]);
  });
  await t.step("gelu: the tanh form (GPT-2), e.g. gelu(1) = 0.841191990607…", () => {
    // ½ · 1 · (1 + tanh(√(2/π) · 1.044715)), computed independently with Python's math module.
    assertClose(gelu(tensor([1], [1], { dtype: "float64" })).data[0]!, 0.8411919906082768, 1e-15);
    assertClose(
      gelu(tensor([-1], [1], { dtype: "float64" })).data[0]!,
      -0.15880800939172324,
      1e-15,
    );
  });
});

Deno.test("activation gradients match finite differences", async (t) => {
  await t.step("tanh", () => assertGradients(([v]) => tanh(v!), [parameter([4, 5], 1, 2)]));
  await t.step("gelu", () => assertGradients(([v]) => gelu(v!), [parameter([4, 5], 2, 2)]));
  await t.step("relu, inputs away from the kink at 0", () => {
    const v = tensor([-2, -0.5, 0.25, 1.5], [4], { dtype: "float64", requiresGrad: true });
    assertGradients(([u]) => relu(u!), [v]);
  });
});
