import assert from "node:assert/strict";
import fc from "fast-check";
import { gemm, type GemmOptions, gemmReference, useGemmThreads } from "../../lib/nn/kernels.ts";
import { seededRandom } from "../../lib/math/random.ts";
import { gemmWasm } from "../../lib/nn/wasm/gemm_wasm.ts";
import { fastExpWasm } from "../../lib/math/_fast_exp_wasm.ts";
import { buildAll, staleFiles } from "../../tools/build_wasm.ts";

/** A Float32Array of `length` numbers in [−1, 1) from `seed`. */
function randomMatrix(length: number, seed: number): Float32Array {
  const random = seededRandom(seed);
  return Float32Array.from({ length }, () => 2 * random() - 1);
}

/**
 * Asserts gemm's stated bound against gemmReference: |fast − reference| <= (3k + 2)·2^−24 ·
 * (|op(a)|·|op(b)| + |out₀|), entry by entry, |·| entrywise.
 */
function assertWithinBound(
  a: Float32Array,
  b: Float32Array,
  start: Float32Array,
  m: number,
  n: number,
  k: number,
  options: GemmOptions,
): void {
  const fast = gemm(Float32Array.from(start), a, b, m, n, k, options);
  const reference = gemmReference(Float32Array.from(start), a, b, m, n, k, options);
  const scale = gemmReference(
    options.accumulate ? Float64Array.from(start, Math.abs) : new Float64Array(m * n),
    Float64Array.from(a, Math.abs),
    Float64Array.from(b, Math.abs),
    m,
    n,
    k,
    { ...options, accumulate: true },
  );
  for (let i = 0; i < m * n; i++) {
    const bound = (3 * k + 2) * 2 ** -24 * scale[i]!;
    const diff = Math.abs(fast[i]! - reference[i]!);
    assert.ok(
      diff <= bound,
      `${m}×${n}×${k} ${JSON.stringify(options)} [${i}]: ${diff} > ${bound}`,
    );
  }
}

const ODD_SIZES = [1, 3, 17, 65, 127];
const TRANSPOSES: GemmOptions[] = [
  {},
  { transA: true },
  { transB: true },
  { transA: true, transB: true },
];

Deno.test("gemm() matches gemmReference() within its stated bound", async (t) => {
  await t.step(
    "odd sizes 1, 3, 17, 65, 127, all four transposes, with and without accumulate",
    () => {
      let seed = 1;
      for (const m of ODD_SIZES) {
        for (const n of ODD_SIZES) {
          for (const k of [1, 17, 127]) {
            for (const transposes of TRANSPOSES) {
              for (const accumulate of [false, true]) {
                const a = randomMatrix(m * k, seed++);
                const b = randomMatrix(k * n, seed++);
                const start = randomMatrix(m * n, seed++);
                assertWithinBound(a, b, start, m, n, k, { ...transposes, accumulate });
              }
            }
          }
        }
      }
    },
  );
  await t.step("random shapes and options (fast-check)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 140 }),
        fc.integer({ min: 1, max: 140 }),
        fc.integer({ min: 0, max: 300 }),
        fc.record({ transA: fc.boolean(), transB: fc.boolean(), accumulate: fc.boolean() }),
        fc.integer({ min: 1, max: 2 ** 31 }),
        (m, n, k, options, seed) => {
          const a = randomMatrix(m * k, seed);
          const b = randomMatrix(k * n, seed + 1);
          assertWithinBound(a, b, randomMatrix(m * n, seed + 2), m, n, k, options);
        },
      ),
      { numRuns: 60 },
    );
  });
  await t.step("past every block size: k > 256, n > 1024, m > 128", () => {
    const [m, n, k] = [130, 1030, 260];
    for (const options of TRANSPOSES) {
      assertWithinBound(
        randomMatrix(m * k, 7),
        randomMatrix(k * n, 8),
        randomMatrix(m * n, 9),
        m,
        n,
        k,
        { ...options, accumulate: true },
      );
    }
  });
  await t.step("a model's shape and its two gradients: (64, 192)·(192, 128)", () => {
    const [m, n, k] = [64, 128, 192];
    const x = randomMatrix(m * k, 11);
    const w = randomMatrix(k * n, 12);
    const dy = randomMatrix(m * n, 13);
    assertWithinBound(x, w, new Float32Array(m * n), m, n, k, {}); // y = x·w
    assertWithinBound(dy, w, new Float32Array(m * k), m, k, n, { transB: true }); // dx = dy·wᵀ
    assertWithinBound(x, dy, new Float32Array(k * n), k, n, m, { transA: true }); // dw = xᵀ·dy
  });
  await t.step("a bound that can fail: a wrong product is caught", () => {
    const a = randomMatrix(4 * 3, 21);
    const b = randomMatrix(3 * 5, 22);
    const wrong = gemm(new Float32Array(20), a, b, 4, 5, 3);
    wrong[7]! += 1e-3;
    const reference = gemmReference(new Float32Array(20), a, b, 4, 5, 3);
    assert.ok(Math.abs(wrong[7]! - reference[7]!) > 9 * 2 ** -24 * 3);
  });
});

Deno.test("gemm() on Float64Array is gemmReference() exactly", () => {
  const random = seededRandom(3);
  const a = Float64Array.from({ length: 17 * 5 }, random);
  const b = Float64Array.from({ length: 5 * 9 }, random);
  for (const options of TRANSPOSES) {
    assert.deepEqual(
      gemm(new Float64Array(17 * 9), a, b, 17, 9, 5, options),
      gemmReference(new Float64Array(17 * 9), a, b, 17, 9, 5, options),
    );
  }
});

Deno.test("gemm() gives the same bits every run and with two threads", async () => {
  // 11.5 million multiply-adds each, enough to use the workers: a result wider than tall (split
  // by columns) and one taller than wide (split by rows).
  for (const [m, n, k] of [[127, 301, 300], [301, 127, 300]] as const) {
    const a = randomMatrix(m * k, 31);
    const b = randomMatrix(k * n, 32);
    const start = randomMatrix(m * n, 33);
    const results: Float32Array[] = [];
    for (const threads of [1, 2, 1]) {
      await useGemmThreads(threads);
      for (const options of TRANSPOSES) {
        results.push(
          gemm(Float32Array.from(start), a, b, m, n, k, { ...options, accumulate: true }),
        );
      }
    }
    await useGemmThreads(1);
    for (let i = 4; i < results.length; i++) assert.deepEqual(results[i], results[i % 4]);
    assertWithinBound(a, b, start, m, n, k, { accumulate: true });
  }
});

Deno.test("gemm() reads its inputs without changing them, into views of larger arrays", () => {
  const storage = randomMatrix(100, 41);
  const a = storage.subarray(10, 16); // (2, 3)
  const b = storage.subarray(20, 26); // (3, 2)
  const before = Float32Array.from(storage);
  const out = new Float32Array(8).subarray(2, 6);
  gemm(out, a, b, 2, 2, 3);
  assert.deepEqual(storage, before);
  assert.deepEqual(out, gemmReference(new Float32Array(4), a, b, 2, 2, 3));
});

Deno.test("gemm() with empty dimensions", () => {
  assert.deepEqual(
    gemm(new Float32Array(0), new Float32Array(0), new Float32Array(6), 0, 2, 3),
    new Float32Array(0),
  );
  // k = 0: the product of (2, 0) and (0, 2) is the zero matrix; accumulate leaves out alone.
  const none = new Float32Array(0);
  assert.deepEqual(gemm(Float32Array.of(1, 2, 3, 4), none, none, 2, 2, 0), new Float32Array(4));
  assert.deepEqual(
    gemm(Float32Array.of(1, 2, 3, 4), none, none, 2, 2, 0, { accumulate: true }),
    Float32Array.of(1, 2, 3, 4),
  );
});

Deno.test("gemm() and gemmReference() reject bad input", async (t) => {
  const f32 = (n: number) => new Float32Array(n);
  for (const multiply of [gemm, gemmReference]) {
    await t.step(`${multiply.name}: types`, () => {
      assert.throws(
        () => multiply([0] as unknown as Float32Array, f32(1), f32(1), 1, 1, 1),
        new TypeError("`out` must be a Float32Array or a Float64Array, got [object Array]"),
      );
      assert.throws(
        () => multiply(f32(1), new Float64Array(1) as unknown as Float32Array, f32(1), 1, 1, 1),
        new TypeError("`a` must be a Float32Array like `out`, got [object Float64Array]"),
      );
      assert.throws(
        () => multiply(f32(1), f32(1), f32(1), "1" as unknown as number, 1, 1),
        new TypeError('`m` must be a number, got "1"'),
      );
    });
    await t.step(`${multiply.name}: sizes and lengths`, () => {
      assert.throws(
        () => multiply(f32(1), f32(1), f32(1), 1, -1, 1),
        new RangeError("`n` must be an integer >= 0, got -1"),
      );
      assert.throws(
        () => multiply(f32(4), f32(5), f32(6), 2, 2, 3),
        new RangeError("`a` must have m·k = 6 entries, got 5"),
      );
      assert.throws(
        () => multiply(f32(3), f32(6), f32(6), 2, 2, 3),
        new RangeError("`out` must have m·n = 4 entries, got 3"),
      );
    });
    await t.step(`${multiply.name}: out overlapping an input`, () => {
      const shared = f32(8);
      assert.throws(
        () => multiply(shared.subarray(0, 4), shared.subarray(2, 6), f32(4), 2, 2, 2),
        new RangeError("`out` must not share memory with `a`"),
      );
    });
  }
  await t.step("useGemmThreads: range", async () => {
    await assert.rejects(
      () => useGemmThreads(0),
      new RangeError("`threads` must be an integer in [1, 64], got 0"),
    );
  });
});

Deno.test("the committed WebAssembly kernels are a fresh build of their sources", async (t) => {
  await t.step("each .wasm and its _wasm.ts equal what `deno task build:wasm` writes", async () => {
    assert.deepEqual(await staleFiles(await buildAll()), []);
  });
  await t.step("each _wasm.ts decodes to its .wasm", async () => {
    const lib = new URL("../../lib/", import.meta.url);
    assert.deepEqual(gemmWasm(), await Deno.readFile(new URL("nn/wasm/gemm.wasm", lib)));
    assert.deepEqual(fastExpWasm(), await Deno.readFile(new URL("math/fast_exp.wasm", lib)));
  });
});
