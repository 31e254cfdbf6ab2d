/**
 * Charts as plain data. Each builder is a pure function from numbers and labels to a plotly figure
 * with one consistent look (chart.ts: the theme, the `chart()` wrapper and its three renderings:
 * interactive plotly JSON, an HTML fallback, a plain-text table). bar_line.ts draws bars and
 * lines; venn.ts a Venn diagram to scale; slider.ts, errorbar.ts, marked_curve.ts and
 * side_by_side.ts one kind each; html.ts escapes text and JSON for HTML. A new chart kind gets a
 * file of its own here, built on `chart()` and `themedLayout()`.
 *
 * @module
 */

export * from "./html.ts";
export * from "./chart.ts";
export * from "./bar_line.ts";
export * from "./venn.ts";
export * from "./slider.ts";
export * from "./errorbar.ts";
export * from "./marked_curve.ts";
export * from "./side_by_side.ts";
export * from "./heatmap.ts";
