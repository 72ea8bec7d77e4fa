// Summing over a set of axes: the kernel behind sum, mean and their gradients.

import { DType, TypedArray } from '../dtype.js';
import { sizeOf, stridesOf } from '../shape.js';

/** Sums `x` (of `shape`) over the sorted, normalised `axes`; keeps them as size 1. */
export function sumAxes(x: TypedArray, shape: readonly number[], axes: readonly number[], dtype: DType): { data: TypedArray; shape: number[] } {
  const kept = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const out = dtype.alloc(sizeOf(kept));
  if (out.length === 1) {
    let s = 0;
    for (let i = 0; i < x.length; i++) s += x[i];
    out[0] = s;
    return { data: out, shape: kept };
  }
  const outStrides = stridesOf(kept).map((s, i) => (axes.includes(i) ? 0 : s));
  const ndim = shape.length;
  const index = new Array<number>(ndim).fill(0);
  let o = 0;
  for (let i = 0; i < x.length; i++) {
    out[o] += x[i];
    for (let d = ndim - 1; d >= 0; d--) {
      index[d]++;
      o += outStrides[d];
      if (index[d] < shape[d]) break;
      o -= outStrides[d] * shape[d];
      index[d] = 0;
    }
  }
  return { data: out, shape: kept };
}
