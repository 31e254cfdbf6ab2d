/**
 * Rules against repetition, applied to logits before temperature: the CTRL repetition penalty
 * and the no-repeat-n-gram ban.
 *
 * Both look at the ids of the tokens already generated (`previousIds`), in the same index space as
 * the logits. An id >= `logits.length` stands for a token that is not among the current candidates
 * (a count model lists only the words it saw after the context): it is never penalised or banned,
 * but it still takes part in matching n-grams.
 *
 * @module
 */

import { checkInteger, checkLogits, checkNumber, checkNumbers } from "../_validate.ts";

/**
 * Checks the history of generated token ids: an array-like of integers >= 0 (may be empty).
 *
 * @param previousIds The input.
 * @throws {TypeError} When not array-like or an entry is not a number.
 * @throws {RangeError} When an entry is not an integer >= 0.
 */
export function checkPreviousIds(previousIds: ArrayLike<number>): void {
  const length = checkNumbers(previousIds, "previousIds", true);
  for (let i = 0; i < length; i++) checkInteger(previousIds[i], `previousIds[${i}]`, { min: 0 });
}

/**
 * Checks a repetition penalty: a finite number > 0 (1 changes nothing, > 1 discourages repeats).
 *
 * @param penalty The input.
 * @param name The parameter name for messages.
 * @throws {TypeError} When not a number.
 * @throws {RangeError} When not finite and > 0.
 */
export function checkRepetitionPenalty(penalty: number, name = "penalty"): void {
  checkNumber(penalty, name, { min: 0, minExclusive: true, finite: true });
}

/**
 * Checks the n of the no-repeat-n-gram rule: an integer >= 1.
 *
 * @param n The input.
 * @param name The parameter name for messages.
 * @throws {TypeError} When not a number.
 * @throws {RangeError} When not an integer >= 1.
 */
export function checkNGramSize(n: number, name = "n"): void {
  checkInteger(n, name, { min: 1 });
}

/**
 * The repetition penalty of the CTRL paper (Keskar et al. 2019), as Hugging Face applies it: every
 * token that already occurred gets its logit pushed down, once however often it occurred.
 *
 * Formula: for each distinct id i in `previousIds` with i < n: x_i ← x_i / θ when x_i > 0, and
 * x_i ← x_i · θ when x_i < 0 (0 and `-Infinity` stay). θ = 1 changes nothing, θ > 1 discourages
 * repeats (CTRL used 1.2), θ < 1 encourages them. Unlike temperature the rule is not shift
 * invariant: the same θ moves a logit of −0.9 less than one of −9, so with logits ln p (all <= 0)
 * it hits unlikely tokens hardest. Runs in O(n + previousIds.length).
 *
 * @param logits The scores of the next token; `-Infinity` marks a masked entry.
 * @param previousIds Ids of the tokens generated so far (integers >= 0; ids >= n are ignored).
 * @param penalty θ, a finite number > 0.
 * @returns New logits as a `Float64Array`.
 * @throws {TypeError} When an argument has the wrong type.
 * @throws {RangeError} Invalid logits (see softmax), a negative or fractional id, or θ not > 0.
 * @example
 * ```ts
 * import { repetitionPenalty } from "./penalties.ts";
 * import assert from "node:assert/strict";
 * // Token 0 (logit 2.4) and token 1 (logit −1) occurred; token 2 did not.
 * assert.deepEqual([...repetitionPenalty([2.4, -1, 3], [0, 1, 1], 1.2)], [2, -1.2, 3]);
 * ```
 */
export function repetitionPenalty(
  logits: ArrayLike<number>,
  previousIds: ArrayLike<number>,
  penalty: number,
): Float64Array {
  checkLogits(logits);
  checkPreviousIds(previousIds);
  checkRepetitionPenalty(penalty);
  const out = Float64Array.from(logits);
  const seen = new Set<number>();
  for (let k = 0; k < previousIds.length; k++) {
    const i = previousIds[k]!;
    if (i >= out.length || seen.has(i)) continue;
    seen.add(i);
    const x = out[i]!;
    if (x > 0) out[i] = x / penalty;
    else if (x < 0) out[i] = x * penalty;
  }
  return out;
}

/**
 * The no-repeat-n-gram rule (Paulus et al. 2017; Hugging Face's `no_repeat_ngram_size`): ban
 * every token that would complete an n-gram already present in the text.
 *
 * Formula: with h = `previousIds` (length L), let s = the last n − 1 ids of h. Token i is banned
 * (x_i ← −Infinity) when some position j <= L − n has h_j … h_{j+n−2} = s and h_{j+n−1} = i.
 * n = 1 bans every token that occurred; nothing is banned when no earlier n-gram starts with s
 * (always while L < n). Every token may end up banned (a model with few candidates): the result is
 * then all `-Infinity` and cannot be sampled from. Runs in O(L·n + size) for `size` logits.
 *
 * @param logits The scores of the next token; `-Infinity` marks a masked entry.
 * @param previousIds Ids of the tokens generated so far (integers >= 0; ids >= size still
 * match, but cannot be banned).
 * @param n The n-gram size, an integer >= 1.
 * @returns New logits as a `Float64Array`, `-Infinity` at the banned tokens.
 * @throws {TypeError} When an argument has the wrong type.
 * @throws {RangeError} Invalid logits (see softmax), a negative or fractional id, or n not an
 * integer >= 1.
 * @example
 * ```ts
 * import { noRepeatNGram } from "./penalties.ts";
 * import assert from "node:assert/strict";
 * // Text 0 1 2 0 1: the bigram "1 2" already follows "0 1", so with n = 3 token 2 is banned.
 * assert.deepEqual([...noRepeatNGram([0, 0, 0, 0], [0, 1, 2, 0, 1], 3)], [0, 0, -Infinity, 0]);
 * assert.deepEqual([...noRepeatNGram([5, 6, 7], [2, 0], 1)], [-Infinity, 6, -Infinity]);
 * ```
 */
export function noRepeatNGram(
  logits: ArrayLike<number>,
  previousIds: ArrayLike<number>,
  n: number,
): Float64Array {
  checkLogits(logits);
  checkPreviousIds(previousIds);
  checkNGramSize(n);
  const out = Float64Array.from(logits);
  const L = previousIds.length;
  const prefix = n - 1; // the n − 1 ids the next token would extend
  for (let j = 0; j + n <= L; j++) {
    let matches = true;
    for (let m = 0; m < prefix && matches; m++) {
      matches = previousIds[j + m] === previousIds[L - prefix + m];
    }
    const banned = previousIds[j + prefix]!;
    if (matches && banned < out.length) out[banned] = -Infinity;
  }
  return out;
}
