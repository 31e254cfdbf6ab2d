/**
 * `deno task nb <notebook> [--param name=value …] [--out path]`: executes a notebook headless with
 * the project's Deno kernel and writes the executed copy (default `.out/<name>.ipynb`).
 *
 * Each `--param` value is a TypeScript expression (JSON is one): `--param total=20`,
 * `--param 'word="park"'`. The values go into a new cell right after the cell tagged `parameters`
 * (as papermill does for Python), so every later cell sees them. A name the parameters cell does
 * not declare is refused before anything runs.
 *
 * On failure it prints the notebook, the cell and the error message (e.g. the library's
 * RangeError for impossible counts) and exits 1.
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
}

/**
 * Parses `<notebook> [--param name=value …] [--out path]` (also `-p`, `--param=name=value`).
 *
 * @param args The task's arguments.
 * @returns The notebook path, the overrides and the output path.
 * @throws {RangeError} On a missing notebook, an unknown option or a malformed `--param`.
 */
export function parseNbArgs(args: readonly string[]): NbArgs {
  const params: Param[] = [];
  let notebook: string | undefined;
  let out: string | undefined;
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
    else if (arg.startsWith("-")) throw new RangeError(`Unknown option \`${arg}\``);
    else if (notebook === undefined) notebook = arg;
    else throw new RangeError(`Only one notebook at a time, got ${notebook} and ${arg}`);
  }
  if (notebook === undefined) {
    throw new RangeError(
      "Usage: deno task nb <notebook.ipynb> [--param name=value …] [--out path]",
    );
  }
  return { notebook, params, ...(out === undefined ? {} : { out }) };
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
  const status = await new Deno.Command(VENV_PYTHON, {
    args: [
      `${ROOT}/tools/run_notebook.py`,
      source ?? notebook,
      ...(source === undefined ? [] : ["--as", notebook]),
      "--out",
      out,
    ],
    env: jupyterEnv(),
    stdout: "inherit",
    stderr: "inherit",
  }).spawn().status;
  if (source !== undefined) await Deno.remove(source);
  Deno.exit(status.code);
}
