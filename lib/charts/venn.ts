/**
 * A two-set Venn diagram drawn to scale, and the circle geometry behind it.
 *
 * @module
 */

import {
  checkArrayLike,
  checkNumber,
  checkObject,
  checkStrings,
  checkVennCounts,
  formatValue,
} from "../_validate.ts";
import { checkTitles } from "./_check.ts";
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

// ---------------------------------------------------------------------------------------------
// Venn diagram to scale

/**
 * Area of the lens where two circles overlap.
 *
 * For centre distance d: 0 when d >= r1 + r2; π·min(r1, r2)² when d <= |r1 - r2|; otherwise
 * r1²·acos((d² + r1² - r2²) / (2·d·r1)) + r2²·acos((d² + r2² - r1²) / (2·d·r2))
 * - ½·√((-d + r1 + r2)(d + r1 - r2)(d - r1 + r2)(d + r1 + r2)).
 * Computed without cancellation or overflow: all lengths are first divided by the largest, and
 * the lens is summed as two circular segments r²·(θ − sin θ cos θ), θ the half-angle of the chord
 * seen from each centre (a series for small θ), so the area is never negative, even for a tiny
 * circle on the edge of a big one (r1 = 1e-15, r2 = d = 1).
 *
 * @param r1 Radius of the first circle (>= 0).
 * @param r2 Radius of the second circle (>= 0).
 * @param d Distance between the centres (>= 0).
 * @returns The overlap area, in [0, π·min(r1, r2)²].
 * @throws {TypeError} When an argument is not a number.
 * @throws {RangeError} When a radius or the distance is negative or not finite, or the area
 * overflows (radii above about 7.6e153: π·r² is then beyond the largest double).
 * @example
 * ```ts
 * import { lensArea } from "./venn.ts";
 * import assert from "node:assert/strict";
 * assert.equal(lensArea(1, 1, 2), 0);
 * assert.ok(Math.abs(lensArea(1, 1, 0) - Math.PI) < 1e-12);
 * assert.ok(Math.abs(lensArea(1, 1, 1) - (2 * Math.PI / 3 - Math.sqrt(3) / 2)) < 1e-12);
 * ```
 */
export function lensArea(r1: number, r2: number, d: number): number {
  for (const [name, v] of [["r1", r1], ["r2", r2], ["d", d]] as const) {
    checkNumber(v, name, { min: 0, finite: true });
  }
  if (d >= r1 + r2) return 0;
  const small = Math.min(r1, r2);
  const full = Math.PI * small * small; // the smaller circle, the largest possible overlap
  let area = full;
  if (d > Math.abs(r1 - r2)) {
    const scale = Math.max(r1, r2, d);
    const unit = unitLensArea(r1 / scale, r2 / scale, d / scale);
    // scale · (scale · unit), not scale² · unit: scale² may overflow while the area fits.
    area = Math.min(scale * (scale * unit), full);
  }
  if (!Number.isFinite(area)) {
    throw new RangeError(
      `\`${r1 <= r2 ? "r1" : "r2"}\` must be small enough for the overlap area to be finite ` +
        `(π·r² <= 1.8e308), got ${formatValue(Math.min(r1, r2))}`,
    );
  }
  return area;
}

/** {@linkcode lensArea} for lengths in [0, 1] (the largest is 1), so nothing overflows. */
function unitLensArea(r1: number, r2: number, d: number): number {
  if (d >= r1 + r2) return 0;
  const small = Math.min(r1, r2);
  if (d <= Math.abs(r1 - r2)) return Math.PI * small * small;
  // The chord is at signed distance x1 from centre 1 and x2 = d - x1 from centre 2; its half
  // length h comes from Heron's product, whose four factors are all > 0 here. Each factor
  // subtracts from the larger of its two positive terms first, so near-equal lengths cancel
  // exactly (r1 = 1e-15, r2 = d = 1: d - r2 + r1 = 1e-15, not 0).
  const product = plusMinus(r1, r2, d) * plusMinus(d, r1, r2) * plusMinus(d, r2, r1) *
    (d + r1 + r2);
  const h = Math.sqrt(Math.max(0, product)) / (2 * d);
  const shift = (r1 - r2) * (r1 + r2) / (2 * d); // (r1² − r2²) / 2d, exact when r1 = r2
  const x1 = d / 2 + shift;
  const x2 = d / 2 - shift;
  const area = r1 * r1 * segment(Math.atan2(h, x1)) + r2 * r2 * segment(Math.atan2(h, x2));
  return Math.min(area, Math.PI * small * small);
}

/** p + q − n, subtracting n from the larger of p and q first (no needless cancellation). */
function plusMinus(p: number, q: number, n: number): number {
  return p >= q ? (p - n) + q : (q - n) + p;
}

/** θ − sin θ cos θ = (2θ − sin 2θ) / 2 >= 0: a circular segment of half-angle θ over r². */
function segment(theta: number): number {
  if (theta < 1e-3) {
    const t2 = theta * theta; // Taylor series: 2θ³/3 − 2θ⁵/15 + 4θ⁷/315, no cancellation
    return theta * t2 * (2 / 3 - t2 * (2 / 15 - t2 * (4 / 315)));
  }
  return theta - Math.sin(theta) * Math.cos(theta);
}

/**
 * The centre distance at which two circles overlap by a given area, found by bisection
 * (the lens area falls monotonically as the circles move apart). Runs 200 halvings at most.
 *
 * @param r1 Radius of the first circle (>= 0).
 * @param r2 Radius of the second circle (>= 0).
 * @param overlap Wanted lens area, between 0 and π·min(r1, r2)².
 * @returns A distance d with `lensArea(r1, r2, d)` ≈ `overlap`.
 * @throws {TypeError} When an argument is not a number.
 * @throws {RangeError} When a radius is invalid (see {@linkcode lensArea}) or `overlap` is outside
 * its range.
 * @example
 * ```ts
 * import { centreDistance, lensArea } from "./venn.ts";
 * import assert from "node:assert/strict";
 * const d = centreDistance(1.5, 1.6, 3 / Math.PI);
 * assert.ok(Math.abs(lensArea(1.5, 1.6, d) - 3 / Math.PI) < 1e-9);
 * ```
 */
export function centreDistance(r1: number, r2: number, overlap: number): number {
  const most = lensArea(r1, r2, 0);
  checkNumber(overlap, "overlap");
  if (!(overlap >= 0 && overlap <= most * (1 + 1e-12))) {
    throw new RangeError(
      `\`overlap\` must be between 0 and ${formatNumber(most)}, got ${formatValue(overlap)}`,
    );
  }
  let lo = Math.abs(r1 - r2); // full containment: largest overlap
  let hi = r1 + r2; // touching: no overlap (may round up to Infinity near 1.8e308)
  if (hi === Infinity) hi = Number.MAX_VALUE;
  if (overlap === 0) return hi;
  for (let i = 0; i < 200 && hi - lo > 1e-12 * hi; i++) {
    const mid = lo + (hi - lo) / 2; // not (lo + hi) / 2, which overflows near 1.8e308
    if (lensArea(r1, r2, mid) > overlap) lo = mid;
    else hi = mid;
  }
  return lo + (hi - lo) / 2;
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

/**
 * A two-set Venn diagram drawn to scale: each circle's area is proportional to its count and the
 * overlap's area to `both` (the centre distance comes from {@linkcode centreDistance}). Each
 * region is labelled with its count; the rectangle is the universe, labelled with `total` and the
 * count outside both circles. (The rectangle itself is not to scale: two circles cannot fill it.)
 *
 * @param options The four counts, names and title.
 * @returns The chart; its text lists the four regions.
 * @throws {TypeError} When `options` is not an object, a count not a number, `names` not two
 * strings or `title` not a string.
 * @throws {RangeError} When a count is not a safe integer >= 0, `both` exceeds `a` or `b`, or
 * `a + b - both` exceeds `total`.
 * @example
 * ```ts
 * import { vennChart } from "./venn.ts";
 * import assert from "node:assert/strict";
 * const c = vennChart({ total: 14, a: 7, b: 8, both: 3 });
 * assert.equal((c.figure.layout.shapes as unknown[]).length, 3);
 * assert.match(c.text, /A and B\s+3/);
 * ```
 */
export function vennChart(options: VennOptions): Chart {
  checkObject(options, "options", "an object { total, a, b, both, names?, title? }");
  checkVennCounts(options, "options");
  checkTitles(options, true);
  if (options.names !== undefined) {
    checkStrings(options.names, "names");
    if (checkArrayLike(options.names, "names") !== 2) {
      throw new RangeError(`\`names\` must hold two names, got ${formatValue(options.names)}`);
    }
  }
  const { total, a, b, both } = options;
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
