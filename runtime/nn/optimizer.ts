// The optimiser base: holds a ParameterTuple, checks a step's gradients against it (count
// and shapes, all before any update, so a bad step changes nothing), and hands each
// Parameter's storage and gradient to the subclass's in-place update. Instances are
// callable: `opt(grads)` is `opt.step(grads)`, as MindSpore's `optimizer(grads)`.

import { Parameter, ParameterTuple } from '../parameter.js';
import { fmt, sameShape } from '../shape.js';
import { Tensor } from '../tensor.js';
import { freezeViews } from '../views.js';
import { TypedArray } from '../dtype.js';
import { makeCallable } from './callable.js';
import { checkRange } from './validate.js';

/** Declaration merging gives optimisers their call signature: `opt(grads)`. */
export interface Optimizer {
  /** Applies one step (see `step`). @mutates the Parameters (TSG1006 in differentiated code) */
  (grads: Iterable<Tensor>): void;
}

/**
 * Base of SGD and Adam. Subclasses implement `update(index, param, grad)` with plain
 * typed-array loops over state created once in their constructor.
 */
export abstract class Optimizer {
  /** The Parameters updated, in the order gradients are given. */
  declare readonly parameters: ParameterTuple;
  /** The step size; may be changed between steps (a manual schedule). */
  declare learningRate: number;
  /** L2 penalty: each gradient gets `weightDecay · param` added before the update. */
  declare readonly weightDecay: number;
  /** How many steps have been applied. */
  declare stepCount: number;

  constructor(owner: string, params: Iterable<Parameter>, learningRate: number, weightDecay: number) {
    checkRange(owner, 'learningRate', learningRate, 0);
    checkRange(owner, 'weightDecay', weightDecay, 0);
    const self = makeCallable<Optimizer>(new.target.prototype, 'step', owner);
    const parameters = toParameterTuple(owner, params);
    Object.assign(self, { parameters, learningRate, weightDecay, stepCount: 0 });
    return self;
  }

  /**
   * Applies one step: `grads[i]` is the gradient of `parameters[i]` (same shape). The
   * Parameters are updated in place.
   *
   * @mutates the Parameters (the compiler refuses it in differentiated code: TSG1006)
   */
  step(grads: Iterable<Tensor>): void {
    const list = this.checkGrads(grads);
    this.stepCount += 1;
    for (let i = 0; i < list.length; i++) {
      // Unread transposed views of the Parameter keep the values they were made from.
      freezeViews(this.parameters[i]);
      this.update(i, this.parameters[i].data, list[i].data);
    }
  }

  /** Updates `param` (a Parameter's storage) in place from `grad`, for parameter `index`. */
  protected abstract update(index: number, param: TypedArray, grad: TypedArray): void;

  private checkGrads(grads: Iterable<Tensor>): readonly Tensor[] {
    const owner = this.constructor.name;
    if (grads === null || typeof grads !== 'object' || !(Symbol.iterator in grads)) {
      throw new TypeError(`${owner}.step: expected an array of gradient Tensors, got ${String(grads)}`);
    }
    const list = Array.isArray(grads) ? (grads as readonly Tensor[]) : [...grads];
    if (list.length !== this.parameters.length) {
      throw new RangeError(
        `${owner}.step: got ${list.length} gradients for ${this.parameters.length} Parameters (one gradient per Parameter, in order)`,
      );
    }
    list.forEach((g, i) => checkGrad(owner, this.parameters[i], g, i));
    return list;
  }
}

function checkGrad(owner: string, param: Parameter, grad: unknown, i: number): void {
  if (!(grad instanceof Tensor)) {
    throw new TypeError(`${owner}.step: gradient ${i} (for Parameter '${param.name}') is not a Tensor`);
  }
  if (!sameShape(grad.shape, param.shape)) {
    throw new RangeError(
      `${owner}.step: gradient ${i} has shape ${fmt(grad.shape)}, but Parameter '${param.name}' has shape ${fmt(param.shape)}`,
    );
  }
}

function toParameterTuple(owner: string, params: Iterable<Parameter>): ParameterTuple {
  if (params instanceof ParameterTuple) return params;
  try {
    return new ParameterTuple(params);
  } catch (e) {
    throw new TypeError(`${owner}: params must be Parameters: ${(e as Error).message}`);
  }
}

/** One state array per Parameter, float64 for accuracy, zero-filled. */
export function zeroState(params: ParameterTuple): Float64Array[] {
  return params.map((p) => new Float64Array(p.size));
}
