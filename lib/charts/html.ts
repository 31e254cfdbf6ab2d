/**
 * Safe HTML: JSON that can sit inside a `<script>` element and text escaped for elements and
 * attributes. Charts use it for their `text/html` fallback; the exporters in tools/ use it for
 * whole pages.
 *
 * @module
 */

import { checkString, formatValue } from "../_validate.ts";

/**
 * Serialises a value as JSON that is safe inside an HTML `<script>` element.
 *
 * `<`, `>` and `&` become `\u003c`, `\u003e`, `\u0026` (so `</script>` and `<!--` cannot appear),
 * and U+2028 / U+2029 are escaped (they end lines in older JavaScript). The result still parses
 * with `JSON.parse` to the same value.
 *
 * @param value Anything `JSON.stringify` turns into text.
 * @returns The escaped JSON text.
 * @throws {TypeError} When JSON cannot represent `value` (undefined, a function or symbol at the
 * top, a bigint, a cycle, or nesting too deep).
 * @example
 * ```ts
 * import { jsonForHtml } from "./html.ts";
 * import assert from "node:assert/strict";
 * const text = jsonForHtml({ label: "</script>" });
 * assert.equal(text, '{"label":"\\u003c/script\\u003e"}');
 * assert.deepEqual(JSON.parse(text), { label: "</script>" });
 * ```
 */
export function jsonForHtml(value: unknown): string {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (error) {
    throw new TypeError(
      `\`value\` must be serialisable as JSON (no bigint, no cycles), got ${formatValue(value)}`,
      { cause: error },
    );
  }
  if (json === undefined) {
    throw new TypeError(`\`value\` must be serialisable as JSON, got ${formatValue(value)}`);
  }
  return json
    .replaceAll("<", "\\u003c")
    .replaceAll(">", "\\u003e")
    .replaceAll("&", "\\u0026")
    .replaceAll("\u2028", "\\u2028")
    .replaceAll("\u2029", "\\u2029");
}

/**
 * Escapes text for use inside HTML elements and attribute values.
 *
 * @param text Any text.
 * @returns The text with `& < > " '` as entities.
 * @throws {TypeError} When `text` is not a string.
 * @example
 * ```ts
 * import { escapeHtml } from "./html.ts";
 * import assert from "node:assert/strict";
 * assert.equal(escapeHtml(`<b a="1">&'`), "&lt;b a=&quot;1&quot;&gt;&amp;&#39;");
 * ```
 */
export function escapeHtml(text: string): string {
  checkString(text, "text");
  return text.replaceAll("&", "&amp;").replaceAll("<", "&lt;").replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;").replaceAll("'", "&#39;");
}
