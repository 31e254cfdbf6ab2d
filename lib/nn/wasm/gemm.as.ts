// @ts-nocheck: AssemblyScript (https://www.assemblyscript.org), not TypeScript; tools/build_wasm.ts
// deno-lint-ignore-file
/**
 * The float32 matrix product C = op(A) · op(B) (+ C) for lib/nn/kernels.ts, compiled by
 * `deno task build:wasm` into gemm.wasm. Row-major; op(A) is m × k, op(B) is k × n, C is m × n.
 *
 * The plan is the one every fast matrix product follows (Goto and van de Geijn, "Anatomy of
 * high-performance matrix multiplication", 2008), sized for WebAssembly's 128-bit vectors:
 *
 * - The micro-kernel keeps a 4 × 8 tile of C in eight f32x4 registers and, for each p, adds the
 *   outer product of 4 numbers of op(A) (one broadcast each) and 8 numbers of op(B) (two vector
 *   loads): 64 flops for 6 loads. Eight accumulators leave registers for the operands, so V8 spills
 *   nothing.
 * - op(A) and op(B) are first copied ("packed") into the exact order the micro-kernel reads them:
 *   4-row panels of op(A) and 8-column panels of op(B), p-major, zero-padded at the edges. Packing
 *   also absorbs the transposes: the micro-kernel never knows whether A or B was transposed.
 * - Blocking: KC values of p at a time (a panel of op(A), 4 × KC floats = 4 KB, stays in L1), NC
 *   columns of op(B) at a time (KC × NC floats = 1 MB, stays in L2).
 *
 * Every C_ij is computed the same way wherever it sits: for each block of KC values of p in order,
 * c ← c + a_ip · b_pj for p in order, with c starting at 0 (or at C_ij with accumulate). So the
 * bits do not depend on which rows or columns a thread was given. `f32x4.relaxed_madd` is one fused
 * multiply-add where the processor has one (most x86-64 since 2013, every ARM64): one rounding per
 * step; elsewhere a multiply and an add, two. Either way the same on every run of one machine.
 *
 * Memory: the caller (lib/nn/kernels.ts) places A, B, C and a per-thread workspace of
 * WORKSPACE_BYTES in the shared memory and passes their byte offsets.
 */

const MR: i32 = 4;
const NR: i32 = 8;
const KC: i32 = 256;
const NC: i32 = 1024;
const MC: i32 = 128;

/** Bytes of workspace one thread needs: packed B, packed A and one edge tile. */
export const WORKSPACE_BYTES: i32 = (KC * (NC + NR) + KC * (MC + MR) + MR * NR) * 4;

/** 4 × 4 transposes in registers (a static method so that `@inline` survives deno fmt). */
class Transpose {
  /**
   * Stores the columns of the 4 × 4 block with rows r0 … r3 (f32x4 each) at dst, dst + step,
   * dst + 2 step, dst + 3 step.
   */
  @inline
  static store4x4(r0: v128, r1: v128, r2: v128, r3: v128, dst: usize, step: usize): void {
    const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5); // r0[0] r1[0] r0[1] r1[1]
    const t1 = i32x4.shuffle(r2, r3, 0, 4, 1, 5); // r2[0] r3[0] r2[1] r3[1]
    const t2 = i32x4.shuffle(r0, r1, 2, 6, 3, 7); // r0[2] r1[2] r0[3] r1[3]
    const t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7); // r2[2] r3[2] r2[3] r3[3]
    v128.store(dst, i64x2.shuffle(t0, t1, 0, 2));
    v128.store(dst + step, i64x2.shuffle(t0, t1, 1, 3));
    v128.store(dst + 2 * step, i64x2.shuffle(t2, t3, 0, 2));
    v128.store(dst + 3 * step, i64x2.shuffle(t2, t3, 1, 3));
  }
}

/**
 * Packs rows [i0, i0 + mc) × columns [p0, p0 + kc) of op(A) into 4-row panels, p-major:
 * panel[p · 4 + r] = op(A)[i0 + 4q + r, p0 + p], zero past row m.
 */
function packA(
  a: usize,
  lda: i32,
  transA: bool,
  i0: i32,
  mc: i32,
  p0: i32,
  kc: i32,
  dst: usize,
): void {
  for (let ir = 0; ir < mc; ir += MR) {
    const rows = min(MR, mc - ir);
    const panel = dst + (<usize> (ir * kc) << 2);
    if (!transA && rows == MR) {
      // op(A)[i, p] = A[i, p]: each 4 × 4 block of the 4 rows is transposed in registers.
      const row = a + (<usize> ((i0 + ir) * lda + p0) << 2);
      const stride = <usize> lda << 2;
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const at = row + (<usize> p << 2);
        Transpose.store4x4(
          v128.load(at),
          v128.load(at + stride),
          v128.load(at + 2 * stride),
          v128.load(at + 3 * stride),
          panel + (<usize> (p * MR) << 2),
          16,
        );
      }
      for (; p < kc; p++) {
        for (let r = 0; r < MR; r++) {
          store<f32>(
            panel + (<usize> (p * MR + r) << 2),
            load<f32>(row + (<usize> r * stride) + (<usize> p << 2)),
          );
        }
      }
      continue;
    }
    if (transA && rows == MR) {
      // op(A)[i, p] = A[p, i]: the 4 rows of the panel are 4 neighbours in memory.
      for (let p = 0; p < kc; p++) {
        v128.store(
          panel + (<usize> (p * MR) << 2),
          v128.load(a + (<usize> ((p0 + p) * lda + i0 + ir) << 2)),
        );
      }
      continue;
    }
    for (let r = 0; r < MR; r++) {
      for (let p = 0; p < kc; p++) {
        let v: f32 = 0;
        if (r < rows) {
          const i = i0 + ir + r;
          const q = p0 + p;
          v = transA
            ? load<f32>(a + (<usize> (q * lda + i) << 2))
            : load<f32>(a + (<usize> (i * lda + q) << 2));
        }
        store<f32>(panel + (<usize> (p * MR + r) << 2), v);
      }
    }
  }
}

/**
 * Packs rows [p0, p0 + kc) × columns [j0, j0 + nc) of op(B) into 8-column panels, p-major:
 * panel[p · 8 + c] = op(B)[p0 + p, j0 + 8q + c], zero past column n.
 */
function packB(
  b: usize,
  ldb: i32,
  transB: bool,
  p0: i32,
  kc: i32,
  j0: i32,
  nc: i32,
  dst: usize,
): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const cols = min(NR, nc - jr);
    const panel = dst + (<usize> (jr * kc) << 2);
    if (transB && cols == NR) {
      // op(B)[p, j] = B[j, p]: each 4 × 4 block of the 8 rows of B is transposed in registers.
      const row = b + (<usize> ((j0 + jr) * ldb + p0) << 2);
      const stride = <usize> ldb << 2;
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const at = row + (<usize> p << 2);
        const out = panel + (<usize> (p * NR) << 2);
        Transpose.store4x4(
          v128.load(at),
          v128.load(at + stride),
          v128.load(at + 2 * stride),
          v128.load(at + 3 * stride),
          out,
          32,
        );
        Transpose.store4x4(
          v128.load(at + 4 * stride),
          v128.load(at + 5 * stride),
          v128.load(at + 6 * stride),
          v128.load(at + 7 * stride),
          out + 16,
          32,
        );
      }
      for (; p < kc; p++) {
        for (let c = 0; c < NR; c++) {
          store<f32>(
            panel + (<usize> (p * NR + c) << 2),
            load<f32>(row + (<usize> c * stride) + (<usize> p << 2)),
          );
        }
      }
      continue;
    }
    if (!transB && cols == NR) {
      // op(B)[p, j] = B[p, j]: the 8 columns of the panel are 8 neighbours in memory.
      for (let p = 0; p < kc; p++) {
        const src = b + (<usize> ((p0 + p) * ldb + j0 + jr) << 2);
        const out = panel + (<usize> (p * NR) << 2);
        v128.store(out, v128.load(src));
        v128.store(out, v128.load(src, 16), 16);
      }
      continue;
    }
    for (let c = 0; c < NR; c++) {
      for (let p = 0; p < kc; p++) {
        let v: f32 = 0;
        if (c < cols) {
          const q = p0 + p;
          const j = j0 + jr + c;
          v = transB
            ? load<f32>(b + (<usize> (j * ldb + q) << 2))
            : load<f32>(b + (<usize> (q * ldb + j) << 2));
        }
        store<f32>(panel + (<usize> (p * NR + c) << 2), v);
      }
    }
  }
}

/**
 * The micro-kernel: the 4 × 8 tile of C at c (rows ldc floats apart) += panel ap · panel bp, over
 * kc values of p; with start, the tile is overwritten instead (it starts from 0, not from C).
 */
function kernel(ap: usize, bp: usize, c: usize, ldc: i32, kc: i32, start: bool): void {
  const row = <usize> ldc << 2;
  let c00 = f32x4.splat(0);
  let c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0);
  let c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0);
  let c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0);
  let c31 = f32x4.splat(0);
  if (!start) {
    c00 = v128.load(c);
    c01 = v128.load(c, 16);
    c10 = v128.load(c + row);
    c11 = v128.load(c + row, 16);
    c20 = v128.load(c + 2 * row);
    c21 = v128.load(c + 2 * row, 16);
    c30 = v128.load(c + 3 * row);
    c31 = v128.load(c + 3 * row, 16);
  }
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap);
    c00 = f32x4.relaxed_madd(a, b0, c00);
    c01 = f32x4.relaxed_madd(a, b1, c01);
    a = v128.load32_splat(ap, 4);
    c10 = f32x4.relaxed_madd(a, b0, c10);
    c11 = f32x4.relaxed_madd(a, b1, c11);
    a = v128.load32_splat(ap, 8);
    c20 = f32x4.relaxed_madd(a, b0, c20);
    c21 = f32x4.relaxed_madd(a, b1, c21);
    a = v128.load32_splat(ap, 12);
    c30 = f32x4.relaxed_madd(a, b0, c30);
    c31 = f32x4.relaxed_madd(a, b1, c31);
    ap += 16;
    bp += 32;
  }
  v128.store(c, c00);
  v128.store(c, c01, 16);
  v128.store(c + row, c10);
  v128.store(c + row, c11, 16);
  v128.store(c + 2 * row, c20);
  v128.store(c + 2 * row, c21, 16);
  v128.store(c + 3 * row, c30);
  v128.store(c + 3 * row, c31, 16);
}

/**
 * The block rows [rowStart, rowEnd) × columns [colStart, colEnd) of C = op(A) · op(B) (+ C when
 * accumulate != 0), using the workspace at work (WORKSPACE_BYTES). a, b, c are byte offsets; A is
 * m × k (k × m with transA), B is k × n (n × k with transB), C is m × n. Threads share the work by
 * rows or by columns; either way each entry gets the same operations.
 */
export function gemm(
  a: usize,
  b: usize,
  c: usize,
  m: i32,
  n: i32,
  k: i32,
  transA: i32,
  transB: i32,
  accumulate: i32,
  rowStart: i32,
  rowEnd: i32,
  colStart: i32,
  colEnd: i32,
  work: usize,
): void {
  const lda = transA ? m : k;
  const ldb = transB ? k : n;
  const packedB = work;
  const packedA = packedB + (<usize> (KC * (NC + NR)) << 2);
  const tile = packedA + (<usize> (KC * (MC + MR)) << 2);
  if (k == 0 && !accumulate) {
    // No products to add: C is the zero matrix.
    for (let i = rowStart; i < rowEnd; i++) {
      memory.fill(c + (<usize> (i * n + colStart) << 2), 0, <usize> (colEnd - colStart) << 2);
    }
  }
  for (let jc = colStart; jc < colEnd; jc += NC) {
    const nc = min(NC, colEnd - jc);
    for (let pc = 0; pc < k; pc += KC) {
      const kc = min(KC, k - pc);
      const start = pc == 0 && !accumulate; // the first block overwrites C
      packB(b, ldb, transB != 0, pc, kc, jc, nc, packedB);
      for (let ic = rowStart; ic < rowEnd; ic += MC) {
        const mc = min(MC, rowEnd - ic);
        packA(a, lda, transA != 0, ic, mc, pc, kc, packedA);
        for (let ir = 0; ir < mc; ir += MR) {
          const rows = min(MR, mc - ir);
          const ap = packedA + (<usize> (ir * kc) << 2);
          for (let jr = 0; jr < nc; jr += NR) {
            const cols = min(NR, nc - jr);
            const bp = packedB + (<usize> (jr * kc) << 2);
            const cp = c + (<usize> ((ic + ir) * n + jc + jr) << 2);
            if (rows == MR && cols == NR) {
              kernel(ap, bp, cp, n, kc, start);
              continue;
            }
            // An edge tile: through a full 4 × 8 copy, so the kernel runs unchanged.
            for (let r = 0; r < MR; r++) {
              for (let q = 0; q < NR; q++) {
                const inside = !start && r < rows && q < cols;
                store<f32>(
                  tile + (<usize> (r * NR + q) << 2),
                  inside ? load<f32>(cp + (<usize> (r * n + q) << 2)) : <f32> 0,
                );
              }
            }
            kernel(ap, bp, tile, NR, kc, false);
            for (let r = 0; r < rows; r++) {
              for (let q = 0; q < cols; q++) {
                store<f32>(
                  cp + (<usize> (r * n + q) << 2),
                  load<f32>(tile + (<usize> (r * NR + q) << 2)),
                );
              }
            }
          }
        }
      }
    }
  }
}
