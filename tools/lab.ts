/**
 * `deno task lab [jupyter lab options…]`: makes sure `.venv/`, the Deno kernel and the project's
 * JupyterLab settings are ready (see setup.ts), then starts JupyterLab on the project root, opened
 * on `notebooks/`. Extra arguments go to `jupyter lab` unchanged, e.g.
 * `deno task lab --no-browser --port 8899`.
 *
 * Serving the root (not `notebooks/`) lets the file browser open what the notebooks point to:
 * `lib/*.ts`, `docs/`, and the executed copies in `.out/` (hidden files may be opened, and shown
 * with the file browser's "Show Hidden Files").
 *
 * @module
 */

import { ensureGitFilter, ensureSetupOrExit, jupyterEnv, PATHS, ROOT, VENV } from "./setup.ts";

/**
 * Arguments for `jupyter lab`: serve the project root, open on `notebooks/`, allow opening hidden
 * paths such as `.out/`, then the user's own options (later options win). As root (containers,
 * CI) `--allow-root` is added, since JupyterLab otherwise refuses to start.
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
 *   "--ServerApp.root_dir=/p",
 *   "--LabApp.default_url=/lab/tree/notebooks",
 *   "--ContentsManager.allow_hidden=True",
 *   "--port",
 *   "8899",
 * ]);
 * ```
 */
export function labArgs(root: string, extra: readonly string[], asRoot = false): string[] {
  return [
    "lab",
    `--ServerApp.root_dir=${root}`,
    "--LabApp.default_url=/lab/tree/notebooks",
    "--ContentsManager.allow_hidden=True",
    ...(asRoot ? ["--allow-root"] : []),
    ...extra,
  ];
}

if (import.meta.main) {
  await ensureSetupOrExit();
  await ensureGitFilter(PATHS, console.error);
  let child: Deno.ChildProcess;
  try {
    child = new Deno.Command(`${VENV}/bin/jupyter`, {
      args: labArgs(ROOT, Deno.args, Deno.uid() === 0),
      env: jupyterEnv(),
      stdin: "inherit",
      stdout: "inherit",
      stderr: "inherit",
    }).spawn();
  } catch (error) {
    console.error(
      `.venv/bin/jupyter cannot be started (${(error as Error).message}): run \`deno task doctor\``,
    );
    Deno.exit(1);
  }
  // Ctrl+C reaches JupyterLab too (same process group) and it asks before shutting down, so this
  // process only waits; a SIGTERM (e.g. from a process manager) is passed on.
  Deno.addSignalListener("SIGINT", () => {});
  Deno.addSignalListener("SIGTERM", () => child.kill("SIGTERM"));
  const status = await child.status;
  Deno.exit(status.code);
}
