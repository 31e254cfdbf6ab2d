/**
 * A curve with labelled points on it, e.g. the loss −ln p against p with the article's five words
 * marked.
 *
 * @module
 */

import { checkNumber, checkObject, checkString, finiteNumbers, formatValue } from "../_validate.ts";
import { checkRange, checkTitles } from "./_check.ts";
import {
  type Chart,
  chart,
  CONFIG,
  formatNumber,
  PALETTE,
  type PlotlyFigure,
  textTable,
  themedLayout,
} from "./chart.ts";

/** One labelled point. */
export interface MarkedPoint {
  label: string;
  x: number;
  y: number;
}

/** Options of {@linkcode markedCurveChart}. */
export interface MarkedCurveChartOptions {
  /** Chart title. */
  title: string;
  /** x axis title with its unit. */
  xTitle?: string;
  /** y axis title with its unit. */
  yTitle?: string;
  /** Legend name of the curve, e.g. `"−ln p"`. */
  curveName: string;
  /** The curve's x values. */
  x: ArrayLike<number>;
  /** The curve's y values, one per x. */
  y: ArrayLike<number>;
  /** Points to mark and label. */
  points: readonly MarkedPoint[];
  /** Fixed y range, e.g. to cut off a curve that goes to infinity. */
  yRange?: readonly [number, number];
}

/**
 * A line for the curve and a marker with a text label for each point. The text summary lists the
 * points (not the curve's samples). Runs in O(x + points).
 *
 * @param options The curve, the points and titles.
 * @returns The chart.
 * @throws {TypeError} When `options` or a point is not an object, a title, name or label not a
 * string, or a value not a number.
 * @throws {RangeError} When the curve is empty, x and y differ in length, a value is not finite,
 * or `yRange` is not two finite numbers, low below high.
 * @example
 * ```ts
 * import { markedCurveChart } from "./marked_curve.ts";
 * import assert from "node:assert/strict";
 * const c = markedCurveChart({
 *   title: "Loss of one prediction",
 *   curveName: "−ln p",
 *   x: [0.25, 0.5, 1],
 *   y: [0.25, 0.5, 1].map((p) => -Math.log(p)),
 *   points: [{ label: "Playground", x: 0.4, y: -Math.log(0.4) }],
 * });
 * assert.equal(c.figure.data.length, 2);
 * assert.deepEqual(c.figure.data[1]?.text, ["Playground"]);
 * assert.match(c.text, /Playground\s+0\.4\s+0\.9163/);
 * ```
 */
export function markedCurveChart(options: MarkedCurveChartOptions): Chart {
  checkObject(options, "options", "an object { title, curveName, x, y, points, … }");
  checkTitles(options);
  checkString(options.curveName, "curveName");
  const yRange = checkRange(options.yRange, "yRange");
  const x = finiteNumbers(options.x, "x");
  const y = finiteNumbers(options.y, "y");
  if (x.length === 0) throw new RangeError("`x` must not be empty");
  if (y.length !== x.length) {
    throw new RangeError(
      `\`y\` must have one value per x value (${x.length}), got ${formatValue(y.length)}`,
    );
  }
  if (!Array.isArray(options.points)) {
    throw new TypeError(
      `\`points\` must be an array of { label, x, y }, got ${formatValue(options.points)}`,
    );
  }
  const points = Array.from({ length: options.points.length }, (_, i) => {
    const p = checkObject<MarkedPoint>(
      options.points[i],
      `points[${i}]`,
      "a point { label, x, y }",
    );
    return {
      label: checkString(p.label, `points[${i}].label`),
      x: checkNumber(p.x, `points[${i}].x`, { finite: true }),
      y: checkNumber(p.y, `points[${i}].y`, { finite: true }),
    };
  });
  const layout = themedLayout(options, { legend: { orientation: "h" }, showlegend: false });
  if (yRange) layout.yaxis = { ...(layout.yaxis as object), range: yRange };
  const figure: PlotlyFigure = {
    data: [
      {
        type: "scatter",
        mode: "lines",
        name: options.curveName,
        x,
        y,
        line: { color: PALETTE[0], width: 2.5 },
      },
      {
        type: "scatter",
        mode: "markers+text",
        name: "points",
        x: points.map((p) => p.x),
        y: points.map((p) => p.y),
        text: points.map((p) => p.label),
        textposition: "top right",
        marker: { color: PALETTE[5], size: 10 },
        hovertemplate: "%{text}: (%{x}, %{y:.4f})<extra></extra>",
      },
    ],
    layout,
    config: { ...CONFIG },
  };
  const rows = [
    ["point", options.xTitle ?? "x", options.yTitle ?? "y"],
    ...points.map((p) => [p.label, formatNumber(p.x), formatNumber(p.y)]),
  ];
  return chart(
    figure,
    `${options.title} (curve ${options.curveName} with ${points.length} marked points)\n${
      textTable(rows)
    }`,
  );
}
