import assert from "node:assert/strict";
import fc from "fast-check";
import {
  checkText,
  ENCODING_NAMES,
  loadEncoding,
  tokenPieces,
  visibleToken,
} from "../../lib/text/tokenizers.ts";
import { trainBpe } from "../../lib/text/bpe.ts";

// Every id below was checked independently with OpenAI's tiktoken 0.14.0 (PyPI; its Rust core)
// loading the rank files shipped in the npm package `tiktoken` 1.0.22, a different package from
// gpt-tokenizer: `tiktoken.Encoding(...).encode_ordinary(text)` gave the same lists.
const gpt2 = await loadEncoding("r50k_base");
const o200k = await loadEncoding("o200k_base");
const hex = (bytes: Uint8Array) => [...bytes].map((b) => b.toString(16).padStart(2, "0")).join(" ");

Deno.test("loadEncoding() loads OpenAI's vocabularies from gpt-tokenizer", async (t) => {
  await t.step("vocabulary sizes as the package reports them", () => {
    // r50k_base: 50,256 merged tokens + <|endoftext|> (tiktoken's n_vocab is 50,257 too).
    assert.equal(gpt2.vocabularySize, 50_257);
    // o200k_base: 199,998 merged tokens + 8 special tokens in gpt-tokenizer. tiktoken has the
    // same 199,998 merged tokens but 2 special tokens, the last at id 200,018 (n_vocab 200,019).
    assert.equal(o200k.vocabularySize, 200_006);
    assert.deepEqual([gpt2.name, o200k.name], ["r50k_base", "o200k_base"]);
  });
  await t.step('"The boy went to the playground." in r50k_base and o200k_base', () => {
    const sentence = "The boy went to the playground.";
    assert.deepEqual(gpt2.encode(sentence), [464, 2933, 1816, 284, 262, 24817, 13]);
    assert.deepEqual(o200k.encode(sentence), [976, 8473, 5981, 316, 290, 56017, 13]);
  });
  await t.step("the article's candidates: capitalised alone, and lowercase after a space", () => {
    const words = ["Cafe", "Hospital", "Playground", "Park", "School"];
    assert.deepEqual(words.map((w) => gpt2.encode(w)), [
      [34, 8635],
      [39, 3531],
      [11002, 2833],
      [25478],
      [26130],
    ]);
    assert.deepEqual(words.map((w) => o200k.encode(w)), [
      [153216],
      [84226],
      [10245, 3033],
      [34704],
      [35573],
    ]);
    const spaced = words.map((w) => " " + w.toLowerCase());
    assert.deepEqual(spaced.map((w) => gpt2.encode(w)), [[26725], [4436], [24817], [3952], [1524]]);
    assert.deepEqual(spaced.map((w) => o200k.encode(w)), [
      [50672],
      [10824],
      [56017],
      [11796],
      [3474],
    ]);
    assert.deepEqual(gpt2.encode(" Playground"), [3811, 2833]);
    assert.deepEqual(o200k.encode(" Playground"), [144017]);
  });
  await t.step('"男孩去了操场。": 14 byte-level tokens in r50k_base, 6 in o200k_base', () => {
    const ids = gpt2.encode("男孩去了操场。");
    assert.deepEqual(ids, [
      18796,
      115,
      27764,
      102,
      43889,
      119,
      12859,
      228,
      162,
      241,
      235,
      28839,
      118,
      16764,
    ]);
    assert.deepEqual(ids.map((id) => hex(gpt2.tokenBytes(id))), [
      "e7 94",
      "b7",
      "e5 ad",
      "a9",
      "e5 8e",
      "bb",
      "e4 ba",
      "86",
      "e6",
      "93",
      "8d",
      "e5 9c",
      "ba",
      "e3 80 82",
    ]);
    assert.deepEqual(o200k.encode("男孩去了操场。"), [11614, 41201, 163196, 21297, 10040, 788]);
    assert.equal(o200k.decode([163196]), "去了");
  });
  await t.step("special tokens are plain text when encoding, and have bytes when decoding", () => {
    assert.deepEqual(gpt2.encode("<|endoftext|>"), [27, 91, 437, 1659, 5239, 91, 29]);
    assert.deepEqual(o200k.encode("<|endoftext|>"), [27, 91, 419, 1440, 919, 91, 29]);
    assert.equal(gpt2.decode([50256]), "<|endoftext|>");
    assert.equal(o200k.decode([199999]), "<|endoftext|>");
  });
  await t.step("all four encodings load and agree on a round trip", async () => {
    for (const name of ENCODING_NAMES) {
      const tokenizer = await loadEncoding(name);
      const text = "Tokens: 词元 and 分词! 👨‍👩‍👧";
      assert.equal(tokenizer.decode(tokenizer.encode(text)), text, name);
      assert.ok(tokenizer.vocabularySize > 50_000, name);
    }
  });
});

Deno.test("decode(encode(s)) === s for any string (fast-check, 1,000 per encoding)", () => {
  const text = fc.oneof(
    fc.string({ unit: "binary", maxLength: 40 }),
    fc.string({ unit: "grapheme", maxLength: 20 }),
    fc.string({
      unit: fc.oneof(
        fc.integer({ min: 0x4e00, max: 0x9fff }).map((c) => String.fromCodePoint(c)),
        fc.integer({ min: 0x1f300, max: 0x1faff }).map((c) => String.fromCodePoint(c)),
        fc.constantFrom(" ", "\n", "<|endoftext|>", "the", " playground", "。"),
      ),
      maxLength: 20,
    }),
  );
  for (const tokenizer of [gpt2, o200k]) {
    fc.assert(
      fc.property(text, (s) => tokenizer.decode(tokenizer.encode(s)) === s),
      { numRuns: 1000 },
    );
  }
});

Deno.test("visibleToken() shows spaces and partial characters", async (t) => {
  const utf8 = (s: string) => new TextEncoder().encode(s);
  await t.step("space, newline and tab become ␣ ↵ ⇥", () => {
    assert.equal(visibleToken(utf8(" playground")), "␣playground");
    assert.equal(visibleToken(utf8("\n\t ")), "↵⇥␣");
  });
  await t.step("bytes that are part of a character are hex in angle brackets", () => {
    // r50k_base splits " 😀" (20 f0 9f 98 80) into " \xf0\x9f\x98" and "\x80".
    const ids = gpt2.encode("Hello, 世界! 😀");
    assert.deepEqual(ids, [15496, 11, 220, 10310, 244, 45911, 234, 0, 30325, 222]);
    assert.deepEqual(ids.map((id) => visibleToken(gpt2.tokenBytes(id))), [
      "Hello",
      ",",
      "␣",
      "<e4 b8>",
      "<96>",
      "<e7 95>",
      "<8c>",
      "!",
      "␣<f0 9f 98>",
      "<80>",
    ]);
    assert.equal(visibleToken(Uint8Array.of(0xff, 0x41)), "<ff>A");
    assert.equal(visibleToken(Uint8Array.of(0xed, 0xa0, 0x80)), "<ed a0 80>", "no surrogates");
  });
  await t.step("a non-Uint8Array is a TypeError naming `bytes`", () => {
    assert.throws(() => visibleToken([32] as unknown as Uint8Array), {
      name: "TypeError",
      message: "`bytes` must be a Uint8Array, got [32]",
    });
  });
});

Deno.test("tokenPieces() pairs each id with its bytes and visible text", async (t) => {
  await t.step("GPT-2 on the article's sentence", () => {
    const pieces = tokenPieces(gpt2, "The boy went to the playground.");
    assert.deepEqual(pieces.map((p) => p.text), [
      "The",
      "␣boy",
      "␣went",
      "␣to",
      "␣the",
      "␣playground",
      ".",
    ]);
    assert.deepEqual(pieces.map((p) => p.id), [464, 2933, 1816, 284, 262, 24817, 13]);
  });
  await t.step("the pieces' bytes, concatenated, are the text's UTF-8 (fast-check)", () => {
    const bpe = trainBpe("男孩去了操场。The boy went to the playground. 😀😀", 40);
    for (const tokenizer of [gpt2, o200k, bpe]) {
      fc.assert(
        fc.property(fc.string({ unit: "binary", maxLength: 30 }), (s) => {
          const bytes = tokenPieces(tokenizer, s).flatMap((p) => [...p.bytes]);
          assert.deepEqual(bytes, [...new TextEncoder().encode(s)]);
        }),
        { numRuns: 300 },
      );
    }
  });
});

Deno.test("the tokenizers check their input", async (t) => {
  await t.step("an unknown encoding name", async () => {
    await assert.rejects(() => loadEncoding("gpt5_base"), {
      name: "RangeError",
      message:
        '`name` must be one of r50k_base, p50k_base, cl100k_base, o200k_base, got "gpt5_base"',
    });
  });
  await t.step("a lone surrogate", () => {
    for (const f of [() => gpt2.encode("😀\uDE00"), () => checkText("😀\uDE00", "text")]) {
      assert.throws(f, {
        name: "RangeError",
        message:
          "`text` must be well-formed UTF-16 (no lone surrogate), got a lone surrogate at index 2",
      });
    }
    assert.throws(() => checkText(5 as unknown as string, "sentence"), {
      name: "TypeError",
      message: "`sentence` must be a string, got 5",
    });
  });
  await t.step("ids that are not tokens", () => {
    assert.throws(() => gpt2.decode([464, 50257]), {
      name: "RangeError",
      message: "`ids[1]` must be a token id of r50k_base, got 50257",
    });
    // o200k_base leaves id 199,998 unused (the merged tokens end at 199,997).
    assert.throws(() => o200k.tokenBytes(199_998), {
      name: "RangeError",
      message: "`id` must be a token id of o200k_base, got 199998",
    });
    assert.throws(() => gpt2.tokenBytes(-1), { name: "RangeError" });
    assert.throws(() => gpt2.tokenBytes(1.5), { name: "RangeError" });
    assert.throws(() => gpt2.decode(["a"] as unknown as number[]), {
      name: "TypeError",
      message: '`ids[0]` must be a number, got "a"',
    });
  });
  await t.step("frozen ids decode and stay as they were", () => {
    const ids = Object.freeze([464, 2933]);
    assert.equal(gpt2.decode(ids), "The boy");
  });
});
