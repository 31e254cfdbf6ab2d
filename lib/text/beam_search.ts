/**
 * Beam search (束搜索): instead of committing to the single most probable next word (greedy), keep
 * the B most probable partial texts ("beams") at every step, and return the best complete ones.
 * It finds texts that the model finds more probable than greedy's, which are often blander.
 *
 * @module
 */

import {
  checkFunction,
  checkInteger,
  checkObject,
  checkStrings,
  checkSumToOne,
  formatValue,
  MAX_LENGTH,
} from "../_validate.ts";
import { type Candidate, EOS } from "./tokens.ts";

/**
 * Anything that gives next-word probabilities after a context: every `LanguageModel` of
 * language_model.ts (the whole vocabulary) and `NGramModel` of ngram.ts (the words seen after the
 * context) fit.
 */
export interface NextWordModel {
  /**
   * The candidate next words after a context, with probabilities summing to 1.
   *
   * @param context The prompt and the words generated so far.
   */
  next(context: readonly string[]): readonly Candidate[];
}

/** Options of {@linkcode beamSearch}. */
export interface BeamSearchOptions {
  /** B, how many partial texts are kept at each step: an integer >= 1 (1 is greedy). */
  beamWidth: number;
  /** The most tokens a beam may generate (its `</s>` included): an integer >= 1. */
  maxTokens: number;
}

/** One text found by {@linkcode beamSearch}. */
export interface Beam {
  /** The generated tokens (without the context), ending with `</s>` when `finished`. */
  tokens: string[];
  /** Σ ln P(token | context, previous tokens) over `tokens`, exactly as summed in order. */
  logProbability: number;
  /** Whether the beam ended with `</s>` (otherwise it stopped at `maxTokens`). */
  finished: boolean;
}

/** The `width` most probable candidates (probability > 0), by probability, then list order. */
function bestCandidates(candidates: readonly Candidate[], width: number): Candidate[] {
  const best: Candidate[] = [];
  for (const c of candidates) {
    if (!(c.probability > 0)) continue;
    if (best.length === width && c.probability <= best[width - 1]!.probability) continue;
    let at = best.length;
    while (at > 0 && best[at - 1]!.probability < c.probability) at--;
    best.splice(at, 0, c);
    if (best.length > width) best.pop();
  }
  return best;
}

/** Checks one answer of `model.next`: candidates with a word and a probability, summing to 1. */
function checkCandidates(candidates: readonly Candidate[], context: readonly string[]): void {
  if (!Array.isArray(candidates)) {
    throw new TypeError(
      `\`model.next\` must return an array of { word, probability }, got ${
        formatValue(candidates)
      }`,
    );
  }
  let sum = 0;
  candidates.forEach((c, i) => {
    if (typeof c?.word !== "string" || typeof c.probability !== "number") {
      throw new TypeError(
        `\`model.next\` must return { word, probability } entries, got ${formatValue(c)} at ${i}`,
      );
    }
    if (!(c.probability >= 0 && c.probability <= 1)) {
      throw new RangeError(
        `\`model.next\` gave "${c.word}" the probability ${
          formatValue(c.probability)
        }, outside [0, 1]`,
      );
    }
    sum += c.probability;
  });
  if (candidates.length > 0) {
    checkSumToOne(sum, `the probabilities of \`model.next(${formatValue(context.slice(-3))})\``);
  }
}

/**
 * Beam search: the B most probable continuations of a context under a model, each ending at
 * `</s>` or after `maxTokens` tokens, with their exact log-probabilities.
 *
 * Formula: start from one empty beam with score 0. At each step, every unfinished beam y is
 * extended by each of its B most probable next words w, with score s(y) + ln P(w | context, y); a
 * beam that ends with `</s>` is finished and is carried over unchanged. Of all these, the B with
 * the highest scores are kept (ties: the earlier beam, then the model's list order). The search
 * stops when all kept beams are finished or after `maxTokens` steps. Scores are sums of log
 * probabilities with no length normalisation, so a short finished sentence beats a long one of
 * the same per-word probability. B = 1 is greedy decoding up to the first `</s>`. Words with
 * probability 0 are never chosen, and a beam after which `next` offers no word is dropped. Runs in O(maxTokens · B · (cost of `next` + V·B)) for V
 * candidates.
 *
 * @param model Gives `next(context)`: the candidate next words with probabilities summing to 1.
 * The context passed is `context` followed by the beam's tokens.
 * @param context The prompt (words; not part of the result).
 * @param options `beamWidth` B and `maxTokens`.
 * @returns The kept beams, most probable first (up to B of them: fewer when the model offers
 * fewer continuations).
 * @throws {TypeError} When an argument has the wrong type, or `model.next` returns something that
 * is not a list of `{ word, probability }`.
 * @throws {RangeError} When `beamWidth` or `maxTokens` is not an integer >= 1, a probability of
 * `model.next` is outside [0, 1] or they do not sum to 1, or no beam can be continued (a context
 * the model never saw: start from a prompt taken from its training text).
 * @example Beam search finds the more probable sentence that greedy misses
 * ```ts
 * import assert from "node:assert/strict";
 * import { beamSearch } from "./beam_search.ts";
 * import { EOS } from "./tokens.ts";
 *
 * // First word: "a" 0.6 or "b" 0.4. After "a": three words at 0.35, 0.35, 0.3; after "b": </s> 0.9.
 * const model = {
 *   next: (context: readonly string[]) =>
 *     context.length === 0
 *       ? [{ word: "a", probability: 0.6 }, { word: "b", probability: 0.4 }]
 *       : context.at(-1) === "b"
 *       ? [{ word: EOS, probability: 0.9 }, { word: "b", probability: 0.1 }]
 *       : context.at(-1) === "a"
 *       ? [{ word: "x", probability: 0.35 }, { word: "y", probability: 0.35 }, { word: "z", probability: 0.3 }]
 *       : [{ word: EOS, probability: 1 }],
 * };
 * const [best] = beamSearch(model, [], { beamWidth: 2, maxTokens: 5 });
 * assert.deepEqual(best!.tokens, ["b", EOS]); // 0.4 × 0.9 = 0.36
 * assert.equal(best!.logProbability, Math.log(0.4) + Math.log(0.9));
 * const [greedy] = beamSearch(model, [], { beamWidth: 1, maxTokens: 5 });
 * assert.deepEqual(greedy!.tokens, ["a", "x", EOS]); // 0.6 × 0.35 × 1 = 0.21
 * ```
 */
export function beamSearch(
  model: NextWordModel,
  context: readonly string[],
  options: BeamSearchOptions,
): Beam[] {
  checkObject(model, "model", "an object with a next(context) method");
  const next = checkFunction<NextWordModel["next"]>(model.next, "model.next").bind(model);
  checkStrings(context, "context");
  checkObject(options, "options", "an object { beamWidth, maxTokens }");
  const width = checkInteger(options.beamWidth, "beamWidth", { min: 1, limit: MAX_LENGTH });
  const maxTokens = checkInteger(options.maxTokens, "maxTokens", { min: 1, limit: MAX_LENGTH });
  let beams: Beam[] = [{ tokens: [], logProbability: 0, finished: false }];
  for (let step = 0; step < maxTokens && beams.some((b) => !b.finished); step++) {
    const pool: Beam[] = [];
    for (const beam of beams) {
      if (beam.finished) {
        pool.push(beam);
        continue;
      }
      const full = [...context, ...beam.tokens];
      const candidates = next(full);
      checkCandidates(candidates, full);
      for (const { word, probability } of bestCandidates(candidates, width)) {
        pool.push({
          tokens: [...beam.tokens, word],
          logProbability: beam.logProbability + Math.log(probability),
          finished: word === EOS,
        });
      }
    }
    if (pool.length === 0) {
      throw new RangeError(
        `\`model.next\` offered no next word after ${
          formatValue([...context, ...beams[0]!.tokens].slice(-3))
        }: the model never saw this context; start from a prompt taken from its training text`,
      );
    }
    // Array.prototype.sort is stable: ties keep the pool's order (beam rank, then list order).
    beams = pool.sort((x, y) => y.logProbability - x.logProbability).slice(0, width);
  }
  return beams;
}
