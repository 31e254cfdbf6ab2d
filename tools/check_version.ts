/**
 * Checks that the running Deno matches the version pinned in `.deno-version`.
 *
 * The pin matters: Deno's Jupyter kernel changed how it orders output and idle messages between
 * releases (see README "Why this Deno version"), so a different major/minor version is refused
 * with a message saying what to install. A different patch version only warns.
 *
 * Run: `deno task version`.
 *
 * @module
 */

/** Parsed `major.minor.patch`. */
export interface Version {
  major: number;
  minor: number;
  patch: number;
}

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
 * Compares the running version with the pinned one.
 *
 * @param running The running Deno version.
 * @param pinned The version pinned in `.deno-version`.
 * @returns `"ok"` for an exact match, `"patch"` when only the patch differs, `"mismatch"` otherwise.
 * @example
 * ```ts
 * import { compareVersions, parseVersion } from "./check_version.ts";
 * import assert from "node:assert/strict";
 * assert.equal(compareVersions(parseVersion("2.9.6"), parseVersion("2.7.14")), "mismatch");
 * ```
 */
export function compareVersions(running: Version, pinned: Version): "ok" | "patch" | "mismatch" {
  if (running.major !== pinned.major || running.minor !== pinned.minor) return "mismatch";
  return running.patch === pinned.patch ? "ok" : "patch";
}

/** Reads the pinned version from `.deno-version` at the project root. */
export async function pinnedVersion(): Promise<string> {
  return (await Deno.readTextFile(new URL("../.deno-version", import.meta.url))).trim();
}

/**
 * Checks the running Deno against `.deno-version`: exits with a message naming both versions and
 * the install command on a major/minor mismatch, warns on a patch mismatch. Every task that runs
 * notebooks calls it (through tools/setup.ts), as does `deno task test`.
 */
export async function requirePinnedDeno(): Promise<void> {
  const pinned = await pinnedVersion();
  const verdict = compareVersions(parseVersion(Deno.version.deno), parseVersion(pinned));
  const install = `npm install -g deno@${pinned}`;
  if (verdict === "mismatch") {
    console.error(
      `This project needs Deno ${pinned} (pinned in .deno-version), but this is Deno ${Deno.version.deno}. ` +
        `Install it with: ${install}`,
    );
    Deno.exit(1);
  }
  if (verdict === "patch") {
    console.error(
      `Warning: this project is tested with Deno ${pinned}, running ${Deno.version.deno}. ` +
        `To match CI: ${install}`,
    );
  }
}

if (import.meta.main) await requirePinnedDeno();
