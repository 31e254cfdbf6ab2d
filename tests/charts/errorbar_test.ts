import assert from "node:assert/strict";
import { errorBarChart } from "../../lib/charts/errorbar.ts";
import { PALETTE } from "../../lib/charts/chart.ts";

const options = {
  title: "Empirical frequency",
  xTitle: "draws N",
  yTitle: "probability",
  x: [10, 100, 1000],
  series: [
    { name: "Playground", values: [0.5, 0.42, 0.401], errors: [0.3, 0.1, 0.03], reference: 0.4 },
    { name: "School", values: [0.2, 0.31, 0.3], errors: [0.25, 0.09, 0.028] },
  ],
  logX: true,
  errorLabel: "±1.96 standard errors",
};

Deno.test("errorBarChart() draws series with error bars and dashed references", () => {
  const c = errorBarChart(options);
  assert.equal(c.figure.data.length, 3, "two series and one reference");
  const [playground, reference, school] = c.figure.data;
  assert.equal(playground?.mode, "lines+markers");
  assert.deepEqual(playground?.error_y, { type: "data", array: [0.3, 0.1, 0.03], visible: true });
  assert.deepEqual(reference?.x, [10, 1000]);
  assert.deepEqual(reference?.y, [0.4, 0.4]);
  assert.equal((reference?.line as { dash: string }).dash, "dash");
  assert.equal((reference?.line as { color: string }).color, PALETTE[0]);
  assert.equal((school?.line as { color: string }).color, PALETTE[1]);
  assert.equal((c.figure.layout.xaxis as { type: string }).type, "log");
  assert.deepEqual((c.figure.layout.xaxis as { title: unknown }).title, { text: "draws N" });
});

Deno.test("errorBarChart() text shows value ± error and the references", () => {
  assert.equal(
    errorBarChart(options).text,
    "Empirical frequency (line chart with error bars; bars ±1.96 standard errors; probability)\n" +
      "draws N      Playground       School\n" +
      "10            0.5 ± 0.3   0.2 ± 0.25\n" +
      "100          0.42 ± 0.1  0.31 ± 0.09\n" +
      "1000       0.401 ± 0.03  0.3 ± 0.028\n" +
      "reference           0.4",
  );
});

Deno.test("errorBarChart() rejects bad input with clear messages", () => {
  const one = (patch: Record<string, unknown>) => ({
    title: "t",
    x: [1, 2],
    series: [{ name: "a", values: [0.1, 0.2], errors: [0, 0], ...patch }],
  });
  assert.throws(
    () => errorBarChart({ title: "t", x: [], series: one({}).series }),
    /`x` must not be empty/,
  );
  assert.throws(
    () => errorBarChart({ title: "t", x: [1], series: [] }),
    /`series` must hold at least one/,
  );
  assert.throws(
    () => errorBarChart(one({ values: [0.1] })),
    /`series\[0\].values` must have one value per x value \(2\), got 1/,
  );
  assert.throws(
    () => errorBarChart(one({ errors: [0, -1] })),
    /`series\[0\].errors\[1\]` must be a finite number >= 0, got -1/,
  );
  assert.throws(
    () => errorBarChart(one({ reference: NaN })),
    /`series\[0\].reference` must be a finite number, got NaN/,
  );
  assert.throws(
    () => errorBarChart({ ...one({}), x: [0, 1], logX: true }),
    /`x\[0\]` must be a finite number >= 5e-324, got 0/,
  );
});
