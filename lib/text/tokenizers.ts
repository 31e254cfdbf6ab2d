/**
 * Real tokenizers, offline: OpenAI's byte-level BPE vocabularies as shipped by the npm package
 * `gpt-tokenizer` 4.0.0 (installed with the project, never fetched at run time), behind one small
 * {@linkcode Tokenizer} interface that the course's own BPE (bpe.ts) shares, plus helpers that show
 * tokens as text a reader can see: a leading space as "␣", part of a character as its bytes.
 *
 * The vocabularies are large (GPT-2's r50k_base has 50,257 tokens, o200k_base about 200,000), so
 * {@linkcode loadEncoding} imports one only when asked: importing this module costs nothing.
 *
 * @module
 */

import { formatValue } from "../_validate.ts";

/** A tokenizer: text to token ids and back, and the bytes behind each id. */
export interface Tokenizer {
  /** Its name, e.g. `"r50k_base"` or `"BPE, 300 merges"`. */
  readonly name: string;
  /** The number of tokens in its vocabulary, as its maker reports it. */
  readonly vocabularySize: number;
  /** Token ids of a text (no special tokens: `"<|endoftext|>"` is encoded as plain text). */
  encode(text: string): number[];
  /** The text of token ids: their bytes, concatenated and read as UTF-8. */
  decode(ids: readonly number[]): string;
  /** The bytes one token stands for (a new array). */
  tokenBytes(id: number): Uint8Array;
}

/** The encodings {@linkcode loadEncoding} knows, oldest first. */
export const ENCODING_NAMES: readonly string[] = Object.freeze([
  "r50k_base", // GPT-2 and GPT-3
  "p50k_base", // Codex, text-davinci-002/003
  "cl100k_base", // GPT-3.5-turbo, GPT-4
  "o200k_base", // GPT-4o and later
]);

/**
 * Throws unless `text` is a string that UTF-8 can encode: no lone surrogate (half of a UTF-16 pair,
 * such as `"\uD83D"` alone), which has no bytes of its own.
 *
 * @param text The input.
 * @param name The parameter name for messages.
 * @throws {TypeError} When `text` is not a string.
 * @throws {RangeError} When `text` contains a lone surrogate; the message gives its index.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkText } from "./tokenizers.ts";
 *
 * checkText("男孩 😀", "text");
 * assert.throws(() => checkText("a\uD83D", "text"), /lone surrogate at index 1/);
 * ```
 */
export function checkText(text: string, name: string): void {
  if (typeof text !== "string") {
    throw new TypeError(`\`${name}\` must be a string, got ${formatValue(text)}`);
  }
  if (!text.isWellFormed()) {
    let index = 0;
    for (const c of text) {
      if (!c.isWellFormed()) break;
      index += c.length;
    }
    throw new RangeError(
      `\`${name}\` must be well-formed UTF-16 (no lone surrogate), got a lone surrogate at index ${index}`,
    );
  }
}

/** The raw pieces of one gpt-tokenizer encoding. */
interface EncodingModule {
  encode(text: string, options: { disallowedSpecial: Set<string> }): number[];
  decode(ids: Iterable<number>): string;
  vocabularySize: number;
}

/** Imports an encoding and its rank table (each import written out, so Deno can resolve it). */
async function importEncoding(
  name: string,
): Promise<{ api: EncodingModule; ranks: readonly (string | readonly number[])[] }> {
  switch (name) {
    case "r50k_base":
      return {
        api: await import("gpt-tokenizer/encoding/r50k_base"),
        ranks: (await import("gpt-tokenizer/bpeRanks/r50k_base")).default,
      };
    case "p50k_base":
      return {
        api: await import("gpt-tokenizer/encoding/p50k_base"),
        ranks: (await import("gpt-tokenizer/bpeRanks/p50k_base")).default,
      };
    case "cl100k_base":
      return {
        api: await import("gpt-tokenizer/encoding/cl100k_base"),
        ranks: (await import("gpt-tokenizer/bpeRanks/cl100k_base")).default,
      };
    case "o200k_base":
      return {
        api: await import("gpt-tokenizer/encoding/o200k_base"),
        ranks: (await import("gpt-tokenizer/bpeRanks/o200k_base")).default,
      };
    default:
      throw new RangeError(
        `\`name\` must be one of ${ENCODING_NAMES.join(", ")}, got ${formatValue(name)}`,
      );
  }
}

const UTF8 = new TextEncoder();

/**
 * Loads one of OpenAI's encodings from the installed package `gpt-tokenizer`.
 *
 * Formula: encode = the package's byte-level BPE with special tokens treated as plain text;
 * tokenBytes(id) = the bytes of the package's rank table entry `id` (or a special token's text);
 * decode(ids) = UTF-8 reading of the concatenated bytes, invalid sequences as U+FFFD "�" (the
 * same rule as {@linkcode BpeTokenizer.decode}). `vocabularySize` is the package's own count:
 * mergeable tokens plus its special tokens.
 *
 * Running cost: the first load of r50k_base takes about 50 ms, o200k_base about 0.3 s (its table
 * has 200,000 entries); encoding is linear in the text for ordinary words.
 *
 * @param name One of {@linkcode ENCODING_NAMES}: `"r50k_base"` (GPT-2), `"p50k_base"`,
 * `"cl100k_base"`, `"o200k_base"`.
 * @returns The tokenizer.
 * @throws {RangeError} When `name` is not a known encoding.
 *
 * @example GPT-2 reads " playground" as one token
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadEncoding } from "./tokenizers.ts";
 *
 * const gpt2 = await loadEncoding("r50k_base");
 * assert.equal(gpt2.vocabularySize, 50_257);
 * assert.deepEqual(gpt2.encode("The boy went to the playground."), [464, 2933, 1816, 284, 262, 24817, 13]);
 * assert.equal(gpt2.decode([24817]), " playground");
 * ```
 */
export async function loadEncoding(name: string): Promise<Tokenizer> {
  const { api, ranks } = await importEncoding(name);
  const tokenBytes = (id: number): Uint8Array => {
    if (typeof id !== "number") {
      throw new TypeError(`\`id\` must be a number, got ${formatValue(id)}`);
    }
    const entry = Number.isInteger(id) && id >= 0 ? ranks[id] : undefined;
    if (typeof entry === "string") return UTF8.encode(entry);
    if (entry !== undefined) return Uint8Array.from(entry);
    // Special tokens sit after the rank table; the package decodes them to their text (and
    // throws its own error for an id that is no token).
    if (Number.isInteger(id) && id >= ranks.length) {
      let special = "";
      try {
        special = api.decode([id]);
      } catch {
        special = "";
      }
      if (special !== "") return UTF8.encode(special);
    }
    throw new RangeError(`\`id\` must be a token id of ${name}, got ${formatValue(id)}`);
  };
  return Object.freeze({
    name,
    vocabularySize: api.vocabularySize,
    encode(text: string): number[] {
      checkText(text, "text");
      return api.encode(text, { disallowedSpecial: new Set() });
    },
    decode(ids: readonly number[]): string {
      if (!Array.isArray(ids)) {
        throw new TypeError(`\`ids\` must be an array of token ids, got ${formatValue(ids)}`);
      }
      const parts = ids.map((id, i) => {
        try {
          return tokenBytes(id);
        } catch (error) {
          const message = (error as Error).message.replace("`id`", `\`ids[${i}]\``);
          throw error instanceof TypeError ? new TypeError(message) : new RangeError(message);
        }
      });
      const bytes = new Uint8Array(parts.reduce((sum, p) => sum + p.length, 0));
      let at = 0;
      for (const p of parts) {
        bytes.set(p, at);
        at += p.length;
      }
      return new TextDecoder().decode(bytes);
    },
    tokenBytes,
  });
}

/** Length of the UTF-8 sequence a lead byte starts (0 for a byte that cannot start one). */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead < 0xe0) return 2;
  if (lead >= 0xe0 && lead < 0xf0) return 3;
  if (lead >= 0xf0 && lead < 0xf5) return 4;
  return 0;
}

/**
 * A token's bytes as text a reader can see: spaces as "␣", newlines as "↵", tabs as "⇥", and
 * bytes that are only part of a UTF-8 character as hex in angle brackets.
 *
 * Formula: read the bytes as UTF-8 from the left; each complete, valid character is shown (with
 * the three replacements above); each run of bytes that do not form a whole character is shown as
 * `<xx xx>`. Runs in O(bytes).
 *
 * @param bytes A token's bytes, e.g. from {@linkcode Tokenizer.tokenBytes}.
 * @returns The visible form.
 * @throws {TypeError} When `bytes` is not a Uint8Array.
 *
 * @example A word with its space, and the first two bytes of 男 (e7 94 b7)
 * ```ts
 * import assert from "node:assert/strict";
 * import { visibleToken } from "./tokenizers.ts";
 *
 * assert.equal(visibleToken(new TextEncoder().encode(" playground")), "␣playground");
 * assert.equal(visibleToken(Uint8Array.of(0xe7, 0x94)), "<e7 94>");
 * assert.equal(visibleToken(Uint8Array.of(0x20, 0xe7, 0x94, 0xb7)), "␣男");
 * ```
 */
export function visibleToken(bytes: Uint8Array): string {
  if (!(bytes instanceof Uint8Array)) {
    throw new TypeError(`\`bytes\` must be a Uint8Array, got ${formatValue(bytes)}`);
  }
  const strict = new TextDecoder("utf-8", { fatal: true });
  let out = "";
  let partial: string[] = [];
  const flush = () => {
    if (partial.length > 0) out += `<${partial.join(" ")}>`;
    partial = [];
  };
  let i = 0;
  while (i < bytes.length) {
    const n = sequenceLength(bytes[i]!);
    let char: string | undefined;
    if (n > 0 && i + n <= bytes.length) {
      try {
        char = strict.decode(bytes.subarray(i, i + n));
      } catch {
        char = undefined;
      }
    }
    if (char === undefined) {
      partial.push(bytes[i]!.toString(16).padStart(2, "0"));
      i += 1;
    } else {
      flush();
      out += char === " " ? "␣" : char === "\n" ? "↵" : char === "\t" ? "⇥" : char;
      i += n;
    }
  }
  flush();
  return out;
}

/** One token of an encoded text. */
export interface TokenPiece {
  /** The token id. */
  id: number;
  /** The bytes it stands for. */
  bytes: Uint8Array;
  /** Its visible form ({@linkcode visibleToken}), e.g. `"␣playground"`. */
  text: string;
}

/**
 * Encodes a text and returns each token with its id, bytes and visible form.
 *
 * Formula: for each id of `tokenizer.encode(text)`: `{ id, bytes: tokenizer.tokenBytes(id),
 * text: visibleToken(bytes) }`. The pieces' bytes, concatenated, are the text's UTF-8 bytes.
 *
 * @param tokenizer Any {@linkcode Tokenizer} (from {@linkcode loadEncoding} or a trained BPE).
 * @param text The text to encode.
 * @returns One piece per token, in order.
 * @throws {RangeError} When `text` has a lone surrogate (from the tokenizer's encode).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadEncoding, tokenPieces } from "./tokenizers.ts";
 *
 * const gpt2 = await loadEncoding("r50k_base");
 * const pieces = tokenPieces(gpt2, "to the playground");
 * assert.deepEqual(pieces.map((p) => p.text), ["to", "␣the", "␣playground"]);
 * assert.deepEqual(pieces.map((p) => p.id), [1462, 262, 24817]);
 * ```
 */
export function tokenPieces(tokenizer: Tokenizer, text: string): TokenPiece[] {
  return tokenizer.encode(text).map((id) => {
    const bytes = tokenizer.tokenBytes(id);
    return { id, bytes, text: visibleToken(bytes) };
  });
}
