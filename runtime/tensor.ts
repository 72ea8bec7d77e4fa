// The tensor: a row-major typed array with a shape and a dtype. Tensors are immutable
// values for every op; only a Parameter's storage is updated in place (by optimisers).

import { DType, TypedArray, bool_, dtypeOf, dtypeOfArray, float32 } from './dtype.js';

export type NestedArray = number | boolean | NestedArray[];
export type TensorData = NestedArray | TypedArray;

export interface TensorOptions {
  dtype?: DType | string;
  /** The shape of flat data (a typed array or a flat number[]). */
  shape?: readonly number[];
}

/** A tensor or a plain number: every op accepts both. */
export type TensorLike = Tensor | number;

/**
 * An n-dimensional array of float32, float64, int32 or bool elements.
 *
 * @example
 * const x = new Tensor([[1, 2], [3, 4]]);          // float32, shape [2, 2]
 * const y = new Tensor(new Float64Array(6), float64, { shape: [2, 3] });
 */
export class Tensor {
  readonly data: TypedArray;
  readonly shape: number[];
  readonly dtype: DType;

  constructor(data: TensorData, dtype?: DType | string | TensorOptions, options?: TensorOptions) {
    const opts: TensorOptions =
      dtype instanceof DType || typeof dtype === 'string' ? { ...options, dtype } : { ...dtype, ...options };
    const built = build(data, opts);
    this.data = built.data;
    this.shape = built.shape;
    this.dtype = built.dtype;
  }

  /** Wraps `data` without copying or checking: for kernels that just made it. */
  static fromData(data: TypedArray, shape: readonly number[], dtype: DType = dtypeOfArray(data)): Tensor {
    return new (WrappedTensor as unknown as WrappedTensorCtor)(data, shape, dtype);
  }

  get size(): number {
    return this.data.length;
  }

  get ndim(): number {
    return this.shape.length;
  }

  /** Brand read by the compiler's type checks: values of this type are tensors. */
  get __tsgradTensor(): true {
    return true;
  }

  /** Nested arrays of numbers (booleans for bool); a plain number for a 0-d tensor. */
  toArray(): NestedArray {
    const values = this.dtype === bool_ ? Array.from(this.data, (v) => v !== 0) : Array.from(this.data);
    if (this.shape.length === 0) return values[0];
    return nest(values, this.shape, 0, 0);
  }

  /** The lone element of a one-element tensor. */
  item(): number {
    if (this.size !== 1) {
      throw new RangeError(`item(): expected a tensor with one element, got shape [${this.shape.join(', ')}] (${this.size} elements)`);
    }
    return this.data[0];
  }

  toString(): string {
    return tensorRepr(this);
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/**
 * What `Tensor.fromData` builds with: a plain constructor whose instances are Tensors
 * (`Tensor.prototype`, so `instanceof Tensor` holds) with the three fields set in one
 * go. Every op result is made here, so this is on the path of each op call: a
 * constructor gives V8 one fixed object layout allocated inline, where
 * `Object.create` + three stores cost about twice as much (0.019 against 0.008 µs).
 */
function WrappedTensor(this: { data: TypedArray; shape: readonly number[]; dtype: DType }, data: TypedArray, shape: readonly number[], dtype: DType): void {
  this.data = data;
  this.shape = shape;
  this.dtype = dtype;
}
WrappedTensor.prototype = Tensor.prototype;
type WrappedTensorCtor = new (data: TypedArray, shape: readonly number[], dtype: DType) => Tensor;

/** Set by print.ts, which owns the formatting (kept apart so tensor.ts stays small). */
let tensorRepr: (t: Tensor) => string = (t) => `Tensor(shape=[${t.shape.join(', ')}], dtype=${t.dtype})`;
export function setTensorRepr(repr: (t: Tensor) => string): void {
  tensorRepr = repr;
}

function build(data: TensorData, opts: TensorOptions): { data: TypedArray; shape: number[]; dtype: DType } {
  const requested = opts.dtype === undefined ? undefined : dtypeOf(opts.dtype);
  if (ArrayBuffer.isView(data)) {
    const dtype = requested ?? dtypeOfArray(data);
    const shape = opts.shape ? [...opts.shape] : [data.length];
    checkSize(shape, data.length);
    const copy = dtype.alloc(data.length);
    copy.set(data);
    return { data: copy, shape, dtype };
  }
  const shape: number[] = [];
  inferShape(data, shape);
  checkRagged(data, shape, []);
  const flat: number[] = [];
  let sawBool = false;
  flatten(data, flat, () => (sawBool = true));
  const dtype = requested ?? (sawBool ? bool_ : float32);
  const finalShape = opts.shape ? [...opts.shape] : shape;
  checkSize(finalShape, flat.length);
  const out = dtype.alloc(flat.length);
  for (let i = 0; i < flat.length; i++) out[i] = flat[i];
  return { data: out, shape: finalShape, dtype };
}

function checkSize(shape: readonly number[], size: number): void {
  for (const d of shape) {
    if (!Number.isInteger(d) || d < 0) {
      throw new RangeError(`Tensor: expected a shape of non-negative integers, got [${shape.join(', ')}]`);
    }
  }
  const expected = shape.reduce((a, b) => a * b, 1);
  if (expected !== size) {
    throw new RangeError(`Tensor: shape [${shape.join(', ')}] needs ${expected} elements, got ${size}`);
  }
}

function inferShape(data: NestedArray, shape: number[]): void {
  if (Array.isArray(data)) {
    shape.push(data.length);
    if (data.length > 0) inferShape(data[0], shape);
  }
}

/** Every row at depth `depth` must have the length the first row set for that depth. */
function checkRagged(data: NestedArray, shape: readonly number[], path: number[]): void {
  const depth = path.length;
  if (depth === shape.length) {
    if (Array.isArray(data)) {
      throw new RangeError(`Tensor: ragged nested array: row ${where(path)} is an array of length ${data.length}, expected a scalar`);
    }
    if (typeof data !== 'number' && typeof data !== 'boolean') {
      throw new TypeError(`Tensor: expected numbers or booleans, got ${typeof data} at ${where(path)}`);
    }
    return;
  }
  if (!Array.isArray(data)) {
    throw new RangeError(`Tensor: ragged nested array: row ${where(path)} is a scalar, expected an array of length ${shape[depth]}`);
  }
  if (data.length !== shape[depth]) {
    throw new RangeError(`Tensor: ragged nested array: row ${where(path)} has length ${data.length}, expected ${shape[depth]}`);
  }
  for (let i = 0; i < data.length; i++) checkRagged(data[i], shape, [...path, i]);
}

function where(path: number[]): string {
  return path.length === 0 ? 'the top level' : path.map((i) => `[${i}]`).join('');
}

function flatten(data: NestedArray, out: number[], onBool: () => void): void {
  if (Array.isArray(data)) {
    for (const d of data) flatten(d, out, onBool);
  } else if (typeof data === 'boolean') {
    onBool();
    out.push(data ? 1 : 0);
  } else {
    out.push(data);
  }
}

function nest(values: (number | boolean)[], shape: readonly number[], dim: number, offset: number): NestedArray {
  const n = shape[dim];
  if (dim === shape.length - 1) return values.slice(offset, offset + n);
  const stride = shape.slice(dim + 1).reduce((a, b) => a * b, 1);
  const out: NestedArray[] = [];
  for (let i = 0; i < n; i++) out.push(nest(values, shape, dim + 1, offset + i * stride));
  return out;
}
