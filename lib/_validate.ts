/**
 * Input checks shared by lib/ (private: not re-exported from mod.ts).
 *
 * Every check throws `TypeError` for a value of the wrong type and `RangeError` for a value out of
 * range, with a message that names the parameter in backticks and shows the offending value.
 *
 * @module
 */

/** Absolute tolerance for "probabilities sum to one". */
export const SUM_TOLERANCE = 1e-9;

/**
 * Formats a value for an error message: numbers as JavaScript prints them, arrays shortened.
 *
 * @param value Anything.
 * @returns A short readable rendering.
 */
export function formatValue(value: unknown): string {
  if (typeof value === "number") return Object.is(value, -0) ? "0" : String(value);
  if (typeof value === "string") return JSON.stringify(value);
  if (isArrayLike(value)) {
    const items = Array.from(
      { length: Math.min(value.length, 8) },
      (_, i) => formatValue(value[i]),
    );
    return `[${items.join(", ")}${value.length > 8 ? `, … (${value.length} entries)` : ""}]`;
  }
  return String(value);
}

function isArrayLike(value: unknown): value is ArrayLike<unknown> {
  return typeof value === "object" && value !== null && "length" in value &&
    typeof (value as { length: unknown }).length === "number";
}

/**
 * Checks that `values` is a non-empty array-like of numbers.
 *
 * @param values The input.
 * @param name The parameter name for messages.
 * @throws {TypeError} When `values` is not array-like or an entry is not a number.
 * @throws {RangeError} When `values` is empty.
 */
export function checkNumbers(values: ArrayLike<number>, name: string): void {
  if (!isArrayLike(values)) {
    throw new TypeError(`\`${name}\` must be an array of numbers, got ${formatValue(values)}`);
  }
  if (values.length === 0) throw new RangeError(`\`${name}\` must not be empty`);
  for (let i = 0; i < values.length; i++) {
    if (typeof values[i] !== "number") {
      throw new TypeError(`\`${name}[${i}]\` must be a number, got ${formatValue(values[i])}`);
    }
  }
}

/**
 * Checks logits: non-empty, no NaN, no `+Infinity`; `-Infinity` marks a masked entry.
 *
 * @param logits The input.
 * @param name The parameter name for messages.
 * @param allowAllMasked When false (default), all entries `-Infinity` throws.
 * @throws {TypeError} See {@linkcode checkNumbers}.
 * @throws {RangeError} Empty, NaN, `+Infinity`, or every entry masked.
 */
export function checkLogits(
  logits: ArrayLike<number>,
  name = "logits",
  allowAllMasked = false,
): void {
  checkNumbers(logits, name);
  let unmasked = 0;
  for (let i = 0; i < logits.length; i++) {
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
 * @param name The parameter name for messages.
 * @throws {TypeError} See {@linkcode checkNumbers}.
 * @throws {RangeError} Empty, an entry outside [0, 1] or NaN, or a sum away from 1.
 */
export function checkProbabilities(probs: ArrayLike<number>, name = "probs"): void {
  checkNumbers(probs, name);
  let sum = 0;
  for (let i = 0; i < probs.length; i++) {
    const p = probs[i]!;
    if (!(p >= 0 && p <= 1)) {
      throw new RangeError(
        `\`${name}[${i}]\` must be a probability in [0, 1], got ${formatValue(p)}`,
      );
    }
    sum += p;
  }
  if (Math.abs(sum - 1) > SUM_TOLERANCE) {
    throw new RangeError(`\`${name}\` must sum to 1 (within ${SUM_TOLERANCE}), got sum ${sum}`);
  }
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
 * @throws {TypeError} When not a number.
 * @throws {RangeError} When negative or NaN.
 */
export function checkTemperature(temperature: number, name = "temperature"): void {
  if (typeof temperature !== "number") {
    throw new TypeError(`\`${name}\` must be a number, got ${formatValue(temperature)}`);
  }
  if (!(temperature >= 0)) {
    throw new RangeError(`\`${name}\` must be >= 0, got ${formatValue(temperature)}`);
  }
}

/**
 * Checks a top-k cut-off: an integer >= 1 (larger than the vocabulary keeps everything).
 *
 * @param k The input.
 * @param name The parameter name for messages.
 * @throws {TypeError} When not a number.
 * @throws {RangeError} When not an integer >= 1.
 */
export function checkTopK(k: number, name = "k"): void {
  if (typeof k !== "number") {
    throw new TypeError(`\`${name}\` must be a number, got ${formatValue(k)}`);
  }
  if (!(Number.isInteger(k) && k >= 1)) {
    throw new RangeError(`\`${name}\` must be an integer >= 1, got ${formatValue(k)}`);
  }
}

/**
 * Checks a top-p (nucleus) mass: a number in (0, 1].
 *
 * @param p The input.
 * @param name The parameter name for messages.
 * @throws {TypeError} When not a number.
 * @throws {RangeError} When outside (0, 1] or NaN.
 */
export function checkTopP(p: number, name = "p"): void {
  if (typeof p !== "number") {
    throw new TypeError(`\`${name}\` must be a number, got ${formatValue(p)}`);
  }
  if (!(p > 0 && p <= 1)) {
    throw new RangeError(`\`${name}\` must be in (0, 1], got ${formatValue(p)}`);
  }
}

/**
 * Checks the four counts of a two-set Venn diagram: whole numbers >= 0 with `both` <= `a`, `b`
 * and `a + b - both` <= `total`. Used by vennProbabilities and vennChart alike.
 *
 * @param counts `{ total, a, b, both }`.
 * @throws {TypeError} When a count is not a number.
 * @throws {RangeError} When a count is not a whole number >= 0 or the counts are impossible
 * (the message says which constraint failed and by how much).
 */
export function checkVennCounts(
  counts: { total: number; a: number; b: number; both: number },
): void {
  const { total, a, b, both } = counts;
  for (const [name, v] of [["total", total], ["a", a], ["b", b], ["both", both]] as const) {
    if (typeof v !== "number") {
      throw new TypeError(`\`${name}\` must be a number, got ${formatValue(v)}`);
    }
    if (!(Number.isInteger(v) && v >= 0)) {
      throw new RangeError(`\`${name}\` must be a non-negative integer, got ${formatValue(v)}`);
    }
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

/**
 * Checks that `value` is a single probability in [0, 1].
 *
 * @param value The input.
 * @param name The parameter name for messages.
 * @throws {TypeError} When not a number.
 * @throws {RangeError} When outside [0, 1] or NaN.
 */
export function checkProbability(value: number, name: string): void {
  if (typeof value !== "number") {
    throw new TypeError(`\`${name}\` must be a number, got ${formatValue(value)}`);
  }
  if (!(value >= 0 && value <= 1)) {
    throw new RangeError(`\`${name}\` must be a probability in [0, 1], got ${formatValue(value)}`);
  }
}

/**
 * Checks that `index` is an integer in [0, length).
 *
 * @param index The input.
 * @param length The number of classes.
 * @param name The parameter name for messages.
 * @throws {TypeError} When not a number.
 * @throws {RangeError} When not an integer in range.
 */
export function checkIndex(index: number, length: number, name: string): void {
  if (typeof index !== "number") {
    throw new TypeError(`\`${name}\` must be a number, got ${formatValue(index)}`);
  }
  if (!Number.isInteger(index) || index < 0 || index >= length) {
    throw new RangeError(
      `\`${name}\` must be an integer in [0, ${length - 1}], got ${formatValue(index)}`,
    );
  }
}

/**
 * Checks one value drawn from `random()`: a number in [0, 1).
 *
 * @param u The drawn value.
 * @returns `u`, for chaining.
 * @throws {RangeError} When `u` is outside [0, 1) or not a number.
 */
export function checkUniform(u: number): number {
  if (!(typeof u === "number" && u >= 0 && u < 1)) {
    throw new RangeError(`\`random()\` must return a number in [0, 1), got ${formatValue(u)}`);
  }
  return u;
}

/**
 * Checks chart data: an array-like of finite numbers, copied into a plain array.
 *
 * @param values The input.
 * @param name The parameter name for messages.
 * @returns A new array with the same numbers.
 * @throws {TypeError} When `values` is not array-like or an entry is not a number.
 * @throws {RangeError} When an entry is NaN or infinite.
 */
export function finiteNumbers(values: ArrayLike<number>, name: string): number[] {
  if (values === null || typeof values !== "object" || typeof values.length !== "number") {
    throw new TypeError(`\`${name}\` must be an array of numbers, got ${formatValue(values)}`);
  }
  const out = Array.from(values);
  out.forEach((v, i) => {
    if (typeof v !== "number") {
      throw new TypeError(`\`${name}[${i}]\` must be a number, got ${formatValue(v)}`);
    }
    if (!Number.isFinite(v)) {
      throw new RangeError(`\`${name}[${i}]\` must be a finite number, got ${formatValue(v)}`);
    }
  });
  return out;
}
