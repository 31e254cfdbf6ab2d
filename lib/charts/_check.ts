/**
 * Input checks shared by the chart builders (private: not re-exported from mod.ts). They build on
 * lib/_validate.ts, so chart messages read like every other message of the library.
 *
 * @module
 */

import {
  checkArrayLike,
  checkNumber,
  checkObject,
  checkOptionalString,
  checkString,
  checkStrings,
  formatValue,
} from "../_validate.ts";

/**
 * Checks data bound for a plotly figure: what JSON can carry, with finite numbers only (NaN and
 * ±Infinity would reach the chart as `null`): plain objects, arrays, typed arrays, strings,
 * booleans, `null` and `undefined` (dropped). Walks the whole value once; no cycles.
 *
 * @throws {TypeError} For a bigint, symbol, function, a cycle or another object type.
 * @throws {RangeError} For a number that is NaN or infinite, naming its path.
 */
export function checkFigureData(value: unknown, name: string): void {
  const ancestors = new Set<unknown>();
  // Entries that are finite numbers, strings, booleans, null or undefined are checked inline, so
  // a path string is only built for objects and for the message (150,000 bars stay fast).
  const plain = (x: unknown): boolean =>
    typeof x === "number"
      ? Number.isFinite(x)
      : x === null || x === undefined || typeof x === "string" || typeof x === "boolean";
  const visit = (v: unknown, path: string): void => {
    switch (typeof v) {
      case "number":
        if (!Number.isFinite(v)) {
          throw new RangeError(`\`${path}\` must be a finite number, got ${formatValue(v)}`);
        }
        return;
      case "string":
      case "boolean":
      case "undefined":
        return;
      case "object":
        if (v === null) return;
        break;
      default:
        throw new TypeError(
          `\`${path}\` must be JSON data (numbers, strings, arrays, objects), got ${
            formatValue(v)
          }`,
        );
    }
    if (ancestors.has(v)) {
      throw new TypeError(`\`${path}\` must not contain itself (a cycle cannot become JSON)`);
    }
    if (
      ArrayBuffer.isView(v) && !(v instanceof DataView) && !(v instanceof BigInt64Array) &&
      !(v instanceof BigUint64Array)
    ) {
      const array = v as unknown as ArrayLike<number>;
      for (let i = 0; i < array.length; i++) if (!plain(array[i])) visit(array[i], `${path}[${i}]`);
      return;
    }
    const prototype = Object.getPrototypeOf(v);
    if (!Array.isArray(v) && prototype !== Object.prototype && prototype !== null) {
      throw new TypeError(
        `\`${path}\` must be JSON data (a plain object or array), got ${formatValue(v)}`,
      );
    }
    ancestors.add(v);
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) if (!plain(v[i])) visit(v[i], `${path}[${i}]`);
    } else {
      for (const key of Object.keys(v as object)) {
        const x = (v as Record<string, unknown>)[key];
        if (!plain(x)) visit(x, `${path}.${key}`);
      }
    }
    ancestors.delete(v);
  };
  visit(value, name);
}

/** Checks the titles every chart takes: `title` a string, `xTitle` and `yTitle` optional strings. */
export function checkTitles(
  options: { title?: unknown; xTitle?: unknown; yTitle?: unknown },
  titleOptional = false,
): void {
  if (titleOptional) checkOptionalString(options.title, "title");
  else checkString(options.title, "title");
  checkOptionalString(options.xTitle, "xTitle");
  checkOptionalString(options.yTitle, "yTitle");
}

/** Checks bar or group labels: a non-empty array of strings; returns a copy. */
export function checkLabels(labels: unknown, name: string): string[] {
  return [...checkStrings(labels, name, false)];
}

/** Checks an optional axis range: two finite numbers, the first below the second; returns a copy. */
export function checkRange(range: unknown, name: string): [number, number] | undefined {
  if (range === undefined) return undefined;
  const length = checkArrayLike(range, name, "a range [low, high]");
  if (length !== 2) {
    throw new RangeError(`\`${name}\` must be a range [low, high], got ${formatValue(range)}`);
  }
  const [low, high] = [0, 1].map((i) =>
    checkNumber((range as ArrayLike<unknown>)[i], `${name}[${i}]`, { finite: true })
  ) as [number, number];
  if (!(low < high)) {
    throw new RangeError(`\`${name}\` must have low < high, got ${formatValue(range)}`);
  }
  return [low, high];
}

/** Checks a colour option: one CSS colour string, or one per bar; returns a copy. */
export function checkColor(
  color: unknown,
  name: string,
  count: number,
): string | string[] | undefined {
  if (color === undefined || typeof color === "string") return color;
  if (!Array.isArray(color)) {
    throw new TypeError(
      `\`${name}\` must be a colour string or an array of them, got ${formatValue(color)}`,
    );
  }
  checkStrings(color, name);
  if (color.length !== count) {
    throw new RangeError(
      `\`${name}\` must have one colour per bar (${count}), got ${color.length} colours`,
    );
  }
  return [...color];
}

/** Checks a series list (a non-empty array of objects); returns it as an array. */
export function checkSeriesList<T>(series: unknown): readonly T[] {
  if (!Array.isArray(series)) {
    throw new TypeError(`\`series\` must be an array of series, got ${formatValue(series)}`);
  }
  if (series.length === 0) throw new RangeError("`series` must hold at least one series");
  for (let k = 0; k < series.length; k++) {
    checkObject(series[k], `series[${k}]`, "a series { name, values }");
  }
  return series;
}
