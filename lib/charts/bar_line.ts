/**
 * Bar, grouped bar and line charts: the course's everyday charts, built on the theme in chart.ts.
 *
 * @module
 */

import { finiteNumbers, formatValue } from "../_validate.ts";
import {
  type Chart,
  chart,
  type ChartTitles,
  CONFIG,
  formatNumber,
  PALETTE,
  type PlotlyFigure,
  textTable,
  themedLayout,
} from "./chart.ts";

// ---------------------------------------------------------------------------------------------
// Validation

function checkLabels(labels: readonly string[], name: string): string[] {
  if (!Array.isArray(labels)) {
    throw new TypeError(`\`${name}\` must be an array of strings, got ${formatValue(labels)}`);
  }
  if (labels.length === 0) throw new RangeError(`\`${name}\` must not be empty`);
  labels.forEach((label, i) => {
    if (typeof label !== "string") {
      throw new TypeError(`\`${name}[${i}]\` must be a string, got ${formatValue(label)}`);
    }
  });
  return [...labels];
}

function checkSameLength(n: number, values: readonly number[], name: string, of: string): void {
  if (values.length !== n) {
    throw new RangeError(
      `\`${name}\` must have one value per ${of} (${n}), got ${formatValue(values.length)} values`,
    );
  }
}

/** Checks named series: at least one, each with `n` finite values (one per `of`). */
function checkSeries(
  series: readonly Series[],
  n: number,
  of: string,
): { name: string; values: number[] }[] {
  if (!Array.isArray(series) || series.length === 0) {
    throw new RangeError("`series` must hold at least one series");
  }
  return series.map((s, k) => {
    const values = finiteNumbers(s.values, `series[${k}].values`);
    checkSameLength(n, values, `series[${k}].values`, of);
    return { name: String(s.name), values };
  });
}

// ---------------------------------------------------------------------------------------------
// Chart builders

/** Options of {@linkcode barChart}. */
export interface BarChartOptions extends ChartTitles {
  /** One label per bar. */
  labels: readonly string[];
  /** One finite value per bar. */
  values: ArrayLike<number>;
  /** Colour of every bar (the first palette colour by default), or one colour per bar. */
  color?: string | readonly string[];
}

/**
 * A bar chart, e.g. a probability distribution over words. Each bar is labelled with its value.
 *
 * @param options Labels, values and titles; `yTitle` defaults to `"probability"`.
 * @returns The chart.
 * @throws {RangeError} When labels are empty, lengths differ or a value is not finite.
 * @throws {TypeError} When a label is not a string or a value not a number.
 * @example
 * ```ts
 * import { barChart } from "./bar_line.ts";
 * import assert from "node:assert/strict";
 * const c = barChart({ title: "P(next word)", labels: ["Park", "School"], values: [0.4, 0.6] });
 * assert.deepEqual(c.figure.data[0]?.y, [0.4, 0.6]);
 * assert.match(c.text, /School\s+0\.6/);
 * ```
 */
export function barChart(options: BarChartOptions): Chart {
  const labels = checkLabels(options.labels, "labels");
  const values = finiteNumbers(options.values, "values");
  checkSameLength(labels.length, values, "values", "label");
  const yTitle = options.yTitle ?? "probability";
  const figure: PlotlyFigure = {
    data: [{
      type: "bar",
      x: labels,
      y: values,
      text: values.map(formatNumber),
      textposition: "outside",
      cliponaxis: false,
      marker: {
        color: Array.isArray(options.color) ? [...options.color] : options.color ?? PALETTE[0],
      },
      hovertemplate: "%{x}: %{y}<extra></extra>",
    }],
    layout: themedLayout({ ...options, yTitle }),
    config: { ...CONFIG },
  };
  const rows = [
    [options.xTitle ?? "", yTitle],
    ...labels.map((l, i) => [l, formatNumber(values[i]!)]),
  ];
  return chart(figure, `${options.title} (bar chart)\n${textTable(rows)}`);
}

/** One named series of numbers. */
export interface Series {
  name: string;
  values: ArrayLike<number>;
}

/** Options of {@linkcode groupedBarChart}. */
export interface GroupedBarChartOptions extends ChartTitles {
  /** One label per group. */
  labels: readonly string[];
  /** Series drawn side by side in each group; each has one value per label. */
  series: readonly Series[];
}

/**
 * Bars side by side: several series over the same labels (e.g. a distribution before and after
 * conditioning).
 *
 * @param options Labels, series and titles; `yTitle` defaults to `"probability"`.
 * @returns The chart.
 * @throws {RangeError} When labels or series are empty, lengths differ or a value is not finite.
 * @throws {TypeError} When a label is not a string or a value not a number.
 * @example
 * ```ts
 * import { groupedBarChart } from "./bar_line.ts";
 * import assert from "node:assert/strict";
 * const c = groupedBarChart({
 *   title: "Before and after",
 *   labels: ["x", "y"],
 *   series: [{ name: "before", values: [0.5, 0.5] }, { name: "after", values: [1, 0] }],
 * });
 * assert.equal(c.figure.data.length, 2);
 * assert.equal(c.figure.layout.barmode, "group");
 * ```
 */
export function groupedBarChart(options: GroupedBarChartOptions): Chart {
  const labels = checkLabels(options.labels, "labels");
  const series = checkSeries(options.series, labels.length, "label");
  const yTitle = options.yTitle ?? "probability";
  const figure: PlotlyFigure = {
    data: series.map((s, k) => ({
      type: "bar",
      name: s.name,
      x: labels,
      y: s.values,
      text: s.values.map(formatNumber),
      textposition: "outside",
      cliponaxis: false,
      marker: { color: PALETTE[k % PALETTE.length] },
      hovertemplate: `${s.name}<br>%{x}: %{y}<extra></extra>`,
    })),
    layout: themedLayout({ ...options, yTitle }, {
      barmode: "group",
      legend: { orientation: "h", x: 0, y: 1.02, yanchor: "bottom" },
    }),
    config: { ...CONFIG },
  };
  const rows = [
    [options.xTitle ?? "", ...series.map((s) => s.name)],
    ...labels.map((l, i) => [l, ...series.map((s) => formatNumber(s.values[i]!))]),
  ];
  return chart(figure, `${options.title} (grouped bar chart; ${yTitle})\n${textTable(rows)}`);
}

/** Options of {@linkcode lineChart}. */
export interface LineChartOptions extends ChartTitles {
  /** Shared x values. */
  x: ArrayLike<number>;
  /** Lines; each has one y value per x. */
  series: readonly Series[];
  /** Logarithmic x axis. */
  logX?: boolean;
  /** Draw a marker at each point. */
  markers?: boolean;
}

/** Rows shown in a line chart's text summary before eliding the middle. */
const MAX_TEXT_ROWS = 12;

/**
 * A line chart with one or more series over shared x values (e.g. -ln p against p).
 *
 * @param options x values, series and titles.
 * @returns The chart; its text lists the points (the middle elided beyond 12 rows).
 * @throws {RangeError} When x or series are empty, lengths differ or a value is not finite.
 * @throws {TypeError} When a value is not a number.
 * @example
 * ```ts
 * import { lineChart } from "./bar_line.ts";
 * import assert from "node:assert/strict";
 * const c = lineChart({
 *   title: "Loss",
 *   xTitle: "p",
 *   yTitle: "loss (nats)",
 *   x: [0.5, 1],
 *   series: [{ name: "-ln p", values: [Math.LN2, 0] }],
 * });
 * assert.deepEqual(c.figure.data[0]?.y, [Math.LN2, 0]);
 * assert.ok(c.text.includes("0.6931"));
 * ```
 */
export function lineChart(options: LineChartOptions): Chart {
  const x = finiteNumbers(options.x, "x");
  if (x.length === 0) throw new RangeError("`x` must not be empty");
  const series = checkSeries(options.series, x.length, "x value");
  const layout = themedLayout(options, {
    legend: { orientation: "h", x: 0, y: 1.02, yanchor: "bottom" },
  });
  if (options.logX) layout.xaxis = { ...(layout.xaxis as object), type: "log" };
  const figure: PlotlyFigure = {
    data: series.map((s, k) => ({
      type: "scatter",
      mode: options.markers ? "lines+markers" : "lines",
      name: s.name,
      x,
      y: s.values,
      line: { color: PALETTE[k % PALETTE.length], width: 2.5 },
    })),
    layout,
    config: { ...CONFIG },
  };
  const body = x.map((
    xi,
    i,
  ) => [formatNumber(xi), ...series.map((s) => formatNumber(s.values[i]!))]);
  const shown = body.length <= MAX_TEXT_ROWS
    ? body
    : [...body.slice(0, 6), ["…", ...series.map(() => "")], ...body.slice(-5)];
  const rows = [[options.xTitle ?? "x", ...series.map((s) => s.name)], ...shown];
  const units = options.yTitle ? `; ${options.yTitle}` : "";
  return chart(
    figure,
    `${options.title} (line chart, ${x.length} points${units})\n${textTable(rows)}`,
  );
}
