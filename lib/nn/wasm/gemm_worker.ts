/**
 * One worker thread of lib/nn/kernels.ts's `gemm` (started by `useGemmThreads`). It instantiates
 * the same kernel on the shared memory it is sent, says it is ready, then waits on the control
 * block for jobs: for each, it computes its band of rows or columns with its own workspace and
 * counts itself done. A change of generation (`useGemmThreads` starting others) ends it. The layout
 * of the control block is kernels.ts's.
 *
 * @module
 */

import { parentPort } from "node:worker_threads";
import { gemmWasm } from "./gemm_wasm.ts";

const JOB = 0;
const DONE = 1;
const ARGS = 2;
const GENERATION = 12;
const WORKSPACES = 4096;

/** The message that starts a worker. */
interface Start {
  memory: WebAssembly.Memory;
  thread: number;
  generation: number;
}

function serve({ memory, thread, generation }: Start): void {
  const module = new WebAssembly.Module(gemmWasm() as Uint8Array<ArrayBuffer>);
  const { exports } = new WebAssembly.Instance(module, { env: { memory } });
  const gemm = exports.gemm as (...args: number[]) => void;
  const workspaceBytes = (exports.WORKSPACE_BYTES as WebAssembly.Global).value as number;
  const workspace = WORKSPACES + thread * workspaceBytes;
  const control = new Int32Array(memory.buffer, 0, 16);
  let seen = Atomics.load(control, JOB); // read before "ready": the first job may follow at once
  parentPort!.postMessage("ready");
  for (;;) {
    Atomics.wait(control, JOB, seen);
    if (Atomics.load(control, GENERATION) !== generation) return;
    const job = Atomics.load(control, JOB);
    if (job === seen) continue;
    seen = job;
    const [a, b, c, m, n, k, transA, transB, accumulate, threads] = control.slice(ARGS, ARGS + 10);
    // The same split as kernels.ts's blockOf(): rows in fours, or columns in eights when n > m.
    let [rowStart, rowEnd, colStart, colEnd] = [0, m!, 0, n!];
    if (n! <= m!) {
      const share = Math.ceil(m! / threads! / 4) * 4;
      [rowStart, rowEnd] = [Math.min(m!, thread * share), Math.min(m!, (thread + 1) * share)];
    } else {
      const share = Math.ceil(n! / threads! / 8) * 8;
      [colStart, colEnd] = [Math.min(n!, thread * share), Math.min(n!, (thread + 1) * share)];
    }
    if (rowStart < rowEnd && colStart < colEnd) {
      gemm(
        a!,
        b!,
        c!,
        m!,
        n!,
        k!,
        transA!,
        transB!,
        accumulate!,
        rowStart,
        rowEnd,
        colStart,
        colEnd,
        workspace,
      );
    }
    Atomics.add(control, DONE, 1);
    Atomics.notify(control, DONE);
  }
}

parentPort!.once("message", serve);
