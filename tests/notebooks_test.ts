/**
 * The notebooks, executed for real: every `notebooks/*.ipynb` 10 times in fresh Deno kernels
 * through nbclient (tools/run_notebook.py), `deno task nb` with other and with impossible
 * parameters, and the runner's own failure reports on small fixture notebooks.
 *
 * The venv and kernelspec are made ready first (tools/setup.ts), so a fresh machine needs only
 * Deno and Python 3.
 */

import assert from "node:assert/strict";
import { ensureSetup, jupyterEnv, ROOT, VENV_PYTHON } from "../tools/setup.ts";
import { cellSource, listNotebooks, parametersCellIndex, readNotebook } from "../tools/notebook.ts";
import { vennProbabilities } from "../lib/mod.ts";

/** Executions per notebook in the lost-output test. */
const REPEAT = 10;

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
