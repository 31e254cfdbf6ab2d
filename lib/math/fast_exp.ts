/**
 * A fast exp for arrays: the softmax of a 50,257-word vocabulary calls exp 50,257 times, and
 * JavaScript's `Math.exp` (about 6 ns a call) was two thirds of its time.
 *
 * The method (the one in glibc's and musl's exp, from Arm's Optimized Routines) in one paragraph:
 * write x = (128·n + j)·ln2/128 + r with integers n, j (0 <= j < 128) and |r| <= ln2/256, so
 * exp(x) = 2^n · 2^(j/128) · exp(r). 2^n costs nothing (it is the exponent field of a float),
 * 2^(j/128) comes from a table of 128 numbers, and exp(r) − 1 on that tiny interval is a degree-5
 * polynomial r + C2 r² + C3 r³ + C4 r⁴ + C5 r⁵. Each table entry is stored as a double hi_j plus a
 * relative tail t_j (2^(j/128) = hi_j · (1 + t_j)) and ln2/128 as a high part whose products with
 * k = 128n + j are exact plus a low part, so the only error that matters is the last rounding of
 * s + s · (t_j + r + …) with s = hi_j·2^n. Inputs with |x| > 700 (results that overflow, are
 * subnormal, or so small that s · (t_j + r + …) would be), NaN and ±Infinity take a careful scalar
 * path that works near 1 and multiplies by 2^n in two steps, exact then rounded once.
 *
 * Accuracy, in ulps (units in the last place) of the true e^x: at most 0.51 where the result is
 * a normal number (Arm's analysis of this polynomial and table; measured max 0.507 over 3·10^5
 * random inputs against a 45-digit reference, where `Math.exp` reached 0.85), and below 0.76 where
 * it is subnormal (0.5 for the final rounding plus at most half of the 0.51 before it; measured
 * 0.750), down to the smallest subnormal 5e−324; results beyond the largest double are Infinity.
 * As `Math.exp` (V8's port of fdlibm) is within 1 ulp, the two are always equal or adjacent
 * doubles, which tests/math/fast_exp_test.ts checks on the special values and on random doubles.
 * Special values: exp(±0) = 1, exp(−Infinity) = 0, exp(Infinity) = Infinity, exp(NaN) = NaN,
 * exp(709.78) is finite, exp(709.79) = Infinity, exp(−745.13) = 5e−324, exp(−745.14) = 0.
 *
 * Two implementations of that one arithmetic: {@linkcode fastExp} (one number, JavaScript) and
 * {@linkcode expInto} / {@linkcode expMinusMaxInto} (arrays: WebAssembly SIMD, two numbers per
 * instruction, fast_exp.as.ts beside this file). They give identical bits. The table is built
 * here, at load time, from exact integer arithmetic (BigInt square roots of 2), and written into
 * the WebAssembly memory with the constants, so the numbers live in one place.
 *
 * Why one file of about 450 lines: the method (range reduction, table, polynomial), its stated
 * error bound and the JavaScript and WebAssembly paths that must agree bit for bit belong next to
 * each other.
 *
 * @module
 */

import { checkArrayLike, formatValue } from "../_validate.ts";
import { fastExpWasm } from "./_fast_exp_wasm.ts";

/** Table size: 2^(j/128) for j = 0 … 127. */
const N = 128;
/** 128 / ln 2 (the double nearest 1/ln 2, times 128). */
const INV_LN2_N = 184.6649652337873;
/** 1.5 · 2^52: for |t| < 2^51, (t + SHIFT) − SHIFT is t rounded to the nearest integer. */
const SHIFT = 6755399441055744;
/** ln2/128 = LN2_HI_N + LN2_LO_N; LN2_HI_N has 17 trailing zero bits, so k · LN2_HI_N is exact. */
const LN2_HI_N = 0.005415212348111709;
const LN2_LO_N = 1.2864023111638346e-14;
/**
 * exp(r) − 1 ≈ r + C2 r² + C3 r³ + C4 r⁴ + C5 r⁵ for |r| <= ln2/256: Arm Optimized Routines,
 * math/exp_data.c (MIT licence), absolute error 1.555 · 2^−66.
 */
const C2 = 0.49999999999996786;
const C3 = 0.16666666666665886;
const C4 = 0.0416666808410674;
const C5 = 0.008333335853059549;
/**
 * The fast path's range: |x| <= LIMIT keeps |k| < 2^17 (so k · LN2_HI_N is exact) and
 * e^x >= 2^−1010, so s · tmp (about 2^−8 of it) stays a normal number. At −708 its rounding
 * cost up to 0.5 ulp.
 */
const LIMIT = 700;
/** ln2/128 in three parts of 32 bits each, exact products for |k| < 2^21 (the careful path). */
const LN2_1 = 0.005415212348452769;
const LN2_2 = -3.281964900695705e-13;
const LN2_3 = 1.636073772867244e-23;
/** exp(x) = Infinity above this (ln of the largest double is 709.78…). */
const OVERFLOW = 709.8;
/** exp(x) rounds to 0 below this (ln 2^−1075 is −745.13…). */
const UNDERFLOW = -745.2;

/** hi_j and t_j with 2^(j/128) = hi_j · (1 + t_j), to about 2^−100. */
const { hi: HI, tail: TAIL } = powersOfTwoTable();

/** POW2[n + 1022] = 2^n for −1022 <= n <= 1023 (doubling is exact). */
const POW2 = new Float64Array(2046);
for (let i = 0, power = 2 ** -1022; i < POW2.length; i++, power *= 2) POW2[i] = power;

/** floor(√v) for a BigInt v >= 0, by Newton's method from above. */
function isqrt(v: bigint): bigint {
  if (v < 2n) return v;
  let x = 1n << BigInt((v.toString(2).length >> 1) + 1);
  for (;;) {
    const y = (x + v / x) >> 1n;
    if (y >= x) return x;
    x = y;
  }
}

/**
 * The table 2^(j/128) = hi_j · (1 + t_j), j = 0 … 127, from integers scaled by 2^100: the seven
 * roots 2^(1/128), 2^(2/128), …, 2^(64/128) are repeated square roots of 2, and 2^(j/128) is the
 * product of the roots of j's binary digits.
 */
function powersOfTwoTable(): { hi: Float64Array; tail: Float64Array } {
  const bits = 100n;
  const roots: bigint[] = [];
  let root = isqrt(2n << (2n * bits)); // √2 · 2^100
  for (let i = 6; i >= 0; i--) {
    roots[i] = root;
    root = isqrt(root << bits);
  }
  const hi = new Float64Array(N);
  const tail = new Float64Array(N);
  for (let j = 0; j < N; j++) {
    let y = 1n << bits;
    for (let i = 0; i < 7; i++) if ((j >> i) & 1) y = (y * roots[i]!) >> bits;
    const nearest = Number(y); // rounds to the nearest double
    hi[j] = nearest / 2 ** 100;
    tail[j] = Number(y - BigInt(nearest)) / nearest;
  }
  return { hi, tail };
}

/**
 * exp(x) for one number, with the accuracy stated in the module doc: within 1 ulp of `Math.exp`.
 *
 * Formula: exp(x) = 2^n · 2^(j/128) · exp(r), x = (128n + j)·ln2/128 + r, |r| <= ln2/256, exp(r)
 * from a degree-5 polynomial. Runs in O(1). The same bits as {@linkcode expInto}.
 *
 * @param x Any number (NaN and ±Infinity allowed).
 * @returns e^x.
 * @throws {TypeError} When `x` is not a number.
 * @example
 * ```ts
 * import { fastExp } from "./fast_exp.ts";
 * import assert from "node:assert/strict";
 * assert.equal(fastExp(0), 1);
 * assert.ok(Math.abs(fastExp(1) - Math.E) <= Number.EPSILON * Math.E);
 * assert.equal(fastExp(-Infinity), 0);
 * assert.equal(fastExp(-745.13), 5e-324);
 * ```
 */
export function fastExp(x: number): number {
  if (typeof x !== "number") {
    throw new TypeError(`\`x\` must be a number, got ${formatValue(x)}`);
  }
  return expOfNumber(x);
}

/** exp(x) without the type check: the fast path, or the careful one. */
function expOfNumber(x: number): number {
  if (!(x <= LIMIT && x >= -LIMIT)) return expSpecial(x);
  const kf = x * INV_LN2_N + SHIFT - SHIFT; // k = round(x · 128/ln2), as a double
  const k = kf | 0;
  const r = x - kf * LN2_HI_N - kf * LN2_LO_N;
  const j = k & (N - 1);
  const s = HI[j]! * POW2[(k >> 7) + 1022]!; // hi_j · 2^n, exact
  const r2 = r * r;
  const tmp = TAIL[j]! + r + r2 * (C2 + r * C3) + r2 * r2 * (C4 + r * C5);
  return s + s * tmp;
}

/** exp(x) for NaN, ±Infinity and |x| > LIMIT, where the result overflows or is subnormal. */
function expSpecial(x: number): number {
  if (x !== x) return x;
  if (x > OVERFLOW) return Infinity;
  if (x < UNDERFLOW) return 0;
  const kf = x * INV_LN2_N + SHIFT - SHIFT;
  const k = kf | 0;
  const r = x - kf * LN2_1 - kf * LN2_2 - kf * LN2_3;
  const j = k & (N - 1);
  const r2 = r * r;
  const tmp = TAIL[j]! + r + r2 * (C2 + r * C3) + r2 * r2 * (C4 + r * C5);
  const y = HI[j]! + HI[j]! * tmp;
  const n = k >> 7;
  // y · 2^n in two steps: the first is exact, the second rounds once (to Infinity, or into the
  // subnormal range), where y · 2^n in one step might not be representable as 2^n.
  if (n > 0) return y * POW2[n - 1 + 1022]! * 2;
  return y * POW2[n + 64 + 1022]! * POW2[-64 + 1022]!;
}

// --- The WebAssembly path --------------------------------------------------------------------

/** Byte offsets in the kernel's memory (see fast_exp.as.ts). */
const CONSTANTS = 2048;
const MIN_OUT = 2160;
const DATA = 4096;
const PAGE = 65536;

interface ExpKernel {
  memory: WebAssembly.Memory;
  expShifted(
    src: number,
    dst: number,
    n: number,
    shift: number,
    temperature: number,
    keep: number,
    inRange: number,
  ): number;
  maxOf(ptr: number, n: number): number;
  scale(ptr: number, n: number, factor: number): void;
}

/**
 * The WebAssembly instance, created on first use with the table and the constants written into
 * its memory, which grows to the longest array seen and is then reused. It is scratch space, not
 * state: every call writes the numbers it then reads.
 */
let instance: ExpKernel | undefined;

function expKernel(): ExpKernel {
  if (instance !== undefined) return instance;
  const memory = new WebAssembly.Memory({ initial: 1 });
  const view = new DataView(memory.buffer);
  for (let j = 0; j < N; j++) {
    view.setFloat64(16 * j, HI[j]!, true);
    view.setBigInt64(16 * j, view.getBigInt64(16 * j, true) - (BigInt(j) << 45n), true);
    view.setFloat64(16 * j + 8, TAIL[j]!, true);
  }
  const constants = [
    INV_LN2_N,
    SHIFT,
    LN2_HI_N,
    LN2_LO_N,
    C2,
    C3,
    C4,
    C5,
    LIMIT,
    LN2_1,
    LN2_2,
    LN2_3,
    OVERFLOW,
    UNDERFLOW,
  ];
  constants.forEach((value, i) => view.setFloat64(CONSTANTS + 8 * i, value, true));
  const module = new WebAssembly.Module(fastExpWasm() as Uint8Array<ArrayBuffer>);
  const { exports } = new WebAssembly.Instance(module, { env: { memory } });
  instance = {
    memory,
    expShifted: exports.expShifted as ExpKernel["expShifted"],
    maxOf: exports.maxOf as ExpKernel["maxOf"],
    scale: exports.scale as ExpKernel["scale"],
  };
  return instance;
}

/**
 * Checks `out` and `x` and copies x into `into` (grown if needed), reading each entry once.
 *
 * @returns The copy.
 */
function read(
  out: Float64Array | null,
  x: ArrayLike<number>,
  into: (length: number) => Float64Array,
): Float64Array {
  if (out !== null && !(out instanceof Float64Array)) {
    throw new TypeError(
      `\`out\` must be a Float64Array, got ${Object.prototype.toString.call(out)}`,
    );
  }
  const n = checkArrayLike(x, "x");
  if (out !== null && out.length !== n) {
    throw new RangeError(`\`out\` must have the length of \`x\` (${n}), got ${out.length}`);
  }
  const data = into(n);
  if (x instanceof Float64Array || x instanceof Float32Array) {
    data.set(x); // a float array holds only numbers
    return data;
  }
  for (let i = 0; i < n; i++) {
    const value = x[i];
    if (typeof value !== "number") {
      throw new TypeError(`\`x[${i}]\` must be a number, got ${formatValue(value)}`);
    }
    data[i] = value;
  }
  return data;
}

/** Below this length the JavaScript path is quicker than a call into WebAssembly. */
const SHORT = 32;

/** The kernel's memory as n float64s at DATA, grown if needed. */
function kernelData(kernel: ExpKernel, n: number): Float64Array {
  const bytes = DATA + 8 * n;
  const have = kernel.memory.buffer.byteLength;
  if (bytes > have) kernel.memory.grow(Math.ceil((bytes - have) / PAGE));
  return new Float64Array(kernel.memory.buffer, DATA, n);
}

/**
 * z = (x − shift) / T as lib/math/softmax.ts computes it: when x − shift overflows to −Infinity
 * (x finite, logits about 1e308 apart), x / T − shift / T instead. T = 1 skips the division.
 */
function zOf(x: number, shift: number, temperature: number): number {
  const d = x - shift;
  if (temperature === 1) return d;
  return d > -Infinity || x === -Infinity ? d / temperature : x / temperature - shift / temperature;
}

/**
 * data_i ← exp(zOf(data_i)) in place, returning the sum in the WebAssembly kernel's order (two
 * lanes of pairs over blocks of four, then the rest in order), so both paths give the same bits.
 */
function expShiftedShort(data: Float64Array, shift: number, temperature: number): number {
  let lane0 = 0;
  let lane1 = 0;
  let i = 0;
  for (; i + 4 <= data.length; i += 4) {
    const e0 = expOfNumber(zOf(data[i]!, shift, temperature));
    const e1 = expOfNumber(zOf(data[i + 1]!, shift, temperature));
    const e2 = expOfNumber(zOf(data[i + 2]!, shift, temperature));
    const e3 = expOfNumber(zOf(data[i + 3]!, shift, temperature));
    data[i] = e0;
    data[i + 1] = e1;
    data[i + 2] = e2;
    data[i + 3] = e3;
    lane0 += e0 + e2;
    lane1 += e1 + e3;
  }
  let sum = lane0 + lane1;
  for (; i < data.length; i++) {
    data[i] = expOfNumber(zOf(data[i]!, shift, temperature));
    sum += data[i]!;
  }
  return sum;
}

/**
 * Writes exp(x_i) into `out` for every i: {@linkcode fastExp} on an array, two numbers at a time.
 *
 * Formula: out_i = e^(x_i), within 1 ulp of `Math.exp(x_i)` (see the module doc), the same bits
 * as {@linkcode fastExp}. Runs in O(n), about 2 ns a number where `Math.exp` takes about 6.
 * `out` may be `x` itself.
 *
 * @param out Where to write; a `Float64Array` of the length of `x`.
 * @param x The exponents (NaN and ±Infinity allowed).
 * @returns `out`.
 * @throws {TypeError} When `out` is not a `Float64Array` or `x` not an array of numbers.
 * @throws {RangeError} When the lengths differ.
 * @example
 * ```ts
 * import { expInto } from "./fast_exp.ts";
 * import assert from "node:assert/strict";
 * const out = expInto(new Float64Array(3), [0, 1, -Infinity]);
 * assert.deepEqual([out[0], out[2]], [1, 0]);
 * assert.ok(Math.abs(out[1]! - Math.E) <= Number.EPSILON * Math.E);
 * ```
 */
export function expInto(out: Float64Array, x: ArrayLike<number>): Float64Array {
  const n = checkArrayLike(x, "x");
  if (n < SHORT) {
    const data = read(out, x, (length) => new Float64Array(length));
    for (let i = 0; i < n; i++) out[i] = expOfNumber(data[i]!);
    return out;
  }
  const kernel = expKernel();
  read(out, x, (length) => kernelData(kernel, length));
  kernel.expShifted(DATA, DATA, n, 0, 1, 1, 0);
  out.set(kernelData(kernel, n));
  return out;
}

/** What {@linkcode expMinusMaxInto} returns. */
export interface ExpMinusMax {
  /** m = max_i x_i. */
  max: number;
  /** Σ_i exp((x_i − m) / T), before any normalisation. */
  sum: number;
}

/**
 * The stable core of softmax and log-sum-exp: exp((x_i − m) / T) with m = max_i x_i, written into
 * `out` (optionally divided by their sum), and the sum itself.
 *
 * Formula: out_i = e^(z_i), or out_i = e^(z_i) · (1/S) with `normalize`, where
 * z_i = (x_i − m)/T and S = Σ_j e^(z_j) (a zero maximum m is reported as +0). z_i is rounded
 * exactly as lib/math/softmax.ts rounds it (`(x[i] - m) / T`, or `x[i] / T - m / T` where
 * `x[i] - m` overflows, logits 1e308 apart; T = 1 skips the exact division), e^(z_i) is
 * {@linkcode fastExp}'s, and S is summed in two interleaved halves, so it may differ from a
 * left-to-right sum by the usual rounding, at most (n − 1)·2^−53·S.
 * Subtracting m first means no term exceeds 1. `-Infinity` entries give 0. When every entry is
 * `-Infinity`, m = `-Infinity`, S = 0 and `out` is all 0; when an entry is NaN or `+Infinity`, m is
 * NaN or `Infinity`, S is NaN and so is `out`. Runs in O(n): about 3 ns a number at T ≠ 1 (the
 * division costs a quarter of it); arrays shorter than 32 stay in JavaScript, with the same bits.
 *
 * @param out Where to write (a `Float64Array` of the length of `x`, may be `x` itself), or
 *   `null` when only m and S are wanted (as for log-sum-exp).
 * @param x The values, e.g. logits.
 * @param options `temperature` T (default 1; the caller checks it is a positive number) and
 *   `normalize` (default false: multiply the outputs by 1/S, so they sum to 1).
 * @returns m and S.
 * @throws {TypeError} When `out` is neither `null` nor a `Float64Array`, `x` is not an array
 *   of numbers, or `temperature` is not a number.
 * @throws {RangeError} When the lengths differ.
 * @example
 * ```ts
 * import { expMinusMaxInto } from "./fast_exp.ts";
 * import assert from "node:assert/strict";
 * const out = new Float64Array(2);
 * // Math.exp(1000) is Infinity; shifted by the maximum, both terms are exp(0) = 1.
 * assert.deepEqual(expMinusMaxInto(out, [1000, 1000]), { max: 1000, sum: 2 });
 * assert.deepEqual([...out], [1, 1]);
 * expMinusMaxInto(out, [1000, 1000], { normalize: true });
 * assert.deepEqual([...out], [0.5, 0.5]);
 * ```
 */
export function expMinusMaxInto(
  out: Float64Array | null,
  x: ArrayLike<number>,
  options: { temperature?: number; normalize?: boolean } = {},
): ExpMinusMax {
  const temperature = options.temperature ?? 1;
  if (typeof temperature !== "number") {
    throw new TypeError(`\`temperature\` must be a number, got ${formatValue(temperature)}`);
  }
  const n = checkArrayLike(x, "x");
  const kernel = n < SHORT ? undefined : expKernel();
  const data = read(
    out,
    x,
    (length) => kernel === undefined ? new Float64Array(length) : kernelData(kernel, length),
  );
  let max = -Infinity;
  if (kernel === undefined) {
    for (let i = 0; i < n; i++) max = Math.max(max, data[i]!);
  } else {
    max = kernel.maxOf(DATA, n);
  }
  max += 0; // a zero maximum is +0 on both paths
  let sum: number;
  if (max === -Infinity) {
    sum = 0;
    data.fill(0);
  } else if (!(max < Infinity)) {
    sum = NaN;
    data.fill(NaN);
  } else if (kernel === undefined) {
    sum = expShiftedShort(data, max, temperature);
    if (options.normalize) {
      const factor = 1 / sum;
      for (let i = 0; i < n; i++) data[i]! *= factor;
    }
  } else {
    // When (min − max)/T >= −LIMIT, every z is in the fast path's range: no checks needed.
    const min = new Float64Array(kernel.memory.buffer, MIN_OUT, 1)[0]!;
    const inRange = zOf(min, max, temperature) >= -LIMIT ? 1 : 0;
    sum = kernel.expShifted(DATA, DATA, n, max, temperature, out === null ? 0 : 1, inRange);
    if (options.normalize && out !== null) kernel.scale(DATA, n, 1 / sum);
  }
  out?.set(data);
  return { max, sum };
}
