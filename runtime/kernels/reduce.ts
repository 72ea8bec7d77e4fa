// Reductions over a set of axes: sum (behind sum, mean and their gradients), max/min and
// argmax/argmin. Sums accumulate in float64 whatever the storage dtype.

import { DType, TypedArray, dtypeOfArray, int32 } from '../dtype.js';
import { sizeOf } from '../shape.js';
import { permute } from './transpose.js';

/** Sums `x` (of `shape`) over the sorted, normalised `axes`; keeps them as size 1. */
export function sumAxes(x: TypedArray, shape: readonly number[], axes: readonly number[], dtype: DType): { data: TypedArray; shape: number[] } {
  const kept = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  if (axes.length > 0 && axes.every((a, i) => a === i) && axes.length < shape.length) return { data: sumLeading(x, sizeOf(kept), dtype), shape: kept };
  const { rows, length, data } = rowsOf(x, shape, axes);
  const out = dtype.alloc(rows);
  for (let r = 0; r < rows; r++) out[r] = sumRun(data, r * length, length);
  return { data: out, shape: kept };
}

/** Σ x over every element, in float64: what `sumAxes` computes over all axes, without building axes or rows. */
export function sumAll(x: TypedArray): number {
  return sumRun(x, 0, x.length);
}

/** Σ data[start … start+length) in float64, four independent partial sums (no add chain). */
function sumRun(data: TypedArray, start: number, length: number): number {
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  const end = start + length;
  const end4 = start + length - (length % 4);
  let i = start;
  for (; i < end4; i += 4) {
    s0 += data[i];
    s1 += data[i + 1];
    s2 += data[i + 2];
    s3 += data[i + 3];
  }
  for (; i < end; i++) s0 += data[i];
  return s0 + s1 + (s2 + s3);
}

/** Sums over leading axes (a batch of rows into one row): row by row, no transpose. */
function sumLeading(x: TypedArray, inner: number, dtype: DType): TypedArray {
  const acc = new Float64Array(inner);
  for (let o = 0; o < x.length; o += inner) {
    for (let j = 0; j < inner; j++) acc[j] += x[o + j];
  }
  const out = dtype.alloc(inner);
  out.set(acc);
  return out;
}

/** max (or min) over `axes`, keeping them as size 1. NaN wins, as in NumPy. */
export function extremeAxes(
  op: string,
  x: TypedArray,
  shape: readonly number[],
  axes: readonly number[],
  dtype: DType,
  largest: boolean,
): { data: TypedArray; shape: number[] } {
  const kept = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const { rows, length, data } = rowsOf(x, shape, axes);
  if (length === 0) throw new RangeError(`${op}: cannot reduce over an empty axis (shape [${shape.join(', ')}])`);
  const out = dtype.alloc(rows);
  for (let r = 0; r < rows; r++) {
    const base = r * length;
    let m = data[base];
    for (let j = 1; j < length && m === m; j++) {
      const v = data[base + j];
      if (v !== v || (largest ? v > m : v < m)) m = v;
    }
    out[r] = m;
  }
  return { data: out, shape: kept };
}

/** Index of the first max (or min) over one axis; a NaN counts as the extreme. */
export function argExtreme(
  op: string,
  x: TypedArray,
  shape: readonly number[],
  axis: number,
  largest: boolean,
): { data: Int32Array; shape: number[] } {
  const kept = shape.map((d, i) => (i === axis ? 1 : d));
  const { rows, length, data } = rowsOf(x, shape, [axis]);
  if (length === 0) throw new RangeError(`${op}: cannot reduce over an empty axis (shape [${shape.join(', ')}])`);
  const out = int32.alloc(rows) as Int32Array;
  for (let r = 0; r < rows; r++) {
    const base = r * length;
    let best = 0;
    let m = data[base];
    for (let j = 1; j < length && m === m; j++) {
      const v = data[base + j];
      if (v !== v || (largest ? v > m : v < m)) {
        m = v;
        best = j;
      }
    }
    out[r] = best;
  }
  return { data: out, shape: kept };
}

/**
 * The data laid out as `rows` contiguous runs of `length` elements, one run per output:
 * reduced axes are moved last (a copy only when they are not already trailing).
 */
function rowsOf(x: TypedArray, shape: readonly number[], axes: readonly number[]): { rows: number; length: number; data: TypedArray } {
  const length = axes.reduce((acc, a) => acc * shape[a], 1);
  const rows = length === 0 ? sizeOf(shape.filter((_, i) => !axes.includes(i))) : x.length / length;
  const trailing = axes.every((a, i) => a === shape.length - axes.length + i);
  if (trailing || length <= 1) return { rows, length, data: x };
  const perm = [...shape.keys()].filter((i) => !axes.includes(i)).concat(axes);
  return { rows, length, data: permute(x, shape, perm, dtypeOfArray(x)).data };
}
