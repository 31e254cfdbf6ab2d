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
 * Display charts with `await show(chart)` from show.ts.
 *
 * @module
 */

import { finiteNumbers } from "./_validate.ts";

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

// ---------------------------------------------------------------------------------------------
// Safe HTML

/**
 * Serialises a value as JSON that is safe inside an HTML `<script>` element.
 *
 * `<`, `>` and `&` become `\u003c`, `\u003e`, `\u0026` (so `</script>` and `<!--` cannot appear),
 * and U+2028 / U+2029 are escaped (they end lines in older JavaScript). The result still parses
 * with `JSON.parse` to the same value.
 *
 * @param value Anything `JSON.stringify` accepts.
 * @returns The escaped JSON text.
 * @example
 * ```ts
 * import { jsonForHtml } from "./plot.ts";
 * import assert from "node:assert/strict";
 * const text = jsonForHtml({ label: "</script>" });
 * assert.equal(text, '{"label":"\\u003c/script\\u003e"}');
 * assert.deepEqual(JSON.parse(text), { label: "</script>" });
 * ```
 */
export function jsonForHtml(value: unknown): string {
  return JSON.stringify(value)
    .replaceAll("<", "\\u003c")
    .replaceAll(">", "\\u003e")
    .replaceAll("&", "\\u0026")
    .replaceAll("\u2028", "\\u2028")
    .replaceAll("\u2029", "\\u2029");
}

/**
 * Escapes text for use inside HTML elements and attribute values.
 *
 * @param text Any text.
 * @returns The text with `& < > " '` as entities.
 * @example
 * ```ts
 * import { escapeHtml } from "./plot.ts";
 * import assert from "node:assert/strict";
 * assert.equal(escapeHtml(`<b a="1">&'`), "&lt;b a=&quot;1&quot;&gt;&amp;&#39;");
 * ```
 */
export function escapeHtml(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;").replaceAll("'", "&#39;");
}

/**
 * The `text/html` rendering: a `<div>` showing the text summary, replaced by the interactive
 * chart when the page has `window.Plotly`. The script finds its div through
 * `document.currentScript`, so no element ids are needed.
 *
 * @param figure The plotly figure.
 * @param text The text summary shown when plotly is not available.
 * @returns An HTML fragment.
 * @example
 * ```ts
 * import { plotlyHtml } from "./plot.ts";
 * import assert from "node:assert/strict";
 * const html = plotlyHtml({ data: [], layout: {}, config: {} }, "a < b");
 * assert.ok(html.includes("<pre>a &lt; b</pre>"));
 * assert.equal(html.match(/<\/script>/g)?.length, 1);
 * ```
 */
export function plotlyHtml(figure: PlotlyFigure, text: string): string {
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
 * @param figure The plotly figure.
 * @param text The `text/plain` summary.
 * @returns An object whose `Symbol.for("Jupyter.display")` method returns the three renderings.
 * @example
 * ```ts
 * import { chart, PLOTLY_MIME } from "./plot.ts";
 * import assert from "node:assert/strict";
 * const c = chart({ data: [], layout: {}, config: {} }, "empty");
 * const bundle = c.bundle();
 * assert.deepEqual(Object.keys(bundle).sort(), [PLOTLY_MIME, "text/html", "text/plain"].sort());
 * assert.deepEqual(c[Symbol.for("Jupyter.display")]?.(), bundle);
 * assert.equal(bundle["text/plain"], "empty");
 * ```
 */
export function chart(figure: PlotlyFigure, text: string): Chart {
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
 * @param titles Chart and axis titles.
 * @param extra Further layout attributes (merged on top).
 * @returns A plotly layout.
 * @example
 * ```ts
 * import { FONT, themedLayout } from "./plot.ts";
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
 * @param value A number.
 * @returns E.g. `0.4286` for 3/7, `14` for 14.
 * @example
 * ```ts
 * import { formatNumber } from "./plot.ts";
 * import assert from "node:assert/strict";
 * assert.equal(formatNumber(3 / 7), "0.4286");
 * assert.equal(formatNumber(14), "14");
 * ```
 */
export function formatNumber(value: number): string {
  return Number.isFinite(value) ? String(Number(value.toPrecision(4))) : String(value);
}

/**
 * Lays out rows as aligned text columns (first column left-aligned, the rest right-aligned).
 *
 * @param rows Table rows, the first being the header.
 * @returns The table, lines joined with `\n`.
 * @example
 * ```ts
 * import { textTable } from "./plot.ts";
 * import assert from "node:assert/strict";
 * assert.equal(textTable([["word", "p"], ["Park", "0.15"]]), "word     p\nPark  0.15");
 * ```
 */
export function textTable(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => widths[i] = Math.max(widths[i] ?? 0, cell.length));
  }
  return rows.map((row) =>
    row.map((cell, i) => i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)).join("  ")
      .trimEnd()
  ).join("\n");
}

// ---------------------------------------------------------------------------------------------
// Validation

function checkLabels(labels: readonly string[], name: string): string[] {
  if (!Array.isArray(labels)) {
    throw new TypeError(`\`${name}\` must be an array of strings, got ${String(labels)}`);
  }
  if (labels.length === 0) throw new RangeError(`\`${name}\` must not be empty`);
  labels.forEach((label, i) => {
    if (typeof label !== "string") {
      throw new TypeError(`\`${name}[${i}]\` must be a string, got ${JSON.stringify(label)}`);
    }
  });
  return [...labels];
}

function checkSameLength(n: number, values: readonly number[], name: string, of: string): void {
  if (values.length !== n) {
    throw new RangeError(
      `\`${name}\` must have one value per ${of} (${n}), got ${values.length} values`,
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
 * import { barChart } from "./plot.ts";
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
 * import { groupedBarChart } from "./plot.ts";
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
 * import { lineChart } from "./plot.ts";
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

// ---------------------------------------------------------------------------------------------
// Venn diagram to scale

/**
 * Area of the lens where two circles overlap.
 *
 * For centre distance d: 0 when d >= r1 + r2; π·min(r1, r2)² when d <= |r1 - r2|; otherwise
 * r1²·acos((d² + r1² - r2²) / (2·d·r1)) + r2²·acos((d² + r2² - r1²) / (2·d·r2))
 * - ½·√((-d + r1 + r2)(d + r1 - r2)(d - r1 + r2)(d + r1 + r2)).
 *
 * @param r1 Radius of the first circle (>= 0).
 * @param r2 Radius of the second circle (>= 0).
 * @param d Distance between the centres (>= 0).
 * @returns The overlap area.
 * @throws {RangeError} When a radius or the distance is negative or not finite.
 * @example
 * ```ts
 * import { lensArea } from "./plot.ts";
 * import assert from "node:assert/strict";
 * assert.equal(lensArea(1, 1, 2), 0);
 * assert.ok(Math.abs(lensArea(1, 1, 0) - Math.PI) < 1e-12);
 * assert.ok(Math.abs(lensArea(1, 1, 1) - (2 * Math.PI / 3 - Math.sqrt(3) / 2)) < 1e-12);
 * ```
 */
export function lensArea(r1: number, r2: number, d: number): number {
  for (const [name, v] of [["r1", r1], ["r2", r2], ["d", d]] as const) {
    if (!(Number.isFinite(v) && v >= 0)) {
      throw new RangeError(`\`${name}\` must be a finite number >= 0, got ${v}`);
    }
  }
  if (d >= r1 + r2) return 0;
  if (d <= Math.abs(r1 - r2)) return Math.PI * Math.min(r1, r2) ** 2;
  const a1 = Math.acos(Math.min(1, Math.max(-1, (d * d + r1 * r1 - r2 * r2) / (2 * d * r1))));
  const a2 = Math.acos(Math.min(1, Math.max(-1, (d * d + r2 * r2 - r1 * r1) / (2 * d * r2))));
  const k = Math.sqrt(Math.max(0, (-d + r1 + r2) * (d + r1 - r2) * (d - r1 + r2) * (d + r1 + r2)));
  return r1 * r1 * a1 + r2 * r2 * a2 - k / 2;
}

/**
 * The centre distance at which two circles overlap by a given area, found by bisection
 * (the lens area falls monotonically as the circles move apart). Runs 200 halvings at most.
 *
 * @param r1 Radius of the first circle (>= 0).
 * @param r2 Radius of the second circle (>= 0).
 * @param overlap Wanted lens area, between 0 and π·min(r1, r2)².
 * @returns A distance d with `lensArea(r1, r2, d)` ≈ `overlap`.
 * @throws {RangeError} When `overlap` is outside its range.
 * @example
 * ```ts
 * import { centreDistance, lensArea } from "./plot.ts";
 * import assert from "node:assert/strict";
 * const d = centreDistance(1.5, 1.6, 3 / Math.PI);
 * assert.ok(Math.abs(lensArea(1.5, 1.6, d) - 3 / Math.PI) < 1e-9);
 * ```
 */
export function centreDistance(r1: number, r2: number, overlap: number): number {
  const most = lensArea(r1, r2, 0);
  if (!(overlap >= 0 && overlap <= most * (1 + 1e-12))) {
    throw new RangeError(`\`overlap\` must be between 0 and ${formatNumber(most)}, got ${overlap}`);
  }
  let lo = Math.abs(r1 - r2); // full containment: largest overlap
  let hi = r1 + r2; // touching: no overlap
  if (overlap === 0) return hi;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * (r1 + r2); i++) {
    const mid = (lo + hi) / 2;
    if (lensArea(r1, r2, mid) > overlap) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Options of {@linkcode vennChart}. */
export interface VennOptions {
  /** People (or outcomes) in the universe. */
  total: number;
  /** Count in A. */
  a: number;
  /** Count in B. */
  b: number;
  /** Count in both A and B. */
  both: number;
  /** Names of A and B, e.g. `["Tennis (A)", "Football (B)"]`. */
  names?: readonly [string, string];
  /** Chart title. */
  title?: string;
}

function checkCount(value: number, name: string): void {
  if (typeof value !== "number") {
    throw new TypeError(`\`${name}\` must be a number, got ${JSON.stringify(value)}`);
  }
  if (!(Number.isInteger(value) && value >= 0)) {
    throw new RangeError(`\`${name}\` must be a whole number >= 0, got ${value}`);
  }
}

/**
 * A two-set Venn diagram drawn to scale: each circle's area is proportional to its count and the
 * overlap's area to `both` (the centre distance comes from {@linkcode centreDistance}). Each
 * region is labelled with its count; the rectangle is the universe, labelled with `total` and the
 * count outside both circles. (The rectangle itself is not to scale: two circles cannot fill it.)
 *
 * @param options The four counts, names and title.
 * @returns The chart; its text lists the four regions.
 * @throws {RangeError} When a count is not a whole number >= 0, `both` exceeds `a` or `b`, or
 * `a + b - both` exceeds `total`.
 * @example
 * ```ts
 * import { vennChart } from "./plot.ts";
 * import assert from "node:assert/strict";
 * const c = vennChart({ total: 14, a: 7, b: 8, both: 3 });
 * assert.equal((c.figure.layout.shapes as unknown[]).length, 3);
 * assert.match(c.text, /A and B\s+3/);
 * ```
 */
export function vennChart(options: VennOptions): Chart {
  const { total, a, b, both } = options;
  for (const [name, v] of [["total", total], ["a", a], ["b", b], ["both", both]] as const) {
    checkCount(v, name);
  }
  if (both > Math.min(a, b)) {
    throw new RangeError(
      `\`both\` must be <= \`a\` and <= \`b\`, got both=${both}, a=${a}, b=${b}`,
    );
  }
  if (a + b - both > total) {
    throw new RangeError(
      `\`a + b - both\` must be <= \`total\`, got ${a} + ${b} - ${both} = ${
        a + b - both
      } > ${total}`,
    );
  }
  const [nameA, nameB] = options.names ?? ["A", "B"];
  const neither = total - (a + b - both);
  // Radii in units where area = count.
  const rA = Math.sqrt(a / Math.PI);
  const rB = Math.sqrt(b / Math.PI);
  const d = centreDistance(rA, rB, both) + (both === 0 ? 0.15 * (rA + rB) : 0);
  const xA = 0;
  const xB = d;
  const circle = (x: number, r: number, color: string) => ({
    type: "circle",
    xref: "x",
    yref: "y",
    x0: x - r,
    x1: x + r,
    y0: -r,
    y1: r,
    fillcolor: color,
    opacity: 0.35,
    line: { color, width: 2 },
  });
  const rMax = Math.max(rA, rB, 0.5);
  const left = Math.min(xA - rA, xB - rB) - 0.6 * rMax;
  const right = Math.max(xA + rA, xB + rB) + 0.6 * rMax;
  const top = rMax * 1.45;
  const bottom = -rMax * 1.3;
  const label = (x: number, y: number, text: string, size = 20, xanchor = "center") => ({
    x,
    y,
    xref: "x",
    yref: "y",
    text,
    showarrow: false,
    xanchor,
    font: { size },
  });
  // Region label positions: A only left of B's edge, lens centre between the inner edges.
  const lensX = both === 0
    ? (xA + rA + xB - rB) / 2
    : (Math.max(xA - rA, xB - rB) + Math.min(xA + rA, xB + rB)) / 2;
  const aOnlyX = (xA - rA + Math.max(xA - rA, xB - rB)) / 2;
  const bOnlyX = (Math.min(xA + rA, xB + rB) + xB + rB) / 2;
  const annotations = [
    // Set names above their circles, pushed apart so they cannot collide.
    label(xA - 0.2 * rA, rMax + 0.18 * rMax, `${nameA}: ${a}`, 15, "right"),
    label(xB + 0.2 * rB, rMax + 0.18 * rMax, `${nameB}: ${b}`, 15, "left"),
    ...(a - both > 0 ? [label(aOnlyX, 0, String(a - both))] : []),
    ...(both > 0 ? [label(lensX, 0, String(both))] : []),
    ...(b - both > 0 ? [label(bOnlyX, 0, String(b - both))] : []),
    label(
      left + 0.04 * (right - left),
      bottom + 0.08 * (top - bottom),
      `neither: ${neither}`,
      14,
      "left",
    ),
    label(
      right - 0.04 * (right - left),
      bottom + 0.08 * (top - bottom),
      `all: ${total}`,
      14,
      "right",
    ),
  ];
  const hidden = { visible: false, range: [0, 1] };
  const figure: PlotlyFigure = {
    data: [],
    layout: themedLayout({ title: options.title ?? "Venn diagram (areas to scale)" }, {
      shapes: [
        {
          type: "rect",
          xref: "x",
          yref: "y",
          x0: left,
          x1: right,
          y0: bottom,
          y1: top,
          line: { color: "#888888", width: 1.5 },
        },
        circle(xA, rA, PALETTE[0]!),
        circle(xB, rB, PALETTE[1]!),
      ],
      annotations,
      xaxis: { ...hidden, range: [left - 0.05, right + 0.05] },
      yaxis: { ...hidden, range: [bottom - 0.05, top + 0.05], scaleanchor: "x", scaleratio: 1 },
      showlegend: false,
    }),
    config: { ...CONFIG },
  };
  const rows = [
    ["region", "count"],
    [`${nameA} only`, String(a - both)],
    [`${nameA} and ${nameB}`, String(both)],
    [`${nameB} only`, String(b - both)],
    ["neither", String(neither)],
    ["total", String(total)],
  ];
  return chart(
    figure,
    `${options.title ?? "Venn diagram (areas to scale)"} (Venn diagram)\n${textTable(rows)}`,
  );
}
