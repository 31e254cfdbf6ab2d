/**
 * Bar, grouped bar and line charts: the course's everyday charts, built on the theme in chart.ts.
 *
 * @module
 */

import {
  checkObject,
  checkOptionalBoolean,
  checkString,
  finiteNumbers,
  formatValue,
} from "../_validate.ts";
import { checkColor, checkLabels, checkSeriesList, checkTitles } from "./_check.ts";
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

function checkSameLength(n: number, values: readonly number[], name: string, of: string): void {
  if (values.length !== n) {
    throw new RangeError(
      `\`${name}\` must have one value per ${of} (${n}), got ${formatValue(values.length)} values`,
    );
  }
}

/** Checks named series: at least one, each with a string name and `n` finite values. */
function checkSeries(
  series: readonly Series[],
  n: number,
  of: string,
  min?: number,
): { name: string; values: number[] }[] {
  return checkSeriesList<Series>(series).map((s, k) => {
    const name = checkString(s.name, `series[${k}].name`);
    const values = finiteNumbers(s.values, `series[${k}].values`, min);
    checkSameLength(n, values, `series[${k}].values`, of);
    return { name, values };
  });
}

/** Checks an options object and its titles. */
function checkOptions(options: unknown, what: string): void {
  checkObject(options, "options", what);
  checkTitles(options as Record<string, unknown>);
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
 * @throws {RangeError} When labels are empty, lengths differ (values or colours) or a value is not
 * finite.
 * @throws {TypeError} When `options` is not an object, a title or label not a string, a value not
 * a number or `color` neither a string nor an array of strings.
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
  checkOptions(options, "an object { title, labels, values, … }");
  const labels = checkLabels(options.labels, "labels");
  const values = finiteNumbers(options.values, "values");
  checkSameLength(labels.length, values, "values", "label");
  const color = checkColor(options.color, "color", labels.length) ?? PALETTE[0];
  const yTitle = options.yTitle ?? "probability";
  const figure: PlotlyFigure = {
    data: [{
      type: "bar",
      x: labels,
      y: values,
      text: values.map(formatNumber),
      textposition: "outside",
      cliponaxis: false,
      marker: { color },
      hovertemplate: "%{x}: %{y}<extra></extra>",
    }],
    layout: themedLayout({ ...options, yTitle }, { uniformtext: READABLE_LABELS }),
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

/**
 * Value labels on bars are drawn at 10 px or not at all: plotly shrinks a label to its bar's width,
 * and many narrow bars once gave 5 px labels running into each other. Hovering shows every value.
 */
const READABLE_LABELS = Object.freeze({ minsize: 10, mode: "hide" });

/**
 * Bars in a grouped chart above which value labels are left out: they would not fit their bars,
 * and the chart may be drawn at half width (side by side), where the layout's minimum label size
 * does not travel with the bars.
 */
const MAX_LABELLED_BARS = 10;

/** A line of {@linkcode lineChart}. */
export interface LineSeries extends Series {
  /**
   * Draw the line dashed. Default: dashed when every value is the same (a limit, a target, a
   * reference level), solid otherwise.
   */
  dash?: boolean;
}

/** Options of {@linkcode groupedBarChart}. */
export interface GroupedBarChartOptions extends ChartTitles {
  /** One label per group. */
  labels: readonly string[];
  /** Series drawn side by side in each group; each has one value per label. */
  series: readonly Series[];
  /** Stack the series on top of each other instead (e.g. parts that add up to a total). */
  stacked?: boolean;
}

/**
 * Bars side by side: several series over the same labels (e.g. a distribution before and after
 * conditioning), or stacked on top of each other with `stacked: true`. Each bar is labelled with
 * its value when there are at most 10 bars and the label fits at 10 px; hovering shows every value.
 *
 * @param options Labels, series and titles; `yTitle` defaults to `"probability"`.
 * @returns The chart.
 * @throws {RangeError} When labels or series are empty, lengths differ or a value is not finite.
 * @throws {TypeError} When `options` is not an object, a title, label or series name not a string,
 * a value not a number, or `stacked` not a boolean.
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
 * const parts = groupedBarChart({
 *   title: "Parts of a total",
 *   labels: ["x"],
 *   series: [{ name: "a", values: [1] }, { name: "b", values: [2] }],
 *   stacked: true,
 * });
 * assert.equal(parts.figure.layout.barmode, "stack"); // the bars add up to 3
 * ```
 */
export function groupedBarChart(options: GroupedBarChartOptions): Chart {
  checkOptions(options, "an object { title, labels, series, … }");
  const labels = checkLabels(options.labels, "labels");
  const series = checkSeries(options.series, labels.length, "label");
  const stacked = checkOptionalBoolean(options.stacked, "stacked") ?? false;
  const yTitle = options.yTitle ?? "probability";
  const figure: PlotlyFigure = {
    data: series.map((s, k) => ({
      type: "bar",
      name: s.name,
      x: labels,
      y: s.values,
      ...(labels.length * series.length <= MAX_LABELLED_BARS
        ? { text: s.values.map(formatNumber) }
        : {}),
      textposition: stacked ? "inside" : "outside",
      cliponaxis: false,
      marker: { color: PALETTE[k % PALETTE.length] },
      hovertemplate: `${s.name}<br>%{x}: %{y}<extra></extra>`,
    })),
    layout: themedLayout({ ...options, yTitle }, {
      uniformtext: READABLE_LABELS,
      barmode: stacked ? "stack" : "group",
      legend: { orientation: "h", x: 0, y: 1.02, yanchor: "bottom" },
    }),
    config: { ...CONFIG },
  };
  const rows = [
    [options.xTitle ?? "", ...series.map((s) => s.name)],
    ...labels.map((l, i) => [l, ...series.map((s) => formatNumber(s.values[i]!))]),
  ];
  const kind = stacked ? "stacked bar chart" : "grouped bar chart";
  return chart(figure, `${options.title} (${kind}; ${yTitle})\n${textTable(rows)}`);
}

/** Options of {@linkcode lineChart}. */
export interface LineChartOptions extends ChartTitles {
  /** Shared x values. */
  x: ArrayLike<number>;
  /** Lines; each has one y value per x. A constant line is dashed unless `dash: false`. */
  series: readonly LineSeries[];
  /** Logarithmic x axis (every x then > 0). */
  logX?: boolean;
  /** Draw a marker at each point. */
  markers?: boolean;
}

/** Whether a line is drawn dashed: as asked, else when all its values are equal. */
function dashed(line: LineSeries, values: readonly number[]): boolean {
  if (line.dash !== undefined && typeof line.dash !== "boolean") {
    throw new TypeError(`\`dash\` must be a boolean, got ${formatValue(line.dash)}`);
  }
  return line.dash ?? values.every((v) => v === values[0]);
}

/** Rows shown in a line chart's text summary before eliding the middle. */
const MAX_TEXT_ROWS = 12;

/**
 * A line chart with one or more series over shared x values (e.g. -ln p against p). A series whose
 * values are all equal (a limit, a target) is drawn dashed, unless it says `dash: false`.
 *
 * @param options x values, series and titles.
 * @returns The chart; its text lists the points (the middle elided beyond 12 rows).
 * @throws {RangeError} When x or series are empty, lengths differ, a value is not finite, or an x
 * value is not positive on a log axis.
 * @throws {TypeError} When `options` is not an object, a title or series name not a string, a
 * value not a number, or `logX` or `markers` not a boolean.
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
 * const limit = lineChart({ title: "T", x: [1, 2], series: [{ name: "limit", values: [0, 0] }] });
 * assert.equal((limit.figure.data[0]?.line as { dash?: string }).dash, "dash");
 * ```
 */
export function lineChart(options: LineChartOptions): Chart {
  checkOptions(options, "an object { title, x, series, … }");
  checkOptionalBoolean(options.logX, "logX");
  checkOptionalBoolean(options.markers, "markers");
  const x = finiteNumbers(options.x, "x", options.logX ? Number.MIN_VALUE : undefined);
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
      line: {
        color: PALETTE[k % PALETTE.length],
        width: 2.5,
        ...(dashed(options.series[k]!, s.values) ? { dash: "dash" } : {}),
      },
    })),
    layout,
    config: { ...CONFIG },
  };
  // Only the rows shown are formatted (a 150,000-point line prints 11 of them).
  const row = (
    i: number,
  ) => [formatNumber(x[i]!), ...series.map((s) => formatNumber(s.values[i]!))];
  const indices = Array.from({ length: x.length }, (_, i) => i);
  const shown = x.length <= MAX_TEXT_ROWS ? indices.map(row) : [...indices.slice(0, 6).map(row), [
    "…",
    ...series.map(() => ""),
  ], ...indices.slice(-5).map(row)];
  const rows = [[options.xTitle ?? "x", ...series.map((s) => s.name)], ...shown];
  const units = options.yTitle ? `; ${options.yTitle}` : "";
  return chart(
    figure,
    `${options.title} (line chart, ${x.length} points${units})\n${textTable(rows)}`,
  );
}
