/**
 * The ground floor of issue 12's fixes: lib/_validate.ts's one array-like reader, its integer and
 * number rules, and the one formatter, which must never throw.
 *
 * @module
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import {
  checkArrayLike,
  checkInteger,
  checkNumber,
  formatValue,
  MAX_LENGTH,
  readNumbers,
} from "../../lib/_validate.ts";
import { anything, wrongType } from "./_fuzz.ts";

Deno.test("formatValue() renders anything, never throws, stays short", () => {
  fc.assert(
    fc.property(fc.oneof(anything, wrongType, fc.anything()), (value) => {
      const text = formatValue(value);
      assert.equal(typeof text, "string");
      assert.ok(text.length < 400, text);
    }),
    { numRuns: 2000 },
  );
  const hostile = new Proxy({}, {
    get() {
      throw new Error("no");
    },
    ownKeys() {
      throw new Error("no");
    },
  });
  assert.equal(typeof formatValue(hostile), "string");
  assert.equal(formatValue(Object.create(null)), "{}");
  assert.equal(formatValue({ length: -1 }), "{ length: -1 }");
  assert.equal(formatValue(-0), "0");
  assert.equal(formatValue(Symbol("s")), "Symbol(s)");
  assert.equal(formatValue("x".repeat(100)), JSON.stringify(`${"x".repeat(57)}…`));
  assert.equal(formatValue(new Float64Array(10)), "[0, 0, 0, 0, 0, 0, 0, 0, … (10 entries)]");
});

Deno.test("checkArrayLike() checks length before anything is read or allocated", async (t) => {
  await t.step("types: TypeError", () => {
    for (const bad of ["abc", 5, null, undefined, () => 1, 1n, {}, { length: "2" }]) {
      assert.throws(() => checkArrayLike(bad, "values"), TypeError, formatValue(bad));
    }
  });
  await t.step("impossible or too long lengths: RangeError naming `values.length`", () => {
    for (const length of [-1, 0.5, NaN, Infinity, 2 ** 53]) {
      assert.throws(() => checkArrayLike({ length }, "values"), {
        name: "RangeError",
        message: `\`values.length\` must be an integer >= 0, got ${formatValue(length)}`,
      });
    }
    assert.throws(() => checkArrayLike({ length: MAX_LENGTH + 1 }, "values"), {
      name: "RangeError",
      message: `\`values\` must have at most ${MAX_LENGTH} entries (the library's size limit), ` +
        `got ${MAX_LENGTH + 1}`,
    });
  });
  await t.step("a typed array's real length, whatever its own `length` claims", () => {
    const liar = Object.defineProperty(new Float64Array(3), "length", { value: -1 });
    assert.equal(liar.length, -1);
    assert.equal(checkArrayLike(liar, "values"), 3);
  });
  await t.step("readNumbers(): holes are undefined, not numbers; the copy is new", () => {
    assert.throws(() => readNumbers([1, , 3], "values"), {
      name: "TypeError",
      message: "`values[1]` must be a number, got undefined",
    });
    const input = Object.freeze([1, 2]);
    const copy = readNumbers(input, "values");
    copy[0] = 5;
    assert.deepEqual(input, [1, 2]);
  });
});

Deno.test("checkInteger() and checkNumber(): TypeError for types, RangeError for values", () => {
  assert.throws(() => checkInteger("1", "n", { min: 1 }), {
    name: "TypeError",
    message: '`n` must be a number, got "1"',
  });
  assert.throws(() => checkInteger(0.5, "n", { min: 1 }), {
    name: "RangeError",
    message: "`n` must be an integer >= 1, got 0.5",
  });
  assert.throws(() => checkInteger(1e308, "k", { min: 1 }), {
    name: "RangeError",
    message: "`k` must be a safe integer (at most 9007199254740991), got 1e+308",
  });
  assert.throws(() => checkInteger(2 ** 26, "classes", { min: 1, limit: MAX_LENGTH }), {
    name: "RangeError",
    message: "`classes` must be at most 33554432 (the library's size limit), got 67108864",
  });
  assert.throws(() => checkInteger(-1, "seed", { min: 0, max: 7 }), {
    name: "RangeError",
    message: "`seed` must be an integer in [0, 7], got -1",
  });
  assert.throws(() => checkNumber(NaN, "t", { min: 0 }), {
    name: "RangeError",
    message: "`t` must be >= 0, got NaN",
  });
  assert.throws(() => checkNumber(Infinity, "r", { min: 0, finite: true }), {
    name: "RangeError",
    message: "`r` must be a finite number >= 0, got Infinity",
  });
  assert.throws(() => checkNumber(1n, "x"), {
    name: "TypeError",
    message: "`x` must be a number, got 1n",
  });
  assert.equal(checkNumber(-0, "x", { min: 0 }), -0);
});
