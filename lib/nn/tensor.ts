/**
 * Tensors that remember how they were computed, so that gradients can flow back through them:
 * reverse-mode automatic differentiation in the spirit of Karpathy's micrograd, but on whole typed
 * arrays instead of single numbers, so that a model with a million weights trains in minutes.
 *
 * A {@linkcode Tensor} holds its numbers in one flat row-major typed array (`Float32Array` for
 * training speed, `Float64Array` for gradient checks; every op keeps the dtype of its inputs), its
 * `shape`, and, once {@linkcode Tensor.backward} has run, `grad`: ∂loss/∂entry, same shape. An op
 * (add, matmul, tanh, … in the other files of this folder) computes its output and hands
 * {@linkcode opResult} a small `backward` function, written right under the forward, that adds
 * the op's share of the gradient into its inputs' `grad`. `backward()` on the final loss visits the
 * ops in reverse order and calls each one: the chain rule, one op at a time.
 *
 * There is no global state: a graph lives as long as its tensors, and a model owns its parameter
 * tensors.
 *
 * @module
 */

import { formatValue } from "../_validate.ts";

/** The two number formats a tensor can hold. */
export type DType = "float32" | "float64";

/** The flat storage of a tensor. */
export type TensorData = Float32Array | Float64Array;

/**
 * The backward rule of one op: given ∂loss/∂output (same layout as the output's data), add
 * ∂loss/∂input into the `grad` of each input that needs one (see {@linkcode gradOf}).
 */
export type BackwardRule = (outputGrad: TensorData) => void;

/** Options for creating a leaf tensor (a parameter or an input, not the result of an op). */
export interface TensorOptions {
  /** "float32" (default, for training) or "float64" (for gradient checks). */
  dtype?: DType;
  /** Whether gradients should flow into this tensor (true for parameters); default false. */
  requiresGrad?: boolean;
}

/**
 * An n-dimensional array of numbers with an optional gradient and the op that produced it.
 *
 * Create leaves with {@linkcode tensor} or {@linkcode zeros}; ops create the rest.
 */
export class Tensor {
  /** The entries in row-major order: the last axis varies fastest. */
  readonly data: TensorData;
  /** The length of each axis, e.g. `[B, T, C]`; `[]` for a scalar. */
  readonly shape: readonly number[];
  /** True for parameters and for every result computed from one. */
  readonly requiresGrad: boolean;
  /** The name of the op that produced this tensor ("leaf" for inputs and parameters). */
  readonly op: string;
  /** The tensors this one was computed from. */
  readonly inputs: readonly Tensor[];
  /**
   * ∂loss/∂data after {@linkcode Tensor.backward}, same layout as `data`; `undefined` until a
   * gradient arrives. Leaves accumulate across backward passes until {@linkcode zeroGrad}.
   */
  grad: TensorData | undefined = undefined;
  readonly #backward: BackwardRule | undefined;

  /**
   * Use {@linkcode tensor}, {@linkcode zeros} or an op; the constructor does not check its input.
   *
   * @param data The entries (kept, not copied).
   * @param shape The axis lengths; their product must equal `data.length`.
   * @param requiresGrad Whether gradients flow into this tensor.
   * @param op The producing op's name.
   * @param inputs The op's inputs.
   * @param backward The op's backward rule.
   */
  constructor(
    data: TensorData,
    shape: readonly number[],
    requiresGrad = false,
    op = "leaf",
    inputs: readonly Tensor[] = [],
    backward: BackwardRule | undefined = undefined,
  ) {
    this.data = data;
    this.shape = Object.freeze([...shape]);
    this.requiresGrad = requiresGrad;
    this.op = op;
    this.inputs = inputs;
    this.#backward = backward;
  }

  /** "float32" or "float64". */
  get dtype(): DType {
    return this.data instanceof Float64Array ? "float64" : "float32";
  }

  /** The number of entries: the product of the shape. */
  get size(): number {
    return this.data.length;
  }

  /**
   * The single entry of a one-entry tensor, e.g. a loss.
   *
   * @returns `data[0]`.
   * @throws {RangeError} When the tensor has more than one entry.
   */
  item(): number {
    if (this.data.length !== 1) {
      throw new RangeError(
        `\`item()\` needs a tensor with one entry, got shape ${formatValue(this.shape)}`,
      );
    }
    return this.data[0]!;
  }

  /**
   * Backpropagation: fills `grad` of every tensor this one was computed from.
   *
   * Formula: with L = Σ_i seed_i · this_i (L = this for a scalar and the default seed 1), sets
   * this.grad = seed, then visits the ops in reverse topological order, each adding
   * (∂L/∂output) · (∂output/∂input) into its inputs' `grad` (the chain rule). Runs in the time of
   * one forward pass, roughly.
   *
   * @param seed ∂L/∂this; default 1, allowed only for a one-entry tensor.
   * @throws {RangeError} When no gradient can flow (`requiresGrad` false), or `seed` is missing for
   * a tensor of several entries, or has the wrong length.
   * @example d(x² + x)/dx at x = 3 is 2·3 + 1 = 7
   * ```ts
   * import assert from "node:assert/strict";
   * import { add, mul, tensor } from "./mod.ts";
   *
   * const x = tensor([3], [], { dtype: "float64", requiresGrad: true });
   * add(mul(x, x), x).backward();
   * assert.deepEqual([...x.grad!], [7]);
   * ```
   */
  backward(seed?: ArrayLike<number>): void {
    if (!this.requiresGrad) {
      throw new RangeError(
        "`backward()` needs a tensor computed from at least one tensor with `requiresGrad: true`",
      );
    }
    if (seed === undefined && this.size !== 1) {
      throw new RangeError(
        `\`seed\` is needed for a tensor of ${this.size} entries (shape ${
          formatValue(this.shape)
        }); a loss should be one number`,
      );
    }
    if (seed !== undefined && seed.length !== this.size) {
      throw new RangeError(`\`seed\` must have ${this.size} entries, got ${seed.length}`);
    }
    const order: Tensor[] = [];
    const visited = new Set<Tensor>();
    const visit = (t: Tensor): void => {
      if (visited.has(t) || !t.requiresGrad) return;
      visited.add(t);
      for (const input of t.inputs) visit(input);
      order.push(t);
    };
    visit(this);
    const grad = gradOf(this);
    for (let i = 0; i < grad.length; i++) grad[i]! += seed === undefined ? 1 : seed[i]!;
    for (let i = order.length - 1; i >= 0; i--) {
      const t = order[i]!;
      if (t.#backward !== undefined && t.grad !== undefined) t.#backward(t.grad);
    }
  }
}

/** A new zero-filled array of the given dtype. */
export function allocate(dtype: DType, length: number): TensorData {
  return dtype === "float64" ? new Float64Array(length) : new Float32Array(length);
}

/** The product of the axis lengths, checking each is a non-negative integer. */
export function shapeSize(shape: readonly number[], name = "shape"): number {
  if (!Array.isArray(shape)) {
    throw new TypeError(`\`${name}\` must be an array of axis lengths, got ${formatValue(shape)}`);
  }
  let size = 1;
  for (const length of shape) {
    if (!Number.isInteger(length) || length < 0) {
      throw new RangeError(
        `\`${name}\` must hold integers >= 0, got ${formatValue(shape)}`,
      );
    }
    size *= length;
  }
  return size;
}

/**
 * A leaf tensor from numbers.
 *
 * Formula: data = values copied in row-major order, rounded to the dtype.
 *
 * @param values The entries, row-major (not modified).
 * @param shape The axis lengths; default `[values.length]`. `[]` makes a scalar.
 * @param options `dtype` ("float32" default) and `requiresGrad` (default false).
 * @returns A new tensor.
 * @throws {TypeError} When `values` is not array-like or an entry is not a number.
 * @throws {RangeError} When the shape does not hold exactly `values.length` entries.
 * Running cost: O(size).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tensor } from "./tensor.ts";
 *
 * const x = tensor([1, 2, 3, 4, 5, 6], [2, 3]);
 * assert.deepEqual(x.shape, [2, 3]);
 * assert.equal(x.dtype, "float32");
 * assert.equal(x.data[1 * 3 + 2], 6); // row 1, column 2
 * ```
 */
export function tensor(
  values: ArrayLike<number>,
  shape?: readonly number[],
  options: TensorOptions = {},
): Tensor {
  if (values === null || typeof values !== "object" || typeof values.length !== "number") {
    throw new TypeError(`\`values\` must be an array of numbers, got ${formatValue(values)}`);
  }
  const axes = shape ?? [values.length];
  const size = shapeSize(axes);
  if (size !== values.length) {
    throw new RangeError(
      `\`shape\` ${formatValue(axes)} holds ${size} entries but \`values\` has ${values.length}`,
    );
  }
  const data = allocate(checkDType(options.dtype ?? "float32"), size);
  for (let i = 0; i < size; i++) {
    const v = values[i];
    if (typeof v !== "number") {
      throw new TypeError(`\`values[${i}]\` must be a number, got ${formatValue(v)}`);
    }
    data[i] = v;
  }
  return new Tensor(data, axes, options.requiresGrad ?? false);
}

/**
 * A leaf tensor of zeros.
 *
 * @param shape The axis lengths.
 * @param options `dtype` ("float32" default) and `requiresGrad` (default false).
 * @returns A new tensor filled with 0.
 * @throws {RangeError} When an axis length is not an integer >= 0.
 * Running cost: O(size).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { zeros } from "./tensor.ts";
 *
 * assert.deepEqual([...zeros([2, 2], { dtype: "float64" }).data], [0, 0, 0, 0]);
 * ```
 */
export function zeros(shape: readonly number[], options: TensorOptions = {}): Tensor {
  const size = shapeSize(shape);
  return new Tensor(
    allocate(checkDType(options.dtype ?? "float32"), size),
    shape,
    options.requiresGrad ?? false,
  );
}

function checkDType(dtype: DType): DType {
  if (dtype !== "float32" && dtype !== "float64") {
    throw new RangeError(`\`dtype\` must be "float32" or "float64", got ${formatValue(dtype)}`);
  }
  return dtype;
}

/**
 * The gradient buffer of `t`, created as zeros on first use: where a backward rule adds its
 * share.
 *
 * @param t A tensor with `requiresGrad`.
 * @returns `t.grad`, same dtype and length as `t.data`.
 */
export function gradOf(t: Tensor): TensorData {
  if (t.grad === undefined) t.grad = allocate(t.dtype, t.size);
  return t.grad;
}

/**
 * Wraps an op's output: the result tensor remembers its inputs and backward rule when a gradient
 * can reach any input, and is a plain constant otherwise (so inference builds no graph).
 *
 * @param data The op's output entries.
 * @param shape The output shape.
 * @param op The op's name, for reading a graph.
 * @param inputs The op's tensor inputs.
 * @param backward The rule adding ∂loss/∂input into each input's grad.
 * @returns The output tensor.
 */
export function opResult(
  data: TensorData,
  shape: readonly number[],
  op: string,
  inputs: readonly Tensor[],
  backward: BackwardRule,
): Tensor {
  const requiresGrad = inputs.some((t) => t.requiresGrad);
  return requiresGrad
    ? new Tensor(data, shape, true, op, inputs, backward)
    : new Tensor(data, shape, false, op);
}

/**
 * Checks that every tensor argument of an op has the dtype of the first.
 *
 * @param op The op's name for the message.
 * @param named `[name, tensor]` pairs in parameter order.
 * @returns The shared dtype.
 * @throws {TypeError} When an argument is not a Tensor or dtypes differ.
 */
export function checkTensors(op: string, ...named: [string, Tensor][]): DType {
  let dtype: DType | undefined;
  for (const [name, t] of named) {
    if (!(t instanceof Tensor)) {
      throw new TypeError(`\`${name}\` of ${op}() must be a Tensor, got ${formatValue(t)}`);
    }
    dtype ??= t.dtype;
    if (t.dtype !== dtype) {
      throw new TypeError(
        `\`${name}\` of ${op}() must have dtype ${dtype} like \`${named[0]![0]}\`, got ${t.dtype}`,
      );
    }
  }
  return dtype!;
}

/**
 * Resets the gradients of parameters before the next backward pass (leaves accumulate).
 *
 * @param parameters The tensors whose `grad` to clear.
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tensor, zeroGrad } from "./tensor.ts";
 *
 * const w = tensor([1], [], { requiresGrad: true });
 * w.grad = new Float32Array([5]);
 * zeroGrad([w]);
 * assert.deepEqual([...w.grad], [0]);
 * ```
 */
export function zeroGrad(parameters: Iterable<Tensor>): void {
  for (const p of parameters) p.grad?.fill(0);
}
