/**
 * Which Deno can run the tasks, and which Deno runs the notebooks.
 *
 * Two different questions since issue 11:
 *
 * - **The tasks** (`deno task lab`, `nb`, `test`, …) run on any Deno 2 from
 *   {@linkcode MIN_TASK_DENO} on: the version in `.deno-version`, which CI runs together with the
 *   current release. An older Deno is told to upgrade; nobody is ever asked to downgrade.
 * - **The Jupyter kernel** runs a Deno chosen by measurement (tools/kernel.ts): the learner's own
 *   Deno when it passes the learner-cell test, otherwise the version pinned in `.deno-version`,
 *   installed inside `.venv/` by `deno task setup` (never globally).
 *
 * Run: `deno task version` prints the running Deno and whether it can run the tasks.
 *
 * @module
 */

/** Parsed `major.minor.patch`. */
export interface Version {
  major: number;
  minor: number;
  patch: number;
}

/** The oldest Deno the tasks run on (the pinned kernel version; CI runs it). */
export const MIN_TASK_DENO = "2.7.14";

/**
 * Parses a `major.minor.patch` version string.
 *
 * @param text The version, e.g. `"2.7.14"` (surrounding white space is ignored).
 * @returns The three numbers.
 * @throws {RangeError} When `text` is not of the form `N.N.N`.
 * @example
 * ```ts
 * import { parseVersion } from "./check_version.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(parseVersion("2.7.14\n"), { major: 2, minor: 7, patch: 14 });
 * ```
 */
export function parseVersion(text: string): Version {
  const match = /^(\d+)\.(\d+)\.(\d+)$/.exec(text.trim());
  if (!match) {
    throw new RangeError(`\`version\` must look like 2.7.14, got ${JSON.stringify(text)}`);
  }
  return { major: Number(match[1]), minor: Number(match[2]), patch: Number(match[3]) };
}

/**
 * Orders two versions: negative when `a` is older, 0 when equal, positive when newer.
 *
 * @param a One version.
 * @param b The other.
 * @returns The sign of a − b.
 * @example
 * ```ts
 * import { compareVersions, parseVersion } from "./check_version.ts";
 * import assert from "node:assert/strict";
 * assert.ok(compareVersions(parseVersion("2.9.6"), parseVersion("2.7.14")) > 0);
 * assert.ok(compareVersions(parseVersion("2.7.9"), parseVersion("2.7.14")) < 0);
 * ```
 */
export function compareVersions(a: Version, b: Version): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** What {@linkcode taskDenoVerdict} says about a Deno for the tasks. */
export interface TaskDenoVerdict {
  /** False when the tasks cannot run on it (too old). */
  ok: boolean;
  /** One sentence for the user: empty when there is nothing to say. */
  message: string;
}

/**
 * Whether the tasks run on a given Deno: Deno 2 from {@linkcode MIN_TASK_DENO} on is supported;
 * an older one is told to upgrade; a newer major version runs with a warning.
 *
 * @param running The Deno version running the task, e.g. `Deno.version.deno`.
 * @returns The verdict and what to tell the user.
 * @example
 * ```ts
 * import { taskDenoVerdict } from "./check_version.ts";
 * import assert from "node:assert/strict";
 * assert.deepEqual(taskDenoVerdict("2.9.6"), { ok: true, message: "" });
 * assert.equal(taskDenoVerdict("2.1.0").ok, false);
 * ```
 */
export function taskDenoVerdict(running: string): TaskDenoVerdict {
  const version = parseVersion(running);
  if (compareVersions(version, parseVersion(MIN_TASK_DENO)) < 0) {
    return {
      ok: false,
      message: `This project needs Deno ${MIN_TASK_DENO} or newer, but this is Deno ${running}: ` +
        "upgrade it with `deno upgrade` (or `npm install -g deno@latest` if npm installed it)",
    };
  }
  if (version.major > 2) {
    return {
      ok: true,
      message: `Warning: this project is tested with Deno 2 (${MIN_TASK_DENO} and the current ` +
        `2.x release); Deno ${running} may behave differently`,
    };
  }
  return { ok: true, message: "" };
}

/**
 * Reads the pinned kernel version from `.deno-version`.
 *
 * @param root The project root (defaults to this checkout).
 * @returns The version, e.g. `"2.7.14"`.
 */
export async function pinnedVersion(root?: string): Promise<string> {
  const file = root === undefined
    ? new URL("../.deno-version", import.meta.url)
    : `${root}/.deno-version`;
  return (await Deno.readTextFile(file)).trim();
}

/**
 * Exits with the upgrade advice when the running Deno is too old for the tasks; prints the warning
 * for an untested major version. Every task that runs notebooks calls it (through tools/setup.ts),
 * as does `deno task test`.
 */
export function requireTaskDeno(): void {
  const verdict = taskDenoVerdict(Deno.version.deno);
  if (verdict.message) console.error(verdict.message);
  if (!verdict.ok) Deno.exit(1);
}

if (import.meta.main) {
  requireTaskDeno();
  console.log(
    `Deno ${Deno.version.deno} (${Deno.execPath()}) runs the tasks (${MIN_TASK_DENO} or newer); ` +
      `the notebooks' kernel is chosen by \`deno task setup\` (see \`deno task doctor\`)`,
  );
}
