/**
 * Fuzz targets for lib/charts/ and lib/show.ts: every export. A returned chart must also render:
 * its bundle is built and its figure must be free of NaN and ±Infinity.
 *
 * @module
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import * as charts from "../../lib/charts/mod.ts";
import { show, toBundle } from "../../lib/show.ts";
import {
  anything,
  arrayLikeOf,
  HUGE_NUMBERS,
  HUGE_STRINGS,
  mostly,
  optionsOf,
  stringArrayOf,
  type Target,
  weirdNumber,
  word,
  wrongType,
} from "./_fuzz.ts";

const title = mostly(fc.oneof(word, fc.string()));
const optionalTitle = fc.oneof(fc.constant(undefined), title);
const finite = fc.double({ min: -1e6, max: 1e6, noNaN: true });
const range = mostly(
  fc.oneof(
    fc.tuple(finite, finite),
    fc.constantFrom([0, 1], [NaN, 1], [1, 0], [0, Infinity], [0], [0, 1, 2]),
  ),
);

/** n labels and n values (or something else): the shape every bar chart needs. */
function labelled(n: fc.Arbitrary<number>) {
  return n.chain((k) =>
    fc.record({
      labels: stringArrayOf(fc.array(word, { minLength: k, maxLength: k })),
      values: arrayLikeOf(fc.array(finite, { minLength: k, maxLength: k })),
    })
  );
}

const size = fc.integer({ min: 1, max: 5 });
const huge = fc.constant({ labels: HUGE_STRINGS, values: HUGE_NUMBERS });
const hugeChart = charts.barChart({ title: "h", labels: HUGE_STRINGS, values: HUGE_NUMBERS });

/** A chart's text and figure must be sound and its bundle must build. */
function checkChart(c: charts.Chart): void {
  assert.equal(typeof c.text, "string");
  const bundle = c.bundle();
  assert.equal(bundle["text/plain"], c.text);
  assert.ok(bundle["text/html"].includes("<script"));
  assert.doesNotThrow(() => JSON.stringify(c.figure));
}

const charted = fc.constantFrom(
  charts.barChart({ title: "low", labels: ["a", "b"], values: [0.2, 0.8] }),
  charts.lineChart({ title: "l", x: [1, 2], series: [{ name: "a", values: [-1e6, 3] }] }),
  charts.vennChart({ total: 14, a: 7, b: 8, both: 3 }),
);

/** A chart (usually valid: builders may reject the generated labels) or anything. */
const chartArg = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.constant(charts.barChart({ title: "a", labels: ["x", "y"], values: [1, 2] })),
  },
  {
    weight: 1,
    arbitrary: fc.constant({
      figure: { data: [{ type: "bar", y: [NaN, -3] }], layout: {}, config: {} },
      text: "x",
    }),
  },
  { weight: 1, arbitrary: fc.constant({ figure: { data: [null], layout: {} }, text: "" }) },
  {
    weight: 1,
    arbitrary: fc.constant({ figure: { data: [{ y: [1n] }], layout: {}, config: {} }, text: "" }),
  },
  { weight: 1, arbitrary: anything },
);

/** The targets of lib/charts/mod.ts and lib/show.ts. */
export const chartTargets: Target[] = [
  {
    name: "jsonForHtml",
    params: ["value"],
    args: fc.tuple(fc.oneof(fc.jsonValue(), anything, fc.constant({ a: 1n }), word)),
    call: charts.jsonForHtml,
    check: (s: string) => assert.ok(!s.includes("<") && !s.includes("\u2028")),
  },
  {
    name: "escapeHtml",
    params: ["text"],
    args: fc.tuple(mostly(fc.oneof(word, fc.string()))),
    call: charts.escapeHtml,
    check: (s: string) => assert.ok(!/[<>"']/.test(s)),
  },
  {
    name: "formatNumber",
    params: ["value"],
    args: fc.tuple(mostly(weirdNumber)),
    call: charts.formatNumber,
    check: (s: string) => assert.equal(typeof s, "string"),
  },
  {
    name: "textTable",
    params: ["rows"],
    args: fc.tuple(
      mostly(fc.array(stringArrayOf(fc.array(word, { maxLength: 3 })), { maxLength: 4 })),
    ),
    call: charts.textTable,
    check: (s: string) => assert.equal(typeof s, "string"),
  },
  {
    name: "themedLayout",
    params: ["titles", "extra", "title", "xTitle", "yTitle"],
    args: fc.tuple(
      optionsOf({ title, xTitle: optionalTitle, yTitle: optionalTitle }, ["title"]),
      fc.oneof(fc.constant(undefined), fc.constant({ height: 200 }), anything),
    ),
    call: charts.themedLayout,
  },
  {
    name: "plotlyHtml",
    params: ["figure", "text"],
    args: fc.tuple(chartArg.map((c) => (c as charts.Chart)?.figure ?? c), mostly(word)),
    call: charts.plotlyHtml,
  },
  {
    name: "chart",
    params: ["figure", "text"],
    args: fc.tuple(
      fc.oneof(
        chartArg.map((c) => (c as charts.Chart)?.figure ?? c),
        fc.constant({ data: [], layout: {}, config: {} }),
        fc.constant({ data: {}, layout: {}, config: {} }),
      ),
      mostly(word),
    ),
    call: charts.chart,
    check: checkChart,
  },
  {
    name: "barChart",
    params: ["options", "title", "xTitle", "yTitle", "labels", "values", "color"],
    args: fc.tuple(
      fc.oneof(
        { weight: 50, arbitrary: labelled(size) },
        { weight: 1, arbitrary: fc.constant({ labels: [], values: [] }) },
        { weight: 1, arbitrary: huge },
      ).chain((lv) =>
        optionsOf({
          title,
          xTitle: optionalTitle,
          yTitle: optionalTitle,
          labels: fc.constant(lv.labels),
          values: fc.constant(lv.values),
          color: fc.oneof(
            fc.constant(undefined),
            fc.constantFrom("#123456", ["#1", "#2"], NaN, [1], "red"),
          ),
        }, ["title", "labels", "values"])
      ),
    ),
    call: charts.barChart,
    check: checkChart,
  },
  {
    name: "groupedBarChart",
    params: ["options", "title", "xTitle", "yTitle", "labels", "series"],
    args: fc.tuple(
      size.chain((k) =>
        optionsOf({
          title,
          xTitle: optionalTitle,
          labels: stringArrayOf(fc.array(word, { minLength: k, maxLength: k })),
          series: mostly(
            fc.array(
              mostly(
                fc.record({
                  name: mostly(word),
                  values: arrayLikeOf(fc.array(finite, { minLength: k, maxLength: k })),
                }),
              ),
              { maxLength: 3 },
            ),
          ),
        }, ["title", "labels", "series"])
      ),
    ),
    call: charts.groupedBarChart,
    check: checkChart,
  },
  {
    name: "lineChart",
    params: ["options", "title", "xTitle", "yTitle", "x", "series", "logX", "markers"],
    args: fc.tuple(
      size.chain((k) =>
        optionsOf({
          title,
          yTitle: optionalTitle,
          x: arrayLikeOf(fc.array(finite, { minLength: k, maxLength: k })),
          series: mostly(
            fc.array(
              fc.record({
                name: mostly(word),
                values: arrayLikeOf(fc.array(finite, { minLength: k, maxLength: k })),
              }),
              { minLength: 1, maxLength: 3 },
            ),
          ),
          logX: mostly(fc.boolean()),
          markers: mostly(fc.boolean()),
        }, ["title", "x", "series"])
      ),
    ),
    call: charts.lineChart,
    check: checkChart,
  },
  {
    name: "lensArea",
    params: ["r1", "r2", "d"],
    args: fc.tuple(
      mostly(fc.oneof(weirdNumber, fc.double({ min: 0, max: 10, noNaN: true }))),
      mostly(fc.oneof(weirdNumber, fc.double({ min: 0, max: 10, noNaN: true }))),
      mostly(fc.oneof(weirdNumber, fc.double({ min: 0, max: 20, noNaN: true }))),
    ),
    call: charts.lensArea,
    check: (area: number, [r1, r2]: [number, number]) => {
      const small = Math.min(r1, r2);
      const most = Math.PI * small * small; // π·r·r: π·r² would round r² in the subnormal range
      assert.ok(area >= 0 && area <= most * (1 + 1e-12) + 1e-320, `${area} outside [0, ${most}]`);
    },
    weight: 2,
  },
  {
    name: "centreDistance",
    params: ["r1", "r2", "overlap"],
    args: fc.tuple(
      mostly(fc.oneof(weirdNumber, fc.double({ min: 0, max: 10, noNaN: true }))),
      mostly(fc.oneof(weirdNumber, fc.double({ min: 0, max: 10, noNaN: true }))),
      mostly(fc.oneof(weirdNumber, fc.double({ min: 0, max: 1, noNaN: true }))),
    ),
    call: charts.centreDistance,
    check: (d: number, [r1, r2]: [number, number]) =>
      assert.ok(d >= 0 && d <= (r1 + r2) * (1 + 1e-12) + 1e-300),
  },
  {
    name: "vennChart",
    params: ["options", "total", "a", "b", "both", "names", "title"],
    args: fc.tuple(
      optionsOf({
        total: mostly(fc.oneof(fc.integer({ min: 0, max: 30 }), weirdNumber)),
        a: mostly(fc.oneof(fc.integer({ min: 0, max: 15 }), weirdNumber)),
        b: mostly(fc.oneof(fc.integer({ min: 0, max: 15 }), weirdNumber)),
        both: mostly(fc.oneof(fc.integer({ min: 0, max: 5 }), weirdNumber)),
        names: mostly(fc.tuple(word, word)),
        title: optionalTitle,
      }, ["total", "a", "b", "both"]),
    ),
    call: charts.vennChart,
    check: checkChart,
  },
  {
    name: "sliderBarChart",
    params: [
      "options",
      "title",
      "xTitle",
      "yTitle",
      "labels",
      "steps",
      "active",
      "prefix",
      "yRange",
    ],
    args: fc.tuple(
      fc.oneof(
        {
          weight: 60,
          arbitrary: size.chain((k) =>
            optionsOf({
              title,
              labels: stringArrayOf(fc.array(word, { minLength: k, maxLength: k })),
              steps: mostly(
                fc.array(
                  mostly(
                    fc.record({
                      label: mostly(word),
                      values: arrayLikeOf(fc.array(finite, { minLength: k, maxLength: k })),
                      title: optionalTitle,
                    }, { requiredKeys: ["label", "values"] }),
                  ),
                  { maxLength: 3 },
                ),
              ),
              active: mostly(fc.integer({ min: -1, max: 3 })),
              prefix: fc.oneof(fc.constant(undefined), mostly(word)),
              yRange: fc.oneof(fc.constant(undefined), range),
            }, ["title", "labels", "steps"])
          ),
        },
        {
          weight: 1,
          arbitrary: fc.constant({
            title: "huge",
            labels: HUGE_STRINGS,
            steps: [{ label: "x", values: HUGE_NUMBERS }],
          }),
        },
      ),
    ),
    call: charts.sliderBarChart,
    check: checkChart,
  },
  {
    name: "errorBarChart",
    params: ["options", "title", "xTitle", "yTitle", "x", "series", "logX", "errorLabel"],
    args: fc.tuple(
      size.chain((k) =>
        optionsOf({
          title,
          x: arrayLikeOf(fc.array(finite, { minLength: k, maxLength: k })),
          series: mostly(
            fc.array(
              mostly(
                fc.record({
                  name: mostly(word),
                  values: arrayLikeOf(fc.array(finite, { minLength: k, maxLength: k })),
                  errors: arrayLikeOf(
                    fc.array(fc.double({ min: 0, max: 1, noNaN: true }), {
                      minLength: k,
                      maxLength: k,
                    }),
                  ),
                  reference: fc.oneof(fc.constant(undefined), mostly(finite)),
                }, { requiredKeys: ["name", "values", "errors"] }),
              ),
              { maxLength: 3 },
            ),
          ),
          logX: mostly(fc.boolean()),
          errorLabel: fc.oneof(fc.constant(undefined), mostly(word)),
        }, ["title", "x", "series"])
      ),
    ),
    call: charts.errorBarChart,
    check: checkChart,
  },
  {
    name: "markedCurveChart",
    params: ["options", "title", "xTitle", "yTitle", "curveName", "x", "y", "points", "yRange"],
    args: fc.tuple(
      size.chain((k) =>
        optionsOf({
          title,
          curveName: mostly(word),
          x: arrayLikeOf(fc.array(finite, { minLength: k, maxLength: k })),
          y: arrayLikeOf(fc.array(finite, { minLength: k, maxLength: k })),
          points: mostly(
            fc.array(
              mostly(fc.record({ label: mostly(word), x: mostly(finite), y: mostly(finite) })),
              { maxLength: 3 },
            ),
          ),
          yRange: fc.oneof(fc.constant(undefined), range),
        }, ["title", "curveName", "x", "y", "points"])
      ),
    ),
    call: charts.markedCurveChart,
    check: checkChart,
  },
  {
    name: "sideBySideChart",
    params: ["left", "right", "options", "title", "yRange"],
    args: fc.tuple(
      fc.oneof(chartArg, charted),
      fc.oneof(
        { weight: 40, arbitrary: fc.oneof(chartArg, charted) },
        { weight: 1, arbitrary: fc.constant(hugeChart) },
      ),
      optionsOf({ title, yRange: fc.oneof(fc.constant(undefined), range) }, ["title"]),
    ),
    call: charts.sideBySideChart,
    check: checkChart,
  },
  {
    name: "toBundle",
    params: ["item"],
    args: fc.tuple(
      fc.oneof(
        anything,
        chartArg,
        fc.constantFrom<unknown>(
          { [Symbol.for("Jupyter.display")]: () => null },
          { [Symbol.for("Jupyter.display")]: () => Object.create(null) },
          { [Symbol.for("Jupyter.display")]: () => [1] },
        ),
        wrongType,
      ),
    ),
    call: toBundle,
    passThrough: true,
    check: (b: Record<string, unknown>) => assert.ok(typeof b === "object" && b !== null),
  },
  {
    name: "show",
    params: ["item"],
    args: fc.tuple(fc.oneof(anything, chartArg, wrongType)),
    call: async (item: unknown) => {
      const log = console.log;
      console.log = () => {};
      try {
        return await show(item);
      } finally {
        console.log = log;
      }
    },
    weight: 0.3,
  },
];
