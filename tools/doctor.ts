/**
 * `deno task doctor`: checks everything the notebooks need and prints one line per check, with
 * what to do when it fails. Changes nothing (`deno task setup` repairs the venv and kernelspec).
 *
 * Checks: Deno version against `.deno-version`, Python 3, the venv (present, requirements
 * installed and current), the kernelspec (ours, pointing at this Deno, not shadowed), and a live
 * kernel round trip (`1 + 1` through jupyter_client must give `2`).
 *
 * @module
 */

import { compareVersions, parseVersion, pinnedVersion } from "./check_version.ts";
import {
  findPython,
  jupyterEnv,
  KERNEL_DIR,
  kernelSpec,
  ROOT,
  SetupError,
  sha256Hex,
  STAMP,
  VENV_PYTHON,
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
 */
export function checkLine(name: string, result: CheckResult): string {
  return `${result.ok ? "ok  " : "FAIL"}  ${name.padEnd(11)} ${result.message}`;
}

async function run(cmd: string, args: string[], env: Record<string, string> = {}) {
  const out = await new Deno.Command(cmd, { args, env, stdout: "piped", stderr: "piped" }).output();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b).trim();
  return { success: out.success, stdout: decode(out.stdout), stderr: decode(out.stderr) };
}

async function checkDeno(): Promise<CheckResult> {
  const pinned = await pinnedVersion();
  const verdict = compareVersions(parseVersion(Deno.version.deno), parseVersion(pinned));
  const fix = `install it with \`npm install -g deno@${pinned}\``;
  if (verdict === "mismatch") {
    return {
      ok: false,
      message: `Deno ${Deno.version.deno}, but .deno-version pins ${pinned}: ${fix}`,
    };
  }
  return {
    ok: true,
    message: verdict === "ok"
      ? `Deno ${Deno.version.deno} (${Deno.execPath()}) matches .deno-version`
      : `Deno ${Deno.version.deno}, pinned ${pinned} (patch differs; to match CI ${fix})`,
  };
}

async function checkPython(): Promise<CheckResult> {
  try {
    const python = await findPython();
    return { ok: true, message: `${python.command} ${python.version}` };
  } catch (error) {
    if (error instanceof SetupError) return { ok: false, message: error.message };
    throw error;
  }
}

async function checkVenv(): Promise<CheckResult> {
  const fix = "run `deno task setup`";
  try {
    await Deno.stat(VENV_PYTHON);
  } catch {
    return { ok: false, message: `no .venv/ yet: ${fix}` };
  }
  const wanted = await sha256Hex(await Deno.readTextFile(`${ROOT}/requirements.txt`));
  const stamp = await Deno.readTextFile(STAMP).then((s) => s.trim(), () => "");
  if (stamp !== wanted) {
    return { ok: false, message: `.venv/ is older than requirements.txt: ${fix}` };
  }
  const probe = await run(VENV_PYTHON, [
    "-c",
    "import jupyterlab, nbclient, plotly; print(jupyterlab.__version__, nbclient.__version__, plotly.__version__)",
  ]);
  if (!probe.success) {
    return {
      ok: false,
      message: `.venv/ cannot import jupyterlab/nbclient/plotly: delete .venv/ and ${fix}`,
    };
  }
  const [lab, client, plotly] = probe.stdout.split(" ");
  return {
    ok: true,
    message: `.venv/ current (jupyterlab ${lab}, nbclient ${client}, plotly ${plotly})`,
  };
}

async function checkKernelspec(): Promise<CheckResult> {
  const fix = "run `deno task setup`";
  const file = `${KERNEL_DIR}/kernel.json`;
  const text = await Deno.readTextFile(file).catch(() => undefined);
  if (text === undefined) return { ok: false, message: `no ${file}: ${fix}` };
  const spec = JSON.parse(text);
  const wanted = kernelSpec(Deno.execPath());
  if (JSON.stringify(spec) !== JSON.stringify(wanted)) {
    return {
      ok: false,
      message: `kernel.json runs ${spec.argv?.[0]}, not ${Deno.execPath()}: ${fix}`,
    };
  }
  const listed = await run(
    `${ROOT}/.venv/bin/jupyter`,
    ["kernelspec", "list", "--json"],
    jupyterEnv(),
  );
  const resolved = listed.success
    ? JSON.parse(listed.stdout).kernelspecs?.deno?.resource_dir
    : undefined;
  if (resolved !== KERNEL_DIR) {
    return {
      ok: false,
      message: `Jupyter resolves kernel "deno" to ${resolved}, not ${KERNEL_DIR}: ${fix}`,
    };
  }
  return { ok: true, message: `"deno" -> ${Deno.execPath()} (${KERNEL_DIR})` };
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

async function checkRoundTrip(): Promise<CheckResult> {
  const result = await run(VENV_PYTHON, ["-c", ROUND_TRIP], jupyterEnv());
  const [value, seconds] = result.stdout.split("\n").at(-1)?.split(" ") ?? [];
  if (result.success && value === "2") {
    return { ok: true, message: `kernel evaluated 1 + 1 = 2 in ${seconds} s` };
  }
  const detail = result.stderr.split("\n").filter((l) => l.trim() && !/unstable/.test(l)).at(-1) ??
    result.stdout;
  return {
    ok: false,
    message: `no answer from the Deno kernel (${detail}): run \`deno task setup\`, then ` +
      "`deno jupyter --kernel` by hand to see its error",
  };
}

if (import.meta.main) {
  let failed = 0;
  const report = (name: string, result: CheckResult) => {
    console.log(checkLine(name, result));
    if (!result.ok) failed++;
  };
  report("deno", await checkDeno());
  const python = await checkPython();
  report("python", python);
  const venv = python.ok ? await checkVenv() : { ok: false, message: "skipped: needs Python" };
  report("venv", venv);
  const spec = venv.ok
    ? await checkKernelspec()
    : { ok: false, message: "skipped: needs the venv" };
  report("kernelspec", spec);
  report(
    "kernel",
    spec.ok ? await checkRoundTrip() : { ok: false, message: "skipped: needs the kernelspec" },
  );
  Deno.exit(failed === 0 ? 0 : 1);
}
