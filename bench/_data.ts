/**
 * The inputs every benchmark shares, deterministic so that ours and numpy's see the same numbers:
 * logits of GPT-2's vocabulary size (50,257) and o200k's (200,019), and one fixed 50,257-way
 * distribution for the sampling benchmark.
 *
 * @module
 */

import { categoricalSampler, seededRandom, softmax } from "../lib/mod.ts";

/** GPT-2's vocabulary size. */
export const GPT2_VOCABULARY = 50_257;
/** The o200k tokenizer's vocabulary size. */
export const O200K_VOCABULARY = 200_019;
/** The temperature of the softmax benchmark. */
export const BENCH_TEMPERATURE = 0.7;
/** Draws in the sampling benchmark. */
export const DRAWS = 100_000;

/**
 * n logits spread like a model's: roughly normal, mean 0, standard deviation 3 (the sum of 12
 * uniforms minus 6, times 3), from a fixed seed.
 */
export function benchLogits(n: number, seed = 1): Float64Array {
  const random = seededRandom(seed);
  const logits = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = -6;
    for (let k = 0; k < 12; k++) s += random();
    logits[i] = 3 * s;
  }
  return logits;
}

/** The fixed 50,257-way distribution the sampling benchmark draws from: softmax of the logits. */
export function benchDistribution(): Float64Array {
  return softmax(benchLogits(GPT2_VOCABULARY, 2));
}

/** The timed sampling work: build the alias table, then fill an Int32Array with `draws` draws. */
export function drawWithAliasTable(
  probs: ArrayLike<number>,
  draws: number,
  seed: number,
): Int32Array {
  const draw = categoricalSampler(probs);
  const random = seededRandom(seed);
  const out = new Int32Array(draws);
  for (let d = 0; d < draws; d++) out[d] = draw(random);
  return out;
}
