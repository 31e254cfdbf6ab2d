/**
 * Checks for the exercises of notebook 07 (tokens): the steps of byte-pair encoding on one chunk
 * of text, namely counting adjacent pairs, choosing the most frequent pair with the tie rule,
 * replacing a pair by a new token, learning merges, and encoding with learned merges. Reference
 * values come from lib/text/bpe.ts (`trainBpe`, `BpeTokenizer`) where a text is one chunk, and are
 * written out where the inputs are token ids.
 *
 * @module
 */

import { BpeTokenizer, preTokenize, trainBpe } from "../text/bpe.ts";
import { closeAll, describe, frozen, passed, run, wrong } from "./_check.ts";

/** The UTF-8 bytes of a text, as the token ids BPE starts from. */
function bytes(text: string): number[] {
  return Array.from(new TextEncoder().encode(text));
}

/** A text as a message shows its bytes. */
function shownBytes(text: string): string {
  return `bytes(${JSON.stringify(text)})`;
}

/** Throws when a text is not a single pre-tokenization chunk (a mistake in a check, not the learner's). */
function oneChunk(text: string): void {
  if (preTokenize(text).length !== 1) {
    throw new Error(`lib/exercises: ${JSON.stringify(text)} is not one chunk`);
  }
}

/** Whether a value is a Map with exactly the expected entries. */
function sameCounts(actual: unknown, expected: ReadonlyMap<string, number>): boolean {
  if (!(actual instanceof Map) || actual.size !== expected.size) return false;
  for (const [key, count] of expected) if (actual.get(key) !== count) return false;
  return true;
}

/** Whether a value is an array of the expected integers. */
function sameIds(actual: unknown, expected: readonly number[]): boolean {
  return Array.isArray(actual) && closeAll(actual, expected, 0);
}

/**
 * Checks `countPairs(ids)`: how often each pair of adjacent tokens occurs, as a Map from
 * `"left,right"` to the count, overlapping occurrences included.
 *
 * Formula: count(a, b) = the number of positions i with ids[i] = a and ids[i + 1] = b, as
 * `trainBpe` counts them (lib/text/bpe.ts; the most frequent count of the BPE example is checked
 * against its first merge). Inputs: three ids, "aaa" (overlapping pairs), the bytes of
 * "aaabdaaabac", one id, none.
 *
 * @param countPairs The learner's function.
 * @returns A one-line success message.
 * @throws {CheckFailed} On the first input where the Map is wrong, with a hint.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkCountPairs } from "./tokens.ts";
 *
 * assert.throws(() => checkCountPairs(() => new Map()), (e: Error) => e.message.includes('Map { "1,2": 1, "2,3": 1 }'));
 * ```
 */
export function checkCountPairs(
  countPairs: (ids: number[]) => ReadonlyMap<string, number>,
): string {
  const wiki = bytes("aaabdaaabac");
  if (trainBpe("aaabdaaabac", 1).merges[0]?.count !== 4) {
    throw new Error("lib/exercises: BPE example");
  }
  const cases: [number[], string, [string, number][], string][] = [
    [[1, 2, 3], "[1, 2, 3]", [["1,2", 1], ["2,3", 1]], "two pairs of neighbours"],
    [
      [97, 97, 97],
      "[97, 97, 97]",
      [["97,97", 2]],
      '"aaa" holds the pair "aa" at positions 0 and 1: overlapping pairs both count',
    ],
    [
      wiki,
      shownBytes("aaabdaaabac"),
      [["97,97", 4], ["97,98", 2], ["98,100", 1], ["100,97", 1], ["98,97", 1], ["97,99", 1]],
      'the BPE example: "aa" 4 times, "ab" twice',
    ],
    [[5], "[5]", [], "one token has no neighbour"],
    [[], "[]", [], "no tokens, no pairs"],
  ];
  for (const [ids, shown, entries, why] of cases) {
    const expected = new Map(entries);
    const call = `countPairs(${shown})`;
    const actual = run(call, () => countPairs(frozen(ids)));
    if (!sameCounts(actual, expected)) {
      throw wrong(call, expected, actual, {
        why,
        mistakes: [
          {
            matches: (x) =>
              x instanceof Map && [...x.keys()].some((k) => !/^\d+,\d+$/.test(String(k))),
            hint: 'key each pair as "left,right", e.g. `${ids[i]},${ids[i + 1]}`',
          },
          {
            matches: (x) => {
              const everyOther = new Map<string, number>();
              for (let i = 0; i + 1 < ids.length; i += 2) {
                const key = `${ids[i]},${ids[i + 1]}`;
                everyOther.set(key, (everyOther.get(key) ?? 0) + 1);
              }
              return sameCounts(x, everyOther);
            },
            hint: "count at every position: the second token of a pair also starts the next pair",
          },
        ],
      });
    }
  }
  return passed("countPairs", "right on 5 inputs, including overlapping pairs");
}

/**
 * Checks `mostFrequentPair(ids)`: the most frequent adjacent pair, the smaller left id first on a
 * tie and then the smaller right id (the tie rule of lib/text/bpe.ts), or `undefined` when there
 * is no pair.
 *
 * Formula: argmax over pairs of count(a, b), ties broken by (a, b) ascending. The first two
 * inputs are the first two merges `trainBpe("aaabdaaabac", 2)` learns. Inputs: the BPE example
 * before and after its first merge (a tie), a clear winner, all pairs once, one id.
 *
 * @param mostFrequentPair The learner's function.
 * @returns A one-line success message.
 * @throws {CheckFailed} On the first input where the pair is wrong, with a hint.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkMostFrequentPair } from "./tokens.ts";
 *
 * assert.throws(() => checkMostFrequentPair(() => undefined), (e: Error) => e.message.includes("should be [97, 97]"));
 * ```
 */
export function checkMostFrequentPair(
  mostFrequentPair: (ids: number[]) => readonly [number, number] | undefined,
): string {
  const learned = trainBpe("aaabdaaabac", 2).merges.map((m) => [...m.pair]);
  const afterOne = [256, 97, 98, 100, 256, 97, 98, 97, 99];
  const cases: [number[], string, [number, number] | undefined, string][] = [
    [
      bytes("aaabdaaabac"),
      shownBytes("aaabdaaabac"),
      learned[0] as [number, number],
      '"aa" occurs 4 times',
    ],
    [
      afterOne,
      describe(afterOne),
      learned[1] as [number, number],
      "(256, 97) and (97, 98) both occur twice: the smaller left id wins",
    ],
    [[3, 1, 3, 1], "[3, 1, 3, 1]", [3, 1], "(3, 1) occurs twice, (1, 3) once"],
    [
      [1, 3, 1, 2],
      "[1, 3, 1, 2]",
      [1, 2],
      "every pair occurs once: the smallest left id, then the smallest right id",
    ],
    [[7], "[7]", undefined, "one token: no pair at all"],
  ];
  for (const [ids, shown, expected, why] of cases) {
    const call = `mostFrequentPair(${shown})`;
    const actual = run(call, () => mostFrequentPair(frozen(ids)));
    const right = expected === undefined ? actual === undefined : sameIds(actual, expected);
    if (!right) {
      throw wrong(call, expected, actual, {
        why,
        mistakes: [{
          matches: (x) => expected !== undefined && Array.isArray(x) && x.length === 2,
          hint:
            "on a tie take the smaller left id, then the smaller right id, so that training is deterministic",
        }],
      });
    }
  }
  return passed("mostFrequentPair", "right on 5 inputs, including two ties and no pair");
}

/**
 * Checks `mergePair(ids, pair, newId)`: every occurrence of the pair, scanned left to right
 * without overlap, replaced by `newId`, as a new array (the input is frozen).
 *
 * Formula: as `mergePair` inside lib/text/bpe.ts; for the BPE example the reference is
 * `new BpeTokenizer([merge]).encode(text)`. Inputs: two occurrences, "aaaa", "aaa" (the third a
 * stays), a pair that does not occur, and the BPE example.
 *
 * @param mergePair The learner's function.
 * @returns A one-line success message.
 * @throws {CheckFailed} On the first input where the ids are wrong, with a hint.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkMergePair } from "./tokens.ts";
 *
 * assert.throws(() => checkMergePair((ids) => ids), (e: Error) => e.message.includes("should be [9, 9]"));
 * ```
 */
export function checkMergePair(
  mergePair: (ids: number[], pair: [number, number], newId: number) => number[],
): string {
  const wiki = new BpeTokenizer([{ pair: [97, 97], id: 256, count: 0 }]).encode("aaabdaaabac");
  const cases: [number[], string, [number, number], number, number[], string][] = [
    [[1, 2, 1, 2], "[1, 2, 1, 2]", [1, 2], 9, [9, 9], "(1, 2) occurs twice"],
    [[97, 97, 97, 97], "[97, 97, 97, 97]", [97, 97], 256, [256, 256], '"aaaa" is "aa" twice'],
    [
      [97, 97, 97],
      "[97, 97, 97]",
      [97, 97],
      256,
      [256, 97],
      "left to right without overlap: the first two merge, the third stays",
    ],
    [[1, 2], "[1, 2]", [2, 1], 9, [1, 2], "(2, 1) does not occur: nothing changes"],
    [
      bytes("aaabdaaabac"),
      shownBytes("aaabdaaabac"),
      [97, 97],
      256,
      wiki,
      'the BPE example\'s first merge, "aa"',
    ],
  ];
  for (const [ids, shown, pair, newId, expected, why] of cases) {
    const call = `mergePair(${shown}, [${pair.join(", ")}], ${newId})`;
    const actual = run(call, () => mergePair(frozen(ids), frozen(pair), newId));
    if (!sameIds(actual, expected)) {
      throw wrong(call, expected, actual, {
        why,
        mistakes: [{
          matches: (x) => {
            const overlapping: number[] = [];
            for (let i = 0; i < ids.length; i++) {
              const starts = ids[i] === pair[0] && ids[i + 1] === pair[1];
              overlapping.push(starts ? newId : ids[i]!);
            }
            return !sameIds(expected, overlapping) && sameIds(x, overlapping);
          },
          hint:
            "after replacing a pair, continue after its second token: both of its tokens are used up",
        }],
      });
    }
  }
  return passed("mergePair", 'right on 5 inputs, including "aaa" and a pair that does not occur');
}

/**
 * Checks `learnMerges(ids, merges)`: BPE training on one chunk, the merged pairs in the order they
 * were learned (merge k creates token 256 + k), stopping early when no pair is left.
 *
 * Formula: repeat `merges` times: take the most frequent pair (tie rule as above), replace it by
 * 256 + k. The reference is `trainBpe(text, merges).merges` (lib/text/bpe.ts) on texts that are
 * one chunk. Inputs: "aaabdaaabac", "abababab", "mississippi", "a" (nothing to merge), "aaaa"
 * (stops after 2 merges), and 男孩男孩男孩 (bytes of Chinese characters).
 *
 * @param learnMerges The learner's function.
 * @returns A one-line success message.
 * @throws {CheckFailed} On the first input where the merges differ, with a hint.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkLearnMerges } from "./tokens.ts";
 *
 * assert.throws(() => checkLearnMerges(() => []), (e: Error) => e.message.includes("[[97, 97], [97, 98], [256, 257]]"));
 * ```
 */
export function checkLearnMerges(
  learnMerges: (ids: number[], merges: number) => readonly (readonly [number, number])[],
): string {
  const cases: [string, number, string][] = [
    ["aaabdaaabac", 3, "the BPE example: aa, then ab, then aa + ab"],
    ["abababab", 3, "ab, then abab, then abababab"],
    ["mississippi", 4, "several ties, broken by the smaller left id"],
    ["a", 2, "one byte: no pair to merge, so no merges"],
    ["aaaa", 5, "after 2 merges one token is left: stop early"],
    ["男孩男孩男孩", 3, "a Chinese character is 3 bytes; its bytes merge like letters"],
  ];
  for (const [text, merges, why] of cases) {
    oneChunk(text);
    const expected = trainBpe(text, merges).merges.map((m) => [...m.pair]);
    const call = `learnMerges(${shownBytes(text)}, ${merges})`;
    const actual = run(call, () => learnMerges(frozen(bytes(text)), merges));
    const right = Array.isArray(actual) && actual.length === expected.length &&
      expected.every((pair, k) => sameIds(actual[k], pair));
    if (!right) {
      throw wrong(call, expected, actual, {
        why,
        hint:
          "repeat: find the most frequent pair (exercise 2), replace it by the next new id, 256, 257, … (exercise 3)",
        mistakes: [{
          matches: (x) => Array.isArray(x) && x.length === merges && expected.length < merges,
          hint: "stop when no pair of tokens is left",
        }],
      });
    }
  }
  return passed(
    "learnMerges",
    "the same merges as lib's trainBpe on 6 texts, including early stops",
  );
}

/**
 * Checks `encodeWithMerges(ids, merges)`: a chunk's bytes encoded with learned merges, applied in
 * the order they were learned (merge k gives token 256 + k).
 *
 * Formula: for k = 0, 1, …: ids = mergePair(ids, merges[k], 256 + k). The reference is
 * `new BpeTokenizer(merges).encode(text)` (lib/text/bpe.ts), which replays the merges the same
 * way. Inputs: the BPE example, a text the merges never apply to in that order, two merges whose
 * order matters, Chinese characters, and no bytes.
 *
 * @param encodeWithMerges The learner's function.
 * @returns A one-line success message.
 * @throws {CheckFailed} On the first input where the ids are wrong, with a hint.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { checkEncodeWithMerges } from "./tokens.ts";
 *
 * assert.throws(() => checkEncodeWithMerges((ids) => ids), (e: Error) => e.message.includes("should be [258, 100, 258, 97, 99]"));
 * ```
 */
export function checkEncodeWithMerges(
  encodeWithMerges: (ids: number[], merges: [number, number][]) => number[],
): string {
  const wikiMerges = trainBpe("aaabdaaabac", 3).merges.map((m) => [...m.pair] as [number, number]);
  const chinese = trainBpe("男孩男孩男孩", 3).merges.map((m) => [...m.pair] as [number, number]);
  const cases: [string, [number, number][], string][] = [
    ["aaabdaaabac", wikiMerges, "the BPE example becomes X d X a c, with X = aaab"],
    ["ba", [[97, 98]], "the merge (a, b) never applies to b a"],
    ["abc", [[98, 99], [97, 98]], "bc is merged first; after that a is no longer next to b"],
    ["男孩男", chinese, "two learned characters, then one that is 3 tokens again"],
    ["", wikiMerges, "no bytes, no tokens"],
  ];
  for (const [text, merges, why] of cases) {
    if (text !== "") oneChunk(text);
    const tokenizer = new BpeTokenizer(merges.map((pair, k) => ({ pair, id: 256 + k, count: 0 })));
    const expected = tokenizer.encode(text);
    const call = `encodeWithMerges(${shownBytes(text)}, ${describe(merges)})`;
    const actual = run(call, () => encodeWithMerges(frozen(bytes(text)), frozen(merges)));
    if (!sameIds(actual, expected)) {
      throw wrong(call, expected, actual, {
        why,
        hint:
          "apply the merges one after the other, in the order they were learned, merge k giving id 256 + k",
      });
    }
  }
  return passed("encodeWithMerges", "the same ids as lib's BpeTokenizer on 5 texts");
}
