/**
 * `deno bench --allow-read bench/sampling_bench.ts`: 100,000 draws from one fixed 50,257-way
 * distribution, sampler set-up included. The alias table of `categoricalSampler()` against a
 * cumulative sum plus binary search (what numpy's `Generator.choice` does); 100,000 calls of the
 * O(n) `sampleIndex()` would take seconds, so it is left out. The numpy comparison is in
 * bench/report.ts.
 *
 * @module
 */

import { seededRandom } from "../lib/mod.ts";
import { benchDistribution, DRAWS, drawWithAliasTable } from "./_data.ts";

const probs = benchDistribution();

Deno.bench(
  `categoricalSampler(): set-up + ${DRAWS} draws (alias table)`,
  { group: "draws", baseline: true },
  () => {
    drawWithAliasTable(probs, DRAWS, 7);
  },
);

Deno.bench(`cumulative sum + binary search: ${DRAWS} draws`, { group: "draws" }, () => {
  const random = seededRandom(7);
  const cdf = new Float64Array(probs.length);
  let sum = 0;
  for (let i = 0; i < probs.length; i++) cdf[i] = sum += probs[i]!;
  const out = new Int32Array(DRAWS);
  for (let d = 0; d < DRAWS; d++) {
    const u = random() * sum;
    let lo = 0;
    let hi = cdf.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cdf[mid]! > u) hi = mid;
      else lo = mid + 1;
    }
    out[d] = lo;
  }
});
