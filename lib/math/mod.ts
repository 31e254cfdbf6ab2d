/**
 * The math of choosing the next word, on plain arrays of numbers: conditional probability
 * (probability.ts), softmax with temperature and its allocation-free fast path (softmax.ts,
 * softmax_into.ts), entropy, cross-entropy and perplexity (information.ts), decoding rules such as
 * greedy, top-k, top-p and min-p (decoding.ts), repetition penalties (penalties.ts) and the one
 * order all of them run in (pipeline.ts), KL divergence (divergence.ts), calibration and
 * temperature scaling (calibration.ts), seeded randomness and sampling (random.ts, sampling.ts),
 * and the statistics that check samples (estimation.ts, chi_squared.ts). Nothing here knows about
 * words: a new formula on vectors of numbers goes in this folder.
 *
 * @module
 */

export * from "./probability.ts";
export * from "./softmax.ts";
export * from "./softmax_into.ts";
export * from "./fast_exp.ts";
export * from "./information.ts";
export * from "./decoding.ts";
export * from "./penalties.ts";
export * from "./pipeline.ts";
export * from "./divergence.ts";
export * from "./calibration.ts";
export * from "./random.ts";
export * from "./sampling.ts";
export * from "./estimation.ts";
export * from "./chi_squared.ts";
export * from "./pca.ts";
