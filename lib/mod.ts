/**
 * The tested library behind the "How LLMs work" notebooks, by subject: `math/` (probability,
 * softmax with temperature, entropy and cross-entropy, decoding rules, seeded sampling,
 * statistics), `text/` (special tokens, the Brown corpus, n-gram and bigram models, generation,
 * repetition), `charts/` (plotly charts with text fallbacks), and `show()` for Jupyter display.
 *
 * Every notebook imports from here: `import { softmax } from "../lib/mod.ts";`.
 *
 * @module
 */

export * from "./math/mod.ts";
export * from "./text/mod.ts";
export * from "./charts/mod.ts";
export * from "./exercises/mod.ts";
export * from "./show.ts";
