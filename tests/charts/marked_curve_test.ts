import assert from "node:assert/strict";
import { markedCurveChart } from "../../lib/charts/marked_curve.ts";

const grid = [0.1, 0.5, 1];
const options = {
  title: "Loss",
  xTitle: "p",
  yTitle: "loss (nats)",
  curveName: "−ln p",
  x: grid,
  y: grid.map((p) => -Math.log(p)),
  points: [{ label: "Playground", x: 0.4, y: -Math.log(0.4) }, {
    label: "Hospital",
    x: 0.05,
    y: -Math.log(0.05),
  }],
  yRange: [0, 5] as const,
};

Deno.test("markedCurveChart() draws the curve and labelled markers", () => {
  const c = markedCurveChart(options);
  const [curve, points] = c.figure.data;
  assert.equal(curve?.mode, "lines");
  assert.deepEqual(curve?.x, grid);
  assert.equal(points?.mode, "markers+text");
  assert.deepEqual(points?.x, [0.4, 0.05]);
  assert.deepEqual(points?.text, ["Playground", "Hospital"]);
  assert.deepEqual((c.figure.layout.yaxis as { range: number[] }).range, [0, 5]);
  assert.deepEqual((c.figure.layout.yaxis as { title: unknown }).title, { text: "loss (nats)" });
});

Deno.test("markedCurveChart() text lists the points", () => {
  assert.equal(
    markedCurveChart(options).text,
    "Loss (curve −ln p with 2 marked points)\n" +
      "point          p  loss (nats)\n" +
      "Playground   0.4       0.9163\n" +
      "Hospital    0.05        2.996",
  );
});

Deno.test("markedCurveChart() rejects bad input with clear messages", () => {
  assert.throws(() => markedCurveChart({ ...options, x: [], y: [] }), /`x` must not be empty/);
  assert.throws(
    () => markedCurveChart({ ...options, y: [1] }),
    /`y` must have one value per x value \(3\), got 1/,
  );
  assert.throws(
    () => markedCurveChart({ ...options, y: [1, Infinity, 0] }),
    /`y\[1\]` must be a finite number, got Infinity/,
  );
  assert.throws(
    () => markedCurveChart({ ...options, points: [{ label: "Cafe", x: 0, y: Infinity }] }),
    /`points\[0\]\.y` must be a finite number, got Infinity/,
  );
});
