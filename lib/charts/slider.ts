/**
 * A bar chart with a slider: one set of bars per slider step (e.g. the next-word distribution at
 * each temperature), all computed in the kernel, so moving the slider needs no re-run.
 *
 * Each step stores its bars in the slider's own `update` arguments rather than in plotly
 * `frames`: slider steps live in the layout, so every renderer that draws the layout (JupyterLab's
 * plotly mime renderer, VS Code, the HTML fallback) can move between them, with no animation
 * machinery needed.
 *
 * @module
 */

import {
  checkInteger,
  checkObject,
  checkOptionalString,
  checkString,
  finiteNumbers,
  formatValue,
} from "../_validate.ts";
import { checkLabels, checkRange, checkTitles } from "./_check.ts";
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

/** One position of the slider. */
export interface SliderStep {
  /** The slider label, e.g. `"0.5"`. */
  label: string;
  /** One finite value per bar. */
  values: ArrayLike<number>;
  /** Chart title while this step is shown (default: the chart title plus the label). */
  title?: string;
}

/** Options of {@linkcode sliderBarChart}. */
export interface SliderBarChartOptions {
  /** Chart title. */
  title: string;
  /** x axis title. */
  xTitle?: string;
  /** y axis title with its unit (default `"probability"`). */
  yTitle?: string;
  /** One label per bar. */
  labels: readonly string[];
  /** The slider's steps, in slider order. */
  steps: readonly SliderStep[];
  /** Index of the step shown first (default 0). */
  active?: number;
  /** Text before the slider's current label, e.g. `"T = "`. */
  prefix?: string;
  /** Fixed y range (default `[0, 1.08 × the largest value]`), so bars compare across steps. */
  yRange?: readonly [number, number];
}

function finiteValues(values: ArrayLike<number>, name: string, n: number): number[] {
  const out = finiteNumbers(values, name);
  if (out.length !== n) {
    throw new RangeError(
      `\`${name}\` must have one value per label (${n}), got ${formatValue(out.length)} values`,
    );
  }
  return out;
}

/**
 * A bar chart whose bars change with a slider.
 *
 * The figure holds one bar trace showing the active step and a plotly slider whose steps each
 * call `update` with that step's bars, bar labels and title. The text summary lists every step as
 * a column. Runs in O(steps × labels).
 *
 * @param options Labels, steps and titles.
 * @returns The chart.
 * @throws {TypeError} When `options` or a step is not an object, a title, label or prefix not a
 *   string, or a value not a number.
 * @throws {RangeError} When labels or steps are empty, a step has the wrong number of values or a
 *   non-finite one, `active` is not a step index, or `yRange` is not two finite numbers, low
 *   below high.
 * @example
 * ```ts
 * import { sliderBarChart } from "./slider.ts";
 * import assert from "node:assert/strict";
 * const c = sliderBarChart({
 *   title: "P(next word)",
 *   labels: ["Park", "School"],
 *   steps: [{ label: "0.5", values: [0.1, 0.9] }, { label: "2", values: [0.4, 0.6] }],
 *   prefix: "T = ",
 * });
 * assert.deepEqual(c.figure.data[0]?.y, [0.1, 0.9]);
 * const slider = (c.figure.layout.sliders as { steps: { args: unknown[] }[] }[])[0]!;
 * assert.deepEqual((slider.steps[1]!.args[0] as { y: number[][] }).y, [[0.4, 0.6]]);
 * assert.match(c.text, /School\s+0\.9\s+0\.6/);
 * ```
 */
export function sliderBarChart(options: SliderBarChartOptions): Chart {
  checkObject(options, "options", "an object { title, labels, steps, … }");
  checkTitles(options);
  checkOptionalString(options.prefix, "prefix");
  const labels = checkLabels(options.labels, "labels");
  if (!Array.isArray(options.steps)) {
    throw new TypeError(`\`steps\` must be an array of steps, got ${formatValue(options.steps)}`);
  }
  if (options.steps.length === 0) throw new RangeError("`steps` must hold at least one step");
  const steps = Array.from({ length: options.steps.length }, (_, k) => {
    const s = checkObject<SliderStep>(options.steps[k], `steps[${k}]`, "a step { label, values }");
    const label = checkString(s.label, `steps[${k}].label`);
    return {
      label,
      values: finiteValues(s.values, `steps[${k}].values`, labels.length),
      title: checkOptionalString(s.title, `steps[${k}].title`) ??
        `${options.title}, ${options.prefix ?? ""}${label}`,
    };
  });
  const active = checkInteger(options.active ?? 0, "active", { min: 0, max: steps.length - 1 });
  let top = 0; // a loop, not Math.max(...values): spreading 150,000 values overflows the stack
  for (const s of steps) for (const v of s.values) if (v > top) top = v;
  const yRange = checkRange(options.yRange, "yRange") ?? [0, top * 1.08 || 1];
  const yTitle = options.yTitle ?? "probability";
  const texts = steps.map((s) => s.values.map(formatNumber)); // formatted once, used three times
  const shown = steps[active]!;
  const layout = themedLayout({ title: shown.title, xTitle: options.xTitle, yTitle }, {
    height: 460,
    margin: { l: 64, r: 24, t: 56, b: 110 },
    sliders: [{
      active,
      currentvalue: { prefix: options.prefix ?? "", font: { size: 16 } },
      pad: { t: 50 },
      steps: steps.map((s, k) => ({
        label: s.label,
        method: "update",
        args: [{ y: [s.values], text: [texts[k]] }, { "title.text": s.title }],
      })),
    }],
  });
  layout.yaxis = { ...(layout.yaxis as object), range: [...yRange] };
  const figure: PlotlyFigure = {
    data: [{
      type: "bar",
      x: [...labels],
      y: shown.values,
      text: texts[active],
      textposition: "outside",
      cliponaxis: false,
      marker: { color: PALETTE[0] },
      hovertemplate: "%{x}: %{y}<extra></extra>",
    }],
    layout,
    config: { ...CONFIG },
  };
  const rows = [
    [options.xTitle ?? "", ...steps.map((s) => `${options.prefix ?? ""}${s.label}`)],
    ...labels.map((l, i) => [l, ...texts.map((t) => t[i]!)]),
  ];
  return chart(
    figure,
    `${options.title} (bar chart with a slider over ${steps.length} steps; ${yTitle})\n${
      textTable(rows)
    }`,
  );
}
