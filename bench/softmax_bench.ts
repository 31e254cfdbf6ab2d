/**
 * `deno bench --allow-read bench/softmax_bench.ts`: softmax with temperature on a GPT-2-sized and
 * an o200k-sized vocabulary, the teaching `softmax()` against the `softmaxInto()` fast path. The
 * numpy comparison is in bench/report.ts.
 *
 * @module
 */

import { softmax, softmaxInto } from "../lib/mod.ts";
import { BENCH_TEMPERATURE, benchLogits, GPT2_VOCABULARY, O200K_VOCABULARY } from "./_data.ts";

for (const n of [GPT2_VOCABULARY, O200K_VOCABULARY]) {
  const logits = benchLogits(n);
  const out = new Float64Array(n);
  const group = `softmax ${n}`;
  Deno.bench(`softmax(${n} logits, T = ${BENCH_TEMPERATURE})`, { group, baseline: true }, () => {
    softmax(logits, BENCH_TEMPERATURE);
  });
  Deno.bench(`softmaxInto(out, ${n} logits, T = ${BENCH_TEMPERATURE})`, { group }, () => {
    softmaxInto(out, logits, BENCH_TEMPERATURE);
  });
}
