// Data types of tensors and how they combine. The promotion order is
// bool < int32 < float32 < float64: a binary op takes the wider of its operands' dtypes,
// so int32 with float32 gives float32. A plain `number` operand is "weak": it takes the
// tensor's dtype when that is a float, and float32 when the tensor is int32 or bool and
// the number is not an integer. Arithmetic on bool counts in int32 (True + True = 2);
// comparisons give bool; div and the transcendental functions (sin, exp, sqrt, ...) give
// a float (int32 and bool become float32); reductions keep the dtype (sum of bool: int32,
// mean: a float).

import { allocFloat32, allocFloat64, allocInt32, allocUint8 } from './storage.js';

export type TypedArray = Float32Array | Float64Array | Int32Array | Uint8Array;
export type DTypeName = 'float32' | 'float64' | 'int32' | 'bool';

type ArrayCtor = Float32ArrayConstructor | Float64ArrayConstructor | Int32ArrayConstructor | Uint8ArrayConstructor;

/** A tensor element type. Prints as MindSpore does (`Float32`). */
export class DType {
  constructor(
    readonly name: DTypeName,
    readonly title: string,
    readonly ArrayType: ArrayCtor,
    readonly isFloat: boolean,
    /** Position in the promotion order. */
    readonly rank: number,
    /** A zero-filled typed array of this dtype. */
    readonly alloc: (size: number) => TypedArray,
  ) {}
  toString(): string {
    return this.title;
  }
}

// One allocator per dtype (storage.ts), each constructing one array type: `new
// this.ArrayType(size)` in a shared method is a call site that sees four constructors.
export const bool_ = new DType('bool', 'Bool', Uint8Array, false, 0, allocUint8);
export const int32 = new DType('int32', 'Int32', Int32Array, false, 1, allocInt32);
export const float32 = new DType('float32', 'Float32', Float32Array, true, 2, allocFloat32);
export const float64 = new DType('float64', 'Float64', Float64Array, true, 3, allocFloat64);

const byName: Record<string, DType> = { bool: bool_, bool_, int32, float32, float64 };

/** The dtype named `name` ('float32', 'float64', 'int32', 'bool'), or a clear error. */
export function dtypeOf(name: string | DType): DType {
  if (name instanceof DType) return name;
  const found = byName[name];
  if (!found) {
    throw new TypeError(`unknown dtype: expected one of float32, float64, int32, bool, got ${JSON.stringify(name)}`);
  }
  return found;
}

/** The dtype of a binary op's result on tensors of dtypes `a` and `b`. */
export function promote(a: DType, b: DType): DType {
  return a.rank >= b.rank ? a : b;
}

/** The dtype a float result takes from an operand of dtype `a` (int32 and bool become float32). */
export function floatOf(a: DType): DType {
  return a.isFloat ? a : float32;
}

/** The dtype of a typed array, for tensors built from one. */
export function dtypeOfArray(data: TypedArray): DType {
  if (data instanceof Float32Array) return float32;
  if (data instanceof Float64Array) return float64;
  if (data instanceof Int32Array) return int32;
  return bool_;
}
