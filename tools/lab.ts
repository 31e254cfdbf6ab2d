/**
 * `deno task lab [jupyter lab options…]`: makes sure `.venv/` and the Deno kernelspec are ready
 * (see setup.ts), then starts JupyterLab on `notebooks/`. Extra arguments go to `jupyter lab`
 * unchanged, e.g. `deno task lab --no-browser --port 8899`.
 *
 * @module
 */

import { ensureSetupOrExit, jupyterEnv, ROOT, VENV } from "./setup.ts";

/**
 * Arguments for `jupyter lab`: serve `notebooks/`, then the user's own options (later options win).
 * As root (containers, CI) `--allow-root` is added, since JupyterLab otherwise refuses to start.
 *
 * @param root The project root.
 * @param extra The arguments given to the task.
 * @param asRoot Whether the task runs as root.
 * @returns The argument list after `jupyter`.
 * @example
 * ```ts
 * import { labArgs } from "./lab.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(labArgs("/p", ["--port", "8899"]), [
 *   "lab",
 *   "--ServerApp.root_dir=/p/notebooks",
 *   "--port",
 *   "8899",
 * ]);
 * ```
 */
export function labArgs(root: string, extra: readonly string[], asRoot = false): string[] {
  return [
    "lab",
    `--ServerApp.root_dir=${root}/notebooks`,
    ...(asRoot ? ["--allow-root"] : []),
    ...extra,
  ];
}

if (import.meta.main) {
  await ensureSetupOrExit();
  const child = new Deno.Command(`${VENV}/bin/jupyter`, {
    args: labArgs(ROOT, Deno.args, Deno.uid() === 0),
    env: jupyterEnv(),
    stdin: "inherit",
    stdout: "inherit",
    stderr: "inherit",
  }).spawn();
  // Ctrl+C reaches JupyterLab too (same process group) and it asks before shutting down, so this
  // process only waits; a SIGTERM (e.g. from a process manager) is passed on.
  Deno.addSignalListener("SIGINT", () => {});
  Deno.addSignalListener("SIGTERM", () => child.kill("SIGTERM"));
  const status = await child.status;
  Deno.exit(status.code);
}
