/**
 * What every exercise check shares: the error a failed check throws, the way a message shows
 * values, comparisons with a tolerance, frozen inputs, and calling the learner's function safely.
 *
 * A check runs the learner's function on several inputs, smallest first, and stops at the first
 * input where it disagrees with the library. The message names that input, the expected value
 * (and why, in words), what the learner's function gave, and a hint: the one for a recognised
 * mistake (for example "did you divide by the sum?") or the input's own hint. A message never
 * contains solution code.
 *
 * @module
 */

import { formatValue } from "../_validate.ts";

/**
 * The error a check throws on a wrong answer. Its message is the teaching text; its stack is that
 * text alone, so Jupyter shows the lesson without a trace into lib/exercises.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { CheckFailed } from "./_check.ts";
 *
 * const error = new CheckFailed("f(0) should be 1, yours gave 0");
 * assert.equal(error.name, "CheckFailed");
 * assert.equal(error.stack, "CheckFailed: f(0) should be 1, yours gave 0");
 * ```
 */
export class CheckFailed extends Error {
  /** Always `"CheckFailed"`: Jupyter prints it before the message. */
  override name = "CheckFailed";

  /**
   * A failed check.
   *
   * @param message The teaching text: input, expected value, the learner's value, a hint.
   */
  constructor(message: string) {
    super(message);
    this.stack = `CheckFailed: ${message}`;
  }
}

/**
 * A number as a message shows it: integers and ±Infinity as they are, others rounded to 4
 * decimals (4 significant digits below 1), trailing zeros dropped.
 *
 * @param x The number.
 * @returns Its short form, e.g. `"0.375"`, `"0.4286"`, `"-921.034"`, `"1e-12"`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { formatNumber } from "./_check.ts";
 *
 * assert.deepEqual([3 / 8, 3 / 7, -0, Infinity].map((x) => formatNumber(x)), ["0.375", "0.4286", "0", "Infinity"]);
 * ```
 */
export function formatNumber(x: number): string {
  if (!Number.isFinite(x) || Number.isInteger(x)) return formatValue(x);
  const short = Math.abs(x) >= 1 ? Number(x.toFixed(4)) : Number(x.toPrecision(4));
  return formatValue(short);
}

/**
 * A value as a message shows it: numbers through {@linkcode formatNumber}, arrays and typed arrays
 * as `[…]` (nested too), a `Map` as `Map { "b": 1 }`, plain objects as `{ key: value }`, anything
 * else as lib's one formatter (`formatValue` in lib/_validate.ts) prints it.
 *
 * @param value Anything a learner's function may return.
 * @param exact When true, numbers are printed in full (used when two rounded values look equal).
 * @returns A short rendering.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describe } from "./_check.ts";
 *
 * assert.equal(describe([1 / 3, [1, 2]]), "[0.3333, [1, 2]]");
 * assert.equal(describe(new Map([["b", 2 / 3]])), 'Map { "b": 0.6667 }');
 * assert.equal(describe({ aOnly: 4, both: 3 }), "{ aOnly: 4, both: 3 }");
 * ```
 */
export function describe(value: unknown, exact = false): string {
  if (value instanceof Shown) return value.text;
  if (typeof value === "number") return exact ? formatValue(value) : formatNumber(value);
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    const items = Array.from(value as ArrayLike<unknown>, (item) => describe(item, exact));
    return `[${items.join(", ")}]`;
  }
  if (value instanceof Map) {
    if (value.size === 0) return "an empty Map";
    const pairs = [...value].map(([k, v]) => `${describe(k, exact)}: ${describe(v, exact)}`);
    return `Map { ${pairs.join(", ")} }`;
  }
  if (
    value !== null && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype
  ) {
    const pairs = Object.entries(value).map(([k, v]) => `${k}: ${describe(v, exact)}`);
    return pairs.length === 0 ? "{}" : `{ ${pairs.join(", ")} }`;
  }
  return formatValue(value);
}

/**
 * A text that {@linkcode describe} prints as it is, for a value summarised in words (e.g. "101
 * losses from 1.0986 down to 0.8").
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describe, Shown } from "./_check.ts";
 *
 * assert.equal(describe(new Shown("101 losses")), "101 losses");
 * ```
 */
export class Shown {
  /**
   * A value's summary.
   *
   * @param text What a message prints for it.
   */
  constructor(readonly text: string) {}
}

/**
 * The expected and the actual value for a message, printed in full when their short forms would
 * look the same.
 *
 * @param expected The library's value.
 * @param actual The learner's value.
 * @returns `[expected, actual]` as text.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { describePair } from "./_check.ts";
 *
 * assert.deepEqual(describePair(0.5, 0.5000001), ["0.5", "0.5000001"]);
 * ```
 */
export function describePair(expected: unknown, actual: unknown): [string, string] {
  const e = describe(expected);
  const a = describe(actual);
  return e === a ? [describe(expected, true), describe(actual, true)] : [e, a];
}

/**
 * Whether a value is a number within `tolerance` of `expected` (absolute, or relative to
 * |expected| when that is larger than 1). Equal infinities agree; NaN never does.
 *
 * @param actual Anything.
 * @param expected The right number.
 * @param tolerance The allowed difference, default 1e-9.
 * @returns True when close.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { close } from "./_check.ts";
 *
 * assert.ok(close(0.1 + 0.2, 0.3) && close(Infinity, Infinity));
 * assert.ok(!close(NaN, NaN) && !close("0.3", 0.3));
 * ```
 */
export function close(actual: unknown, expected: number, tolerance = 1e-9): boolean {
  if (typeof actual !== "number" || Number.isNaN(actual)) return false;
  if (!Number.isFinite(expected)) return actual === expected;
  return Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected));
}

/**
 * Whether a value is an array (or typed array) of numbers of the expected length, each
 * {@linkcode close} to the expected entry.
 *
 * @param actual Anything.
 * @param expected The right numbers.
 * @param tolerance As in {@linkcode close}.
 * @returns True when every entry is close.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { closeAll } from "./_check.ts";
 *
 * assert.ok(closeAll(new Float64Array([0.5, 0.5]), [0.5, 0.5]));
 * assert.ok(!closeAll([0.5], [0.5, 0.5]));
 * ```
 */
export function closeAll(actual: unknown, expected: ArrayLike<number>, tolerance = 1e-9): boolean {
  if (!(Array.isArray(actual) || ArrayBuffer.isView(actual))) return false;
  const values = actual as unknown as ArrayLike<unknown>;
  if (values.length !== expected.length) return false;
  for (let i = 0; i < expected.length; i++) {
    if (!close(values[i], expected[i]!, tolerance)) return false;
  }
  return true;
}

/**
 * Whether a value is a rectangular array of rows, each {@linkcode closeAll} to the expected row.
 *
 * @param actual Anything.
 * @param expected The right rows.
 * @param tolerance As in {@linkcode close}.
 * @returns True when every row is close.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { closeRows } from "./_check.ts";
 *
 * assert.ok(closeRows([[1, 2], [3, 4]], [[1, 2], [3, 4]]));
 * assert.ok(!closeRows([[1, 2]], [[1, 2], [3, 4]]));
 * ```
 */
export function closeRows(
  actual: unknown,
  expected: readonly ArrayLike<number>[],
  tolerance = 1e-9,
): boolean {
  if (!Array.isArray(actual) || actual.length !== expected.length) return false;
  return expected.every((row, i) => closeAll(actual[i], row, tolerance));
}

/**
 * A deep copy of arrays (nested too) that is frozen, so a learner's function that writes into its
 * input throws instead of silently changing the check's data.
 *
 * @param value An array, possibly of arrays, or any other value (returned as it is).
 * @returns The frozen copy.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { frozen } from "./_check.ts";
 *
 * const rows = frozen([[1, 2], [3]]);
 * assert.ok(Object.isFrozen(rows) && Object.isFrozen(rows[0]));
 * assert.throws(() => rows[0]!.sort(), TypeError);
 * ```
 */
export function frozen<T>(value: T): T {
  if (!Array.isArray(value)) return value;
  return Object.freeze(value.map((item) => frozen(item))) as T;
}

/**
 * Calls the learner's function. When it throws, the check fails with the call and the error, and,
 * when the error comes from writing into a frozen input, says so.
 *
 * @param call The call as the message shows it, e.g. `"softmax([0, 0])"`.
 * @param fn Calls the learner's function.
 * @returns What the learner's function returned.
 * @throws {CheckFailed} When the learner's function throws.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { frozen, run } from "./_check.ts";
 *
 * const input = frozen([3, 1, 2]);
 * assert.throws(() => run("sorted([3, 1, 2])", () => input.sort()), /must not change its input/);
 * ```
 */
export function run<T>(call: string, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    if (error instanceof CheckFailed) throw error;
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    const frozenInput = error instanceof TypeError &&
      /read[- ]only|not extensible|frozen|Cannot assign|Cannot add property|Cannot delete/i.test(
        error.message,
      );
    throw new CheckFailed(
      `${call} threw ${text}` +
        (frozenInput
          ? ": your function must not change its input (the check passes frozen arrays); work on a copy, e.g. [...values]"
          : ""),
    );
  }
}

/** A recognised wrong answer and the hint it deserves. */
export interface Mistake {
  /** True when the learner's value is what this mistake produces. */
  matches: (actual: unknown) => boolean;
  /** What to say, e.g. "did you divide by the sum?". */
  hint: string;
}

/** Words that go with one input of a check. */
export interface Explanation {
  /** Why the expected value is right, in words; shown in parentheses after it. */
  why?: string;
  /** The hint when no recognised mistake matches. */
  hint?: string;
  /** Recognised mistakes, tried in order; the first that matches gives the hint. */
  mistakes?: readonly Mistake[];
}

/**
 * The failure for one input: "`call` should be `expected` (why), yours gave `actual`: hint".
 *
 * @param call The call as shown, e.g. `"softmax([0, 0])"`.
 * @param expected The right value.
 * @param actual The learner's value.
 * @param explanation Why, a hint, and recognised mistakes.
 * @returns The error to throw.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { wrong } from "./_check.ts";
 *
 * const error = wrong("softmax([0, 0])", [0.5, 0.5], [1, 1], {
 *   mistakes: [{ matches: (a) => String(a) === "1,1", hint: "did you divide by the sum?" }],
 * });
 * assert.equal(error.message, "softmax([0, 0]) should be [0.5, 0.5], yours gave [1, 1]: did you divide by the sum?");
 * ```
 */
export function wrong(
  call: string,
  expected: unknown,
  actual: unknown,
  explanation: Explanation = {},
): CheckFailed {
  const [e, a] = describePair(expected, actual);
  const hint = explanation.mistakes?.find((m) => safely(() => m.matches(actual)))?.hint ??
    explanation.hint;
  return new CheckFailed(
    `${call} should be ${e}${explanation.why ? ` (${explanation.why})` : ""}, yours gave ${a}` +
      (hint ? `: ${hint}` : ""),
  );
}

/** Runs a predicate on a value of unknown shape; a throw counts as false. */
function safely(test: () => boolean): boolean {
  try {
    return test();
  } catch {
    return false;
  }
}

/**
 * Checks that the learner's function throws a `RangeError` for an input that has no answer.
 *
 * @param call The call as shown.
 * @param fn Calls the learner's function.
 * @param why Why there is no answer, e.g. "nobody is in B, so P(A | B) is undefined".
 * @throws {CheckFailed} When the function returns, or throws something other than a RangeError.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { expectRangeError } from "./_check.ts";
 *
 * assert.throws(() => expectRangeError("f(0)", () => 1 / 0, "0 has no inverse"), (e: Error) => e.message === "f(0) should throw a RangeError (0 has no inverse), yours returned Infinity");
 * expectRangeError("f(0)", () => { throw new RangeError("no"); }, "0 has no inverse");
 * ```
 */
export function expectRangeError(call: string, fn: () => unknown, why: string): void {
  let returned: unknown;
  try {
    returned = fn();
  } catch (error) {
    if (error instanceof RangeError) return;
    const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new CheckFailed(`${call} should throw a RangeError (${why}), yours threw ${text}`);
  }
  throw new CheckFailed(
    `${call} should throw a RangeError (${why}), yours returned ${describe(returned)}`,
  );
}

/**
 * The line a passing check returns.
 *
 * @param name The learner's function, e.g. `"softmax"`.
 * @param detail What was tried, e.g. "right on 7 inputs, including [1000, 1000]".
 * @returns `"✓ name: detail"`.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { passed } from "./_check.ts";
 *
 * assert.equal(passed("greedy", "right on 5 inputs"), "✓ greedy: right on 5 inputs");
 * ```
 */
export function passed(name: string, detail: string): string {
  return `✓ ${name}: ${detail}`;
}
