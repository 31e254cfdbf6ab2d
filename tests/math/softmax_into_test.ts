import assert from "node:assert/strict";
import fc from "fast-check";
import { softmax, softmaxInto } from "../../lib/mod.ts";

/** Logits as the teaching tests use them, plus masked entries and extreme magnitudes. */
const logits = fc.array(
  fc.oneof(
    fc.double({ min: -50, max: 50, noNaN: true }),
    fc.double({ min: -1e308, max: 1e308, noNaN: true }),
    fc.constant(-Infinity),
  ),
  { minLength: 1, maxLength: 30 },
).filter((x) => x.some((v) => v > -Infinity));
const temperature = fc.oneof(
  fc.double({ min: 0.01, max: 100, noNaN: true }),
  fc.double({ min: 0, max: Number.MAX_VALUE, noNaN: true }),
  fc.constantFrom(0, Number.MIN_VALUE, 1e-300, 1, Infinity),
);

/**
 * softmaxInto's stated bound against softmax(): |fast − reference| <= (2n + 6)·2^−53·reference
 * + 2·Number.MIN_VALUE, entry by entry.
 */
function assertWithinBound(actual: Float64Array, expected: Float64Array, what = ""): void {
  assert.equal(actual.length, expected.length);
  const n = expected.length;
  expected.forEach((p, i) => {
    const bound = (2 * n + 6) * 2 ** -53 * p + 2 * Number.MIN_VALUE;
    assert.ok(Math.abs(actual[i]! - p) <= bound, `${what} [${i}]: ${actual[i]} vs ${p}`);
  });
}

/** The error softmax() throws for these arguments, or undefined. */
function errorOf(run: () => unknown): Error | undefined {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  return undefined;
}

Deno.test("softmaxInto() is softmax() within its stated bound", async (t) => {
  await t.step("on random logits and temperatures (fast-check)", () => {
    fc.assert(
      fc.property(logits, temperature, (x, T) => {
        const out = new Float64Array(x.length);
        assert.equal(softmaxInto(out, x, T), out);
        assertWithinBound(out, softmax(x, T), `T = ${T}`);
      }),
      { numRuns: 2000 },
    );
  });
  await t.step("on a GPT-2-sized vocabulary (50,257 logits, T = 0.7)", () => {
    const x = Float64Array.from({ length: 50_257 }, (_, i) => 8 * Math.sin(i * 12.9898));
    const out = softmaxInto(new Float64Array(x.length), x, 0.7);
    const expected = softmax(x, 0.7);
    assertWithinBound(out, expected);
    // In practice far inside the bound (about 1.1e-11 here).
    expected.forEach((p, i) => assert.ok(Math.abs(out[i]! - p) <= 1e-13 * p, `[${i}]`));
  });
  await t.step("T = 0 and T = Infinity are softmax() exactly", () => {
    for (const T of [0, Infinity]) {
      const x = [1, 3, 3, -Infinity];
      assert.deepEqual(softmaxInto(new Float64Array(4), x, T), softmax(x, T));
    }
  });
  await t.step("edge values of the teaching tests", () => {
    for (
      const [x, T] of [
        [[1000, 1000], 1],
        [[-1000, 1000], 1],
        [[-1e308, 1e308], 1],
        [[-1e308, 1e308], 1e308],
        [
          [1, 2, 1.5],
          1e-300,
        ],
        [[1, 3, 3], 0],
        [[-Infinity, 2, 5], Infinity],
        [[-Infinity, 0], 1],
      ] as const
    ) {
      assertWithinBound(softmaxInto(new Float64Array(x.length), x, T), softmax(x, T), `${x} ${T}`);
    }
  });
  await t.step("typed arrays give what plain arrays give", () => {
    const x = [0.5, -2, 7, 7, -Infinity, 3];
    const expected = softmaxInto(new Float64Array(6), x, 0.9);
    assert.deepEqual(softmaxInto(new Float64Array(6), Float64Array.from(x), 0.9), expected);
    assert.deepEqual(softmaxInto(new Float64Array(6), Float32Array.from(x), 0.9), expected);
  });
  await t.step("the bound can fail: Math.exp(z) · (1 + 1e-14) is outside it", () => {
    const x = [0.25, -1, 2];
    const wrong = softmax(x).map((p) => p * (1 + 1e-14));
    assert.throws(() => assertWithinBound(wrong, softmax(x)));
  });
});

Deno.test("softmaxInto() works in place and leaves its input alone", async (t) => {
  await t.step("out may be the logits array", () => {
    const x = new Float64Array([2, 1, 3]);
    const expected = softmax(x, 0.5);
    assert.deepEqual(softmaxInto(x, x, 0.5), expected);
  });
  await t.step("a frozen input is read, not written", () => {
    const x = Object.freeze([3, 1, 2]);
    softmaxInto(new Float64Array(3), x);
    assert.deepEqual(x, [3, 1, 2]);
  });
});

Deno.test("softmaxInto() rejects bad input with softmax()'s messages", async (t) => {
  const bad: [unknown, unknown][] = [
    [[], 1],
    [[1, NaN], 1],
    [[1, Infinity], 1],
    [[-Infinity, -Infinity], 1],
    [[1, "2"], 1],
    [[1, 2], -1],
    [[1, 2], NaN],
    [[1, 2], "1"],
  ];
  for (const [x, T] of bad) {
    await t.step(`[${(x as unknown[]).map(String).join(", ")}] at T = ${String(T)}`, () => {
      const expected = errorOf(() => softmax(x as number[], T as number));
      assert.ok(expected !== undefined);
      const actual = errorOf(() =>
        softmaxInto(new Float64Array((x as number[]).length), x as number[], T as number)
      );
      assert.ok(actual !== undefined, "softmaxInto() did not throw");
      assert.equal(actual.constructor, expected.constructor);
      assert.equal(actual.message, expected.message);
    });
  }
  await t.step("typed arrays holding NaN, +Infinity or only -Infinity", () => {
    for (const x of [[1, NaN], [1, Infinity], [-Infinity, -Infinity], []]) {
      const expected = errorOf(() => softmax(x, 0.5));
      const actual = errorOf(() =>
        softmaxInto(new Float64Array(x.length), Float64Array.from(x), 0.5)
      );
      assert.equal(actual?.message, expected?.message, `${x}`);
    }
  });
  await t.step("`out` of the wrong length", () => {
    assert.throws(
      () => softmaxInto(new Float64Array(2), [1, 2, 3]),
      new RangeError("`out` must have the length of `logits` (3), got 2"),
    );
  });
  await t.step("`out` not a Float64Array", () => {
    assert.throws(
      () => softmaxInto([0, 0] as unknown as Float64Array, [1, 2]),
      new TypeError("`out` must be a Float64Array, got [object Array]"),
    );
  });
});
