/**
 * `deno task test`: every check CI runs, in order, ending with one line `N passed, N failed`.
 *
 * Stages: Deno version, with `COURSE_CURRENT_DENO=/path/to/deno` set (CI sets it to the current
 * release) `deno task test:tools` under that Deno (set-up, doctor, nb and the learner-cell test, as a
 * learner with a fresh Deno runs them), `deno fmt --check` (code and notebooks), `deno lint`,
 * `deno check` of lib/, tests/ and tools/, type check of the notebooks' code, then `deno test` (unit,
 * property, doc tests and the notebook/browser tests under tests/). Each stage counts as one check; `deno test`
 * adds its own test counts. All stages run even when one fails, so one run shows every problem.
 *
 * @module
 */

/** One stage: a name and the command line that runs it. */
interface Stage {
  name: string;
  /** The program (default: the running Deno). */
  cmd?: string;
  args: string[];
  /** When true, the stage's test counts come from `deno test`'s summary line. */
  counts?: boolean;
}

const deno = Deno.execPath();
/** A second Deno (CI: the current release) that runs the task layer too. */
const current = Deno.env.get("COURSE_CURRENT_DENO");
const stages: Stage[] = [
  { name: "deno version", args: ["run", "--allow-read", "tools/check_version.ts"] },
  ...(current
    ? [{ name: `task layer under ${current}`, cmd: current, args: ["task", "test:tools"] }]
    : []),
  // Notebooks are checked by tools/fmt_notebooks.ts: Deno 2.7.14's `fmt --check` flags every
  // .ipynb on a machine whose DENO_DIR has not formatted it before (see that file).
  { name: "deno fmt --check", args: ["fmt", "--check", "--ignore=**/*.ipynb,models/"] },
  {
    name: "deno fmt --check (notebooks)",
    args: ["run", "--allow-read", "--allow-run", "--allow-env", "tools/fmt_notebooks.ts"],
  },
  { name: "deno lint", args: ["lint"] },
  { name: "deno check", args: ["check", "lib/", "tests/", "tools/"] },
  {
    name: "notebook type check",
    args: [
      "run",
      "--allow-read",
      "--allow-write",
      "--allow-run",
      "--allow-env",
      "tools/check_notebooks.ts",
    ],
  },
  {
    name: "deno test",
    args: ["test", "--allow-all", "--doc", "lib/", "tests/", ...Deno.args],
    counts: true,
  },
];

/**
 * Reads passed/failed counts from `deno test` output ("ok | 12 passed (3 steps) | 0 failed").
 *
 * @param output The combined output of `deno test`.
 * @returns The counts, or `undefined` when no summary line is present.
 */
export function parseDenoTestSummary(
  output: string,
): { passed: number; failed: number } | undefined {
  const lines = output.split("\n").filter((line) => /\d+ passed.*\d+ failed/.test(line));
  const last = lines.at(-1);
  if (last === undefined) return undefined;
  const passed = Number(/(\d+) passed/.exec(last)?.[1] ?? 0);
  const failed = Number(/(\d+) failed/.exec(last)?.[1] ?? 0);
  return { passed, failed };
}

if (import.meta.main) {
  let passed = 0;
  let failed = 0;
  const failures: string[] = [];
  for (const stage of stages) {
    console.log(`\n=== ${stage.name}`);
    const child = new Deno.Command(stage.cmd ?? deno, {
      args: stage.args,
      env: { NO_COLOR: "1" },
      stdout: stage.counts ? "piped" : "inherit",
      stderr: stage.counts ? "piped" : "inherit",
    }).spawn();
    let text = "";
    if (stage.counts) {
      // Stream the output while keeping a copy to read the summary from.
      const decoder = new TextDecoder();
      const pump = async (stream: ReadableStream<Uint8Array>, sink: typeof Deno.stdout) => {
        for await (const chunk of stream) {
          text += decoder.decode(chunk, { stream: true });
          await sink.write(chunk);
        }
      };
      await Promise.all([pump(child.stdout, Deno.stdout), pump(child.stderr, Deno.stderr)]);
    }
    const { success } = await child.status;
    if (stage.counts) {
      const summary = parseDenoTestSummary(text);
      passed += summary?.passed ?? 0;
      failed += summary?.failed ?? 0;
      if (!success && (summary?.failed ?? 0) === 0) failed += 1;
    } else if (success) {
      passed += 1;
    } else {
      failed += 1;
    }
    if (!success) failures.push(stage.name);
  }
  if (failures.length > 0) console.log(`\nFailed stages: ${failures.join(", ")}`);
  console.log(`${passed} passed, ${failed} failed`);
  Deno.exit(failed === 0 ? 0 : 1);
}
