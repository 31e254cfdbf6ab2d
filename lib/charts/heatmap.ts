/**
 * Heatmaps: a matrix of numbers as a grid of coloured cells, labelled on both axes, e.g. a
 * transformer's attention weights with the words of a sentence on both axes (row: the word that
 * reads; column: the word it reads). Several matrices with the same labels (one per head and
 * layer) go into one figure as a grid of panels with a shared colour scale.
 *
 * @module
 */

import {
  checkInteger,
  checkObject,
  checkString,
  checkStrings,
  finiteNumbers,
  formatValue,
} from "../_validate.ts";
import { checkRange, checkTitles } from "./_check.ts";
import {
  type Chart,
  chart,
  CONFIG,
  FONT,
  type PlotlyFigure,
  type PlotlyTrace,
  textTable,
  themedLayout,
} from "./chart.ts";

/** One matrix of a {@linkcode heatmapChart}. */
export interface HeatmapPanel {
  /** The panel's title, e.g. `"layer 1, head 2"`. */
  name: string;
  /** One row per y label, each with one finite number per x label. */
  values: readonly ArrayLike<number>[];
}

/** Options of {@linkcode heatmapChart}. */
export interface HeatmapOptions {
  /** Chart title. */
  title: string;
  /** x axis title (below the bottom row of panels). */
  xTitle?: string;
  /** y axis title (left of the first column of panels). */
  yTitle?: string;
  /** Column labels, left to right (repeats allowed: a sentence can repeat a word). */
  x: readonly string[];
  /** Row labels, top to bottom. */
  y: readonly string[];
  /** One or more matrices with these labels. */
  panels: readonly HeatmapPanel[];
  /** Panels per row of the grid; default all in one row (at most 4). */
  columns?: number;
  /** The values at the two ends of the colour scale; default the smallest and largest value. */
  zRange?: readonly [number, number];
  /** Title of the colour bar, e.g. `"weight"`. */
  colorTitle?: string;
  /** Decimals of the numbers in the text summary (default 2). */
  decimals?: number;
}

/**
 * Text for plotly's labels, which read a little HTML: `</s>` would vanish as a closing tag, so
 * `&`, `<` and `>` become entities (plotly shows them as the characters).
 */
function plotlyText(text: string): string {
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;");
}

/** White to the palette's blue: light cells are small, dark cells large. */
const COLOR_SCALE = [[0, "#ffffff"], [1, "#0072B2"]];

/**
 * A heatmap, or a grid of heatmaps with shared labels and colour scale (plotly `heatmap` traces).
 *
 * Rows run top to bottom in the order of `y`, columns left to right in the order of `x`; cells are
 * placed by position, so repeated labels stay separate cells. The text summary is one table per
 * panel. Runs in O(panels × rows × columns).
 *
 * @param options Labels, panels, titles, layout.
 * @returns The chart.
 * @throws {TypeError} When `options` or a panel is not an object, a label or title not a string,
 * or a value not a number.
 * @throws {RangeError} When labels or panels are empty, a matrix does not have one row per y label
 * and one value per x label, a value is not finite, `columns` or `decimals` is not a valid
 * integer, or `zRange` is not [low, high].
 * @example Who reads whom in "the boy went"
 * ```ts
 * import assert from "node:assert/strict";
 * import { heatmapChart } from "./heatmap.ts";
 *
 * const words = ["the", "boy", "went"];
 * const c = heatmapChart({
 *   title: "Attention",
 *   x: words,
 *   y: words,
 *   panels: [{ name: "head 1", values: [[1, 0, 0], [0.25, 0.75, 0], [0.5, 0.25, 0.25]] }],
 * });
 * assert.equal(c.figure.data[0]?.type, "heatmap");
 * assert.deepEqual(c.figure.data[0]?.z, [[1, 0, 0], [0.25, 0.75, 0], [0.5, 0.25, 0.25]]);
 * assert.match(c.text, /boy\s+0\.25\s+0\.75\s+0/);
 * ```
 */
export function heatmapChart(options: HeatmapOptions): Chart {
  checkObject(options, "options", "an object { title, x, y, panels, … }");
  checkTitles(options);
  const x = [...checkStrings(options.x, "x", false)];
  const y = [...checkStrings(options.y, "y", false)];
  if (!Array.isArray(options.panels)) {
    throw new TypeError(
      `\`panels\` must be an array of panels, got ${formatValue(options.panels)}`,
    );
  }
  if (options.panels.length === 0) throw new RangeError("`panels` must hold at least one panel");
  const panels = options.panels.map((panel, k) => {
    checkObject(panel, `panels[${k}]`, "a panel { name, values }");
    const name = checkString(panel.name, `panels[${k}].name`);
    if (!Array.isArray(panel.values)) {
      throw new TypeError(
        `\`panels[${k}].values\` must be an array of rows, got ${formatValue(panel.values)}`,
      );
    }
    if (panel.values.length !== y.length) {
      throw new RangeError(
        `\`panels[${k}].values\` must have one row per y label (${y.length}), got ${panel.values.length}`,
      );
    }
    const values = (panel.values as readonly ArrayLike<number>[]).map((row, i): number[] => {
      const numbers = finiteNumbers(row, `panels[${k}].values[${i}]`);
      if (numbers.length !== x.length) {
        throw new RangeError(
          `\`panels[${k}].values[${i}]\` must have one value per x label (${x.length}), got ${numbers.length}`,
        );
      }
      return numbers;
    });
    return { name, values };
  });
  const columns = options.columns === undefined
    ? Math.min(panels.length, 4)
    : checkInteger(options.columns, "columns", { min: 1 });
  const decimals = options.decimals === undefined
    ? 2
    : checkInteger(options.decimals, "decimals", { min: 0, max: 10 });
  if (options.colorTitle !== undefined) checkString(options.colorTitle, "colorTitle");
  const all = panels.flatMap((p) => p.values.flat());
  const [zmin, zmax] = checkRange(options.zRange, "zRange") ??
    [
      Math.min(...all),
      Math.max(...all) > Math.min(...all) ? Math.max(...all) : Math.min(...all) + 1,
    ];
  const rows = Math.ceil(panels.length / columns);
  // Sizes in pixels: a cell row of 16 px, and room between grid rows for the rotated column labels
  // of the row above and the title of the panel below.
  const label = Math.max(...x.map((s) => s.length), ...y.map((s) => s.length));
  const panelPx = Math.max(120, 16 * y.length);
  const gapPx = rows > 1 ? 7 * label + 36 : 0;
  const plotPx = rows * panelPx + (rows - 1) * gapPx;
  const gap = 0.06;
  const width = (1 - gap * (columns - 1)) / columns;
  const height = panelPx / plotPx;
  const positions = x.map((_, i) => i);
  const data: PlotlyTrace[] = [];
  const axes: Record<string, unknown> = {};
  const annotations: Record<string, unknown>[] = [];
  panels.forEach((panel, k) => {
    const row = Math.floor(k / columns);
    const column = k % columns;
    const suffix = k === 0 ? "" : String(k + 1);
    const left = column * (width + gap);
    const top = 1 - (row * (panelPx + gapPx)) / plotPx;
    data.push({
      type: "heatmap",
      name: panel.name,
      x: positions,
      y: y.map((_, i) => i),
      z: panel.values,
      zmin,
      zmax,
      colorscale: COLOR_SCALE,
      showscale: k === 0,
      colorbar: options.colorTitle === undefined ? {} : { title: { text: options.colorTitle } },
      xaxis: `x${suffix}`,
      yaxis: `y${suffix}`,
      customdata: y.map((yLabel) => x.map((xLabel) => [plotlyText(yLabel), plotlyText(xLabel)])),
      hovertemplate: "%{customdata[0]} → %{customdata[1]}: %{z:.3f}<extra>" +
        plotlyText(panel.name) + "</extra>",
    });
    axes[`xaxis${suffix}`] = {
      domain: [left, left + width],
      anchor: `y${suffix}`,
      tickvals: positions,
      ticktext: x.map(plotlyText),
      tickangle: -90,
      tickfont: { size: FONT.size - 3 },
      ...(row === rows - 1 && options.xTitle !== undefined
        ? { title: { text: options.xTitle } }
        : {}),
    };
    axes[`yaxis${suffix}`] = {
      domain: [top - height, top],
      anchor: `x${suffix}`,
      tickvals: y.map((_, i) => i),
      ticktext: column === 0 ? y.map(plotlyText) : y.map(() => ""),
      tickfont: { size: FONT.size - 3 },
      autorange: "reversed",
      ...(column === 0 && options.yTitle !== undefined ? { title: { text: options.yTitle } } : {}),
    };
    if (panels.length > 1) {
      annotations.push({
        text: plotlyText(panel.name),
        showarrow: false,
        xref: "paper",
        yref: "paper",
        x: left + width / 2,
        y: top,
        xanchor: "center",
        yanchor: "bottom",
        font: { ...FONT, size: FONT.size - 1 },
      });
    }
  });
  const margin = { l: 40 + 7 * label, r: 24, t: 84, b: 40 + 7 * label };
  const layout = themedLayout(options, {
    ...axes,
    annotations,
    height: plotPx + margin.t + margin.b,
    margin,
  });
  const figure: PlotlyFigure = { data, layout, config: { ...CONFIG } };
  const format = (v: number) => v.toFixed(decimals);
  const tables = panels.map((panel) =>
    `${panel.name}\n${
      textTable([["", ...x], ...panel.values.map((row, i) => [y[i]!, ...row.map(format)])])
    }`
  );
  return chart(
    figure,
    `${options.title} (heatmap${options.colorTitle ? `; ${options.colorTitle}` : ""}; rows ${
      options.yTitle ?? "y"
    }, columns ${options.xTitle ?? "x"})\n${tables.join("\n\n")}`,
  );
}
