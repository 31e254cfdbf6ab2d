import assert from "node:assert/strict";
import fc from "fast-check";
import {
  beamSearch,
  type Candidate,
  EOS,
  generate,
  type NextWordModel,
  trainNGram,
} from "../../lib/mod.ts";
import { assertClose } from "../_helpers.ts";

/** First word "a" 0.6 or "b" 0.4; after "a" three words; after "b" mostly the end. */
const TOY: NextWordModel = {
  next: (context) =>
    context.length === 0
      ? [{ word: "a", probability: 0.6 }, { word: "b", probability: 0.4 }]
      : context.at(-1) === "b"
      ? [{ word: EOS, probability: 0.9 }, { word: "b", probability: 0.1 }]
      : context.at(-1) === "a"
      ? [
        { word: "x", probability: 0.35 },
        { word: "y", probability: 0.35 },
        { word: "z", probability: 0.3 },
      ]
      : [{ word: EOS, probability: 1 }],
};

Deno.test("beamSearch() keeps the most probable partial texts", async (t) => {
  await t.step("width 2 finds b </s> (0.36), which greedy misses (0.21)", () => {
    const beams = beamSearch(TOY, [], { beamWidth: 2, maxTokens: 5 });
    assert.deepEqual(beams, [
      { tokens: ["b", EOS], logProbability: Math.log(0.4) + Math.log(0.9), finished: true },
      {
        tokens: ["a", "x", EOS],
        logProbability: Math.log(0.6) + Math.log(0.35) + Math.log(1),
        finished: true,
      },
    ]);
  });
  await t.step("width 1 is greedy (ties: the model's list order)", () => {
    const [beam] = beamSearch(TOY, [], { beamWidth: 1, maxTokens: 5 });
    assert.deepEqual(beam!.tokens, ["a", "x", EOS]);
  });
  await t.step("step by step: maxTokens 1 and 2 show the beams before they finish", () => {
    const one = beamSearch(TOY, [], { beamWidth: 3, maxTokens: 1 });
    assert.deepEqual(one.map((b) => [b.tokens.join(" "), b.finished]), [["a", false], [
      "b",
      false,
    ]]);
    const two = beamSearch(TOY, [], { beamWidth: 3, maxTokens: 2 });
    // 0.4·0.9 = 0.36, then 0.6·0.35 twice (= 0.21, list order); 0.6·0.3 = 0.18 is fourth.
    assert.deepEqual(two.map((b) => b.tokens.join(" ")), [`b ${EOS}`, "a x", "a y"]);
    assert.deepEqual(two.map((b) => b.finished), [true, false, false]);
  });
  await t.step("the context is passed to the model but not returned", () => {
    const [beam] = beamSearch(TOY, ["a"], { beamWidth: 2, maxTokens: 3 });
    assert.deepEqual(beam!.tokens, ["x", EOS]);
    assertClose(beam!.logProbability, Math.log(0.35), 0);
  });
  await t.step("words of probability 0 are never chosen", () => {
    const model = {
      next: () => [{ word: "w", probability: 1 }, { word: EOS, probability: 0 }],
    };
    const beams = beamSearch(model, [], { beamWidth: 3, maxTokens: 2 });
    assert.deepEqual(beams, [{ tokens: ["w", "w"], logProbability: 0, finished: false }]);
  });
  await t.step("the context array is not mutated", () => {
    const context = Object.freeze(["a"]);
    beamSearch(TOY, context, { beamWidth: 2, maxTokens: 3 });
    assert.deepEqual(context, ["a"]);
  });
});

/** A random model over "a", "b" and </s> whose next word depends on the last word. */
const randomTables = fc.array(
  fc.tuple(
    fc.double({ min: 0.01, max: 1, noNaN: true }),
    fc.double({ min: 0.01, max: 1, noNaN: true }),
    fc.double({ min: 0.01, max: 1, noNaN: true }),
  ),
  { minLength: 3, maxLength: 3 },
);
function tableModel(tables: [number, number, number][]): NextWordModel {
  const words = ["a", "b", EOS];
  return {
    next(context) {
      const row = tables[["a", "b"].indexOf(context.at(-1) ?? "") + 1]!;
      const total = row[0] + row[1] + row[2];
      return words.map((word, i) => ({ word, probability: row[i]! / total }));
    },
  };
}
/** Every text of up to `max` tokens (ending with </s>, or of length `max`), with its log-prob. */
function allTexts(model: NextWordModel, max: number): { tokens: string[]; lp: number }[] {
  const out: { tokens: string[]; lp: number }[] = [];
  const grow = (tokens: string[], lp: number) => {
    if (tokens.at(-1) === EOS || tokens.length === max) return void out.push({ tokens, lp });
    for (const c of model.next(tokens)) grow([...tokens, c.word], lp + Math.log(c.probability));
  };
  grow([], 0);
  return out;
}

Deno.test("beamSearch() against exhaustive search", async (t) => {
  await t.step("a beam as wide as all texts returns them all, best first, exact scores", () => {
    fc.assert(fc.property(randomTables, (tables) => {
      const model = tableModel(tables as [number, number, number][]);
      const texts = allTexts(model, 4).sort((x, y) => y.lp - x.lp);
      const beams = beamSearch(model, [], { beamWidth: 3 ** 4, maxTokens: 4 });
      assert.equal(beams.length, texts.length);
      beams.forEach((b, i) => assertClose(b.logProbability, texts[i]!.lp, 1e-12));
    }));
  });
  await t.step("every beam's score is the sum of its tokens' log-probabilities", () => {
    fc.assert(fc.property(randomTables, fc.integer({ min: 1, max: 4 }), (tables, width) => {
      const model = tableModel(tables as [number, number, number][]);
      for (const beam of beamSearch(model, [], { beamWidth: width, maxTokens: 6 })) {
        let lp = 0;
        beam.tokens.forEach((w, i) => {
          lp += Math.log(
            model.next(beam.tokens.slice(0, i)).find((c) => c.word === w)!.probability,
          );
        });
        assert.equal(beam.logProbability, lp);
        assert.equal(beam.finished, beam.tokens.at(-1) === EOS);
      }
    }));
  });
  await t.step("width 1 writes generate()'s greedy text up to the first </s>", () => {
    fc.assert(fc.property(randomTables, (tables) => {
      const model = tableModel(tables as [number, number, number][]);
      const [beam] = beamSearch(model, [], { beamWidth: 1, maxTokens: 8 });
      const greedy = generate((c) => model.next(c), { length: 8, temperature: 0, random: () => 0 });
      const end = greedy.indexOf(EOS);
      assert.deepEqual(beam!.tokens, end === -1 ? greedy : greedy.slice(0, end + 1));
    }));
  });
});

Deno.test("beamSearch() works on an n-gram model", () => {
  const model = trainNGram(
    [["the", "cat", "sat"], ["the", "cat", "ran"], ["the", "dog", "sat"]],
    2,
  );
  const beams = beamSearch(model, [], { beamWidth: 2, maxTokens: 6 });
  // the (1) cat (2/3) sat or ran (1/2) </s> (1), and the (1) dog (1/3) sat (1) </s> (1): all three
  // have probability 1/3; ties keep the earlier beam ("the cat"), then the model's list order.
  assert.deepEqual(beams.map((b) => b.tokens.join(" ")), [
    `the cat ran ${EOS}`,
    `the cat sat ${EOS}`,
  ]);
  beams.forEach((b) => assertClose(b.logProbability, Math.log(1 / 3), 1e-15));
});

Deno.test("beamSearch() rejects bad input", async (t) => {
  await t.step("beamWidth 0", () => {
    assert.throws(() => beamSearch(TOY, [], { beamWidth: 0, maxTokens: 3 }), {
      name: "RangeError",
      message: "`beamWidth` must be an integer >= 1, got 0",
    });
  });
  await t.step("maxTokens 1.5", () => {
    assert.throws(
      () => beamSearch(TOY, [], { beamWidth: 1, maxTokens: 1.5 }),
      /`maxTokens` must be an integer >= 1, got 1.5/,
    );
  });
  await t.step("a model without next: TypeError", () => {
    assert.throws(
      () => beamSearch({} as NextWordModel, [], { beamWidth: 1, maxTokens: 1 }),
      { name: "TypeError", message: "`model.next` must be a function, got undefined" },
    );
  });
  await t.step("a context that is not an array of words", () => {
    assert.throws(
      () => beamSearch(TOY, [1] as unknown as string[], { beamWidth: 1, maxTokens: 1 }),
      /`context\[0\]` must be a string, got 1/,
    );
  });
  await t.step("probabilities that do not sum to 1", () => {
    const model = { next: () => [{ word: "a", probability: 0.5 }] };
    assert.throws(
      () => beamSearch(model, [], { beamWidth: 1, maxTokens: 1 }),
      /the probabilities of `model.next\(\[\]\)` must sum to 1/,
    );
  });
  await t.step("a probability above 1", () => {
    const model = { next: (): Candidate[] => [{ word: "a", probability: 2 }] };
    assert.throws(() => beamSearch(model, [], { beamWidth: 1, maxTokens: 1 }), /outside \[0, 1\]/);
  });
  await t.step("a context the model never saw", () => {
    const model = trainNGram([["a", "b"]], 2);
    assert.throws(
      () => beamSearch(model, ["zzz"], { beamWidth: 2, maxTokens: 3 }),
      /`model.next` offered no next word after \["zzz"\]: the model never saw this context/,
    );
  });
});
