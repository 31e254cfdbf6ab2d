/**
 * A line chart with error bars and optional dashed reference levels, e.g. empirical frequencies
 * against the number of draws, each with its binomial error bar, converging on the true
 * probability.
 *
 * @module
 */

import {
  checkNumber,
  checkObject,
  checkOptionalBoolean,
  checkOptionalString,
  checkString,
  finiteNumbers,
  formatValue,
} from "../_validate.ts";
import { checkSeriesList, checkTitles } from "./_check.ts";
import {
  type Chart,
  chart,
  CONFIG,
  formatNumber,
  PALETTE,
  type PlotlyFigure,
  type PlotlyTrace,
  textTable,
  themedLayout,
} from "./chart.ts";

/** One series with its error bars. */
export interface ErrorBarSeries {
  /** Legend name. */
  name: string;
  /** One finite value per x. */
  values: ArrayLike<number>;
  /** Half-width of the error bar at each x (finite, >= 0). */
  errors: ArrayLike<number>;
  /** A level the series should approach, drawn as a dashed line in the series' colour. */
  reference?: number;
}

/** Options of {@linkcode errorBarChart}. */
export interface ErrorBarChartOptions {
  /** Chart title. */
  title: string;
  /** x axis title with its unit. */
  xTitle?: string;
  /** y axis title with its unit. */
  yTitle?: string;
  /** Shared x values (positive when `logX`). */
  x: ArrayLike<number>;
  /** The series. */
  series: readonly ErrorBarSeries[];
  /** Logarithmic x axis. */
  logX?: boolean;
  /** What the bars mean, for the text summary, e.g. `"±1.96 standard errors"`. */
  errorLabel?: string;
}

function numbers(values: ArrayLike<number>, name: string, n?: number, min?: number): number[] {
  const out = finiteNumbers(values, name, min);
  if (n !== undefined && out.length !== n) {
    throw new RangeError(
      `\`${name}\` must have one value per x value (${n}), got ${formatValue(out.length)}`,
    );
  }
  return out;
}

/**
 * Lines with markers and symmetric error bars, plus an optional dashed reference level per series.
 *
 * The text summary lists each point as `value ± error`, then the references. Runs in
 * O(series × x).
 *
 * @param options x values, series and titles.
 * @returns The chart.
 * @throws {TypeError} When `options` or a series is not an object, a title, name or label not a
 *   string, a value not a number, or `logX` not a boolean.
 * @throws {RangeError} When x or series are empty, lengths differ, a value is not finite, an error
 *   is negative, or an x value is not positive on a log axis.
 * @example
 * ```ts
 * import { errorBarChart } from "./errorbar.ts";
 * import assert from "node:assert/strict";
 * const c = errorBarChart({
 *   title: "Frequency of Playground",
 *   x: [10, 1000],
 *   series: [{ name: "Playground", values: [0.3, 0.41], errors: [0.14, 0.016], reference: 0.4 }],
 *   logX: true,
 * });
 * assert.deepEqual(c.figure.data[0]?.error_y, { type: "data", array: [0.14, 0.016], visible: true });
 * assert.deepEqual(c.figure.data[1]?.y, [0.4, 0.4]);
 * assert.match(c.text, /1000\s+0\.41 ± 0\.016/);
 * ```
 */
export function errorBarChart(options: ErrorBarChartOptions): Chart {
  checkObject(options, "options", "an object { title, x, series, … }");
  checkTitles(options);
  checkOptionalBoolean(options.logX, "logX");
  checkOptionalString(options.errorLabel, "errorLabel");
  const x = numbers(options.x, "x", undefined, options.logX ? Number.MIN_VALUE : undefined);
  if (x.length === 0) throw new RangeError("`x` must not be empty");
  const series = checkSeriesList<ErrorBarSeries>(options.series).map((s, k) => {
    const reference = s.reference === undefined
      ? undefined
      : checkNumber(s.reference, `series[${k}].reference`, { finite: true });
    return {
      name: checkString(s.name, `series[${k}].name`),
      values: numbers(s.values, `series[${k}].values`, x.length),
      errors: numbers(s.errors, `series[${k}].errors`, x.length, 0),
      reference,
    };
  });
  const data: PlotlyTrace[] = [];
  series.forEach((s, k) => {
    const color = PALETTE[k % PALETTE.length];
    data.push({
      type: "scatter",
      mode: "lines+markers",
      name: s.name,
      x,
      y: s.values,
      error_y: { type: "data", array: s.errors, visible: true },
      line: { color, width: 2 },
      marker: { color, size: 7 },
    });
    if (s.reference !== undefined) {
      data.push({
        type: "scatter",
        mode: "lines",
        name: `${s.name}: ${formatNumber(s.reference)}`,
        x: [x[0], x[x.length - 1]],
        y: [s.reference, s.reference],
        line: { color, width: 1.5, dash: "dash" },
        hoverinfo: "skip",
      });
    }
  });
  // The legend goes below the x axis title (plotly's default horizontal legend overlaps it).
  const layout = themedLayout(options, {
    legend: { orientation: "h", x: 0, y: -0.32, yanchor: "top" },
    margin: { l: 64, r: 24, t: 56, b: 130 },
    height: 500,
  });
  if (options.logX) layout.xaxis = { ...(layout.xaxis as object), type: "log" };
  const figure: PlotlyFigure = { data, layout, config: { ...CONFIG } };
  const rows = [
    [options.xTitle ?? "x", ...series.map((s) => s.name)],
    ...x.map((xi, i) => [
      formatNumber(xi),
      ...series.map((s) => `${formatNumber(s.values[i]!)} ± ${formatNumber(s.errors[i]!)}`),
    ]),
  ];
  const references = series.filter((s) => s.reference !== undefined);
  if (references.length > 0) {
    rows.push([
      "reference",
      ...series.map((s) => s.reference === undefined ? "" : formatNumber(s.reference)),
    ]);
  }
  const bars = options.errorLabel ? `; bars ${options.errorLabel}` : "";
  return chart(
    figure,
    `${options.title} (line chart with error bars${bars}${
      options.yTitle ? `; ${options.yTitle}` : ""
    })\n${textTable(rows)}`,
  );
}
