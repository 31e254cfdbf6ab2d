import assert from "node:assert/strict";
import { barChart, groupedBarChart, lineChart } from "../../lib/charts/bar_line.ts";
import { PALETTE } from "../../lib/charts/chart.ts";

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

Deno.test("groupedBarChart() stacks the series when asked", () => {
  const options = {
    title: "Cross-entropy",
    labels: ["T = 0.5", "T = 2"],
    series: [{ name: "entropy", values: [1.39, 1.39] }, { name: "KL", values: [0.14, 0.05] }],
  };
  const grouped = groupedBarChart(options);
  const stacked = groupedBarChart({ ...options, stacked: true });
  assert.equal(grouped.figure.layout.barmode, "group");
  assert.equal(stacked.figure.layout.barmode, "stack");
  assert.equal(stacked.figure.data[0]!.textposition, "inside");
  assert.match(stacked.text, /^Cross-entropy \(stacked bar chart; probability\)/);
  assert.throws(
    () => groupedBarChart({ ...options, stacked: 1 as unknown as boolean }),
    new TypeError("`stacked` must be true or false, got 1"),
  );
});
