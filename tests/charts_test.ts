/// <reference lib="dom" />
/// <reference lib="deno.ns" />
/**
 * Charts everywhere, proven in a real browser (issue 6).
 *
 * 1. `deno task html` builds the site (into a temporary directory) from notebooks it executes.
 * 2. `docs/` equals what `deno task docs` makes from those executed notebooks.
 * 3. Every exported page, opened from `file://` in headless Chromium with the network refused,
 *    draws every chart (each `.js-plotly-plot` holds a `.main-svg`), as many as the notebook's
 *    `metadata.course.expected_figures`, with no console error; notebook 04's slider moves the bars
 *    and hovering a bar shows its value.
 * 4. JupyterLab, started with `deno task lab`, opens on `notebooks/` at the project root (so `lib/`
 *    and `.out/` open too) without a news pop-up (the project's own settings), delivers every output
 *    of the learner cell in 20 runs, stops Run All at a failing cell, and then opens every notebook,
 *    runs all cells, and shows every output and every chart; a screenshot of each goes to
 *    `.screenshots/`.
 * 5. Charts that read: value labels at 10 px or hidden, limit lines dashed, wide text outputs that
 *    fit the exported page, a note under a slider's still in docs/, and Chinese drawn with a CJK
 *    font.
 *
 * Chromium is Debian's (`/usr/bin/chromium`, or `$CHROMIUM`). Without it the browser tests are
 * skipped with the reason printed, except on CI (`CI=true`), where they fail.
 */

import assert from "node:assert/strict";
import type { Locator, Page } from "playwright-core";
import { findChromium, isCI, launchChromium, NO_CHROMIUM } from "../tools/browser.ts";
import { listFiles, maskTimings, planDocs } from "../tools/docs.ts";
import { firstDifferentLine } from "../tools/fmt_notebooks.ts";
import { listNotebooks, type Notebook } from "../tools/notebook.ts";
import { ensureSetup, jupyterEnv, ROOT, VENV_PYTHON } from "../tools/setup.ts";
import { PROBE_RUNS } from "../tools/kernel.ts";
import {
  cellOutputs,
  type Executed,
  expectedFigures,
  notebookStem,
  outputFigure,
} from "../tools/site.ts";

const notebooks = (await listNotebooks(`${ROOT}/notebooks`)).map((p) => p.slice(ROOT.length + 1));
const chromiumPath = await findChromium();
const skipBrowser = chromiumPath === undefined && !isCI();
if (skipBrowser) console.log(`Browser checks skipped: ${NO_CHROMIUM}`);

/** A test that needs Chromium: skipped locally without it, failing on CI without it. */
function browserTest(name: string, fn: (t: Deno.TestContext) => Promise<void>): void {
  Deno.test({
    name,
    ignore: skipBrowser,
    // Playwright keeps a pipe to the browser and timers across awaits.
    sanitizeOps: false,
    sanitizeResources: false,
    fn: async (t) => {
      if (chromiumPath === undefined) throw new Error(`CI=true and ${NO_CHROMIUM}`);
      await fn(t);
    },
  });
}

/** Runs a command from the project root, capturing its output. */
async function run(args: string[], env: Record<string, string> = {}) {
  const out = await new Deno.Command(Deno.execPath(), {
    args,
    cwd: ROOT,
    env: { NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return { code: out.code, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

interface Site {
  dir: string;
  executed: Executed[];
  stdout: string;
}

let built: Promise<Site> | undefined;
/** `deno task html --out <tmp>/site --executed <tmp>/executed`, once per test run. */
function site(): Promise<Site> {
  built ??= (async () => {
    await ensureSetup();
    const tmp = await Deno.makeTempDir({ prefix: "charts-test-" });
    const dir = `${tmp}/site`;
    const result = await run(["task", "html", "--out", dir, "--executed", `${tmp}/executed`]);
    assert.equal(result.code, 0, result.stderr);
    const executed = await Promise.all(notebooks.map(async (source) => {
      const path = `${tmp}/executed/${source.split("/").at(-1)}`;
      return { source, path, notebook: JSON.parse(await Deno.readTextFile(path)) as Notebook };
    }));
    return { dir, executed, stdout: result.stdout };
  })();
  return built;
}

/** Tracks what a page did wrong: console errors, page errors, requests that left the machine. */
function watch(page: Page, allowedOrigin?: string): string[] {
  const problems: string[] = [];
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.push(`console error: ${msg.text()}`);
  });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("request", (request) => {
    const url = request.url();
    const local = url.startsWith("file:") || url.startsWith("data:") || url.startsWith("blob:") ||
      (allowedOrigin !== undefined && url.startsWith(allowedOrigin));
    if (!local) problems.push(`network request: ${url}`);
  });
  return problems;
}

/** Refuses every http(s) request that does not go to `allowedOrigin`. */
async function offline(page: Page, allowedOrigin?: string): Promise<void> {
  await page.route(
    (url) =>
      /^(https?|wss?):$/.test(url.protocol) &&
      (allowedOrigin === undefined || !url.href.startsWith(allowedOrigin)),
    (route) => route.abort("internetdisconnected"),
  );
}

/**
 * Charts on a page: how many `.js-plotly-plot` there are, and how many are drawn (hold a
 * `.main-svg` and take up more than 100 × 100 pixels).
 */
function chartCounts(page: Page): Promise<{ plots: number; drawn: number }> {
  return page.evaluate(() => {
    const plots = [...document.querySelectorAll(".js-plotly-plot")];
    const drawn = plots.filter((p) => {
      const box = p.getBoundingClientRect();
      return p.querySelector(".main-svg") !== null && box.width > 100 && box.height > 100;
    });
    return { plots: plots.length, drawn: drawn.length };
  });
}

Deno.test("deno task html writes a page per notebook, the index and plotly.js once", async () => {
  const { dir, executed, stdout } = await site();
  const files = await listFiles(dir);
  assert.deepEqual(
    files,
    ["index.html", "plotly.min.js", ...notebooks.map((n) => `${notebookStem(n)}.html`)].sort(),
  );
  const index = await Deno.readTextFile(`${dir}/index.html`);
  const links = [...index.matchAll(/<li><a href="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(links, notebooks.map((n) => `${notebookStem(n)}.html`), "index in course order");
  for (const { source, notebook } of executed) {
    const html = await Deno.readTextFile(`${dir}/${notebookStem(source)}.html`);
    assert.deepEqual(
      [...html.matchAll(/<script src="([^"]*)"/g)].map((m) => m[1]),
      ["plotly.min.js"],
      `${source}: plotly.js is loaded once, from the site itself`,
    );
    assert.doesNotMatch(html, /(src|href)="(https?:)?\/\//, `${source}: no remote resource`);
    const charts = html.match(/window\.Plotly\.newPlot/g)?.length ?? 0;
    assert.equal(charts, expectedFigures(notebook), `${source}: one chart script per figure`);
  }
  console.log(stdout.trimEnd());
});

Deno.test("docs/ is what `deno task docs` makes from the notebooks now", async () => {
  const { executed } = await site();
  const plan = await planDocs(executed, await Deno.readTextFile(`${ROOT}/README.md`));
  const fix = "run `deno task docs` and commit docs/";
  const committed = await listFiles(`${ROOT}/docs`);
  const wanted = [...plan.markdown.keys(), ...plan.figures.keys()].sort();
  assert.deepEqual(committed, wanted, `docs/ has missing or stale files: ${fix}`);
  for (const [file, text] of plan.markdown) {
    const current = maskTimings(await Deno.readTextFile(`${ROOT}/docs/${file}`));
    const line = firstDifferentLine(current, maskTimings(text));
    assert.equal(line, 0, `docs/${file} is stale from line ${line}: ${fix}`);
  }
  const withSlider = [...plan.markdown].filter(([, text]) => /!\[[^\]]*slider/i.test(text));
  for (const [file, text] of withSlider) {
    assert.match(
      text,
      /A still image of an interactive chart: its slider does not move here/,
      file,
    );
  }
  for (const file of plan.figures.keys()) {
    const png = await Deno.readFile(`${ROOT}/docs/${file}`);
    assert.deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47], `docs/${file} is a PNG`);
  }
});

browserTest("exported pages draw every chart offline in headless Chromium", async (t) => {
  const { dir, executed } = await site();
  const browser = await launchChromium(chromiumPath);
  try {
    for (const { source, notebook } of executed) {
      await t.step(source, async () => {
        const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
        const problems = watch(page);
        await offline(page);
        await page.goto(`file://${dir}/${notebookStem(source)}.html`, { waitUntil: "load" });
        const expected = expectedFigures(notebook);
        assert.ok(expected !== undefined && expected > 0, "metadata.course.expected_figures");
        // Plotly.newPlot draws synchronously for these charts; allow a moment for fonts and layout.
        await page.waitForFunction(
          (n) => document.querySelectorAll(".js-plotly-plot .main-svg").length >= n,
          expected,
          { timeout: 15_000 },
        ).catch(() => {});
        const counts = await chartCounts(page);
        assert.deepEqual(counts, { plots: expected, drawn: expected }, `${source}: charts drawn`);
        assert.equal(
          await page.locator(".course-chart > pre").count(),
          0,
          "no chart left as its text fallback",
        );
        assert.deepEqual(problems, [], `${source}: the page had problems`);
        const reading = await readability(page);
        assert.deepEqual(reading.smallLabels, [], `${source}: bar value labels below 10 px`);
        assert.deepEqual(reading.wideOutputs, [], `${source}: tables that do not fit the page`);
        assert.equal(reading.pageScrolls, false, `${source}: the page scrolls sideways`);
        console.log(
          `${source}: ${counts.drawn} of ${expected} charts drawn in Chromium; ` +
            `${reading.labels} bar labels shown, ${reading.dashed} dashed lines`,
        );
        await page.close();
      });
    }
  } finally {
    await browser.close();
  }
});

/**
 * What makes a page hard to read: bar value labels drawn below 10 px, a table (of up to 150
 * characters) that needs sideways scrolling, a page wider than the window; plus how many labels and
 * dashed lines it shows.
 */
function readability(page: Page) {
  return page.evaluate(() => {
    const labels = [...document.querySelectorAll(".js-plotly-plot .barlayer text.bartext")]
      .filter((t) => (t as SVGTextElement).getBBox().width > 0);
    // plotly shrinks a label with a transform, not its font size: the size drawn is both.
    const size = (t: Element) => {
      const ctm = (t as SVGGraphicsElement).getScreenCTM();
      const scale = ctm ? Math.hypot(ctm.a, ctm.b) : 1;
      return Math.round(parseFloat(getComputedStyle(t).fontSize) * scale * 10) / 10;
    };
    return {
      labels: labels.length,
      smallLabels: labels.filter((t) => size(t) < 10).map((t) =>
        `${t.textContent} (${size(t)} px)`
      ),
      // A table up to 150 characters wide must fit; a wider one may scroll inside its own box.
      wideOutputs: [...document.querySelectorAll("pre.output.table")]
        .filter((p) => p.scrollWidth > p.clientWidth + 1)
        .filter((p) => Math.max(...(p.textContent ?? "").split("\n").map((l) => l.length)) <= 150)
        .map((p) => (p.textContent ?? "").slice(0, 60)),
      pageScrolls: document.documentElement.scrollWidth > globalThis.innerWidth,
      dashed: [...document.querySelectorAll(".js-plotly-plot .scatterlayer path.js-line")]
        .filter((l) => /\d/.test((l as SVGPathElement).style.strokeDasharray)).length,
    };
  });
}

browserTest(
  "exported notebook 04: the limit lines of the temperature sweeps are dashed",
  async () => {
    const { dir } = await site();
    const browser = await launchChromium(chromiumPath);
    try {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      await offline(page);
      await page.goto(`file://${dir}/04-temperature.html`, { waitUntil: "load" });
      const lines = await page.evaluate(() =>
        [...document.querySelectorAll(".js-plotly-plot")].flatMap((plot) =>
          // deno-lint-ignore no-explicit-any
          ((plot as any).data ?? []).map((trace: any, i: number) => ({
            name: String(trace.name ?? ""),
            dashed: /\d/.test(
              (plot.querySelectorAll(".scatterlayer .trace")[i]?.querySelector("path.js-line") as
                | SVGPathElement
                | null)?.style.strokeDasharray ?? "",
            ),
          }))
        )
      );
      const limits = lines.filter((l) => /limit/i.test(l.name));
      assert.ok(limits.length >= 2, `limit lines found: ${JSON.stringify(lines)}`);
      assert.deepEqual(limits.filter((l) => !l.dashed), [], "every limit line is dashed");
      assert.ok(lines.some((l) => !/limit/i.test(l.name) && !l.dashed), "the curves stay solid");
    } finally {
      await browser.close();
    }
  },
);

browserTest("Chinese terms are drawn with a CJK font (Debian: fonts-noto-cjk)", async () => {
  const browser = await launchChromium(chromiumPath);
  try {
    const page = await browser.newPage();
    const drawn = await page.evaluate(() => {
      const pixels = (text: string) => {
        const canvas = document.createElement("canvas");
        canvas.width = canvas.height = 40;
        const g = canvas.getContext("2d")!;
        g.font = '32px "Helvetica Neue", Arial, sans-serif';
        g.fillText(text, 2, 34);
        return Array.from(g.getImageData(0, 0, 40, 40).data).join(",");
      };
      return { tiao: pixels("条"), jian: pixels("件"), blank: pixels(" ") };
    });
    assert.notEqual(drawn.tiao, drawn.blank, "条 is drawn at all");
    // Without a CJK font both are the same empty box ("tofu").
    assert.notEqual(drawn.tiao, drawn.jian, "条 and 件 look different: a CJK font is installed");
  } finally {
    await browser.close();
  }
});

/** The bar heights and title of the slider chart, as drawn. */
async function sliderState(plot: Locator) {
  return await plot.evaluate((div) => ({
    // deno-lint-ignore no-explicit-any
    y: (div as any).data[0].y as number[],
    bars: [...div.querySelectorAll(".barlayer .point path")].map((p) => p.getAttribute("d")),
    title: div.querySelector(".gtitle")?.textContent ?? "",
    height: div.getBoundingClientRect().height,
  }));
}

browserTest(
  "exported notebook 04: the slider moves the bars, hovering a bar shows it",
  async () => {
    const { dir } = await site();
    const browser = await launchChromium(chromiumPath);
    try {
      const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
      const problems = watch(page);
      await offline(page);
      await page.goto(`file://${dir}/04-temperature.html`, { waitUntil: "load" });
      const plot = page.locator(".js-plotly-plot", { has: page.locator(".slider-container") });
      assert.equal(await plot.count(), 1, "one chart with a slider");
      // A narrower window first: a resize once made the next slider move collapse the chart.
      await page.setViewportSize({ width: 900, height: 900 });
      await plot.scrollIntoViewIfNeeded();
      const before = await sliderState(plot);
      // Click the rail near its left end: the slider jumps to the first step (T = 0, greedy).
      const rail = plot.locator(".slider-rail-rect");
      const box = (await rail.boundingBox())!;
      await page.mouse.click(box.x + 3, box.y + box.height / 2);
      await page.waitForFunction(
        (title) =>
          document.querySelector(".slider-container")?.closest(".js-plotly-plot")
            ?.querySelector(".gtitle")?.textContent !== title,
        before.title,
        { timeout: 5_000 },
      );
      await page.waitForTimeout(500); // the slider's own transition
      const after = await sliderState(plot);
      assert.notDeepEqual(after.y, before.y, "the slider changed the data");
      assert.notDeepEqual(after.bars, before.bars, "the slider changed the drawn bars");
      assert.match(after.title, /T = 0\b/);
      assert.ok(after.height > 300, `the chart keeps its height (${after.height} px)`);
      assert.equal(Math.max(...after.y), 1, "T = 0 is greedy: all probability on the top word");
      // Hover the tallest bar: plotly shows its label and value.
      const top = after.y.indexOf(1);
      const bar = plot.locator(".barlayer .point").nth(top);
      const barBox = (await bar.boundingBox())!;
      await page.mouse.move(barBox.x + barBox.width / 2, barBox.y + barBox.height / 2);
      await plot.locator(".hoverlayer .hovertext").first().waitFor({ timeout: 5_000 });
      const hover = await plot.locator(".hoverlayer .hovertext").first().textContent();
      assert.match(hover ?? "", /Playground: 1/);
      assert.deepEqual(problems, []);
      console.log(`slider: "${before.title}" -> "${after.title}"; hover shows "${hover}"`);
    } finally {
      await browser.close();
    }
  },
);

// ---------------------------------------------------------------------------------------------
// JupyterLab

/** A JupyterLab server started through `deno task lab`. */
interface Lab {
  base: string;
  token: string;
  tmp: string;
  child: Deno.ChildProcess;
  log: string[];
}

/**
 * JupyterLab user settings for the test: no autosave (the notebooks stay as committed). The news
 * pop-up is off by the project's own settings (.jupyter/lab/settings/overrides.json), which the
 * test checks rather than sets.
 */
const LAB_SETTINGS: Record<string, Record<string, unknown>> = {
  "@jupyterlab/docmanager-extension/plugin": { autosave: false },
};

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** Starts `deno task lab` on loopback with a random token and private settings/workspaces. */
async function startLab(): Promise<Lab> {
  await ensureSetup();
  const tmp = await Deno.makeTempDir({ prefix: "lab-test-" });
  for (const [plugin, settings] of Object.entries(LAB_SETTINGS)) {
    const file = `${tmp}/settings/${plugin}.jupyterlab-settings`;
    await Deno.mkdir(file.slice(0, file.lastIndexOf("/")), { recursive: true });
    await Deno.writeTextFile(file, JSON.stringify(settings));
  }
  const port = freePort();
  const token = crypto.randomUUID();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "task",
      "lab",
      "--no-browser",
      `--port=${port}`,
      "--ServerApp.port_retries=0",
      "--ServerApp.ip=127.0.0.1",
      `--IdentityProvider.token=${token}`,
      // JupyterLab makes a checkpoint of each notebook it opens; keep them out of notebooks/.
      `--FileCheckpoints.checkpoint_dir=${tmp}/checkpoints`,
    ],
    cwd: ROOT,
    env: {
      NO_COLOR: "1",
      // The user's own JupyterLab settings, workspaces and config stay out of the test.
      JUPYTERLAB_SETTINGS_DIR: `${tmp}/settings`,
      JUPYTERLAB_WORKSPACES_DIR: `${tmp}/workspaces`,
      JUPYTER_CONFIG_DIR: `${tmp}/config`,
      JUPYTER_RUNTIME_DIR: `${tmp}/runtime`,
    },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const log: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    (async () => {
      for await (const text of stream.pipeThrough(new TextDecoderStream())) log.push(text);
    })();
  }
  const base = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      const response = await fetch(`${base}/api/status`, {
        headers: { Authorization: `token ${token}` },
      });
      await response.body?.cancel();
      if (response.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill("SIGTERM");
      throw new Error(`deno task lab did not answer within 120 s:\n${log.join("")}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return { base, token, tmp, child, log };
}

/** Calls the Jupyter server's REST API. */
async function api(lab: Lab, method: string, path: string): Promise<unknown> {
  const response = await fetch(`${lab.base}${path}`, {
    method,
    headers: { Authorization: `token ${lab.token}` },
  });
  const text = await response.text();
  return text ? JSON.parse(text) : undefined;
}

/** Shuts the server down through its API (kernels included) and waits for the task to end. */
async function stopLab(lab: Lab): Promise<void> {
  await api(lab, "POST", "/api/shutdown").catch(() => {});
  const timer = setTimeout(() => {
    // Still running after 20 s: stop the server by its pid (from its runtime file) and the task.
    for (const entry of Deno.readDirSync(`${lab.tmp}/runtime`)) {
      const match = /^jpserver-(\d+)\.json$/.exec(entry.name);
      if (match) Deno.kill(Number(match[1]), "SIGKILL");
    }
    lab.child.kill("SIGKILL");
  }, 20_000);
  await lab.child.status;
  clearTimeout(timer);
  await Deno.remove(lab.tmp, { recursive: true }).catch(() => {});
}

async function sha256(path: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", await Deno.readFile(path));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Output counts of each code cell of an executed notebook, and which outputs are charts. */
function expectedOutputs(nb: Notebook): { outputs: number; charts: number }[] {
  return nb.cells.filter((c) => c.cell_type === "code").map((cell) => {
    const outputs = cellOutputs(cell);
    return { outputs: outputs.length, charts: outputs.filter((o) => outputFigure(o)).length };
  });
}

/**
 * Height of the browser window for JupyterLab: tall enough to show a whole notebook at once, so
 * one screenshot holds all of it. It is set before the notebook opens: resizing the window after
 * the charts are drawn makes JupyterLab's plotly renderer call `Plotly.Plots.resize`, which drops
 * a chart's `layout.height` and, with `responsive: true`, collapses it to zero height.
 */
const LAB_WINDOW = { width: 1280, height: 16_000 };

/**
 * Opens a notebook in JupyterLab (a path from the project root), runs all cells from the Run menu
 * and waits until the kernel is idle with every code cell numbered, or with `stopsAtError`, until
 * an error is shown and no cell is still queued (`[*]`): cells Run All did not run stay unnumbered.
 */
async function runAllInLab(
  page: Page,
  lab: Lab,
  cellCount: number,
  file: string,
  stopsAtError = false,
): Promise<void> {
  await page.goto(`${lab.base}/lab/tree/${file}?reset&token=${lab.token}`);
  await page.waitForFunction(
    (n) => document.querySelectorAll(".jp-NotebookPanel .jp-Notebook .jp-Cell").length === n,
    cellCount,
    { timeout: 60_000 },
  );
  await page.locator(".jp-StatusBar-Widget", { hasText: /\|\s*Idle/ }).first().waitFor({
    timeout: 60_000,
  });
  // Collapse the file browser so the notebook gets the full width.
  await page.locator('.jp-SideBar [data-id="filebrowser"]').click();
  await page.locator(".lm-MenuBar-itemLabel", { hasText: /^Run$/ }).click();
  await page.locator(".lm-Menu-itemLabel", { hasText: /^Run All Cells$/ }).click();
  const done = page.waitForFunction(
    (stopsAtError) => {
      // A cell whose input is hidden (the collapsed `checks` cell) shows no prompt at all.
      const prompts = [...document.querySelectorAll(".jp-Notebook .jp-CodeCell .jp-InputPrompt")]
        .map((p) => p.textContent ?? "").filter((p) => p.trim() !== "");
      const status = [...document.querySelectorAll(".jp-StatusBar-Widget")]
        .map((w) => w.textContent ?? "").join(" ");
      const idle = /\|\s*Idle/.test(status);
      if (stopsAtError) {
        // JupyterLab shows a Deno error as stderr.
        const error = document.querySelector(
          '[data-mime-type="application/vnd.jupyter.stderr"], [data-mime-type="application/vnd.jupyter.error"]',
        );
        return idle && error !== null && !prompts.some((p) => p.includes("*"));
      }
      return prompts.length > 0 && prompts.every((p) => /\[\d+\]/.test(p)) && idle;
    },
    stopsAtError,
    { timeout: 180_000, polling: 250 },
  );
  try {
    await done;
  } catch (error) {
    // Say what JupyterLab showed instead, with a screenshot to look at.
    const shot = `.screenshots/timeout-${file.replaceAll("/", "_")}.png`;
    await page.screenshot({ path: `${ROOT}/${shot}` }).catch(() => {});
    const state = await page.evaluate(() => ({
      prompts: [...document.querySelectorAll(".jp-Notebook .jp-CodeCell .jp-InputPrompt")]
        .map((p) => p.textContent ?? "").join(" "),
      status: [...document.querySelectorAll(".jp-StatusBar-Widget")]
        .map((w) => w.textContent ?? "").join(" | "),
      dialogs: [...document.querySelectorAll(".jp-Dialog")].map((d) => d.textContent ?? ""),
    })).catch(() => undefined);
    throw new Error(`${file}: Run All did not finish: ${JSON.stringify(state)} (${shot})`, {
      cause: error,
    });
  }
}

/** What JupyterLab shows for each code cell. */
interface ShownCell {
  outputs: number;
  /** Charts drawn by the plotly renderer, each with a `.main-svg` and a visible size. */
  charts: number;
  errors: number;
}

function shownCells(page: Page): Promise<ShownCell[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll(".jp-Notebook .jp-CodeCell")].map((cell) => {
      // JupyterLab's plotly renderer (the plotly package's labextension) draws into the output
      // element itself: `.jp-OutputArea-output.jp-RenderedPlotly.js-plotly-plot`.
      const plots = [...cell.querySelectorAll(".jp-OutputArea-output.jp-RenderedPlotly")];
      return {
        outputs: cell.querySelectorAll(".jp-OutputArea-child").length,
        charts: plots.filter((p) => {
          const box = p.getBoundingClientRect();
          return p.classList.contains("js-plotly-plot") && p.querySelector(".main-svg") &&
            box.width > 100 && box.height > 100;
        }).length,
        errors: cell.querySelectorAll(
          '[data-mime-type="application/vnd.jupyter.stderr"], .jp-OutputArea-output[data-mime-type="application/vnd.jupyter.error"]',
        ).length,
      };
    })
  );
}

/** Counts the learner cell's outputs JupyterLab shows (as tools/learner_cell.py does). */
function learnerOutputs(page: Page): Promise<{ cells: number; lost: Record<string, number> }> {
  return page.evaluate(() => {
    const lost: Record<string, number> = { one: 0, two: 0, three: 0, display: 0, result: 0 };
    const cells = [...document.querySelectorAll(".jp-Notebook .jp-CodeCell")];
    for (const cell of cells) {
      const text = (selector: string) =>
        [...cell.querySelectorAll(selector)].map((e) => e.textContent ?? "").join("\n");
      const lines = text('[data-mime-type="application/vnd.jupyter.stdout"]').split("\n");
      for (const word of ["one", "two", "three"]) lost[word]! += lines.includes(word) ? 0 : 1;
      lost.display! += /four/.test(text('[data-mime-type="text/markdown"]')) ? 0 : 1;
      lost.result! += text(".jp-OutputArea-executeResult .jp-OutputArea-output").trim() === "42"
        ? 0
        : 1;
    }
    return { cells: cells.length, lost };
  });
}

browserTest(
  "JupyterLab (deno task lab): the project root, the learner cell, Run All, every notebook",
  async (t) => {
    const { executed } = await site();
    const before = new Map(
      await Promise.all(notebooks.map(async (n) => [n, await sha256(`${ROOT}/${n}`)] as const)),
    );
    await Deno.mkdir(`${ROOT}/.screenshots`, { recursive: true });
    await Deno.mkdir(`${ROOT}/.out`, { recursive: true });
    const lab = await startLab();
    const browser = await launchChromium(chromiumPath);
    const learnerFile = `.out/lab-learner-cells-${crypto.randomUUID().slice(0, 8)}.ipynb`;
    try {
      await t.step(
        "opens on notebooks/ at the project root; lib/ and .out/ open; no news",
        async () => {
          const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
          try {
            const problems = watch(page, lab.base);
            await offline(page, lab.base);
            await page.goto(`${lab.base}/?token=${lab.token}`);
            await page.waitForURL(/\/lab\/tree\/notebooks/, { timeout: 60_000 });
            await page.locator(".jp-DirListing-item", {
              hasText: "01-conditional-probability.ipynb",
            })
              .first().waitFor({ timeout: 60_000 });
            const crumbs = await page.locator(".jp-FileBrowser .jp-BreadCrumbs").first()
              .textContent();
            assert.match(crumbs ?? "", /notebooks/, "the file browser starts in notebooks/");
            const schema = await api(
              lab,
              "GET",
              "/lab/api/settings/@jupyterlab/apputils-extension:notification",
            ) as { schema?: { properties?: { fetchNews?: { default?: string } } } };
            assert.equal(
              schema.schema?.properties?.fetchNews?.default,
              "false",
              "the project's overrides.json turns the news off",
            );
            await page.waitForTimeout(5_000); // the news question used to pop up within seconds
            const toasts = await page.locator(".Toastify__toast").allTextContents();
            assert.deepEqual(toasts.filter((text) => /news/i.test(text)), [], "no news pop-up");
            await page.screenshot({ path: `${ROOT}/.screenshots/lab-start.png` });
            await page.goto(`${lab.base}/lab/tree/lib/math/softmax.ts?token=${lab.token}`);
            await page.locator(".jp-FileEditor .cm-content", { hasText: "export function softmax" })
              .first().waitFor({ timeout: 60_000 });
            const out = await fetch(`${lab.base}/api/contents/.out?content=0`, {
              headers: { Authorization: `token ${lab.token}` },
            });
            await out.body?.cancel();
            assert.equal(out.status, 200, "JupyterLab serves .out/ (hidden files allowed)");
            assert.deepEqual(problems, []);
            console.log(
              "JupyterLab opened on notebooks/ at the project root; .screenshots/lab-start.png",
            );
          } finally {
            await page.close();
          }
        },
      );

      await t.step(`the learner cell loses no output in ${PROBE_RUNS} runs`, async () => {
        const wrote = await new Deno.Command(VENV_PYTHON, {
          args: [
            "tools/learner_cell.py",
            "--write-notebook",
            learnerFile,
            "--runs",
            String(PROBE_RUNS),
          ],
          cwd: ROOT,
          env: jupyterEnv(),
        }).output();
        assert.ok(wrote.success, "tools/learner_cell.py --write-notebook");
        const page = await browser.newPage({ viewport: { width: 1280, height: 16_000 } });
        try {
          await runAllInLab(page, lab, PROBE_RUNS, learnerFile);
          await page.waitForTimeout(1_000); // anything late would show up by now
          const { cells, lost } = await learnerOutputs(page);
          const total = Object.values(lost).reduce((a, b) => a + b, 0);
          assert.equal(cells, PROBE_RUNS);
          assert.equal(total, 0, `outputs lost in JupyterLab: ${JSON.stringify(lost)}`);
          console.log(
            `JupyterLab: ${total} of ${PROBE_RUNS * 5} outputs lost in ${PROBE_RUNS} runs of the ` +
              "learner cell",
          );
        } finally {
          await page.close();
          const sessions = await api(lab, "GET", "/api/sessions") as { id: string }[];
          for (const s of sessions) await api(lab, "DELETE", `/api/sessions/${s.id}`);
        }
      });

      await t.step("Run All stops at the failing cell", async () => {
        const file = "tests/fixtures/stops-at-error.ipynb";
        const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
        try {
          await runAllInLab(page, lab, 4, file, true);
          await page.waitForTimeout(1_500); // a cell Run All still ran would show its output now
          await page.screenshot({ path: `${ROOT}/.screenshots/lab-stops-at-error.png` });
          const shown = await shownCells(page);
          assert.deepEqual(shown.map((c) => [c.outputs, c.errors]), [[1, 0], [1, 1], [0, 0], [
            0,
            0,
          ]]);
          const text = await page.locator(".jp-Notebook").textContent();
          assert.match(text ?? "", /RangeError: `temperature` must be >= 0, got -1/);
          assert.doesNotMatch(text ?? "", /ReferenceError/, "no cascade of ReferenceErrors");
          console.log("Run All stopped at cell 2; .screenshots/lab-stops-at-error.png");
        } finally {
          await page.close();
          const sessions = await api(lab, "GET", "/api/sessions") as { id: string }[];
          for (const s of sessions) await api(lab, "DELETE", `/api/sessions/${s.id}`);
        }
      });

      for (const { source, notebook } of executed) {
        await t.step(source, async () => {
          const page = await browser.newPage({ viewport: LAB_WINDOW });
          try {
            const problems = watch(page, lab.base);
            await offline(page, lab.base);
            await runAllInLab(page, lab, notebook.cells.length, source);
            const figures = expectedFigures(notebook)!;
            await page.waitForFunction(
              (n) =>
                document.querySelectorAll(".jp-OutputArea .js-plotly-plot .main-svg").length >= n,
              figures,
              { timeout: 30_000 },
            ).catch(() => {});
            const screenshot = `.screenshots/${notebookStem(source)}.png`;
            const height = await page.evaluate(() => {
              const scroller = document.querySelector(".jp-NotebookPanel .jp-WindowedPanel-outer");
              if (scroller) scroller.scrollTop = 0;
              const cells = document.querySelectorAll(".jp-Notebook .jp-Cell");
              const last = cells[cells.length - 1]?.getBoundingClientRect();
              // Below the last cell: the notebook's own bottom padding, then the status bar.
              return Math.ceil((last?.bottom ?? 0) + 40);
            });
            await page.screenshot({
              path: `${ROOT}/${screenshot}`,
              clip: {
                x: 0,
                y: 0,
                width: LAB_WINDOW.width,
                height: Math.min(height, LAB_WINDOW.height),
              },
            });
            const shown = await shownCells(page);
            const expected = expectedOutputs(notebook);
            assert.deepEqual(
              shown.map(({ outputs, charts }) => ({ outputs, charts })),
              expected,
              `${source}: outputs and drawn charts per code cell, JupyterLab vs nbclient`,
            );
            assert.equal(shown.reduce((s, c) => s + c.errors, 0), 0, `${source}: an error output`);
            const drawn = shown.reduce((s, c) => s + c.charts, 0);
            assert.equal(drawn, figures, `${source}: metadata.course.expected_figures`);
            // A chart with a slider: move it once; the bars and title change, the chart keeps its size.
            const slider = page.locator(".jp-RenderedPlotly", {
              has: page.locator(".slider-container"),
            });
            let moved = "";
            if (await slider.count() > 0) {
              const before = await sliderState(slider.first());
              const rail = (await slider.first().locator(".slider-rail-rect").boundingBox())!;
              await page.mouse.click(rail.x + 3, rail.y + rail.height / 2);
              await page.waitForTimeout(800);
              const after = await sliderState(slider.first());
              assert.notDeepEqual(after.y, before.y, `${source}: the slider changed the data`);
              assert.notEqual(after.title, before.title, `${source}: the slider changed the title`);
              assert.ok(
                after.height > 300,
                `${source}: the slider chart is ${after.height} px tall`,
              );
              moved = `; slider moved to "${after.title}", chart ${after.height} px tall`;
            }
            assert.deepEqual(problems, [], `${source}: the page had problems`);
            console.log(
              `${source}: JupyterLab ran ${expected.length} code cells; ` +
                `${
                  expected.reduce((s, c) => s + c.outputs, 0)
                } outputs and ${drawn} of ${figures} ` +
                `charts shown${
                  height > LAB_WINDOW.height ? " (screenshot cut)" : ""
                }; ${screenshot}` +
                moved,
            );
          } finally {
            await page.close();
            // Shut the notebook's kernel down before the next one starts.
            const sessions = await api(lab, "GET", "/api/sessions") as { id: string }[];
            for (const s of sessions) await api(lab, "DELETE", `/api/sessions/${s.id}`);
          }
        });
      }
    } finally {
      await browser.close();
      await stopLab(lab);
      await Deno.remove(`${ROOT}/${learnerFile}`).catch(() => {});
    }
    for (const [notebook, hash] of before) {
      assert.equal(await sha256(`${ROOT}/${notebook}`), hash, `${notebook} was not modified`);
    }
  },
);
