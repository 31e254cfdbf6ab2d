/**
 * `deno task nb <notebook> [--param name=value …] [--out path] [--timeout S]`: executes a notebook
 * headless with the project's Deno kernel and writes the executed copy (default
 * `.out/<name>.ipynb`). `--timeout S` fails a cell that runs longer than S seconds (default 120):
 * "cell N timed out after S s".
 *
 * Each `--param` value is a TypeScript expression (JSON is one): `--param total=20`,
 * `--param 'word="park"'`. The values go into a new cell right after the cell tagged `parameters`
 * (as papermill does for Python), so every later cell sees them. A name the parameters cell does
 * not declare is refused before anything runs.
 *
 * On failure it prints the notebook, the cell and the error message (e.g. the library's
 * RangeError for impossible counts) and exits 1. Ctrl+C prints one line. When this process is
 * killed, even with SIGKILL, the runner and the kernel stop within a second (they watch their
 * parent), and this process does the same when `deno task` above it is killed.
 *
 * @module
 */

import { type Param, parseParam, readNotebook, withParameters } from "./notebook.ts";
import { ensureSetupOrExit, jupyterEnv, ROOT, VENV_PYTHON } from "./setup.ts";

/** Parsed command line of `deno task nb`. */
export interface NbArgs {
  notebook: string;
  params: Param[];
  out?: string;
  /** Seconds a cell may run. */
  timeout?: number;
}

/**
 * Parses `<notebook> [--param name=value …] [--out path] [--timeout S]` (also `-p`,
 * `--param=name=value`, `--timeout=S`).
 *
 * @param args The task's arguments.
 * @returns The notebook path, the overrides and the output path.
 * @throws {RangeError} On a missing notebook, an unknown option or a malformed `--param`.
 */
export function parseNbArgs(args: readonly string[]): NbArgs {
  const params: Param[] = [];
  let notebook: string | undefined;
  let out: string | undefined;
  let timeout: number | undefined;
  const seconds = (text: string) => {
    const value = Number(text);
    if (!Number.isInteger(value) || value <= 0) {
      throw new RangeError(`\`--timeout\` must be a whole number of seconds > 0, got ${text}`);
    }
    return value;
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const next = () => {
      const value = args[++i];
      if (value === undefined) throw new RangeError(`\`${arg}\` needs a value`);
      return value;
    };
    if (arg === "--param" || arg === "-p") params.push(parseParam(next()));
    else if (arg.startsWith("--param=")) params.push(parseParam(arg.slice("--param=".length)));
    else if (arg === "--out") out = next();
    else if (arg === "--timeout") timeout = seconds(next());
    else if (arg.startsWith("--timeout=")) timeout = seconds(arg.slice("--timeout=".length));
    else if (arg.startsWith("-")) throw new RangeError(`Unknown option \`${arg}\``);
    else if (notebook === undefined) notebook = arg;
    else throw new RangeError(`Only one notebook at a time, got ${notebook} and ${arg}`);
  }
  if (notebook === undefined) {
    throw new RangeError(
      "Usage: deno task nb <notebook.ipynb> [--param name=value …] [--out path] [--timeout S]",
    );
  }
  return {
    notebook,
    params,
    ...(out === undefined ? {} : { out }),
    ...(timeout === undefined ? {} : { timeout }),
  };
}

/**
 * Calls `onOrphaned` when the process that started this one has died (Linux: the parent in
 * `/proc/self/stat` is no longer the one at start), checking twice a second.
 *
 * @param onOrphaned What to do; the process then exits with status 129.
 * @returns The interval, for `clearInterval`.
 */
export function watchParent(onOrphaned: () => void): ReturnType<typeof setInterval> {
  const parentNow = () => {
    try {
      const stat = Deno.readTextFileSync("/proc/self/stat");
      return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
    } catch {
      return Deno.ppid; // no /proc: nothing to compare, never fires
    }
  };
  const parent = Deno.ppid;
  return setInterval(() => {
    if (parentNow() !== parent) {
      onOrphaned();
      Deno.exit(129);
    }
  }, 500);
}

/** Finds the notebook: the path as given, or `notebooks/<arg>` with or without `.ipynb`. */
async function resolveNotebook(arg: string): Promise<string> {
  for (const candidate of [arg, `${ROOT}/notebooks/${arg}`, `${ROOT}/notebooks/${arg}.ipynb`]) {
    try {
      if ((await Deno.stat(candidate)).isFile) return await Deno.realPath(candidate);
    } catch (error) {
      if (!(error instanceof Deno.errors.NotFound)) throw error;
    }
  }
  throw new RangeError(`No notebook ${arg} (looked in the current directory and notebooks/)`);
}

if (import.meta.main) {
  let args: NbArgs;
  let notebook: string;
  let source: string | undefined;
  try {
    args = parseNbArgs(Deno.args);
    notebook = await resolveNotebook(args.notebook);
    if (args.params.length > 0) {
      // The runner executes a copy with the values injected, as if it were the notebook itself.
      const nb = withParameters(await readNotebook(notebook), args.params, args.notebook);
      source = await Deno.makeTempFile({ prefix: "nb-", suffix: ".ipynb" });
      await Deno.writeTextFile(source, JSON.stringify(nb));
    }
  } catch (error) {
    console.error(error instanceof Error ? error.message : String(error));
    Deno.exit(2);
  }
  await ensureSetupOrExit();
  const name = notebook.split("/").at(-1)!;
  const out = args.out ?? `${ROOT}/.out/${name}`;
  const child = new Deno.Command(VENV_PYTHON, {
    args: [
      `${ROOT}/tools/run_notebook.py`,
      source ?? notebook,
      ...(source === undefined ? [] : ["--as", notebook]),
      "--out",
      out,
      ...(args.timeout === undefined ? [] : ["--timeout", String(args.timeout)]),
    ],
    env: jupyterEnv(),
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  // Ctrl+C reaches the runner too (same process group); it prints the one line and stops the
  // kernel, so this process only waits for it. A SIGTERM is passed on.
  Deno.addSignalListener("SIGINT", () => {});
  Deno.addSignalListener("SIGTERM", () => child.kill("SIGTERM"));
  const orphaned = watchParent(() => child.kill("SIGKILL"));
  const status = await child.status;
  clearInterval(orphaned);
  if (source !== undefined) await Deno.remove(source).catch(() => {});
  Deno.exit(status.code);
}
