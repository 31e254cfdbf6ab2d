/**
 * Input checks shared by lib/ (private: not re-exported from mod.ts).
 *
 * One rule per kind of value, one formatter for values in messages ({@linkcode formatValue}):
 * every check throws `TypeError` for a value of the wrong type and `RangeError` for a value of the
 * right type out of range, with a message that names the public parameter in backticks and shows
 * the offending value: "`temperature` must be >= 0, got -1".
 *
 * Array-likes (arrays, typed arrays, objects with a `length`) all go through one reader,
 * {@linkcode checkArrayLike}: `length` must be a safe integer >= 0 and at most
 * {@linkcode MAX_LENGTH}, checked before anything is allocated, so a typo can never ask the kernel
 * for gigabytes (an out-of-memory error in V8 kills the kernel and cannot be caught).
 *
 * Why one file of about 700 lines: it is the one voice for input checks, and having every rule in
 * one place is its purpose; about half of it is doc comments.
 *
 * @module
 */

/** Absolute tolerance for "probabilities sum to one". */
export const SUM_TOLERANCE = 1e-9;

/**
 * The size limit of the library: no array it reads or makes may hold more than 2^25 =
 * 33,554,432 entries (256 MB as a `Float64Array`). It applies to inputs (`length`) and to sizes
 * that set the size of a result (`classes`, a bigram table's S², an n-gram model's tables, a
 * generated text's `length`). The largest array the course needs is a 3,000-word bigram table
 * (9 million entries); GPT-2's 50,257 logits are far below it.
 */
export const MAX_LENGTH = 2 ** 25;

/** The %TypedArray% intrinsic: the common prototype of Int8Array, Float64Array, … */
const TypedArray = Object.getPrototypeOf(Int8Array) as { prototype: object };
/** %TypedArray%.prototype.length's getter: a typed array's real length, whatever it overrides. */
const typedArrayLength = Object.getOwnPropertyDescriptor(TypedArray.prototype, "length")!
  .get as (this: unknown) => number;

function isTypedArray(value: unknown): value is ArrayLike<unknown> {
  return value instanceof (TypedArray as unknown as typeof Int8Array);
}

/** The length of an array-like whose `length` is a safe integer >= 0, else undefined. */
function validLength(value: unknown): number | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  try {
    const length = isTypedArray(value)
      ? typedArrayLength.call(value)
      : (value as { length?: unknown }).length;
    return typeof length === "number" && Number.isSafeInteger(length) && length >= 0
      ? length
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Formats a value for an error message: numbers as JavaScript prints them, strings quoted (and
 * cut after 60 characters), arrays and array-likes shortened to 8 entries, plain objects as up to
 * 4 `key: value` pairs. Never throws, whatever it is given (objects without a prototype, symbols,
 * bigints, proxies, getters that throw).
 *
 * @param value Anything.
 * @returns A short readable rendering.
 * @example
 * ```ts
 * import { formatValue } from "./_validate.ts";
 * import assert from "node:assert/strict";
 * assert.equal(formatValue([1, "a", -0]), '[1, "a", 0]');
 * assert.equal(formatValue(Object.create(null)), "{}");
 * assert.equal(formatValue(2n), "2n");
 * ```
 */
export function formatValue(value: unknown): string {
  return format(value, 0);
}

function format(value: unknown, depth: number): string {
  try {
    switch (typeof value) {
      case "number":
        return Object.is(value, -0) ? "0" : String(value);
      case "string":
        return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}…` : value);
      case "bigint":
        return `${value}n`;
      case "symbol":
        return value.toString();
      case "function":
        return value.name ? `function ${value.name}` : "a function";
      case "undefined":
      case "boolean":
        return String(value);
    }
    if (value === null) return "null";
    const length = validLength(value);
    if (length !== undefined && (Array.isArray(value) || isTypedArray(value))) {
      return formatItems(value as ArrayLike<unknown>, length, depth);
    }
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) {
      if (length !== undefined) return formatItems(value as ArrayLike<unknown>, length, depth);
      return Object.prototype.toString.call(value);
    }
    if (depth > 0) return "{…}";
    const keys = Object.keys(value as object);
    const pairs = keys.slice(0, 4).map((key) =>
      `${/^[A-Za-z_$][\w$]*$/.test(key) ? key : JSON.stringify(key)}: ${
        format((value as Record<string, unknown>)[key], depth + 1)
      }`
    );
    if (keys.length > 4) pairs.push("…");
    return pairs.length === 0 ? "{}" : `{ ${pairs.join(", ")} }`;
  } catch {
    return "(a value that cannot be shown)";
  }
}

function formatItems(value: ArrayLike<unknown>, length: number, depth: number): string {
  if (depth > 1) return `[… (${length} entries)]`;
  const items: string[] = [];
  for (let i = 0; i < Math.min(length, 8); i++) items.push(format(value[i], depth + 1));
  return `[${items.join(", ")}${length > 8 ? `, … (${length} entries)` : ""}]`;
}

// ---------------------------------------------------------------------------------------------
// Single values

/** Bounds of a number, for {@linkcode checkNumber}. */
export interface NumberRange {
  /** Lower bound (inclusive unless `minExclusive`). */
  min?: number;
  /** Upper bound (inclusive unless `maxExclusive`). */
  max?: number;
  /** `min` itself is not allowed. */
  minExclusive?: boolean;
  /** `max` itself is not allowed. */
  maxExclusive?: boolean;
  /** ±Infinity are not allowed. */
  finite?: boolean;
}

/** "a finite number >= 0", "in (0, 1]", ">= 0": what a number in `range` must be. */
function describeRange(range: NumberRange): string {
  const { min, max, minExclusive = false, maxExclusive = false, finite = false } = range;
  let bound = "";
  if (min !== undefined && max !== undefined) {
    bound = `in ${minExclusive ? "(" : "["}${formatValue(min)}, ${formatValue(max)}${
      maxExclusive ? ")" : "]"
    }`;
  } else if (min !== undefined) bound = `${minExclusive ? ">" : ">="} ${formatValue(min)}`;
  else if (max !== undefined) bound = `${maxExclusive ? "<" : "<="} ${formatValue(max)}`;
  if (!finite) return bound === "" ? "a number other than NaN" : bound;
  return bound === "" ? "a finite number" : `a finite number ${bound}`;
}

/**
 * Checks one number: of type number (else `TypeError`), not NaN, and within `range` (else
 * `RangeError`). The course's rule for every numeric parameter without a more specific rule.
 *
 * @param value The input.
 * @param name The public parameter name for messages.
 * @param range Bounds and whether ±Infinity is allowed.
 * @returns `value`, typed as a number.
 * @throws {TypeError} When `value` is not a number.
 * @throws {RangeError} When `value` is NaN or outside `range`.
 * @example
 * ```ts
 * import { checkNumber } from "./_validate.ts";
 * import assert from "node:assert/strict";
 * assert.throws(() => checkNumber(0, "k", { min: 0, minExclusive: true, finite: true }), {
 *   message: "`k` must be a finite number > 0, got 0",
 * });
 * ```
 */
export function checkNumber(value: unknown, name: string, range: NumberRange = {}): number {
  if (typeof value !== "number") {
    throw new TypeError(`\`${name}\` must be a number, got ${formatValue(value)}`);
  }
  if (!inRange(value, range)) {
    throw new RangeError(`\`${name}\` must be ${describeRange(range)}, got ${formatValue(value)}`);
  }
  return value;
}

/** Whether a number lies in `range` (NaN never does). */
function inRange(value: number, range: NumberRange): boolean {
  const { min, max, minExclusive = false, maxExclusive = false, finite = false } = range;
  return !Number.isNaN(value) && (!finite || Number.isFinite(value)) &&
    (min === undefined || (minExclusive ? value > min : value >= min)) &&
    (max === undefined || (maxExclusive ? value < max : value <= max));
}

/** Bounds of an integer, for {@linkcode checkInteger}. */
export interface IntegerRange {
  /** Smallest allowed value. */
  min: number;
  /** Largest allowed value: the message then says "an integer in [min, max]". */
  max?: number;
  /**
   * A size limit (usually {@linkcode MAX_LENGTH}): values above it get their own message, and
   * below `min` the message stays "an integer >= min".
   */
  limit?: number;
}

/**
 * Checks one integer: of type number (else `TypeError`), a safe integer (|n| <= 2^53 − 1) in
 * range (else `RangeError`). The course's one rule for counts, sizes, orders and indices.
 *
 * @param value The input.
 * @param name The public parameter name for messages.
 * @param range `min`, and `max` (a real bound) or `limit` (a size limit).
 * @returns `value`, typed as a number.
 * @throws {TypeError} When `value` is not a number.
 * @throws {RangeError} When `value` is not a safe integer in range.
 * @example
 * ```ts
 * import { checkInteger, MAX_LENGTH } from "./_validate.ts";
 * import assert from "node:assert/strict";
 * assert.throws(() => checkInteger(0, "n", { min: 1 }), { message: "`n` must be an integer >= 1, got 0" });
 * assert.throws(() => checkInteger(3, "i", { min: 0, max: 2 }), { message: "`i` must be an integer in [0, 2], got 3" });
 * assert.throws(() => checkInteger(2 ** 31, "classes", { min: 1, limit: MAX_LENGTH }), RangeError);
 * ```
 */
export function checkInteger(value: unknown, name: string, range: IntegerRange): number {
  if (typeof value !== "number") {
    throw new TypeError(`\`${name}\` must be a number, got ${formatValue(value)}`);
  }
  const { min, max, limit } = range;
  if (max !== undefined) {
    if (!(Number.isSafeInteger(value) && value >= min && value <= max)) {
      throw new RangeError(
        `\`${name}\` must be an integer in [${min}, ${max}], got ${formatValue(value)}`,
      );
    }
    return value;
  }
  if (!(Number.isInteger(value) && value >= min)) {
    throw new RangeError(`\`${name}\` must be an integer >= ${min}, got ${formatValue(value)}`);
  }
  if (limit !== undefined && value > limit) {
    throw new RangeError(
      `\`${name}\` must be at most ${limit} (the library's size limit), got ${formatValue(value)}`,
    );
  }
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(
      `\`${name}\` must be a safe integer (at most ${Number.MAX_SAFE_INTEGER}), got ${
        formatValue(value)
      }`,
    );
  }
  return value;
}

/**
 * Checks that `value` is a string.
 *
 * @param value The input.
 * @param name The public parameter name for messages.
 * @returns `value`, typed as a string.
 * @throws {TypeError} When `value` is not a string.
 */
export function checkString(value: unknown, name: string): string {
  if (typeof value !== "string") {
    throw new TypeError(`\`${name}\` must be a string, got ${formatValue(value)}`);
  }
  return value;
}

/**
 * Checks an optional string: `undefined` or a string.
 *
 * @param value The input.
 * @param name The public parameter name for messages.
 * @returns `value`.
 * @throws {TypeError} When `value` is neither undefined nor a string.
 */
export function checkOptionalString(value: unknown, name: string): string | undefined {
  return value === undefined ? undefined : checkString(value, name);
}

/**
 * Checks an optional boolean flag: `undefined`, `true` or `false`.
 *
 * @param value The input.
 * @param name The public parameter name for messages.
 * @returns `value`.
 * @throws {TypeError} When `value` is neither undefined nor a boolean.
 */
export function checkOptionalBoolean(value: unknown, name: string): boolean | undefined {
  if (value !== undefined && typeof value !== "boolean") {
    throw new TypeError(`\`${name}\` must be true or false, got ${formatValue(value)}`);
  }
  return value;
}

/**
 * Checks that `value` is a function, e.g. a source of random numbers.
 *
 * @param value The input.
 * @param name The public parameter name for messages.
 * @returns `value`, typed as a function.
 * @throws {TypeError} When `value` is not a function.
 */
export function checkFunction<F extends (...args: never[]) => unknown>(
  value: unknown,
  name: string,
): F {
  if (typeof value !== "function") {
    throw new TypeError(`\`${name}\` must be a function, got ${formatValue(value)}`);
  }
  return value as F;
}

/**
 * Checks an options object (or any record parameter): a non-null object, not an array.
 * `undefined` gives `{}` when `optional` (the default of an options parameter).
 *
 * @param value The input.
 * @param name The public parameter name for messages.
 * @param what What the object holds, for the message, e.g. "an object { total, a, b, both }".
 * @param optional Whether `undefined` is allowed (it then gives `{}`).
 * @returns The object.
 * @throws {TypeError} When `value` is not an object.
 */
export function checkObject<T extends object>(
  value: unknown,
  name: string,
  what = "an object",
  optional = false,
): T {
  if (value === undefined && optional) return {} as T;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError(`\`${name}\` must be ${what}, got ${formatValue(value)}`);
  }
  return value as T;
}

/**
 * Checks a temperature: a number >= 0 (`Infinity` allowed), not NaN. This is the course's one
 * temperature rule, used by every function that takes a temperature (softmax, softmaxInto,
 * logSoftmax, sampleWithTemperature, the decoding options of generate, bigramLoss,
 * bigramProbabilities). All of them accept both limits notebook 04 teaches: T = 0 is greedy (the
 * limit T → 0⁺: all probability on the maxima, ties sharing) and T = Infinity is uniform over the
 * unmasked entries. Where a limit makes a loss infinite (bigramLoss at T = 0 when a counted word is
 * not a maximum) the result is Infinity, never NaN.
 *
 * @param temperature The input.
 * @param name The public parameter name for messages.
 * @throws {TypeError} When not a number.
 * @throws {RangeError} When negative or NaN.
 */
export function checkTemperature(temperature: unknown, name = "temperature"): number {
  return checkNumber(temperature, name, { min: 0 });
}

/**
 * Checks a top-k cut-off: an integer >= 1 (larger than the vocabulary keeps everything).
 *
 * @param k The input.
 * @param name The public parameter name for messages.
 * @throws {TypeError} When not a number.
 * @throws {RangeError} When not a safe integer >= 1.
 */
export function checkTopK(k: unknown, name = "k"): number {
  return checkInteger(k, name, { min: 1 });
}

/**
 * Checks a top-p (nucleus) mass: a number in (0, 1].
 *
 * @param p The input.
 * @param name The public parameter name for messages.
 * @throws {TypeError} When not a number.
 * @throws {RangeError} When outside (0, 1] or NaN.
 */
export function checkTopP(p: unknown, name = "p"): number {
  return checkNumber(p, name, { min: 0, minExclusive: true, max: 1 });
}

/**
 * Checks that `value` is a single probability in [0, 1].
 *
 * @param value The input.
 * @param name The public parameter name for messages.
 * @throws {TypeError} When not a number.
 * @throws {RangeError} When outside [0, 1] or NaN.
 */
export function checkProbability(value: unknown, name: string): number {
  if (typeof value !== "number") {
    throw new TypeError(`\`${name}\` must be a number, got ${formatValue(value)}`);
  }
  if (!(value >= 0 && value <= 1)) {
    throw new RangeError(`\`${name}\` must be a probability in [0, 1], got ${formatValue(value)}`);
  }
  return value;
}

/**
 * Checks that `index` is an integer in [0, length).
 *
 * @param index The input.
 * @param length The number of classes.
 * @param name The public parameter name for messages.
 * @throws {TypeError} When not a number.
 * @throws {RangeError} When not an integer in range.
 */
export function checkIndex(index: unknown, length: number, name: string): number {
  return checkInteger(index, name, { min: 0, max: length - 1 });
}

/**
 * Checks the sum of weights that must add up to 1 (probabilities, interpolation weights): the
 * one tolerance rule, {@linkcode SUM_TOLERANCE}.
 *
 * @param sum The computed sum.
 * @param name What summed, for the message: "`probs`", "`lambdas`", "the probabilities of `next`".
 * @throws {RangeError} When |sum − 1| > SUM_TOLERANCE or the sum is NaN.
 */
export function checkSumToOne(sum: number, name: string): void {
  if (!(Math.abs(sum - 1) <= SUM_TOLERANCE)) {
    throw new RangeError(`${name} must sum to 1 (within ${SUM_TOLERANCE}), got sum ${sum}`);
  }
}

/**
 * Checks one value drawn from `random()`: a number in [0, 1).
 *
 * @param u The drawn value.
 * @returns `u`, for chaining.
 * @throws {TypeError} When `u` is not a number.
 * @throws {RangeError} When `u` is outside [0, 1) or NaN.
 */
export function checkUniform(u: unknown): number {
  if (typeof u !== "number") {
    throw new TypeError(`\`random()\` must return a number in [0, 1), got ${formatValue(u)}`);
  }
  if (!(u >= 0 && u < 1)) {
    throw new RangeError(`\`random()\` must return a number in [0, 1), got ${formatValue(u)}`);
  }
  return u;
}

/**
 * Checks the four counts of a two-set Venn diagram: integers >= 0 with `both` <= `a`, `b`
 * and `a + b - both` <= `total`. Used by vennProbabilities and vennChart alike.
 *
 * @param counts `{ total, a, b, both }`.
 * @param name The public parameter name of the object, for messages.
 * @throws {TypeError} When `counts` is not an object or a count is not a number.
 * @throws {RangeError} When a count is not a safe integer >= 0 or the counts are impossible
 * (the message says which constraint failed and by how much).
 */
export function checkVennCounts(
  counts: { total: number; a: number; b: number; both: number },
  name = "counts",
): void {
  checkObject(counts, name, "an object { total, a, b, both }");
  const { total, a, b, both } = counts;
  for (const [key, v] of [["total", total], ["a", a], ["b", b], ["both", both]] as const) {
    checkInteger(v, key, { min: 0 });
  }
  const smaller = Math.min(a, b);
  if (both > smaller) {
    throw new RangeError(
      `\`both\` must be <= min(\`a\`, \`b\`) = ${smaller}, got ${formatValue(both)} (${
        both - smaller
      } too many)`,
    );
  }
  const either = a + b - both;
  if (either > total) {
    throw new RangeError(
      `\`a\` + \`b\` - \`both\` must be <= \`total\` = ${total}, got ${
        formatValue(a)
      } + ${b} - ${both} = ` +
        `${either} (${either - total} too many)`,
    );
  }
}

// ---------------------------------------------------------------------------------------------
// Array-likes: the one reader

/**
 * The one array-like reader: checks that `values` is an array, a typed array or an object with a
 * `length`, that `length` is a safe integer >= 0 and at most {@linkcode MAX_LENGTH}, and returns
 * it. Strings and functions are not array-likes here. Nothing is allocated.
 *
 * @param values The input.
 * @param name The public parameter name for messages.
 * @param what What it must hold, for the message (default "an array of numbers").
 * @returns The length.
 * @throws {TypeError} When `values` is not an object or its `length` is not a number.
 * @throws {RangeError} When `length` is not a safe integer >= 0 or exceeds MAX_LENGTH.
 */
export function checkArrayLike(
  values: unknown,
  name: string,
  what = "an array of numbers",
): number {
  if (typeof values !== "object" || values === null) {
    throw new TypeError(`\`${name}\` must be ${what}, got ${formatValue(values)}`);
  }
  let length: unknown;
  try {
    length = isTypedArray(values)
      ? typedArrayLength.call(values)
      : (values as { length?: unknown }).length;
  } catch {
    length = undefined;
  }
  if (typeof length !== "number") {
    throw new TypeError(`\`${name}\` must be ${what}, got ${formatValue(values)}`);
  }
  if (!(Number.isSafeInteger(length) && length >= 0)) {
    throw new RangeError(
      `\`${name}.length\` must be an integer >= 0, got ${formatValue(length)}`,
    );
  }
  if (length > MAX_LENGTH) {
    throw new RangeError(
      `\`${name}\` must have at most ${MAX_LENGTH} entries (the library's size limit), got ${length}`,
    );
  }
  return length;
}

/**
 * Checks that `values` is a non-empty array-like of numbers (see {@linkcode checkArrayLike}).
 *
 * @param values The input.
 * @param name The public parameter name for messages.
 * @param allowEmpty Whether length 0 is allowed (default false).
 * @returns The length.
 * @throws {TypeError} When `values` is not array-like or an entry is not a number (a hole in a
 * sparse array is `undefined`, not a number).
 * @throws {RangeError} When `values` is empty or its length is impossible or too large.
 */
export function checkNumbers(values: unknown, name: string, allowEmpty = false): number {
  const length = checkArrayLike(values, name);
  if (length === 0 && !allowEmpty) throw new RangeError(`\`${name}\` must not be empty`);
  const array = values as ArrayLike<unknown>;
  for (let i = 0; i < length; i++) {
    if (typeof array[i] !== "number") {
      throw new TypeError(`\`${name}[${i}]\` must be a number, got ${formatValue(array[i])}`);
    }
  }
  return length;
}

/**
 * Reads an array-like of numbers into a new `Float64Array` (each entry read once), after
 * {@linkcode checkNumbers}' checks of length and type. Callers check the values' range on the copy.
 *
 * @param values The input (never modified).
 * @param name The public parameter name for messages.
 * @param allowEmpty Whether length 0 is allowed (default false).
 * @returns A new Float64Array with the same numbers.
 * @throws {TypeError} As {@linkcode checkNumbers}.
 * @throws {RangeError} As {@linkcode checkNumbers}.
 */
export function readNumbers(values: unknown, name: string, allowEmpty = false): Float64Array {
  const length = checkArrayLike(values, name);
  if (length === 0 && !allowEmpty) throw new RangeError(`\`${name}\` must not be empty`);
  if (values instanceof Float64Array) return values.slice();
  const out = new Float64Array(length);
  const array = values as ArrayLike<unknown>;
  for (let i = 0; i < length; i++) {
    const x = array[i];
    if (typeof x !== "number") {
      throw new TypeError(`\`${name}[${i}]\` must be a number, got ${formatValue(x)}`);
    }
    out[i] = x;
  }
  return out;
}

/**
 * Checks every entry of `values` (already checked to be numbers) against `range`, naming the
 * entry: "`x[2]` must be a finite number, got NaN".
 *
 * @param values Numbers.
 * @param name The public parameter name for messages.
 * @param range The bounds of each entry.
 * @throws {RangeError} At the first entry outside `range`.
 */
export function checkEntries(values: ArrayLike<number>, name: string, range: NumberRange): void {
  const { min = -Infinity, max = Infinity, minExclusive, maxExclusive, finite } = range;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const ok = (minExclusive ? v > min : v >= min) && (maxExclusive ? v < max : v <= max) &&
      (!finite || (v > -Infinity && v < Infinity));
    // The entry's name is only built for the message: 150,000 template strings cost 50 ms.
    if (!ok) checkNumber(v, `${name}[${i}]`, range);
  }
}

/**
 * Checks logits: non-empty, no NaN, no `+Infinity`; `-Infinity` marks a masked entry.
 *
 * @param logits The input.
 * @param name The public parameter name for messages.
 * @param allowAllMasked When false (default), all entries `-Infinity` throws.
 * @throws {TypeError} See {@linkcode checkNumbers}.
 * @throws {RangeError} Empty, NaN, `+Infinity`, or every entry masked.
 */
export function checkLogits(
  logits: ArrayLike<number>,
  name = "logits",
  allowAllMasked = false,
): void {
  const length = checkNumbers(logits, name);
  let unmasked = 0;
  for (let i = 0; i < length; i++) {
    const x = logits[i]!;
    if (Number.isNaN(x) || x === Infinity) {
      throw new RangeError(`\`${name}[${i}]\` must be finite or -Infinity, got ${formatValue(x)}`);
    }
    if (x !== -Infinity) unmasked++;
  }
  if (unmasked === 0 && !allowAllMasked) {
    throw new RangeError(
      `\`${name}\` must have at least one entry above -Infinity, got ${formatValue(logits)}`,
    );
  }
}

/**
 * Checks a probability distribution: each entry in [0, 1] and the sum within 1e-9 of 1.
 *
 * @param probs The input.
 * @param name The public parameter name for messages.
 * @throws {TypeError} See {@linkcode checkNumbers}.
 * @throws {RangeError} Empty, an entry outside [0, 1] or NaN, or a sum away from 1.
 */
export function checkProbabilities(probs: ArrayLike<number>, name = "probs"): void {
  const length = checkNumbers(probs, name);
  let sum = 0;
  for (let i = 0; i < length; i++) {
    const p = probs[i]!;
    if (!(p >= 0 && p <= 1)) {
      throw new RangeError(
        `\`${name}[${i}]\` must be a probability in [0, 1], got ${formatValue(p)}`,
      );
    }
    sum += p;
  }
  checkSumToOne(sum, `\`${name}\``);
}

/**
 * Checks chart data: an array-like of finite numbers, copied into a plain array.
 *
 * @param values The input.
 * @param name The public parameter name for messages.
 * @param min Smallest allowed value (default -Infinity: any finite number).
 * @returns A new array with the same numbers.
 * @throws {TypeError} When `values` is not array-like or an entry is not a number.
 * @throws {RangeError} When an entry is NaN, infinite or below `min`, or the length is impossible.
 */
export function finiteNumbers(values: ArrayLike<number>, name: string, min?: number): number[] {
  const copy = readNumbers(values, name, true);
  const range: NumberRange = min === undefined ? { finite: true } : { finite: true, min };
  checkEntries(copy, name, range);
  return Array.from(copy);
}

/**
 * Checks an array of strings (a real array: tokens, words, labels); holes count as `undefined`.
 *
 * @param values The input.
 * @param name The public parameter name for messages.
 * @param allowEmpty Whether length 0 is allowed (default true).
 * @returns `values`, typed.
 * @throws {TypeError} When `values` is not an array or an entry is not a string.
 * @throws {RangeError} When it is empty and must not be, or longer than MAX_LENGTH.
 */
export function checkStrings(
  values: unknown,
  name: string,
  allowEmpty = true,
): readonly string[] {
  if (!Array.isArray(values)) {
    throw new TypeError(`\`${name}\` must be an array of strings, got ${formatValue(values)}`);
  }
  const length = checkArrayLike(values, name, "an array of strings");
  if (length === 0 && !allowEmpty) throw new RangeError(`\`${name}\` must not be empty`);
  for (let i = 0; i < length; i++) {
    if (typeof values[i] !== "string") {
      throw new TypeError(`\`${name}[${i}]\` must be a string, got ${formatValue(values[i])}`);
    }
  }
  return values;
}

/**
 * Checks sentences: an array of arrays of strings (each sentence a list of words).
 *
 * @param sentences The input.
 * @param name The public parameter name for messages.
 * @returns `sentences`, typed.
 * @throws {TypeError} When it is not an array of arrays of strings.
 * @throws {RangeError} When an array is longer than MAX_LENGTH.
 */
export function checkSentences(
  sentences: unknown,
  name: string,
): readonly (readonly string[])[] {
  if (!Array.isArray(sentences)) {
    throw new TypeError(
      `\`${name}\` must be an array of arrays of words, got ${formatValue(sentences)}`,
    );
  }
  checkArrayLike(sentences, name, "an array of arrays of words");
  for (let s = 0; s < sentences.length; s++) {
    // The name `sentences[s]` is built only for a sentence that fails (Brown has 57,340).
    if (!passesCheckStrings(sentences[s])) checkStrings(sentences[s], `${name}[${s}]`);
  }
  return sentences;
}

/** Whether {@link checkStrings} accepts `values` (with empty arrays allowed), without a name. */
function passesCheckStrings(values: unknown): boolean {
  if (!Array.isArray(values)) return false;
  const length = validLength(values);
  if (length === undefined || length > MAX_LENGTH) return false;
  for (let i = 0; i < length; i++) if (typeof values[i] !== "string") return false;
  return true;
}
