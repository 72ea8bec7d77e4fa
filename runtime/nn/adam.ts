// Adam, as MindSpore's nn.Adam: bias correction folded into the step size, eps added
// outside the square root. Updates Parameters in place with plain loops over two float64
// moment arrays per Parameter.

import { TypedArray } from '../dtype.js';
import { Parameter } from '../parameter.js';
import { Optimizer, zeroState } from './optimizer.js';
import { checkRange } from './validate.js';

/** Adam's settings, as MindSpore's keyword arguments. */
export interface AdamOptions {
  /** Step size α; default 1e-3. */
  learningRate?: number;
  /** Decay of the first moment, in [0, 1); default 0.9. */
  beta1?: number;
  /** Decay of the second moment, in [0, 1); default 0.999. */
  beta2?: number;
  /** Added to √v, > 0; default 1e-8. */
  eps?: number;
  /** L2 penalty λ: g ← g + λ·p before the update; default 0. */
  weightDecay?: number;
}

/**
 * Adam: with g the gradient (plus λ·p) at step t,
 * `m ← β1·m + (1 − β1)·g`, `v ← β2·v + (1 − β2)·g²`,
 * `p ← p − α·√(1 − β2^t)/(1 − β1^t) · m/(√v + eps)`.
 *
 * @example
 * const opt = new nn.Adam(net.trainableParams(), { learningRate: 1e-2 });
 * opt(grad(lossNet, { gradPosition: null, weights: opt.parameters })(x, y));
 */
export class Adam extends Optimizer {
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  private readonly m: Float64Array[];
  private readonly v: Float64Array[];

  constructor(params: Iterable<Parameter>, options: AdamOptions = {}) {
    const { learningRate = 1e-3, beta1 = 0.9, beta2 = 0.999, eps = 1e-8, weightDecay = 0 } = options;
    super('Adam', params, learningRate, weightDecay);
    checkRange('Adam', 'beta1', beta1, 0, 1);
    checkRange('Adam', 'beta2', beta2, 0, 1);
    checkRange('Adam', 'eps', eps, Number.MIN_VALUE);
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.eps = eps;
    this.m = zeroState(this.parameters);
    this.v = zeroState(this.parameters);
  }

  protected update(index: number, p: TypedArray, g: TypedArray): void {
    const { beta1: b1, beta2: b2, eps, weightDecay: wd } = this;
    const t = this.stepCount;
    const stepSize = (this.learningRate * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
    const m = this.m[index];
    const v = this.v[index];
    for (let i = 0; i < p.length; i++) {
      const gi = g[i] + wd * p[i];
      const mi = b1 * m[i] + (1 - b1) * gi;
      const vi = b2 * v[i] + (1 - b2) * gi * gi;
      m[i] = mi;
      v[i] = vi;
      p[i] -= (stepSize * mi) / (Math.sqrt(vi) + eps);
    }
  }
}
