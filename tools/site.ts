/**
 * The course outside JupyterLab: executing every notebook once and rendering the executed copies
 * as HTML pages (`deno task html`, tools/html.ts) and as Markdown with chart images
 * (`deno task docs`, tools/docs.ts). Pure rendering functions plus {@linkcode executeNotebooks}.
 *
 * Outputs are rendered in this order of preference: a plotly figure (drawn by plotly.js through
 * lib/charts/chart.ts's {@linkcode plotlyHtml}, its text summary shown until then), `text/html`,
 * `image/png`, `image/svg+xml`, then `text/plain`.
 *
 * @module
 */

import { marked } from "marked";
import { escapeHtml, PLOTLY_MIME, type PlotlyFigure, plotlyHtml } from "../lib/charts/mod.ts";
import { cellSource, type Notebook } from "./notebook.ts";
import { jupyterEnv, ROOT, sha256Hex, VENV_PYTHON } from "./setup.ts";

/** One output of an executed code cell (nbformat 4). */
export interface Output {
  output_type: string;
  data?: Record<string, unknown>;
  text?: string | string[];
  name?: string;
  ename?: string;
  evalue?: string;
  traceback?: string[];
}

/** The label of a code cell whose source JupyterLab shows collapsed. */
export const HIDDEN_SUMMARY = "Checks: the notebook's regression checks (collapsed in JupyterLab)";

/** Whether JupyterLab shows the cell's source collapsed (`metadata.jupyter.source_hidden`). */
export function sourceHidden(cell: Notebook["cells"][number]): boolean {
  const jupyter = cell.metadata?.jupyter as { source_hidden?: unknown } | undefined;
  return jupyter?.source_hidden === true;
}

/** Multi-line string fields in .ipynb may be arrays of lines. */
export function joinText(value: unknown): string {
  return Array.isArray(value) ? value.join("") : typeof value === "string" ? value : "";
}

/** The outputs of a cell (an empty list for markdown cells and unexecuted code). */
export function cellOutputs(cell: Notebook["cells"][number]): Output[] {
  return (cell.outputs ?? []) as Output[];
}

// deno-lint-ignore no-control-regex
const ANSI = /\x1b\[[0-9;]*[A-Za-z]/g;

/** A notebook's name without directory and `.ipynb`, e.g. `01-conditional-probability`. */
export function notebookStem(path: string): string {
  return path.split("/").at(-1)!.replace(/\.ipynb$/, "");
}

/**
 * The notebook's title: the text of its first `# ` heading, or its name when it has none.
 *
 * @param nb The notebook.
 * @param fallback Used when there is no heading.
 * @returns The title as plain text (inline markdown such as backticks removed).
 * @example
 * ```ts
 * import { notebookTitle } from "./site.ts";
 * import assert from "node:assert/strict";
 * const nb = { cells: [{ cell_type: "markdown" as const, source: "# 04 · `T`\n\nText" }], metadata: {}, nbformat: 4, nbformat_minor: 5 };
 * assert.equal(notebookTitle(nb, "x"), "04 · T");
 * ```
 */
export function notebookTitle(nb: Notebook, fallback: string): string {
  for (const cell of nb.cells) {
    if (cell.cell_type !== "markdown") continue;
    const match = /^#\s+(.+)$/m.exec(cellSource(cell));
    if (match) return match[1]!.replace(/[`*_]/g, "").trim();
  }
  return fallback;
}

/**
 * One-line summaries of the notebooks from the README's notebook table (rows of the form
 * `` | `01-conditional-probability` | what it teaches | ``), so the index says what the README
 * says.
 *
 * @param readme The README's text.
 * @returns Notebook name to its summary (inline markdown).
 * @example
 * ```ts
 * import { readmeSummaries } from "./site.ts";
 * import assert from "node:assert/strict";
 * const rows = "| `04-temperature` | softmax \\| T, a slider   |\n| `lib` | no |";
 * assert.deepEqual([...readmeSummaries(rows)], [["04-temperature", "softmax \\| T, a slider"]]);
 * ```
 */
export function readmeSummaries(readme: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const match of readme.matchAll(/^\|\s*`(\d\d-[\w-]+)`\s*\|\s*(.*?)\s*\|\s*$/gm)) {
    found.set(match[1]!, match[2]!);
  }
  return found;
}

/**
 * sha256 of a plotly figure's JSON, the identity of a chart: the docs name each chart image
 * after it, so a changed chart gets a new file name and a stale image cannot hide.
 *
 * @param figure The figure as stored in the notebook output.
 * @returns 64 hex digits.
 */
export function figureHash(figure: unknown): Promise<string> {
  return sha256Hex(JSON.stringify(figure));
}

/** The plotly figure of an output, if it has one. */
export function outputFigure(output: Output): PlotlyFigure | undefined {
  return output.data?.[PLOTLY_MIME] as PlotlyFigure | undefined;
}

/** An output's `text/plain` (or stream/error text), ANSI codes removed. */
export function outputText(output: Output): string {
  if (output.output_type === "stream") return joinText(output.text).replace(ANSI, "");
  if (output.output_type === "error") {
    return (output.traceback?.join("\n") ?? `${output.ename}: ${output.evalue}`).replace(ANSI, "");
  }
  return joinText(output.data?.["text/plain"]).replace(ANSI, "");
}

/**
 * One output as HTML (see the module doc for the order of preference).
 *
 * @param output The output.
 * @returns An HTML fragment.
 */
export function outputHtml(output: Output): string {
  const figure = outputFigure(output);
  if (figure !== undefined) {
    return `<div class="output chart">${plotlyHtml(figure, outputText(output))}</div>`;
  }
  const data = output.data ?? {};
  if (typeof data["text/html"] === "string" || Array.isArray(data["text/html"])) {
    return `<div class="output html">${joinText(data["text/html"])}</div>`;
  }
  if (data["image/png"] !== undefined) {
    const png = joinText(data["image/png"]).replace(/\s/g, "");
    return `<div class="output image"><img alt="" src="data:image/png;base64,${png}"></div>`;
  }
  if (data["image/svg+xml"] !== undefined) {
    return `<div class="output image">${joinText(data["image/svg+xml"])}</div>`;
  }
  const kind = output.output_type === "error"
    ? "error"
    : output.output_type === "stream"
    ? `stream ${output.name ?? "stdout"}`
    : "text";
  const text = outputText(output);
  const shape = looksLikeTable(text) ? "table" : "prose";
  const style = shape === "table" ? fitStyle(text) : "";
  return `<pre class="output ${kind} ${shape}"${style}>${escapeHtml(text)}</pre>`;
}

/**
 * Whether a text output is a table of aligned columns (two or more lines with a gap of two or more
 * spaces between words), which must keep its lines, rather than prose, which may wrap.
 *
 * @param text The output's text.
 * @returns True for a table.
 * @example
 * ```ts
 * import { looksLikeTable } from "./site.ts";
 * import assert from "node:assert/strict";
 * assert.equal(looksLikeTable("word   p\nPark   0.4\nSchool 0.3"), true);
 * assert.equal(looksLikeTable("greedy:\n  he said , and he said , and he said"), false);
 * ```
 */
export function looksLikeTable(text: string): boolean {
  return text.split("\n").filter((line) => /\S {2,}\S/.test(line)).length >= 2;
}

/**
 * How many monospace columns a line takes: Chinese, Japanese and Korean characters (and other
 * full-width forms) take two.
 *
 * @param line One line of text.
 * @returns Its width in columns.
 * @example
 * ```ts
 * import { columns } from "./site.ts";
 * import assert from "node:assert/strict";
 * assert.equal(columns("男孩 ab"), 7);
 * ```
 */
export function columns(line: string): number {
  let width = 0;
  for (const char of line) {
    const c = char.codePointAt(0)!;
    const wide = (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) ||
      (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) ||
      (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) ||
      (c >= 0xffe0 && c <= 0xffe6) || (c >= 0x20000 && c <= 0x3fffd);
    width += wide ? 2 : 1;
  }
  return width;
}

/** Characters of monospace text that fit the page's column at the normal output font size. */
export const FIT_COLUMNS = 110;

/**
 * A `style` attribute that shrinks a wide table (wider than the page's column) so it fits, down to
 * 10 px; a table wider still scrolls inside its own box, never the page. (Prose wraps instead.)
 *
 * @param text The output's text.
 * @returns `""` for text that fits, else ` style="font-size: …px"`.
 * @example
 * ```ts
 * import { fitStyle } from "./site.ts";
 * import assert from "node:assert/strict";
 * assert.equal(fitStyle("short"), "");
 * assert.equal(fitStyle("x".repeat(127)), ' style="font-size: 11.6px"');
 * ```
 */
export function fitStyle(text: string): string {
  const widest = Math.max(0, ...text.split("\n").map(columns));
  if (widest <= FIT_COLUMNS) return "";
  const size = Math.max(10, Math.floor((13.5 * FIT_COLUMNS / widest) * 10) / 10);
  return ` style="font-size: ${size}px"`;
}

/** Previous / next / index links of a page. */
export interface PageLinks {
  index: string;
  previous?: { href: string; title: string };
  next?: { href: string; title: string };
}

function navHtml(links: PageLinks): string {
  const parts = [`<a href="${escapeHtml(links.index)}">All notebooks</a>`];
  if (links.previous) {
    parts.push(
      `<a rel="prev" href="${escapeHtml(links.previous.href)}">← ${
        escapeHtml(links.previous.title)
      }</a>`,
    );
  }
  if (links.next) {
    parts.push(
      `<a rel="next" href="${escapeHtml(links.next.href)}">${escapeHtml(links.next.title)} →</a>`,
    );
  }
  return `<nav>${parts.join(" · ")}</nav>`;
}

/** The stylesheet every page shares (inline, so a page needs no other file but plotly.js). */
export const CSS = `
:root { color-scheme: light; --ink: #222; --muted: #666; --rule: #e5e5e5; --code: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff;
  font: 16px/1.6 Inter, "Helvetica Neue", Arial, sans-serif; }
main, nav, footer { max-width: 980px; margin: 0 auto; padding: 0 24px; }
nav { padding-top: 16px; padding-bottom: 8px; border-bottom: 1px solid var(--rule); font-size: 14px; }
footer { color: var(--muted); font-size: 13px; padding-top: 24px; padding-bottom: 48px; }
a { color: #0072B2; }
h1 { font-size: 2em; line-height: 1.25; margin: 32px 0 16px; }
h2 { margin-top: 40px; border-bottom: 1px solid var(--rule); padding-bottom: 4px; }
table { border-collapse: collapse; margin: 12px 0; }
/* A wide table or HTML output scrolls inside its own box, never the page. */
.cell table, .output.html { display: block; max-width: 100%; overflow-x: auto; }
th, td { border: 1px solid var(--rule); padding: 4px 10px; text-align: left; }
code, pre { font: 13.5px/1.45 "DejaVu Sans Mono", Menlo, Consolas, monospace; }
:not(pre) > code { background: var(--code); padding: 1px 4px; border-radius: 4px; }
pre { margin: 0; padding: 10px 14px; overflow-x: auto; white-space: pre; }
.cell.code { margin: 16px 0; }
.source { background: var(--code); border-left: 3px solid #0072B2; border-radius: 4px; }
.outputs { padding-left: 3px; }
.output { margin: 6px 0; }
pre.output { background: #fff; border-left: 3px solid var(--rule); }
pre.output.prose { white-space: pre-wrap; overflow-wrap: anywhere; }
pre.output.error, pre.output.stderr { background: #fdf0ef; border-left-color: #D55E00; }
.chart .course-chart { min-height: 60px; }
.index li { margin: 0 0 14px; }
.index .summary { color: var(--muted); }
`;

/** Options of {@linkcode renderPage}. */
export interface PageOptions {
  /** The page title (usually {@linkcode notebookTitle}). */
  title: string;
  /** Path of the notebook in the repository, for the footer. */
  source: string;
  /** `src` of the plotly.js script, relative to the page. */
  plotlySrc: string;
  links: PageLinks;
}

/**
 * An executed notebook as one HTML page: markdown cells rendered, code cells as source plus
 * outputs, plotly.js loaded once in the head (charts draw themselves in order as the page parses).
 *
 * @param nb The executed notebook.
 * @param options Title, links and where plotly.js is.
 * @returns The page's HTML.
 */
export function renderPage(nb: Notebook, options: PageOptions): string {
  const body: string[] = [];
  for (const cell of nb.cells) {
    const source = cellSource(cell);
    if (cell.cell_type === "markdown") {
      body.push(
        `<section class="cell markdown">\n${marked.parse(source, { async: false })}</section>`,
      );
    } else if (cell.cell_type === "code") {
      const outputs = cellOutputs(cell).map(outputHtml).join("\n");
      const code = `<pre class="source"><code class="language-typescript">${
        escapeHtml(source)
      }</code></pre>`;
      // A cell JupyterLab shows collapsed (the regression `checks` cell) is collapsed here too.
      const shown = sourceHidden(cell)
        ? `<details><summary>${escapeHtml(HIDDEN_SUMMARY)}</summary>\n${code}\n</details>`
        : code;
      body.push(
        `<section class="cell code">\n${shown}\n<div class="outputs">${outputs}</div>\n</section>`,
      );
    }
  }
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(options.title)}</title>
<link rel="icon" href="data:,">
<style>${CSS}</style>
<script src="${escapeHtml(options.plotlySrc)}"></script>
</head>
<body>
${navHtml(options.links)}
<main>
${body.join("\n")}
</main>
<footer>Generated by <code>deno task html</code> from <code>${
    escapeHtml(options.source)
  }</code>; every output above was produced by running it.</footer>
</body>
</html>
`;
}

/** One line of the index. */
export interface IndexEntry {
  href: string;
  title: string;
  /** Inline markdown. */
  summary: string;
}

/**
 * The index page: every notebook in order, each with its one-line summary.
 *
 * @param entries The notebooks, in course order.
 * @returns The page's HTML.
 */
export function renderIndex(entries: readonly IndexEntry[]): string {
  const items = entries.map((e) =>
    `<li><a href="${escapeHtml(e.href)}">${escapeHtml(e.title)}</a><br><span class="summary">${
      marked.parseInline(e.summary, { async: false })
    }</span></li>`
  ).join("\n");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>How LLMs work, hands on</title>
<link rel="icon" href="data:,">
<style>${CSS}</style>
</head>
<body>
<main class="index">
<h1>How LLMs work, hands on</h1>
<p>Conditional probability, next-token prediction, loss, temperature, sampling and training, one
notebook each. Every page below is a notebook executed by <code>deno task html</code>; the charts
are interactive (hover, zoom, sliders) and work offline.</p>
<ol>
${items}
</ol>
</main>
</body>
</html>
`;
}

/** One executed notebook. */
export interface Executed {
  /** The source notebook, relative to the project root (`notebooks/01-….ipynb`). */
  source: string;
  /** Where the executed copy was written. */
  path: string;
  /** The executed copy. */
  notebook: Notebook;
}

/**
 * Executes notebooks headless (tools/run_notebook.py, a fresh kernel each, `workers` at a time)
 * and writes the executed copies to `outDir/<name>.ipynb`. The venv and kernelspec must be ready
 * (tools/setup.ts `ensureSetup`).
 *
 * @param notebooks Paths relative to the project root.
 * @param outDir Directory for the executed copies (created when missing).
 * @param workers How many notebooks run at once.
 * @returns The executed notebooks, in the order given.
 * @throws {Error} With the runner's one-line report when a notebook fails.
 */
export async function executeNotebooks(
  notebooks: readonly string[],
  outDir: string,
  workers: number = Math.max(1, navigator.hardwareConcurrency),
): Promise<Executed[]> {
  await Deno.mkdir(outDir, { recursive: true });
  const results: Executed[] = new Array(notebooks.length);
  const errors: string[] = [];
  let next = 0;
  const worker = async () => {
    while (next < notebooks.length) {
      const index = next++;
      const source = notebooks[index]!;
      const path = `${outDir}/${source.split("/").at(-1)}`;
      const out = await new Deno.Command(VENV_PYTHON, {
        args: [`${ROOT}/tools/run_notebook.py`, source, "--out", path],
        cwd: ROOT,
        env: jupyterEnv(),
        stdout: "piped",
        stderr: "piped",
      }).output();
      if (!out.success) {
        const lines = new TextDecoder().decode(out.stderr).split("\n")
          .filter((line) => line.trim() && !/is unstable/.test(line));
        errors.push(lines.at(-1) ?? `${source}: failed with exit code ${out.code}`);
        continue;
      }
      results[index] = { source, path, notebook: JSON.parse(await Deno.readTextFile(path)) };
    }
  };
  await Promise.all(Array.from({ length: Math.min(workers, notebooks.length) }, worker));
  if (errors.length > 0) throw new Error(errors.join("\n"));
  return results;
}

/**
 * Counts the plotly figures in an executed notebook.
 *
 * @param nb The executed notebook.
 * @returns The number of outputs holding a plotly figure.
 */
export function countFigures(nb: Notebook): number {
  return nb.cells.flatMap(cellOutputs).filter((o) => outputFigure(o) !== undefined).length;
}

/**
 * The notebook's declared number of charts (`metadata.course.expected_figures`).
 *
 * @param nb The notebook.
 * @returns The number, or `undefined` when not declared.
 */
export function expectedFigures(nb: Notebook): number | undefined {
  const value = (nb.metadata.course as { expected_figures?: unknown } | undefined)
    ?.expected_figures;
  return typeof value === "number" ? value : undefined;
}
