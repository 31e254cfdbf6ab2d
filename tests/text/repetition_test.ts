import assert from "node:assert/strict";
import fc from "fast-check";
import { distinctNGramRatio, repeatingCycle } from "../../lib/mod.ts";

const words = (text: string) => text.split(" ");

Deno.test("distinctNGramRatio() is distinct n-grams over all n-grams", async (t) => {
  await t.step("known values", () => {
    assert.equal(distinctNGramRatio(words("the boy went to the park"), 1), 5 / 6);
    assert.equal(distinctNGramRatio(words("the boy went to the park"), 2), 1);
    assert.equal(distinctNGramRatio(words("a b a b a b"), 2), 2 / 5);
  });
  await t.step("a loop drives it towards 0", () => {
    const loop = Array(100).fill(words("to the park and went")).flat();
    assert.ok(distinctNGramRatio(loop, 2) < 0.02);
  });
  await t.step("too short a text has no n-grams: a RangeError, not 0/0 = NaN", () => {
    assert.throws(() => distinctNGramRatio(["a"], 2), {
      name: "RangeError",
      message: "`tokens` must hold at least `n` = 2 tokens to have an n-gram, got 1",
    });
    assert.throws(() => distinctNGramRatio([], 1), RangeError);
  });
  await t.step("is in (0, 1] for any text", () => {
    fc.assert(fc.property(fc.array(fc.constantFrom("a", "b", "c"), { minLength: 2 }), (t) => {
      const r = distinctNGramRatio(t, 2);
      assert.ok(r > 0 && r <= 1);
    }));
  });
  await t.step("does not join tokens ambiguously", () => {
    assert.equal(distinctNGramRatio(["a b", "c", "a", "b c"], 2), 1);
  });
  await t.step("rejects bad input", () => {
    assert.throws(() => distinctNGramRatio(["a"], 0), /`n` must be an integer >= 1, got 0/);
    assert.throws(
      () => distinctNGramRatio([1] as unknown as string[], 1),
      /`tokens\[0\]` must be a string, got 1/,
    );
  });
});

Deno.test("repeatingCycle() finds the loop a text ends in", async (t) => {
  await t.step("greedy-style loop after a prefix", () => {
    const text = words("the boy went to the park and the boy went to the park and the boy");
    const cycle = repeatingCycle(text);
    assert.ok(cycle);
    assert.equal(cycle.period, 7);
    assert.equal(cycle.start, 0);
    assert.equal(cycle.length, text.length);
    assert.deepEqual(cycle.unit, words("the boy went to the park and"));
  });
  await t.step("prefers the longest tail, then the shortest period", () => {
    assert.deepEqual(repeatingCycle(words("x y a a a a")), {
      period: 1,
      start: 2,
      length: 4,
      repeats: 4,
      unit: ["a"],
    });
  });
  await t.step("no repetition: undefined", () => {
    assert.equal(repeatingCycle(words("the boy went to the park")), undefined);
    assert.equal(repeatingCycle([]), undefined);
  });
  await t.step("a unit must repeat twice in full", () => {
    assert.equal(repeatingCycle(words("a b c a b")), undefined);
    assert.equal(repeatingCycle(words("a b c a b c"))?.period, 3);
  });
  await t.step("the tail really is periodic (property)", () => {
    fc.assert(fc.property(fc.array(fc.constantFrom("a", "b"), { maxLength: 30 }), (t) => {
      const c = repeatingCycle(t);
      if (c === undefined) return;
      assert.ok(c.length >= 2 * c.period);
      for (let i = c.start; i + c.period < t.length; i++) assert.equal(t[i], t[i + c.period]);
      if (c.start > 0) assert.notEqual(t[c.start - 1], t[c.start - 1 + c.period]);
    }));
  });
});

/** The O(L·n) definition distinctNGramRatio() replaced: n-grams as JSON strings in a set. */
function naiveDistinct(tokens: readonly string[], n: number): number {
  const seen = new Set<string>();
  for (let i = 0; i + n <= tokens.length; i++) seen.add(JSON.stringify(tokens.slice(i, i + n)));
  return seen.size / (tokens.length - n + 1);
}

/** The O(L²) scan repeatingCycle() replaced. */
function naiveCycle(tokens: readonly string[]) {
  const L = tokens.length;
  let best: { period: number; start: number; length: number } | undefined;
  for (let p = 1; 2 * p <= L; p++) {
    let s = L - p;
    while (s > 0 && tokens[s - 1] === tokens[s - 1 + p]) s--;
    if (L - s >= 2 * p && (best === undefined || L - s > best.length)) {
      best = { period: p, start: s, length: L - s };
    }
  }
  return best;
}

Deno.test("repetition measures equal their plain definitions and scale to long texts", async (t) => {
  const text = fc.array(fc.constantFrom("a", "b", "c", "a b"), { minLength: 1, maxLength: 70 });
  await t.step("distinctNGramRatio() = |distinct n-grams| / (L - n + 1) for every n", () => {
    fc.assert(
      fc.property(text, fc.integer({ min: 1, max: 80 }), (tokens, n) => {
        fc.pre(n <= tokens.length);
        assert.equal(distinctNGramRatio(tokens, n), naiveDistinct(tokens, n));
      }),
      { numRuns: 2000 },
    );
  });
  await t.step("repeatingCycle() = the O(L²) scan", () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom("a", "b"), { maxLength: 60 }), (tokens) => {
        const c = repeatingCycle(tokens);
        const expected = naiveCycle(tokens);
        assert.deepEqual(
          c && { period: c.period, start: c.start, length: c.length },
          expected,
        );
      }),
      { numRuns: 2000 },
    );
  });
  await t.step("150,000 tokens in well under a second each (O(L log n), O(L))", () => {
    const loop = Array.from({ length: 150_000 }, (_, i) => ["to", "the", "park"][i % 3]!);
    const start = performance.now();
    assert.equal(distinctNGramRatio(loop, 2), 3 / 149_999);
    assert.equal(distinctNGramRatio(loop, 75_000), 3 / 75_001);
    assert.deepEqual(repeatingCycle(loop)?.period, 3);
    assert.ok(performance.now() - start < 10_000);
  });
});
