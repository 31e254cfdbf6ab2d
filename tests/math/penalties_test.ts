import assert from "node:assert/strict";
import fc from "fast-check";
import { noRepeatNGram, repetitionPenalty, softmax } from "../../lib/mod.ts";
import { ARTICLE_PROBS, assertClose } from "../_helpers.ts";

const articleLogits = ARTICLE_PROBS.map(Math.log);

Deno.test("repetitionPenalty() divides positive logits and multiplies negative ones", async (t) => {
  await t.step("hand-computed: [2.4, −1, 3] with tokens 0 and 1 seen, θ = 1.2", () => {
    assert.deepEqual([...repetitionPenalty([2.4, -1, 3], [0, 1, 1], 1.2)], [2, -1.2, 3]);
  });
  await t.step("the article with Playground seen, θ = 2: ln 0.4 doubles to ln 0.16", () => {
    const x = repetitionPenalty(articleLogits, [2], 2);
    assertClose(x[2]!, 2 * Math.log(0.4), 1e-15);
    assert.deepEqual([...x].filter((_, i) => i !== 2), articleLogits.filter((_, i) => i !== 2));
    // softmax: 0.16 against 0.6 for the other four (numpy: 0.21052631578947367).
    assertClose(softmax(x)[2]!, 0.16 / 0.76, 1e-15);
  });
  await t.step("each id once, however often it occurred", () => {
    assert.deepEqual([...repetitionPenalty([4, 4], [0, 0, 0], 2)], [2, 4]);
  });
  await t.step("0 and -Infinity stay", () => {
    assert.deepEqual([...repetitionPenalty([0, -Infinity, 1], [0, 1], 3)], [0, -Infinity, 1]);
  });
  await t.step("ids beyond the logits are ignored", () => {
    assert.deepEqual([...repetitionPenalty([1, 2], [5], 2)], [1, 2]);
  });
  await t.step("θ = 1 changes nothing; θ < 1 raises a seen token", () => {
    assert.deepEqual([...repetitionPenalty([1, -1], [0, 1], 1)], [1, -1]);
    assert.deepEqual([...repetitionPenalty([1, -1], [0, 1], 0.5)], [2, -0.5]);
  });
  await t.step("not shift invariant: the same θ moves −9 ten times more than −0.9", () => {
    const [a, b] = repetitionPenalty([-0.9, -9], [0, 1], 1.5);
    assertClose(-0.9 - a!, 0.45, 1e-15);
    assertClose(-9 - b!, 4.5, 1e-15);
  });
  await t.step("with one seen token, θ > 1 never raises its probability", () => {
    fc.assert(fc.property(
      fc.array(fc.double({ min: -20, max: 20, noNaN: true }), { minLength: 1, maxLength: 8 }),
      fc.nat(7),
      fc.double({ min: 1, max: 5, noNaN: true }),
      (x, id, theta) => {
        if (id >= x.length) return;
        assert.ok(softmax(repetitionPenalty(x, [id], theta))[id]! <= softmax(x)[id]! + 1e-15);
      },
    ));
  });
  await t.step("inputs are not mutated", () => {
    const logits = Object.freeze([1, -1]);
    const ids = Object.freeze([0, 1]);
    const out = repetitionPenalty(logits, ids, 2);
    assert.ok(out instanceof Float64Array);
    assert.deepEqual(logits, [1, -1]);
  });
});

Deno.test("repetitionPenalty() rejects bad input", async (t) => {
  await t.step("θ = 0", () => {
    assert.throws(() => repetitionPenalty([1], [0], 0), {
      name: "RangeError",
      message: "`penalty` must be a finite number > 0, got 0",
    });
  });
  await t.step("θ = Infinity", () => {
    assert.throws(() => repetitionPenalty([1], [0], Infinity), /`penalty` must be a finite/);
  });
  await t.step("θ not a number: TypeError", () => {
    assert.throws(() => repetitionPenalty([1], [0], "2" as unknown as number), TypeError);
  });
  await t.step("a negative id", () => {
    assert.throws(() => repetitionPenalty([1], [-1], 2), {
      name: "RangeError",
      message: "`previousIds[0]` must be an integer >= 0, got -1",
    });
  });
  await t.step("a fractional id", () => {
    assert.throws(() => repetitionPenalty([1], [0, 0.5], 2), /`previousIds\[1\]`.*got 0.5/);
  });
  await t.step("previousIds not an array: TypeError", () => {
    assert.throws(() => repetitionPenalty([1], 3 as unknown as number[], 2), TypeError);
  });
  await t.step("NaN logits", () => {
    assert.throws(() => repetitionPenalty([NaN], [], 2), /`logits\[0\]` must be finite/);
  });
});

/** Whether the n-gram ending with `next` already occurs in `history` (the rule's definition). */
function repeats(history: readonly number[], next: number, n: number): boolean {
  const text = [...history, next];
  const last = text.slice(-n).join(",");
  for (let j = 0; j + n <= history.length; j++) {
    if (text.slice(j, j + n).join(",") === last) return true;
  }
  return false;
}

Deno.test("noRepeatNGram() bans tokens that would repeat an n-gram", async (t) => {
  await t.step("hand-computed: 0 1 2 0 1 with n = 3 bans 2", () => {
    assert.deepEqual([...noRepeatNGram([0, 0, 0, 0], [0, 1, 2, 0, 1], 3)], [0, 0, -Infinity, 0]);
  });
  await t.step("n = 2 bans every token that followed the last one", () => {
    // After 1: 2 (at position 1) and 3 (at position 3) followed it.
    assert.deepEqual(
      [...noRepeatNGram([1, 1, 1, 1], [1, 2, 1, 3, 1], 2)],
      [1, 1, -Infinity, -Infinity],
    );
  });
  await t.step("n = 1 bans every token seen", () => {
    assert.deepEqual([...noRepeatNGram([5, 6, 7], [2, 0], 1)], [-Infinity, 6, -Infinity]);
  });
  await t.step("nothing banned while the history is shorter than n", () => {
    assert.deepEqual([...noRepeatNGram([1, 2], [0, 1], 3)], [1, 2]);
  });
  await t.step("an id beyond the logits still matches as context", () => {
    // 9 1 9: after 9 came 1; 9 is not a candidate but the bigram "9 1" bans 1.
    assert.deepEqual([...noRepeatNGram([0, 0], [9, 1, 9], 2)], [0, -Infinity]);
  });
  await t.step("every token may be banned", () => {
    assert.deepEqual([...noRepeatNGram([0, 0], [0, 1], 1)], [-Infinity, -Infinity]);
  });
  await t.step("matches the definition on random texts", () => {
    fc.assert(fc.property(
      fc.array(fc.nat(3), { maxLength: 12 }),
      fc.integer({ min: 1, max: 4 }),
      (history, n) => {
        const out = noRepeatNGram([0, 0, 0, 0], history, n);
        for (let i = 0; i < 4; i++) {
          assert.equal(out[i] === -Infinity, repeats(history, i, n), `token ${i}`);
        }
      },
    ));
  });
  await t.step("inputs are not mutated", () => {
    const logits = Object.freeze([1, 2]);
    noRepeatNGram(logits, Object.freeze([0, 0]), 1);
    assert.deepEqual(logits, [1, 2]);
  });
});

Deno.test("noRepeatNGram() rejects bad input", async (t) => {
  await t.step("n = 0", () => {
    assert.throws(() => noRepeatNGram([1], [0], 0), {
      name: "RangeError",
      message: "`n` must be an integer >= 1, got 0",
    });
  });
  await t.step("n = 2.5", () => {
    assert.throws(() => noRepeatNGram([1], [0], 2.5), /`n` must be an integer >= 1, got 2.5/);
  });
  await t.step("empty logits", () => {
    assert.throws(() => noRepeatNGram([], [0], 2), /`logits` must not be empty/);
  });
});
