/**
 * `deno fmt --check` for notebooks, done in a way that works on a fresh machine.
 *
 * Deno 2.7.14's `deno fmt --check` reports every .ipynb as "not formatted" (with an empty diff)
 * unless its incremental cache in DENO_DIR already knows the file, so it passes on a developer's
 * machine after `deno fmt` and fails in CI (the same class of bug as denoland/deno#25840). The
 * test stage therefore runs `deno fmt --check --ignore=**\/*.ipynb`, and this tool checks each
 * notebook by formatting its text through `deno fmt --ext=ipynb -` (stdin, same config) and
 * comparing. `deno fmt` (write mode) still formats notebooks correctly.
 *
 * @module
 */

import { ROOT } from "./setup.ts";

/** Directories never searched for notebooks (deno.json's `exclude` plus VCS and caches). */
const SKIP = new Set([".git", ".venv", "node_modules", ".out", "site", ".jupyter-data"]);

/**
 * All .ipynb files under a directory, skipping {@linkcode SKIP} and hidden checkpoint folders.
 *
 * @param dir Absolute directory to search.
 * @returns Absolute paths, sorted.
 */
export async function findNotebooks(dir: string): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isDirectory && !SKIP.has(entry.name) && entry.name !== ".ipynb_checkpoints") {
      found.push(...await findNotebooks(`${dir}/${entry.name}`));
    } else if (entry.isFile && entry.name.endsWith(".ipynb")) {
      found.push(`${dir}/${entry.name}`);
    }
  }
  return found.sort();
}

/**
 * The first line where two texts differ, for a short message.
 *
 * @param a One text.
 * @param b The other.
 * @returns 1-based line number, or 0 when equal.
 */
export function firstDifferentLine(a: string, b: string): number {
  if (a === b) return 0;
  const x = a.split("\n");
  const y = b.split("\n");
  for (let i = 0; i < Math.max(x.length, y.length); i++) if (x[i] !== y[i]) return i + 1;
  return 0;
}

/** What `deno fmt` made of a text: the formatted text, or why it could not format it. */
export interface FormatResult {
  /** True when `deno fmt` succeeded. */
  ok: boolean;
  /** The formatted text (empty when `ok` is false). */
  text: string;
  /** `deno fmt`'s error output, trimmed (empty when `ok` is true). */
  error: string;
}

/**
 * Formats a text as `deno fmt` would format a file with extension `ext`, through stdin with the
 * project's config (so no file, and no DENO_DIR cache, is involved).
 *
 * @param text The file's content.
 * @param ext The extension that selects the formatter, e.g. `"ipynb"` or `"md"`.
 * @returns The formatted text, or the error.
 */
export async function denoFmt(text: string, ext: string): Promise<FormatResult> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["fmt", `--ext=${ext}`, "-"],
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(text));
  await writer.close();
  const out = await child.output();
  const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
  return out.success
    ? { ok: true, text: decode(out.stdout), error: "" }
    : { ok: false, text: "", error: decode(out.stderr).trim() };
}

if (import.meta.main) {
  const files = await findNotebooks(ROOT);
  const bad: string[] = [];
  for (const file of files) {
    const text = await Deno.readTextFile(file);
    const out = await denoFmt(text, "ipynb");
    const name = file.slice(ROOT.length + 1);
    if (!out.ok) {
      bad.push(`${name}: deno fmt cannot parse it: ${out.error}`);
      continue;
    }
    const line = firstDifferentLine(text, out.text);
    if (line > 0) {
      bad.push(`${name}: not formatted (first difference at line ${line}); run \`deno fmt\``);
    }
  }
  for (const message of bad) console.error(message);
  console.log(`Checked formatting of ${files.length} notebook(s), ${bad.length} not formatted`);
  Deno.exit(bad.length === 0 ? 0 : 1);
}
