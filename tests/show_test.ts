import assert from "node:assert/strict";
import { show, toBundle } from "../lib/show.ts";
import { barChart } from "../lib/charts/bar_line.ts";
import { PLOTLY_MIME } from "../lib/charts/chart.ts";

/** Runs `fn` with console.log captured. */
async function captureLog(fn: () => Promise<void>): Promise<string[]> {
  const lines: string[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => lines.push(args.map(String).join(" "));
  try {
    await fn();
  } finally {
    console.log = original;
  }
  return lines;
}

Deno.test("toBundle() uses a displayable's own bundle", () => {
  const c = barChart({ title: "t", labels: ["a"], values: [1] });
  const bundle = toBundle(c);
  assert.deepEqual(bundle[PLOTLY_MIME], c.figure);
  assert.equal(bundle["text/plain"], c.text);
});

Deno.test("toBundle() renders other values as plain text without colours", () => {
  assert.deepEqual(toBundle("x"), { "text/plain": "x" });
  assert.deepEqual(toBundle(0.375), { "text/plain": "0.375" });
  assert.deepEqual(toBundle([1, 2]), { "text/plain": "[ 1, 2 ]" });
  assert.ok(!String(toBundle({ a: "s" })["text/plain"]).includes("\x1b["));
});

Deno.test("toBundle() rejects a display method that returns no object", () => {
  const bad = { [Symbol.for("Jupyter.display")]: () => "nope" };
  assert.throws(() => toBundle(bad), TypeError);
});

Deno.test("show() prints text/plain outside the Jupyter kernel", async () => {
  const c = barChart({ title: "t", labels: ["a"], values: [1] });
  const lines = await captureLog(() => show("first", c, 42));
  assert.deepEqual(lines, ["first", c.text, "42"]);
});
