import assert from "node:assert/strict";
import { seededRandom } from "../../lib/math/random.ts";
import { softmax } from "../../lib/math/softmax.ts";
import {
  ATTENTION_PARAMETER_NAMES,
  type AttentionParameters,
  causalMask,
  causalSelfAttention,
  randomNormal,
  rowSoftmax,
  type Tensor,
  tensor,
} from "../../lib/nn/mod.ts";
import { assertClose } from "../_helpers.ts";
import { assertGradients, parameter } from "./_gradients.ts";

/** Float64 attention weights for C = 4 with a fixed seed, in the order of the names. */
function attentionParameters(c: number, seed: number): Tensor[] {
  return ATTENTION_PARAMETER_NAMES.map((name, i) =>
    parameter(name.endsWith("Bias") ? [c] : [c, c], seed * 100 + i, 0.5)
  );
}

function named(list: Tensor[]): AttentionParameters {
  return Object.fromEntries(
    ATTENTION_PARAMETER_NAMES.map((name, i) => [name, list[i]!]),
  ) as unknown as AttentionParameters;
}

Deno.test("causalMask() hides every later position with -Infinity", () => {
  const scores = parameter([2, 3, 3], 1);
  const masked = causalMask(scores);
  for (let m = 0; m < 2; m++) {
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const at = (m * 3 + i) * 3 + j;
        assert.equal(masked.data[at], j <= i ? scores.data[at] : -Infinity);
      }
    }
  }
  assert.throws(() => causalMask(parameter([2, 3], 2)), {
    name: "RangeError",
    message: "causalMask() needs `scores` of shape (..., T, T), got [2, 3]",
  });
});

Deno.test("rowSoftmax() is lib's softmax on every row", () => {
  const x = parameter([3, 5], 3, 3);
  const y = rowSoftmax(x);
  for (let r = 0; r < 3; r++) {
    // softmaxInto (the fast exp path) agrees with softmax() to an ulp or two.
    assertClose(
      y.data.subarray(r * 5, r * 5 + 5),
      softmax(x.data.subarray(r * 5, r * 5 + 5)),
      1e-15,
    );
  }
  const masked = rowSoftmax(causalMask(parameter([3, 3], 4)));
  assert.deepEqual([masked.data[1], masked.data[2], masked.data[5]], [0, 0, 0]);
  assert.equal(masked.data[0], 1); // the first position can only read itself
  assert.throws(() => rowSoftmax(tensor([-Infinity, -Infinity], [1, 2])), {
    name: "RangeError",
    message: /^`x` row 0: /,
  });
});

Deno.test("causalMask() and rowSoftmax() gradients match finite differences", async (t) => {
  await t.step("causalMask, (2, 4, 4)", () => {
    assertGradients(([x]) => causalMask(x!), [parameter([2, 4, 4], 5)]);
  });
  await t.step("rowSoftmax, (3, 6), large scores", () => {
    assertGradients(([x]) => rowSoftmax(x!), [parameter([3, 6], 6, 4)]);
  });
  await t.step("rowSoftmax after causalMask, (2, 5, 5): masked entries get gradient 0", () => {
    const x = parameter([2, 5, 5], 7);
    assertGradients(([s]) => rowSoftmax(causalMask(s!)), [x]);
    for (let m = 0; m < 2; m++) {
      for (let i = 0; i < 5; i++) {
        for (let j = i + 1; j < 5; j++) assert.equal(x.grad![(m * 5 + i) * 5 + j], 0);
      }
    }
  });
});

Deno.test("causalSelfAttention() matches a step-by-step computation", () => {
  const c = 4;
  const heads = 2;
  const d = c / heads;
  const list = attentionParameters(c, 1);
  const p = named(list);
  const x = parameter([1, 3, c], 2);
  const { output, weights } = causalSelfAttention(x, p, heads);
  // By hand: project, split, score, mask, softmax, mix, merge, project.
  const project = (w: Tensor, b: Tensor, row: ArrayLike<number>) =>
    Array.from(
      { length: c },
      (_, j) => b.data[j]! + Array.from(row).reduce((s, v, k) => s + v * w.data[k * c + j]!, 0),
    );
  const rows = [0, 1, 2].map((i) => x.data.subarray(i * c, (i + 1) * c));
  const q = rows.map((r) => project(p.queryWeights, p.queryBias, r));
  const k = rows.map((r) => project(p.keyWeights, p.keyBias, r));
  const v = rows.map((r) => project(p.valueWeights, p.valueBias, r));
  const merged = rows.map(() => new Array<number>(c).fill(0));
  for (let h = 0; h < heads; h++) {
    for (let i = 0; i < 3; i++) {
      const scores = [0, 1, 2].map((j) => {
        if (j > i) return -Infinity;
        let s = 0;
        for (let e = 0; e < d; e++) s += q[i]![h * d + e]! * k[j]![h * d + e]!;
        return s / Math.sqrt(d);
      });
      const a = softmax(scores);
      assertClose(weights.data.subarray((h * 3 + i) * 3, (h * 3 + i + 1) * 3), a, 1e-12);
      for (let e = 0; e < d; e++) {
        merged[i]![h * d + e] = [0, 1, 2].reduce((s, j) => s + a[j]! * v[j]![h * d + e]!, 0);
      }
    }
  }
  const expected = merged.flatMap((r) => project(p.outputWeights, p.outputBias, r));
  assertClose(output.data, expected, 1e-12);
});

Deno.test("causalSelfAttention() gradients match finite differences for x and every weight", () => {
  const list = attentionParameters(4, 3);
  assertGradients(
    ([x, ...weights]) => causalSelfAttention(x!, named(weights), 2).output,
    [parameter([2, 3, 4], 4), ...list],
  );
});

Deno.test("causalSelfAttention(): changing a later input never changes an earlier output", () => {
  const random = seededRandom(5);
  const p = named(
    ATTENTION_PARAMETER_NAMES.map((name) =>
      randomNormal(name.endsWith("Bias") ? [8] : [8, 8], random, { dtype: "float64" })
    ),
  );
  const x = randomNormal([1, 6, 8], random, { dtype: "float64" });
  const before = causalSelfAttention(x, p, 4).output.data;
  for (let position = 1; position < 6; position++) {
    const changed = tensor(x.data, [1, 6, 8], { dtype: "float64" });
    for (let e = 0; e < 8; e++) changed.data[position * 8 + e]! += 10;
    const after = causalSelfAttention(changed, p, 4).output.data;
    assert.deepEqual(after.subarray(0, position * 8), before.subarray(0, position * 8));
    assert.notDeepEqual(
      after.subarray(position * 8, position * 8 + 8),
      before.subarray(position * 8, position * 8 + 8),
    );
  }
});

Deno.test("causalSelfAttention() checks its arguments", () => {
  const p = named(attentionParameters(4, 1));
  assert.throws(() => causalSelfAttention(parameter([3, 4], 1), p, 2), {
    name: "RangeError",
    message: "`x` must have shape (B, T, C), got [3, 4]",
  });
  assert.throws(() => causalSelfAttention(parameter([1, 3, 4], 1), p, 3), {
    name: "RangeError",
    message: "`heads` must be an integer >= 1 that divides C = 4, got 3",
  });
});
