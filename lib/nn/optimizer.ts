/**
 * How the weights move once the gradients are known: the AdamW optimizer (Kingma & Ba, 2015;
 * Loshchilov & Hutter, 2019), gradient-norm clipping, and a learning-rate schedule with linear
 * warm-up and cosine decay. An optimizer owns its running averages; nothing here is global.
 *
 * @module
 */

import { formatValue } from "../_validate.ts";
import { allocate, type Tensor, type TensorData } from "./tensor.ts";

/** Options of {@link AdamW}. */
export interface AdamWOptions {
  /** Step size η > 0; default 1e-3. {@link AdamW.step} can override it per step (a schedule). */
  learningRate?: number;
  /** β₁ in [0, 1): decay of the running mean of gradients; default 0.9. */
  beta1?: number;
  /** β₂ in [0, 1): decay of the running mean of squared gradients; default 0.999. */
  beta2?: number;
  /** ε > 0 added to √v̂ to avoid dividing by 0; default 1e-8. */
  epsilon?: number;
  /**
   * λ >= 0: decoupled weight decay, applied to parameters of rank >= 2 only (weight matrices and
   * embedding tables; never biases or layer-norm gains); default 0.
   */
  weightDecay?: number;
}

/** The moment estimates of {@link AdamW}, to save or copy a run in progress. */
export interface AdamWState {
  /** Steps taken so far. */
  step: number;
  /** Running mean of the gradients, one array per parameter. */
  m: TensorData[];
  /** Running mean of the squared gradients, one array per parameter. */
  v: TensorData[];
}

function checkRate(value: number, name: string, low: number, high: number): number {
  if (!(value >= low && value < high)) {
    throw new RangeError(`\`${name}\` must be in [${low}, ${high}), got ${formatValue(value)}`);
  }
  return value;
}

/**
 * AdamW: gradient descent with a per-weight step size from running averages of the gradient and
 * its square, plus decoupled weight decay.
 *
 * Formula, for each weight w with gradient g at step t = 1, 2, …:
 * m ← β₁ m + (1 − β₁) g; v ← β₂ v + (1 − β₂) g²; m̂ = m / (1 − β₁ᵗ); v̂ = v / (1 − β₂ᵗ);
 * w ← w − η (m̂ / (√v̂ + ε) + λ w), with λ = 0 for parameters of rank < 2.
 * Running cost: O(number of weights) per step.
 *
 * @example Minimising (w − 3)²
 * ```ts
 * import assert from "node:assert/strict";
 * import { AdamW, add, mul, tensor } from "./mod.ts";
 *
 * const w = tensor([0], [], { dtype: "float64", requiresGrad: true });
 * const optimizer = new AdamW([w], { learningRate: 0.1 });
 * const minusThree = tensor([-3], [], { dtype: "float64" });
 * for (let i = 0; i < 300; i++) {
 *   optimizer.zeroGrad();
 *   const d = add(w, minusThree);
 *   mul(d, d).backward();
 *   optimizer.step();
 * }
 * assert.ok(Math.abs(w.item() - 3) < 1e-3);
 * ```
 */
export class AdamW {
  /** The tensors this optimizer updates, in a fixed order. */
  readonly parameters: readonly Tensor[];
  /** The default step size η. */
  readonly learningRate: number;
  /** β₁. */
  readonly beta1: number;
  /** β₂. */
  readonly beta2: number;
  /** ε. */
  readonly epsilon: number;
  /** λ. */
  readonly weightDecay: number;
  #step = 0;
  readonly #m: TensorData[];
  readonly #v: TensorData[];

  /**
   * @param parameters The tensors to update (each with `requiresGrad`).
   * @param options η, β₁, β₂, ε, λ (see {@link AdamWOptions}).
   * @throws {RangeError} When an option is out of range or a parameter does not require grad.
   */
  constructor(parameters: Iterable<Tensor>, options: AdamWOptions = {}) {
    this.parameters = [...parameters];
    this.parameters.forEach((p, i) => {
      if (!p.requiresGrad) {
        throw new RangeError(`\`parameters[${i}]\` must have \`requiresGrad: true\``);
      }
    });
    this.learningRate = options.learningRate ?? 1e-3;
    if (!(this.learningRate > 0 && Number.isFinite(this.learningRate))) {
      throw new RangeError(
        `\`learningRate\` must be a finite number > 0, got ${formatValue(this.learningRate)}`,
      );
    }
    this.beta1 = checkRate(options.beta1 ?? 0.9, "beta1", 0, 1);
    this.beta2 = checkRate(options.beta2 ?? 0.999, "beta2", 0, 1);
    this.epsilon = options.epsilon ?? 1e-8;
    if (!(this.epsilon > 0 && Number.isFinite(this.epsilon))) {
      throw new RangeError(
        `\`epsilon\` must be a finite number > 0, got ${formatValue(this.epsilon)}`,
      );
    }
    this.weightDecay = options.weightDecay ?? 0;
    if (!(this.weightDecay >= 0 && Number.isFinite(this.weightDecay))) {
      throw new RangeError(
        `\`weightDecay\` must be a finite number >= 0, got ${formatValue(this.weightDecay)}`,
      );
    }
    this.#m = this.parameters.map((p) => allocate(p.dtype, p.size));
    this.#v = this.parameters.map((p) => allocate(p.dtype, p.size));
  }

  /** The number of steps taken. */
  get stepCount(): number {
    return this.#step;
  }

  /** Clears the gradients of every parameter (call before each backward pass). */
  zeroGrad(): void {
    for (const p of this.parameters) p.grad?.fill(0);
  }

  /**
   * One update of every parameter from its current `grad` (a parameter with no gradient yet is
   * treated as having gradient 0).
   *
   * @param learningRate η for this step; default the constructor's.
   * @throws {RangeError} When `learningRate` is not a finite number >= 0.
   */
  step(learningRate: number = this.learningRate): void {
    if (!(learningRate >= 0 && Number.isFinite(learningRate))) {
      throw new RangeError(
        `\`learningRate\` must be a finite number >= 0, got ${formatValue(learningRate)}`,
      );
    }
    this.#step++;
    const { beta1, beta2, epsilon } = this;
    const correction1 = 1 - beta1 ** this.#step;
    const correction2 = 1 - beta2 ** this.#step;
    this.parameters.forEach((p, i) => {
      const w = p.data;
      const g = p.grad;
      const m = this.#m[i]!;
      const v = this.#v[i]!;
      const decay = p.shape.length >= 2 ? this.weightDecay : 0;
      for (let j = 0; j < w.length; j++) {
        const gj = g === undefined ? 0 : g[j]!;
        m[j] = beta1 * m[j]! + (1 - beta1) * gj;
        v[j] = beta2 * v[j]! + (1 - beta2) * gj * gj;
        const mHat = m[j]! / correction1;
        const vHat = v[j]! / correction2;
        w[j] = w[j]! - learningRate * (mHat / (Math.sqrt(vHat) + epsilon) + decay * w[j]!);
      }
    });
  }

  /**
   * A copy of the step count and moment estimates.
   *
   * @returns `{ step, m, v }` (new arrays).
   */
  state(): AdamWState {
    return { step: this.#step, m: this.#m.map((a) => a.slice()), v: this.#v.map((a) => a.slice()) };
  }
}

/**
 * Scales all gradients down together when their combined length exceeds `maxNorm`, so that one
 * unlucky batch cannot throw the weights far away.
 *
 * Formula: n = √(Σ over every gradient entry g²); if n > maxNorm, every g ← g · maxNorm / n.
 *
 * @param parameters Tensors whose `grad` to clip (in place); those without a grad are skipped.
 * @param maxNorm The largest allowed norm, > 0.
 * @returns n, the norm before clipping.
 * @throws {RangeError} When `maxNorm` is not a number > 0.
 * Running cost: O(number of weights).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { clipGradientNorm, tensor } from "./mod.ts";
 *
 * const w = tensor([0, 0], [2], { dtype: "float64", requiresGrad: true });
 * w.grad = new Float64Array([3, 4]); // norm 5
 * assert.equal(clipGradientNorm([w], 1), 5);
 * assert.deepEqual([...w.grad].map((g) => g.toFixed(12)), ["0.600000000000", "0.800000000000"]);
 * ```
 */
export function clipGradientNorm(parameters: Iterable<Tensor>, maxNorm: number): number {
  if (!(maxNorm > 0)) {
    throw new RangeError(`\`maxNorm\` must be a number > 0, got ${formatValue(maxNorm)}`);
  }
  const list = [...parameters];
  let sum = 0;
  for (const p of list) {
    if (p.grad === undefined) continue;
    for (let j = 0; j < p.grad.length; j++) sum += p.grad[j]! * p.grad[j]!;
  }
  const norm = Math.sqrt(sum);
  if (norm > maxNorm) {
    const scale = maxNorm / norm;
    for (const p of list) {
      if (p.grad === undefined) continue;
      for (let j = 0; j < p.grad.length; j++) p.grad[j]! *= scale;
    }
  }
  return norm;
}

/** Options of {@link warmupCosine}. */
export interface ScheduleOptions {
  /** The peak learning rate η, reached at the end of the warm-up. */
  peak: number;
  /** Steps of linear warm-up from η / warmupSteps to η; default 0. */
  warmupSteps?: number;
  /** The total number of steps: the decay ends there. */
  totalSteps: number;
  /** The final rate as a fraction of η; default 0.1. */
  finalFraction?: number;
}

/**
 * The learning rate at a step: linear warm-up, then cosine decay to a fraction of the peak.
 *
 * Formula, for step s = 0, 1, …: if s < W: η (s + 1) / W; else with
 * p = min(1, (s − W) / max(1, S − W)): η (f + (1 − f) · ½ (1 + cos(π p))).
 *
 * @param step The step index s >= 0 (0-based).
 * @param options `peak` η, `warmupSteps` W, `totalSteps` S, `finalFraction` f.
 * @returns The learning rate for that step.
 * @throws {RangeError} When a value is out of range.
 * Running cost: O(1).
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { warmupCosine } from "./optimizer.ts";
 *
 * const options = { peak: 1, warmupSteps: 10, totalSteps: 110, finalFraction: 0.1 };
 * assert.equal(warmupCosine(4, options), 0.5);
 * assert.equal(warmupCosine(10, options), 1);
 * assert.equal(warmupCosine(110, options), 0.1);
 * ```
 */
export function warmupCosine(step: number, options: ScheduleOptions): number {
  const { peak, totalSteps } = options;
  const warmup = options.warmupSteps ?? 0;
  const final = options.finalFraction ?? 0.1;
  if (!(Number.isInteger(step) && step >= 0)) {
    throw new RangeError(`\`step\` must be an integer >= 0, got ${formatValue(step)}`);
  }
  if (!(peak > 0 && Number.isFinite(peak))) {
    throw new RangeError(`\`peak\` must be a finite number > 0, got ${formatValue(peak)}`);
  }
  if (!(Number.isInteger(warmup) && warmup >= 0)) {
    throw new RangeError(`\`warmupSteps\` must be an integer >= 0, got ${formatValue(warmup)}`);
  }
  if (!(Number.isInteger(totalSteps) && totalSteps >= 1)) {
    throw new RangeError(`\`totalSteps\` must be an integer >= 1, got ${formatValue(totalSteps)}`);
  }
  if (!(final >= 0 && final <= 1)) {
    throw new RangeError(`\`finalFraction\` must be in [0, 1], got ${formatValue(final)}`);
  }
  if (step < warmup) return (peak * (step + 1)) / warmup;
  const progress = Math.min(1, (step - warmup) / Math.max(1, totalSteps - warmup));
  return peak * (final + (1 - final) * 0.5 * (1 + Math.cos(Math.PI * progress)));
}
