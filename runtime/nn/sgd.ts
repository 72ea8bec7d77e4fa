// Stochastic gradient descent with momentum and Nesterov, as MindSpore's nn.SGD, updating
// Parameters in place with plain loops over one float64 accumulator per Parameter.

import { TypedArray } from '../dtype.js';
import { Parameter } from '../parameter.js';
import { Optimizer, zeroState } from './optimizer.js';
import { checkChoice, checkRange } from './validate.js';

/** SGD's settings, as MindSpore's keyword arguments. */
export interface SGDOptions {
  /** Step size; default 0.1 (MindSpore's). */
  learningRate?: number;
  /** Momentum factor u ≥ 0; default 0 (plain SGD). */
  momentum?: number;
  /** Dampening d of the gradient in the accumulator; default 0. */
  dampening?: number;
  /** L2 penalty λ: g ← g + λ·p before the update; default 0. */
  weightDecay?: number;
  /** Nesterov momentum (needs momentum > 0 and dampening 0); default false. */
  nesterov?: boolean;
}

/**
 * SGD: with g the gradient (plus λ·p), and v the accumulator (v = g on the first step),
 * `v ← u·v + (1 − d)·g`, then `p ← p − lr·(g + u·v)` with Nesterov, else `p ← p − lr·v`.
 * With momentum 0: `p ← p − lr·g`.
 *
 * @example
 * const opt = new nn.SGD(net.trainableParams(), { learningRate: 0.01, momentum: 0.9 });
 * const grads = grad(lossNet, { gradPosition: null, weights: opt.parameters })(x, y);
 * opt(grads);                                        // or opt.step(grads)
 */
export class SGD extends Optimizer {
  readonly momentum: number;
  readonly dampening: number;
  readonly nesterov: boolean;
  private readonly accum: Float64Array[];

  constructor(params: Iterable<Parameter>, options: SGDOptions = {}) {
    const { learningRate = 0.1, momentum = 0, dampening = 0, weightDecay = 0, nesterov = false } = options;
    super('SGD', params, learningRate, weightDecay);
    checkRange('SGD', 'momentum', momentum, 0);
    checkRange('SGD', 'dampening', dampening, 0, 1, true);
    checkChoice('SGD', 'nesterov', nesterov, [true, false]);
    if (nesterov && (momentum <= 0 || dampening !== 0)) {
      throw new RangeError(`SGD: nesterov needs momentum > 0 and dampening 0, got momentum ${momentum}, dampening ${dampening}`);
    }
    this.momentum = momentum;
    this.dampening = dampening;
    this.nesterov = nesterov;
    this.accum = momentum > 0 ? zeroState(this.parameters) : [];
  }

  protected update(index: number, p: TypedArray, g: TypedArray): void {
    const lr = this.learningRate;
    const wd = this.weightDecay;
    if (this.momentum === 0) {
      for (let i = 0; i < p.length; i++) p[i] -= lr * (g[i] + wd * p[i]);
      return;
    }
    const v = this.accum[index];
    const u = this.momentum;
    const keep = this.stepCount === 1 ? 1 : 1 - this.dampening;
    const nesterov = this.nesterov;
    for (let i = 0; i < p.length; i++) {
      const gi = g[i] + wd * p[i];
      const vi = u * v[i] + keep * gi;
      v[i] = vi;
      p[i] -= lr * (nesterov ? gi + u * vi : vi);
    }
  }
}
