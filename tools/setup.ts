/**
 * The Python side of the project and the Jupyter kernel, made ready in one call. Shared by
 * `deno task setup`, `lab`, `nb`, `html`, `docs`, `doctor` (read only) and the tests.
 *
 * - **`.venv/`** is created with the first of `python3` / `python` on `PATH` and filled with
 *   `pip install -r requirements.txt` (pip's own progress shown). A stamp file
 *   (`.venv/requirements.sha256`) records the hash of the installed requirements; the venv's
 *   executables (`python`, `jupyter`, `jupyter-lab`) are checked on every run too, and whatever is
 *   missing is reinstalled. Benchmark-only packages are in `requirements-dev.txt`, installed by
 *   `deno task bench` (`setup.ts --dev`) only.
 * - **The kernel**: tools/kernel.ts chooses the Deno that runs the cells (the learner's own when
 *   it passes the learner-cell test, else the pinned one installed in `.venv/deno/`), and the
 *   kernelspec `.venv/share/jupyter/kernels/deno/kernel.json` starts it through
 *   tools/deno_kernel.py (which makes Run All stop at a failing cell). The kernelspec lives in the
 *   venv's own data directory, which {@linkcode jupyterEnv} puts first on `JUPYTER_PATH`, so a
 *   user-wide `deno` kernel from `deno jupyter --install` cannot shadow it.
 * - **JupyterLab's settings**: `.jupyter/lab/settings/overrides.json` (the project's defaults, e.g.
 *   no news pop-up) is copied into the venv's JupyterLab.
 * - **Git** (`deno task setup` and `lab` only): a clean filter strips notebook outputs on commit
 *   (`.gitattributes`, tools/strip_outputs.ts).
 *
 * Concurrent runs take turns through a lock (`.venv/.setup.lock`). Every failure a user can fix
 * is a {@linkcode SetupError}: one sentence saying what to do, never a stack trace.
 *
 * Run: `deno task setup [--dev]`.
 *
 * @module
 */

import { requireTaskDeno } from "./check_version.ts";
import { chooseKernelDeno, type KernelChoice } from "./kernel.ts";

/** Project root (the directory holding deno.json). */
export const ROOT: string = decodeURIComponent(new URL("..", import.meta.url).pathname).replace(
  /\/$/,
  "",
);

/** Every path set-up reads or writes, for one project root. */
export interface ProjectPaths {
  root: string;
  /** The virtual environment, `.venv/`. */
  venv: string;
  /** The venv's Python. */
  python: string;
  /** `requirements.txt`: what JupyterLab and the runner need. */
  requirements: string;
  /** `requirements-dev.txt`: benchmark-only packages. */
  devRequirements: string;
  /** sha256 of the requirements last installed. */
  stamp: string;
  /** sha256 of the dev requirements last installed. */
  devStamp: string;
  /** The venv's Jupyter data directory (kernelspecs, JupyterLab). */
  jupyterData: string;
  /** The `deno` kernelspec directory. */
  kernelDir: string;
  /** The lock that makes concurrent set-ups take turns. */
  lock: string;
  /** The project's JupyterLab settings (committed). */
  labSettings: string;
  /** Where JupyterLab reads them: the venv's `share/jupyter/lab/settings/overrides.json`. */
  labOverrides: string;
  /** The venv's executables the tasks run, each with the package that installs it. */
  executables: Readonly<Record<string, string>>;
}

/**
 * The venv's executables the tasks run, with the package that installs each (reinstalled when
 * the executable is missing).
 */
export const EXECUTABLES: Readonly<Record<string, string>> = Object.freeze({
  jupyter: "jupyter_core",
  "jupyter-lab": "jupyterlab",
});

/**
 * The paths of a project.
 *
 * @param root The project root.
 * @param executables The venv's executables to check (tests use a smaller venv).
 * @returns Every path set-up uses.
 * @example
 * ```ts
 * import { projectPaths } from "./setup.ts";
 * import assert from "node:assert/strict";
 * assert.equal(projectPaths("/p").kernelDir, "/p/.venv/share/jupyter/kernels/deno");
 * ```
 */
export function projectPaths(
  root: string,
  executables: Readonly<Record<string, string>> = EXECUTABLES,
): ProjectPaths {
  const venv = `${root}/.venv`;
  const jupyterData = `${venv}/share/jupyter`;
  return {
    root,
    venv,
    python: `${venv}/bin/python`,
    requirements: `${root}/requirements.txt`,
    devRequirements: `${root}/requirements-dev.txt`,
    stamp: `${venv}/requirements.sha256`,
    devStamp: `${venv}/requirements-dev.sha256`,
    jupyterData,
    kernelDir: `${jupyterData}/kernels/deno`,
    lock: `${venv}/.setup.lock`,
    labSettings: `${root}/.jupyter/lab/settings/overrides.json`,
    labOverrides: `${jupyterData}/lab/settings/overrides.json`,
    executables,
  };
}

/** This checkout's paths. */
export const PATHS: ProjectPaths = projectPaths(ROOT);
/** The project's virtual environment. */
export const VENV: string = PATHS.venv;
/** The venv's Python interpreter. */
export const VENV_PYTHON: string = PATHS.python;
/** Where the kernelspec lives: the venv's own Jupyter data directory. */
export const JUPYTER_DATA: string = PATHS.jupyterData;
/** The kernelspec directory for the `deno` kernel. */
export const KERNEL_DIR: string = PATHS.kernelDir;
/** Stamp holding the sha256 of the requirements last installed. */
export const STAMP: string = PATHS.stamp;

/** A Jupyter kernelspec (`kernel.json`). */
export interface KernelSpec {
  argv: string[];
  display_name: string;
  language: string;
  env: Record<string, string>;
  metadata: { course: { deno: string; deno_version: string; chosen_for: string; reason: string } };
}

/** An error whose message tells the user what to install or run; shown without a stack trace. */
export class SetupError extends Error {
  override name = "SetupError";
}

/** Where progress lines go. */
export type Log = (line: string) => void;

/**
 * Builds the kernelspec: tools/deno_kernel.py (run by the venv's Python) starting
 * `deno jupyter --kernel` with the chosen Deno. `NO_COLOR=1` keeps ANSI colour codes out of
 * outputs.
 *
 * @param choice The kernel's Deno (tools/kernel.ts).
 * @param paths The project.
 * @param chosenFor The Deno version that ran set-up (a different one makes set-up choose again).
 * @returns The kernel.json content.
 * @throws {TypeError} When the Deno path is not absolute.
 * @example
 * ```ts
 * import { kernelSpec, projectPaths } from "./setup.ts";
 * import assert from "node:assert/strict";
 * const choice = { deno: "/usr/bin/deno", version: "2.7.14", reason: "pinned" };
 * const spec = kernelSpec(choice, projectPaths("/p"), "2.7.14");
 * assert.deepEqual(spec.argv, [
 *   "/p/.venv/bin/python", "/p/tools/deno_kernel.py", "--deno", "/usr/bin/deno", "--conn", "{connection_file}",
 * ]);
 * assert.equal(spec.env.NO_COLOR, "1");
 * ```
 */
export function kernelSpec(
  choice: KernelChoice,
  paths: ProjectPaths,
  chosenFor: string,
): KernelSpec {
  if (typeof choice.deno !== "string" || !choice.deno.startsWith("/")) {
    throw new TypeError(
      `\`choice.deno\` must be an absolute path, got ${JSON.stringify(choice.deno)}`,
    );
  }
  return {
    argv: [
      paths.python,
      `${paths.root}/tools/deno_kernel.py`,
      "--deno",
      choice.deno,
      "--conn",
      "{connection_file}",
    ],
    display_name: "Deno",
    language: "typescript",
    env: { NO_COLOR: "1" },
    metadata: {
      course: {
        deno: choice.deno,
        deno_version: choice.version,
        chosen_for: chosenFor,
        reason: choice.reason,
      },
    },
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
 * @param paths The project.
 * @returns Variables to add to the child's environment.
 */
export function jupyterEnv(paths: ProjectPaths = PATHS): Record<string, string> {
  const existing = Deno.env.get("JUPYTER_PATH");
  return {
    JUPYTER_PATH: existing ? `${paths.jupyterData}:${existing}` : paths.jupyterData,
    NO_COLOR: "1",
    PYTHONUNBUFFERED: "1",
    PIP_DISABLE_PIP_VERSION_CHECK: "1",
  };
}

/** Result of running a command: exit status and captured text. */
interface RunResult {
  success: boolean;
  stdout: string;
  stderr: string;
}

const decode = (b: Uint8Array) => new TextDecoder().decode(b);

/** Runs a command and captures its output; `undefined` when the program cannot be started. */
async function capture(cmd: string, args: string[]): Promise<RunResult | undefined> {
  try {
    const out = await new Deno.Command(cmd, { args, stdout: "piped", stderr: "piped" }).output();
    return { success: out.success, stdout: decode(out.stdout), stderr: decode(out.stderr) };
  } catch (error) {
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.PermissionDenied) {
      return undefined;
    }
    throw error;
  }
}

/** A Python 3 interpreter. */
export interface PythonInfo {
  command: string;
  version: string;
}

const VERSION_SCRIPT = "import sys; print('%d.%d.%d' % sys.version_info[:3])";

/**
 * The version of a Python interpreter, when it runs.
 *
 * @param command A command on PATH or a path.
 * @returns E.g. `"3.11.7"`, or `undefined`.
 */
export async function pythonVersion(command: string): Promise<string | undefined> {
  const result = await capture(command, ["-c", VERSION_SCRIPT]);
  return result?.success ? result.stdout.trim() : undefined;
}

/**
 * Finds Python 3 (>= 3.9) on PATH.
 *
 * @returns The command and its version.
 * @throws {SetupError} With what to install when no suitable Python is found.
 */
export async function findPython(): Promise<PythonInfo> {
  for (const command of ["python3", "python"]) {
    const version = await pythonVersion(command);
    if (version === undefined) continue;
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
  } catch {
    return false;
  }
}

/**
 * The one-sentence reason pip failed, from its error output: its own `ERROR:` lines (an
 * impossible pin, a missing package), with a hint about the network only when the output says the
 * network failed.
 *
 * @param output pip's stderr (and stdout).
 * @param file The requirements file, for the message.
 * @returns The message.
 * @example
 * ```ts
 * import { pipFailure } from "./setup.ts";
 * import assert from "node:assert/strict";
 * assert.equal(
 *   pipFailure("ERROR: Could not find a version that satisfies the requirement jupyterlab==99 (from versions: 4.6.6)\nERROR: No matching distribution found for jupyterlab==99\n", "requirements.txt"),
 *   "pip could not install requirements.txt: No matching distribution found for jupyterlab==99",
 * );
 * ```
 */
export function pipFailure(output: string, file: string): string {
  const errors = output.split("\n").map((l) => l.trim()).filter((l) => l.startsWith("ERROR:"))
    .map((l) => l.slice("ERROR:".length).trim());
  const network =
    /NewConnectionError|ConnectTimeout|ReadTimeout|ProxyError|SSLError|Temporary failure in name resolution|Network is unreachable|Could not fetch URL/i
      .test(output);
  // pip's last ERROR line is its conclusion ("No matching distribution found for x==99").
  const reason = errors.at(-1) ??
    output.split("\n").map((l) => l.trim()).filter(Boolean).at(-1) ?? "no output";
  const hint = network
    ? " (pip could not reach the package index: check the network or proxy, and retry)"
    : "";
  return `pip could not install ${file}: ${reason}${hint}`;
}

/**
 * Runs pip with its output shown as it comes (the progress a first start needs), keeping a copy
 * to explain a failure.
 *
 * @throws {SetupError} With {@linkcode pipFailure}'s sentence when pip fails.
 */
async function runPip(paths: ProjectPaths, args: string[], file: string): Promise<void> {
  const child = new Deno.Command(paths.python, {
    args: ["-m", "pip", ...args],
    env: { PIP_DISABLE_PIP_VERSION_CHECK: "1", PYTHONUNBUFFERED: "1" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let text = "";
  let quietSince = Date.now();
  const started = Date.now();
  const pump = async (stream: ReadableStream<Uint8Array>) => {
    for await (const chunk of stream) {
      text += decode(chunk);
      quietSince = Date.now();
      await Deno.stderr.write(chunk);
    }
  };
  // pip prints nothing while it unpacks and compiles ("Installing collected packages"), for up to a
  // minute on a first start: say that it is still working.
  const heartbeat = setInterval(() => {
    if (Date.now() - quietSince < 15_000) return;
    console.error(
      `  … pip is still working (${Math.round((Date.now() - started) / 1000)} s so far)`,
    );
    quietSince = Date.now();
  }, 1_000);
  try {
    await Promise.all([pump(child.stdout), pump(child.stderr)]);
    if (!(await child.status).success) throw new SetupError(pipFailure(text, file));
  } finally {
    clearInterval(heartbeat);
  }
}

/** What {@linkcode ensureVenv} did. */
export type VenvAction = "created" | "updated" | "repaired" | "reused";

/** What is wrong with the venv, if anything. */
export interface VenvState {
  /** The venv's Python exists. */
  python: boolean;
  /** Executables of `paths.executables` that are missing. */
  missing: string[];
  /** The requirements hash last installed (`""` when none). */
  stamp: string;
}

/**
 * Looks at the venv without starting anything (a few `stat`s): fast enough for every task run.
 *
 * @param paths The project.
 * @returns The venv's state.
 */
export async function venvState(paths: ProjectPaths): Promise<VenvState> {
  const missing: string[] = [];
  for (const name of Object.keys(paths.executables)) {
    if (!(await exists(`${paths.venv}/bin/${name}`))) missing.push(name);
  }
  const stamp = await Deno.readTextFile(paths.stamp).then((s) => s.trim(), () => "");
  return { python: await exists(paths.python), missing, stamp };
}

/**
 * Reads a requirements file.
 *
 * @param file Its path.
 * @returns Its text, or the reason it cannot be read.
 */
export async function readRequirements(
  file: string,
): Promise<{ text: string } | { problem: string }> {
  try {
    return { text: await Deno.readTextFile(file) };
  } catch (error) {
    const name = file.split("/").at(-1);
    if (error instanceof Deno.errors.NotFound) return { problem: `${name} is missing` };
    return { problem: `${name} cannot be read (${(error as Error).message.split(":")[0]})` };
  }
}

/**
 * Makes `.venv/` match requirements.txt: creates it when missing, installs the requirements when
 * their hash differs from the stamp, reinstalls missing executables, and otherwise does nothing
 * (no Python started). Take the lock first ({@linkcode withSetupLock}).
 *
 * A missing or unreadable requirements.txt is fatal only when the venv is not complete; otherwise
 * the venv is used as it is, with a one-line warning.
 *
 * @param paths The project.
 * @param log Progress lines.
 * @returns What was done.
 * @throws {SetupError} When Python, venv or pip is missing, requirements.txt cannot be read, or pip
 * fails.
 */
export async function ensureVenv(paths: ProjectPaths, log: Log): Promise<VenvAction> {
  const requirements = await readRequirements(paths.requirements);
  let state = await venvState(paths);
  const complete = state.python && state.missing.length === 0;
  if ("problem" in requirements) {
    if (complete && state.stamp !== "") {
      log(
        `Warning: ${requirements.problem}, so .venv/ is used as installed; ` +
          "restore it with `git checkout -- requirements.txt`",
      );
      return "reused";
    }
    throw new SetupError(
      `${requirements.problem}, so .venv/ cannot be set up: restore it with ` +
        "`git checkout -- requirements.txt` and run the command again",
    );
  }
  const wanted = await sha256Hex(requirements.text);
  if (complete && state.stamp === wanted) return "reused";

  let action: VenvAction = state.stamp === "" ? "created" : "updated";
  const runnable = state.python && (await pythonVersion(paths.python)) !== undefined;
  if (!runnable) {
    const python = await findPython();
    const probe = await capture(python.command, ["-c", "import venv, ensurepip"]);
    if (!probe?.success) {
      throw new SetupError(
        `Python ${python.version} lacks the venv module (or its ensurepip): install it ` +
          "(Debian/Ubuntu: `apt-get install python3-venv`) and run the command again",
      );
    }
    log(`Creating .venv/ with ${python.command} ${python.version}`);
    const made = await capture(python.command, ["-m", "venv", paths.venv]);
    if (!made?.success) {
      const reason = made?.stderr.trim().split("\n").at(-1) ?? "it did not start";
      throw new SetupError(
        `\`${python.command} -m venv .venv\` failed (${reason}): install python3-venv, ` +
          "delete .venv/ and run the command again",
      );
    }
  }
  if (!(await capture(paths.python, ["-m", "pip", "--version"]))?.success) {
    throw new SetupError(
      "The virtual environment has no pip: install python3-venv (it brings ensurepip), " +
        "delete .venv/ and run the command again",
    );
  }
  if (state.stamp !== wanted || !runnable) {
    log(
      "Installing JupyterLab, nbclient and plotly into .venv/ from requirements.txt " +
        "(about 300 MB; a first start takes a minute or two, later starts skip this)",
    );
    await runPip(
      paths,
      ["install", "-r", paths.requirements],
      "requirements.txt",
    );
  }
  state = await venvState(paths);
  for (const name of state.missing) {
    const owner = paths.executables[name]!;
    log(`.venv/bin/${name} is missing: reinstalling ${owner}`);
    const version = (await capture(paths.python, [
      "-c",
      `import importlib.metadata as m; print(m.version(${JSON.stringify(owner)}))`,
    ]))?.stdout.trim();
    const spec = version ? `${owner}==${version}` : owner;
    await runPip(paths, ["install", "--force-reinstall", "--no-deps", spec], spec);
    action = action === "created" ? action : "repaired";
  }
  state = await venvState(paths);
  if (state.missing.length > 0) {
    throw new SetupError(
      `.venv/bin/${state.missing[0]} is still missing after reinstalling ` +
        `${paths.executables[state.missing[0]!]}: delete .venv/ and run the command again`,
    );
  }
  await Deno.writeTextFile(paths.stamp, `${wanted}\n`);
  return action;
}

/**
 * {@linkcode ensureVenv} behind the set-up lock, skipping the lock when the venv is current.
 *
 * @param paths The project.
 * @param log Progress lines.
 * @returns What was done.
 * @throws {SetupError} As {@linkcode ensureVenv}.
 */
export async function ensureVenvLocked(paths: ProjectPaths, log: Log): Promise<VenvAction> {
  if (await venvCurrent(paths)) return await ensureVenv(paths, log); // no lock: nothing to write
  return await withSetupLock(paths, log, () => ensureVenv(paths, log));
}

/**
 * Installs requirements-dev.txt (the benchmark's numpy) into the venv when its hash changed.
 *
 * @param paths The project (its venv must exist).
 * @param log Progress lines.
 * @returns True when pip ran.
 * @throws {SetupError} When the file cannot be read or pip fails.
 */
export async function ensureDevRequirements(paths: ProjectPaths, log: Log): Promise<boolean> {
  const requirements = await readRequirements(paths.devRequirements);
  if ("problem" in requirements) {
    throw new SetupError(
      `${requirements.problem}: restore it with \`git checkout -- requirements-dev.txt\``,
    );
  }
  const wanted = await sha256Hex(requirements.text);
  if ((await Deno.readTextFile(paths.devStamp).then((s) => s.trim(), () => "")) === wanted) {
    return false;
  }
  log("Installing requirements-dev.txt into .venv/ (the benchmark's numpy)");
  await runPip(
    paths,
    ["install", "-r", paths.devRequirements],
    "requirements-dev.txt",
  );
  await Deno.writeTextFile(paths.devStamp, `${wanted}\n`);
  return true;
}

/**
 * Reads the registered kernelspec.
 *
 * @param paths The project.
 * @returns The spec, `undefined` when there is none, or the reason it is unusable.
 */
export async function readKernelSpec(
  paths: ProjectPaths,
): Promise<KernelSpec | undefined | { problem: string }> {
  let text: string;
  try {
    text = await Deno.readTextFile(`${paths.kernelDir}/kernel.json`);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    return { problem: `kernel.json cannot be read (${(error as Error).message})` };
  }
  try {
    const spec = JSON.parse(text);
    if (!Array.isArray(spec?.argv) || typeof spec.metadata?.course?.deno !== "string") {
      return { problem: "kernel.json is not the project's kernelspec" };
    }
    return spec as KernelSpec;
  } catch (error) {
    return { problem: `kernel.json is not valid JSON (${(error as Error).message})` };
  }
}

/**
 * Whether the registered kernelspec is current: written by this project for this Deno version,
 * its files present. Cheap (no process started).
 *
 * @param paths The project.
 * @returns True when nothing needs doing.
 */
export async function kernelSpecCurrent(paths: ProjectPaths): Promise<boolean> {
  const spec = await readKernelSpec(paths);
  if (spec === undefined || "problem" in spec) return false;
  return spec.metadata.course.chosen_for === Deno.version.deno &&
    spec.argv[0] === paths.python &&
    spec.argv[1] === `${paths.root}/tools/deno_kernel.py` &&
    await exists(spec.metadata.course.deno);
}

/**
 * Chooses the kernel's Deno (tools/kernel.ts) and writes the kernelspec, unless the current one
 * is still right.
 *
 * @param paths The project; the venv must be ready.
 * @param log Progress lines.
 * @returns The kernelspec in place.
 * @throws {SetupError} When the pinned Deno is needed and cannot be installed.
 */
export async function ensureKernelSpec(paths: ProjectPaths, log: Log): Promise<KernelSpec> {
  const current = await readKernelSpec(paths);
  if (current !== undefined && !("problem" in current) && await kernelSpecCurrent(paths)) {
    return current;
  }
  let choice: KernelChoice;
  try {
    choice = await chooseKernelDeno(paths, jupyterEnv(paths), log);
  } catch (error) {
    throw new SetupError(`${(error as Error).message}: check the network or proxy and retry`);
  }
  const spec = kernelSpec(choice, paths, Deno.version.deno);
  await Deno.mkdir(paths.kernelDir, { recursive: true });
  await Deno.writeTextFile(`${paths.kernelDir}/kernel.json`, `${JSON.stringify(spec, null, 2)}\n`);
  log(`Registered the Deno kernel: Deno ${choice.version} (${choice.deno}); ${choice.reason}`);
  return spec;
}

/**
 * Copies the project's JupyterLab settings into the venv's JupyterLab (`overrides.json`) when they
 * differ.
 *
 * @param paths The project.
 * @returns True when the file was written.
 */
export async function ensureLabSettings(paths: ProjectPaths): Promise<boolean> {
  const wanted = await Deno.readTextFile(paths.labSettings).catch(() => undefined);
  if (wanted === undefined) return false;
  if ((await Deno.readTextFile(paths.labOverrides).catch(() => undefined)) === wanted) return false;
  await Deno.mkdir(paths.labOverrides.slice(0, paths.labOverrides.lastIndexOf("/")), {
    recursive: true,
  });
  await Deno.writeTextFile(paths.labOverrides, wanted);
  return true;
}

/**
 * Runs `fn` holding the set-up lock (`.venv/.setup.lock`), so concurrent set-ups take turns; says
 * so when it has to wait.
 *
 * @param paths The project.
 * @param log Progress lines.
 * @param fn The work.
 * @returns What `fn` returns.
 */
export async function withSetupLock<T>(
  paths: ProjectPaths,
  log: Log,
  fn: () => Promise<T>,
): Promise<T> {
  await Deno.mkdir(paths.venv, { recursive: true });
  const file = await Deno.open(paths.lock, { create: true, write: true });
  try {
    const waiting = setTimeout(
      () => log("Waiting for another `deno task` that is setting up .venv/ to finish"),
      300,
    );
    try {
      await file.lock(true);
    } finally {
      clearTimeout(waiting);
    }
    return await fn();
  } finally {
    file.close(); // releases the lock
  }
}

/**
 * Whether the venv is complete and matches requirements.txt (or requirements.txt is unreadable and
 * the venv complete): a few `stat`s and two small reads.
 *
 * @param paths The project.
 * @returns True when {@linkcode ensureVenv} has nothing to install.
 */
export async function venvCurrent(paths: ProjectPaths): Promise<boolean> {
  const state = await venvState(paths);
  if (!state.python || state.missing.length > 0) return false;
  const requirements = await readRequirements(paths.requirements);
  return "problem" in requirements
    ? state.stamp !== ""
    : state.stamp === await sha256Hex(requirements.text);
}

/**
 * Whether everything is already in place (a few `stat`s and two small reads, no process started).
 *
 * @param paths The project.
 * @returns True when {@linkcode ensureSetup} has nothing to do.
 */
export async function setupCurrent(paths: ProjectPaths): Promise<boolean> {
  if (!(await venvCurrent(paths)) || !(await kernelSpecCurrent(paths))) return false;
  const wanted = await Deno.readTextFile(paths.labSettings).catch(() => undefined);
  return wanted === undefined ||
    wanted === await Deno.readTextFile(paths.labOverrides).catch(() => undefined);
}

/**
 * Makes the venv, the kernel and JupyterLab's settings ready (each a no-op when already done).
 *
 * @param log Where progress lines go (stderr by default).
 * @param paths The project (this checkout by default).
 * @throws {SetupError} When something the user must fix is wrong.
 */
export async function ensureSetup(
  log: Log = console.error,
  paths: ProjectPaths = PATHS,
): Promise<void> {
  if (await setupCurrent(paths)) {
    const requirements = await readRequirements(paths.requirements);
    if ("problem" in requirements) await ensureVenv(paths, log); // prints the warning
    return;
  }
  await withSetupLock(paths, log, async () => {
    await ensureVenv(paths, log);
    await ensureKernelSpec(paths, log);
    await ensureLabSettings(paths);
  });
}

/**
 * Runs {@linkcode ensureSetup}; a {@linkcode SetupError} becomes its one-sentence message on
 * stderr and exit code 1, never a stack trace.
 */
export async function ensureSetupOrExit(): Promise<void> {
  requireTaskDeno();
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

/** The name of the git clean filter that strips notebook outputs (see `.gitattributes`). */
export const GIT_FILTER = "notebook-outputs";

/**
 * Configures the clean filter named in `.gitattributes` in this clone's `.git/config`, so saved
 * outputs never reach a commit (tools/strip_outputs.ts). Does nothing outside a git clone or
 * without git.
 *
 * @param paths The project.
 * @param log Progress lines.
 * @returns True when the filter was (re)configured.
 */
export async function ensureGitFilter(paths: ProjectPaths, log: Log): Promise<boolean> {
  if (!(await exists(`${paths.root}/.git`))) return false;
  const command = "deno run --quiet --no-config --no-lock tools/strip_outputs.ts";
  const key = `filter.${GIT_FILTER}.clean`;
  const current = await capture("git", ["-C", paths.root, "config", "--get", key]);
  if (current === undefined || current.stdout.trim() === command) return false;
  const set = await capture("git", ["-C", paths.root, "config", key, command]);
  if (!set?.success) return false;
  log(`Git now strips notebook outputs on commit (${key} in .git/config; see .gitattributes)`);
  return true;
}

if (import.meta.main) {
  await ensureSetupOrExit();
  await ensureGitFilter(PATHS, console.error);
  if (Deno.args.includes("--dev")) {
    try {
      await withSetupLock(PATHS, console.error, () => ensureDevRequirements(PATHS, console.error));
    } catch (error) {
      if (!(error instanceof SetupError)) throw error;
      console.error(error.message);
      Deno.exit(1);
    }
  }
  const spec = await readKernelSpec(PATHS);
  const deno = spec && !("problem" in spec)
    ? `Deno ${spec.metadata.course.deno_version} (${spec.metadata.course.deno})`
    : "?";
  console.error(`Ready: .venv/, and the Deno kernel at ${KERNEL_DIR} running ${deno}`);
}
