/**
 * `deno bench --allow-read bench/kernels_bench.ts`: issue 15's fast kernels against their teaching
 * versions: `expInto()` against a `Math.exp` loop on a GPT-2-sized vocabulary, and `gemm()` against
 * `gemmReference()` on a float32 product of the models' kind. The comparisons with numpy (and with
 * two threads) are in bench/report.ts.
 *
 * @module
 */

import { expInto } from "../lib/mod.ts";
import { gemm, gemmReference } from "../lib/nn/kernels.ts";
import { benchLogits, GPT2_VOCABULARY } from "./_data.ts";

const logits = benchLogits(GPT2_VOCABULARY);
const out = new Float64Array(GPT2_VOCABULARY);
Deno.bench(
  `Math.exp loop over ${GPT2_VOCABULARY} numbers`,
  { group: "exp", baseline: true },
  () => {
    for (let i = 0; i < logits.length; i++) out[i] = Math.exp(logits[i]!);
  },
);
Deno.bench(`expInto(out, ${GPT2_VOCABULARY} numbers)`, { group: "exp" }, () => {
  expInto(out, logits);
});

const [m, k, n] = [256, 64, 512];
const a = Float32Array.from({ length: m * k }, (_, i) => Math.sin(i));
const b = Float32Array.from({ length: k * n }, (_, i) => Math.cos(i));
const c = new Float32Array(m * n);
const label = `(${m}×${k})·(${k}×${n}) float32`;
Deno.bench(`gemmReference ${label}`, { group: "gemm", baseline: true }, () => {
  gemmReference(c, a, b, m, n, k);
});
Deno.bench(`gemm ${label}`, { group: "gemm" }, () => {
  gemm(c, a, b, m, n, k);
});
