/**
 * `deno bench bench/corpus_bench.ts --allow-read`: Brown corpus load, trigram counting, and both.
 * The Python `collections.Counter` comparison lives in bench/corpus_vs_python.ts.
 *
 * @module
 */

import { brownSentences } from "../lib/text/corpus.ts";
import { trainNGram } from "../lib/text/ngram.ts";

const sentences = await brownSentences();

Deno.bench("brownSentences(): load the Brown corpus", { group: "corpus" }, async () => {
  await brownSentences();
});

Deno.bench("trainNGram(…, 3): count trigrams of loaded sentences", { group: "corpus" }, () => {
  trainNGram(sentences, 3);
});

Deno.bench("load + trigram counts", { group: "corpus", baseline: true }, async () => {
  trainNGram(await brownSentences(), 3);
});
