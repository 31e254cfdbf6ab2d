/**
 * `deno task docs [--executed DIR]`: the course readable without running anything, committed in
 * `docs/`. Executes every notebook once and writes, per notebook, `docs/<notebook>.md`: its
 * markdown, its code, its text outputs, and each chart as a PNG drawn by plotly.js in headless
 * Chromium (`docs/figures/`), plus `docs/README.md` listing them in order.
 *
 * A chart's image is named after the sha256 of its plotly JSON
 * (`figures/04-temperature-3-<12 hex digits>.png`), so the Markdown pins exactly which figure each
 * image shows: a changed chart changes the Markdown, and the test in tests/charts_test.ts (which
 * regenerates the Markdown and compares) fails until `deno task docs` is run. Images whose name is
 * already present are kept, so re-running on another machine (other fonts) does not churn them.
 *
 * Durations printed by notebooks ("loaded in 769 ms") vary from run to run; the comparison
 * ignores the number in such phrases (see {@linkcode maskTimings}).
 *
 * @module
 */

import { denoFmt } from "./fmt_notebooks.ts";
import { launchChromium } from "./browser.ts";
import { cellSource, listNotebooks, type Notebook } from "./notebook.ts";
import { ensureSetupOrExit, ROOT } from "./setup.ts";
import { ensurePlotlyJs } from "./html.ts";
import {
  cellOutputs,
  type Executed,
  executeNotebooks,
  figureHash,
  HIDDEN_SUMMARY,
  notebookStem,
  notebookTitle,
  outputFigure,
  outputText,
  readmeSummaries,
  sourceHidden,
} from "./site.ts";
import type { PlotlyFigure } from "../lib/charts/mod.ts";

/** Where the docs live. */
export const DOCS: string = `${ROOT}/docs`;

/** Width in CSS pixels of every chart image (GitHub shows Markdown about this wide). */
export const IMAGE_WIDTH = 860;
/** Device pixel ratio of the images (2 stays sharp on high-density screens). */
export const IMAGE_SCALE = 1.5;

/**
 * Replaces the number in duration phrases such as "loaded in 769 ms", "took 0.9 s" or
 * "200 steps in 7.6 s" with `#`, so two runs of a notebook compare equal.
 *
 * @param text Markdown.
 * @returns The text with durations masked.
 * @example
 * ```ts
 * import { maskTimings } from "./docs.ts";
 * import assert from "node:assert/strict";
 * assert.equal(maskTimings("(loaded in 769 ms), took 0.9 s; 3 in total"), "(loaded in # ms), took # s; 3 in total");
 * ```
 */
export function maskTimings(text: string): string {
  return text.replace(/\b(in|took) \d[\d,.]* (ms|s)\b/g, "$1 # $2");
}

/** A fence longer than any run of backticks in the text. */
function fence(text: string, info: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const marks = "`".repeat(longest + 1);
  return `${marks}${info}\n${text.replace(/\n+$/, "")}\n${marks}`;
}

/** A chart of a notebook, named for the docs. */
export interface DocFigure {
  /** 1-based position among the notebook's charts. */
  number: number;
  figure: PlotlyFigure;
  /** Path relative to `docs/`, e.g. `figures/04-temperature-3-0123456789ab.png`. */
  file: string;
}

/**
 * The charts of an executed notebook, in order, with their image file names.
 *
 * @param nb The executed notebook.
 * @param stem The notebook's name, e.g. `04-temperature`.
 * @returns One entry per chart.
 */
export async function docFigures(nb: Notebook, stem: string): Promise<DocFigure[]> {
  const figures: DocFigure[] = [];
  for (const output of nb.cells.flatMap(cellOutputs)) {
    const figure = outputFigure(output);
    if (figure === undefined) continue;
    const number = figures.length + 1;
    const hash = (await figureHash(figure)).slice(0, 12);
    figures.push({ number, figure, file: `figures/${stem}-${number}-${hash}.png` });
  }
  return figures;
}

/** The plain-text title of a figure (its layout title), for the image's alt text. */
function figureTitle(figure: PlotlyFigure, fallback: string): string {
  const title = figure.layout.title as { text?: unknown } | string | undefined;
  const text = typeof title === "string" ? title : title?.text;
  return typeof text === "string" && text.trim() ? text.replace(/<[^>]*>/g, "").trim() : fallback;
}

/** Whether a figure has controls a reader would use (a slider, buttons), which a PNG cannot. */
export function isInteractive(figure: PlotlyFigure): boolean {
  const controls = (key: string) => {
    const value = figure.layout[key];
    return Array.isArray(value) && value.length > 0;
  };
  return controls("sliders") || controls("updatemenus");
}

/**
 * The line under a still image of an interactive chart: what it is and where it moves.
 *
 * @param source The notebook's path in the repository, e.g. `notebooks/04-temperature.ipynb`.
 * @returns Markdown.
 * @example
 * ```ts
 * import { stillNote } from "./docs.ts";
 * import assert from "node:assert/strict";
 * assert.match(stillNote("notebooks/04-temperature.ipynb"), /\(\.\.\/site\/04-temperature\.html\)/);
 * ```
 */
export function stillNote(source: string): string {
  const stem = source.split("/").at(-1)!.replace(/\.ipynb$/, "");
  return `*A still image of an interactive chart: its slider does not move here. Drag it on the ` +
    `[interactive page](../site/${stem}.html) (\`deno task html\` builds \`site/\`) or in the ` +
    `[notebook](../${source}) (\`deno task lab\`).*`;
}

/** Previous / next links of a docs page. */
export interface DocLinks {
  previous?: { file: string; title: string };
  next?: { file: string; title: string };
}

/**
 * An executed notebook as Markdown: markdown cells as they are, code in `ts` fences, consecutive
 * text outputs of a cell in one `text` fence, charts as images.
 *
 * @param nb The executed notebook.
 * @param source The notebook's path in the repository, e.g. `notebooks/04-temperature.ipynb`.
 * @param figures Its charts (see {@linkcode docFigures}).
 * @param links Neighbouring pages.
 * @returns The Markdown.
 */
export function renderDoc(
  nb: Notebook,
  source: string,
  figures: readonly DocFigure[],
  links: DocLinks = {},
): string {
  const nav = ["[All notebooks](README.md)"];
  if (links.previous) nav.push(`[← ${links.previous.title}](${links.previous.file})`);
  if (links.next) nav.push(`[${links.next.title} →](${links.next.file})`);
  nav.push(`[run it: ${source}](../${source})`);
  const blocks = [
    `<!-- Generated by \`deno task docs\` from ${source}; edit the notebook, not this file. -->`,
    nav.join(" · "),
  ];
  let figure = 0;
  for (const cell of nb.cells) {
    const text = cellSource(cell).trim();
    if (cell.cell_type === "markdown") {
      // Links between notebooks (exercises/…, solutions/…) point into notebooks/ from docs/.
      if (text) blocks.push(text.replace(/\]\((exercises|solutions)\//g, "](../notebooks/$1/"));
      continue;
    }
    if (cell.cell_type !== "code") continue;
    if (text && sourceHidden(cell)) {
      blocks.push(
        `<details><summary>${HIDDEN_SUMMARY}</summary>\n\n${fence(text, "ts")}\n\n</details>`,
      );
    } else if (text) blocks.push(fence(text, "ts"));
    let pending: string[] = [];
    const flush = () => {
      if (pending.length > 0) blocks.push(fence(pending.join("\n"), "text"));
      pending = [];
    };
    for (const output of cellOutputs(cell)) {
      if (outputFigure(output) !== undefined) {
        flush();
        const doc = figures[figure++];
        if (doc === undefined) {
          throw new RangeError(`\`figures\` lists fewer charts than ${source}`);
        }
        blocks.push(`![${figureTitle(doc.figure, `chart ${doc.number}`)}](${doc.file})`);
        if (isInteractive(doc.figure)) blocks.push(stillNote(source));
      } else {
        pending.push(outputText(output).replace(/\n+$/, ""));
      }
    }
    flush();
  }
  return `${blocks.join("\n\n")}\n`;
}

/** One notebook in the docs index. */
export interface DocsIndexEntry {
  file: string;
  title: string;
  summary: string;
}

/**
 * `docs/README.md`: the notebooks in order with their summaries.
 *
 * @param entries The notebooks.
 * @returns The Markdown.
 */
export function renderDocsIndex(entries: readonly DocsIndexEntry[]): string {
  return [
    "<!-- Generated by `deno task docs`; edit the notebooks and the README's table, not this file. -->",
    "# How LLMs work, hands on: the notebooks, already run",
    "Each page below is a notebook from `notebooks/` executed with its default parameters: the " +
    "text, the code, every output, and each chart as an image. To change a number and see what " +
    "happens, run the notebook itself (`deno task lab`); for interactive charts without " +
    "Jupyter, `deno task html` builds the same pages as a website in `site/`.",
    entries.map((e, i) => `${i + 1}. [${e.title}](${e.file}): ${e.summary}`).join("\n"),
  ].join("\n\n") + "\n";
}

/**
 * Formats Markdown as `deno fmt` would (project config, through stdin), so the generated files
 * pass `deno fmt --check` like every other file.
 *
 * @param text Markdown.
 * @returns The formatted Markdown.
 */
export async function formatMarkdown(text: string): Promise<string> {
  const out = await denoFmt(text, "md");
  if (!out.ok) throw new Error(`deno fmt: ${out.error}`);
  return out.text;
}

/** What the docs consist of: every file under `docs/` with its expected content. */
export interface DocsPlan {
  /** Markdown files relative to `docs/`, with their text. */
  markdown: Map<string, string>;
  /** Images relative to `docs/`, with their figure. */
  figures: Map<string, PlotlyFigure>;
}

/**
 * Plans the docs for executed notebooks (Markdown rendered and formatted, images named).
 *
 * @param executed The executed notebooks, in course order.
 * @param readme The project README (for the one-line summaries).
 * @returns The Markdown files and images `docs/` must hold.
 */
export async function planDocs(executed: readonly Executed[], readme: string): Promise<DocsPlan> {
  const summaries = readmeSummaries(readme);
  const pages = executed.map((e) => {
    const stem = notebookStem(e.source);
    return { ...e, stem, file: `${stem}.md`, title: notebookTitle(e.notebook, stem) };
  });
  const plan: DocsPlan = { markdown: new Map(), figures: new Map() };
  for (const [i, page] of pages.entries()) {
    const figures = await docFigures(page.notebook, page.stem);
    for (const f of figures) plan.figures.set(f.file, f.figure);
    const previous = pages[i - 1];
    const next = pages[i + 1];
    plan.markdown.set(
      page.file,
      await formatMarkdown(renderDoc(page.notebook, page.source, figures, {
        ...(previous ? { previous: { file: previous.file, title: previous.title } } : {}),
        ...(next ? { next: { file: next.file, title: next.title } } : {}),
      })),
    );
  }
  plan.markdown.set(
    "README.md",
    await formatMarkdown(renderDocsIndex(pages.map((p) => ({
      file: p.file,
      title: p.title,
      summary: summaries.get(p.stem) ?? "",
    })))),
  );
  return plan;
}

/**
 * Every file under a directory, relative to it, sorted.
 *
 * @param dir The directory (missing counts as empty).
 * @returns Relative paths.
 */
export async function listFiles(dir: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (sub: string) => {
    try {
      for await (const entry of Deno.readDir(`${dir}${sub}`)) {
        if (entry.isDirectory) await walk(`${sub}/${entry.name}`);
        else found.push(`${sub}/${entry.name}`.slice(1));
      }
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  };
  await walk("");
  return found.sort();
}

/**
 * Draws figures as PNG files with plotly.js in headless Chromium (`Plotly.toImage`), each
 * {@linkcode IMAGE_WIDTH} wide and as tall as its layout says.
 *
 * @param figures Output path to figure.
 */
export async function renderPngs(figures: ReadonlyMap<string, PlotlyFigure>): Promise<void> {
  if (figures.size === 0) return;
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.setContent("<!doctype html><html><body></body></html>");
    await page.addScriptTag({ path: await ensurePlotlyJs() });
    for (const [path, figure] of figures) {
      const dataUrl = await page.evaluate(
        async ({ figure, width, scale }) => {
          // deno-lint-ignore no-explicit-any
          const Plotly = (globalThis as any).Plotly;
          const height = typeof figure.layout.height === "number" ? figure.layout.height : 450;
          return await Plotly.toImage(
            {
              data: figure.data,
              layout: figure.layout,
              config: { ...figure.config, responsive: false },
            },
            { format: "png", width, height, scale },
          ) as string;
        },
        { figure, width: IMAGE_WIDTH, scale: IMAGE_SCALE },
      );
      const base64 = dataUrl.slice(dataUrl.indexOf(",") + 1);
      await Deno.writeFile(path, Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
    }
  } finally {
    await browser.close();
  }
}

/**
 * Writes `docs/` from a plan: Markdown always, images only when missing; removes files the plan
 * does not list.
 *
 * @param plan See {@linkcode planDocs}.
 * @param dir The docs directory.
 * @returns How many images were drawn and how many files were removed.
 */
export async function writeDocs(
  plan: DocsPlan,
  dir: string = DOCS,
): Promise<{ drawn: number; removed: string[] }> {
  await Deno.mkdir(`${dir}/figures`, { recursive: true });
  const existing = new Set(await listFiles(dir));
  const removed: string[] = [];
  for (const file of existing) {
    if (!plan.markdown.has(file) && !plan.figures.has(file)) {
      await Deno.remove(`${dir}/${file}`);
      removed.push(file);
    }
  }
  for (const [file, text] of plan.markdown) await Deno.writeTextFile(`${dir}/${file}`, text);
  const missing = new Map(
    [...plan.figures].filter(([file]) => !existing.has(file)).map(([file, figure]) => [
      `${dir}/${file}`,
      figure,
    ]),
  );
  await renderPngs(missing);
  return { drawn: missing.size, removed };
}

if (import.meta.main) {
  const executedDir = Deno.args[0] === "--executed" && Deno.args[1] ? Deno.args[1] : `${ROOT}/.out`;
  await ensureSetupOrExit();
  const notebooks = (await listNotebooks(`${ROOT}/notebooks`)).map((p) => p.slice(ROOT.length + 1));
  let executed: Executed[];
  try {
    executed = await executeNotebooks(notebooks, executedDir);
  } catch (error) {
    console.error((error as Error).message);
    Deno.exit(1);
  }
  const plan = await planDocs(executed, await Deno.readTextFile(`${ROOT}/README.md`));
  const { drawn, removed } = await writeDocs(plan);
  let bytes = 0;
  for (const file of await listFiles(DOCS)) bytes += (await Deno.stat(`${DOCS}/${file}`)).size;
  console.log(
    `docs/: ${plan.markdown.size} Markdown files, ${plan.figures.size} chart images ` +
      `(${drawn} drawn now${removed.length ? `, ${removed.length} stale file(s) removed` : ""}), ` +
      `${(bytes / 1e6).toFixed(2)} MB in total`,
  );
}
