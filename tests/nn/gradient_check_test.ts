import assert from "node:assert/strict";
import {
  checkGradients,
  gradOf,
  mul,
  opResult,
  softmaxCrossEntropy,
  type Tensor,
  tensor,
} from "../../lib/nn/mod.ts";
import { GRADIENT_TOLERANCE, parameter } from "./_gradients.ts";

/** sin(x) with a deliberately wrong backward rule: −sin x where cos x belongs. */
function brokenSin(x: Tensor): Tensor {
  const y = Float64Array.from(x.data, Math.sin);
  return opResult(y, x.shape, "brokenSin", [x], (grad) => {
    const g = gradOf(x);
    for (let i = 0; i < g.length; i++) g[i]! += grad[i]! * -Math.sin(x.data[i]!);
  });
}

Deno.test("checkGradients() catches a wrong backward rule", () => {
  const result = checkGradients(([x]) => brokenSin(x!), [parameter([5], 1)]);
  assert.ok(result.maxRelativeError > 0.1, `error only ${result.maxRelativeError}`);
  assert.ok(result.maxRelativeError > 1e5 * GRADIENT_TOLERANCE);
});

Deno.test("checkGradients() passes a right one, with every entry checked", () => {
  const x = parameter([2, 3], 2);
  const result = checkGradients(([a]) => mul(a!, a!), [x]);
  assert.equal(result.checked, 6);
  assert.ok(result.maxRelativeError < 1e-8);
  assert.ok(result.maxAbsoluteError < 1e-8);
});

Deno.test("checkGradients() skips masked (-Infinity) entries", () => {
  const x = tensor([-Infinity, 1, 2], [1, 3], { dtype: "float64", requiresGrad: true });
  const result = checkGradients(([a]) => softmaxCrossEntropy(a!, [1]), [x]);
  assert.equal(result.checked, 2);
});

Deno.test("checkGradients() needs float64 inputs that require grad", () => {
  assert.throws(() => checkGradients(([a]) => a!, [tensor([1], [1], { requiresGrad: true })]), {
    name: "TypeError",
    message: "`inputs[0]` must be a float64 Tensor (checks need float64)",
  });
  assert.throws(() => checkGradients(([a]) => a!, [tensor([1], [1], { dtype: "float64" })]), {
    name: "RangeError",
    message: "`inputs[0]` must have `requiresGrad: true`",
  });
});
