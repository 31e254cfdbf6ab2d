import assert from "node:assert/strict";
import { crossEntropyFromLogits } from "../../lib/math/information.ts";
import { softmax } from "../../lib/math/softmax.ts";
import { softmaxCrossEntropy, tensor } from "../../lib/nn/mod.ts";
import { assertClose } from "../_helpers.ts";
import { assertGradients, parameter } from "./_gradients.ts";

const f64 = { dtype: "float64" as const, requiresGrad: true };

Deno.test("softmaxCrossEntropy() is the mean of lib's crossEntropyFromLogits over rows", () => {
  const logits = parameter([4, 6], 1, 3);
  const targets = Object.freeze([0, 5, 2, 2]);
  const rows = [0, 1, 2, 3].map((r) =>
    crossEntropyFromLogits([...logits.data.subarray(r * 6, r * 6 + 6)], targets[r]!)
  );
  assertClose(softmaxCrossEntropy(logits, targets).item(), rows.reduce((s, v) => s + v) / 4, 1e-14);
  assert.deepEqual(targets, [0, 5, 2, 2]);
});

Deno.test("softmaxCrossEntropy() stays finite on extreme logits", async (t) => {
  await t.step("[-1000, 1000]: the naive log(softmax) gives Infinity, this gives 2000", () => {
    const naive = -Math.log(softmax([-1000, 1000])[0]!);
    assert.equal(naive, Infinity);
    assert.equal(softmaxCrossEntropy(tensor([-1000, 1000], [1, 2], f64), [0]).item(), 2000);
  });
  await t.step("[1000, 1000]: ln 2 (to the rounding of 1000 + ln 2)", () => {
    assertClose(
      softmaxCrossEntropy(tensor([1000, 1000], [1, 2], f64), [1]).item(),
      Math.LN2,
      1e-12,
    );
  });
  await t.step("a -Infinity logit masks its class", () => {
    const loss = softmaxCrossEntropy(tensor([-Infinity, 0, 0], [1, 3], f64), [1]);
    assert.equal(loss.item(), Math.LN2);
    assert.equal(softmaxCrossEntropy(tensor([-Infinity, 0], [1, 2], f64), [0]).item(), Infinity);
  });
});

Deno.test("softmaxCrossEntropy() ignores rows with target -1", () => {
  const logits = tensor([0, 0, 5, 1], [2, 2], f64);
  const loss = softmaxCrossEntropy(logits, [-1, 0]);
  assertClose(loss.item(), crossEntropyFromLogits([5, 1], 0), 1e-15);
  loss.backward();
  assert.deepEqual([...logits.grad!.subarray(0, 2)], [0, 0]);
});

Deno.test("softmaxCrossEntropy() gradient is softmax minus one-hot, over N", () => {
  const logits = tensor([1, 2, 3, 0, 0, 0], [2, 3], f64);
  softmaxCrossEntropy(logits, [2, 0]).backward();
  const p = softmax([1, 2, 3]);
  const expected = [p[0]! / 2, p[1]! / 2, (p[2]! - 1) / 2, 1 / 6 - 1 / 2, 1 / 6, 1 / 6];
  assertClose(logits.grad!, expected, 1e-15);
});

Deno.test("softmaxCrossEntropy() gradients match finite differences", async (t) => {
  await t.step("ordinary logits, one ignored row", () => {
    assertGradients(([x]) => softmaxCrossEntropy(x!, [0, 5, -1, 2]), [parameter([4, 6], 2)]);
  });
  await t.step("extreme and masked logits", () => {
    const x = tensor([1000, -1000, 0, -Infinity, 3, 2.5, 500, 499, -Infinity], [3, 3], f64);
    assertGradients(([v]) => softmaxCrossEntropy(v!, [0, 2, 1]), [x]);
  });
});

Deno.test("softmaxCrossEntropy() names bad input", () => {
  const x = tensor([0, 0, 0, 0], [2, 2], f64);
  assert.throws(() => softmaxCrossEntropy(x, [0]), {
    name: "RangeError",
    message: "`targets` must have one entry per row of `logits` (2), got 1",
  });
  assert.throws(() => softmaxCrossEntropy(x, [0, 2]), {
    name: "RangeError",
    message: "`targets[1]` must be -1 or an integer in [0, 1], got 2",
  });
  assert.throws(() => softmaxCrossEntropy(x, [-1, -1]), {
    name: "RangeError",
    message: "`targets` must keep at least one row (not all -1)",
  });
  assert.throws(() => softmaxCrossEntropy(tensor([0, NaN], [1, 2], f64), [0]), {
    name: "RangeError",
    message: "`logits` row 0: `values[1]` must be finite or -Infinity, got NaN",
  });
  assert.throws(() => softmaxCrossEntropy(tensor([-Infinity, -Infinity], [1, 2], f64), [0]), {
    name: "RangeError",
    message: "`logits` row 0 must have a logit above -Infinity",
  });
  assert.throws(() => softmaxCrossEntropy(tensor([1, 2], [2], f64), [0, 0]), {
    name: "RangeError",
    message: "`logits` must have shape (N, C), got [2]",
  });
});
