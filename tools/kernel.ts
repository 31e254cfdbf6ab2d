/**
 * Which Deno runs the notebooks' cells, chosen by measurement (issue 11).
 *
 * Deno 2.9.x's Jupyter kernel can publish a cell's result or `console.log` output after reporting
 * the cell idle, and clients that stop listening at idle lose it (through nbclient, 19–42 of 100
 * outputs of the learner cell under Deno 2.9.6; none under 2.7.14). So before the learner's own
 * Deno becomes the kernel, `deno task setup` runs the learner-cell test (tools/learner_cell.py:
 * 20 runs of a cell with three `console.log`s, a display and a bare last expression) on it:
 *
 * - it passes: the kernel runs the learner's Deno;
 * - it loses an output: the kernel runs the Deno pinned in `.deno-version`, installed from the npm
 *   package `deno` into `.venv/deno/<version>/` (with npm, or with Deno's own npm support when
 *   there is no npm). The learner's Deno is never changed.
 *
 * The pinned version itself is not re-measured here: CI runs the learner-cell test on it through
 * nbclient and JupyterLab on every run. Verdicts are kept per Deno version in
 * `.venv/kernel-verdicts.json`, so each version is measured once.
 *
 * @module
 */

import { pinnedVersion } from "./check_version.ts";
import type { ProjectPaths } from "./setup.ts";

/** Runs of the learner cell in the set-up measurement. */
export const PROBE_RUNS = 20;

/** The outcome of the learner-cell test on one Deno version. */
export interface Verdict {
  /** Outputs lost (0 passes). */
  lost: number;
  /** Outputs expected (5 per run). */
  expected: number;
  /** Why the test could not run, when it could not. */
  error?: string;
  /** When it was measured (ISO 8601). */
  measured: string;
}

/** Whether a verdict lets that Deno be the kernel. */
export function passes(verdict: Verdict): boolean {
  return verdict.error === undefined && verdict.lost === 0 && verdict.expected > 0;
}

/** The Deno chosen for the kernel and why. */
export interface KernelChoice {
  /** Absolute path of the Deno binary. */
  deno: string;
  /** Its version. */
  version: string;
  /** One sentence: why this one. */
  reason: string;
}

/** The running Deno: the candidate for the kernel. */
export interface RunningDeno {
  path: string;
  version: string;
}

/**
 * The name of the npm package holding the Deno binary for this machine (what the `deno` package
 * installs as its optional dependency).
 *
 * @param os `Deno.build.os`.
 * @param arch `Deno.build.arch`.
 * @returns E.g. `@deno/linux-x64-glibc`.
 * @throws {RangeError} When Deno publishes no binary for the platform.
 * @example
 * ```ts
 * import { denoBinaryPackage } from "./kernel.ts";
 * import assert from "node:assert/strict";
 * assert.equal(denoBinaryPackage("linux", "x86_64"), "@deno/linux-x64-glibc");
 * assert.equal(denoBinaryPackage("darwin", "aarch64"), "@deno/darwin-arm64");
 * ```
 */
export function denoBinaryPackage(os: string, arch: string): string {
  const cpu = arch === "x86_64" ? "x64" : arch === "aarch64" ? "arm64" : undefined;
  if (cpu === undefined) throw new RangeError(`\`arch\` must be x86_64 or aarch64, got ${arch}`);
  if (os === "linux") return `@deno/linux-${cpu}-glibc`;
  if (os === "darwin") return `@deno/darwin-${cpu}`;
  if (os === "windows") return `@deno/win32-${cpu}`;
  throw new RangeError(`\`os\` must be linux, darwin or windows, got ${os}`);
}

/** Where the pinned Deno is installed for the kernel. */
export function localDenoDir(paths: ProjectPaths, version: string): string {
  return `${paths.venv}/deno/${version}`;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch {
    return false;
  }
}

const decode = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/**
 * The version a Deno binary reports.
 *
 * @param path The binary.
 * @returns E.g. `"2.7.14"`, or `undefined` when it does not run.
 */
export async function denoVersionOf(path: string): Promise<string | undefined> {
  try {
    const out = await new Deno.Command(path, {
      args: ["--version"],
      stdout: "piped",
      stderr: "null",
    }).output();
    return out.success ? /^deno (\S+)/.exec(decode(out.stdout))?.[1] : undefined;
  } catch {
    return undefined;
  }
}

/** The Deno binary inside an install directory (npm layout first, then Deno's own). */
async function binaryIn(dir: string): Promise<string | undefined> {
  const exe = Deno.build.os === "windows" ? "deno.exe" : "deno";
  const candidates = [`${dir}/node_modules/deno/${exe}`];
  try {
    candidates.push(
      `${dir}/node_modules/${denoBinaryPackage(Deno.build.os, Deno.build.arch)}/${exe}`,
    );
  } catch {
    // no binary package for this platform: only the npm layout can hold one
  }
  for (const candidate of candidates) if (await isFile(candidate)) return candidate;
  return undefined;
}

/**
 * The pinned Deno in `.venv/deno/<version>/` when it is installed and reports that version.
 *
 * @param paths The project.
 * @param version The version wanted.
 * @returns The binary's path, or `undefined`.
 */
export async function findLocalDeno(
  paths: ProjectPaths,
  version: string,
): Promise<string | undefined> {
  const binary = await binaryIn(localDenoDir(paths, version));
  return binary !== undefined && (await denoVersionOf(binary)) === version ? binary : undefined;
}

/** Whether a program can be started (`<cmd> --version` succeeds). */
async function runs(cmd: string): Promise<boolean> {
  try {
    return (await new Deno.Command(cmd, { args: ["--version"], stdout: "null", stderr: "null" })
      .output()).success;
  } catch {
    return false;
  }
}

/**
 * Installs Deno `version` into `.venv/deno/<version>/` from npm: with `npm install --prefix`
 * (the package `deno`) when npm is on PATH, otherwise with the running Deno's own npm support
 * (the package `deno` installs its binary from, e.g. `@deno/linux-x64-glibc`).
 *
 * @param paths The project.
 * @param version The version to install.
 * @param log Progress lines.
 * @returns The installed binary.
 * @throws {Error} With the installer's last error line when it fails.
 */
export async function installLocalDeno(
  paths: ProjectPaths,
  version: string,
  log: (line: string) => void,
): Promise<string> {
  const dir = localDenoDir(paths, version);
  await Deno.mkdir(dir, { recursive: true });
  const useNpm = Deno.env.get("COURSE_NO_NPM") !== "1" && await runs("npm");
  log(
    `Installing Deno ${version} for the notebooks' kernel into ${
      dir.slice(paths.root.length + 1)
    }/ ` + `(npm package \`deno\`${useNpm ? "" : ", through Deno's npm support"}; about 45 MB)`,
  );
  let out: Deno.CommandOutput;
  if (useNpm) {
    out = await new Deno.Command("npm", {
      args: [
        "install",
        "--prefix",
        dir,
        "--no-audit",
        "--no-fund",
        "--loglevel=error",
        `deno@${version}`,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
  } else {
    const pkg = denoBinaryPackage(Deno.build.os, Deno.build.arch);
    await Deno.writeTextFile(
      `${dir}/package.json`,
      JSON.stringify({ private: true, dependencies: { [pkg]: version } }),
    );
    // Its own deno.json, so Deno does not take the project's config (found further up) instead.
    await Deno.writeTextFile(`${dir}/deno.json`, JSON.stringify({ nodeModulesDir: "auto" }));
    out = await new Deno.Command(Deno.execPath(), {
      args: ["install", "--quiet"],
      cwd: dir,
      env: { NO_COLOR: "1", RUST_BACKTRACE: "0" },
      stdout: "piped",
      stderr: "piped",
    }).output();
  }
  const binary = await findLocalDeno(paths, version);
  if (!out.success || binary === undefined) {
    const lines = (decode(out.stderr) + decode(out.stdout)).split("\n").map((l) => l.trim())
      .filter((l) => l && !/^npm (warn|notice)/i.test(l));
    const reason = lines.find((l) => /error/i.test(l)) ?? lines.at(-1) ?? "no output";
    throw new Error(`installing Deno ${version} into ${dir} failed: ${reason}`);
  }
  return binary;
}

/**
 * Runs the learner-cell test on a Deno binary, wrapped as the project registers it.
 *
 * @param paths The project (its venv runs tools/learner_cell.py).
 * @param deno The Deno binary.
 * @param env Environment for Jupyter (tools/setup.ts `jupyterEnv`).
 * @param runs How many runs.
 * @returns The verdict.
 */
export async function measureDeno(
  paths: ProjectPaths,
  deno: string,
  env: Record<string, string>,
  runs: number = PROBE_RUNS,
): Promise<Verdict> {
  const measured = new Date().toISOString();
  const out = await new Deno.Command(paths.python, {
    args: [`${paths.root}/tools/learner_cell.py`, "--deno", deno, "--runs", String(runs)],
    env,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const last = decode(out.stdout).trim().split("\n").at(-1) ?? "";
  try {
    const result = JSON.parse(last) as { lost?: number; expected?: number; error?: string };
    if (result.error !== undefined) return { lost: 0, expected: 0, error: result.error, measured };
    return { lost: result.lost ?? 0, expected: result.expected ?? 0, measured };
  } catch {
    const error = decode(out.stderr).trim().split("\n").at(-1) || `exit code ${out.code}`;
    return { lost: 0, expected: 0, error, measured };
  }
}

/** The verdicts measured so far, by Deno version. */
export async function readVerdicts(paths: ProjectPaths): Promise<Record<string, Verdict>> {
  try {
    const data = JSON.parse(await Deno.readTextFile(`${paths.venv}/kernel-verdicts.json`));
    return data !== null && typeof data === "object" ? data : {};
  } catch {
    return {};
  }
}

async function writeVerdict(paths: ProjectPaths, version: string, verdict: Verdict) {
  const all = await readVerdicts(paths);
  all[version] = verdict;
  await Deno.writeTextFile(
    `${paths.venv}/kernel-verdicts.json`,
    `${JSON.stringify(all, null, 2)}\n`,
  );
}

/**
 * One sentence for a failed verdict.
 *
 * @param version The Deno version measured.
 * @param verdict Its verdict.
 * @returns E.g. "Deno 2.9.6 lost 19 of 100 outputs of the learner-cell test".
 * @example
 * ```ts
 * import { describeVerdict } from "./kernel.ts";
 * import assert from "node:assert/strict";
 * assert.equal(
 *   describeVerdict("2.9.6", { lost: 19, expected: 100, measured: "" }),
 *   "Deno 2.9.6 lost 19 of 100 outputs of the learner-cell test",
 * );
 * ```
 */
export function describeVerdict(version: string, verdict: Verdict): string {
  if (verdict.error !== undefined) {
    return `Deno ${version} could not run the learner-cell test (${verdict.error})`;
  }
  return `Deno ${version} lost ${verdict.lost} of ${verdict.expected} outputs of the learner-cell test`;
}

/**
 * Chooses the kernel's Deno (see the module doc): the running Deno when it is the pinned version
 * or passes the learner-cell test, otherwise the pinned version installed in `.venv/deno/`.
 *
 * @param paths The project; its venv must be ready (the test runs through nbclient).
 * @param env Environment for Jupyter.
 * @param log Progress lines.
 * @param running The candidate (defaults to the running Deno).
 * @returns The choice.
 * @throws {Error} When the pinned Deno is needed and cannot be installed.
 */
export async function chooseKernelDeno(
  paths: ProjectPaths,
  env: Record<string, string>,
  log: (line: string) => void,
  running: RunningDeno = { path: Deno.execPath(), version: Deno.version.deno },
): Promise<KernelChoice> {
  const pinned = await pinnedVersion(paths.root);
  if (running.version === pinned) {
    return {
      deno: running.path,
      version: running.version,
      reason: `Deno ${pinned} is the version pinned in .deno-version (CI measures it)`,
    };
  }
  let verdict = (await readVerdicts(paths))[running.version];
  if (verdict === undefined) {
    log(
      `Checking Deno ${running.version}'s Jupyter kernel: ${PROBE_RUNS} runs of a cell with ` +
        "three console.logs, a display and a bare last expression, every output must arrive",
    );
    verdict = await measureDeno(paths, running.path, env);
    await writeVerdict(paths, running.version, verdict);
  }
  if (passes(verdict)) {
    return {
      deno: running.path,
      version: running.version,
      reason: `Deno ${running.version} passed the learner-cell test (0 of ${verdict.expected} ` +
        "outputs lost)",
    };
  }
  const why = describeVerdict(running.version, verdict);
  const deno = await findLocalDeno(paths, pinned) ?? await (async () => {
    log(`${why}: the notebooks will run on Deno ${pinned}; your own Deno stays as it is`);
    return await installLocalDeno(paths, pinned, log);
  })();
  return {
    deno,
    version: pinned,
    reason: `${why}, so the kernel runs the pinned Deno ${pinned} from .venv/deno/`,
  };
}
