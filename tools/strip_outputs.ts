/**
 * Git's clean filter for notebooks: reads a notebook on stdin and writes it without outputs, so
 * what a learner's runs saved never reaches `git diff` or a commit. Named in `.gitattributes`
 * (`notebooks/**\/*.ipynb filter=notebook-outputs`) and configured in `.git/config` by
 * `deno task setup` and `deno task lab` (tools/setup.ts `ensureGitFilter`).
 *
 * A notebook that has nothing to strip passes through byte for byte; one that has is written as
 * Jupyter writes notebooks (keys sorted, one-space indent), which is how they are committed.
 * Anything that is not a notebook passes through unchanged.
 *
 * `--write <notebook>…` rewrites files in place instead: stripped, in Jupyter's layout (how the
 * course's notebooks are committed, so the filter leaves a clean copy byte for byte as it is).
 *
 * @module
 */

/** Cell metadata JupyterLab adds while running, never committed. */
const RUN_METADATA = ["execution", "scrolled"];

/**
 * A copy of a notebook with every code cell's outputs and execution count cleared and run-time
 * cell metadata removed.
 *
 * @param nb A parsed notebook.
 * @returns The stripped copy, or `undefined` when there was nothing to strip.
 * @example
 * ```ts
 * import { stripOutputs } from "./strip_outputs.ts";
 * import assert from "node:assert/strict";
 * const nb = { cells: [{ cell_type: "code", execution_count: 3, metadata: {}, outputs: [{}], source: "1" }] };
 * assert.deepEqual(stripOutputs(nb)?.cells, [{ cell_type: "code", execution_count: null, metadata: {}, outputs: [], source: "1" }]);
 * assert.equal(stripOutputs(stripOutputs(nb)), undefined);
 * ```
 */
export function stripOutputs(nb: unknown): Record<string, unknown> | undefined {
  if (nb === null || typeof nb !== "object" || !Array.isArray((nb as { cells?: unknown }).cells)) {
    return undefined;
  }
  let changed = false;
  const cells = (nb as { cells: Record<string, unknown>[] }).cells.map((cell) => {
    if (cell?.cell_type !== "code") return cell;
    const metadata = { ...(cell.metadata as Record<string, unknown> ?? {}) };
    for (const key of RUN_METADATA) {
      if (key in metadata) {
        delete metadata[key];
        changed = true;
      }
    }
    const outputs = cell.outputs as unknown[] | undefined;
    if ((outputs?.length ?? 0) > 0 || (cell.execution_count ?? null) !== null) changed = true;
    return { ...cell, execution_count: null, metadata, outputs: [] };
  });
  return changed ? { ...nb as Record<string, unknown>, cells } : undefined;
}

/**
 * JSON as Jupyter writes a notebook: keys sorted, one-space indent, non-ASCII kept, newline at the
 * end.
 *
 * @param value The notebook.
 * @returns The file's text.
 * @example
 * ```ts
 * import { jupyterJson } from "./strip_outputs.ts";
 * import assert from "node:assert/strict";
 * assert.equal(jupyterJson({ b: [1], a: "温度" }), '{\n "a": "温度",\n "b": [\n  1\n ]\n}\n');
 * ```
 */
export function jupyterJson(value: unknown): string {
  const sorted = (v: unknown): unknown =>
    Array.isArray(v) ? v.map(sorted) : v !== null && typeof v === "object"
      ? Object.fromEntries(
        Object.keys(v).sort().map((k) => [k, sorted((v as Record<string, unknown>)[k])]),
      )
      : v;
  return `${JSON.stringify(sorted(value), null, 1)}\n`;
}

/**
 * A notebook file's text as it should be stored: outputs stripped, in Jupyter's layout.
 *
 * @param text The file's text.
 * @returns The text to store (the input itself when it is already so, or is not a notebook).
 */
export function canonicalNotebook(text: string): string {
  let nb: unknown;
  try {
    nb = JSON.parse(text);
  } catch {
    return text;
  }
  const stripped = stripOutputs(nb);
  if (stripped !== undefined) return jupyterJson(stripped);
  return nb !== null && typeof nb === "object" && Array.isArray((nb as { cells?: unknown }).cells)
    ? jupyterJson(nb)
    : text;
}

if (import.meta.main && Deno.args[0] === "--write") {
  // `deno run --allow-read --allow-write tools/strip_outputs.ts --write <notebook>…`: rewrites
  // each file stripped and in Jupyter's layout (keys sorted, one-space indent).
  for (const file of Deno.args.slice(1)) {
    const text = await Deno.readTextFile(file);
    const wanted = canonicalNotebook(text);
    if (wanted !== text) {
      await Deno.writeTextFile(file, wanted);
      console.error(`${file}: rewritten`);
    }
  }
} else if (import.meta.main) {
  const input = await new Response(Deno.stdin.readable).text();
  let output = input;
  try {
    const stripped = stripOutputs(JSON.parse(input));
    if (stripped !== undefined) output = jupyterJson(stripped);
  } catch {
    // not JSON: leave it to git as it is
  }
  await Deno.stdout.write(new TextEncoder().encode(output));
}
