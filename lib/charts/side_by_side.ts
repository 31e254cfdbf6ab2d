/**
 * Two charts in one figure, side by side (plotly subplots), e.g. low temperatures on the left and
 * high temperatures on the right with a shared y axis range.
 *
 * @module
 */

import { checkObject, checkString, formatValue } from "../_validate.ts";
import { checkRange } from "./_check.ts";
import {
  type Chart,
  chart,
  CONFIG,
  PALETTE,
  type PlotlyFigure,
  plotlyHtml,
  themedLayout,
} from "./chart.ts";

/** Options of {@linkcode sideBySideChart}. */
export interface SideBySideOptions {
  /** Title of the combined figure. */
  title: string;
  /** Shared y range; default: from 0 (or the lowest value) to 1.08 × the largest value of both. */
  yRange?: readonly [number, number];
}

function axisTitle(layout: Record<string, unknown>, axis: "xaxis" | "yaxis"): unknown {
  return (layout[axis] as { title?: unknown } | undefined)?.title;
}

/** The lowest and highest finite y values of the figures' traces, with 0 (a loop: no spread). */
function yExtent(figures: PlotlyFigure[]): [number, number] {
  let low = 0;
  let high = 0;
  for (const figure of figures) {
    for (const trace of figure.data) {
      if (!Array.isArray(trace?.y)) continue;
      for (const v of trace.y) {
        if (typeof v !== "number" || !Number.isFinite(v)) continue;
        if (v < low) low = v;
        if (v > high) high = v;
      }
    }
  }
  return [low, high];
}

/**
 * Puts `left` and `right` next to each other in one plotly figure: the right chart's traces move
 * to the second x and y axes, each half keeps its own title (as an annotation) and axis titles
 * (a y title the two share is shown once, on the left), the y range is shared so heights
 * compare, and the legend shows each series name once. The text summary is both summaries, left
 * first. Runs in O(traces).
 *
 * @param left The chart drawn on the left.
 * @param right The chart drawn on the right.
 * @param options The combined title and an optional shared y range.
 * @returns The combined chart.
 * @throws {TypeError} When `left` or `right` is not a chart from lib/charts/, `options` not an
 * object or `title` not a string.
 * @throws {RangeError} When `yRange` is not two finite numbers, low below high.
 * @example
 * ```ts
 * import { barChart } from "./bar_line.ts";
 * import { sideBySideChart } from "./side_by_side.ts";
 * import assert from "node:assert/strict";
 * const a = barChart({ title: "low", labels: ["x"], values: [0.9] });
 * const b = barChart({ title: "high", labels: ["x"], values: [0.3] });
 * const c = sideBySideChart(a, b, { title: "Low and high" });
 * assert.equal(c.figure.data[1]?.xaxis, "x2");
 * assert.deepEqual((c.figure.layout.yaxis2 as { range: number[] }).range, [0, 0.9 * 1.08]);
 * assert.ok(c.text.startsWith("Low and high\n\nlow (bar chart)"));
 * ```
 */
export function sideBySideChart(left: Chart, right: Chart, options: SideBySideOptions): Chart {
  for (const [name, c] of [["left", left], ["right", right]] as const) {
    try {
      checkObject(c, name);
      plotlyHtml(c.figure, c.text); // the checks of chart(): figure shape, JSON, text
    } catch (error) {
      throw new TypeError(`\`${name}\` must be a chart from lib/charts/, got ${formatValue(c)}`, {
        cause: error,
      });
    }
  }
  checkObject(options, "options", "an object { title, yRange? }");
  checkString(options.title, "title");
  const [low, high] = yExtent([left.figure, right.figure]);
  const yRange = checkRange(options.yRange, "yRange") ?? [low, high * 1.08 || 1];
  // One colour per series name across both halves (each half alone would start the palette
  // again, painting e.g. T = 0.5 on the left and T = 2 on the right the same colour).
  const colours = new Map<string, string>();
  const seen = new Set<string>();
  const place = (trace: PlotlyFigure["data"][number], xaxis: string, yaxis: string) => {
    const name = typeof trace.name === "string" ? trace.name : undefined;
    const showlegend = name === undefined || !seen.has(name);
    if (name === undefined) return { ...trace, xaxis, yaxis, showlegend };
    seen.add(name);
    if (!colours.has(name)) colours.set(name, PALETTE[colours.size % PALETTE.length]!);
    const marker = (trace.marker ?? {}) as Record<string, unknown>;
    const coloured = Array.isArray(marker.color) ? marker : { ...marker, color: colours.get(name) };
    return { ...trace, xaxis, yaxis, showlegend, marker: coloured };
  };
  const data = [
    ...left.figure.data.map((t) => place(t, "x", "y")),
    ...right.figure.data.map((t) => place(t, "x2", "y2")),
  ];
  const base = themedLayout({ title: options.title });
  const axis = (layout: Record<string, unknown>, which: "xaxis" | "yaxis") => ({
    ...(base[which] as object),
    ...(axisTitle(layout, which) === undefined ? {} : { title: axisTitle(layout, which) }),
  });
  const subtitle = (text: string, x: number) => ({
    text,
    x,
    y: 1.02,
    xref: "paper",
    yref: "paper",
    xanchor: "center",
    yanchor: "bottom",
    showarrow: false,
    font: { size: 14 },
  });
  const titleOf = (c: Chart) =>
    (c.figure.layout.title as { text?: string } | undefined)?.text ?? "";
  const uniformText = left.figure.layout.uniformtext ?? right.figure.layout.uniformtext;
  // One y title when both halves say the same (their range is shared): a second copy would sit
  // between the halves, over the right half's tick labels.
  const rightY = axis(right.figure.layout, "yaxis");
  const sameYTitle = JSON.stringify(axisTitle(left.figure.layout, "yaxis")) ===
    JSON.stringify(axisTitle(right.figure.layout, "yaxis"));
  if (sameYTitle) delete (rightY as { title?: unknown }).title;
  const layout = {
    ...base,
    height: 470,
    // r: room for the right half's last tick label, which slants to the right when rotated.
    margin: { l: 64, r: 64, t: 90, b: 140 },
    barmode: left.figure.layout.barmode ?? right.figure.layout.barmode,
    // The halves' rule for value labels (bar_line.ts: at least 10 px, else hidden) carries over.
    ...(uniformText === undefined ? {} : { uniformtext: uniformText }),
    // Below both x axis titles, centred.
    legend: { orientation: "h", x: 0.5, xanchor: "center", y: -0.4, yanchor: "top" },
    xaxis: { ...axis(left.figure.layout, "xaxis"), domain: [0, 0.47] },
    yaxis: { ...axis(left.figure.layout, "yaxis"), range: [...yRange] },
    xaxis2: { ...axis(right.figure.layout, "xaxis"), domain: [0.53, 1], anchor: "y2" },
    yaxis2: { ...rightY, range: [...yRange], anchor: "x2" },
    annotations: [subtitle(titleOf(left), 0.235), subtitle(titleOf(right), 0.765)],
  };
  const figure: PlotlyFigure = { data, layout, config: { ...CONFIG } };
  return chart(figure, `${options.title}\n\n${left.text}\n\n${right.text}`);
}
