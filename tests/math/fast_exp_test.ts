import assert from "node:assert/strict";
import fc from "fast-check";
import { expInto, expMinusMaxInto, fastExp } from "../../lib/math/fast_exp.ts";
import { logSumExp, softmax } from "../../lib/math/softmax.ts";

/** How many doubles apart a and b are (0: equal; 1: adjacent), for finite or infinite a, b. */
function doublesApart(a: number, b: number): number {
  const view = new DataView(new ArrayBuffer(16));
  const ordered = (x: number, at: number) => {
    view.setFloat64(at, x);
    const bits = view.getBigInt64(at);
    return bits < 0n ? -(bits & 0x7fffffffffffffffn) : bits; // monotone in x
  };
  const d = ordered(a, 0) - ordered(b, 8);
  return Number(d < 0n ? -d : d);
}

/** Asserts fast and Math.exp agree to one ulp (NaN with NaN), and JS with WebAssembly exactly. */
function assertCloseToMathExp(xs: readonly number[]): void {
  const out = expInto(new Float64Array(xs.length), xs);
  xs.forEach((x, i) => {
    const expected = Math.exp(x);
    assert.ok(Object.is(out[i], fastExp(x)), `expInto and fastExp differ at ${x}`);
    if (Number.isNaN(expected)) return assert.ok(Number.isNaN(out[i]), `exp(${x})`);
    assert.ok(
      doublesApart(out[i]!, expected) <= 1,
      `exp(${x}) = ${out[i]}, Math.exp gives ${expected}`,
    );
  });
}

Deno.test("doublesApart() counts representable doubles", () => {
  assert.equal(doublesApart(1, 1), 0);
  assert.equal(doublesApart(1, 1 + Number.EPSILON), 1);
  assert.equal(doublesApart(5e-324, -5e-324), 2);
  assert.equal(doublesApart(Number.MAX_VALUE, Infinity), 1);
});

Deno.test("fastExp() and expInto() on the special values", async (t) => {
  await t.step("exact results", () => {
    const cases: [number, number][] = [
      [0, 1],
      [-0, 1],
      [Infinity, Infinity],
      [-Infinity, 0],
      [1e-300, 1],
      [-1e-300, 1],
      [5e-324, 1],
      [709.79, Infinity], // e^709.79 > the largest double
      [710, Infinity],
      [1e308, Infinity],
      [-745.13, 5e-324], // the smallest subnormal
      [-745.14, 0], // below half of it
      [-746, 0],
      [-1e308, 0],
    ];
    const out = expInto(new Float64Array(cases.length), cases.map(([x]) => x));
    cases.forEach(([x, expected], i) => {
      assert.ok(Object.is(fastExp(x), expected), `fastExp(${x}) = ${fastExp(x)}`);
      assert.ok(Object.is(out[i], expected), `expInto at ${x} gives ${out[i]}`);
    });
    assert.ok(Number.isNaN(fastExp(NaN)));
    assert.ok(Number.isNaN(expInto(new Float64Array(1), [NaN])[0]));
  });
  await t.step(
    "within one ulp of Math.exp: boundaries of the fast path and subnormal results",
    () => {
      const xs = [
        709.78, // finite, near the largest double
        709.7827128933839,
        709.5,
        708.3,
        700,
        700.0000000000001,
        699.9999999999999,
        -699.9999999999999,
        -700,
        -700.0000000000001,
        -707.0869101797635, // where a too-wide fast path lost 0.23 ulp
        -708.39,
        -708.4,
        -708.5, // subnormal from here down
        -720,
        -740,
        -744.44,
        -745.13,
        1,
        -1,
        Math.LN2,
        0.5,
        -0.5,
        20,
        -20,
      ];
      assertCloseToMathExp(xs);
    },
  );
});

/**
 * Reference values from Python's decimal module at 50 digits, independent of any float exp: x, the
 * double nearest e^x, and how far e^x lies from that double in ulps (rounded to 4 decimals).
 * Inputs: the edges of the fast path, subnormal results, and random points of three ranges.
 */
const REFERENCE: readonly (readonly [number, number, number])[] = [
  [-707.0869101797635, 8.242456862484461e-308, 0.2733],
  [-708.3, 2.450295530965988e-308, 0.4064],
  [-708.39, 2.2394014988804677e-308, 0.2878],
  [-708.5, 2.006132305331306e-308, -0.3127],
  [-720.123, 1.79702785254e-313, -0.3846],
  [-740.5, 2.5e-322, 0.4223],
  [-744.44, 5e-324, 0.0001],
  [-745.0, 5e-324, -0.4287],
  [709.78, 1.7928227943945155e+308, 0.4147],
  [709.5, 1.3549863193146328e+308, -0.0098],
  [700.25, 1.3022997366991783e+304, 0.2937],
  [-700.25, 7.678723813110872e-305, 0.3398],
  [4.032111328110153, 56.379821976156684, 0.4934],
  [-395.8269422900989, 1.2432062212938548e-172, -0.4938],
  [1.0, 2.718281828459045, 0.3255],
  [-1.0, 0.36787944117144233, -0.2239],
  [0.34657359027997264, 1.414213562373095, 0.4908],
  [0.0001, 1.0001000050001667, -0.1948],
  [-0.0001, 0.9999000049998333, 0.0121],
  [50.5, 8.548134287298057e+21, 0.212],
  [18.60968566208492, 120804689.38030486, 0.2658],
  [-19.533812248314355, 3.285285599459016e-09, -0.3913],
  [9.439664791875018, 12577.50011960629, 0.47],
  [-13.679491009410075, 1.145704290238364e-06, -0.0158],
  [19.453578066512932, 280919319.4040964, 0.3474],
  [-19.32477383168095, 4.049089355190255e-09, -0.0137],
  [15.17965072538685, 3912357.6328043155, 0.4629],
  [7.254026576056582, 1413.786119831767, -0.3771],
  [14.293695299260996, 1613143.4700740117, 0.086],
  [19.992649366644777, 481611999.06220114, 0.1893],
  [-10.411392713448455, 3.008774194679473e-05, 0.2931],
  [-6.476889709732006, 0.001538588702420835, -0.3009],
  [8.327773319405107, 4137.195076327245, -0.1917],
  [-8.77673256627451, 0.00015428136667225054, -0.4437],
  [-9.467429714101572, 7.732991224919496e-05, -0.165],
  [-10.855610986043352, 1.9296033794583725e-05, -0.3986],
  [502.89562557937074, 2.539774523129814e+218, -0.4719],
  [527.182581037006, 8.963670833844645e+228, -0.2398],
  [415.2919841115213, 2.285688684505881e+180, -0.4603],
  [-420.03281066855567, 3.8200417403603546e-183, -0.1523],
  [600.3622461067062, 5.420141533238646e+260, 0.3949],
  [-1.1101384605933617, 0.3295133333047879, 0.221],
  [-408.402976922099, 4.293789304534472e-178, -0.174],
  [-82.33060051923235, 1.7549894202521342e-36, 0.3875],
  [-134.207361201553, 5.181835230336451e-59, 0.1585],
  [-630.1379213484217, 2.160617654434176e-274, 0.4679],
  [76.45685129659023, 1.6024652549300632e+33, 0.3676],
  [-221.3597167577351, 7.323125829322337e-97, 0.0973],
  [83.61997209978199, 2.068675923222403e+36, 0.1824],
  [608.1872053913719, 1.3562734669047173e+264, -0.0041],
  [194.11249752097365, 2.0044099125248956e+84, -0.4174],
  [-155.70041043505, 2.39977717320365e-68, 0.4642],
  [-713.4068345910814, 1.4837078177815e-310, 0.1129],
  [-708.5771541706004, 1.857171203226816e-308, 0.4262],
  [-727.1075855225098, 1.6641323e-316, 0.3101],
  [-710.4175894902312, 2.948227802535307e-309, 0.1397],
  [-744.411873141806, 5e-324, 0.0286],
  [-739.9503249220885, 4.4e-322, 0.0989],
  [-738.7804615629049, 1.42e-321, 0.0368],
  [-710.673022219475, 2.28364195143531e-309, -0.244],
  [-719.7592021608481, 2.58553369816e-313, 0.0261],
  [-718.7096780952968, 7.385037633e-313, -0.28],
  [-734.5811509091371, 9.4505e-320, 0.2392],
  [-726.9340477498844, 1.97949476e-316, -0.1846],
];

/** The spacing of doubles at v: 2^(exponent − 52), or 2^−1074 for subnormal v. */
function ulpOf(v: number): number {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(v));
  const exponent = view.getUint16(0) >> 4;
  return exponent === 0 ? Number.MIN_VALUE : 2 ** (exponent - 1075);
}

Deno.test("fastExp() is within its stated ulp bounds of the true e^x", () => {
  const out = expInto(new Float64Array(REFERENCE.length), REFERENCE.map(([x]) => x));
  REFERENCE.forEach(([x, nearest, offset], i) => {
    // ours − e^x in ulps: whole ulps to the nearest double, minus the offset of e^x from it.
    const steps = (out[i]! - nearest) / ulpOf(nearest);
    const error = Math.abs(steps - offset);
    const bound = nearest < 2 ** -1022 ? 0.76 : 0.51;
    assert.ok(error <= bound + 1e-4, `exp(${x}): ${error.toFixed(4)} ulp > ${bound}`);
  });
});

Deno.test("fastExp() agrees with Math.exp to one ulp on random doubles (fast-check)", async (t) => {
  await t.step("over the whole float64 range", () => {
    fc.assert(
      fc.property(fc.array(fc.double(), { maxLength: 40 }), (xs) => assertCloseToMathExp(xs)),
      { numRuns: 300 },
    );
  });
  await t.step("where exp is finite and not 0", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -745.2, max: 709.8, noNaN: true }), { maxLength: 40 }),
        (xs) => assertCloseToMathExp(xs),
      ),
      { numRuns: 500 },
    );
  });
  await t.step("on 10^5 evenly spread inputs, one array (the SIMD loop and its tail)", () => {
    const xs = Array.from({ length: 100_001 }, (_, i) => -746 + (1456 * i) / 100_000);
    assertCloseToMathExp(xs);
  });
});

Deno.test("expInto() writes into out and leaves its input alone", async (t) => {
  await t.step("returns out, works in place", () => {
    const x = Float64Array.of(0, 1, 2);
    const expected = [1, fastExp(1), fastExp(2)];
    assert.equal(expInto(x, x), x);
    assert.deepEqual([...x], expected);
  });
  await t.step("reads a frozen array and any typed array", () => {
    const x = Object.freeze([0, -1, 3]);
    const out = expInto(new Float64Array(3), x);
    assert.deepEqual(x, [0, -1, 3]);
    assert.deepEqual(expInto(new Float64Array(3), Float32Array.of(0, -1, 3)), out);
  });
  await t.step("lengths 0 to 9 (the tail of the four-at-a-time loop)", () => {
    for (let n = 0; n <= 9; n++) {
      const x = Array.from({ length: n }, (_, i) => i - 4.5);
      assert.deepEqual([...expInto(new Float64Array(n), x)], x.map(fastExp));
    }
  });
  await t.step("a long array after a short one (the scratch memory grows)", () => {
    const x = Float64Array.from({ length: 300_000 }, (_, i) => Math.sin(i));
    const out = expInto(new Float64Array(x.length), x);
    assert.equal(out[299_999], fastExp(x[299_999]!));
  });
});

Deno.test("expInto() and fastExp() reject bad input", async (t) => {
  await t.step("types", () => {
    assert.throws(
      () => fastExp("1" as unknown as number),
      new TypeError('`x` must be a number, got "1"'),
    );
    assert.throws(
      () => expInto([0] as unknown as Float64Array, [1]),
      new TypeError("`out` must be a Float64Array, got [object Array]"),
    );
    assert.throws(
      () => expInto(new Float64Array(1), 3 as unknown as number[]),
      new TypeError("`x` must be an array of numbers, got 3"),
    );
    assert.throws(
      () => expInto(new Float64Array(2), [1, "2"] as unknown as number[]),
      new TypeError('`x[1]` must be a number, got "2"'),
    );
  });
  await t.step("lengths", () => {
    assert.throws(
      () => expInto(new Float64Array(2), [1, 2, 3]),
      new RangeError("`out` must have the length of `x` (3), got 2"),
    );
  });
});

/** The stated bound of expMinusMaxInto's normalised output against softmax(). */
function softmaxBound(reference: number, n: number): number {
  return (2 * n + 6) * 2 ** -53 * reference + 2 * Number.MIN_VALUE;
}

Deno.test("expMinusMaxInto() is softmax's arithmetic within its stated bound", async (t) => {
  const logits = fc.array(
    fc.oneof(
      fc.double({ min: -50, max: 50, noNaN: true }),
      fc.double({ min: -1e308, max: 1e308, noNaN: true }),
      fc.constant(-Infinity),
    ),
    { minLength: 1, maxLength: 60 },
  ).filter((x) => x.some((v) => v > -Infinity));
  const temperature = fc.oneof(
    fc.double({ min: 0.01, max: 100, noNaN: true }),
    fc.double({ min: Number.MIN_VALUE, max: Number.MAX_VALUE, noNaN: true }),
    fc.constantFrom(1, 1e-300),
  );
  await t.step("normalised, against softmax() (fast-check)", () => {
    fc.assert(
      fc.property(logits, temperature, (x, T) => {
        const out = new Float64Array(x.length);
        const { max } = expMinusMaxInto(out, x, { temperature: T, normalize: true });
        assert.equal(max, Math.max(...x) + 0); // a zero maximum is +0
        const expected = softmax(x, T);
        expected.forEach((p, i) => {
          const diff = Math.abs(out[i]! - p);
          assert.ok(diff <= softmaxBound(p, x.length), `[${i}]: ${out[i]} vs ${p}`);
        });
      }),
      { numRuns: 1000 },
    );
  });
  await t.step("on a GPT-2-sized vocabulary (50,257 logits, T = 0.7)", () => {
    const x = Float64Array.from({ length: 50_257 }, (_, i) => 8 * Math.sin(i * 12.9898));
    const out = new Float64Array(x.length);
    expMinusMaxInto(out, x, { temperature: 0.7, normalize: true });
    const expected = softmax(x, 0.7);
    let worst = 0;
    expected.forEach((p, i) => (worst = Math.max(worst, Math.abs(out[i]! - p) / p)));
    // The bound allows (2n + 6)·2^−53 ≈ 1.1e−11; in practice the sums differ far less.
    assert.ok(worst <= 1e-13, `largest relative difference ${worst}`);
  });
  await t.step("unnormalised: the exponentials and their sum", () => {
    const out = new Float64Array(3);
    const { max, sum } = expMinusMaxInto(out, [1, 3, -Infinity]);
    assert.equal(max, 3);
    assert.deepEqual([...out], [fastExp(-2), 1, 0]);
    assert.equal(sum, fastExp(-2) + 1);
  });
  await t.step(
    "the sum's stated order, on short arrays (JavaScript) and long ones (WebAssembly)",
    () => {
      for (let n = 1; n <= 80; n++) {
        const x = Array.from({ length: n }, (_, i) => 3 * Math.sin(7 * i + n));
        const max = Math.max(...x);
        const e = x.map((v) => fastExp((v - max) / 0.7));
        let [lane0, lane1, i] = [0, 0, 0];
        for (; i + 4 <= n; i += 4) {
          lane0 += e[i]! + e[i + 2]!;
          lane1 += e[i + 1]! + e[i + 3]!;
        }
        let sum = lane0 + lane1;
        for (; i < n; i++) sum += e[i]!;
        const out = new Float64Array(n);
        assert.deepEqual(expMinusMaxInto(out, x, { temperature: 0.7 }), { max, sum }, `n = ${n}`);
        assert.deepEqual([...out], e, `n = ${n}`);
      }
    },
  );
  await t.step(
    "long arrays (the WebAssembly path) give the JavaScript path's bits (fast-check)",
    () => {
      const values = fc.array(
        fc.oneof(
          fc.double({ min: -40, max: 40, noNaN: true }),
          fc.double({ min: -1e308, max: 1e308, noNaN: true }),
          fc.double({ min: -760, max: 760, noNaN: true }),
          fc.constant(-Infinity),
        ),
        { minLength: 32, maxLength: 200 },
      ).filter((x) => x.some((v) => v > -Infinity));
      fc.assert(
        fc.property(values, temperature, (x, T) => {
          // The JavaScript path, one short piece at a time, in the kernel's documented order.
          const max = Math.max(...x);
          const zOf = (v: number) => {
            const d = v - max;
            if (T === 1) return d;
            return d > -Infinity || v === -Infinity ? d / T : v / T - max / T;
          };
          const e = x.map((v) => fastExp(zOf(v)));
          let [lane0, lane1, i] = [0, 0, 0];
          for (; i + 4 <= e.length; i += 4) {
            lane0 += e[i]! + e[i + 2]!;
            lane1 += e[i + 1]! + e[i + 3]!;
          }
          let sum = lane0 + lane1;
          for (; i < e.length; i++) sum += e[i]!;
          const out = new Float64Array(x.length);
          assert.deepEqual(expMinusMaxInto(out, x, { temperature: T }), { max: max + 0, sum });
          assert.deepEqual([...out], e);
        }),
        { numRuns: 300 },
      );
    },
  );
  await t.step("null out: only the maximum and the sum (log-sum-exp)", () => {
    assert.deepEqual(expMinusMaxInto(null, [1000, 1000]), { max: 1000, sum: 2 });
  });
  await t.step("all -Infinity, NaN, +Infinity", () => {
    const out = new Float64Array(2);
    assert.deepEqual(expMinusMaxInto(out, [-Infinity, -Infinity]), { max: -Infinity, sum: 0 });
    assert.deepEqual([...out], [0, 0]);
    const withNaN = expMinusMaxInto(out, [1, NaN]);
    assert.ok(Number.isNaN(withNaN.max) && Number.isNaN(withNaN.sum) && Number.isNaN(out[0]));
    const withInfinity = expMinusMaxInto(out, [1, Infinity]);
    assert.equal(withInfinity.max, Infinity);
    assert.ok(Number.isNaN(withInfinity.sum));
  });
  await t.step("bad temperature type", () => {
    assert.throws(
      () => expMinusMaxInto(null, [1], { temperature: "1" as unknown as number }),
      new TypeError('`temperature` must be a number, got "1"'),
    );
  });
});

Deno.test("logSumExp() is the Math.exp formula within its stated bound (fast-check)", () => {
  const values = fc.array(
    fc.oneof(
      fc.double({ min: -50, max: 50, noNaN: true }),
      fc.double({ min: -1e308, max: 1e308, noNaN: true }),
      fc.constant(-Infinity),
    ),
    { minLength: 1, maxLength: 100 },
  );
  fc.assert(
    fc.property(values, (x) => {
      const max = Math.max(...x);
      const actual = logSumExp(x);
      if (max === -Infinity) return assert.equal(actual, -Infinity);
      let sum = 0;
      for (const v of x) sum += Math.exp(v - max);
      const expected = max + Math.log(sum);
      const bound = (3 * x.length + 6) * 2 ** -53 * (1 + Math.abs(expected));
      assert.ok(Math.abs(actual - expected) <= bound, `${actual} vs ${expected}`);
    }),
    { numRuns: 1000 },
  );
});
