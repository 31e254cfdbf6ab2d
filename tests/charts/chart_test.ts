import assert from "node:assert/strict";
import { barChart } from "../../lib/charts/bar_line.ts";
import { type Chart, PLOTLY_MIME, plotlyHtml } from "../../lib/charts/chart.ts";
import { jsonForHtml } from "../../lib/charts/html.ts";

const DISPLAY = Symbol.for("Jupyter.display");
const EVIL = "</script><img src=x onerror=alert(1)>";

function bundleOf(c: Chart) {
  const bundle = c[DISPLAY]!();
  assert.deepEqual(bundle, c.bundle());
  return bundle;
}

/** The JSON embedded in the HTML fallback's script, parsed back. */
function embeddedFigure(html: string): unknown {
  const match = /var figure = (.*);\n/.exec(html);
  assert.ok(match, "the html embeds the figure as `var figure = …;`");
  return JSON.parse(match[1]!);
}

Deno.test("chart bundles carry plotly json, html and plain text", () => {
  const c = barChart({ title: "t", labels: ["a"], values: [1] });
  const bundle = bundleOf(c);
  assert.deepEqual(bundle[PLOTLY_MIME], c.figure);
  assert.equal(bundle["text/plain"], c.text);
  assert.deepEqual(embeddedFigure(bundle["text/html"]), c.figure);
  assert.match(bundle["text/html"], /window\.Plotly\.newPlot/);
});

Deno.test("plotlyHtml() keeps user text inside the HTML", async (t) => {
  const c = barChart({ title: `title ${EVIL}`, labels: [EVIL, "\u2028x\u2029"], values: [1, 2] });
  const html = bundleOf(c)["text/html"];
  await t.step("one script element, no injected tags", () => {
    assert.equal(html.match(/<script/g)?.length, 1);
    assert.equal(html.match(/<\/script>/g)?.length, 1);
    assert.ok(!html.includes("<img"), "no <img tag");
    const script = html.slice(html.indexOf("<script"));
    assert.ok(!/[\u2028\u2029]/.test(script), "no raw line separators in the script");
  });
  await t.step("the embedded figure still round-trips exactly", () => {
    assert.deepEqual(embeddedFigure(html), c.figure);
  });
  await t.step("the text fallback is escaped", () => {
    assert.ok(html.includes("&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;"));
  });
  await t.step("jsonForHtml escapes <, >, &, U+2028 and U+2029", () => {
    assert.equal(jsonForHtml("<>&\u2028\u2029"), '"\\u003c\\u003e\\u0026\\u2028\\u2029"');
    assert.equal(JSON.parse(jsonForHtml("<>&\u2028\u2029")), "<>&\u2028\u2029");
  });
  await t.step("plotlyHtml escapes the summary", () => {
    assert.ok(
      plotlyHtml({ data: [], layout: {}, config: {} }, EVIL).startsWith(
        '<div class="course-chart"><pre>&lt;/script&gt;',
      ),
    );
  });
});
