import assert from "node:assert/strict";
import fc from "fast-check";
import {
  categoricalSampler,
  sampleIndex,
  sampleWithTemperature,
  seededRandom,
  softmax,
} from "../../lib/mod.ts";
import { ARTICLE_PROBS, chiSquaredAccepts } from "../_helpers.ts";

const N = 100_000;
const LOGITS = ARTICLE_PROBS.map(Math.log);

/** Draws N indices with `draw` from a seeded generator. */
function drawMany(seed: number, draw: (random: () => number) => number): number[] {
  const random = seededRandom(seed);
  return Array.from({ length: N }, () => draw(random));
}

Deno.test("sampleIndex() follows the distribution (chi-squared, 100,000 draws)", async (t) => {
  await t.step("article distribution is accepted", () => {
    assert.ok(chiSquaredAccepts(drawMany(1, (r) => sampleIndex(ARTICLE_PROBS, r)), ARTICLE_PROBS));
  });
  await t.step("negative control: draws from another distribution are rejected", () => {
    const other = [0.12, 0.05, 0.38, 0.15, 0.3];
    assert.ok(!chiSquaredAccepts(drawMany(1, (r) => sampleIndex(other, r)), ARTICLE_PROBS));
  });
});

Deno.test("sampleWithTemperature() follows softmax(logits / T) (chi-squared)", async (t) => {
  for (const T of [0.5, 1, 2]) {
    await t.step(`T = ${T}`, () => {
      const draws = drawMany(7, (r) => sampleWithTemperature(LOGITS, T, r));
      assert.ok(chiSquaredAccepts(draws, softmax(LOGITS, T)));
    });
  }
  await t.step("negative control: T = 2 draws do not fit T = 1", () => {
    assert.ok(
      !chiSquaredAccepts(
        drawMany(7, (r) => sampleWithTemperature(LOGITS, 2, r)),
        softmax(LOGITS, 1),
      ),
    );
  });
  await t.step("T = 0 always picks Playground", () => {
    const random = seededRandom(3);
    for (let i = 0; i < 1000; i++) assert.equal(sampleWithTemperature(LOGITS, 0, random), 2);
  });
  await t.step("masked logits are never drawn, even at T = Infinity", () => {
    const random = seededRandom(4);
    for (let i = 0; i < 1000; i++) {
      assert.notEqual(sampleWithTemperature([0, -Infinity, 0], Infinity, random), 1);
    }
  });
});

Deno.test("categoricalSampler() follows the distribution (chi-squared)", async (t) => {
  await t.step("article distribution is accepted", () => {
    assert.ok(chiSquaredAccepts(drawMany(11, categoricalSampler(ARTICLE_PROBS)), ARTICLE_PROBS));
  });
  await t.step("a 1,000-way Zipf distribution is accepted", () => {
    const weights = Array.from({ length: 1000 }, (_, i) => 1 / (i + 1));
    const total = weights.reduce((a, b) => a + b, 0);
    const zipf = weights.map((w) => w / total);
    // Pool the tail so every class expects >= 5 draws: 20 head classes plus one tail class (the table in simple-statistics stops at 30 degrees of freedom).
    const pool = (i: number) => Math.min(i, 20);
    const pooled = [...zipf.slice(0, 20), zipf.slice(20).reduce((a, b) => a + b, 0)];
    assert.ok(chiSquaredAccepts(drawMany(12, categoricalSampler(zipf)).map(pool), pooled));
  });
  await t.step("negative control: another distribution is rejected", () => {
    assert.ok(
      !chiSquaredAccepts(
        drawMany(11, categoricalSampler([0.12, 0.05, 0.38, 0.15, 0.3])),
        ARTICLE_PROBS,
      ),
    );
  });
  await t.step("same seed, same draws", () => {
    const sampler = categoricalSampler(ARTICLE_PROBS);
    assert.deepEqual(drawMany(5, sampler).slice(0, 100), drawMany(5, sampler).slice(0, 100));
  });
});

Deno.test("zero-probability entries are never drawn", async (t) => {
  const probs = [0, 0.3, 0, 0.7, 0];
  await t.step("sampleIndex, including u just below 1", () => {
    for (const u of [0, 0.29999, 0.3, 0.9999999999999999]) {
      assert.ok([1, 3].includes(sampleIndex(probs, () => u)), `u = ${u}`);
    }
    for (const i of drawMany(21, (r) => sampleIndex(probs, r))) assert.ok(i === 1 || i === 3);
  });
  await t.step("categoricalSampler, at every column edge", () => {
    const draw = categoricalSampler(probs);
    for (let k = 0; k < probs.length; k++) {
      for (const u of [k / 5, (k + 0.5) / 5, Math.max(0, (k + 1) / 5 - 1e-16)]) {
        const i = draw(() => Math.min(u, 0.9999999999999999));
        assert.ok(i === 1 || i === 3, `u = ${u} drew ${i}`);
      }
    }
  });
  await t.step("property: random distributions with zeros", () => {
    fc.assert(fc.property(
      fc.array(fc.oneof(fc.constant(0), fc.double({ min: 0.01, max: 1, noNaN: true })), {
        minLength: 1,
        maxLength: 30,
      })
        .filter((w) => w.some((x) => x > 0)),
      fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), {
        minLength: 1,
        maxLength: 50,
      }),
      (w, us) => {
        const total = w.reduce((a, b) => a + b, 0);
        const p = w.map((x) => x / total);
        const draw = categoricalSampler(p);
        for (const u of us) {
          assert.ok(p[sampleIndex(p, () => u)]! > 0);
          assert.ok(p[draw(() => u)]! > 0);
        }
      },
    ));
  });
});

Deno.test("sampling rejects a bad random source", async (t) => {
  for (const bad of [1, -0.1, NaN, 1.5]) {
    await t.step(`random() = ${bad}`, () => {
      const message = new RegExp(`\`random\\(\\)\` must return a number in \\[0, 1\\), got ${bad}`);
      assert.throws(() => sampleIndex(ARTICLE_PROBS, () => bad), message);
      assert.throws(() => sampleWithTemperature(LOGITS, 1, () => bad), message);
      assert.throws(() => categoricalSampler(ARTICLE_PROBS)(() => bad), message);
    });
  }
  await t.step("bad distributions throw before drawing", () => {
    assert.throws(() => categoricalSampler([0.5, 0.6]), /`probs` must sum to 1/);
    assert.throws(() => sampleIndex([], () => 0.5), /`probs` must not be empty/);
  });
});

Deno.test("sampling does not mutate its inputs", () => {
  const probs = Object.freeze([...ARTICLE_PROBS]);
  const random = seededRandom(0);
  sampleIndex(probs, random);
  categoricalSampler(probs)(random);
  sampleWithTemperature(Object.freeze([...LOGITS]), 0.7, random);
  assert.deepEqual(probs, [...ARTICLE_PROBS]);
});
