/**
 * A curve with labelled points on it, e.g. the loss −ln p against p with the article's five words
 * marked.
 *
 * @module
 */

import { finiteNumbers, formatValue } from "../_validate.ts";
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
 * @throws {TypeError} When a value is not a number or a label not a string.
 * @throws {RangeError} When the curve is empty, x and y differ in length, or a value is not finite.
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
  const x = finiteNumbers(options.x, "x");
  const y = finiteNumbers(options.y, "y");
  if (x.length === 0) throw new RangeError("`x` must not be empty");
  if (y.length !== x.length) {
    throw new RangeError(
      `\`y\` must have one value per x value (${x.length}), got ${formatValue(y.length)}`,
    );
  }
  if (!Array.isArray(options.points)) throw new TypeError("`points` must be an array");
  const points = options.points.map((p, i) => {
    if (typeof p?.label !== "string") {
      throw new TypeError(
        `\`points[${i}].label\` must be a string, got ${formatValue(p?.label)}`,
      );
    }
    const [px, py] = finiteNumbers([p.x, p.y], `points[${i}] (x, y)`);
    return { label: p.label, x: px!, y: py! };
  });
  const layout = themedLayout(options, { legend: { orientation: "h" }, showlegend: false });
  if (options.yRange) layout.yaxis = { ...(layout.yaxis as object), range: [...options.yRange] };
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
