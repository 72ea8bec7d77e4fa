// Elementwise kernels over typed arrays: unary maps and broadcasting binary maps. They
// are plain loops; the fast path (same shapes, or a scalar operand) has no index math.

import { DType, TypedArray } from '../dtype.js';
import { broadcastShapes, sameShape, sizeOf, stridesOf } from '../shape.js';

/** out[i] = f(x[i]) */
export function mapUnary(x: TypedArray, out: TypedArray, f: (v: number) => number): void {
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = f(x[i]);
}

/**
 * out = f(a, b) with NumPy broadcasting; returns the output shape and storage.
 * `op` names the caller in the error for shapes that do not broadcast.
 */
export function mapBinary(
  op: string,
  a: TypedArray,
  aShape: readonly number[],
  b: TypedArray,
  bShape: readonly number[],
  dtype: DType,
  f: (x: number, y: number) => number,
): { data: TypedArray; shape: number[] } {
  if (sameShape(aShape, bShape)) {
    const out = dtype.alloc(a.length);
    const n = out.length;
    for (let i = 0; i < n; i++) out[i] = f(a[i], b[i]);
    return { data: out, shape: [...aShape] };
  }
  const shape = broadcastShapes(op, aShape, bShape);
  const out = dtype.alloc(sizeOf(shape));
  if (b.length === 1) {
    const bv = b[0];
    for (let i = 0; i < out.length; i++) out[i] = f(a[i % a.length], bv);
    return { data: out, shape };
  }
  if (a.length === 1) {
    const av = a[0];
    for (let i = 0; i < out.length; i++) out[i] = f(av, b[i % b.length]);
    return { data: out, shape };
  }
  const as = broadcastStrides(aShape, shape);
  const bs = broadcastStrides(bShape, shape);
  const ndim = shape.length;
  const index = new Array<number>(ndim).fill(0);
  let ia = 0;
  let ib = 0;
  for (let i = 0; i < out.length; i++) {
    out[i] = f(a[ia], b[ib]);
    // Advance the multi-index like an odometer, keeping both source offsets in step.
    for (let d = ndim - 1; d >= 0; d--) {
      index[d]++;
      ia += as[d];
      ib += bs[d];
      if (index[d] < shape[d]) break;
      ia -= as[d] * shape[d];
      ib -= bs[d] * shape[d];
      index[d] = 0;
    }
  }
  return { data: out, shape };
}

/** Strides of `shape` seen inside the broadcast `target`: 0 along broadcast dimensions. */
export function broadcastStrides(shape: readonly number[], target: readonly number[]): number[] {
  const own = stridesOf(shape);
  const offset = target.length - shape.length;
  return target.map((_, i) => (i < offset || shape[i - offset] === 1 ? 0 : own[i - offset]));
}
