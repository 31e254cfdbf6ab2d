import assert from "node:assert/strict";
import {
  absolutiseImports,
  declaredParameters,
  listNotebooks,
  mapCheckOutput,
  type Notebook,
  notebookToModule,
  parameterCode,
  parametersCellIndex,
  parseParam,
  withParameters,
} from "../tools/notebook.ts";
import { parseNbArgs } from "../tools/nb.ts";
import { labArgs } from "../tools/lab.ts";
import { kernelSpec, pipFailure, projectPaths, ROOT, sha256Hex } from "../tools/setup.ts";
import { checkLine } from "../tools/doctor.ts";
import { taskDenoVerdict } from "../tools/check_version.ts";
import { canonicalNotebook, stripOutputs } from "../tools/strip_outputs.ts";
import { firstDifferentLine } from "../tools/fmt_notebooks.ts";

const nb: Notebook = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: [
    { cell_type: "markdown", source: "# Title" },
    {
      cell_type: "code",
      source: ["const total = 14; // people\n", 'let word = "park";\n'],
      metadata: { tags: ["parameters"] },
    },
    {
      cell_type: "code",
      source: 'import { show } from "../lib/mod.ts";\nawait show(total)\ntotal',
    },
  ],
};

Deno.test("parseParam() splits name=value and keeps the value as written", () => {
  assert.deepEqual(parseParam("total=20"), { name: "total", value: "20" });
  assert.deepEqual(parseParam('word="a=b"'), { name: "word", value: '"a=b"' });
  assert.throws(
    () => parseParam("total"),
    new RangeError('`--param` must look like name=value, got "total"'),
  );
  assert.throws(
    () => parseParam("1x=2"),
    new RangeError('`--param` name must be an identifier, got "1x"'),
  );
  assert.throws(() => parseParam("x="), new RangeError("`--param` x needs a value after ="));
});

Deno.test("declaredParameters() finds top-level declarations with their keyword", () => {
  assert.deepEqual(
    [...declaredParameters(
      "const total = 14;\nlet word = 'x';\n  const inner = 1;\nvar v = [1,\n2];",
    )],
    [["total", "const"], ["word", "let"], ["v", "var"]],
  );
});

Deno.test("parameterCode() re-declares overrides and refuses unknown names", () => {
  const declared = declaredParameters("const total = 14;\nlet word = 'x';");
  assert.equal(
    parameterCode(
      [{ name: "total", value: "20" }, { name: "word", value: '"cafe"' }],
      declared,
      "n.ipynb",
    ),
    "// Injected by `deno task nb`: these values override the parameters cell above.\n" +
      'const total = 20;\nlet word = "cafe";',
  );
  assert.throws(
    () => parameterCode([{ name: "totl", value: "1" }], declared, "n.ipynb"),
    new RangeError(
      "`--param` totl is not declared in the parameters cell of n.ipynb; known: total, word",
    ),
  );
});

Deno.test("withParameters() inserts one tagged cell after the parameters cell", () => {
  const copy = withParameters(nb, [{ name: "total", value: "20" }], "n.ipynb");
  assert.equal(copy.cells.length, nb.cells.length + 1);
  assert.deepEqual(copy.cells[2]?.metadata, { tags: ["injected-parameters"] });
  assert.match(String(copy.cells[2]?.source), /^const total = 20;$/m);
  assert.equal(copy.cells[3], nb.cells[2]);
  assert.equal(nb.cells.length, 3, "the original is unchanged");
  assert.equal(withParameters(nb, [], "n.ipynb"), nb);
  assert.throws(
    () => withParameters({ ...nb, cells: [nb.cells[0]!] }, [{ name: "a", value: "1" }], "n.ipynb"),
    new RangeError("n.ipynb has no cell tagged `parameters`"),
  );
});

Deno.test("parametersCellIndex() finds the tagged cell", () => {
  assert.equal(parametersCellIndex(nb), 1);
  assert.equal(parametersCellIndex({ ...nb, cells: [nb.cells[0]!] }), -1);
});

Deno.test("absolutiseImports() rewrites only relative specifiers", () => {
  const base = new URL("file:///p/notebooks/01.ipynb");
  assert.equal(
    absolutiseImports(
      'import { a } from "../lib/mod.ts";\nimport "./side.ts";\nconst m = await import(\'./x.ts\');\n' +
        'import assert from "node:assert/strict";\nexport * from "../lib/plot.ts";',
      base,
    ),
    'import { a } from "file:///p/lib/mod.ts";\nimport "file:///p/notebooks/side.ts";\n' +
      "const m = await import('file:///p/notebooks/x.ts');\n" +
      'import assert from "node:assert/strict";\nexport * from "file:///p/lib/plot.ts";',
  );
});

Deno.test("notebookToModule() joins code cells into a module with a line map", () => {
  const { code, lines } = notebookToModule(
    nb,
    new URL("file:///p/notebooks/01.ipynb"),
    "nb/01.ipynb",
  );
  assert.equal(
    code,
    [
      "// Generated from nb/01.ipynb by tools/check_notebooks.ts.",
      "// cell 2",
      "const total = 14; // people",
      'let word = "park";',
      "",
      "// cell 3",
      'import { show } from "file:///p/lib/mod.ts";',
      "await show(total)",
      "total",
      "export {};",
      "",
    ].join("\n"),
  );
  assert.equal(lines.length, code.split("\n").length);
  assert.deepEqual(lines[7], { cell: 3, line: 2 }, "line 8 is cell 3, line 2");
});

Deno.test("mapCheckOutput() points errors at the notebook cell", () => {
  const { lines } = notebookToModule(nb, new URL("file:///p/notebooks/01.ipynb"), "nb/01.ipynb");
  assert.equal(
    mapCheckOutput(
      "at file:///tmp/x/01.ts:8:3\nat file:///tmp/x/01.ts:1:1",
      "file:///tmp/x/01.ts",
      lines,
      "nb/01.ipynb",
    ),
    "at nb/01.ipynb cell 3, line 2:3\nat file:///tmp/x/01.ts:1:1",
  );
});

Deno.test("parseNbArgs() reads the notebook, parameters and output", () => {
  assert.deepEqual(
    parseNbArgs(["01", "--param", "a=1", "-p", "b=2", "--param=c=3", "--out", "x.ipynb"]),
    {
      notebook: "01",
      params: [{ name: "a", value: "1" }, { name: "b", value: "2" }, { name: "c", value: "3" }],
      out: "x.ipynb",
    },
  );
  assert.throws(() => parseNbArgs([]), /Usage: deno task nb/);
  assert.throws(() => parseNbArgs(["01", "--bogus"]), new RangeError("Unknown option `--bogus`"));
  assert.throws(() => parseNbArgs(["01", "--param"]), new RangeError("`--param` needs a value"));
  assert.deepEqual(parseNbArgs(["01", "--timeout", "30"]), {
    notebook: "01",
    params: [],
    timeout: 30,
  });
  assert.equal(parseNbArgs(["01", "--timeout=5"]).timeout, 5);
  assert.throws(
    () => parseNbArgs(["01", "--timeout", "0"]),
    new RangeError("`--timeout` must be a whole number of seconds > 0, got 0"),
  );
});

Deno.test("labArgs() serves the project root, opens on notebooks/, passes extra arguments", () => {
  assert.deepEqual(labArgs("/p", ["--no-browser", "--port", "8899"]), [
    "lab",
    "--ServerApp.root_dir=/p",
    "--LabApp.default_url=/lab/tree/notebooks",
    "--ContentsManager.allow_hidden=True",
    "--no-browser",
    "--port",
    "8899",
  ]);
  assert.deepEqual(labArgs("/p", [], true).at(-1), "--allow-root");
});

Deno.test("kernelSpec() runs the chosen Deno behind tools/deno_kernel.py, without colours", async () => {
  const choice = { deno: "/opt/deno", version: "2.7.14", reason: "pinned" };
  assert.deepEqual(kernelSpec(choice, projectPaths("/p"), "2.9.6"), {
    argv: [
      "/p/.venv/bin/python",
      "/p/tools/deno_kernel.py",
      "--deno",
      "/opt/deno",
      "--conn",
      "{connection_file}",
    ],
    display_name: "Deno",
    language: "typescript",
    env: { NO_COLOR: "1" },
    metadata: {
      course: { deno: "/opt/deno", deno_version: "2.7.14", chosen_for: "2.9.6", reason: "pinned" },
    },
  });
  assert.throws(
    () => kernelSpec({ ...choice, deno: "deno" }, projectPaths("/p"), "2.9.6"),
    new TypeError('`choice.deno` must be an absolute path, got "deno"'),
  );
  assert.notEqual(await sha256Hex("a==1\n"), await sha256Hex("a==2\n"));
});

Deno.test("pipFailure() quotes pip's own error and blames the network only when pip does", () => {
  assert.equal(
    pipFailure(
      "ERROR: Could not find a version that satisfies the requirement x==99 (from versions: 1.0)\n" +
        "ERROR: No matching distribution found for x==99\n",
      "requirements.txt",
    ),
    "pip could not install requirements.txt: No matching distribution found for x==99",
  );
  assert.equal(
    pipFailure(
      "WARNING: Retrying ... NewConnectionError('Failed to establish a new connection')\n" +
        "ERROR: Could not find a version that satisfies the requirement x==1\n",
      "requirements.txt",
    ),
    "pip could not install requirements.txt: Could not find a version that satisfies the " +
      "requirement x==1 (pip could not reach the package index: check the network or proxy, and retry)",
  );
});

Deno.test("taskDenoVerdict() runs the tasks on Deno 2 from the pinned version on", () => {
  assert.deepEqual(taskDenoVerdict("2.7.14"), { ok: true, message: "" });
  assert.deepEqual(taskDenoVerdict("2.9.6"), { ok: true, message: "" });
  assert.deepEqual(taskDenoVerdict("2.7.13"), {
    ok: false,
    message: "This project needs Deno 2.7.14 or newer, but this is Deno 2.7.13: upgrade it with " +
      "`deno upgrade` (or `npm install -g deno@latest` if npm installed it)",
  });
  assert.equal(taskDenoVerdict("3.0.0").ok, true);
  assert.match(taskDenoVerdict("3.0.0").message, /^Warning: /);
  assert.doesNotMatch(JSON.stringify(taskDenoVerdict("2.1.0")), /downgrade|deno@2\.7/);
});

Deno.test("stripOutputs() clears outputs and counts; a clean notebook passes through", () => {
  const executed = {
    cells: [
      { cell_type: "markdown", metadata: {}, source: "# T" },
      {
        cell_type: "code",
        execution_count: 4,
        metadata: { execution: { "iopub.status.busy": "x" }, tags: ["parameters"] },
        outputs: [{ output_type: "stream", name: "stdout", text: "hi" }],
        source: "console.log('hi')",
      },
    ],
    metadata: {},
    nbformat: 4,
    nbformat_minor: 5,
  };
  const stripped = stripOutputs(executed)!;
  assert.deepEqual((stripped.cells as unknown[])[1], {
    cell_type: "code",
    execution_count: null,
    metadata: { tags: ["parameters"] },
    outputs: [],
    source: "console.log('hi')",
  });
  assert.equal(stripOutputs(stripped), undefined, "nothing left to strip");
  assert.equal(stripOutputs({ not: "a notebook" }), undefined);
});

Deno.test("checkLine() prints one aligned line per check", () => {
  assert.equal(checkLine("venv", { ok: true, message: "fine" }), "ok    venv        fine");
  assert.equal(checkLine("kernel", { ok: false, message: "run x" }), "FAIL  kernel      run x");
});

Deno.test("firstDifferentLine() finds where a notebook's formatting differs", () => {
  assert.equal(firstDifferentLine("a\nb\n", "a\nb\n"), 0);
  assert.equal(firstDifferentLine("a\nb\n", "a\nc\n"), 2);
  assert.equal(firstDifferentLine("a\n", "a\n\n"), 3);
});

Deno.test("notebooks/ are stored as Jupyter writes them, so git's output filter leaves them as they are", async () => {
  const fix =
    "deno run --allow-read --allow-write tools/strip_outputs.ts --write notebooks/*.ipynb";
  for (const path of await listNotebooks(`${ROOT}/notebooks`)) {
    const text = await Deno.readTextFile(path);
    assert.ok(
      canonicalNotebook(text) === text,
      `${path.slice(ROOT.length + 1)} has outputs or is not in Jupyter's layout (keys sorted, ` +
        `one-space indent); run \`${fix}\``,
    );
  }
});

Deno.test("requirements.txt holds what a learner needs; numpy only in requirements-dev.txt", async () => {
  const names = (text: string) =>
    text.split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"))
      .map((l) => l.split("==")[0]!.toLowerCase());
  assert.deepEqual(names(await Deno.readTextFile(`${ROOT}/requirements.txt`)), [
    "jupyterlab",
    "nbclient",
    "nbformat",
    "plotly",
  ]);
  assert.deepEqual(names(await Deno.readTextFile(`${ROOT}/requirements-dev.txt`)), ["numpy"]);
});

Deno.test("git ignores JupyterLab's checkpoints and the venv", async () => {
  for (const path of ["notebooks/.ipynb_checkpoints/04-temperature-checkpoint.ipynb", ".venv/x"]) {
    const out = await new Deno.Command("git", {
      args: ["-C", ROOT, "check-ignore", "-q", path],
    }).output();
    assert.equal(out.code, 0, `${path} is not ignored`);
  }
});
