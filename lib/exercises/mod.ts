/**
 * The checks of the exercise notebooks (notebooks/exercises/, solutions in notebooks/solutions/),
 * one file per chapter, named after its subject:
 *
 * | notebook                       | file                       |
 * | ------------------------------ | -------------------------- |
 * | `01-conditional-probability`   | conditional_probability.ts |
 * | `02-next-token-prediction`     | next_token.ts              |
 * | `03-loss`                      | loss.ts                    |
 * | `04-temperature`               | temperature.ts             |
 * | `05-sampling`                  | sampling.ts                |
 * | `06-training`                  | training.ts                |
 * | `07-tokens`                    | tokens.ts                  |
 * | `08-neural`                    | neural.ts                  |
 * | `09-attention` (being written) | attention.ts               |
 * | `10-decoding`                  | decoding.ts                |
 *
 * Each `check…(fn)` runs the learner's function on several inputs, smallest first and edge cases
 * included, and compares it with the tested function of lib/ (or with values written out where lib
 * has none). It returns one short line starting with "✓", or throws a {@linkcode CheckFailed}
 * whose message names the smallest input where the learner's function disagrees, the expected
 * value and why, what the function gave, and a hint, never solution code. Inputs are frozen, so a
 * function that changes its input is told so. The shared machinery is _check.ts.
 *
 * Files here import from the subject folders (`../math/…`, `../text/…`), never from lib/mod.ts,
 * which re-exports this folder.
 *
 * @module
 */

export { CheckFailed } from "./_check.ts";
export * from "./conditional_probability.ts";
export * from "./next_token.ts";
export * from "./loss.ts";
export * from "./temperature.ts";
export * from "./sampling.ts";
export * from "./training.ts";
export * from "./tokens.ts";
export * from "./attention.ts";
export * from "./decoding.ts";
export * from "./neural.ts";
