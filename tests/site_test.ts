import assert from "node:assert/strict";
import type { Notebook } from "../tools/notebook.ts";
import { HIDDEN_SUMMARY, renderPage, sourceHidden } from "../tools/site.ts";
import { renderDoc } from "../tools/docs.ts";

const nb: Notebook = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {},
  cells: [
    { cell_type: "code", source: "const lesson = 1;", metadata: {}, outputs: [] },
    {
      cell_type: "code",
      source: "// Checks: regression\nassert.equal(lesson, 1);",
      metadata: { tags: ["checks"], jupyter: { source_hidden: true } },
      outputs: [],
    },
  ],
};

Deno.test("sourceHidden() reads metadata.jupyter.source_hidden", () => {
  assert.equal(sourceHidden(nb.cells[0]!), false);
  assert.equal(sourceHidden(nb.cells[1]!), true);
  assert.equal(sourceHidden({ cell_type: "code", source: "" }), false);
});

Deno.test("the exporters collapse the cells JupyterLab collapses, and only those", async (t) => {
  await t.step("renderPage() wraps the hidden cell in <details>", () => {
    const html = renderPage(nb, {
      title: "t",
      source: "n.ipynb",
      plotlySrc: "p.js",
      links: { index: "index.html" },
    });
    assert.equal(html.match(/<details>/g)?.length, 1);
    const details = html.slice(html.indexOf("<details>"));
    assert.ok(details.includes("assert.equal(lesson, 1);"));
    assert.ok(!details.includes("const lesson = 1;"));
  });
  await t.step("renderDoc() wraps the hidden cell in <details>", () => {
    const md = renderDoc(nb, "notebooks/n.ipynb", []);
    assert.equal(md.match(/<details>/g)?.length, 1);
    assert.ok(md.includes(`<summary>${HIDDEN_SUMMARY}</summary>\n\n\`\`\`ts\n// Checks`));
    assert.ok(md.indexOf("const lesson = 1;") < md.indexOf("<details>"));
  });
});

Deno.test("renderDoc() points notebook links to exercises and solutions into notebooks/", () => {
  const md = renderDoc(
    {
      ...nb,
      cells: [{
        cell_type: "markdown",
        source: "[a](exercises/x.ipynb) [b](solutions/x.ipynb) [c](y.md)",
      }],
    },
    "notebooks/n.ipynb",
    [],
  );
  assert.ok(
    md.includes(
      "[a](../notebooks/exercises/x.ipynb) [b](../notebooks/solutions/x.ipynb) [c](y.md)",
    ),
  );
});
