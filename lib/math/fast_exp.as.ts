// @ts-nocheck: AssemblyScript (https://www.assemblyscript.org), not TypeScript; tools/build_wasm.ts
// deno-lint-ignore-file
/**
 * exp(x) on arrays of float64, two numbers at a time (WebAssembly SIMD f64x2), compiled by
 * `deno task build:wasm` into fast_exp.wasm. The algorithm and every constant are explained in
 * lib/math/fast_exp.ts, whose `fastExp()` is the same arithmetic on one number in JavaScript: the
 * two give identical bits, which tests/math/fast_exp_test.ts checks.
 *
 * lib/math/fast_exp.ts writes the table and the constants into memory before the first call:
 *
 *     bytes 0 … 2047     for j = 0 … 127: bits(2^(j/128)) − (j << 45) as i64, then the tail t_j
 *                        (2^(j/128) = hi_j · (1 + t_j)) as f64
 *     bytes 2048 …       the f64 constants at the offsets below
 *
 * Constants are read from memory rather than written as literals: V8 rebuilds a v128 literal on
 * every loop iteration, which made the loop a third slower.
 */

const TABLE: usize = 0;
const INV_LN2_N: usize = 2048; // 128 / ln 2
const SHIFT: usize = 2056; // 1.5 · 2^52: x + SHIFT − SHIFT rounds x to an integer
const LN2_HI_N: usize = 2064; // ln 2 / 128, high part (k · LN2_HI_N is exact for |k| < 2^17)
const LN2_LO_N: usize = 2072; // ln 2 / 128 − LN2_HI_N
const C2: usize = 2080; // polynomial coefficients: exp(r) − 1 ≈ r + C2 r² + C3 r³ + C4 r⁴ + C5 r⁵
const C3: usize = 2088;
const C4: usize = 2096;
const C5: usize = 2104;
const LIMIT: usize = 2112; // 700: |x| <= LIMIT keeps the fast path exact but for its last rounding
const LN2_1: usize = 2120; // ln 2 / 128 in three parts for LIMIT < |x|, where k reaches 2^17
const LN2_2: usize = 2128;
const LN2_3: usize = 2136;
const OVERFLOW: usize = 2144; // above this exp(x) is +Infinity
const UNDERFLOW: usize = 2152; // below this exp(x) rounds to 0
const MIN_OUT: usize = 2160; // where maxOf() leaves the minimum

/** 2^n as f64, for −1022 <= n <= 1023. */
function pow2(n: i32): f64 {
  return reinterpret<f64>(<i64> (n + 1023) << 52);
}

/** exp(x) for one number: the fast path when |x| <= LIMIT (and x is not NaN), else expSpecial(). */
function expScalar(x: f64): f64 {
  if (!(x <= load<f64>(LIMIT) && x >= -load<f64>(LIMIT))) return expSpecial(x);
  const kd = x * load<f64>(INV_LN2_N) + load<f64>(SHIFT);
  const kf = kd - load<f64>(SHIFT);
  const k = <i32> kf;
  const r = x - kf * load<f64>(LN2_HI_N) - kf * load<f64>(LN2_LO_N);
  const entry = TABLE + ((<usize> k & 127) << 4);
  const s = reinterpret<f64>(load<i64>(entry) + (<i64> k << 45));
  const r2 = r * r;
  const tmp = load<f64>(entry, 8) + r + r2 * (load<f64>(C2) + r * load<f64>(C3)) +
    r2 * r2 * (load<f64>(C4) + r * load<f64>(C5));
  return s + s * tmp;
}

/** exp(x) for NaN, ±Infinity and LIMIT < |x|: results that overflow or are subnormal. */
function expSpecial(x: f64): f64 {
  if (x != x) return x;
  if (x > load<f64>(OVERFLOW)) return Infinity;
  if (x < load<f64>(UNDERFLOW)) return 0;
  const kd = x * load<f64>(INV_LN2_N) + load<f64>(SHIFT);
  const kf = kd - load<f64>(SHIFT);
  const k = <i32> kf;
  const r = x - kf * load<f64>(LN2_1) - kf * load<f64>(LN2_2) - kf * load<f64>(LN2_3);
  const entry = TABLE + ((<usize> k & 127) << 4);
  const hi = reinterpret<f64>(load<i64>(entry) + (<i64> (k & 127) << 45));
  const r2 = r * r;
  const tmp = load<f64>(entry, 8) + r + r2 * (load<f64>(C2) + r * load<f64>(C3)) +
    r2 * r2 * (load<f64>(C4) + r * load<f64>(C5));
  const y = hi + hi * tmp;
  const n = k >> 7;
  // Two multiplications by powers of two: the first is exact, the second rounds once (to
  // Infinity, or into the subnormal range).
  if (n > 0) return y * pow2(n - 1) * 2.0;
  return y * pow2(n + 64) * pow2(-64);
}

/**
 * z = (x − shift) / T, as lib/math/softmax.ts computes it: when x − shift overflows to −Infinity
 * (x finite, logits about 1e308 apart), x / T − shift / T instead. T = 1 skips the division.
 */
function zOf(x: f64, shift: f64, temperature: f64): f64 {
  const d = x - shift;
  if (temperature == 1.0) return d;
  return d > -Infinity || x == -Infinity ? d / temperature : x / temperature - shift / temperature;
}

/**
 * exp of both lanes of x, every lane known to be in [−LIMIT, LIMIT]: expScalar's fast path. A
 * static method only so that `@inline` survives deno fmt, which drops decorators on plain
 * functions; as a call it cost a fifth of the loop.
 */
class Lanes {
  @inline
  static exp(
    x: v128,
    inv: v128,
    rounder: v128,
    ln2hi: v128,
    ln2lo: v128,
    c2: v128,
    c3: v128,
    c4: v128,
    c5: v128,
    mask: v128,
  ): v128 {
    const kd = f64x2.add(f64x2.mul(x, inv), rounder);
    const kf = f64x2.sub(kd, rounder);
    const r = f64x2.sub(f64x2.sub(x, f64x2.mul(kf, ln2hi)), f64x2.mul(kf, ln2lo));
    // The low bits of kd hold k; j = k & 127 picks the table entry, 16 bytes each.
    const entries = i64x2.shl(v128.and(kd, mask), 4);
    const entry0 = <usize> i64x2.extract_lane(entries, 0);
    const entry1 = <usize> i64x2.extract_lane(entries, 1);
    // s = hi_j · 2^n: the table's bits plus k << 45.
    const s = i64x2.add(
      v128.load64_lane(entry1, v128.load64_zero(entry0), 1),
      i64x2.shl(kd, 45),
    );
    const tail = v128.load64_lane(entry1, v128.load64_zero(entry0, 8), 1, 8);
    const r2 = f64x2.mul(r, r);
    const tmp = f64x2.add(
      f64x2.add(f64x2.add(tail, r), f64x2.mul(r2, f64x2.add(c2, f64x2.mul(r, c3)))),
      f64x2.mul(f64x2.mul(r2, r2), f64x2.add(c4, f64x2.mul(r, c5))),
    );
    return f64x2.add(s, f64x2.mul(s, tmp));
  }
}

/**
 * For i < n: e_i = exp(z_i), z_i = zOf(x_i, shift, temperature), stored at dst when keep != 0;
 * returns Σ e_i, summed in two lanes of pairs: lane 0 adds e_i + e_(i+2), lane 1 adds
 * e_(i+1) + e_(i+3) for each block of four, then lane 0 + lane 1, then the last n mod 4 in order
 * (lib/math/fast_exp.ts repeats this order for short arrays). x is read at src; dst may equal src.
 * With shift = 0 and temperature = 1 this is plain exp (x − 0 is exact). inRange != 0 promises
 * that every z_i is in [−LIMIT, LIMIT] (the caller knows min and max), which skips the range check.
 */
export function expShifted(
  src: usize,
  dst: usize,
  n: i32,
  shift: f64,
  temperature: f64,
  keep: i32,
  inRange: i32,
): f64 {
  const inv = v128.load64_splat(INV_LN2_N);
  const rounder = v128.load64_splat(SHIFT);
  const ln2hi = v128.load64_splat(LN2_HI_N);
  const ln2lo = v128.load64_splat(LN2_LO_N);
  const c2 = v128.load64_splat(C2);
  const c3 = v128.load64_splat(C3);
  const c4 = v128.load64_splat(C4);
  const c5 = v128.load64_splat(C5);
  const limit = v128.load64_splat(LIMIT);
  const mask = i64x2.splat(127);
  const shifts = f64x2.splat(shift);
  const temperatures = f64x2.splat(temperature);
  const divide = temperature != 1.0;
  let sums = f64x2.splat(0);
  let i = 0;
  if (inRange) {
    // Every z in the fast path's range: no checks.
    for (; i + 4 <= n; i += 4) {
      const offset = <usize> i << 3;
      let x0 = f64x2.sub(v128.load(src + offset), shifts);
      let x1 = f64x2.sub(v128.load(src + offset, 16), shifts);
      if (divide) {
        x0 = f64x2.div(x0, temperatures);
        x1 = f64x2.div(x1, temperatures);
      }
      const e0 = Lanes.exp(x0, inv, rounder, ln2hi, ln2lo, c2, c3, c4, c5, mask);
      const e1 = Lanes.exp(x1, inv, rounder, ln2hi, ln2lo, c2, c3, c4, c5, mask);
      if (keep) {
        v128.store(dst + offset, e0);
        v128.store(dst + offset, e1, 16);
      }
      sums = f64x2.add(sums, f64x2.add(e0, e1));
    }
  }
  // Four numbers per step, one range check for all four.
  for (; i + 4 <= n; i += 4) {
    const offset = <usize> i << 3;
    let x0 = f64x2.sub(v128.load(src + offset), shifts);
    let x1 = f64x2.sub(v128.load(src + offset, 16), shifts);
    if (divide) {
      x0 = f64x2.div(x0, temperatures);
      x1 = f64x2.div(x1, temperatures);
    }
    let e0: v128;
    let e1: v128;
    if (i64x2.all_true(v128.and(f64x2.le(f64x2.abs(x0), limit), f64x2.le(f64x2.abs(x1), limit)))) {
      e0 = Lanes.exp(x0, inv, rounder, ln2hi, ln2lo, c2, c3, c4, c5, mask);
      e1 = Lanes.exp(x1, inv, rounder, ln2hi, ln2lo, c2, c3, c4, c5, mask);
    } else {
      // Some lane is outside the fast path: all four one at a time, z recomputed by zOf().
      e0 = f64x2.replace_lane(
        f64x2.splat(expScalar(zOf(load<f64>(src + offset), shift, temperature))),
        1,
        expScalar(zOf(load<f64>(src + offset, 8), shift, temperature)),
      );
      e1 = f64x2.replace_lane(
        f64x2.splat(expScalar(zOf(load<f64>(src + offset, 16), shift, temperature))),
        1,
        expScalar(zOf(load<f64>(src + offset, 24), shift, temperature)),
      );
    }
    if (keep) {
      v128.store(dst + offset, e0);
      v128.store(dst + offset, e1, 16);
    }
    sums = f64x2.add(sums, f64x2.add(e0, e1));
  }
  let sum = f64x2.extract_lane(sums, 0) + f64x2.extract_lane(sums, 1);
  for (; i < n; i++) {
    const offset = <usize> i << 3;
    const e = expScalar(zOf(load<f64>(src + offset), shift, temperature));
    if (keep) store<f64>(dst + offset, e);
    sum += e;
  }
  return sum;
}

/**
 * max_i x_i over n numbers at ptr, with min_i x_i left at MIN_OUT: NaN if any is NaN, −Infinity
 * (and Infinity) when n = 0; the sign of a zero may be lost (the caller adds 0). Four numbers per
 * step into two running maxima and minima with pmax and pmin (one instruction each; f64x2.max,
 * which handles NaN itself, is several and made this loop take half as long as the exponentials),
 * and NaN found by x != x.
 */
export function maxOf(ptr: usize, n: i32): f64 {
  let max0 = f64x2.splat(-Infinity);
  let max1 = f64x2.splat(-Infinity);
  let min0 = f64x2.splat(Infinity);
  let min1 = f64x2.splat(Infinity);
  let nan = i64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const x0 = v128.load(ptr + (<usize> i << 3));
    const x1 = v128.load(ptr + (<usize> i << 3), 16);
    max0 = f64x2.pmax(max0, x0);
    max1 = f64x2.pmax(max1, x1);
    min0 = f64x2.pmin(min0, x0);
    min1 = f64x2.pmin(min1, x1);
    nan = v128.or(nan, v128.or(f64x2.ne(x0, x0), f64x2.ne(x1, x1)));
  }
  if (v128.any_true(nan)) {
    store<f64>(MIN_OUT, NaN);
    return NaN;
  }
  const maxima = f64x2.pmax(max0, max1);
  const minima = f64x2.pmin(min0, min1);
  let max = Math.max(f64x2.extract_lane(maxima, 0), f64x2.extract_lane(maxima, 1));
  let min = Math.min(f64x2.extract_lane(minima, 0), f64x2.extract_lane(minima, 1));
  for (; i < n; i++) {
    const x = load<f64>(ptr + (<usize> i << 3));
    max = Math.max(max, x);
    min = Math.min(min, x);
  }
  store<f64>(MIN_OUT, min);
  return max;
}

/** For i < n: x_i ← x_i · factor, at ptr. */
export function scale(ptr: usize, n: i32, factor: f64): void {
  const factors = f64x2.splat(factor);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const p = ptr + (<usize> i << 3);
    v128.store(p, f64x2.mul(v128.load(p), factors));
  }
  if (i < n) {
    const p = ptr + (<usize> i << 3);
    store<f64>(p, load<f64>(p) * factor);
  }
}
