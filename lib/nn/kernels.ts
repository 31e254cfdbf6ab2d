/**
 * The matrix product behind every layer: {@linkcode gemm} ("general matrix multiply", the BLAS
 * name), a readable reference {@linkcode gemmReference}, and {@linkcode useGemmThreads} to spread
 * the work over the processor's cores.
 *
 * `gemmReference` is the teaching version: three loops, C_ij += A_ip · B_pj. `gemm` gives the same
 * numbers up to float32 rounding, 15 to 30 times faster, by running a WebAssembly SIMD kernel
 * (lib/nn/wasm/gemm.as.ts: packed panels, a 4 × 8 register tile, four multiply-adds per
 * instruction); its module doc explains the plan. Float64Array products (gradient checks) take the
 * reference path: exactness matters there, not speed.
 *
 * The kernel works in its own WebAssembly memory: `gemm` copies A and B in (and C, to accumulate)
 * and the result out. At the course's models' shapes the copies take from under 10% of the time
 * (inner dimensions of 128 and more) to about a quarter (a 512 × 5000 result from 64-long rows);
 * `deno task bench` measures gemm with them. Keeping the arrays in the kernel's memory would save
 * that, at the price of an allocator; not done.
 *
 * @module
 */

import { checkInteger, formatValue } from "../_validate.ts";
import { gemmWasm } from "./wasm/gemm_wasm.ts";
import { Worker } from "node:worker_threads";

/** Options of {@linkcode gemm} and {@linkcode gemmReference}. */
export interface GemmOptions {
  /** Read `a` as stored transposed: `a` is (k, m) and op(a) = aᵀ. Default false. */
  transA?: boolean;
  /** Read `b` as stored transposed: `b` is (n, k) and op(b) = bᵀ. Default false. */
  transB?: boolean;
  /** Add the product into `out` instead of overwriting it. Default false. */
  accumulate?: boolean;
}

type Matrix = Float32Array | Float64Array;

/**
 * Checks gemm's arguments: one element type, integer sizes, matching lengths, `out` apart from
 * `a` and `b`.
 */
function checkGemm(
  out: Matrix,
  a: Matrix,
  b: Matrix,
  m: number,
  n: number,
  k: number,
  options: GemmOptions,
): void {
  if (!(out instanceof Float32Array || out instanceof Float64Array)) {
    throw new TypeError(
      `\`out\` must be a Float32Array or a Float64Array, got ${
        Object.prototype.toString.call(out)
      }`,
    );
  }
  for (const [name, array] of [["a", a], ["b", b]] as const) {
    if (!(array instanceof out.constructor)) {
      throw new TypeError(
        `\`${name}\` must be a ${out.constructor.name} like \`out\`, got ${
          Object.prototype.toString.call(array)
        }`,
      );
    }
  }
  checkInteger(m, "m", { min: 0 });
  checkInteger(n, "n", { min: 0 });
  checkInteger(k, "k", { min: 0 });
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`\`options\` must be an object, got ${formatValue(options)}`);
  }
  for (
    const [name, array, rows, cols] of [["out", out, "m", "n"], ["a", a, "m", "k"], [
      "b",
      b,
      "k",
      "n",
    ]] as const
  ) {
    const sizes = { m, n, k };
    const length = sizes[rows] * sizes[cols];
    if (array.length !== length) {
      throw new RangeError(
        `\`${name}\` must have ${rows}·${cols} = ${length} entries, got ${array.length}`,
      );
    }
  }
  for (const [name, array] of [["a", a], ["b", b]] as const) {
    if (
      out.buffer === array.buffer && out.length > 0 && array.length > 0 &&
      out.byteOffset < array.byteOffset + array.byteLength &&
      array.byteOffset < out.byteOffset + out.byteLength
    ) {
      throw new RangeError(`\`out\` must not share memory with \`${name}\``);
    }
  }
}

/**
 * The matrix product in three plain loops, the teaching version of {@linkcode gemm}.
 *
 * Formula: out_ij = Σ_p op(a)_ip · op(b)_pj (+ out_ij with `accumulate`), i < m, j < n, p < k,
 * where op(a) = a, or aᵀ with `transA` (and likewise b). Row-major: op(a)_ip is `a[i * k + p]`,
 * or `a[p * m + i]` transposed. The loops run i, then p, then j, so each out_ij adds its k
 * products in the order p = 0, 1, …, k − 1, rounding to the array's precision after each one.
 * Runs in O(m·n·k).
 *
 * @param out The result (m, n): a `Float32Array` or `Float64Array` of m·n entries, apart from `a`
 *   and `b`.
 * @param a m·k entries, (m, k) or, with `transA`, (k, m); the element type of `out`.
 * @param b k·n entries, (k, n) or, with `transB`, (n, k); the element type of `out`.
 * @param m Rows of the result.
 * @param n Columns of the result.
 * @param k The shared dimension.
 * @param options `transA`, `transB`, `accumulate` (all default false).
 * @returns `out`.
 * @throws {TypeError} When the arrays are not all Float32Array or all Float64Array, or a size is
 *   not a number.
 * @throws {RangeError} When a size is not a non-negative integer, a length does not match, or
 *   `out` overlaps `a` or `b`.
 * @example
 * ```ts
 * import { gemmReference } from "./kernels.ts";
 * import assert from "node:assert/strict";
 * // [[1, 2], [3, 4]] · [[5, 6], [7, 8]]
 * const a = Float64Array.of(1, 2, 3, 4), b = Float64Array.of(5, 6, 7, 8);
 * assert.deepEqual([...gemmReference(new Float64Array(4), a, b, 2, 2, 2)], [19, 22, 43, 50]);
 * // aᵀ · b
 * assert.deepEqual(
 *   [...gemmReference(new Float64Array(4), a, b, 2, 2, 2, { transA: true })],
 *   [26, 30, 38, 44],
 * );
 * ```
 */
export function gemmReference<T extends Matrix>(
  out: T,
  a: T,
  b: T,
  m: number,
  n: number,
  k: number,
  options: GemmOptions = {},
): T {
  checkGemm(out, a, b, m, n, k, options);
  const { transA = false, transB = false, accumulate = false } = options;
  if (!accumulate) out.fill(0);
  for (let i = 0; i < m; i++) {
    for (let p = 0; p < k; p++) {
      const aip = transA ? a[p * m + i]! : a[i * k + p]!;
      for (let j = 0; j < n; j++) {
        out[i * n + j]! += aip * (transB ? b[j * k + p]! : b[p * n + j]!);
      }
    }
  }
  return out;
}

// --- The WebAssembly kernel and its threads -------------------------------------------------

/** Byte layout of the shared memory: the control block, then one workspace per thread. */
const CONTROL = 0;
const WORKSPACES = 4096;
const PAGE = 65536;
/** Int32 slots of the control block. */
const JOB = 0; // incremented for each job (and to wake workers that are to stop)
const DONE = 1; // workers that finished the current job
const ARGS = 2; // a, b, c, m, n, k, transA, transB, accumulate, threads: slots 2 … 11
const GENERATION = 12; // a worker started in another generation stops, and never computes
/** A worker silent this long has died: better an error than a hang. */
const WORKER_TIMEOUT_MS = 60_000;
/** Below this many multiply-adds, one thread: waking a worker costs about 20 µs. */
const THREADED_WORK = 1 << 21;

interface Engine {
  memory: WebAssembly.Memory;
  gemm: (...args: number[]) => void;
  workspaceBytes: number;
  workers: Worker[];
}

/**
 * The kernel's instance, created on first use. Its memory grows to the largest product seen and is
 * then reused; it holds no result between calls. `workers` is the one piece of real state, set by
 * {@linkcode useGemmThreads}.
 */
let engine: Engine | undefined;

function gemmEngine(): Engine {
  if (engine !== undefined) return engine;
  const module = new WebAssembly.Module(gemmWasm() as Uint8Array<ArrayBuffer>);
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 65536, shared: true });
  const { exports } = new WebAssembly.Instance(module, { env: { memory } });
  engine = {
    memory,
    gemm: exports.gemm as Engine["gemm"],
    workspaceBytes: (exports.WORKSPACE_BYTES as WebAssembly.Global).value as number,
    workers: [],
  };
  return engine;
}

/** Grows the memory to at least `bytes`. */
function reserve(memory: WebAssembly.Memory, bytes: number): void {
  const have = memory.buffer.byteLength;
  if (bytes > have) memory.grow(Math.ceil((bytes - have) / PAGE));
}

/**
 * The block of the result thread t of `threads` computes: a band of rows (in multiples of 4) or,
 * when the result has more columns than rows, a band of columns (in multiples of 8). Each thread
 * packs the whole of the other operand, so the band runs across the larger dimension.
 *
 * @returns [rowStart, rowEnd, colStart, colEnd].
 */
function blockOf(
  t: number,
  threads: number,
  m: number,
  n: number,
): [number, number, number, number] {
  if (n <= m) {
    const share = Math.ceil(m / threads / 4) * 4;
    return [Math.min(m, t * share), Math.min(m, (t + 1) * share), 0, n];
  }
  const share = Math.ceil(n / threads / 8) * 8;
  return [0, m, Math.min(n, t * share), Math.min(n, (t + 1) * share)];
}

/**
 * The matrix product, fast: C = op(A) · op(B) (+ C), row-major, the arithmetic of
 * {@linkcode gemmReference} in a WebAssembly SIMD kernel for `Float32Array`s.
 *
 * Formula: out_ij = Σ_p op(a)_ip · op(b)_pj (+ out_ij with `accumulate`), as
 * {@linkcode gemmReference}. `Float64Array`s go through `gemmReference` itself. For
 * `Float32Array`s, each out_ij is a float32 sum of its k products in the order p = 0 … k − 1 with
 * one rounding per step (a fused multiply-add; two roundings on a processor without one), so
 * |gemm − gemmReference| <= (3k + 2) · 2^−24 · (|op(a)| · |op(b)| + |out₀|) entry by entry, where
 * |·| takes absolute values entrywise and out₀ is the accumulated input. The same inputs give the
 * same bits on every run, with any number of threads ({@linkcode useGemmThreads}). Runs in
 * O(m·n·k): 20–30 GFLOPS on one core of a 2020s x86-64 processor at the models' shapes.
 *
 * @param out The result (m, n): a `Float32Array` or `Float64Array` of m·n entries, apart from `a`
 *   and `b`.
 * @param a m·k entries, (m, k) or, with `transA`, (k, m); the element type of `out`.
 * @param b k·n entries, (k, n) or, with `transB`, (n, k); the element type of `out`.
 * @param m Rows of the result.
 * @param n Columns of the result.
 * @param k The shared dimension.
 * @param options `transA`, `transB`, `accumulate` (all default false).
 * @returns `out`.
 * @throws {TypeError} As {@linkcode gemmReference}.
 * @throws {RangeError} As {@linkcode gemmReference}.
 * @example
 * ```ts
 * import { gemm } from "./kernels.ts";
 * import assert from "node:assert/strict";
 * const a = Float32Array.of(1, 2, 3, 4, 5, 6); // (2, 3)
 * const b = Float32Array.of(1, 0, 0, 1, 1, 1); // (3, 2)
 * assert.deepEqual([...gemm(new Float32Array(4), a, b, 2, 2, 3)], [4, 5, 10, 11]);
 * const c = Float32Array.of(1, 1, 1, 1);
 * gemm(c, a, b, 2, 2, 3, { accumulate: true }); // c += a · b
 * assert.deepEqual([...c], [5, 6, 11, 12]);
 * ```
 */
export function gemm<T extends Matrix>(
  out: T,
  a: T,
  b: T,
  m: number,
  n: number,
  k: number,
  options: GemmOptions = {},
): T {
  if (!(out instanceof Float32Array)) return gemmReference(out, a, b, m, n, k, options);
  checkGemm(out, a, b, m, n, k, options);
  const { transA = false, transB = false, accumulate = false } = options;
  if (m === 0 || n === 0) return out;
  const kernel = gemmEngine();
  const threads = m * n * k >= THREADED_WORK ? kernel.workers.length + 1 : 1;
  // Layout: workspaces, then A, B, C, each 16-byte aligned.
  const align = (bytes: number) => Math.ceil(bytes / 16) * 16;
  const aAt = WORKSPACES + Math.max(1, kernel.workers.length + 1) * kernel.workspaceBytes;
  const bAt = aAt + align(4 * m * k);
  const cAt = bAt + align(4 * k * n);
  reserve(kernel.memory, cAt + 4 * m * n);
  const buffer = kernel.memory.buffer;
  new Float32Array(buffer, aAt, m * k).set(a);
  new Float32Array(buffer, bAt, k * n).set(b);
  const c = new Float32Array(buffer, cAt, m * n);
  if (accumulate) c.set(out);
  const args = [aAt, bAt, cAt, m, n, k, +transA, +transB, +accumulate] as const;
  if (threads === 1) {
    kernel.gemm(...args, 0, m, 0, n, WORKSPACES);
  } else {
    const control = new Int32Array(buffer, CONTROL, 16);
    control.set([...args, threads], ARGS);
    Atomics.store(control, DONE, 0);
    Atomics.add(control, JOB, 1);
    Atomics.notify(control, JOB);
    kernel.gemm(...args, ...blockOf(0, threads, m, n), WORKSPACES);
    for (let done = Atomics.load(control, DONE); done < threads - 1;) {
      if (Atomics.wait(control, DONE, done, WORKER_TIMEOUT_MS) === "timed-out") {
        throw new Error(`gemm(): a worker did not answer within ${WORKER_TIMEOUT_MS} ms`);
      }
      done = Atomics.load(control, DONE);
    }
  }
  out.set(c);
  return out;
}

/**
 * The threads training uses unless told otherwise (`deno task train`, the bench's training line):
 * the machine's cores, at most 2, the course's reference machine (more did not pay there).
 *
 * @returns An integer in [1, 2].
 * @example
 * ```ts
 * import { defaultGemmThreads } from "./kernels.ts";
 * import assert from "node:assert/strict";
 * assert.ok([1, 2].includes(defaultGemmThreads()));
 * ```
 */
export function defaultGemmThreads(): number {
  return Math.max(1, Math.min(2, navigator.hardwareConcurrency ?? 1));
}

/**
 * Sets how many threads {@linkcode gemm} uses: the calling thread plus `threads − 1` workers, each
 * computing a band of rows (or of columns, for a result wider than tall). The result does not
 * depend on it: every entry is computed by the same operations whichever thread computes it.
 * Products below about 2 million multiply-adds stay on one thread. The workers do not keep a Deno
 * process alive. Call it once at a time (await it before calling it again).
 *
 * Formula: threads = 1 + the number of workers. Starting a worker takes a few tens of ms.
 *
 * @param threads 1 (the default, no workers) up to 64, e.g. `navigator.hardwareConcurrency`.
 * @returns A promise that resolves when the workers are ready (at once for 1).
 * @throws {TypeError} When `threads` is not a number.
 * @throws {RangeError} When `threads` is not an integer in [1, 64].
 * @example
 * ```ts
 * import { gemm, useGemmThreads } from "./kernels.ts";
 * import assert from "node:assert/strict";
 * const a = new Float32Array(256 * 128).fill(1), b = new Float32Array(128 * 64).fill(0.5);
 * await useGemmThreads(2);
 * const two = gemm(new Float32Array(256 * 64), a, b, 256, 64, 128);
 * await useGemmThreads(1);
 * const one = gemm(new Float32Array(256 * 64), a, b, 256, 64, 128);
 * assert.deepEqual(two, one);
 * assert.equal(one[0], 64);
 * ```
 */
export async function useGemmThreads(threads: number): Promise<void> {
  checkInteger(threads, "threads", { min: 1, max: 64 });
  const kernel = gemmEngine();
  const control = new Int32Array(kernel.memory.buffer, CONTROL, 16);
  // Retire the workers there are (a new generation, then a wake-up), then start the number asked
  // for: simple, and rare. A retired worker that wakes late sees the new generation and stops.
  const generation = Atomics.add(control, GENERATION, 1) + 1;
  Atomics.add(control, JOB, 1);
  Atomics.notify(control, JOB);
  await Promise.all(kernel.workers.map((worker) => worker.terminate()));
  kernel.workers = [];
  if (threads === 1) return;
  reserve(kernel.memory, WORKSPACES + threads * kernel.workspaceBytes);
  const url = new URL("./wasm/gemm_worker.ts", import.meta.url);
  const workers = Array.from({ length: threads - 1 }, () => new Worker(url));
  await Promise.all(workers.map((worker, i) =>
    new Promise<void>((resolve, reject) => {
      worker.once("message", () => resolve());
      worker.once("error", reject);
      worker.postMessage({ memory: kernel.memory, thread: i + 1, generation });
    })
  ));
  for (const worker of workers) worker.unref();
  kernel.workers = workers;
}
