import assert from "node:assert/strict";
import { heatmapChart } from "../../lib/charts/heatmap.ts";
import { PLOTLY_MIME } from "../../lib/charts/chart.ts";

const words = ["the", "boy", "the"]; // a repeated label must stay its own column
const panels = [
  { name: "head 1", values: [[1, 0, 0], [0.5, 0.5, 0], [0.2, 0.3, 0.5]] },
  { name: "head 2", values: [[1, 0, 0], [0.9, 0.1, 0], [0, 0, 1]] },
];

Deno.test("heatmapChart() draws one heatmap trace per panel on its own axes", () => {
  const c = heatmapChart({ title: "Attention", x: words, y: words, panels, colorTitle: "weight" });
  assert.equal(c.figure.data.length, 2);
  const [first, second] = c.figure.data;
  assert.equal(first?.type, "heatmap");
  assert.deepEqual(first?.x, [0, 1, 2]);
  assert.deepEqual(first?.z, panels[0]!.values);
  assert.deepEqual([first?.xaxis, first?.yaxis, second?.xaxis, second?.yaxis], [
    "x",
    "y",
    "x2",
    "y2",
  ]);
  assert.deepEqual([first?.showscale, second?.showscale], [true, false]);
  assert.deepEqual([first?.zmin, first?.zmax], [0, 1]);
  const layout = c.figure.layout as Record<string, { ticktext?: string[]; autorange?: string }>;
  assert.deepEqual(layout.xaxis?.ticktext, words);
  assert.equal(layout.yaxis?.autorange, "reversed"); // the first row on top
  assert.deepEqual(layout.yaxis2?.ticktext, ["", "", ""]); // row labels only on the left
  assert.deepEqual(
    (c.figure.layout.annotations as { text: string }[]).map((a) => a.text),
    ["head 1", "head 2"],
  );
  assert.ok(PLOTLY_MIME in c.bundle());
});

Deno.test("heatmapChart() shows tokens like </s> literally (plotly reads labels as HTML)", () => {
  const c = heatmapChart({
    title: "t",
    x: ["</s>", "a&b"],
    y: ["<unk>"],
    panels: [{ name: "p", values: [[0, 1]] }],
  });
  const layout = c.figure.layout as Record<string, { ticktext?: string[] }>;
  assert.deepEqual(layout.xaxis?.ticktext, ["&lt;/s&gt;", "a&amp;b"]);
  assert.deepEqual(layout.yaxis?.ticktext, ["&lt;unk&gt;"]);
  assert.match(c.text, /<unk>\s+0\.00\s+1\.00/); // the text summary keeps the tokens as they are
});

Deno.test("heatmapChart() lays panels out in a grid of `columns`", () => {
  const c = heatmapChart({ title: "t", x: words, y: words, panels, columns: 1 });
  const layout = c.figure.layout as Record<string, { domain: number[] }>;
  assert.deepEqual(layout.xaxis?.domain, layout.xaxis2?.domain);
  assert.ok(layout.yaxis!.domain[0]! > layout.yaxis2!.domain[1]!); // panel 1 above panel 2
});

Deno.test("heatmapChart() text is one table per panel", () => {
  const c = heatmapChart({
    title: "A",
    xTitle: "read",
    yTitle: "reader",
    x: words,
    y: words,
    panels: [panels[0]!],
  });
  assert.equal(
    c.text,
    "A (heatmap; rows reader, columns read)\n" +
      "head 1\n" +
      "      the   boy   the\n" +
      "the  1.00  0.00  0.00\n" +
      "boy  0.50  0.50  0.00\n" +
      "the  0.20  0.30  0.50",
  );
});

Deno.test("heatmapChart() rejects bad input with clear messages", () => {
  const base = { title: "t", x: ["a", "b"], y: ["a"], panels: [{ name: "p", values: [[0, 1]] }] };
  assert.throws(() => heatmapChart({ ...base, x: [] }), {
    name: "RangeError",
    message: "`x` must not be empty",
  });
  assert.throws(() => heatmapChart({ ...base, panels: [] }), {
    name: "RangeError",
    message: "`panels` must hold at least one panel",
  });
  assert.throws(
    () => heatmapChart({ ...base, panels: [{ name: "p", values: [[0, 1], [1, 0]] }] }),
    {
      name: "RangeError",
      message: "`panels[0].values` must have one row per y label (1), got 2",
    },
  );
  assert.throws(() => heatmapChart({ ...base, panels: [{ name: "p", values: [[0]] }] }), {
    name: "RangeError",
    message: "`panels[0].values[0]` must have one value per x label (2), got 1",
  });
  assert.throws(() => heatmapChart({ ...base, panels: [{ name: "p", values: [[0, NaN]] }] }), {
    name: "RangeError",
    message: "`panels[0].values[0][1]` must be a finite number, got NaN",
  });
  assert.throws(() => heatmapChart({ ...base, x: ["a", 2 as unknown as string] }), {
    name: "TypeError",
    message: "`x[1]` must be a string, got 2",
  });
  assert.throws(() => heatmapChart({ ...base, zRange: [1, 0] }), {
    name: "RangeError",
    message: "`zRange` must have low < high, got [1, 0]",
  });
  assert.throws(() => heatmapChart({ ...base, columns: 0 }), {
    name: "RangeError",
    message: "`columns` must be an integer >= 1, got 0",
  });
});

Deno.test("heatmapChart() does not modify its input", () => {
  const frozen = Object.freeze(
    panels.map((p) =>
      Object.freeze({ ...p, values: Object.freeze(p.values.map((r) => Object.freeze([...r]))) })
    ),
  );
  assert.doesNotThrow(() =>
    heatmapChart({ title: "t", x: Object.freeze([...words]), y: words, panels: frozen })
  );
});
