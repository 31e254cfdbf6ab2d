import assert from "node:assert/strict";
import { principalComponents } from "../../lib/mod.ts";

// numpy 2: C = np.cov(X, rowvar=False); w, V = np.linalg.eigh(C), sorted by w descending, each
// column's sign flipped so its entry of largest magnitude is positive; scores = (X − mean) @ V.
const X = [
  [2.5, 2.4, 0.5],
  [0.5, 0.7, 1.0],
  [2.2, 2.9, 0.3],
  [1.9, 2.2, 0.8],
  [3.1, 3.0, 0.1],
  [2.3, 2.7, 0.6],
  [2.0, 1.6, 1.2],
  [1.0, 1.1, 0.9],
  [1.5, 1.6, 0.4],
  [1.1, 0.9, 1.5],
];
const NUMPY_VARIANCES = [1.39478525, 0.09292412, 0.03217951];
const NUMPY_COMPONENTS = [
  [0.64425757, 0.70775087, -0.28986357],
  [0.55635384, -0.17363695, 0.81260114],
  [-0.52478814, 0.68479115, 0.50562683],
];
const NUMPY_SCORES = [[0.85800427, 0.11190378], [-1.77861913, -0.29932051], [
  1.07657515,
  -0.30434108,
]];

const near = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-7) => {
  assert.equal(a.length, b.length);
  for (let i = 0; i < b.length; i++) assert.ok(Math.abs(a[i]! - b[i]!) < tol, `${a[i]} vs ${b[i]}`);
};

Deno.test("principalComponents() matches numpy's eigh of the covariance", () => {
  const { variances, components, scores, mean } = principalComponents(X, 3);
  near(variances, NUMPY_VARIANCES);
  components.forEach((v, i) => near(v, NUMPY_COMPONENTS[i]!));
  NUMPY_SCORES.forEach((row, i) => near(scores[i]!.slice(0, 2), row));
  near(mean, [1.81, 1.91, 0.73], 1e-12);
});

Deno.test("principalComponents(): orthonormal components, deterministic, input untouched", () => {
  const copy = X.map((r) => [...r]);
  const a = principalComponents(X, 2);
  const b = principalComponents(X, 2);
  assert.deepEqual(X, copy);
  assert.deepEqual(a, b);
  const dot = (u: ArrayLike<number>, v: ArrayLike<number>) =>
    Array.from(u).reduce((s, x, i) => s + x * v[i]!, 0);
  assert.ok(Math.abs(dot(a.components[0]!, a.components[0]!) - 1) < 1e-12);
  assert.ok(Math.abs(dot(a.components[0]!, a.components[1]!)) < 1e-9);
});

Deno.test("principalComponents() refuses bad input", () => {
  assert.throws(() => principalComponents([[1, 2]]), /`rows` must hold at least 2 rows/);
  assert.throws(() => principalComponents([[1, 2], [3]]), /`rows\[1\]` must have length 2/);
  assert.throws(() => principalComponents([[1, NaN], [3, 4]]), /`rows\[0\]\[1\]` must be finite/);
  assert.throws(
    () => principalComponents([[1, 2], [3, 4]], 3),
    /`k` must be an integer in \[1, 2\]/,
  );
});
