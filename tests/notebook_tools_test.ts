import assert from "node:assert/strict";
import {
  absolutiseImports,
  declaredParameters,
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
import { kernelSpec, sha256Hex } from "../tools/setup.ts";
import { checkLine } from "../tools/doctor.ts";
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
});

Deno.test("labArgs() serves notebooks/ and passes extra arguments through", () => {
  assert.deepEqual(labArgs("/p", ["--no-browser", "--port", "8899"]), [
    "lab",
    "--ServerApp.root_dir=/p/notebooks",
    "--no-browser",
    "--port",
    "8899",
  ]);
  assert.deepEqual(labArgs("/p", [], true), [
    "lab",
    "--ServerApp.root_dir=/p/notebooks",
    "--allow-root",
  ]);
});

Deno.test("kernelSpec() runs the given Deno without colours", async () => {
  assert.deepEqual(kernelSpec("/opt/deno"), {
    argv: ["/opt/deno", "jupyter", "--kernel", "--conn", "{connection_file}"],
    display_name: "Deno",
    language: "typescript",
    env: { NO_COLOR: "1" },
  });
  assert.throws(
    () => kernelSpec("deno"),
    new TypeError('`denoPath` must be an absolute path, got "deno"'),
  );
  assert.notEqual(await sha256Hex("a==1\n"), await sha256Hex("a==2\n"));
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
