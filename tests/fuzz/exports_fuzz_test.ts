/**
 * Issue 12's property over every export of lib/math, lib/charts, lib/show.ts and the issue's
 * lib/text files: a well-formed result or a RangeError / TypeError naming a parameter, quickly,
 * without touching the input (see _fuzz.ts). `deno task test` runs DEFAULT_RUNS cases with seed
 * 42; `deno task fuzz` runs FUZZ_RUNS = 100,000 with a fresh seed.
 *
 * @module
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import * as probability from "../../lib/math/probability.ts";
import * as softmax from "../../lib/math/softmax.ts";
import * as softmaxInto from "../../lib/math/softmax_into.ts";
import * as information from "../../lib/math/information.ts";
import * as decoding from "../../lib/math/decoding.ts";
import * as random from "../../lib/math/random.ts";
import * as sampling from "../../lib/math/sampling.ts";
import * as estimation from "../../lib/math/estimation.ts";
import * as chiSquared from "../../lib/math/chi_squared.ts";
import * as html from "../../lib/charts/html.ts";
import * as chart from "../../lib/charts/chart.ts";
import * as barLine from "../../lib/charts/bar_line.ts";
import * as venn from "../../lib/charts/venn.ts";
import * as slider from "../../lib/charts/slider.ts";
import * as errorbar from "../../lib/charts/errorbar.ts";
import * as markedCurve from "../../lib/charts/marked_curve.ts";
import * as sideBySide from "../../lib/charts/side_by_side.ts";
import * as show from "../../lib/show.ts";
import * as corpus from "../../lib/text/corpus.ts";
import * as ngram from "../../lib/text/ngram.ts";
import * as bigram from "../../lib/text/bigram_model.ts";
import * as generate from "../../lib/text/generate.ts";
import * as repetition from "../../lib/text/repetition.ts";
import * as tokens from "../../lib/text/tokens.ts";
import { ONLY, probe, runsFor, SEED, type Target, TIME_LIMIT_MS, TOTAL_RUNS } from "./_fuzz.ts";
import { mathTargets } from "./_targets_math.ts";
import { textTargets } from "./_targets_text.ts";
import { chartTargets } from "./_targets_charts.ts";

const targets: Target[] = [...mathTargets, ...textTargets, ...chartTargets];
const totalWeight = targets.reduce((sum, t) => sum + (t.weight ?? 1), 0);

Deno.test("fuzz: every function export of the issue-12 files has a target", () => {
  // The files of issue 12 (lib/math's originals, lib/charts, show.ts and lib/text's counting and
  // generation files); newer files bring their own tests.
  const modules = {
    probability,
    softmax,
    softmaxInto,
    information,
    decoding,
    random,
    sampling,
    estimation,
    chiSquared,
    html,
    chart,
    barLine,
    venn,
    slider,
    errorbar,
    markedCurve,
    sideBySide,
    show,
    corpus,
    ngram,
    bigram,
    generate,
    repetition,
    tokens,
  };
  const names = new Set(targets.map((t) => t.name.replace(/\..*/, "")));
  const missing: string[] = [];
  for (const module of Object.values(modules)) {
    for (const [name, value] of Object.entries(module)) {
      if (typeof value !== "function") continue; // constants: BOS, PALETTE, MAX sizes, …
      // NGramModel counts as covered by its methods' targets ("NGramModel.count", …).
      if (!names.has(name)) missing.push(name);
    }
  }
  assert.deepEqual(missing, [], `exports without a fuzz target: ${missing.join(", ")}`);
});

Deno.test(`fuzz: ${TOTAL_RUNS} cases over ${targets.length} exports (seed ${SEED})`, async (t) => {
  let cases = 0;
  const start = performance.now();
  for (const target of targets) {
    if (ONLY !== undefined && !target.name.includes(ONLY)) continue;
    const numRuns = runsFor(target, totalWeight);
    await t.step(`${target.name} (${numRuns} cases)`, async () => {
      const details = await fc.check(
        fc.asyncProperty(target.args, (generated) => probe(target, generated)),
        { numRuns, seed: SEED },
      );
      cases += details.numRuns; // generated cases, not the re-runs of shrinking a failure
      if (details.failed) throw new Error(fc.defaultReportMessage(details));
    });
  }
  const seconds = (performance.now() - start) / 1000;
  console.log(
    `fuzz: ${cases} cases over ${targets.length} targets in ${seconds.toFixed(1)} s ` +
      `(seed ${SEED}, ${TIME_LIMIT_MS} ms per call at most)`,
  );
});
