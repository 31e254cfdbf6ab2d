/**
 * Charts as plain data: small pure functions build plotly `{ data, layout, config }` figures with
 * one consistent look, and wrap them in a {@linkcode Chart} that Jupyter can display.
 *
 * A chart's display bundle holds three renderings of the same figure:
 * - `application/vnd.plotly.v1+json`: the interactive chart (JupyterLab with the plotly package,
 *   VS Code);
 * - `text/html`: a fallback that draws with `window.Plotly` when the page has it, and otherwise
 *   shows the numbers; every user string is escaped so labels cannot break out of the HTML;
 * - `text/plain`: the numbers as a small table that reads well in a terminal or a diff.
 *
 * Display charts with `await show(chart)` from lib/show.ts. The chart kinds live beside this file:
 * bars and lines in bar_line.ts, the Venn diagram in venn.ts, and one file per other kind.
 *
 * @module
 */

import {
  checkArrayLike,
  checkObject,
  checkString,
  checkStrings,
  formatValue,
} from "../_validate.ts";
import { checkFigureData, checkTitles } from "./_check.ts";
import { escapeHtml, jsonForHtml } from "./html.ts";

/** The mime type JupyterLab's plotly renderer draws. */
export const PLOTLY_MIME = "application/vnd.plotly.v1+json";

/** Colours every chart uses, in order (colour-blind-safe Okabe–Ito palette). */
export const PALETTE: readonly string[] = Object.freeze([
  "#0072B2",
  "#E69F00",
  "#009E73",
  "#CC79A7",
  "#56B4E9",
  "#D55E00",
  "#F0E442",
  "#000000",
]);

/** Font of every chart. */
export const FONT: Readonly<{ family: string; size: number; color: string }> = Object.freeze({
  family: "Inter, 'Helvetica Neue', Arial, sans-serif",
  size: 14,
  color: "#222222",
});

/** One plotly trace (a bar series, a line, …); extra plotly attributes are allowed. */
export interface PlotlyTrace {
  type: string;
  name?: string;
  x?: unknown[];
  y?: unknown[];
  [attribute: string]: unknown;
}

/** A plotly figure: what `Plotly.newPlot` and the plotly mime renderer take. */
export interface PlotlyFigure {
  data: PlotlyTrace[];
  layout: Record<string, unknown>;
  config: Record<string, unknown>;
  /** Animation frames, when the figure has any. */
  frames?: Record<string, unknown>[];
}

/** The three renderings of a chart. */
export interface ChartBundle {
  [PLOTLY_MIME]: PlotlyFigure;
  "text/html": string;
  "text/plain": string;
}

/** A figure plus its text summary, displayable by Jupyter (`Symbol.for("Jupyter.display")`). */
export interface Chart {
  readonly figure: PlotlyFigure;
  readonly text: string;
  /** The three renderings. */
  bundle(): ChartBundle;
  /** `Symbol.for("Jupyter.display")`: called by the Deno kernel and `show()`; same as `bundle`. */
  [display: symbol]: () => ChartBundle;
}

/** The symbol the Deno kernel looks for on displayable objects. */
export const JUPYTER_DISPLAY: symbol = Symbol.for("Jupyter.display");

/** Checks a figure's shape: `data` an array of traces (objects), `layout` and `config` objects. */
function checkFigure(figure: unknown, name = "figure"): PlotlyFigure {
  const f = checkObject<Record<string, unknown>>(
    figure,
    name,
    "a plotly figure { data, layout, config }",
  );
  if (!Array.isArray(f.data)) {
    throw new TypeError(`\`${name}.data\` must be an array of traces, got ${formatValue(f.data)}`);
  }
  checkArrayLike(f.data, `${name}.data`, "an array of traces");
  for (let i = 0; i < f.data.length; i++) {
    checkObject(f.data[i], `${name}.data[${i}]`, "a trace { type, … }");
  }
  checkObject(f.layout, `${name}.layout`);
  checkObject(f.config, `${name}.config`);
  if (f.frames !== undefined && !Array.isArray(f.frames)) {
    throw new TypeError(`\`${name}.frames\` must be an array, got ${formatValue(f.frames)}`);
  }
  checkFigureData(f, name);
  return f as unknown as PlotlyFigure;
}

/**
 * The `text/html` rendering: a `<div>` showing the text summary, replaced by the interactive
 * chart when the page has `window.Plotly`. The script finds its div through
 * `document.currentScript`, so no element ids are needed.
 *
 * @param figure The plotly figure (JSON-serialisable).
 * @param text The text summary shown when plotly is not available.
 * @returns An HTML fragment.
 * @throws {TypeError} When `figure` is not a `{ data, layout, config }` figure of JSON data
 * (plain objects, arrays, strings, numbers; no cycles), or `text` is not a string.
 * @throws {RangeError} When a number in `figure` is NaN or infinite (it would reach the chart as
 * `null`); the message gives its path, e.g. `figure.data[0].y[1]`.
 * @example
 * ```ts
 * import { plotlyHtml } from "./chart.ts";
 * import assert from "node:assert/strict";
 * const html = plotlyHtml({ data: [], layout: {}, config: {} }, "a < b");
 * assert.ok(html.includes("<pre>a &lt; b</pre>"));
 * assert.equal(html.match(/<\/script>/g)?.length, 1);
 * ```
 */
export function plotlyHtml(figure: PlotlyFigure, text: string): string {
  checkFigure(figure);
  checkString(text, "text");
  return `<div class="course-chart"><pre>${escapeHtml(text)}</pre></div>\n` +
    `<script type="text/javascript">(function (script) {\n` +
    `  var figure = ${jsonForHtml(figure)};\n` +
    `  var div = script && script.previousElementSibling;\n` +
    `  if (!div || typeof window === "undefined" || !window.Plotly) return;\n` +
    `  div.innerHTML = "";\n` +
    `  window.Plotly.newPlot(div, figure);\n` +
    `})(document.currentScript);</script>`;
}

/**
 * Wraps a figure and its text summary as a displayable {@linkcode Chart}.
 *
 * @param figure The plotly figure (JSON data with finite numbers; checked once here).
 * @param text The `text/plain` summary.
 * @returns An object whose `Symbol.for("Jupyter.display")` method returns the three renderings.
 * @throws {TypeError} As {@linkcode plotlyHtml}.
 * @throws {RangeError} As {@linkcode plotlyHtml}.
 * @example
 * ```ts
 * import { chart, PLOTLY_MIME } from "./chart.ts";
 * import assert from "node:assert/strict";
 * const c = chart({ data: [], layout: {}, config: {} }, "empty");
 * const bundle = c.bundle();
 * assert.deepEqual(Object.keys(bundle).sort(), [PLOTLY_MIME, "text/html", "text/plain"].sort());
 * assert.deepEqual(c[Symbol.for("Jupyter.display")]?.(), bundle);
 * assert.equal(bundle["text/plain"], "empty");
 * ```
 */
export function chart(figure: PlotlyFigure, text: string): Chart {
  checkFigure(figure); // now, not at display time
  checkString(text, "text");
  const bundle = (): ChartBundle => ({
    [PLOTLY_MIME]: figure,
    "text/html": plotlyHtml(figure, text),
    "text/plain": text,
  });
  return { figure, text, bundle, [JUPYTER_DISPLAY]: bundle };
}

// ---------------------------------------------------------------------------------------------
// Theme and formatting

/** Titles shared by every chart builder. */
export interface ChartTitles {
  /** Chart title. */
  title: string;
  /** x axis title, with its unit when it has one. */
  xTitle?: string;
  /** y axis title, with its unit, e.g. `"probability"` or `"loss (nats)"`. */
  yTitle?: string;
}

/**
 * The common layout: font, colours, white background, titled axes.
 *
 * @param titles Chart and axis titles (strings).
 * @param extra Further layout attributes (merged on top).
 * @returns A plotly layout.
 * @throws {TypeError} When `titles` or `extra` is not an object, a title not a string, or `extra`
 * holds something JSON cannot carry.
 * @throws {RangeError} When `extra` holds a NaN or infinite number.
 * @example
 * ```ts
 * import { FONT, themedLayout } from "./chart.ts";
 * import assert from "node:assert/strict";
 * const layout = themedLayout({ title: "T", yTitle: "probability" });
 * assert.deepEqual(layout.yaxis, { title: { text: "probability" }, gridcolor: "#e5e5e5", zeroline: false });
 * assert.equal((layout.font as typeof FONT).size, FONT.size);
 * ```
 */
export function themedLayout(
  titles: ChartTitles,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  checkObject(titles, "titles", "an object { title, xTitle?, yTitle? }");
  checkTitles(titles);
  checkObject(extra, "extra", "an object of layout attributes");
  checkFigureData(extra, "extra");
  const axis = (text: string | undefined) => ({
    ...(text === undefined ? {} : { title: { text } }),
    gridcolor: "#e5e5e5",
    zeroline: false,
  });
  return {
    // Pinned to the top edge, so a legend placed just above the plot area never overlaps it.
    title: { text: titles.title, x: 0.02, xanchor: "left", y: 0.985, yanchor: "top" },
    font: { ...FONT },
    colorway: [...PALETTE],
    paper_bgcolor: "white",
    plot_bgcolor: "white",
    margin: { l: 64, r: 24, t: 56, b: 56 },
    height: 380,
    xaxis: axis(titles.xTitle),
    yaxis: axis(titles.yTitle),
    ...extra,
  };
}

/**
 * Plotly options every chart shares.
 *
 * `responsive` stays off: every layout sets a height but no width, and on a resize plotly drops
 * that height (`Plots.resize`); with `responsive: true` the chart then takes 100% of a container
 * whose height comes from the chart itself, so the next slider move collapses it to a sliver, in
 * JupyterLab (which resizes charts itself) and in the HTML export alike (tests/charts_test.ts).
 */
export const CONFIG: Readonly<Record<string, unknown>> = Object.freeze({
  responsive: false,
  displaylogo: false,
});

/**
 * Formats a number for summaries and bar labels: at most 4 significant digits.
 *
 * @param value A number (NaN and ±Infinity print as themselves).
 * @returns E.g. `0.4286` for 3/7, `14` for 14.
 * @throws {TypeError} When `value` is not a number.
 * @example
 * ```ts
 * import { formatNumber } from "./chart.ts";
 * import assert from "node:assert/strict";
 * assert.equal(formatNumber(3 / 7), "0.4286");
 * assert.equal(formatNumber(14), "14");
 * ```
 */
export function formatNumber(value: number): string {
  if (typeof value !== "number") {
    throw new TypeError(`\`value\` must be a number, got ${formatValue(value)}`);
  }
  return Number.isFinite(value) ? String(Number(value.toPrecision(4))) : String(value);
}

/**
 * Lays out rows as aligned text columns (first column left-aligned, the rest right-aligned).
 *
 * @param rows Table rows, the first being the header; each an array of strings.
 * @returns The table, lines joined with `\n`.
 * @throws {TypeError} When `rows` is not an array of arrays of strings.
 * @example
 * ```ts
 * import { textTable } from "./chart.ts";
 * import assert from "node:assert/strict";
 * assert.equal(textTable([["word", "p"], ["Park", "0.15"]]), "word     p\nPark  0.15");
 * ```
 */
export function textTable(rows: readonly (readonly string[])[]): string {
  if (!Array.isArray(rows as unknown)) {
    throw new TypeError(`\`rows\` must be an array of rows, got ${formatValue(rows)}`);
  }
  checkArrayLike(rows, "rows", "an array of rows");
  for (let r = 0; r < rows.length; r++) {
    const row: unknown = rows[r];
    // The row's name is only built for a message (150,000 rows stay fast).
    let ok = Array.isArray(row);
    for (let i = 0; ok && i < (row as unknown[]).length; i++) {
      ok = typeof (row as unknown[])[i] === "string";
    }
    if (!ok) checkStrings(row, `rows[${r}]`);
  }
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => widths[i] = Math.max(widths[i] ?? 0, cell.length));
  }
  return rows.map((row) =>
    row.map((cell, i) => i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)).join("  ")
      .trimEnd()
  ).join("\n");
}
