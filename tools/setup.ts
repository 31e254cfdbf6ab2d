/**
 * The Python side of the project, made ready in one call: `.venv/` from `requirements.txt` and the
 * Deno Jupyter kernelspec inside it. Shared by `deno task setup`, `lab`, `nb`, `doctor` and the
 * notebook tests.
 *
 * - The virtual environment is created with the first of `python3` / `python` found on `PATH` and
 *   filled with `pip install -r requirements.txt`. A stamp file (`.venv/requirements.sha256`)
 *   records the hash of the installed requirements, so the next run skips pip unless the file
 *   changed.
 * - The kernelspec is written to `.venv/share/jupyter/kernels/deno/kernel.json` (the `sys.prefix`
 *   data directory that the venv's JupyterLab and nbclient search). It is project-local and names the
 *   exact Deno running the task (`Deno.execPath()`), so the kernel is the pinned Deno, not whatever
 *   `deno` is first on `PATH`. {@linkcode jupyterEnv} puts that directory first on `JUPYTER_PATH`
 *   so a user-wide `deno` kernelspec (from `deno jupyter --install`) cannot shadow it.
 *
 * Run: `deno task setup`.
 *
 * @module
 */

import { requirePinnedDeno } from "./check_version.ts";

/** Project root (the directory holding deno.json). */
export const ROOT: string = decodeURIComponent(new URL("..", import.meta.url).pathname).replace(
  /\/$/,
  "",
);
/** The project's virtual environment. */
export const VENV: string = `${ROOT}/.venv`;
/** The venv's Python interpreter. */
export const VENV_PYTHON: string = `${VENV}/bin/python`;
/** Where the kernelspec lives: the venv's own Jupyter data directory. */
export const JUPYTER_DATA: string = `${VENV}/share/jupyter`;
/** The kernelspec directory for the `deno` kernel. */
export const KERNEL_DIR: string = `${JUPYTER_DATA}/kernels/deno`;
/** Stamp holding the sha256 of the requirements last installed. */
export const STAMP: string = `${VENV}/requirements.sha256`;

/** A Jupyter kernelspec (`kernel.json`). */
export interface KernelSpec {
  argv: string[];
  display_name: string;
  language: string;
  env: Record<string, string>;
}

/** An error whose message tells the user what to install or run; shown without a stack trace. */
export class SetupError extends Error {
  override name = "SetupError";
}

/**
 * Builds the kernelspec that starts `deno jupyter --kernel` with a given Deno binary.
 *
 * `NO_COLOR=1` keeps ANSI colour codes out of saved outputs and error messages.
 *
 * @param denoPath Absolute path of the Deno binary, usually `Deno.execPath()`.
 * @returns The kernel.json content.
 * @throws {TypeError} When `denoPath` is not an absolute path.
 * @example
 * ```ts
 * import { kernelSpec } from "./setup.ts";
 * import assert from "node:assert/strict";
 * const spec = kernelSpec("/usr/bin/deno");
 * assert.deepEqual(spec.argv, ["/usr/bin/deno", "jupyter", "--kernel", "--conn", "{connection_file}"]);
 * assert.equal(spec.env.NO_COLOR, "1");
 * ```
 */
export function kernelSpec(denoPath: string): KernelSpec {
  if (typeof denoPath !== "string" || !denoPath.startsWith("/")) {
    throw new TypeError(`\`denoPath\` must be an absolute path, got ${JSON.stringify(denoPath)}`);
  }
  return {
    argv: [denoPath, "jupyter", "--kernel", "--conn", "{connection_file}"],
    display_name: "Deno",
    language: "typescript",
    env: { NO_COLOR: "1" },
  };
}

/**
 * Hex sha256 of a text, used to notice when requirements.txt changed.
 *
 * @param text Any text.
 * @returns 64 lowercase hex digits.
 * @example
 * ```ts
 * import { sha256Hex } from "./setup.ts";
 * import assert from "node:assert/strict";
 * assert.equal(
 *   await sha256Hex("abc"),
 *   "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
 * );
 * ```
 */
export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * Environment for every Jupyter process we start: the project's kernelspec directory first on
 * `JUPYTER_PATH` (so it wins over a user-wide `deno` kernel) and no colour codes.
 *
 * @returns Variables to add to the child's environment.
 */
export function jupyterEnv(): Record<string, string> {
  const existing = Deno.env.get("JUPYTER_PATH");
  return {
    JUPYTER_PATH: existing ? `${JUPYTER_DATA}:${existing}` : JUPYTER_DATA,
    NO_COLOR: "1",
    PYTHONUNBUFFERED: "1",
  };
}

/** Result of running a command: exit status and captured text. */
interface RunResult {
  success: boolean;
  stdout: string;
  stderr: string;
}

/** Runs a command and captures its output; `undefined` when the program does not exist. */
async function capture(cmd: string, args: string[]): Promise<RunResult | undefined> {
  try {
    const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
    const decode = (b: Uint8Array) => new TextDecoder().decode(b);
    return { success: out.success, stdout: decode(out.stdout), stderr: decode(out.stderr) };
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/** A Python 3 interpreter found on PATH. */
export interface PythonInfo {
  command: string;
  version: string;
}

/**
 * Finds Python 3 (>= 3.9) on PATH.
 *
 * @returns The command and its version.
 * @throws {SetupError} With what to install when no suitable Python is found.
 */
export async function findPython(): Promise<PythonInfo> {
  for (const command of ["python3", "python"]) {
    const result = await capture(command, [
      "-c",
      "import sys; print('%d.%d.%d' % sys.version_info[:3])",
    ]);
    if (!result?.success) continue;
    const version = result.stdout.trim();
    const [major = 0, minor = 0] = version.split(".").map(Number);
    if (major === 3 && minor >= 9) return { command, version };
  }
  throw new SetupError(
    "Python 3.9 or newer is needed for Jupyter but was not found on PATH: install it " +
      "(Debian/Ubuntu: `apt-get install python3 python3-venv`, macOS: `brew install python`) " +
      "and run the command again",
  );
}

/** Whether a path exists. */
async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** Runs a command with inherited output (pip's progress is worth seeing); throws on failure. */
async function runVisible(cmd: string, args: string[], failure: string): Promise<void> {
  const status = await new Deno.Command(cmd, {
    args,
    stdout: "inherit",
    stderr: "inherit",
    env: { PIP_DISABLE_PIP_VERSION_CHECK: "1" },
  }).spawn().status;
  if (!status.success) throw new SetupError(failure);
}

/** What {@linkcode ensureVenv} did. */
export type VenvAction = "created" | "updated" | "reused";

/**
 * Creates `.venv/` when missing and installs requirements.txt when its hash differs from the
 * stamp; otherwise does nothing (fast path, no Python started).
 *
 * @param log Where progress lines go (stderr by default).
 * @returns What was done.
 * @throws {SetupError} When Python, venv or pip is missing, or pip fails.
 */
export async function ensureVenv(log: (line: string) => void = console.error): Promise<VenvAction> {
  const requirements = await Deno.readTextFile(`${ROOT}/requirements.txt`);
  const wanted = await sha256Hex(requirements);
  const haveVenv = await exists(VENV_PYTHON);
  if (haveVenv && (await exists(STAMP)) && (await Deno.readTextFile(STAMP)).trim() === wanted) {
    return "reused";
  }
  if (!haveVenv) {
    const python = await findPython();
    const probe = await capture(python.command, ["-c", "import venv, ensurepip"]);
    if (!probe?.success) {
      throw new SetupError(
        `Python ${python.version} lacks the venv module (or its ensurepip): install it ` +
          "(Debian/Ubuntu: `apt-get install python3-venv`) and run the command again",
      );
    }
    log(`Creating .venv/ with ${python.command} ${python.version}`);
    await runVisible(
      python.command,
      ["-m", "venv", VENV],
      `\`${python.command} -m venv .venv\` failed (see above): install python3-venv, delete .venv/ and retry`,
    );
  }
  const pip = await capture(VENV_PYTHON, ["-m", "pip", "--version"]);
  if (!pip?.success) {
    throw new SetupError(
      "The virtual environment has no pip: install python3-venv (it brings ensurepip), " +
        "delete .venv/ and run the command again",
    );
  }
  log("Installing requirements.txt into .venv/ (only when requirements.txt changes)");
  await runVisible(
    VENV_PYTHON,
    ["-m", "pip", "install", "--quiet", "-r", `${ROOT}/requirements.txt`],
    "pip could not install requirements.txt (see above): check the network or proxy and retry",
  );
  await Deno.writeTextFile(STAMP, `${wanted}\n`);
  return haveVenv ? "updated" : "created";
}

/**
 * Writes the `deno` kernelspec into the venv unless an identical one is already there.
 *
 * @param denoPath The Deno binary the kernel runs; defaults to the running one.
 * @returns True when kernel.json was (re)written.
 */
export async function ensureKernelspec(denoPath: string = Deno.execPath()): Promise<boolean> {
  const text = `${JSON.stringify(kernelSpec(denoPath), null, 2)}\n`;
  const file = `${KERNEL_DIR}/kernel.json`;
  if ((await exists(file)) && (await Deno.readTextFile(file)) === text) return false;
  await Deno.mkdir(KERNEL_DIR, { recursive: true });
  await Deno.writeTextFile(file, text);
  return true;
}

/**
 * Makes the venv and kernelspec ready (both steps are no-ops when already done).
 *
 * @param log Where progress lines go (stderr by default).
 */
export async function ensureSetup(log: (line: string) => void = console.error): Promise<void> {
  await ensureVenv(log);
  if (await ensureKernelspec()) log(`Registered the Deno kernel (${Deno.execPath()}) in .venv/`);
}

/**
 * Runs {@linkcode ensureSetup}; a {@linkcode SetupError} becomes its one-sentence message on
 * stderr and exit code 1, never a stack trace.
 */
export async function ensureSetupOrExit(): Promise<void> {
  await requirePinnedDeno();
  try {
    await ensureSetup();
  } catch (error) {
    if (error instanceof SetupError) {
      console.error(error.message);
      Deno.exit(1);
    }
    throw error;
  }
}

if (import.meta.main) {
  await ensureSetupOrExit();
  console.error(`Ready: .venv/ and the Deno kernel at ${KERNEL_DIR}`);
}
