// Storage for an op that makes a tensor from a shape (ones, zeros, fill, randn, uniform),
// with the shape and dtype checked.
import { DType, TypedArray, dtypeOf, float32 } from '../dtype.js';
import { fmt, sizeOf } from '../shape.js';

/** Zeroed storage for `shape` in `dtype`, or an error naming the op and the bad shape. */
export function alloc(op: string, shape: readonly number[], dtype: DType | string = float32): { data: TypedArray; dt: DType } {
  if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
    throw new RangeError(`${op}: expected a shape of non-negative integers, got ${Array.isArray(shape) ? fmt(shape) : String(shape)}`);
  }
  const dt = dtypeOf(dtype);
  return { data: dt.alloc(sizeOf(shape)), dt };
}
