/**
 * Headless Chromium for the browser checks and `deno task docs`: where the browser is, how it is
 * launched, and what a test does when it is missing.
 *
 * The browser is Debian's `chromium` (`/usr/bin/chromium`), driven through `playwright-core`,
 * which never downloads a browser of its own. Set `CHROMIUM=/path/to/chromium` to use another
 * build. `.ci/run` installs the Debian package when it is missing.
 *
 * @module
 */

import { type Browser, chromium } from "playwright-core";

/** Flags for a quiet, offline, throw-away headless Chromium (Playwright adds `--headless`). */
export const CHROMIUM_FLAGS: readonly string[] = Object.freeze([
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-dev-shm-usage",
]);

/** Where Chromium is looked for, in order, after `$CHROMIUM`. */
export const CHROMIUM_CANDIDATES: readonly string[] = Object.freeze([
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
]);

async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch {
    return false;
  }
}

/**
 * Finds the Chromium executable: `$CHROMIUM` when set, else the first of
 * {@linkcode CHROMIUM_CANDIDATES} that exists.
 *
 * @returns Its path, or `undefined` when there is none.
 */
export async function findChromium(): Promise<string | undefined> {
  const chosen = Deno.env.get("CHROMIUM");
  if (chosen) return (await isFile(chosen)) ? chosen : undefined;
  for (const candidate of CHROMIUM_CANDIDATES) if (await isFile(candidate)) return candidate;
  return undefined;
}

/**
 * Whether this is a CI run (`CI` set to anything but `""`, `0` or `false`), where a missing
 * browser fails the tests instead of skipping them.
 *
 * @param value The `CI` environment variable.
 * @returns True on CI.
 * @example
 * ```ts
 * import { isCI } from "./browser.ts";
 * import assert from "node:assert/strict";
 * assert.equal(isCI("true"), true);
 * assert.equal(isCI("false"), false);
 * assert.equal(isCI(undefined), false);
 * ```
 */
export function isCI(value: string | undefined = Deno.env.get("CI")): boolean {
  return value !== undefined && !["", "0", "false"].includes(value.trim().toLowerCase());
}

/** The sentence printed (locally) or thrown (on CI) when no Chromium is found. */
export const NO_CHROMIUM: string =
  "no Chromium found (looked at $CHROMIUM, /usr/bin/chromium, /usr/bin/chromium-browser): " +
  "install it with `apt-get install chromium` (Debian/Ubuntu) or set CHROMIUM=/path/to/chromium";

/**
 * Launches headless Chromium with {@linkcode CHROMIUM_FLAGS} and a fresh temporary profile.
 *
 * @param executablePath The browser; defaults to {@linkcode findChromium}'s answer.
 * @returns The browser (close it when done).
 * @throws {Error} With {@linkcode NO_CHROMIUM} when there is no browser.
 */
export async function launchChromium(executablePath?: string): Promise<Browser> {
  const path = executablePath ?? await findChromium();
  if (path === undefined) throw new Error(NO_CHROMIUM);
  return await chromium.launch({ executablePath: path, args: [...CHROMIUM_FLAGS] });
}
