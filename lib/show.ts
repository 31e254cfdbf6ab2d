/**
 * `await show(...)`: the one way notebooks display things, so that no output is ever lost.
 *
 * Some Deno releases (measured on 2.9.x) can publish a cell's result or `console.log` output after
 * telling Jupyter the cell is idle, and clients then drop it. Publishing explicitly with
 * `await Deno.jupyter.display(bundle, { raw: true })` and then yielding one event-loop turn
 * (`setTimeout(0)`) makes the message leave before the cell ends. The pinned Deno (2.7.14) lost
 * nothing in our measurements either way; `show()` keeps notebooks safe across upgrades.
 *
 * Outside the Jupyter kernel (a script, a test) `Deno.jupyter` does not exist; `show()` then
 * prints each item's `text/plain` rendering with `console.log`, so notebook code also runs as a
 * plain script.
 *
 * @module
 */

import { formatValue } from "./_validate.ts";

/** A Jupyter mime bundle: mime type to data. */
export type MimeBundle = Record<string, unknown>;

const DISPLAY = Symbol.for("Jupyter.display");

/**
 * The mime bundle for one item: a displayable object's own bundle (charts from plot.ts), a string
 * as plain text, anything else as `Deno.inspect` text (no colours).
 *
 * @param item What to display.
 * @returns A bundle with at least `text/plain`.
 * @throws {TypeError} When a displayable's `Symbol.for("Jupyter.display")` method does not
 * return an object.
 * @example
 * ```ts
 * import { toBundle } from "./show.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(toBundle("P(A) = 0.5"), { "text/plain": "P(A) = 0.5" });
 * assert.deepEqual(toBundle({ a: 1 }), { "text/plain": "{ a: 1 }" });
 * ```
 */
export function toBundle(item: unknown): MimeBundle {
  if (typeof item === "string") return { "text/plain": item };
  if (item !== null && (typeof item === "object" || typeof item === "function")) {
    const method = (item as Record<symbol, unknown>)[DISPLAY];
    if (typeof method === "function") {
      const bundle: unknown = method.call(item);
      if (bundle === null || typeof bundle !== "object" || Array.isArray(bundle)) {
        throw new TypeError(
          `\`item\`'s \`Symbol.for("Jupyter.display")\` method must return a mime bundle ` +
            `object, got ${formatValue(bundle)}`,
        );
      }
      return bundle as MimeBundle;
    }
  }
  return { "text/plain": Deno.inspect(item, { colors: false, depth: 4 }) };
}

/** The kernel's display function, or `undefined` outside `deno jupyter`. */
function kernelDisplay(): typeof Deno.jupyter.display | undefined {
  try {
    // Outside the kernel, reading `Deno.jupyter` throws.
    return Deno.jupyter.display;
  } catch {
    return undefined;
  }
}

/**
 * Displays each item in order, awaiting each message and one event-loop turn after it.
 *
 * In the Jupyter kernel: `await Deno.jupyter.display(toBundle(item), { raw: true })`, then
 * `await` a `setTimeout(0)`. Elsewhere: `console.log` of the `text/plain` rendering.
 *
 * @param items Charts, strings or any values.
 * @example
 * ```ts
 * import { show } from "./show.ts";
 * await show("P(A|B) = 0.375"); // outside Jupyter: printed to stdout
 * ```
 */
export async function show(...items: unknown[]): Promise<void> {
  const display = kernelDisplay();
  for (const item of items) {
    const bundle = toBundle(item);
    if (display === undefined) {
      const text = bundle["text/plain"];
      console.log(typeof text === "string" ? text : Deno.inspect(item, { colors: false }));
      continue;
    }
    await display(bundle, { raw: true });
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}
