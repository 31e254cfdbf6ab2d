/**
 * The fuzz harness behind tests/fuzz/: adversarial values and the one property every export must
 * keep (project issue 12).
 *
 * For every call the property is: it returns a well-formed result (no NaN anywhere, no ±Infinity
 * unless the export documents it, no holes; plus the export's own checks) or it throws a
 * `RangeError` or `TypeError` (exactly those classes) whose message names, in backticks, one of
 * the export's public parameters or option keys; within a time limit; and it leaves every input
 * as it was (deep snapshot before and after, `Object.is` on every number, so -0 and NaN count).
 *
 * Budget: `FUZZ_RUNS` (environment) is the total number of generated cases over all targets,
 * shared out by each target's `weight`; default {@linkcode DEFAULT_RUNS}. `FUZZ_SEED` fixes the
 * seed (default 42 in the test suite; `deno task fuzz` sets FUZZ_RUNS and draws a fresh seed,
 * printed so a failure can be replayed). `FUZZ_TIME_LIMIT_MS` is the per-call limit (default
 * 10,000 ms: typical calls take well under 1 ms and the 150,000-entry charts about a second
 * on an idle 2-core machine, but several times that when other jobs load it; the limit is there
 * to catch hangs and quadratic blow-ups, not to benchmark). `FUZZ_ONLY` runs only the targets
 * whose name contains it.
 *
 * @module
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import { MAX_LENGTH } from "../../lib/_validate.ts";

/** Cases per suite run when FUZZ_RUNS is not set (`deno task test`). */
export const DEFAULT_RUNS = 6000;

function env(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch {
    return undefined; // no --allow-env
  }
}

/** Total generated cases for this run. */
export const TOTAL_RUNS = Number(env("FUZZ_RUNS") ?? DEFAULT_RUNS);
/** The seed: FUZZ_SEED, else 42 in the suite, else (FUZZ_RUNS set) a fresh one. */
export const SEED = env("FUZZ_SEED") !== undefined
  ? Number(env("FUZZ_SEED"))
  : env("FUZZ_RUNS") !== undefined
  ? Date.now() % 2 ** 31
  : 42;
/** Per-call time limit in milliseconds. */
export const TIME_LIMIT_MS = Number(env("FUZZ_TIME_LIMIT_MS") ?? 10_000);
/** Only targets whose name contains this (FUZZ_ONLY), for replaying one failure. */
export const ONLY = env("FUZZ_ONLY");

// ---------------------------------------------------------------------------------------------
// Adversarial values

/** Numbers that break naive arithmetic, plus sizes that break naive allocation. */
export const WEIRD_NUMBERS: readonly number[] = Object.freeze([
  NaN,
  Infinity,
  -Infinity,
  -0,
  0,
  1e308,
  -1e308,
  Number.MAX_VALUE,
  5e-324,
  -5e-324,
  1e-15,
  0.5,
  -1,
  1,
  2,
  3,
  2 ** 31,
  2 ** 32 - 1,
  2 ** 32,
  2 ** 53,
  Number.MAX_SAFE_INTEGER,
  MAX_LENGTH + 1,
  1 - 2 ** -53,
]);

/** A weird number or a plain double. */
export const weirdNumber: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom(...WEIRD_NUMBERS) },
  { weight: 1, arbitrary: fc.double() },
  { weight: 1, arbitrary: fc.integer({ min: -3, max: 12 }) },
);

/** A getter-free object without a prototype. */
function bare(entries: Record<string, unknown> = {}): object {
  return Object.assign(Object.create(null), entries);
}

/** Values of the wrong type for almost any parameter. */
export const wrongType: fc.Arbitrary<unknown> = fc.constantFrom<unknown>(
  "1",
  "",
  "abc",
  null,
  undefined,
  1n,
  Symbol("s"),
  true,
  bare(),
  bare({ length: 2, 0: 1, 1: 2 }),
  {},
  { valueOf: () => 1 },
  [],
  () => 1,
  new Date(0),
  new Map([[1, 2]]),
  new DataView(new ArrayBuffer(8)),
  new BigInt64Array(2),
);

/** Names a big value in counterexamples instead of printing its 150,000 entries. */
function named<T extends object>(value: T, name: string): T {
  Object.defineProperty(value, fc.toStringMethod, { value: () => name });
  return value;
}

/** A real Float64Array of 150,000 entries: big enough to overflow `Math.max(...values)`. */
export const HUGE_NUMBERS: Float64Array = named(
  Float64Array.from({ length: 150_000 }, (_, i) => (i % 7) / 7),
  "HUGE_NUMBERS",
);
/** 150,000 labels, for charts. */
export const HUGE_STRINGS: readonly string[] = Object.freeze(
  named(Array.from({ length: 150_000 }, (_, i) => `w${i}`), "HUGE_STRINGS"),
);

/** Array-likes whose `length` is impossible or beyond the library's size limit. */
export const impossibleArrayLike: fc.Arbitrary<unknown> = fc
  .constantFrom<unknown>(-1, 0.5, NaN, Infinity, 2 ** 32, 2 ** 53, MAX_LENGTH + 1, "2", 1n, null)
  .map((length) => ({ length, 0: 0.5, 1: 0.5 }));

/** A sparse array: `values` with holes punched at every third index. */
function sparse<T>(values: readonly T[]): T[] {
  const out = new Array<T>(values.length);
  values.forEach((v, i) => {
    if (i % 3 !== 1) out[i] = v;
  });
  return out;
}

/** The ways an array of numbers can be handed over: frozen, typed, sparse, array-like, … */
export function arrayLikeOf(values: fc.Arbitrary<number[]>): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 30, arbitrary: values },
    { weight: 10, arbitrary: values.map((v) => Object.freeze([...v])) },
    { weight: 10, arbitrary: values.map((v) => Float64Array.from(v)) },
    { weight: 5, arbitrary: values.map((v) => Float32Array.from(v)) },
    {
      weight: 5,
      arbitrary: values.map((v) => Object.freeze({ ...v, length: v.length })),
    },
    { weight: 5, arbitrary: values.map((v) => bare({ ...v, length: v.length })) },
    { weight: 5, arbitrary: values.map(sparse) },
    { weight: 5, arbitrary: impossibleArrayLike },
    { weight: 1, arbitrary: fc.constant(HUGE_NUMBERS) },
    {
      weight: 5,
      arbitrary: fc.array(fc.oneof(weirdNumber, wrongType), { maxLength: 6 }),
    },
  );
}

/** Words, including the special tokens and strings that trip JSON or HTML. */
export const word: fc.Arbitrary<string> = fc.oneof(
  { weight: 5, arbitrary: fc.constantFrom("a", "b", "c", "the", "cat") },
  {
    weight: 1,
    arbitrary: fc.constantFrom(
      "<s>",
      "</s>",
      "<unk>",
      "",
      " ",
      "__proto__",
      "constructor",
      "\u2028",
      "\ud800",
      "</script>",
      "a".repeat(300),
    ),
  },
  { weight: 1, arbitrary: fc.string({ maxLength: 4 }) },
);

/** The ways an array of strings can be handed over (or not). */
export function stringArrayOf(values: fc.Arbitrary<string[]>): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 40, arbitrary: values },
    { weight: 10, arbitrary: values.map((v) => Object.freeze([...v])) },
    { weight: 5, arbitrary: values.map(sparse) },
    { weight: 5, arbitrary: values.map((v) => ({ ...v, length: v.length })) },
    { weight: 5, arbitrary: fc.array(fc.oneof(word, wrongType, weirdNumber), { maxLength: 5 }) },
    { weight: 1, arbitrary: fc.constant(HUGE_STRINGS) },
    { weight: 5, arbitrary: wrongType },
  );
}

/** Any adversarial value. */
export const anything: fc.Arbitrary<unknown> = fc.oneof(
  weirdNumber,
  wrongType,
  impossibleArrayLike,
  fc.array(fc.oneof(weirdNumber, wrongType), { maxLength: 4 }),
);

/** Mostly `valid`, sometimes anything at all (a wrong type, a weird number, a bad array). */
export function mostly<T>(valid: fc.Arbitrary<T>, weight = 5): fc.Arbitrary<unknown> {
  return fc.oneof({ weight, arbitrary: valid }, { weight: 1, arbitrary: anything });
}

/** An options object: each key present with a mostly-valid value, or absent; or no object. */
export function optionsOf(
  fields: Record<string, fc.Arbitrary<unknown>>,
  required: string[] = [],
): fc.Arbitrary<unknown> {
  const record = fc.record(fields, { requiredKeys: required });
  return fc.oneof(
    { weight: 12, arbitrary: record },
    { weight: 1, arbitrary: record.map((r) => Object.freeze(r)) },
    { weight: 1, arbitrary: record.map((r) => Object.assign(Object.create(null), r)) },
    { weight: 1, arbitrary: anything },
  );
}

/** Temperatures at the edges: 0, Infinity, 5e-324, 1e308, and ordinary ones. */
export const temperature: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(0, Infinity, 5e-324, 1e-300, 1e308, 1, 0.5, 2),
  fc.double({ min: 0, max: 100, noNaN: true }),
);

/** Logits with masked entries and extremes. */
export const logits: fc.Arbitrary<number[]> = fc.array(
  fc.oneof(
    { weight: 4, arbitrary: fc.double({ min: -1000, max: 1000, noNaN: true }) },
    { weight: 1, arbitrary: fc.constantFrom(-Infinity, 1e308, -1e308, 5e-324, -0, 0) },
  ),
  { minLength: 1, maxLength: 10 },
);

/** Probability distributions, some with zeros, subnormal or near-one entries. */
export const probabilities: fc.Arbitrary<number[]> = fc.oneof(
  fc.constantFrom([1], [0.5, 0.5], [1, 0], [0, 1, 0], [5e-324, 1], [0.1, 0.05, 0.4, 0.15, 0.3])
    .map((p) => [...p]),
  fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 10 })
    .filter((w) => w.some((x) => x > 1e-3))
    .map((w) => {
      const total = w.reduce((a, b) => a + b, 0);
      return w.map((x) => x / total);
    }),
);

/** Sources of randomness, well-behaved or not. */
export const random: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.integer({ min: 0, max: 1000 }).map(lcg) },
  {
    weight: 1,
    arbitrary: fc.constantFrom<unknown>(
      () => 0,
      () => 1 - 2 ** -53,
      () => 1,
      () => -0,
      () => NaN,
      () => "0.5",
      () => 1n,
      5,
      null,
    ),
  },
);

/** A small deterministic uniform source (an LCG), so the fuzz needs no lib/ function to run. */
export function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

// ---------------------------------------------------------------------------------------------
// Snapshots: did the call change its input?

type Snapshot = unknown;

/**
 * A deep, side-effect-free picture of a value (getters are not called). Arrays and typed arrays
 * are copied flat (holes kept) and only their object entries are followed, so 150,000 entries
 * cost one copy.
 */
export function snapshot(value: unknown, depth = 0, seen = new Set<unknown>()): Snapshot {
  if (typeof value !== "object" || value === null) return { leaf: value };
  if (seen.has(value) || depth > 5) return { ref: value };
  seen.add(value);
  if (ArrayBuffer.isView(value)) {
    return value instanceof DataView
      ? { view: value.byteLength }
      : { typed: (value as unknown as { slice(): unknown }).slice() };
  }
  if (value instanceof Map || value instanceof Set) return { collection: value.size };
  const extra: [PropertyKey, Snapshot][] = [];
  let flat: unknown[] | undefined;
  if (Array.isArray(value)) {
    flat = value.slice();
    for (let i = 0; i < value.length; i++) {
      const v = value[i];
      if (typeof v === "object" && v !== null) extra.push([i, snapshot(v, depth + 1, seen)]);
    }
  }
  for (const key of Reflect.ownKeys(value)) {
    if (
      flat !== undefined && (key === "length" || (typeof key === "string" && /^\d+$/.test(key)))
    ) {
      continue;
    }
    const d = Object.getOwnPropertyDescriptor(value, key)!;
    extra.push([key, "value" in d ? snapshot(d.value, depth + 1, seen) : { get: d.get }]);
  }
  return { frozen: Object.isFrozen(value), proto: Object.getPrototypeOf(value), flat, extra };
}

function sameFlat(a: ArrayLike<unknown>, b: ArrayLike<unknown>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i]) || (i in (a as object)) !== (i in (b as object))) return false;
  }
  return true;
}

/** Deep equality of snapshots, Object.is at the leaves. */
export function sameSnapshot(a: Snapshot, b: Snapshot): boolean {
  if (typeof a !== "object" || a === null || typeof b !== "object" || b === null) {
    return Object.is(a, b);
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Reflect.ownKeys(a);
  const kb = Reflect.ownKeys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    const va = (a as Record<PropertyKey, unknown>)[k];
    const vb = (b as Record<PropertyKey, unknown>)[k];
    if (k === "leaf" || k === "ref" || k === "proto" || k === "get") {
      if (!Object.is(va, vb)) return false;
    } else if (k === "typed" || k === "flat") {
      if ((va === undefined) !== (vb === undefined)) return false;
      if (va !== undefined && !sameFlat(va as unknown[], vb as unknown[])) return false;
    } else if (!sameSnapshot(va, vb)) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Results

/**
 * Checks a result deeply: no NaN, no ±Infinity unless allowed, no holes in arrays, no undefined
 * entries; at most `budget` numbers are looked at (typed arrays are scanned whole).
 */
export function assertWellFormed(result: unknown, allowInfinity = false): void {
  const seen = new Set<unknown>();
  const visit = (value: unknown, path: string, depth: number): void => {
    if (typeof value === "number") {
      assert.ok(!Number.isNaN(value), `NaN at ${path}`);
      if (!allowInfinity) assert.ok(Number.isFinite(value), `${value} at ${path}`);
      return;
    }
    if (typeof value !== "object" || value === null || seen.has(value) || depth > 6) return;
    seen.add(value);
    if (ArrayBuffer.isView(value) && !(value instanceof DataView)) {
      const array = value as unknown as ArrayLike<number>;
      for (let i = 0; i < array.length; i++) visit(array[i], `${path}[${i}]`, depth + 1);
      return;
    }
    if (Array.isArray(value)) {
      const limit = Math.min(value.length, 2000);
      for (let i = 0; i < limit; i++) {
        assert.ok(i in value, `hole at ${path}[${i}]`);
        assert.notEqual(value[i], undefined, `undefined at ${path}[${i}]`);
        visit(value[i], `${path}[${i}]`, depth + 1);
      }
      return;
    }
    for (const key of Object.keys(value)) {
      visit((value as Record<string, unknown>)[key], `${path}.${key}`, depth + 1);
    }
  };
  visit(result, "result", 0);
}

/** The first backticked name's root: "`counts.rowTotals[3]`" → "counts", "`random()`" → "random". */
export function namedParameter(message: string): string | undefined {
  const quoted = /`([^`]+)`/.exec(message)?.[1];
  return quoted === undefined ? undefined : /^[A-Za-z_$][\w$]*/.exec(quoted)?.[0];
}

// ---------------------------------------------------------------------------------------------
// Targets

// deno-lint-ignore no-explicit-any
type Any = any;

/** One export (or one method) under fuzz. */
export interface Target {
  /** The export's name, e.g. "softmax" or "NGramModel.probability". */
  name: string;
  /** Names a message may put first in backticks: parameters, option keys, `random()`. */
  params: readonly string[];
  /** Generated arguments (or raw material for `build`). */
  args: fc.Arbitrary<Any>;
  /** Turns the generated value into the call's arguments (default: it is the argument list). */
  build?: (generated: Any) => unknown[];
  /** The call. */
  call: (...args: Any[]) => unknown;
  /** Extra checks of a returned result. */
  check?: (result: Any, args: Any) => void;
  /** Whether ±Infinity may appear in a result (documented losses, log-probabilities). */
  infinite?: boolean;
  /**
   * The result is the input's own data handed back (toBundle returns a displayable's own
   * bundle): it is not searched for NaN, only checked by `check`.
   */
  passThrough?: boolean;
  /** Share of the run budget (default 1). */
  weight?: number;
  /** Fewest cases, whatever the budget (default 20). */
  minRuns?: number;
}

/** How many cases a target gets: its share of TOTAL_RUNS over `totalWeight`, at least minRuns. */
export function runsFor(target: Target, totalWeight: number): number {
  return Math.max(
    target.minRuns ?? 20,
    Math.round(TOTAL_RUNS * (target.weight ?? 1) / totalWeight),
  );
}

/** The property for one call; returns a description when it fails (assert throws). */
export async function probe(target: Target, generated: unknown): Promise<void> {
  const args = target.build ? target.build(generated) : generated as unknown[];
  const before = snapshot(args);
  const start = performance.now();
  let result: unknown;
  let error: unknown;
  try {
    result = await target.call(...args);
  } catch (e) {
    error = e;
  }
  const elapsed = performance.now() - start;
  assert.ok(elapsed <= TIME_LIMIT_MS, `took ${elapsed.toFixed(0)} ms (limit ${TIME_LIMIT_MS} ms)`);
  assert.ok(sameSnapshot(before, snapshot(args)), "the input was modified");
  if (error !== undefined) {
    const e = error as Error;
    assert.ok(
      e?.constructor === RangeError || e?.constructor === TypeError,
      `threw ${e?.constructor?.name ?? typeof e}: ${e?.message ?? String(e)}`,
    );
    const name = namedParameter(e.message);
    assert.ok(
      name !== undefined && target.params.includes(name),
      `${e.constructor.name} names ${name === undefined ? "no parameter" : `\`${name}\``} ` +
        `(allowed: ${target.params.join(", ")}): ${e.message}`,
    );
    return;
  }
  if (!target.passThrough) assertWellFormed(result, target.infinite);
  target.check?.(result, args);
}
