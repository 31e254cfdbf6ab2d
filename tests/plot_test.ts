import assert from "node:assert/strict";
import {
  barChart,
  centreDistance,
  type Chart,
  groupedBarChart,
  jsonForHtml,
  lensArea,
  lineChart,
  PALETTE,
  PLOTLY_MIME,
  plotlyHtml,
  vennChart,
} from "../lib/plot.ts";

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

Deno.test("barChart() builds a themed plotly bar figure", () => {
  const c = barChart({
    title: "P(next word)",
    xTitle: "word",
    labels: ["Park", "School"],
    values: [0.25, 0.75],
  });
  const [trace] = c.figure.data;
  assert.equal(trace?.type, "bar");
  assert.deepEqual(trace?.x, ["Park", "School"]);
  assert.deepEqual(trace?.y, [0.25, 0.75]);
  assert.deepEqual(trace?.text, ["0.25", "0.75"]);
  assert.deepEqual(c.figure.layout.yaxis, {
    title: { text: "probability" },
    gridcolor: "#e5e5e5",
    zeroline: false,
  });
  assert.deepEqual((c.figure.layout.xaxis as { title: unknown }).title, { text: "word" });
  assert.deepEqual(c.figure.layout.colorway, PALETTE);
  assert.equal(
    c.text,
    "P(next word) (bar chart)\nword    probability\nPark           0.25\nSchool         0.75",
  );
});

Deno.test("barChart() does not keep references to its inputs", () => {
  const labels = Object.freeze(["a", "b"]);
  const values = Object.freeze([1, 2]);
  const c = barChart({ title: "t", labels, values });
  assert.notEqual(c.figure.data[0]?.x, labels);
  assert.notEqual(c.figure.data[0]?.y, values);
  assert.deepEqual(
    barChart({ title: "t", labels, values: new Float64Array([1, 2]) }).figure.data[0]?.y,
    [1, 2],
  );
});

Deno.test("barChart() rejects bad input with clear messages", async (t) => {
  await t.step("different lengths", () => {
    assert.throws(
      () => barChart({ title: "t", labels: ["a", "b", "c"], values: [1, 2] }),
      new RangeError("`values` must have one value per label (3), got 2 values"),
    );
  });
  await t.step("not finite", () => {
    assert.throws(
      () => barChart({ title: "t", labels: ["a", "b"], values: [1, NaN] }),
      new RangeError("`values[1]` must be a finite number, got NaN"),
    );
    assert.throws(
      () => barChart({ title: "t", labels: ["a"], values: [Infinity] }),
      new RangeError("`values[0]` must be a finite number, got Infinity"),
    );
  });
  await t.step("wrong types", () => {
    assert.throws(
      () => barChart({ title: "t", labels: ["a"], values: ["1" as unknown as number] }),
      new TypeError('`values[0]` must be a number, got "1"'),
    );
    assert.throws(
      () => barChart({ title: "t", labels: [1 as unknown as string], values: [1] }),
      new TypeError("`labels[0]` must be a string, got 1"),
    );
  });
  await t.step("empty", () => {
    assert.throws(
      () => barChart({ title: "t", labels: [], values: [] }),
      new RangeError("`labels` must not be empty"),
    );
  });
});

Deno.test("groupedBarChart() draws one trace per series", () => {
  const c = groupedBarChart({
    title: "Zoom into B",
    labels: ["A and B", "B only"],
    series: [{ name: "of 14", values: [3 / 14, 5 / 14] }, { name: "of 8", values: [3 / 8, 5 / 8] }],
  });
  assert.deepEqual(c.figure.data.map((d) => d.name), ["of 14", "of 8"]);
  assert.deepEqual(c.figure.data.map((d) => (d.marker as { color: string }).color), [
    PALETTE[0],
    PALETTE[1],
  ]);
  assert.match(c.text, /A and B\s+0\.2143\s+0\.375/);
  assert.throws(
    () => groupedBarChart({ title: "t", labels: ["a"], series: [{ name: "s", values: [1, 2] }] }),
    new RangeError("`series[0].values` must have one value per label (1), got 2 values"),
  );
  assert.throws(
    () => groupedBarChart({ title: "t", labels: ["a"], series: [] }),
    new RangeError("`series` must hold at least one series"),
  );
});

Deno.test("lineChart() supports several series, a log axis and a short text table", () => {
  const x = Array.from({ length: 30 }, (_, i) => i + 1);
  const c = lineChart({
    title: "Loss",
    xTitle: "N",
    yTitle: "loss (nats)",
    x,
    series: [
      { name: "a", values: x.map((v) => 1 / v) },
      { name: "b", values: x.map((v) => 2 / v) },
    ],
    logX: true,
  });
  assert.equal(c.figure.data.length, 2);
  assert.equal((c.figure.layout.xaxis as { type: string }).type, "log");
  const lines = c.text.split("\n");
  assert.equal(lines[0], "Loss (line chart, 30 points; loss (nats))");
  assert.equal(
    lines.length,
    2 + 6 + 1 + 5,
    "header, title row, 6 first rows, ellipsis, 5 last rows",
  );
  assert.match(c.text, /^30\s+0\.03333\s+0\.06667$/m);
  assert.throws(
    () => lineChart({ title: "t", x: [1, 2], series: [{ name: "s", values: [1] }] }),
    new RangeError("`series[0].values` must have one value per x value (2), got 1 values"),
  );
});

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

Deno.test("lensArea() matches the closed forms and falls as circles move apart", () => {
  assert.equal(lensArea(1, 2, 3), 0);
  assert.ok(Math.abs(lensArea(1, 2, 0.5) - Math.PI) < 1e-12, "small circle inside the big one");
  // Two unit circles at distance 1: 2π/3 - √3/2 (known value 1.2283696986).
  assert.ok(Math.abs(lensArea(1, 1, 1) - 1.2283696986087567) < 1e-12);
  let previous = Infinity;
  for (let d = 0.01; d < 3; d += 0.01) {
    const area = lensArea(1, 2, d);
    assert.ok(area <= previous + 1e-12);
    previous = area;
  }
  assert.throws(
    () => lensArea(-1, 1, 1),
    new RangeError("`r1` must be a finite number >= 0, got -1"),
  );
});

Deno.test("centreDistance() inverts lensArea()", () => {
  for (const [r1, r2] of [[1, 1], [1.5, 1.6], [0.3, 2]] as const) {
    for (const fraction of [0, 0.1, 0.5, 0.9, 1]) {
      const overlap = fraction * Math.PI * Math.min(r1, r2) ** 2;
      const d = centreDistance(r1, r2, overlap);
      assert.ok(Math.abs(lensArea(r1, r2, d) - overlap) < 1e-9, `${r1} ${r2} ${fraction}`);
    }
  }
  assert.throws(() => centreDistance(1, 1, 4), /`overlap` must be between 0 and 3\.142, got 4/);
});

Deno.test("vennChart() draws areas to scale and labels every region", () => {
  const c = vennChart({ total: 14, a: 7, b: 8, both: 3, names: ["Tennis (A)", "Football (B)"] });
  const [, circleA, circleB] = c.figure.layout.shapes as {
    x0: number;
    x1: number;
  }[];
  const rA = (circleA!.x1 - circleA!.x0) / 2;
  const rB = (circleB!.x1 - circleB!.x0) / 2;
  assert.ok(Math.abs(Math.PI * rA * rA - 7) < 1e-12, "area of A is 7");
  assert.ok(Math.abs(Math.PI * rB * rB - 8) < 1e-12, "area of B is 8");
  const d = (circleB!.x0 + rB) - (circleA!.x0 + rA);
  assert.ok(Math.abs(lensArea(rA, rB, d) - 3) < 1e-9, "overlap area is 3");
  const texts = (c.figure.layout.annotations as { text: string }[]).map((a) => a.text);
  assert.deepEqual(texts, [
    "Tennis (A): 7",
    "Football (B): 8",
    "4",
    "3",
    "5",
    "neither: 2",
    "all: 14",
  ]);
  assert.match(c.text, /Tennis \(A\) only\s+4/);
  assert.match(c.text, /neither\s+2/);
});

Deno.test("vennChart() rejects impossible counts", () => {
  assert.throws(
    () => vennChart({ total: 14, a: 7, b: 8, both: 9 }),
    new RangeError("`both` must be <= `a` and <= `b`, got both=9, a=7, b=8"),
  );
  assert.throws(
    () => vennChart({ total: 10, a: 7, b: 8, both: 3 }),
    new RangeError("`a + b - both` must be <= `total`, got 7 + 8 - 3 = 12 > 10"),
  );
  assert.throws(
    () => vennChart({ total: 10, a: 2.5, b: 1, both: 0 }),
    new RangeError("`a` must be a whole number >= 0, got 2.5"),
  );
  // Edge cases still draw: disjoint sets and one set inside the other.
  assert.equal(
    vennChart({ total: 5, a: 2, b: 3, both: 0 }).figure.layout.shapes instanceof Array,
    true,
  );
  assert.match(vennChart({ total: 5, a: 2, b: 3, both: 2 }).text, /A only\s+0/);
});
