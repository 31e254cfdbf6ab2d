/**
 * The exercise notebooks (notebooks/exercises/) and their solutions (notebooks/solutions/, same
 * names): every course notebook has both; the two differ only in the cells tagged `exercise`;
 * every check, run on its own, fails on the untouched exercise with its teaching message (listed
 * below, so a check cannot pass by accident or fail for another reason) and passes on the
 * solution; the solutions run in Jupyter through tools/run_notebook.py; and the checks recognise
 * common mistakes.
 *
 * "On its own": a Jupyter run stops at the first failing cell, so each notebook's code cells are
 * also written as one module in which every cell tagged `check` is wrapped in try/catch, and that
 * module runs in a Deno subprocess that reports every check's outcome.
 */

import assert from "node:assert/strict";
import { ensureSetup, jupyterEnv, ROOT, VENV_PYTHON } from "../tools/setup.ts";
import {
  absolutiseImports,
  type Cell,
  cellSource,
  type ExtractedModule,
  listNotebooks,
  mapCheckOutput,
  type Notebook,
  notebookToModule,
  readNotebook,
} from "../tools/notebook.ts";
import * as exercises from "../lib/exercises/mod.ts";
import {
  argmax,
  bayes,
  crossEntropy,
  crossEntropyFromLogits,
  distinctNGramRatio,
  entropy,
  expectedCalibrationError,
  klDivergence,
  minP,
  negativeLogLikelihood,
  noRepeatNGram,
  repetitionPenalty,
  sampleIndex,
  sampleWithTemperature,
  softmax,
  topK,
  topP,
  trainBigram,
  trainBpe,
} from "../lib/mod.ts";

/** What the untouched exercise notebook's checks say, in the order of its check cells. */
const STUB_MESSAGES: Record<string, string[]> = {
  "01-conditional-probability-exercises.ipynb": [
    "regions(14, 7, 8, 3) should be { aOnly: 4, both: 3, bOnly: 5, neither: 2 } (the article's 14 people), yours gave { aOnly: 0, both: 3, bOnly: 0, neither: 0 }: aOnly counts the people in A outside the overlap",
    "conditionalFromCounts(3, 8) should be 0.375 (3 of the 8 people in B are also in A), yours gave 0: once you know the person is in B, the universe is B alone",
    "union(0.5, 0.5714, 0.2143) should be 0.8571 (12 of the 14 people like at least one sport), yours gave 0: add the two circles, then correct for the people you counted twice",
    "bayesRule(0.4286, 0.5, 0.5714) should be 0.375 (P(tennis | football) from P(football | tennis) = 3/7), yours gave 0: both conditionals share P(A ∩ B) = P(B | A) P(A) = P(A | B) P(B)",
    "zoomIntoRow([[0.15, 0.25], [0.01, 0.59]], 0) should be [0.375, 0.625] (P(rain | cloudy) and P(no rain | cloudy)), yours gave []: keep only the given row, then make it sum to 1",
  ],
  "02-next-token-prediction-exercises.ipynb": [
    "isDistribution([0.1, 0.05, 0.4, 0.15, 0.3]) should be true (the article's next-word probabilities: all in [0, 1], sum 1), yours gave false",
    "greedy([0.1, 0.05, 0.4, 0.15, 0.3]) should be 2 (Playground, 0.4, is the most probable), yours gave -1",
    'nextWordProbabilities([["a", "b"]], "a") should be Map { "b": 1 } (in the only sentence, a is followed by b), yours gave an empty Map',
    "logProbability([0.5]) should be -0.6931 (one word of probability 0.5), yours gave 0",
    'countTrigrams([["a"]]) should be Map { "<s> <s> a": 1, "<s> a </s>": 1 } (a one-word sentence: <s> <s> a </s>), yours gave an empty Map: the first word has two words of context too: put two <s> in front of every sentence',
  ],
  "03-loss-exercises.ipynb": [
    "nll([0.1, 0.05, 0.4, 0.15, 0.3], 2) should be 0.9163 (Playground came next, and the model gave it 0.4), yours gave 0",
    "crossEntropy([0.1, 0.05, 0.4, 0.15, 0.3], [0, 0, 1, 0, 0]) should be 0.9163 (a one-hot target keeps only the true word's term: −ln 0.4), yours gave 0",
    "entropy([0.5, 0.5]) should be 0.6931 (a fair coin: ln 2), yours gave 0",
    "batchLoss([[0.5, 0.5]], [0]) should be { meanNll: 0.6931, perplexity: 2 } (one example, a fair coin: as unsure as a choice between 2), yours gave { meanNll: 0, perplexity: 0 }",
    "lossFromLogits([0, 0], 0) should be 0.6931 (two equal logits give each word probability 1/2), yours gave 0",
  ],
  "04-temperature-exercises.ipynb": [
    "softmax([0, 0]) should be [0.5, 0.5] (equal logits, equal probabilities), yours gave []",
    "softmaxWithTemperature([0, 1.0986], 1) should be [0.25, 0.75] (T = 1 is plain softmax), yours gave []",
    "sharpen([0.25, 0.75], 1) should be [0.25, 0.75] (T = 1 changes nothing), yours gave []",
    "temperatureFor(ln([0.1, 0.05, 0.4, 0.15, 0.3]), 0.05) should be 1 (Hospital already has 0.05 at T = 1), yours gave 0: at T = 0 it gets 0; its probability rises with T, so bisect between a T that gives too little and one that gives too much",
  ],
  "05-sampling-exercises.ipynb": [
    "pickIndex([0.5, 0.5], 0.75) should be 1 (0.75 lies in the second interval, [0.5, 1)), yours gave -1",
    "topK([0.1, 0.05, 0.4, 0.15, 0.3], 2) should be [0, 0, 0.5714, 0, 0.4286] (Playground and School survive, renormalised: 0.4 / 0.7 and 0.3 / 0.7), yours gave []",
    "topP([0.1, 0.05, 0.4, 0.15, 0.3], 0.7) should be [0, 0, 0.5714, 0, 0.4286] (Playground and School: 0.4 + 0.3 reaches 0.7), yours gave []",
    "draw 1 of sampleWord(ln([0.1, 0.05, 0.4, 0.15, 0.3]), 1, random) with random = seededRandom(42) should call random() exactly once, so that the same seed gives the same words; yours called it 0 times",
    'distinctPairs(["a", "b", "c"]) should be 1 (two pairs, both different), yours gave 0',
  ],
  "06-training-exercises.ipynb": [
    "modelLoss([[0, 0, 0], [0, 0, 0], [0, 0, 0]], [[0, 2, 1], [1, 0, 1], [2, 0, 0]]) should be 1.0986 (W = 0 is the uniform model: every token 1/3, loss ln 3), yours gave 0",
    "countModelLoss([[0, 2, 1], [1, 0, 1], [2, 0, 0]]) should be 0.4708 (each row's counts divided by the row's total, −ln of that, weighted by the counts), yours gave 0",
    "gradient([[0, 0, 0], [0, 0, 0], [0, 0, 0]], [[0, 2, 1], [1, 0, 1], [2, 0, 0]]) should be [[0.1429, -0.1429, 0], [-0.04762, 0.09524, -0.04762], [-0.1905, 0.09524, 0.09524]] (at W = 0 the model expects N_i / 3 of each token after token i), yours gave []: expected counts minus observed counts, divided by N",
    "finiteDifference((w) => w[0] ** 2 + w[1] ** 2, [3, 4], 0, 0.1) should be 6 (∂/∂x (x² + y²) = 2x = 6), yours gave 0: move w[index] by +ε and by −ε, and divide the change in f by 2ε",
    "gradientStep([[1, 2]], [[0.5, -1]], 0.1) should be [[0.95, 2.1]] (each weight moves by η times its gradient, downhill), yours gave []",
    "train([[0, 2, 1], [1, 0, 1], [2, 0, 0]], 1, 1).losses should be [1.0986, 0.996] (one step from W = 0: the loss falls from ln 3), yours gave []: steps + 1 values: the loss at W = 0 before any step, then after each step",
  ],
  "07-tokens-exercises.ipynb": [
    'countPairs([1, 2, 3]) should be Map { "1,2": 1, "2,3": 1 } (two pairs of neighbours), yours gave an empty Map',
    'mostFrequentPair(bytes("aaabdaaabac")) should be [97, 97] ("aa" occurs 4 times), yours gave undefined',
    "mergePair([1, 2, 1, 2], [1, 2], 9) should be [9, 9] ((1, 2) occurs twice), yours gave []",
    'learnMerges(bytes("aaabdaaabac"), 3) should be [[97, 97], [97, 98], [256, 257]] (the BPE example: aa, then ab, then aa + ab), yours gave []: repeat: find the most frequent pair (exercise 2), replace it by the next new id, 256, 257, … (exercise 3)',
    'encodeWithMerges(bytes("aaabdaaabac"), [[97, 97], [97, 98], [256, 257]]) should be [258, 100, 258, 97, 99] (the BPE example becomes X d X a c, with X = aaab), yours gave []: apply the merges one after the other, in the order they were learned, merge k giving id 256 + k',
  ],
  "08-neural-exercises.ipynb": [
    "lookUp([[0, 1], [10, 11], [20, 21]], [2]) should be [[20, 21]] (row 2 of the table is the vector of word 2), yours gave []",
    "concatContext([[1, 2], [3, 4]]) should be [1, 2, 3, 4] (the vectors laid end to end, in context order), yours gave []: put all of the first vector, then all of the second, and so on",
    "hiddenLayer([1, 0], [[1, 2], [3, 4]], [0, 0]) should be [0.7616, 0.964] (x W takes row 0 of W: tanh(1), tanh(2)), yours gave []: h_j = tanh(Σ_i x_i W_ij + b_j): one number per column of W",
    "predict([1], [[0, 0]], [0, 0], 0) should be { probabilities: [0.5, 0.5], loss: 0.6931 } (both logits are 0: each word 1/2, loss ln 2), yours gave { probabilities: [], loss: 0 }",
    "biasStep([0, 0], 0, [0, 0], 1) should be [0.5, -0.5] (p = [0.5, 0.5], y = [1, 0]: gradient p − y = [−0.5, 0.5], step against it), yours gave []: the gradient with respect to the bias is p − y: softmax(z) minus the one-hot target",
  ],
  "09-attention-exercises.ipynb": [
    "attentionScores([1, 0], [[1, 0], [0, 1]]) should be [0.7071, 0] (the query matches the first key (1 / √2) and is orthogonal to the second), yours gave []",
    'attentionWeights([1, 0], [[2, 0], [0, 2]]) should be [0.8044, 0.1956] ("it" (query [1, 0]) attends to "cat" (key [2, 0]) and "mat" (key [0, 2]): scores √2 and 0), yours gave []',
    "attend([1, 0], [[1, 2], [3, 4]]) should be [1, 2] (all the weight on the first value), yours gave []: multiply each value vector by its weight and add the vectors up, entry by entry",
    "causalWeights([[1, 0], [0, 1]], [[1, 0], [0, 1]]) should be [[1, 0], [0.3302, 0.6698]] (position 0 sees only itself; position 1 sees both), yours gave []: position 0 sees only itself, so its row is [1, 0, …]: give the scores of later positions −Infinity before the softmax",
    "selfAttention([[1, 0], [0, 1]], [[1, 0], [0, 1]], [[1, 2], [3, 4]]) should be [[1, 2], [2.3395, 3.3395]] (position 0 outputs its own value), yours gave []: for each position i: its causal weights (exercise 4), then the weighted sum of the values (exercise 3)",
  ],
  "10-decoding-exercises.ipynb": [
    "penalizeRepeats([2.4, -1, 3], [0, 1], 1.2) should be [2, -1.2, 3] (2.4 / 1.2 = 2 and −1 × 1.2 = −1.2; word 2 was not said), yours gave []",
    "banRepeats([0, 0, 0, 0, 0], [4, 2, 4], 2) should be [0, 0, -Infinity, 0, 0] (the text ends in School (4), and School was followed by Playground (2) before), yours gave []: look for every earlier place where the last n − 1 words occurred, and ban the word that followed them there",
    "minPFilter([0.1, 0.05, 0.4, 0.15, 0.3], 0.25) should be [0.1053, 0, 0.4211, 0.1579, 0.3158] (the threshold is 0.25 × 0.4 = 0.1: Cafe (0.1) stays, Hospital (0.05) goes), yours gave []",
    "klDivergence([0.5, 0.5], [0.25, 0.75]) should be 0.1438 (½ ln 2 + ½ ln(2/3) = ½ ln(4/3)), yours gave 0",
    "calibrationError([0.9, 0.8, 0.6, 0.3], [true, false, true, true], 2) should be 0.25 (bin [0, 0.5): 0.3 said, right: gap 0.7, weight 1/4; bin [0.5, 1]: mean 0.7667 said, 2 of 3 right: gap 0.1, weight 3/4), yours gave -1",
  ],
};

/**
 * Exercises written before their course notebook: notebook 09 (attention) is being written. Once
 * it exists, remove its entry here (and rename the two files if its name is not 09-attention).
 */
const AWAITING_COURSE_NOTEBOOK = ["09-attention-exercises.ipynb"];

const EXERCISES = `${ROOT}/notebooks/exercises`;
const SOLUTIONS = `${ROOT}/notebooks/solutions`;
const relative = (path: string) => path.slice(ROOT.length + 1);
const baseName = (path: string) => path.split("/").at(-1)!;
const hasTag = (cell: Cell, tag: string) => cell.metadata?.tags?.includes(tag) ?? false;

const courseNotebooks = await listNotebooks(`${ROOT}/notebooks`);
const exerciseNotebooks = await listNotebooks(EXERCISES);

interface Outcome {
  cell: number;
  ok: boolean;
  name?: string;
  message?: string;
}

const MARKER = "__exercise_check_outcomes__ ";

/**
 * A notebook's code cells as one module in which each `check` cell runs inside try/catch and its
 * outcome is recorded; the module prints the outcomes as JSON on its last line.
 */
function isolatedChecks(nb: Notebook, notebookUrl: URL): string {
  const out = ["const __outcomes: unknown[] = [];"];
  nb.cells.forEach((cell, index) => {
    if (cell.cell_type !== "code") return;
    const code = absolutiseImports(cellSource(cell), notebookUrl);
    if (!hasTag(cell, "check")) {
      out.push(code);
      return;
    }
    out.push(
      "try {",
      code,
      `  __outcomes.push({ cell: ${index + 1}, ok: true });`,
      "} catch (error) {",
      `  __outcomes.push({ cell: ${
        index + 1
      }, ok: false, name: (error as Error).name, message: (error as Error).message });`,
      "}",
    );
  });
  out.push(`console.log(${JSON.stringify(MARKER)} + JSON.stringify(__outcomes));`, "export {};");
  return out.join("\n");
}

/** Runs every check of a notebook on its own; returns the outcomes and the printed ✓ lines. */
async function runChecks(path: string): Promise<{ outcomes: Outcome[]; passedLines: string[] }> {
  const nb = await readNotebook(path);
  const dir = await Deno.makeTempDir({ prefix: "exercise-checks-" });
  try {
    const file = `${dir}/${baseName(path).replace(/\.ipynb$/, ".ts")}`;
    await Deno.writeTextFile(file, isolatedChecks(nb, new URL(`file://${path}`)));
    const result = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--allow-all", "--quiet", "--config", `${ROOT}/deno.json`, file],
      cwd: ROOT,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(result.stdout);
    const stderr = new TextDecoder().decode(result.stderr);
    const line = stdout.split("\n").find((l) => l.startsWith(MARKER));
    assert.ok(result.success && line !== undefined, `${relative(path)} did not run:\n${stderr}`);
    return {
      outcomes: JSON.parse(line.slice(MARKER.length)),
      passedLines: stdout.split("\n").filter((l) => l.startsWith("✓")),
    };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

let ready: Promise<void> | undefined;
/** Runs a notebook through tools/run_notebook.py (creating the venv once per test run). */
async function runInJupyter(path: string, out?: string) {
  ready ??= ensureSetup();
  await ready;
  const result = await new Deno.Command(VENV_PYTHON, {
    args: ["tools/run_notebook.py", relative(path), ...(out ? ["--out", out] : [])],
    cwd: ROOT,
    env: jupyterEnv(),
    stdout: "piped",
    stderr: "piped",
  }).output();
  return { code: result.code, stderr: new TextDecoder().decode(result.stderr) };
}

/** The check function a check cell calls, e.g. `checkSoftmax` in `await show(checkSoftmax(softmax));`. */
function checkName(cell: Cell): string | undefined {
  return /^await show\((check\w+)\(\w+\)\);$/.exec(cellSource(cell).trim())?.[1];
}

Deno.test("every course notebook has an exercises notebook and a solutions twin", async () => {
  const expected = courseNotebooks.map((p) => baseName(p).replace(/\.ipynb$/, "-exercises.ipynb"));
  for (
    const [folder, found] of [
      ["notebooks/exercises", exerciseNotebooks.map(baseName)],
      ["notebooks/solutions", (await listNotebooks(SOLUTIONS)).map(baseName)],
    ] as const
  ) {
    const missing = expected.filter((name) => !found.includes(name));
    const orphans = found.filter((name) =>
      !expected.includes(name) && !AWAITING_COURSE_NOTEBOOK.includes(name)
    );
    assert.deepEqual(missing, [], `${folder} lacks the exercises of a course notebook (issue 18)`);
    assert.deepEqual(orphans, [], `${folder} holds exercises of no course notebook`);
  }
});

Deno.test("every check in lib/exercises is used by exactly one exercise notebook", async () => {
  const used: string[] = [];
  for (const path of exerciseNotebooks) {
    for (const cell of (await readNotebook(path)).cells) {
      if (hasTag(cell, "check")) used.push(checkName(cell) ?? `?${cellSource(cell)}`);
    }
  }
  const exported = Object.keys(exercises).filter((name) => name.startsWith("check")).sort();
  assert.deepEqual([...used].sort(), exported);
});

for (const path of exerciseNotebooks) {
  const name = relative(path);
  const solution = `${SOLUTIONS}/${baseName(path)}`;

  Deno.test(`${name}: 4-6 exercises; the solutions differ only in the ✏️ cells`, async () => {
    const [ex, sol] = [await readNotebook(path), await readNotebook(solution)];
    assert.equal(sol.cells.length, ex.cells.length, "as many cells in the solutions");
    const exerciseCells = ex.cells.filter((c) => hasTag(c, "exercise"));
    const checkCells = ex.cells.filter((c) => hasTag(c, "check"));
    assert.ok(exerciseCells.length >= 4 && exerciseCells.length <= 6, `${exerciseCells.length}`);
    assert.equal(checkCells.length, exerciseCells.length, "one check per exercise");
    ex.cells.forEach((cell, i) => {
      const twin = sol.cells[i]!;
      assert.equal(twin.id, cell.id, `cell ${i + 1}: the same cell ids`);
      assert.deepEqual(twin.metadata, cell.metadata, `cell ${i + 1}: the same tags`);
      if (cell.cell_type === "code") assert.deepEqual(cell.outputs, [], "saved without outputs");
      if (hasTag(cell, "exercise")) {
        assert.match(cellSource(cell), /\/\/ ✏️ your code here/, `cell ${i + 1}: a marked place`);
        assert.doesNotMatch(cellSource(twin), /✏️/, `cell ${i + 1}: the solution fills it in`);
      } else if (i > 0 && i < ex.cells.length - 1) {
        // The title and the closing cell say "exercises" or "solutions"; the rest is shared.
        assert.equal(cellSource(twin), cellSource(cell), `cell ${i + 1}: the same text`);
      }
      if (hasTag(cell, "check")) {
        assert.ok(checkName(cell), `cell ${i + 1} is one line: await show(check…(fn));`);
        assert.ok(hasTag(ex.cells[i - 1]!, "exercise"), `cell ${i + 1} follows its exercise`);
      }
    });
    const imports = ex.cells.filter((c) =>
      c.cell_type === "code" && /\bimport\b/.test(cellSource(c))
    );
    for (const cell of imports) {
      for (const match of cellSource(cell).matchAll(/from\s+"([^"]+)"/g)) {
        assert.equal(match[1], "../../lib/mod.ts", "exercise notebooks import only lib/mod.ts");
      }
    }
  });

  Deno.test(
    `${name}: each check alone fails on the untouched exercise with its message and passes on the solution`,
    async () => {
      const [untouched, solved] = await Promise.all([runChecks(path), runChecks(solution)]);
      assert.deepEqual(
        solved.outcomes.filter((o) => !o.ok).map((o) => `cell ${o.cell}: ${o.name}: ${o.message}`),
        [],
        "the solutions",
      );
      assert.equal(
        solved.passedLines.length,
        solved.outcomes.length,
        solved.passedLines.join("\n"),
      );
      const failures = untouched.outcomes.map((o) =>
        o.ok
          ? `cell ${o.cell} passed`
          : o.name === "CheckFailed"
          ? o.message!
          : `${o.name}: ${o.message}`
      );
      assert.equal(untouched.outcomes.length, solved.outcomes.length);
      assert.deepEqual(failures, STUB_MESSAGES[baseName(path)] ?? [], "the untouched exercise");
    },
  );
}

/** How many notebooks run in Jupyter at once (each in its own kernel). */
const JUPYTER_PARALLEL = 3;

/** Runs `fn` on every item, at most `limit` at a time; results in item order. */
async function inPool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>) {
  const results: R[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

Deno.test("in Jupyter, every solution prints one ✓ line per check and an untouched exercise stops at its first check", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "exercises-jupyter-" });
  try {
    const solutions = await listNotebooks(SOLUTIONS);
    const untouched = exerciseNotebooks[0]!;
    const runs = await inPool([...solutions, untouched], JUPYTER_PARALLEL, async (path) => {
      const out = `${dir}/${baseName(path)}`;
      return { path, out, ...await runInJupyter(path, path === untouched ? undefined : out) };
    });
    for (const run of runs.slice(0, -1)) {
      await t.step(relative(run.path), async () => {
        assert.equal(run.code, 0, run.stderr);
        const nb = await readNotebook(run.out);
        for (const cell of nb.cells.filter((c) => hasTag(c, "check"))) {
          const texts = (cell.outputs as { data?: { "text/plain"?: string | string[] } }[])
            .map((o) => [o.data?.["text/plain"] ?? ""].flat().join(""));
          assert.equal(texts.length, 1, cellSource(cell));
          assert.match(texts[0]!, /^✓ \w+: [^\n]+$/);
        }
      });
    }
    await t.step(`${relative(untouched)} (untouched)`, async () => {
      const run = runs.at(-1)!;
      const first = (await readNotebook(untouched)).cells.findIndex((c) => hasTag(c, "check"));
      const message = STUB_MESSAGES[baseName(untouched)]?.[0] ?? "(no message listed)";
      assert.equal(run.code, 1, run.stderr);
      assert.ok(
        run.stderr.includes(`${relative(untouched)}, cell ${first + 1} (`) &&
          run.stderr.includes(`CheckFailed: ${message}`),
        run.stderr,
      );
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the exercise and solution notebooks type-check", async () => {
  // tools/check_notebooks.ts checks notebooks/*.ipynb only; this checks both folders in one run.
  const dir = await Deno.makeTempDir({ prefix: "exercise-types-" });
  try {
    const modules: { file: string; name: string; lines: ExtractedModule["lines"] }[] = [];
    for (const path of [...exerciseNotebooks, ...await listNotebooks(SOLUTIONS)]) {
      const name = relative(path);
      const extracted = notebookToModule(await readNotebook(path), new URL(`file://${path}`), name);
      const file = `${dir}/${name.replaceAll("/", "__").replace(/\.ipynb$/, ".ts")}`;
      await Deno.writeTextFile(file, extracted.code);
      modules.push({ file, name, lines: extracted.lines });
    }
    const result = await new Deno.Command(Deno.execPath(), {
      args: ["check", "--quiet", "--config", `${ROOT}/deno.json`, ...modules.map((m) => m.file)],
      cwd: ROOT,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).output();
    let text = new TextDecoder().decode(result.stdout) + new TextDecoder().decode(result.stderr);
    for (const m of modules) text = mapCheckOutput(text, `file://${m.file}`, m.lines, m.name);
    assert.ok(result.success, text);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("the library's own functions pass the checks", () => {
  const passes: [string, () => string][] = [
    ["bayesRule", () => exercises.checkBayesRule(bayes)],
    ["greedy", () => exercises.checkGreedy(argmax)],
    ["nll", () => exercises.checkNll(negativeLogLikelihood)],
    ["crossEntropy", () => exercises.checkCrossEntropy(crossEntropy)],
    ["entropy", () => exercises.checkEntropy(entropy)],
    ["lossFromLogits", () => exercises.checkLossFromLogits(crossEntropyFromLogits)],
    ["softmax", () => exercises.checkSoftmax((x) => softmax(x))],
    ["softmaxWithTemperature", () => exercises.checkSoftmaxWithTemperature(softmax)],
    ["sharpen", () => exercises.checkSharpen((p, t) => softmax(p.map(Math.log), t))],
    ["pickIndex", () => exercises.checkPickIndex((p, u) => sampleIndex(p, () => u))],
    ["topK", () => exercises.checkTopK(topK)],
    ["topP", () => exercises.checkTopP(topP)],
    ["sampleWord", () => exercises.checkSampleWord(sampleWithTemperature)],
    ["distinctPairs", () => exercises.checkDistinctPairs((t) => distinctNGramRatio(t, 2))],
    ["penalizeRepeats", () => exercises.checkPenalizeRepeats(repetitionPenalty)],
    ["banRepeats", () => exercises.checkBanRepeats(noRepeatNGram)],
    ["minPFilter", () => exercises.checkMinPFilter(minP)],
    ["klDivergence", () => exercises.checkKlDivergence(klDivergence)],
    ["calibrationError", () => exercises.checkCalibrationError(expectedCalibrationError)],
  ];
  for (const [name, check] of passes) assert.match(check(), new RegExp(`^✓ ${name}: `));
});

/** Sums an array. */
const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);
/** Divides by the sum. */
const normalise = (xs: readonly number[]) => xs.map((x) => x / sum(xs));

Deno.test("the checks recognise common mistakes and say what to change", async (t) => {
  const { CheckFailed } = exercises;
  const mistakes: [string, () => string, string][] = [
    [
      "neither = total − a − b",
      () =>
        exercises.checkRegions((n, a, b, both) => ({
          aOnly: a - both,
          both,
          bOnly: b - both,
          neither: n - a - b,
        })),
      "the 3 people in both circles were subtracted twice from the total",
    ],
    [
      "count(B) / count(A ∩ B)",
      () => exercises.checkConditionalFromCounts((both, b) => b / both),
      "you divided the other way round",
    ],
    [
      "P(A) + P(B)",
      () => exercises.checkUnion((a, b) => a + b),
      "counted the people in both circles twice",
    ],
    [
      "a row of the table unchanged",
      () => exercises.checkZoomIntoRow((table, row) => [...table[row]!]),
      "divided by its own sum",
    ],
    [
      "only the sum checked",
      () => exercises.checkIsDistribution((p) => Math.abs(sum(p) - 1) < 1e-9),
      "isDistribution([-0.1, 1.1]) should be false",
    ],
    [
      "the largest value",
      () => exercises.checkGreedy((x) => Math.max(...x)),
      "not the entry itself",
    ],
    [
      "the last of tied maxima",
      () => exercises.checkGreedy((x) => x.lastIndexOf(Math.max(...x))),
      "on a tie keep the first",
    ],
    [
      "no end marker",
      () =>
        exercises.checkNextWordProbabilities((sentences, previous) => {
          const next = sentences.flatMap((s) => s.slice(1).filter((_, i) => s[i] === previous));
          return new Map(next.map((w) => [w, next.filter((x) => x === w).length / next.length]));
        }),
      'end every sentence with EOS ("</s>")',
    ],
    [
      "the log of the product",
      () => exercises.checkLogProbability((p) => Math.log(p.reduce((a, b) => a * b, 1))),
      "underflows to 0 before the log: add the logs instead of multiplying",
    ],
    [
      "trigrams without <s> padding",
      () =>
        exercises.checkCountTrigrams((sentences) => {
          const counts = new Map<string, number>();
          for (const s of sentences) {
            const words = [...s, "</s>"];
            for (let i = 2; i < words.length; i++) {
              const key = words.slice(i - 2, i + 1).join(" ");
              counts.set(key, (counts.get(key) ?? 0) + 1);
            }
          }
          return counts;
        }),
      "put two <s> in front of every sentence",
    ],
    [
      "ln p without the minus",
      () => exercises.checkNll((p, i) => Math.log(p[i]!)),
      "mind the minus sign",
    ],
    [
      "0 × ln 0",
      () => exercises.checkCrossEntropy((q, y) => -sum(y.map((yi, i) => yi * Math.log(q[i]!)))),
      "0 × ln 0 is NaN in JavaScript",
    ],
    [
      "the sum of the losses",
      () =>
        exercises.checkBatchLoss((q, targets) => {
          const total = sum(targets.map((j, k) => -Math.log(q[k]![j]!)));
          return { meanNll: total, perplexity: Math.exp(total) };
        }),
      "you summed the losses; the loss of a batch is their mean",
    ],
    [
      "exp without subtracting the largest logit",
      () => exercises.checkLossFromLogits((x, j) => Math.log(sum(x.map(Math.exp))) - x[j]!),
      "exp(1000) overflows to Infinity",
    ],
    [
      "exp without the sum",
      () => exercises.checkSoftmax((x) => x.map(Math.exp)),
      "did you divide by the sum?",
    ],
    [
      "the naive softmax",
      () => exercises.checkSoftmax((x) => normalise(x.map(Math.exp))),
      "subtract the largest logit first",
    ],
    [
      "logits times T",
      () => exercises.checkSoftmaxWithTemperature((x, T) => softmax(x.map((v) => v * T))),
      "divide the logits by T: a low T must sharpen",
    ],
    [
      "no special case for T = 0",
      () =>
        exercises.checkSoftmaxWithTemperature((x, T) => {
          const max = Math.max(...x);
          return normalise(x.map((v) => Math.exp((v - max) / T)));
        }),
      "handle T = 0 on its own",
    ],
    [
      "p^T instead of p^(1/T)",
      () => exercises.checkSharpen((p, T) => normalise(p.map((x) => x ** T))),
      "the exponent is 1/T",
    ],
    ["a fixed temperature", () => exercises.checkTemperatureFor(() => 1), "at T = 1 it gets 0.05"],
    [
      "u <= edge",
      () =>
        exercises.checkPickIndex((p, u) => {
          let edge = 0;
          return p.findIndex((q) => u <= (edge += q));
        }),
      "intervals include their start and exclude their end",
    ],
    [
      "sorting the input in place",
      () => exercises.checkTopK((p, k) => p.sort((a, b) => b - a).slice(0, k)),
      "must not change its input",
    ],
    [
      "top-k without renormalising",
      () => exercises.checkTopK((p, k) => topK(p, k).map((q, i) => (q > 0 ? p[i]! : 0))),
      "add up to 1 again",
    ],
    [
      "top-p that stops only above p",
      () => exercises.checkTopP((p, mass) => topP(p, Math.min(1, mass + 1e-9))),
      "not once it exceeds it",
    ],
    [
      "two calls of random() per word",
      () =>
        exercises.checkSampleWord((
          x,
          T,
          random,
        ) => (random(), sampleWithTemperature(x, T, random))),
      "should call random() exactly once",
    ],
    [
      "pairs glued without a separator",
      () =>
        exercises.checkDistinctPairs((w) =>
          new Set(w.slice(1).map((x, i) => w[i]! + x)).size / (w.length - 1)
        ),
      "look the same when glued together",
    ],
    [
      "ln of a softmax that underflows",
      () =>
        exercises.checkModelLoss((w, c) =>
          -sum(
            c.flatMap((row, i) =>
              row.map((n, j) => (n === 0 ? 0 : n * Math.log(softmax(w[i]!)[j]!)))
            ),
          ) /
          sum(c.flat())
        ),
      "W_ij − logSumExp(W_i)",
    ],
    [
      "counts over the table's total",
      () =>
        exercises.checkCountModelLoss((c) =>
          -sum(c.flat().map((n) => (n === 0 ? 0 : n * Math.log(n / sum(c.flat()))))) / sum(c.flat())
        ),
      "not by the total of the whole table",
    ],
    [
      "observed minus expected",
      () =>
        exercises.checkGradient((w, c) =>
          c.map((row, i) => row.map((n, j) => (n - sum(row) * softmax(w[i]!)[j]!) / sum(c.flat())))
        ),
      "the sign is reversed",
    ],
    [
      "a one-sided difference",
      () =>
        exercises.checkFiniteDifference((f, w, i, e) =>
          (f(w.map((x, k) => (k === i ? x + e : x))) - f(w)) / e
        ),
      "the one-sided difference is off by about ε",
    ],
    [
      "nudging w in place",
      () =>
        exercises.checkFiniteDifference((f, w, i, e) => {
          w[i]! += e;
          return f(w);
        }),
      "must not change its input",
    ],
    [
      "a step uphill",
      () =>
        exercises.checkGradientStep((w, g, eta) =>
          w.map((r, i) => r.map((x, j) => x + eta * g[i]![j]!))
        ),
      "step against the gradient",
    ],
    [
      "losses without the one at W = 0",
      () =>
        exercises.checkTrain((c, steps, eta) => {
          const run = trainBigram(bigramCountsOf(c), { steps, learningRate: eta, optimizer: "gd" });
          return { weights: [], losses: Array.from(run.losses).slice(1) };
        }),
      "steps + 1 values",
    ],
    [
      "pairs counted without overlap",
      () =>
        exercises.checkCountPairs((ids) => {
          const counts = new Map<string, number>();
          for (let i = 0; i + 1 < ids.length; i += 2) {
            const key = `${ids[i]},${ids[i + 1]}`;
            counts.set(key, (counts.get(key) ?? 0) + 1);
          }
          return counts;
        }),
      "the second token of a pair also starts the next pair",
    ],
    [
      "the first pair seen on a tie",
      () =>
        exercises.checkMostFrequentPair((ids) => {
          const counts = new Map<string, number>();
          for (let i = 0; i + 1 < ids.length; i++) {
            const key = `${ids[i]},${ids[i + 1]}`;
            counts.set(key, (counts.get(key) ?? 0) + 1);
          }
          let best: [string, number] | undefined;
          for (const entry of counts) if (best === undefined || entry[1] > best[1]) best = entry;
          return best && (best[0].split(",").map(Number) as [number, number]);
        }),
      "on a tie take the smaller left id",
    ],
    [
      "a merge that steps one token after a pair",
      () =>
        exercises.checkMergePair((ids, pair, id) => {
          const out: number[] = [];
          for (let i = 0; i < ids.length; i++) {
            out.push(ids[i] === pair[0] && ids[i + 1] === pair[1] ? id : ids[i]!);
          }
          return out;
        }),
      "continue after its second token",
    ],
    [
      "merges that never stop",
      () =>
        exercises.checkLearnMerges((ids, merges) => {
          const text = new TextDecoder().decode(Uint8Array.from(ids));
          const learned = trainBpe(text, merges).merges.map((m) => [...m.pair] as [number, number]);
          while (learned.length < merges) learned.push([0, 0]);
          return learned;
        }),
      "stop when no pair of tokens is left",
    ],
    [
      "merges replayed in reverse",
      () =>
        exercises.checkEncodeWithMerges((ids, merges) =>
          merges.map((pair, k) => [pair, 256 + k] as const).reverse().reduce(
            (tokens, [pair, id]) => mergeAll(tokens, pair, id),
            ids,
          )
        ),
      "in the order they were learned",
    ],
    [
      "hidden layer without tanh",
      () =>
        exercises.checkHiddenLayer((x, w, b) =>
          b.map((bj, j) => x.reduce((s, xi, i) => s + xi * w[i]![j]!, bj))
        ),
      "apply tanh to each entry",
    ],
    [
      "a bias step uphill",
      () =>
        exercises.checkBiasStep((z, t, b, eta) =>
          b.map((bj, j) => bj + eta * (softmax(z)[j]! - (j === t ? 1 : 0)))
        ),
      "so the true word's bias goes up",
    ],
    [
      "scores without the 1/√d",
      () =>
        exercises.checkAttentionScores((q, keys) =>
          keys.map((k) => sum(k.map((x, i) => x * q[i]!)))
        ),
      "divide by √d",
    ],
    [
      "weights from unscaled scores",
      () =>
        exercises.checkAttentionWeights((q, keys) =>
          softmax(keys.map((k) => sum(k.map((x, i) => x * q[i]!))))
        ),
      "scale the scores by 1/√d before the softmax",
    ],
    [
      "attention that sees the future",
      () =>
        exercises.checkCausalWeights((queries, keys) =>
          queries.map((q) =>
            softmax(keys.map((k) => sum(k.map((x, i) => x * q[i]!)) / Math.sqrt(q.length)))
          )
        ),
      "mask their scores with −Infinity",
    ],
    [
      "a negative logit divided by θ",
      () =>
        exercises.checkPenalizeRepeats((x, ids, t) =>
          x.map((v, i) => (ids.includes(i) ? v / t : v))
        ),
      "multiply it by θ",
    ],
    [
      "a repeated word penalised twice",
      () =>
        exercises.checkPenalizeRepeats((x, ids, t) =>
          x.map((v, i) => {
            const n = ids.filter((id) => id === i).length;
            return v > 0 ? v / t ** n : v * t ** n;
          })
        ),
      "penalise each word once",
    ],
    [
      "min-p that drops the word on the threshold",
      () =>
        exercises.checkMinPFilter((p, base) =>
          normalise(p.map((x) => (x > base * Math.max(...p) ? x : 0)))
        ),
      "a word exactly at the threshold stays",
    ],
    [
      "KL(q ‖ p)",
      () => exercises.checkKlDivergence((p, q) => klDivergence(q, p)),
      "KL is not symmetric",
    ],
    [
      "a confidence of 1 outside the bins",
      () =>
        exercises.checkCalibrationError((c, right, bins) => {
          const count = new Array<number>(bins).fill(0);
          const gap = new Array<number>(bins).fill(0); // Σ (right − confidence) per bin
          c.forEach((x, i) => {
            const b = Math.floor(x * bins); // 1 lands in bin B, which does not exist
            count[b]! += 1;
            gap[b]! += Number(right[i]) - x;
          });
          return sum(gap.map((g, b) => (count[b] === 0 ? 0 : Math.abs(g) / c.length)));
        }),
      "is past the last bin",
    ],
  ];
  for (const [name, check, hint] of mistakes) {
    await t.step(name, () => {
      let error: unknown;
      try {
        check();
      } catch (caught) {
        error = caught;
      }
      assert.ok(error instanceof CheckFailed, `${name}: no CheckFailed (${String(error)})`);
      assert.ok(error.message.includes(hint), `${name}: ${error.message}`);
      assert.doesNotMatch(error.message, /Math\.\w+\(|\.reduce\(|\.map\(|\{\s*return\b/, "no code");
    });
  }
});

/** A square table of counts as lib/text/bigram_model.ts takes it. */
function bigramCountsOf(table: number[][]) {
  const rowTotals = new Float64Array(table.map((row) => sum(row)));
  return {
    tokens: table.map((_, i) => `t${i}`),
    size: table.length,
    counts: new Float64Array(table.flat()),
    rowTotals,
    total: sum(table.flat()),
  };
}

/** Every occurrence of a pair, left to right without overlap, replaced by `id`. */
function mergeAll(ids: readonly number[], pair: readonly [number, number], id: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < ids.length; i++) {
    if (ids[i] === pair[0] && ids[i + 1] === pair[1]) {
      out.push(id);
      i++;
    } else {
      out.push(ids[i]!);
    }
  }
  return out;
}
