/**
 * The tested math behind the "How LLMs work" notebooks: conditional probability, softmax with
 * temperature, entropy and cross-entropy, decoding rules and seeded sampling.
 *
 * Every notebook imports from here: `import { softmax } from "../lib/mod.ts";`.
 *
 * @module
 */

export * from "./probability.ts";
export * from "./softmax.ts";
export * from "./softmax_into.ts";
export * from "./information.ts";
export * from "./decoding.ts";
export * from "./random.ts";
export * from "./sampling.ts";
export * from "./plot.ts";
export * from "./show.ts";
export * from "./estimation.ts";
export * from "./chi_squared.ts";
export * from "./repetition.ts";
export * from "./slider_chart.ts";
export * from "./errorbar_chart.ts";
export * from "./marked_curve_chart.ts";
export * from "./side_by_side_chart.ts";
export * from "./corpus.ts";
export * from "./ngram.ts";
export * from "./bigram_model.ts";
export * from "./generate.ts";
