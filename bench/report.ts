/**
 * `deno run --allow-all bench/report.ts` (the second half of `deno task bench`): measures lib/
 * against the tools people would use instead, in this one run, and prints a Markdown table of
 * times and ratios (ours / theirs) with the targets of issue 7.
 *
 * - softmax with temperature on 50,257 and 200,019 logits: `softmaxInto()` (fast path, writes into
 *   a preallocated array) against numpy writing through `out=`, and `softmax()` (teaching version,
 *   a new array per call) against numpy's usual `np.exp` expression (bench/numpy_peer.py);
 * - 100,000 draws from one fixed 50,257-way distribution, set-up included: `categoricalSampler()`
 *   against numpy's `Generator.choice(n, size, p=p)`;
 * - Brown corpus load + trigram counts against Python's `collections.Counter`
 *   (bench/corpus_vs_python.ts, run in a fresh process so its first run is a cold start);
 * - every notebook executed headless (tools/run_notebook.py): total time and slowest cell.
 *
 * Statistic: the median of repeated timings after untimed warm-up calls, on both sides, each side
 * timed inside its own process (performance.now() here, time.perf_counter() in Python), so process
 * start-up is never counted. Softmax and sampling run in three rounds that alternate ours and
 * numpy's, and pool each side's samples, so a burst of load on a shared machine hits both.
 *
 * @module
 */

import { softmax, softmaxInto } from "../lib/mod.ts";
import {
  BENCH_TEMPERATURE,
  benchDistribution,
  benchLogits,
  DRAWS,
  drawWithAliasTable,
  GPT2_VOCABULARY,
  O200K_VOCABULARY,
} from "./_data.ts";

const ROOT = new URL("../", import.meta.url);
const path = (relative: string) => new URL(relative, ROOT).pathname;
const PYTHON = path(".venv/bin/python");
const ROUNDS = 3;
const SOFTMAX_REPEATS = { [GPT2_VOCABULARY]: 100, [O200K_VOCABULARY]: 30 } as Record<
  number,
  number
>;
const DRAW_REPEATS = 10;
const CORPUS_RUNS = 5;

try {
  await Deno.stat(PYTHON);
} catch {
  console.error(`${PYTHON} not found: run \`deno task setup\` first (it installs numpy)`);
  Deno.exit(1);
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Seconds of each of `repeats` calls, after `warmup` untimed calls. */
function timed(run: () => unknown, warmup: number, repeats: number): number[] {
  for (let i = 0; i < warmup; i++) run();
  const seconds: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = performance.now();
    run();
    seconds.push((performance.now() - start) / 1000);
  }
  return seconds;
}

async function command(program: string, args: string[]): Promise<string> {
  const output = await new Deno.Command(program, { args, stdout: "piped", stderr: "piped" })
    .output();
  const stderr = new TextDecoder().decode(output.stderr);
  if (!output.success) throw new Error(`${program} ${args.join(" ")} failed:\n${stderr}`);
  return new TextDecoder().decode(output.stdout);
}

async function firstLine(file: string, pattern: RegExp): Promise<string | undefined> {
  try {
    return (await Deno.readTextFile(file)).split("\n").find((line) => pattern.test(line));
  } catch {
    return undefined;
  }
}

// --- The machine ----------------------------------------------------------------------------

const cpu = (await firstLine("/proc/cpuinfo", /^model name/))?.split(":")[1]?.trim() ?? "unknown";
const versions = JSON.parse(
  await command(PYTHON, [
    "-c",
    "import json, sys, numpy; print(json.dumps([sys.version.split()[0], numpy.__version__]))",
  ]),
) as [string, string];
const machine =
  `${navigator.hardwareConcurrency} cores (nproc), ${cpu}; Deno ${Deno.version.deno} ` +
  `(V8 ${Deno.version.v8}), Python ${versions[0]}, numpy ${versions[1]}`;
console.error(`bench/report.ts on ${machine}`);

// --- softmax and sampling, ours and numpy's in alternating rounds ---------------------------

const sizes = [GPT2_VOCABULARY, O200K_VOCABULARY];
const logits = new Map(sizes.map((n) => [n, benchLogits(n)]));
const probs = benchDistribution();
const dir = await Deno.makeTempDir({ prefix: "bench-" });
for (const [n, x] of logits) await Deno.writeFile(`${dir}/logits-${n}.f64`, bytes(x));
await Deno.writeFile(`${dir}/distribution.f64`, bytes(probs));

/** The little-endian bytes of a Float64Array (every platform Deno runs on is little-endian). */
function bytes(values: Float64Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

const ours = {
  fast: new Map<number, number[]>(sizes.map((n) => [n, []])),
  teaching: new Map<number, number[]>(sizes.map((n) => [n, []])),
  draws: [] as number[],
};
const numpy = {
  softmax: new Map<number, number[]>(sizes.map((n) => [n, []])),
  softmaxOut: new Map<number, number[]>(sizes.map((n) => [n, []])),
  choice: [] as number[],
};
let checksum = 0;
for (let round = 0; round < ROUNDS; round++) {
  for (const n of sizes) {
    const x = logits.get(n)!;
    const out = new Float64Array(n);
    const repeats = SOFTMAX_REPEATS[n]!;
    ours.fast.get(n)!.push(...timed(() => softmaxInto(out, x, BENCH_TEMPERATURE), 10, repeats));
    ours.teaching.get(n)!.push(...timed(() => softmax(x, BENCH_TEMPERATURE), 10, repeats));
    checksum += out[0]!;
  }
  ours.draws.push(...timed(() => drawWithAliasTable(probs, DRAWS, 7), 2, DRAW_REPEATS));
  const peer = JSON.parse(
    await command(PYTHON, [
      path("bench/numpy_peer.py"),
      dir,
      String(BENCH_TEMPERATURE),
      String(DRAWS),
      String(SOFTMAX_REPEATS[GPT2_VOCABULARY]),
      String(DRAW_REPEATS),
    ]),
  ) as {
    softmax: Record<string, number[]>;
    softmax_out: Record<string, number[]>;
    choice: number[];
  };
  for (const n of sizes) {
    numpy.softmax.get(n)!.push(...peer.softmax[String(n)]!);
    numpy.softmaxOut.get(n)!.push(...peer.softmax_out[String(n)]!);
  }
  numpy.choice.push(...peer.choice);
}
await Deno.remove(dir, { recursive: true });
if (!Number.isFinite(checksum)) throw new Error("softmaxInto() gave a non-finite probability");

// --- Brown corpus: a fresh process, so its first run is cold ---------------------------------

console.error("corpus …");
const corpus = JSON.parse(
  await command(Deno.execPath(), [
    "run",
    "--allow-all",
    path("bench/corpus_vs_python.ts"),
    String(CORPUS_RUNS),
    "--json",
  ]),
) as { ours: number[]; theirs: number[]; python: string; sentences: number; tokens: number };

// --- Notebooks, each in a fresh kernel as a learner would run them ---------------------------

interface NotebookRun {
  seconds: number;
  cells: { cell: string; seconds: number }[];
}
const notebooks: { name: string; run: NotebookRun }[] = [];
const notebookFiles = [...Deno.readDirSync(path("notebooks"))]
  .map((entry) => entry.name).filter((name) => name.endsWith(".ipynb")).sort();
for (const name of notebookFiles) {
  console.error(`notebook ${name} …`);
  const summary = JSON.parse(
    await command(PYTHON, [path("tools/run_notebook.py"), path(`notebooks/${name}`), "--json"]),
  ) as { runs: NotebookRun[] };
  notebooks.push({ name: name.replace(/\.ipynb$/, ""), run: summary.runs[0]! });
}

// --- The table -------------------------------------------------------------------------------

const ms = (seconds: number) =>
  seconds >= 1
    ? `${seconds.toFixed(2)} s`
    : `${(seconds * 1000).toFixed(seconds < 0.01 ? 2 : 1)} ms`;
const rows: string[][] = [];
function row(
  what: string,
  mine: number,
  theirs: number | undefined,
  peer: string,
  target?: number,
) {
  const ratio = theirs === undefined ? undefined : mine / theirs;
  rows.push([
    what,
    ms(mine),
    theirs === undefined ? "" : `${peer} ${ms(theirs)}`,
    ratio === undefined ? "" : `${ratio.toFixed(2)}×`,
    target === undefined ? "" : `≤ ${target.toFixed(1)}×`,
    target === undefined || ratio === undefined ? "" : ratio <= target ? "yes" : "NO",
  ]);
}
const count = (n: number) => n.toLocaleString("en-US");
for (const n of sizes) {
  const label = `softmax, ${count(n)} logits, T = ${BENCH_TEMPERATURE}`;
  const target = n === GPT2_VOCABULARY ? 1 : undefined;
  // Like for like: no allocation against numpy's out=, a new array against numpy's new arrays.
  row(
    `${label}: \`softmaxInto\` (fast path) vs numpy \`out=\``,
    median(ours.fast.get(n)!),
    median(numpy.softmaxOut.get(n)!),
    "numpy",
    target,
  );
  row(
    `${label}: \`softmax\` (teaching) vs numpy`,
    median(ours.teaching.get(n)!),
    median(numpy.softmax.get(n)!),
    "numpy",
    target,
  );
}
row(
  `${count(DRAWS)} draws from ${
    count(GPT2_VOCABULARY)
  } tokens, set-up included: \`categoricalSampler\``,
  median(ours.draws),
  median(numpy.choice),
  "numpy `choice`",
  0.5,
);
const label = "Brown load + trigram counts";
row(
  `${label}, warm (median of runs 2–${CORPUS_RUNS})`,
  median(corpus.ours.slice(1)),
  median(corpus.theirs.slice(1)),
  "`Counter`",
  0.5,
);
row(
  `${label}, cold (first run of a fresh process)`,
  corpus.ours[0]!,
  corpus.theirs[0]!,
  "`Counter`",
  0.5,
);

let total = 0;
let slowest = { notebook: "", cell: "", seconds: 0 };
for (const { name, run } of notebooks) {
  total += run.seconds;
  const top = run.cells.reduce((a, b) => (b.seconds > a.seconds ? b : a), { cell: "", seconds: 0 });
  if (top.seconds > slowest.seconds) slowest = { notebook: name, ...top };
  rows.push([
    `notebook ${name} (kernel start + ${run.cells.length} cells; slowest ${
      top.cell.replace(/ \(.*/, "")
    })`,
    ms(run.seconds),
    "",
    "",
    "",
    `slowest ${ms(top.seconds)}`,
  ]);
}
rows.push([
  `all ${notebooks.length} notebooks headless, total`,
  ms(total),
  "",
  "",
  "< 30 s",
  total < 30 ? "yes" : "NO",
]);
rows.push([
  `slowest cell: ${slowest.notebook} ${slowest.cell}`,
  ms(slowest.seconds),
  "",
  "",
  "≤ 3 s",
  slowest.seconds <= 3 ? "yes" : "NO",
]);

const header = ["benchmark", "ours", "peer", "ours / peer", "target", "holds"];
console.log(`\nMachine: ${machine}.`);
console.log(
  `Times are medians after warm-up, each side timed in its own process (softmax and draws: ` +
    `${ROUNDS} rounds alternating ours and numpy's; corpus: ${CORPUS_RUNS} runs each, ` +
    `${count(corpus.sentences)} sentences, ${count(corpus.tokens)} tokens).\n`,
);
console.log(`| ${header.join(" | ")} |`);
console.log(`| --- | ---: | ---: | ---: | ---: | --- |`);
for (const r of rows) console.log(`| ${r.join(" | ")} |`);
