/**
 * Fuzz targets for lib/math/: every export, mostly-valid arguments mixed with adversarial ones.
 *
 * @module
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import * as math from "../../lib/math/mod.ts";
import {
  anything,
  arrayLikeOf,
  logits,
  mostly,
  probabilities,
  random,
  type Target,
  temperature,
  weirdNumber,
} from "./_fuzz.ts";

const probs = arrayLikeOf(probabilities);
const logitsLike = arrayLikeOf(logits);
const probability = mostly(fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), weirdNumber));
const index = mostly(fc.oneof(fc.integer({ min: -1, max: 10 }), weirdNumber));
const count = fc.oneof(fc.integer({ min: 0, max: 20 }), weirdNumber);

function sumsToOne(q: ArrayLike<number>): void {
  let s = 0;
  for (let i = 0; i < q.length; i++) {
    assert.ok(q[i]! >= 0 && q[i]! <= 1, `entry ${q[i]}`);
    s += q[i]!;
  }
  assert.ok(Math.abs(s - 1) < 1e-9, `sum ${s}`);
}

function isIndexOf(i: unknown, length: number): void {
  assert.ok(Number.isInteger(i) && (i as number) >= 0 && (i as number) < length, `index ${i}`);
}

/** The targets of lib/math/mod.ts, one per export (two for the samplers' returned functions). */
export const mathTargets: Target[] = [
  {
    name: "vennProbabilities",
    params: ["counts", "total", "a", "b", "both"],
    args: fc.tuple(
      mostly(fc.record({ total: count, a: count, b: count, both: count })),
    ),
    call: math.vennProbabilities,
    check: (p: math.VennProbabilities) => {
      for (const v of Object.values(p)) assert.ok(v >= 0 && v <= 1 + 1e-12, `${v}`);
    },
  },
  {
    name: "conditionalProbability",
    params: ["pJoint", "pCondition"],
    args: fc.tuple(probability, probability),
    call: math.conditionalProbability,
    check: (p: number) => assert.ok(p >= 0 && p <= 1),
  },
  {
    name: "bayes",
    params: ["pBGivenA", "pA", "pB"],
    args: fc.tuple(probability, probability, probability),
    call: math.bayes,
    check: (p: number) => assert.ok(p >= 0 && p <= 1),
  },
  {
    name: "logSumExp",
    params: ["values"],
    args: fc.tuple(logitsLike),
    call: math.logSumExp,
    infinite: true,
    check: (v: number) => assert.ok(v < Infinity),
  },
  {
    name: "softmax",
    params: ["logits", "temperature"],
    args: fc.tuple(logitsLike, mostly(temperature)),
    call: math.softmax,
    check: (q: Float64Array, [x]: [ArrayLike<number>]) => {
      assert.ok(q instanceof Float64Array && q.length === x.length);
      sumsToOne(q);
    },
    weight: 2,
  },
  {
    name: "softmaxInto",
    params: ["out", "logits", "temperature"],
    args: fc.tuple(
      fc.oneof(fc.integer({ min: 0, max: 11 }).map((n) => new Float64Array(n)), anything),
      logitsLike,
      mostly(temperature),
    ),
    // `out` is meant to be written: compare its result with softmax() instead of freezing it,
    // within softmaxInto's stated bound (its exponentials come from fast_exp.ts).
    build: ([out, x, t]) => [x, t, out],
    call: (x: ArrayLike<number>, t: number, out: Float64Array) => {
      const target = out instanceof Float64Array && out.length === x?.length
        ? new Float64Array(out.length)
        : out;
      return math.softmaxInto(target, x, t);
    },
    check: (q: Float64Array, [x, t]: [ArrayLike<number>, number]) => {
      const expected = math.softmax(x, t);
      const bound = (2 * q.length + 6) * 2 ** -53;
      q.forEach((p, i) => {
        const e = expected[i]!;
        assert.ok(Math.abs(p - e) <= bound * e + 2 * Number.MIN_VALUE, `${p} vs softmax ${e}`);
      });
    },
    weight: 2,
  },
  {
    name: "logSoftmax",
    params: ["logits", "temperature"],
    args: fc.tuple(logitsLike, mostly(temperature)),
    call: math.logSoftmax,
    infinite: true,
    check: (z: Float64Array) => z.forEach((v) => assert.ok(v <= 1e-12, `${v}`)),
  },
  {
    name: "entropy",
    params: ["probs"],
    args: fc.tuple(probs),
    call: math.entropy,
    check: (h: number) => assert.ok(h >= 0),
  },
  {
    name: "negativeLogLikelihood",
    params: ["predicted", "targetIndex"],
    args: fc.tuple(probs, index),
    call: math.negativeLogLikelihood,
    infinite: true,
    check: (v: number) => assert.ok(v >= 0),
  },
  {
    name: "crossEntropy",
    params: ["predicted", "target"],
    args: fc.tuple(probs, fc.oneof(probs, index)),
    call: math.crossEntropy,
    infinite: true,
    check: (v: number) => assert.ok(v >= 0),
  },
  {
    name: "crossEntropyFromLogits",
    params: ["logits", "targetIndex"],
    args: fc.tuple(logitsLike, index),
    call: math.crossEntropyFromLogits,
    infinite: true,
    check: (v: number) => assert.ok(v >= 0),
  },
  {
    name: "perplexity",
    params: ["meanNll"],
    args: fc.tuple(mostly(weirdNumber)),
    call: math.perplexity,
    infinite: true,
    check: (v: number) => assert.ok(v >= 1),
  },
  {
    name: "argmax",
    params: ["values"],
    args: fc.tuple(logitsLike),
    call: math.argmax,
    check: (i: number, [x]: [ArrayLike<number>]) => isIndexOf(i, x.length),
  },
  {
    name: "topK",
    params: ["probs", "k"],
    args: fc.tuple(probs, index),
    call: math.topK,
    check: sumsToOne,
  },
  {
    name: "topP",
    params: ["probs", "p"],
    args: fc.tuple(probs, probability),
    call: math.topP,
    check: sumsToOne,
  },
  {
    name: "minP",
    params: ["probs", "pBase"],
    args: fc.tuple(probs, probability),
    call: math.minP,
    check: sumsToOne,
  },
  {
    name: "seededRandom",
    params: ["seed"],
    args: fc.tuple(mostly(fc.integer({ min: 0, max: 2 ** 32 - 1 }))),
    call: (seed: number) => {
      const next = math.seededRandom(seed);
      return [next(), next()];
    },
    check: (u: number[]) => u.forEach((x) => assert.ok(x >= 0 && x < 1)),
  },
  {
    name: "sampleIndex",
    params: ["probs", "random"],
    args: fc.tuple(probs, random),
    call: math.sampleIndex,
    check: (i: number, [p]: [ArrayLike<number>]) => {
      isIndexOf(i, p.length);
      assert.ok(p[i]! > 0, "drew a zero-probability index");
    },
  },
  {
    name: "sampleWithTemperature",
    params: ["logits", "temperature", "random"],
    args: fc.tuple(logitsLike, mostly(temperature), random),
    call: math.sampleWithTemperature,
    check: (i: number, [x]: [ArrayLike<number>]) => isIndexOf(i, x.length),
  },
  {
    name: "categoricalSampler",
    params: ["probs", "random"],
    args: fc.tuple(probs, random),
    call: (p: ArrayLike<number>, r: () => number) => {
      const draw = math.categoricalSampler(p);
      return [draw(r), draw(r), draw(r)];
    },
    check: (draws: number[], [p]: [ArrayLike<number>]) => {
      for (const i of draws) {
        isIndexOf(i, p.length);
        assert.ok(p[i]! > 0, "drew a zero-probability index");
      }
    },
  },
  {
    name: "countClasses",
    params: ["draws", "classes"],
    args: fc.tuple(
      arrayLikeOf(fc.array(fc.integer({ min: -1, max: 6 }), { maxLength: 12 })),
      mostly(fc.integer({ min: 1, max: 8 })),
    ),
    call: math.countClasses,
    check: (c: Float64Array, [draws, classes]: [ArrayLike<number>, number]) => {
      assert.equal(c.length, classes);
      assert.equal(c.reduce((a, b) => a + b, 0), draws.length);
    },
  },
  {
    name: "frequencies",
    params: ["counts"],
    args: fc.tuple(
      arrayLikeOf(
        fc.array(
          fc.oneof(
            fc.integer({ min: 0, max: 9 }),
            fc.constantFrom(1e308, 5e-324, Number.MAX_VALUE),
          ),
          { minLength: 1, maxLength: 8 },
        ),
      ),
    ),
    call: math.frequencies,
    check: sumsToOne,
  },
  {
    name: "binomialStandardError",
    params: ["p", "n"],
    args: fc.tuple(probability, mostly(fc.integer({ min: 1, max: 1e6 }))),
    call: math.binomialStandardError,
    check: (se: number) => assert.ok(se >= 0 && se <= 0.5),
  },
  {
    name: "chiSquaredTest",
    params: ["counts", "probs", "significance"],
    args: fc.tuple(
      arrayLikeOf(
        fc.array(fc.oneof(fc.integer({ min: 0, max: 60 }), weirdNumber), {
          minLength: 1,
          maxLength: 6,
        }),
      ),
      probs,
      mostly(fc.constantFrom(...math.CHI_SQUARED_SIGNIFICANCES, 0.03)),
    ),
    call: math.chiSquaredTest,
    check: (r: math.ChiSquaredResult) => {
      // The table's critical values at 0.995 and 0.99 round to 0 for one degree of freedom.
      assert.ok(r.statistic >= 0 && r.degreesOfFreedom >= 1 && r.criticalValue >= 0);
    },
  },
];
