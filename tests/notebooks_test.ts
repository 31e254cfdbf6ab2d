/**
 * The notebooks, executed for real: every `notebooks/*.ipynb` 10 times in fresh Deno kernels
 * through nbclient (tools/run_notebook.py), `deno task nb` with other and with impossible
 * parameters, and the runner's own failure reports on small fixture notebooks. Also their shape:
 * lessons in front (teaching cells with at most a couple of asserts, imports from `lib/mod.ts`
 * only) and one collapsed `checks` cell behind, which fails the run on a wrong number.
 *
 * The venv and kernelspec are made ready first (tools/setup.ts), so a fresh machine needs only
 * Deno and Python 3.
 */

import assert from "node:assert/strict";
import { ensureSetup, jupyterEnv, ROOT, VENV_PYTHON } from "../tools/setup.ts";
import {
  absolutiseImports,
  type Cell,
  cellSource,
  listNotebooks,
  type Notebook,
  parametersCellIndex,
  readNotebook,
} from "../tools/notebook.ts";
import { vennProbabilities } from "../lib/mod.ts";

/**
 * Executions per notebook in the lost-output test: 3 in `deno task test` (ten notebooks at 10 runs
 * each would take the suite well past 10 minutes on 2 cores), 10 in `deno task stress`
 * (NOTEBOOK_REPEAT=10), which CI runs too.
 */
const REPEAT = notebookRepeat(Deno.env.get("NOTEBOOK_REPEAT"));

/** Reads NOTEBOOK_REPEAT: an integer >= 1, default 3. */
function notebookRepeat(text: string | undefined): number {
  if (text === undefined || text === "") return 3;
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(
      `\`NOTEBOOK_REPEAT\` must be an integer >= 1, got ${JSON.stringify(text)}`,
    );
  }
  return n;
}

let ready: Promise<void> | undefined;
/** Creates the venv and kernelspec once per test run (a no-op when already current). */
function setupOnce(): Promise<void> {
  ready ??= ensureSetup();
  return ready;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs a command from the project root and captures its output. */
async function run(cmd: string, args: string[]): Promise<Run> {
  const out = await new Deno.Command(cmd, {
    args,
    cwd: ROOT,
    env: jupyterEnv(),
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

/** Runs tools/run_notebook.py. */
async function runNotebook(args: string[]): Promise<Run> {
  await setupOnce();
  return run(VENV_PYTHON, ["tools/run_notebook.py", ...args]);
}

/** Runs `deno task nb` (tools/nb.ts) with the running Deno. */
async function nbTask(args: string[]): Promise<Run> {
  await setupOnce();
  return run(Deno.execPath(), ["run", "--allow-all", "tools/nb.ts", ...args]);
}

/** The plain-text outputs of an executed notebook, in order. */
async function plainOutputs(path: string): Promise<string[]> {
  const nb = await readNotebook(path);
  return nb.cells.flatMap((cell) =>
    ((cell.outputs ?? []) as { data?: Record<string, unknown>; text?: string }[]).map((out) =>
      String(out.data?.["text/plain"] ?? out.text ?? "")
    )
  );
}

const notebooks = (await listNotebooks(`${ROOT}/notebooks`)).map((p) => p.slice(ROOT.length + 1));

/** A call of `assert(…)` or `assert.x(…)`; the `import assert from …` line does not match. */
const ASSERT_CALL = /\bassert(?:\.\w+)?\s*\(/g;
/** Most assert calls a teaching cell may carry: the ones that teach ("the probabilities sum to 1"). */
const TEACHING_ASSERTS = 2;
/** What a notebook may import: the library's one entry point, and assert for the checks. */
const ALLOWED_IMPORTS = new Set(["../lib/mod.ts", "node:assert/strict"]);

/** The module specifiers a piece of code imports (static and dynamic). */
function importSpecifiers(code: string): string[] {
  return [...code.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s*)(["'])([^"']+)\1/gm)]
    .map((m) => m[2]!);
}

/** Index of the code cell tagged `checks`, or -1. */
function checksCellIndex(nb: Notebook): number {
  return nb.cells.findIndex((cell) =>
    cell.cell_type === "code" && (cell.metadata?.tags?.includes("checks") ?? false)
  );
}

/**
 * What keeps a notebook from reading as a lesson, one message per problem: exactly one code cell
 * tagged `checks`, the last code cell, collapsed (`metadata.jupyter.source_hidden`) and asserting
 * or throwing; every other code cell with at most {@linkcode TEACHING_ASSERTS} asserts; imports
 * only from {@linkcode ALLOWED_IMPORTS}.
 */
function lessonProblems(nb: Notebook): string[] {
  const problems: string[] = [];
  const code = nb.cells.flatMap((cell, index) =>
    cell.cell_type === "code" ? [{ cell, index }] : []
  );
  const checks = code.filter(({ cell }) => cell.metadata?.tags?.includes("checks") ?? false);
  if (checks.length !== 1) problems.push(`${checks.length} code cells tagged \`checks\`, not 1`);
  const last = checks.at(-1);
  if (last !== undefined) {
    const where = `the checks cell (cell ${last.index + 1})`;
    if (last.index !== code.at(-1)!.index) problems.push(`${where} is not the last code cell`);
    const jupyter = last.cell.metadata?.jupyter as { source_hidden?: unknown } | undefined;
    if (jupyter?.source_hidden !== true) problems.push(`${where} lacks jupyter.source_hidden`);
    if (!/\bassert(?:\.\w+)?\s*\(|\bthrow\b/.test(cellSource(last.cell))) {
      problems.push(`${where} neither asserts nor throws`);
    }
  }
  for (const { cell, index } of code) {
    const source = cellSource(cell);
    const asserts = source.match(ASSERT_CALL)?.length ?? 0;
    if (!checks.some((c) => c.cell === cell) && asserts > TEACHING_ASSERTS) {
      problems.push(
        `cell ${index + 1} carries ${asserts} asserts (at most ${TEACHING_ASSERTS} that teach; ` +
          "regression checks go into the checks cell)",
      );
    }
    for (const spec of importSpecifiers(source)) {
      if (!ALLOWED_IMPORTS.has(spec)) {
        problems.push(`cell ${index + 1} imports ${spec}; notebooks import ../lib/mod.ts only`);
      }
    }
  }
  return problems;
}

Deno.test("lessonProblems() names each way a notebook breaks the lesson shape", () => {
  const codeCell = (source: string, metadata: Cell["metadata"] = {}): Cell => ({
    cell_type: "code",
    source,
    metadata,
    outputs: [],
  });
  const checks = codeCell("// Checks\nif (x !== 1) throw new Error(`x`);", {
    tags: ["checks"],
    jupyter: { source_hidden: true },
  });
  const good: Notebook = {
    cells: [
      codeCell(
        'import assert from "node:assert/strict";\nimport { softmax } from "../lib/mod.ts";',
      ),
      codeCell('assert.ok(sum === 1, "the probabilities sum to 1");'),
      { cell_type: "markdown", source: "## Summary" },
      checks,
    ],
    metadata: {},
    nbformat: 4,
    nbformat_minor: 5,
  };
  assert.deepEqual(lessonProblems(good), []);
  const broken = structuredClone(good);
  broken.cells[0]!.source += '\nimport { trainNGram } from "../lib/text/ngram.ts";';
  broken.cells[1]!.source += "\nassert.equal(a, 1);\nassert(b);";
  broken.cells[3]!.metadata = { tags: ["checks"] };
  broken.cells[3]!.source = "// Checks\nconsole.log(x);";
  broken.cells.push(codeCell("await show(1);"));
  assert.deepEqual(lessonProblems(broken), [
    "the checks cell (cell 4) is not the last code cell",
    "the checks cell (cell 4) lacks jupyter.source_hidden",
    "the checks cell (cell 4) neither asserts nor throws",
    "cell 1 imports ../lib/text/ngram.ts; notebooks import ../lib/mod.ts only",
    "cell 2 carries 3 asserts (at most 2 that teach; regression checks go into the checks cell)",
  ]);
  broken.cells.push(structuredClone(checks));
  assert.ok(lessonProblems(broken).includes("2 code cells tagged `checks`, not 1"));
});

Deno.test("notebooks/ holds at least the first notebook", () => {
  assert.ok(notebooks.includes("notebooks/01-conditional-probability.ipynb"), String(notebooks));
});

for (const notebook of notebooks) {
  Deno.test(`${notebook} declares its figures and has a parameters cell`, async () => {
    const nb = await readNotebook(`${ROOT}/${notebook}`);
    const course = nb.metadata.course as { expected_figures?: unknown } | undefined;
    assert.ok(Number.isInteger(course?.expected_figures), "metadata.course.expected_figures");
    const index = parametersCellIndex(nb);
    assert.ok(index >= 0, "a cell tagged `parameters`");
    for (const cell of nb.cells) {
      if (cell.cell_type !== "code") continue;
      assert.deepEqual(cell.outputs ?? [], [], "notebooks are committed without outputs");
      assert.ok(!/Deno\.jupyter\.display\(/.test(cellSource(cell)), "display through show()");
    }
  });

  Deno.test(`${notebook} keeps lessons in front and one collapsed checks cell behind`, async () => {
    const problems = lessonProblems(await readNotebook(`${ROOT}/${notebook}`));
    assert.deepEqual(problems, [], problems.join("\n"));
  });

  Deno.test(
    `${notebook} runs ${REPEAT} times in fresh kernels with every output every time`,
    async () => {
      // --late-wait: listen 50 ms after each cell for output published after "idle".
      const result = await runNotebook([
        notebook,
        "--repeat",
        String(REPEAT),
        "--late-wait",
        "0.05",
        "--json",
      ]);
      assert.equal(result.code, 0, result.stderr);
      const summary = JSON.parse(result.stdout) as {
        expected_figures: number;
        expected_outputs: number;
        runs: { seconds: number; outputs: number; figures: number; late: number }[];
      };
      assert.equal(summary.runs.length, REPEAT);
      for (const r of summary.runs) {
        assert.equal(r.figures, summary.expected_figures);
        assert.equal(r.outputs, summary.expected_outputs);
        assert.equal(r.late, 0);
      }
      const seconds = summary.runs.map((r) => r.seconds);
      console.log(
        `${notebook}: ${REPEAT} runs, ${summary.expected_outputs} outputs (${summary.expected_figures} figures) ` +
          `expected and found in every run, 0 late; cells took ${Math.min(...seconds)}–${
            Math.max(...seconds)
          } s per run`,
      );
    },
  );
}

Deno.test("deno task nb runs notebook 01 with other parameters", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const out = `${dir}/01.ipynb`;
    const result = await nbTask([
      "01-conditional-probability",
      "--param",
      "total=20",
      "--param",
      "a=10",
      "--param",
      "b=9",
      "-p",
      "both=4",
      "--out",
      out,
    ]);
    assert.equal(result.code, 0, result.stderr);
    const nb = await readNotebook(out);
    const index = parametersCellIndex(nb);
    assert.deepEqual(nb.cells[index + 1]?.metadata?.tags, ["injected-parameters"]);
    const text = (await plainOutputs(out)).join("\n");
    assert.match(text, /P\(A \| B\) = 0\.2000 \/ 0\.4500 = 4\/9 = 0\.4444/);
    assert.match(text, /P\(B \| A\) = 4\/10 = 0\.4000/);
    assert.doesNotMatch(text, /= 3\/8/, "the default numbers are gone");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deno task nb stops impossible counts with the library's message", async () => {
  let expected = "";
  try {
    vennProbabilities({ total: 14, a: 7, b: 8, both: 9 });
  } catch (error) {
    expected = (error as Error).message;
  }
  assert.ok(expected.length > 0, "vennProbabilities rejects both > a");
  const dir = await Deno.makeTempDir();
  try {
    const result = await nbTask([
      "notebooks/01-conditional-probability.ipynb",
      "--param",
      "both=9",
      "--out",
      `${dir}/01.ipynb`,
    ]);
    assert.equal(result.code, 1);
    assert.ok(
      result.stderr.includes(`notebooks/01-conditional-probability.ipynb, cell 4 (`),
      result.stderr,
    );
    assert.ok(result.stderr.includes(`RangeError: ${expected}`), result.stderr);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deno task nb refuses a parameter the notebook does not declare", async () => {
  const result = await nbTask(["01-conditional-probability", "--param", "totl=20"]);
  assert.equal(result.code, 2);
  assert.match(
    result.stderr,
    /`--param` totl is not declared in the parameters cell .*known: total, a, b, both/,
  );
});

Deno.test("run_notebook.py fails naming notebook, cell and message", async (t) => {
  await t.step("a wrong number (failing assert)", async () => {
    const result = await runNotebook(["tests/fixtures/wrong-number.ipynb"]);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      /^tests\/fixtures\/wrong-number\.ipynb, cell 3 \("assert\.equal\(aGivenB, 0\.4.*"\): AssertionError: P\(A\|B\) should be 3\/8\n\n0\.375 !== 0\.4$/m,
    );
  });
  await t.step("a thrown error", async () => {
    const result = await runNotebook(["tests/fixtures/throws.ipynb"]);
    assert.equal(result.code, 1);
    assert.ok(
      result.stderr.includes(
        'tests/fixtures/throws.ipynb, cell 3 ("throw new RangeError("`temperature` must be >= 0, got -1");"): ' +
          "RangeError: `temperature` must be >= 0, got -1",
      ),
      result.stderr,
    );
  });
  await t.step("a missing figure", async () => {
    const result = await runNotebook(["tests/fixtures/figures.ipynb"]);
    assert.equal(result.code, 1);
    assert.ok(
      result.stderr.includes(
        "tests/fixtures/figures.ipynb: expected 2 plotly figure(s) (metadata.course.expected_figures), found 1",
      ),
      result.stderr,
    );
  });
  await t.step("a wrong number in a real notebook's checks cell", async () => {
    // Notebook 01 with one expected number changed: every lesson cell still passes, so the run
    // must fail in the checks cell, which proves the real checks cells bite.
    const source = "notebooks/01-conditional-probability.ipynb";
    const nb = await readNotebook(`${ROOT}/${source}`);
    const index = checksCellIndex(nb);
    const checks = cellSource(nb.cells[index]!);
    const right = 'aGivenB.toFixed(4), "0.3750"';
    assert.equal(checks.split(right).length, 2, `the checks cell compares ${right} once`);
    nb.cells[index]!.source = checks.replace(right, 'aGivenB.toFixed(4), "0.3751"');
    // The copy lives in .out/ (git-ignored, inside the project so deno.json's imports resolve)
    // and reaches lib/ by absolute URL.
    const base = new URL(`file://${ROOT}/${source}`);
    for (const cell of nb.cells) {
      if (cell.cell_type === "code") cell.source = absolutiseImports(cellSource(cell), base);
    }
    await Deno.mkdir(`${ROOT}/.out`, { recursive: true });
    const dir = await Deno.makeTempDir({ dir: `${ROOT}/.out`, prefix: "wrong-number-" });
    try {
      const copy = `${dir}/01.ipynb`;
      await Deno.writeTextFile(copy, JSON.stringify(nb));
      const result = await runNotebook([copy.slice(ROOT.length + 1)]);
      assert.equal(result.code, 1, result.stderr);
      const where = `/01\\.ipynb, cell ${index + 1} \\("// Checks: .*"\\)`;
      assert.match(result.stderr, new RegExp(`${where}: AssertionError: P\\(A \\| B\\) = 3/8`));
      assert.match(result.stderr, /0\.3750.*!==.*0\.3751/);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  });
  await t.step("no Python traceback in any report", async () => {
    const result = await runNotebook(["tests/fixtures/throws.ipynb"]);
    assert.doesNotMatch(result.stderr, /Traceback \(most recent call last\)/);
  });
});

Deno.test("check_notebooks.ts reports type errors at the notebook cell and line", async () => {
  const result = await run(Deno.execPath(), [
    "run",
    "--allow-all",
    "tools/check_notebooks.ts",
    "tests/fixtures/type-error.ipynb",
  ]);
  assert.equal(result.code, 1);
  assert.match(result.stderr, /Type 'number' is not assignable to type 'string'/);
  assert.match(result.stderr, /at tests\/fixtures\/type-error\.ipynb cell 2, line 2:7/);
});

Deno.test("deno task nb: notebook 04 follows other probabilities into every table", async () => {
  const probs = [0.7, 0.1, 0.1, 0.05, 0.05];
  const dir = await Deno.makeTempDir();
  try {
    const out = `${dir}/04.ipynb`;
    const result = await nbTask([
      "04-temperature",
      "--param",
      `probs=${JSON.stringify(probs)}`,
      "--out",
      out,
    ]);
    assert.equal(result.code, 0, result.stderr);
    const text = (await plainOutputs(out)).join("\n");
    // At T = 0.5 the first word gets p² / Σ p², computed here independently of lib/softmax.ts.
    const squares = probs.map((p) => p * p);
    const expected = squares[0]! / squares.reduce((s, x) => s + x, 0);
    assert.match(text, new RegExp(`Cafe\\s+0\\.7000\\s+\\S+\\s+\\S+\\s+${expected.toFixed(4)}`));
    assert.doesNotMatch(text, /0\.5614/, "the article's T = 0.5 value is gone");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("deno task nb stops bad parameters of notebooks 03-05 with the library's message", async (t) => {
  const cases: [string, string, RegExp][] = [
    [
      "03-loss",
      "probs=[0.5, 0.6, 0, 0, 0]",
      /RangeError: `predicted` must sum to 1|RangeError: `probs` must sum to 1/,
    ],
    [
      "04-temperature",
      "lowTemperatures=[-1, 0.1]",
      /RangeError: `temperature` must be >= 0, got -1/,
    ],
    ["05-sampling", "k=0", /RangeError: `k` must be an integer >= 1, got 0/],
  ];
  for (const [notebook, param, message] of cases) {
    await t.step(`${notebook} --param ${param}`, async () => {
      const dir = await Deno.makeTempDir();
      try {
        const result = await nbTask([notebook, "--param", param, "--out", `${dir}/out.ipynb`]);
        assert.equal(result.code, 1, result.stderr);
        assert.match(result.stderr, new RegExp(`notebooks/${notebook}\\.ipynb, cell \\d+ \\(`));
        assert.match(result.stderr, message);
      } finally {
        await Deno.remove(dir, { recursive: true });
      }
    });
  }
});
