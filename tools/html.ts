/**
 * `deno task html [--out DIR] [--executed DIR]`: executes every notebook once (fresh kernel each,
 * tools/run_notebook.py) and writes the course as static HTML, by default to `site/`:
 *
 * - `index.html`: the notebooks in order, each with its one-line summary from the README table;
 * - `<notebook>.html`: the executed notebook (markdown, code, every output, interactive charts);
 * - `plotly.min.js`: plotly.js from the npm package `plotly.js-dist-min` (deno.json pins it),
 *   loaded once by every page through a relative `<script src>`. Nothing is fetched from the
 *   network, and the pages work from `file://`.
 *
 * One shared copy of plotly.js (4.8 MB) rather than one inlined into each page keeps `site/` near
 * 5 MB instead of 30 MB and lets the browser cache it across pages. A page copied elsewhere without
 * it still shows every number: each chart's text summary stays in place until plotly.js draws it.
 *
 * The executed notebooks are kept in `--executed` (default `.out/`, as `deno task nb` does).
 *
 * @module
 */

import { listNotebooks, type Notebook } from "./notebook.ts";
import { ensureSetupOrExit, ROOT } from "./setup.ts";
import {
  countFigures,
  type Executed,
  executeNotebooks,
  expectedFigures,
  notebookStem,
  notebookTitle,
  readmeSummaries,
  renderIndex,
  renderPage,
} from "./site.ts";

/** plotly.js as installed from npm. */
export const PLOTLY_JS: string = `${ROOT}/node_modules/plotly.js-dist-min/plotly.min.js`;

/** Makes sure {@linkcode PLOTLY_JS} is installed (`deno install` when it is not). */
export async function ensurePlotlyJs(): Promise<string> {
  const present = async () => {
    try {
      return (await Deno.stat(PLOTLY_JS)).isFile;
    } catch {
      return false;
    }
  };
  if (await present()) return PLOTLY_JS;
  await new Deno.Command(Deno.execPath(), { args: ["install", "--quiet"], cwd: ROOT }).output();
  if (!(await present())) {
    throw new Error(`${PLOTLY_JS} is missing and \`deno install\` did not bring it`);
  }
  return PLOTLY_JS;
}

/** What was written for one notebook. */
export interface PageReport {
  source: string;
  page: string;
  bytes: number;
  figures: number;
  expected: number | undefined;
}

/**
 * Writes the site for already executed notebooks.
 *
 * @param executed The executed notebooks, in course order.
 * @param outDir The site directory (its old `.html` files are removed first).
 * @returns One report per notebook page.
 */
export async function writeSite(
  executed: readonly Executed[],
  outDir: string,
): Promise<PageReport[]> {
  await Deno.mkdir(outDir, { recursive: true });
  for await (const entry of Deno.readDir(outDir)) {
    if (entry.isFile && entry.name.endsWith(".html")) await Deno.remove(`${outDir}/${entry.name}`);
  }
  await Deno.copyFile(await ensurePlotlyJs(), `${outDir}/plotly.min.js`);
  const summaries = readmeSummaries(await Deno.readTextFile(`${ROOT}/README.md`));
  const pages = executed.map((e) => ({
    ...e,
    stem: notebookStem(e.source),
    title: notebookTitle(e.notebook, notebookStem(e.source)),
  }));
  const reports: PageReport[] = [];
  for (const [i, page] of pages.entries()) {
    const previous = pages[i - 1];
    const next = pages[i + 1];
    const html = renderPage(page.notebook, {
      title: page.title,
      source: page.source,
      plotlySrc: "plotly.min.js",
      links: {
        index: "index.html",
        ...(previous ? { previous: { href: `${previous.stem}.html`, title: previous.title } } : {}),
        ...(next ? { next: { href: `${next.stem}.html`, title: next.title } } : {}),
      },
    });
    const file = `${outDir}/${page.stem}.html`;
    await Deno.writeTextFile(file, html);
    reports.push({
      source: page.source,
      page: file,
      bytes: new TextEncoder().encode(html).length,
      figures: countFigures(page.notebook),
      expected: expectedFigures(page.notebook),
    });
  }
  await Deno.writeTextFile(
    `${outDir}/index.html`,
    renderIndex(pages.map((p) => ({
      href: `${p.stem}.html`,
      title: p.title,
      summary: summaries.get(p.stem) ?? firstSentence(p.notebook),
    }))),
  );
  return reports;
}

/** The first sentence after the title, for a notebook the README table does not list. */
function firstSentence(nb: Notebook): string {
  const text = nb.cells.filter((c) => c.cell_type === "markdown")
    .map((c) => (Array.isArray(c.source) ? c.source.join("") : c.source))
    .join("\n\n").replace(/^#.*$/gm, "").trim();
  return (/^[\s\S]*?[.!?](\s|$)/.exec(text)?.[0] ?? text).replace(/\s+/g, " ").trim();
}

/** Parsed command line of `deno task html`. */
export interface HtmlArgs {
  out: string;
  executed: string;
}

/**
 * Parses `[--out DIR] [--executed DIR]`.
 *
 * @param args The task's arguments.
 * @returns Absolute or as-given directories (defaults `site` and `.out` under the project root).
 * @throws {RangeError} On an unknown option or a missing value.
 * @example
 * ```ts
 * import { parseHtmlArgs } from "./html.ts";
 * import assert from "node:assert/strict";
 * assert.equal(parseHtmlArgs(["--out", "/tmp/s"]).out, "/tmp/s");
 * ```
 */
export function parseHtmlArgs(args: readonly string[]): HtmlArgs {
  const parsed: HtmlArgs = { out: `${ROOT}/site`, executed: `${ROOT}/.out` };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg !== "--out" && arg !== "--executed") throw new RangeError(`Unknown option \`${arg}\``);
    const value = args[++i];
    if (value === undefined) throw new RangeError(`\`${arg}\` needs a value`);
    parsed[arg === "--out" ? "out" : "executed"] = value;
  }
  return parsed;
}

/** Formats a byte count as `12.3 kB` / `4.83 MB`. */
export function formatBytes(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(2)} MB` : `${(bytes / 1e3).toFixed(1)} kB`;
}

if (import.meta.main) {
  let args: HtmlArgs;
  try {
    args = parseHtmlArgs(Deno.args);
  } catch (error) {
    console.error((error as Error).message);
    Deno.exit(2);
  }
  await ensureSetupOrExit();
  const notebooks = (await listNotebooks(`${ROOT}/notebooks`)).map((p) => p.slice(ROOT.length + 1));
  const started = performance.now();
  let executed: Executed[];
  try {
    executed = await executeNotebooks(notebooks, args.executed);
  } catch (error) {
    console.error((error as Error).message);
    Deno.exit(1);
  }
  const reports = await writeSite(executed, args.out);
  for (const r of reports) {
    console.log(
      `${r.page}: ${formatBytes(r.bytes)}, ${r.figures} chart(s)` +
        (r.expected !== undefined && r.expected !== r.figures ? ` (expected ${r.expected})` : ""),
    );
  }
  const plotly = (await Deno.stat(`${args.out}/plotly.min.js`)).size;
  console.log(
    `${args.out}/plotly.min.js: ${formatBytes(plotly)} (shared by every page); ` +
      `${args.out}/index.html; done in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );
}
