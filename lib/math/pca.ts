/**
 * Principal component analysis of the rows of a matrix: the directions along which the rows vary
 * most, found by power iteration on the covariance matrix with deflation. Deterministic (a fixed
 * start vector, a fixed sign convention), for drawing high-dimensional vectors such as word
 * embeddings in two dimensions.
 *
 * @module
 */

import { formatValue } from "../_validate.ts";

/** The result of {@link principalComponents}. */
export interface PrincipalComponents {
  /** The mean row, length d. */
  mean: Float64Array;
  /** k unit vectors of length d, the top eigenvectors of the covariance, largest variance first. */
  components: Float64Array[];
  /** The k eigenvalues: the variance of the rows along each component (divisor n − 1). */
  variances: Float64Array;
  /** n rows of k coordinates: (row − mean) · component. */
  scores: Float64Array[];
}

/** Options of {@link principalComponents}. */
export interface PrincipalComponentsOptions {
  /** Most power iterations per component (default 10,000). */
  maxIterations?: number;
  /** Stop when the vector moves less than this between iterations (default 1e-12). */
  tolerance?: number;
}

/**
 * The top k principal components of some rows.
 *
 * Formula: centre the rows, X_c = X − mean; covariance C = X_cᵀ X_c / (n − 1). For each of k
 * components: power iteration v ← C v / ‖C v‖ from the fixed start v_j ∝ 1 + j / d until v moves
 * less than `tolerance`; λ = vᵀ C v; then deflate C ← C − λ v vᵀ. Each v's sign is chosen so that
 * its entry of largest magnitude is positive (the first such entry on a tie). Scores = X_c v.
 * Power iteration converges at the rate λ₂ / λ₁; components of (nearly) equal variance come out
 * as some orthonormal basis of their common plane.
 *
 * @param rows n >= 2 rows of equal length d >= 1 (not modified).
 * @param k How many components, 1 <= k <= d (default 2).
 * @param options `maxIterations`, `tolerance`.
 * @returns The mean, components, variances and scores.
 * @throws {RangeError} When there are fewer than 2 rows, the rows differ in length or hold a
 * non-finite number, or k is not an integer in [1, d].
 * Running cost: O(n·d²) for the covariance, O(k·iterations·d²) for the iteration.
 * @example Points on the line y = 2x: one direction holds all the variance
 * ```ts
 * import assert from "node:assert/strict";
 * import { principalComponents } from "./pca.ts";
 *
 * const { components, variances } = principalComponents([[0, 0], [1, 2], [2, 4]], 1);
 * assert.ok(Math.abs(components[0]![0]! - 1 / Math.sqrt(5)) < 1e-9); // (1, 2) / √5
 * assert.ok(Math.abs(variances[0]! - 5) < 1e-9); // var(x) + var(y) = 1 + 4
 * ```
 */
export function principalComponents(
  rows: readonly ArrayLike<number>[],
  k = 2,
  options: PrincipalComponentsOptions = {},
): PrincipalComponents {
  if (!Array.isArray(rows) || rows.length < 2) {
    throw new RangeError(`\`rows\` must hold at least 2 rows, got ${formatValue(rows)}`);
  }
  const n = rows.length;
  const d = rows[0]!.length;
  if (!(d >= 1)) throw new RangeError(`\`rows\` must have length >= 1, got ${formatValue(d)}`);
  rows.forEach((row, i) => {
    if (row.length !== d) {
      throw new RangeError(`\`rows[${i}]\` must have length ${d}, got ${formatValue(row.length)}`);
    }
    for (let j = 0; j < d; j++) {
      if (!Number.isFinite(row[j])) {
        throw new RangeError(`\`rows[${i}][${j}]\` must be finite, got ${formatValue(row[j])}`);
      }
    }
  });
  if (!Number.isInteger(k) || k < 1 || k > d) {
    throw new RangeError(`\`k\` must be an integer in [1, ${d}], got ${formatValue(k)}`);
  }
  const maxIterations = options.maxIterations ?? 10_000;
  const tolerance = options.tolerance ?? 1e-12;

  const mean = new Float64Array(d);
  for (const row of rows) for (let j = 0; j < d; j++) mean[j]! += row[j]! / n;
  const centred = rows.map((row) => Float64Array.from({ length: d }, (_, j) => row[j]! - mean[j]!));
  const cov = new Float64Array(d * d);
  for (const x of centred) {
    for (let a = 0; a < d; a++) {
      const xa = x[a]!;
      for (let b = a; b < d; b++) cov[a * d + b]! += xa * x[b]!;
    }
  }
  for (let a = 0; a < d; a++) {
    for (let b = a; b < d; b++) {
      cov[a * d + b]! /= n - 1;
      cov[b * d + a] = cov[a * d + b]!;
    }
  }

  const components: Float64Array[] = [];
  const variances = new Float64Array(k);
  const multiply = (v: Float64Array) => {
    const out = new Float64Array(d);
    for (let a = 0; a < d; a++) {
      let s = 0;
      for (let b = 0; b < d; b++) s += cov[a * d + b]! * v[b]!;
      out[a] = s;
    }
    return out;
  };
  const normalise = (v: Float64Array) => {
    const norm = Math.hypot(...v);
    return norm === 0 ? v : v.map((x) => x / norm);
  };
  for (let c = 0; c < k; c++) {
    let v = normalise(Float64Array.from({ length: d }, (_, j) => 1 + j / d));
    for (let it = 0; it < maxIterations; it++) {
      const next = normalise(multiply(v));
      let moved = 0;
      for (let j = 0; j < d; j++) moved = Math.max(moved, Math.abs(next[j]! - v[j]!));
      v = next;
      if (moved < tolerance) break;
    }
    let largest = 0;
    for (let j = 1; j < d; j++) if (Math.abs(v[j]!) > Math.abs(v[largest]!) + 1e-12) largest = j;
    if (v[largest]! < 0) v = v.map((x) => -x);
    const cv = multiply(v);
    let lambda = 0;
    for (let j = 0; j < d; j++) lambda += v[j]! * cv[j]!;
    for (let a = 0; a < d; a++) {
      for (let b = 0; b < d; b++) cov[a * d + b]! -= lambda * v[a]! * v[b]!;
    }
    components.push(v);
    variances[c] = lambda;
  }
  const scores = centred.map((x) =>
    Float64Array.from(components, (v) => {
      let s = 0;
      for (let j = 0; j < d; j++) s += x[j]! * v[j]!;
      return s;
    })
  );
  return { mean, components, variances, scores };
}
