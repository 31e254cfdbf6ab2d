/**
 * `deno task doctor`: checks everything the notebooks need and prints one line per check, with
 * what to do when it fails. Changes nothing (`deno task setup` repairs the venv, the kernel and
 * the git filter) and never stops with a stack trace: a check that cannot even be made is a
 * failed check saying why.
 *
 * Checks: the Deno running the tasks, Python 3, the venv (present, executables there,
 * requirements installed and current), the kernelspec (where it is, which Deno it runs and why,
 * not shadowed by another `deno` kernel), a live kernel round trip (`1 + 1` through
 * jupyter_client must give `2`), and git's notebook-outputs filter.
 *
 * @module
 */

import { MIN_TASK_DENO, taskDenoVerdict } from "./check_version.ts";
import { denoVersionOf } from "./kernel.ts";
import {
  findPython,
  GIT_FILTER,
  jupyterEnv,
  PATHS,
  type ProjectPaths,
  pythonVersion,
  readKernelSpec,
  readRequirements,
  sha256Hex,
} from "./setup.ts";

/** Outcome of one check. */
export interface CheckResult {
  ok: boolean;
  /** What was found (ok) or what is wrong plus what to do (failed). */
  message: string;
}

/**
 * Formats one check as a line: `ok    name: message` or `FAIL  name: message`.
 *
 * @param name The check's name.
 * @param result Its outcome.
 * @returns The line.
 * @example
 * ```ts
 * import { checkLine } from "./doctor.ts";
 * import assert from "node:assert/strict";
 * assert.equal(checkLine("venv", { ok: true, message: "fine" }), "ok    venv        fine");
 * ```
 */
export function checkLine(name: string, result: CheckResult): string {
  return `${result.ok ? "ok  " : "FAIL"}  ${name.padEnd(11)} ${result.message}`;
}

const SETUP = "run `deno task setup`";

async function run(cmd: string, args: string[], env: Record<string, string> = {}) {
  try {
    const out = await new Deno.Command(cmd, { args, env, stdout: "piped", stderr: "piped" })
      .output();
    const decode = (b: Uint8Array) => new TextDecoder().decode(b).trim();
    return { success: out.success, stdout: decode(out.stdout), stderr: decode(out.stderr) };
  } catch (error) {
    return {
      success: false,
      stdout: "",
      stderr: `${cmd} cannot be started (${(error as Error).message})`,
    };
  }
}

function checkDeno(): CheckResult {
  const verdict = taskDenoVerdict(Deno.version.deno);
  const found = `Deno ${Deno.version.deno} (${Deno.execPath()}) runs the tasks`;
  if (!verdict.ok) return { ok: false, message: verdict.message };
  return {
    ok: true,
    message: verdict.message
      ? `${found}; ${verdict.message}`
      : `${found} (${MIN_TASK_DENO} or newer)`,
  };
}

/** Python 3 on PATH, or failing that, the venv's own Python. */
export async function checkPython(paths: ProjectPaths): Promise<CheckResult> {
  try {
    const python = await findPython();
    return { ok: true, message: `${python.command} ${python.version}` };
  } catch (error) {
    const venv = await pythonVersion(paths.python);
    if (venv !== undefined) {
      return {
        ok: true,
        message: `no python3 on PATH, but .venv/'s Python ${venv} works (python3 is needed only ` +
          "to create .venv/ again)",
      };
    }
    return { ok: false, message: (error as Error).message };
  }
}

/** The venv: Python runs, executables present, requirements current, packages importable. */
export async function checkVenv(paths: ProjectPaths): Promise<CheckResult> {
  if ((await pythonVersion(paths.python)) === undefined) {
    return { ok: false, message: `no working .venv/ yet: ${SETUP}` };
  }
  for (const name of Object.keys(paths.executables)) {
    try {
      await Deno.stat(`${paths.venv}/bin/${name}`);
    } catch {
      return { ok: false, message: `.venv/bin/${name} is missing: ${SETUP} (it reinstalls it)` };
    }
  }
  const requirements = await readRequirements(paths.requirements);
  const stamp = await Deno.readTextFile(paths.stamp).then((s) => s.trim(), () => "");
  let note = "";
  if ("problem" in requirements) {
    note = ` (${requirements.problem}: restore it with \`git checkout -- requirements.txt\`)`;
  } else if (stamp !== await sha256Hex(requirements.text)) {
    return { ok: false, message: `.venv/ is older than requirements.txt: ${SETUP}` };
  }
  const probe = await run(paths.python, [
    "-c",
    "import jupyterlab, nbclient, plotly; print(jupyterlab.__version__, nbclient.__version__, plotly.__version__)",
  ]);
  if (!probe.success) {
    return {
      ok: false,
      message: `.venv/ cannot import jupyterlab/nbclient/plotly: delete .venv/ and ${SETUP}`,
    };
  }
  const [lab, client, plotly] = probe.stdout.split(" ");
  return {
    ok: true,
    message: `.venv/ current (jupyterlab ${lab}, nbclient ${client}, plotly ${plotly})${note}`,
  };
}

/** The kernelspec: readable, its Deno runs the recorded version, not shadowed. */
export async function checkKernelspec(paths: ProjectPaths): Promise<CheckResult> {
  const file = `${paths.kernelDir}/kernel.json`;
  const spec = await readKernelSpec(paths);
  if (spec === undefined) return { ok: false, message: `no ${file}: ${SETUP}` };
  if ("problem" in spec) {
    return { ok: false, message: `${file}: ${spec.problem}: ${SETUP} (it rewrites it)` };
  }
  const { deno, deno_version: wanted, chosen_for: chosenFor, reason } = spec.metadata.course;
  const version = await denoVersionOf(deno);
  if (version === undefined) {
    return { ok: false, message: `the kernel's Deno ${deno} does not run: ${SETUP}` };
  }
  if (version !== wanted) {
    return {
      ok: false,
      message: `the kernel's Deno ${deno} is now ${version}, chosen as ${wanted}: ${SETUP}`,
    };
  }
  const listed = await run(
    `${paths.venv}/bin/jupyter`,
    ["kernelspec", "list", "--json"],
    jupyterEnv(paths),
  );
  let resolved: string | undefined;
  try {
    resolved = JSON.parse(listed.stdout).kernelspecs?.deno?.resource_dir;
  } catch {
    resolved = undefined;
  }
  if (resolved !== paths.kernelDir) {
    return {
      ok: false,
      message: `Jupyter resolves kernel "deno" to ${
        resolved ?? "nothing"
      }, not ${paths.kernelDir}: ${SETUP}`,
    };
  }
  const again = chosenFor === Deno.version.deno
    ? ""
    : `; chosen when Deno ${chosenFor} ran set-up, \`deno task setup\` will choose again for this Deno`;
  return {
    ok: true,
    message: `the kernel runs Deno ${version} (${deno}): ${reason}; kernelspec ${file}${again}`,
  };
}

const ROUND_TRIP = `
import time
from jupyter_client.manager import start_new_kernel
start = time.monotonic()
km, kc = start_new_kernel(kernel_name="deno", startup_timeout=60)
results = []
try:
    kc.execute_interactive("1 + 1", timeout=60, output_hook=results.append)
    values = [m["content"]["data"]["text/plain"] for m in results if m["msg_type"] == "execute_result"]
    print(values[0] if values else "no result", round(time.monotonic() - start, 2))
finally:
    kc.stop_channels()
    km.shutdown_kernel(now=True)
`;

async function checkRoundTrip(paths: ProjectPaths): Promise<CheckResult> {
  const result = await run(paths.python, ["-c", ROUND_TRIP], jupyterEnv(paths));
  const [value, seconds] = result.stdout.split("\n").at(-1)?.split(" ") ?? [];
  if (result.success && value === "2") {
    return { ok: true, message: `the kernel evaluated 1 + 1 = 2 in ${seconds} s` };
  }
  const detail = result.stderr.split("\n").filter((l) => l.trim()).at(-1) ?? result.stdout;
  return {
    ok: false,
    message: `no answer from the Deno kernel (${detail}): ${SETUP}; if it persists, see ` +
      "README, Troubleshooting",
  };
}

/** Git's clean filter for notebook outputs, in a git clone. */
export async function checkGitFilter(paths: ProjectPaths): Promise<CheckResult> {
  try {
    await Deno.stat(`${paths.root}/.git`);
  } catch {
    return { ok: true, message: "not a git clone: nothing to keep out of commits" };
  }
  const key = `filter.${GIT_FILTER}.clean`;
  const got = await run("git", ["-C", paths.root, "config", "--get", key]);
  if (/cannot be started/.test(got.stderr)) {
    return { ok: true, message: "git is not on PATH: nothing to configure until it is" };
  }
  if (got.success && got.stdout) {
    return { ok: true, message: `notebook outputs are stripped on commit (${key})` };
  }
  return {
    ok: false,
    message: `git does not strip notebook outputs on commit yet (${key} unset): ${SETUP}`,
  };
}

/** Never lets a check throw: an unexpected error is a failed check naming it. */
async function safely(check: () => CheckResult | Promise<CheckResult>): Promise<CheckResult> {
  try {
    return await check();
  } catch (error) {
    return { ok: false, message: `could not check (${(error as Error).message}): ${SETUP}` };
  }
}

/**
 * Runs every check in order; a check that needs an earlier one (the kernel needs the venv) is
 * skipped with the reason when that one failed.
 *
 * @param paths The project.
 * @returns One `[name, result]` per check.
 */
export async function runDoctor(paths: ProjectPaths = PATHS): Promise<[string, CheckResult][]> {
  const results: [string, CheckResult][] = [];
  results.push(["deno", await safely(checkDeno)]);
  results.push(["python", await safely(() => checkPython(paths))]);
  const venv = await safely(() => checkVenv(paths));
  results.push(["venv", venv]);
  const spec = venv.ok
    ? await safely(() => checkKernelspec(paths))
    : { ok: false, message: "skipped: needs the venv" };
  results.push(["kernelspec", spec]);
  results.push([
    "kernel",
    spec.ok
      ? await safely(() => checkRoundTrip(paths))
      : { ok: false, message: "skipped: needs the kernelspec" },
  ]);
  results.push(["git", await safely(() => checkGitFilter(paths))]);
  return results;
}

if (import.meta.main) {
  const results = await runDoctor();
  for (const [name, result] of results) console.log(checkLine(name, result));
  Deno.exit(results.every(([, r]) => r.ok) ? 0 : 1);
}
