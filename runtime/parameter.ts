// Parameters: the trainable tensors a Cell holds. A Parameter owns its storage (a copy
// of the tensor it was made from); optimisers update that storage in place, so every op
// that reads the Parameter afterwards sees the new values. ParameterTuple is an ordered,
// immutable, array-like group of distinct Parameters (what `grad`'s `weights` takes).

import { sameShape } from './shape.js';
import { Tensor } from './tensor.js';
import { freezeViews } from './views.js';

/**
 * A trainable tensor held by a Cell. It is a Tensor (every op accepts it) whose data an
 * optimiser may overwrite in place.
 *
 * @example
 * const z = new Parameter(new Tensor([1.0]), 'z');
 * z.assign(new Tensor([2.0]));        // same shape and dtype, copied in place
 * z.requiresGrad = false;             // no longer listed by `trainableParams()`
 */
export class Parameter extends Tensor {
  /** The name given at construction (a Cell's `namedParameters()` gives its path). */
  name: string;
  /** Whether the Parameter is trainable: `trainableParams()` lists only these. */
  requiresGrad: boolean;

  constructor(tensor: Tensor, name: string, requiresGrad = true) {
    if (!(tensor instanceof Tensor)) {
      throw new TypeError(`Parameter: expected a Tensor as initial value, got ${describe(tensor)}`);
    }
    if (typeof name !== 'string') {
      throw new TypeError(`Parameter: expected a string name, got ${describe(name)}`);
    }
    super(tensor.data, { dtype: tensor.dtype, shape: tensor.shape });
    this.name = name;
    this.requiresGrad = requiresGrad;
  }

  /** Brand read by the compiler's type checks: values of this type are Parameters. */
  get __tsgradParameter(): true {
    return true;
  }

  /**
   * Copies `value`'s data into this Parameter's storage. The shape and dtype must match.
   * Returns this Parameter.
   *
   * @mutates the Parameter (the compiler refuses it in differentiated code: TSG1006)
   */
  assign(value: Tensor): this {
    if (!(value instanceof Tensor)) {
      throw new TypeError(`Parameter '${this.name}'.assign: expected a Tensor, got ${describe(value)}`);
    }
    if (!sameShape(value.shape, this.shape)) {
      throw new RangeError(
        `Parameter '${this.name}'.assign: shape mismatch: the Parameter has shape [${this.shape.join(', ')}], ` +
          `the value has shape [${value.shape.join(', ')}]`,
      );
    }
    if (value.dtype !== this.dtype) {
      throw new TypeError(
        `Parameter '${this.name}'.assign: dtype mismatch: the Parameter is ${this.dtype}, the value is ${value.dtype}`,
      );
    }
    freezeViews(this);
    this.data.set(value.data);
    return this;
  }
}

/**
 * An ordered, immutable, array-like group of distinct Parameters: indexable, iterable,
 * with a `length`. Built from any iterable of Parameters (an array, `net.trainableParams()`).
 *
 * @example
 * const params = new ParameterTuple(net.trainableParams());
 * params.length; params[0]; for (const p of params) print(p.name);
 */
export class ParameterTuple implements Iterable<Parameter> {
  readonly [index: number]: Parameter;
  readonly length: number;

  constructor(params: Iterable<Parameter>) {
    if (params === null || typeof params !== 'object' || !(Symbol.iterator in params)) {
      throw new TypeError(`ParameterTuple: expected an iterable of Parameters, got ${describe(params)}`);
    }
    const items = [...params];
    items.forEach((p, i) => checkMember(p, i, items));
    items.forEach((p, i) => Object.defineProperty(this, i, { value: p, enumerable: true }));
    this.length = items.length;
    Object.freeze(this);
  }

  [Symbol.iterator](): Iterator<Parameter> {
    return this.toArray()[Symbol.iterator]();
  }

  /** The Parameters as a fresh array. */
  toArray(): Parameter[] {
    return Array.from({ length: this.length }, (_, i) => this[i]);
  }

  /** The Parameter at `index`; negative indices count from the end. */
  at(index: number): Parameter | undefined {
    return this.toArray().at(index);
  }

  indexOf(param: Parameter): number {
    return this.toArray().indexOf(param);
  }

  includes(param: Parameter): boolean {
    return this.indexOf(param) >= 0;
  }

  map<T>(f: (param: Parameter, index: number) => T): T[] {
    return this.toArray().map((p, i) => f(p, i));
  }

  forEach(f: (param: Parameter, index: number) => void): void {
    this.toArray().forEach((p, i) => f(p, i));
  }

  get __tsgradParameterTuple(): true {
    return true;
  }
}

function checkMember(p: unknown, i: number, items: readonly unknown[]): void {
  if (!(p instanceof Parameter)) {
    throw new TypeError(`ParameterTuple: element ${i} is not a Parameter (got ${describe(p)})`);
  }
  const first = items.indexOf(p);
  if (first !== i) {
    throw new RangeError(`ParameterTuple: Parameter '${p.name}' appears twice (elements ${first} and ${i})`);
  }
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (x === undefined) return 'undefined';
  if (Array.isArray(x)) return 'an array';
  if (x instanceof Tensor) return `a Tensor of shape [${x.shape.join(', ')}]`;
  if (typeof x === 'object' || typeof x === 'function') return x.constructor?.name ?? typeof x;
  return `${typeof x} ${JSON.stringify(x)}`;
}
