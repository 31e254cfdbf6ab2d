import assert from "node:assert/strict";
import fc from "fast-check";
import {
  BpeTokenizer,
  BYTE_TOKENS,
  type Merge,
  preTokenize,
  trainBpe,
} from "../../lib/text/bpe.ts";
import { brownFiles, splitByFile } from "../../lib/text/corpus.ts";

const utf8 = (text: string) => Array.from(new TextEncoder().encode(text));
const pairsOf = (bpe: BpeTokenizer) => bpe.merges.map((m) => [...m.pair, m.count]);
const textOf = (bpe: BpeTokenizer, id: number) => new TextDecoder().decode(bpe.tokenBytes(id));

/**
 * BPE training as the definition reads, with nothing remembered between merges: count every
 * adjacent pair in every chunk, merge the most frequent (ties: smaller left id, then smaller right
 * id), repeat. lib/text/bpe.ts must learn exactly the same merges with its incremental counts.
 */
function naiveTrain(text: string, merges: number): [number, number, number][] {
  let words = preTokenize(text).map(utf8);
  const learned: [number, number, number][] = [];
  while (learned.length < merges) {
    const counts = new Map<string, number>();
    for (const w of words) {
      for (let i = 0; i + 1 < w.length; i++) {
        const key = `${w[i]},${w[i + 1]}`;
        counts.set(key, (counts.get(key) ?? 0) + 1);
      }
    }
    let best: [number, number, number] | undefined;
    for (const [key, count] of counts) {
      const [a, b] = key.split(",").map(Number) as [number, number];
      if (
        best === undefined || count > best[2] ||
        (count === best[2] && (a < best[0] || (a === best[0] && b < best[1])))
      ) best = [a, b, count];
    }
    if (best === undefined) break;
    const id = BYTE_TOKENS + learned.length;
    words = words.map((w) => {
      const out: number[] = [];
      for (let i = 0; i < w.length; i++) {
        if (i + 1 < w.length && w[i] === best[0] && w[i + 1] === best[1]) {
          out.push(id);
          i++;
        } else out.push(w[i]!);
      }
      return out;
    });
    learned.push(best);
  }
  return learned;
}

/** Any Unicode code point (no half surrogates), and texts heavy in Chinese, emoji and spaces. */
const anyUnicode = fc.string({ unit: "binary", maxLength: 40 });
const mixedText = fc.string({
  unit: fc.oneof(
    fc.constantFrom(" ", "  ", "\n", "\t", "'s", ".", ",", "!"),
    fc.constantFrom("the", "boy", "play", "ground", "The", "ing", "42", "ß", "é"),
    fc.constantFrom("男孩", "去了", "操场", "。", "大语言模型", "词元", "分词", "，"),
    fc.constantFrom("😀", "👍🏽", "👨‍👩‍👧", "🇨🇳", "🎉"),
    fc.integer({ min: 0x4e00, max: 0x9fff }).map((c) => String.fromCodePoint(c)),
    fc.integer({ min: 0x1f300, max: 0x1faff }).map((c) => String.fromCodePoint(c)),
  ),
  maxLength: 30,
});

/** A tokenizer trained on text with English, Chinese and emoji, so merges span multi-byte UTF-8. */
const mixedCorpus = [
  "The boy went to the playground. The boy's playground is big!",
  "男孩去了操场。男孩去了公园。女孩去了操场。",
  "😀😀 👍🏽👍🏽 🎉🎉🎉 👨‍👩‍👧 🇨🇳🇨🇳",
  "大语言模型根据上下文预测下一个词元。分词把文本切成词元。",
].join("\n").repeat(3);
const mixed = trainBpe(mixedCorpus, 120);

Deno.test("preTokenize() cuts text like GPT-2 and loses nothing", async (t) => {
  await t.step("words keep their leading space; contractions and numbers split off", () => {
    assert.deepEqual(preTokenize("The boy went to the playground."), [
      "The",
      " boy",
      " went",
      " to",
      " the",
      " playground",
      ".",
    ]);
    assert.deepEqual(preTokenize("we'll go  now\n"), ["we", "'ll", " go", " ", " now", "\n"]);
    assert.deepEqual(preTokenize("男孩去了操场。"), ["男孩去了操场", "。"]);
    assert.deepEqual(preTokenize(""), []);
  });
  await t.step("the chunks joined are the text (fast-check, 1,000 strings)", () => {
    fc.assert(
      fc.property(fc.oneof(anyUnicode, mixedText), (s) => preTokenize(s).join("") === s),
      { numRuns: 1000 },
    );
  });
  await t.step("a non-string is a TypeError naming `text`", () => {
    assert.throws(() => preTokenize(3 as unknown as string), {
      name: "TypeError",
      message: "`text` must be a string, got 3",
    });
  });
});

Deno.test("trainBpe() learns known merges on tiny hand-made texts", async (t) => {
  await t.step('Wikipedia\'s "aaabdaaabac": aa, then ab (tie with aa+a), then aa+ab', () => {
    const bpe = trainBpe("aaabdaaabac", 10);
    assert.deepEqual(pairsOf(bpe).slice(0, 3), [[97, 97, 4], [97, 98, 2], [256, 257, 2]]);
    assert.deepEqual(bpe.withMerges(3).encode("aaabdaaabac"), [258, 100, 258, 97, 99]); // XdXac
  });
  await t.step('"ab ab ab": "ab" (3 times), then " " + "ab" (twice), then nothing is left', () => {
    const bpe = trainBpe("ab ab ab", 5);
    assert.deepEqual(pairsOf(bpe), [[97, 98, 3], [32, 256, 2]]);
    assert.equal(bpe.vocabularySize, 258);
    assert.equal(textOf(bpe, 257), " ab");
    assert.deepEqual(bpe.encode("ab ab ab"), [256, 257, 257]);
  });
  await t.step(
    'tie rule: "ba ab" merges " a" (32, 97) first, then "ba" (98, 97), then " ab"',
    () => {
      const bpe = trainBpe("ba ab", 5);
      assert.deepEqual(pairsOf(bpe), [[32, 97, 1], [98, 97, 1], [256, 98, 1]]);
    },
  );
  await t.step("a merge never crosses a chunk boundary", () => {
    // "a." occurs three times, but "a" and "." are different chunks.
    const bpe = trainBpe("a. a. a.", 5);
    assert.deepEqual(pairsOf(bpe), [[32, 97, 2]]);
  });
  await t.step("zero merges, or an empty text, leave the 256 byte tokens", () => {
    assert.equal(trainBpe("hello", 0).vocabularySize, 256);
    assert.equal(trainBpe("", 10).vocabularySize, 256);
  });
});

Deno.test("trainBpe() agrees with the naive definition (fast-check)", () => {
  fc.assert(
    fc.property(
      fc.array(fc.oneof(mixedText, anyUnicode), { minLength: 1, maxLength: 4 }),
      fc.integer({ min: 0, max: 40 }),
      (parts, merges) => {
        const text = parts.join(" ");
        assert.deepEqual(pairsOf(trainBpe(text, merges)), naiveTrain(text, merges));
      },
    ),
    { numRuns: 200 },
  );
});

Deno.test("BpeTokenizer round-trips any string: decode(encode(s)) === s", async (t) => {
  await t.step("1,000 strings of any Unicode code points", () => {
    fc.assert(
      fc.property(anyUnicode, (s) => mixed.decode(mixed.encode(s)) === s),
      { numRuns: 1000 },
    );
  });
  await t.step("1,000 strings of Chinese, emoji, English and whitespace", () => {
    fc.assert(
      fc.property(mixedText, (s) => mixed.decode(mixed.encode(s)) === s),
      { numRuns: 1000 },
    );
  });
  await t.step("500 tokenizers trained on a random text, each round-tripping another", () => {
    fc.assert(
      fc.property(mixedText, fc.oneof(mixedText, anyUnicode), fc.nat(30), (train, s, merges) => {
        const bpe = trainBpe(train, merges);
        return bpe.decode(bpe.encode(s)) === s;
      }),
      { numRuns: 500 },
    );
  });
  await t.step("the mixed tokenizer really merged multi-byte characters", () => {
    const pieces = mixed.encode("男孩去了操场。").map((id) => textOf(mixed, id));
    assert.ok(pieces.length < utf8("男孩去了操场。").length / 2, pieces.join("|"));
    assert.ok(mixed.merges.some((m) => textOf(mixed, m.id) === "😀"));
  });
});

Deno.test("the vocabulary grows by exactly one token per merge", async (t) => {
  const text = "the boy went to the playground; the girl went to the park. 男孩去了操场。";
  const full = trainBpe(text, 60);
  await t.step(
    "trainBpe(text, k) has 256 + k tokens, each new one = left bytes + right bytes",
    () => {
      for (let k = 0; k <= full.merges.length; k++) {
        const bpe = trainBpe(text, k);
        assert.equal(bpe.vocabularySize, BYTE_TOKENS + k);
        assert.equal(bpe.merges.length, k);
        bpe.merges.forEach((m, j) => {
          assert.equal(m.id, BYTE_TOKENS + j);
          assert.deepEqual(
            bpe.tokenBytes(m.id),
            new Uint8Array([
              ...bpe.tokenBytes(m.pair[0]),
              ...bpe.tokenBytes(m.pair[1]),
            ]),
          );
        });
      }
    },
  );
  await t.step(
    "a shorter run is a prefix of a longer one, so withMerges(k) = trainBpe(text, k)",
    () => {
      for (const k of [0, 1, 7, 30]) {
        assert.deepEqual(full.withMerges(k).merges, trainBpe(text, k).merges);
      }
    },
  );
  await t.step("merge k shortens the encoded training text by exactly its count", () => {
    for (let k = 0; k < full.merges.length; k++) {
      const before = full.withMerges(k).encode(text).length;
      const after = full.withMerges(k + 1).encode(text).length;
      assert.equal(before - after, full.merges[k]!.count, `merge ${k}`);
    }
  });
});

Deno.test("BpeTokenizer on the Brown corpus", async (t) => {
  const { train, heldOut } = splitByFile(await brownFiles());
  const join = (files: typeof train) =>
    files.flatMap((f) => f.sentences.map((s) => s.join(" "))).join("\n");
  // A sample: the first 100 training files (about a fifth of the training text).
  const sample = join(train.slice(0, 100));
  const heldOutText = join(heldOut);
  const start = performance.now();
  const bpe = trainBpe(sample, 300);
  const seconds = (performance.now() - start) / 1000;

  await t.step(
    `300 merges on ${sample.length.toLocaleString("en")} characters train in seconds`,
    () => {
      console.log(`    trainBpe: 300 merges in ${seconds.toFixed(2)} s`);
      assert.equal(bpe.vocabularySize, 556);
      assert.ok(seconds < 10, `${seconds} s`);
    },
  );
  await t.step(
    'the first merges are " t", "he", " a", "in", " the" with their counts (checked in Python)',
    () => {
      // Counted independently by a naive BPE in Python (the `regex` module with GPT-2's pattern,
      // reading the corpus files itself): on this sample " t" 29,352, "he" 23,153, " a" 22,221,
      // "in" 17,385, " the" 15,167; on all training files the same order (133,315 … 68,345).
      assert.deepEqual(bpe.merges.slice(0, 5).map((m) => [textOf(bpe, m.id), m.count]), [
        [" t", 29_352],
        ["he", 23_153],
        [" a", 22_221],
        ["in", 17_385],
        [" the", 15_167],
      ]);
    },
  );
  await t.step(
    "held-out text: fewer tokens per word with more merges, and exact round trip",
    () => {
      const words = heldOut.reduce((n, f) => n + f.sentences.reduce((m, s) => m + s.length, 0), 0);
      const perWord = [0, 100, 300].map((k) =>
        bpe.withMerges(k).encode(heldOutText).length / words
      );
      assert.ok(perWord[0]! > perWord[1]! && perWord[1]! > perWord[2]!, String(perWord));
      assert.ok(perWord[2]! < 2.6, String(perWord));
      const paragraph = heldOutText.slice(0, 5000);
      assert.equal(bpe.decode(bpe.encode(paragraph)), paragraph);
    },
  );
});

Deno.test("BpeTokenizer checks its input and never mutates it", async (t) => {
  const bpe = trainBpe("aaabdaaabac", 3);
  await t.step("merges must be an integer >= 0", () => {
    for (const bad of [-1, 1.5, NaN, Infinity]) {
      assert.throws(() => trainBpe("abc", bad), {
        name: "RangeError",
        message: `\`merges\` must be an integer in [0, 32512], got ${bad}`,
      });
    }
    assert.throws(() => trainBpe("abc", "3" as unknown as number), {
      name: "TypeError",
      message: '`merges` must be a number, got "3"',
    });
  });
  await t.step("a lone surrogate is a RangeError with its index", () => {
    for (const f of [() => trainBpe("ab\uD83D", 3), () => bpe.encode("ab\uD83D")]) {
      assert.throws(f, {
        name: "RangeError",
        message:
          "`text` must be well-formed UTF-16 (no lone surrogate), got a lone surrogate at index 2",
      });
    }
  });
  await t.step("decode names the bad id", () => {
    assert.throws(() => bpe.decode([97, 259]), {
      name: "RangeError",
      message: "`ids[1]` must be an integer in [0, 258], got 259",
    });
    assert.throws(() => bpe.decode([0.5]), { name: "RangeError", message: /`ids\[0\]`/ });
    assert.throws(() => bpe.tokenBytes(-1), { name: "RangeError", message: /`id`/ });
  });
  await t.step("withMerges(k) needs 0 <= k <= merges", () => {
    assert.throws(() => bpe.withMerges(4), {
      name: "RangeError",
      message: "`merges` must be an integer in [0, 3], got 4",
    });
  });
  await t.step("the constructor rejects inconsistent merges", () => {
    const bad: Merge[][] = [
      [{ pair: [97, 97], id: 257, count: 0 }],
      [{ pair: [97, 256], id: 256, count: 0 }],
      [{ pair: [97, 97], id: 256, count: 0 }, { pair: [97, 97], id: 257, count: 0 }],
    ];
    const messages = [
      "`merges[0].id` must be 256, got 257",
      "`merges[0].pair[1]` must be an integer in [0, 255], got 256",
      "`merges[1].pair` must be new, got [97, 97], already merge 0",
    ];
    bad.forEach((merges, i) =>
      assert.throws(() => new BpeTokenizer(merges), { name: "RangeError", message: messages[i] })
    );
  });
  await t.step("frozen inputs work and stay as they were", () => {
    const ids = Object.freeze([258, 100, 258, 97, 99]);
    assert.equal(bpe.decode(ids), "aaabdaaabac");
    const merges = Object.freeze(bpe.merges.map((m) => Object.freeze({ ...m })));
    assert.deepEqual(new BpeTokenizer(merges).encode("aaab"), [258]);
    const bytes = bpe.tokenBytes(258);
    bytes[0] = 0;
    assert.equal(textOf(bpe, 258), "aaab", "tokenBytes returns a copy");
  });
  await t.step("the merges it returns cannot be changed", () => {
    assert.ok(Object.isFrozen(bpe.merges) && Object.isFrozen(bpe.merges[0]));
  });
});
