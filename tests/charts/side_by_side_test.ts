import assert from "node:assert/strict";
import { groupedBarChart } from "../../lib/charts/bar_line.ts";
import type { PlotlyTrace } from "../../lib/charts/chart.ts";
import { sideBySideChart } from "../../lib/charts/side_by_side.ts";

const labels = ["Cafe", "Playground"];
const left = groupedBarChart({
  title: "Low T",
  xTitle: "next word",
  labels,
  series: [{ name: "T = 1", values: [0.2, 0.8] }, { name: "T = 0.5", values: [0.06, 0.94] }],
});
const right = groupedBarChart({
  title: "High T",
  xTitle: "next word",
  labels,
  series: [{ name: "T = 1", values: [0.2, 0.8] }, { name: "T = 2", values: [0.33, 0.67] }],
});

Deno.test("sideBySideChart() puts the right chart on the second axes", () => {
  const c = sideBySideChart(left, right, { title: "Temperature" });
  assert.equal(c.figure.data.length, 4);
  assert.deepEqual(c.figure.data.map((t: PlotlyTrace) => t.xaxis), ["x", "x", "x2", "x2"]);
  assert.deepEqual(c.figure.data.map((t: PlotlyTrace) => t.yaxis), ["y", "y", "y2", "y2"]);
  const layout = c.figure.layout as Record<
    string,
    { domain?: number[]; range?: number[]; anchor?: string; title?: unknown }
  >;
  assert.deepEqual(layout.xaxis!.domain, [0, 0.47]);
  assert.deepEqual(layout.xaxis2!.domain, [0.53, 1]);
  assert.equal(layout.xaxis2!.anchor, "y2");
  assert.deepEqual(layout.yaxis!.range, [0, 0.94 * 1.08], "shared range from both charts");
  assert.deepEqual(layout.yaxis2!.range, layout.yaxis!.range);
  assert.deepEqual(layout.yaxis!.title, { text: "probability" });
  assert.equal(layout.yaxis2!.title, undefined, "the same y title is shown once");
  assert.deepEqual(layout.xaxis2!.title, { text: "next word" });
  assert.equal(c.figure.layout.barmode, "group");
});

Deno.test("sideBySideChart() keeps both titles and shows each legend name once", () => {
  const c = sideBySideChart(left, right, { title: "Temperature", yRange: [0, 1] });
  const annotations = c.figure.layout.annotations as { text: string }[];
  assert.deepEqual(annotations.map((a) => a.text), ["Low T", "High T"]);
  assert.deepEqual(c.figure.data.map((t: PlotlyTrace) => t.showlegend), [true, true, false, true]);
  assert.deepEqual((c.figure.layout.yaxis as { range: number[] }).range, [0, 1]);
  assert.equal(c.text, `Temperature\n\n${left.text}\n\n${right.text}`);
  assert.equal(left.figure.data[0]?.xaxis, undefined, "the inputs are not modified");
});

Deno.test("sideBySideChart() rejects what is not a chart", () => {
  assert.throws(
    () => sideBySideChart(left, null as unknown as typeof right, { title: "t" }),
    /`right` must be a chart from lib\/charts\/, got null/,
  );
});

Deno.test("sideBySideChart() gives every series name one colour across both halves", () => {
  const low = groupedBarChart({
    title: "low",
    labels: ["a", "b"],
    series: [{ name: "T = 1", values: [0.5, 0.5] }, { name: "T = 0.5", values: [0.6, 0.4] }],
  });
  const high = groupedBarChart({
    title: "high",
    labels: ["a", "b"],
    series: [{ name: "T = 1", values: [0.5, 0.5] }, { name: "T = 2", values: [0.55, 0.45] }],
  });
  const c = sideBySideChart(low, high, { title: "both" });
  const colour = (i: number) => (c.figure.data[i]?.marker as { color?: string }).color;
  assert.equal(colour(0), colour(2), "T = 1 keeps its colour on the right");
  assert.equal(new Set([colour(0), colour(1), colour(3)]).size, 3, "T = 0.5 and T = 2 differ");
  assert.deepEqual(c.figure.data.map((t) => t.showlegend), [true, true, false, true]);
});

Deno.test("sideBySideChart() keeps the halves' value-label rule (uniformtext)", () => {
  const half = groupedBarChart({
    title: "h",
    labels: ["a", "b"],
    series: [{ name: "s", values: [0.5, 0.001] }],
  });
  const both = sideBySideChart(half, half, { title: "t" });
  assert.ok(half.figure.layout.uniformtext !== undefined);
  assert.deepEqual(both.figure.layout.uniformtext, half.figure.layout.uniformtext);
});

Deno.test("sideBySideChart() keeps the right half's y title when it differs", () => {
  const shares = groupedBarChart({
    title: "Shares",
    xTitle: "next word",
    yTitle: "share",
    labels,
    series: [{ name: "T = 1", values: [0.2, 0.8] }],
  });
  const c = sideBySideChart(left, shares, { title: "Two scales" });
  const layout = c.figure.layout as Record<string, { title?: unknown }>;
  assert.deepEqual(layout.yaxis!.title, { text: "probability" });
  assert.deepEqual(layout.yaxis2!.title, { text: "share" });
});
