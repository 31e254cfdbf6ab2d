/**
 * The notebook runner's failure cases (issue 12): tools/run_notebook.py and `deno task nb` on
 * small fixture notebooks in tests/fixtures/.
 *
 * Each case is one a learner met: an error thrown later from a timer or an unhandled rejection
 * (once lost: "ok", then the next cell stalled 30 s), a cell awaiting a promise that never settles
 * (once a GC message after 30–38 s), `--timeout`, a dead kernel, files that are not notebooks,
 * Ctrl+C (once a 45-line traceback) and a runner killed hard (once orphans until the cell timeout).
 */

import assert from "node:assert/strict";
import { ensureSetup, jupyterEnv, ROOT, VENV_PYTHON } from "../tools/setup.ts";

let ready: Promise<void> | undefined;
function setupOnce(): Promise<void> {
  ready ??= ensureSetup();
  return ready;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  seconds: number;
}

async function run(cmd: string, args: string[]): Promise<Run> {
  await setupOnce();
  const started = performance.now();
  const out = await new Deno.Command(cmd, {
    args,
    cwd: ROOT,
    env: { ...jupyterEnv(), NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  return {
    code: out.code,
    stdout: decode(out.stdout),
    stderr: decode(out.stderr),
    seconds: (performance.now() - started) / 1000,
  };
}

const runner = (args: string[]) => run(VENV_PYTHON, ["tools/run_notebook.py", ...args]);
const nbTask = (args: string[]) => run(Deno.execPath(), ["task", "nb", ...args]);

/** The lines a command printed on stderr, without `deno task`'s own "Task nb …" line. */
function lines(text: string): string[] {
  return text.split("\n").filter((l) => l.trim() !== "" && !/^Task nb /.test(l));
}

Deno.test("run_notebook.py: an error thrown later by a timer fails the cell that started it", async () => {
  const result = await runner(["tests/fixtures/late-timer.ipynb"]);
  assert.equal(result.code, 1, result.stderr);
  assert.deepEqual(lines(result.stderr), [
    'tests/fixtures/late-timer.ipynb, cell 2 ("setTimeout(() => {"): RangeError: late timer ' +
    "(thrown by a timer the cell started, after the cell finished)",
  ]);
  // Deno's kernel once stalled the next cell 30 s after such an error.
  assert.ok(result.seconds < 25, `took ${result.seconds.toFixed(1)} s`);
});

Deno.test("run_notebook.py: an unhandled promise rejection fails its cell", async () => {
  const result = await runner(["tests/fixtures/unhandled-rejection.ipynb"]);
  assert.equal(result.code, 1, result.stderr);
  assert.deepEqual(lines(result.stderr), [
    'tests/fixtures/unhandled-rejection.ipynb, cell 2 ("Promise.reject(new Error("nobody handles this"));"): ' +
    "Error: nobody handles this (a promise rejection nothing handled)",
  ]);
});

Deno.test("deno task nb --timeout: a never-settling cell times out, naming the cell", async () => {
  const result = await nbTask([
    "tests/fixtures/never-settles.ipynb",
    "--timeout",
    "3",
    "--out",
    `${await Deno.makeTempDir()}/out.ipynb`,
  ]);
  assert.equal(result.code, 1, result.stderr);
  assert.deepEqual(lines(result.stderr), [
    `${"tests/fixtures/never-settles.ipynb"}, cell 2 ("// Nothing can ever resolve this promise."): ` +
    "timed out after 3 s",
  ]);
  assert.doesNotMatch(result.stderr, /unstable/, "Deno's unstable warning stays out of nb output");
});

Deno.test({
  name: "run_notebook.py: without --timeout, a never-settling cell still says it timed out",
  // Deno's kernel gives up on such a promise when the garbage collector drops it (about 30 s).
  fn: async () => {
    const result = await runner(["tests/fixtures/never-settles.ipynb"]);
    assert.equal(result.code, 1, result.stderr);
    assert.match(
      lines(result.stderr).join("\n"),
      /^tests\/fixtures\/never-settles\.ipynb, cell 2 \("\/\/ Nothing can ever resolve this promise\."\): timed out after \d+ s: it awaits a promise that never settles \(Deno gave up on it\)$/,
    );
  },
});

Deno.test("run_notebook.py: a dead kernel is reported with the cell that killed it", async () => {
  const result = await runner(["tests/fixtures/kernel-dies.ipynb"]);
  assert.equal(result.code, 1, result.stderr);
  assert.deepEqual(lines(result.stderr), [
    'tests/fixtures/kernel-dies.ipynb, cell 2 ("Deno.exit(3);"): the Deno kernel died while running this cell',
  ]);
});

Deno.test("run_notebook.py and deno task nb: a file that is not a notebook gets one line", async (t) => {
  const dir = await Deno.makeTempDir({ prefix: "runner-test-" });
  try {
    const notJson = `${dir}/not-json.ipynb`;
    await Deno.writeTextFile(notJson, "this is not a notebook {\n");
    await t.step("not JSON", async () => {
      const result = await runner([notJson]);
      assert.equal(result.code, 2);
      assert.deepEqual(lines(result.stderr).length, 1, result.stderr);
      assert.match(result.stderr, /^\S*not-json\.ipynb: not a notebook: not JSON \(/);
    });
    await t.step("no cells", async () => {
      const result = await runner(["tests/fixtures/no-cells.ipynb"]);
      assert.equal(result.code, 2);
      assert.deepEqual(lines(result.stderr), [
        "tests/fixtures/no-cells.ipynb: not a notebook: no `cells` list",
      ]);
    });
    await t.step("deno task nb --param on a file that is not JSON", async () => {
      const result = await nbTask([notJson, "--param", "x=1"]);
      assert.equal(result.code, 2);
      assert.equal(lines(result.stderr).length, 1, result.stderr);
      assert.match(result.stderr, /not-json\.ipynb: not a notebook: not JSON \(/);
    });
    await t.step("no Python traceback anywhere", async () => {
      for (const file of [notJson, "tests/fixtures/no-cells.ipynb"]) {
        assert.doesNotMatch((await runner([file])).stderr, /Traceback/);
      }
    });
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// ---------------------------------------------------------------------------------------------
// Processes: Ctrl+C and a hard kill (Linux: read from /proc).

interface Proc {
  ppid: number;
  state: string;
  cmd: string;
}

function processTable(): Map<number, Proc> {
  const table = new Map<number, Proc>();
  for (const entry of Deno.readDirSync("/proc")) {
    if (!/^\d+$/.test(entry.name)) continue;
    try {
      const stat = Deno.readTextFileSync(`/proc/${entry.name}/stat`);
      const rest = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const cmd = Deno.readTextFileSync(`/proc/${entry.name}/cmdline`).replaceAll("\0", " ");
      table.set(Number(entry.name), { state: rest[0]!, ppid: Number(rest[1]), cmd });
    } catch {
      // gone meanwhile
    }
  }
  return table;
}

/** Every process below `pid`, with its command line. */
function descendants(pid: number): Map<number, string> {
  const table = processTable();
  const found = new Map<number, string>();
  const walk = (parent: number) => {
    for (const [child, proc] of table) {
      if (proc.ppid === parent && !found.has(child)) {
        found.set(child, proc.cmd);
        walk(child);
      }
    }
  };
  walk(pid);
  return found;
}

/** Whether a process still runs (a zombie has finished). */
function running(pid: number): boolean {
  try {
    const stat = Deno.readTextFileSync(`/proc/${pid}/stat`);
    return stat.slice(stat.lastIndexOf(")") + 2)[0] !== "Z";
  } catch {
    return false;
  }
}

/** Waits until the Deno kernel below `pid` runs the long cell; returns the whole tree. */
async function waitForKernel(pid: number): Promise<Map<number, string>> {
  const deadline = Date.now() + 90_000;
  while (Date.now() < deadline) {
    const tree = descendants(pid);
    if ([...tree.values()].some((cmd) => / jupyter --kernel /.test(cmd))) {
      await new Promise((resolve) => setTimeout(resolve, 3000)); // the cell is running by then
      return descendants(pid);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error("the Deno kernel did not start within 90 s");
}

async function waitGone(pids: Iterable<number>, seconds: number): Promise<number[]> {
  const deadline = Date.now() + seconds * 1000;
  let left = [...pids];
  while (Date.now() < deadline) {
    left = left.filter(running);
    if (left.length === 0) return [];
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return left.filter(running);
}

const linux = Deno.build.os === "linux";

Deno.test({
  name: "deno task nb: Ctrl+C prints one line and stops the kernel",
  ignore: !linux,
  fn: async () => {
    await setupOnce();
    // setsid: a process group of its own, which Ctrl+C signals as a terminal does.
    const child = new Deno.Command("setsid", {
      args: [Deno.execPath(), "task", "nb", "tests/fixtures/long-cell.ipynb"],
      cwd: ROOT,
      env: { NO_COLOR: "1" },
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const tree = await waitForKernel(child.pid);
    Deno.kill(-child.pid, "SIGINT");
    const out = await child.output();
    const stderr = new TextDecoder().decode(out.stderr);
    assert.deepEqual(lines(stderr), [
      'Interrupted: tests/fixtures/long-cell.ipynb, cell 1 ("// Runs for a minute: the tests interrupt or kill the run...")',
    ]);
    assert.equal(out.code, 130);
    assert.deepEqual(await waitGone(tree.keys(), 5), [], "every process of the run has ended");
  },
});

Deno.test({
  name: "deno task nb killed with SIGKILL: the runner and the kernel do not outlive it",
  ignore: !linux,
  fn: async () => {
    await setupOnce();
    const child = new Deno.Command(Deno.execPath(), {
      args: ["task", "nb", "tests/fixtures/long-cell.ipynb"],
      cwd: ROOT,
      env: { NO_COLOR: "1" },
      stdout: "null",
      stderr: "null",
    }).spawn();
    const tree = await waitForKernel(child.pid);
    const names = [...tree.values()].map((cmd) => cmd.split(" ").slice(0, 3).join(" "));
    assert.ok(tree.size >= 4, `deno run, the runner, the kernel relay and Deno: ${names}`);
    child.kill("SIGKILL");
    await child.status;
    const left = await waitGone(tree.keys(), 5);
    assert.deepEqual(
      left.map((pid) => tree.get(pid)),
      [],
      "processes left running 5 s after the task was killed",
    );
  },
});
