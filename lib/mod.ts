/**
 * The tested library behind the "How LLMs work" notebooks, by subject: `math/` (probability,
 * softmax with temperature, entropy and cross-entropy, decoding rules, seeded sampling,
 * calibration, statistics), `text/` (special tokens, the Brown corpus, tokenizers, n-gram and
 * bigram models, the language-model interface, generation, repetition), `nn/` (automatic
 * differentiation on tensors, the MLP and the transformer, loadModel), `charts/` (plotly charts
 * with text fallbacks), `exercises/` (the checks of the exercise notebooks), and `show()` for
 * Jupyter display.
 *
 * Every notebook imports from here: `import { softmax } from "../lib/mod.ts";`.
 *
 * @module
 */

export * from "./math/mod.ts";
export * from "./text/mod.ts";
export * from "./nn/mod.ts";
export * from "./charts/mod.ts";
export * from "./exercises/mod.ts";
export * from "./show.ts";
