import assert from "node:assert/strict";
import { centreDistance, lensArea, vennChart } from "../../lib/charts/venn.ts";

Deno.test("lensArea() matches the closed forms and falls as circles move apart", () => {
  assert.equal(lensArea(1, 2, 3), 0);
  assert.ok(Math.abs(lensArea(1, 2, 0.5) - Math.PI) < 1e-12, "small circle inside the big one");
  // Two unit circles at distance 1: 2π/3 - √3/2 (known value 1.2283696986).
  assert.ok(Math.abs(lensArea(1, 1, 1) - 1.2283696986087567) < 1e-12);
  let previous = Infinity;
  for (let d = 0.01; d < 3; d += 0.01) {
    const area = lensArea(1, 2, d);
    assert.ok(area <= previous + 1e-12);
    previous = area;
  }
  assert.throws(
    () => lensArea(-1, 1, 1),
    new RangeError("`r1` must be a finite number >= 0, got -1"),
  );
});

Deno.test("centreDistance() inverts lensArea()", () => {
  for (const [r1, r2] of [[1, 1], [1.5, 1.6], [0.3, 2]] as const) {
    for (const fraction of [0, 0.1, 0.5, 0.9, 1]) {
      const overlap = fraction * Math.PI * Math.min(r1, r2) ** 2;
      const d = centreDistance(r1, r2, overlap);
      assert.ok(Math.abs(lensArea(r1, r2, d) - overlap) < 1e-9, `${r1} ${r2} ${fraction}`);
    }
  }
  assert.throws(() => centreDistance(1, 1, 4), /`overlap` must be between 0 and 3\.142, got 4/);
});

Deno.test("vennChart() draws areas to scale and labels every region", () => {
  const c = vennChart({ total: 14, a: 7, b: 8, both: 3, names: ["Tennis (A)", "Football (B)"] });
  const [, circleA, circleB] = c.figure.layout.shapes as {
    x0: number;
    x1: number;
  }[];
  const rA = (circleA!.x1 - circleA!.x0) / 2;
  const rB = (circleB!.x1 - circleB!.x0) / 2;
  assert.ok(Math.abs(Math.PI * rA * rA - 7) < 1e-12, "area of A is 7");
  assert.ok(Math.abs(Math.PI * rB * rB - 8) < 1e-12, "area of B is 8");
  const d = (circleB!.x0 + rB) - (circleA!.x0 + rA);
  assert.ok(Math.abs(lensArea(rA, rB, d) - 3) < 1e-9, "overlap area is 3");
  const texts = (c.figure.layout.annotations as { text: string }[]).map((a) => a.text);
  assert.deepEqual(texts, [
    "Tennis (A): 7",
    "Football (B): 8",
    "4",
    "3",
    "5",
    "neither: 2",
    "all: 14",
  ]);
  assert.match(c.text, /Tennis \(A\) only\s+4/);
  assert.match(c.text, /neither\s+2/);
});

Deno.test("vennChart() rejects impossible counts", () => {
  assert.throws(
    () => vennChart({ total: 14, a: 7, b: 8, both: 9 }),
    new RangeError("`both` must be <= min(`a`, `b`) = 7, got 9 (2 too many)"),
  );
  assert.throws(
    () => vennChart({ total: 10, a: 7, b: 8, both: 3 }),
    new RangeError("`a` + `b` - `both` must be <= `total` = 10, got 7 + 8 - 3 = 12 (2 too many)"),
  );
  assert.throws(
    () => vennChart({ total: 10, a: 2.5, b: 1, both: 0 }),
    new RangeError("`a` must be an integer >= 0, got 2.5"),
  );
  // Edge cases still draw: disjoint sets and one set inside the other.
  assert.equal(
    vennChart({ total: 5, a: 2, b: 3, both: 0 }).figure.layout.shapes instanceof Array,
    true,
  );
  assert.match(vennChart({ total: 5, a: 2, b: 3, both: 2 }).text, /A only\s+0/);
});
