import assert from "node:assert/strict";
import { PLOTLY_MIME } from "../../lib/charts/chart.ts";
import { sliderBarChart } from "../../lib/charts/slider.ts";

const labels = ["Cafe", "Playground"];
const steps = [
  { label: "0.5", values: [0.2, 0.8] },
  { label: "1", values: [0.4, 0.6] },
  { label: "2", values: [0.45, 0.55] },
];

interface Slider {
  active: number;
  currentvalue: { prefix: string };
  steps: {
    label: string;
    method: string;
    args: [Record<string, unknown>, Record<string, unknown>];
  }[];
}

Deno.test("sliderBarChart() builds one bar trace and a slider step per position", () => {
  const c = sliderBarChart({
    title: "P(next)",
    xTitle: "word",
    labels,
    steps,
    active: 1,
    prefix: "T = ",
  });
  assert.equal(c.figure.data.length, 1);
  const [trace] = c.figure.data;
  assert.equal(trace?.type, "bar");
  assert.deepEqual(trace?.x, labels);
  assert.deepEqual(trace?.y, [0.4, 0.6], "shows the active step");
  const slider = (c.figure.layout.sliders as Slider[])[0]!;
  assert.equal(slider.active, 1);
  assert.equal(slider.currentvalue.prefix, "T = ");
  assert.deepEqual(slider.steps.map((s) => s.label), ["0.5", "1", "2"]);
  for (const [k, s] of slider.steps.entries()) {
    assert.equal(s.method, "update");
    assert.deepEqual(s.args[0].y, [steps[k]!.values], "the step carries its own bars");
    assert.equal(s.args[1]["title.text"], `P(next), T = ${steps[k]!.label}`);
  }
  assert.deepEqual((c.figure.layout.title as { text: string }).text, "P(next), T = 1");
  assert.deepEqual((c.figure.layout.yaxis as { range: number[] }).range, [0, 0.8 * 1.08]);
  assert.deepEqual((c.figure.layout.yaxis as { title: unknown }).title, { text: "probability" });
});

Deno.test("sliderBarChart() text lists every step as a column", () => {
  const c = sliderBarChart({ title: "P(next)", xTitle: "word", labels, steps, prefix: "T = " });
  assert.equal(
    c.text,
    "P(next) (bar chart with a slider over 3 steps; probability)\n" +
      "word        T = 0.5  T = 1  T = 2\n" +
      "Cafe            0.2    0.4   0.45\n" +
      "Playground      0.8    0.6   0.55",
  );
  const bundle = c.bundle();
  assert.deepEqual(bundle[PLOTLY_MIME], c.figure);
  assert.equal(JSON.parse(JSON.stringify(bundle[PLOTLY_MIME])).layout.sliders[0].steps.length, 3);
});

Deno.test("sliderBarChart() copies its inputs", () => {
  const values = [0.5, 0.5];
  const c = sliderBarChart({ title: "t", labels: ["a", "b"], steps: [{ label: "x", values }] });
  values[0] = 9;
  assert.deepEqual(c.figure.data[0]?.y, [0.5, 0.5]);
});

Deno.test("sliderBarChart() rejects bad input with clear messages", () => {
  assert.throws(
    () => sliderBarChart({ title: "t", labels: [], steps }),
    /`labels` must not be empty/,
  );
  assert.throws(
    () => sliderBarChart({ title: "t", labels, steps: [] }),
    /`steps` must hold at least one step/,
  );
  assert.throws(
    () => sliderBarChart({ title: "t", labels, steps: [{ label: "a", values: [1] }] }),
    /`steps\[0\].values` must have one value per label \(2\), got 1 values/,
  );
  assert.throws(
    () => sliderBarChart({ title: "t", labels, steps: [{ label: "a", values: [1, NaN] }] }),
    /`steps\[0\].values\[1\]` must be a finite number, got NaN/,
  );
  assert.throws(
    () => sliderBarChart({ title: "t", labels, steps, active: 3 }),
    /`active` must be an integer in \[0, 2\], got 3/,
  );
});
