// Moving data between a shape and its broadcast: expanding to it, and summing back.

import { DType, TypedArray } from '../dtype.js';
import { fmt, sizeOf } from '../shape.js';
import { broadcastStrides } from './elementwise.js';

/** `x` (of `shape`) repeated to `target`, which must be a broadcast of `shape`. */
export function expandTo(op: string, x: TypedArray, shape: readonly number[], target: readonly number[], dtype: DType): TypedArray {
  checkBroadcastable(op, shape, target);
  const out = dtype.alloc(sizeOf(target));
  if (x.length === out.length) {
    out.set(x);
    return out;
  }
  if (x.length === 1) {
    out.fill(x[0]);
    return out;
  }
  const strides = broadcastStrides(shape, target);
  walk(target, strides, (i, src) => (out[i] = x[src]));
  return out;
}

/** Sums `g` (of the broadcast shape `from`) back down to `shape`. */
export function sumTo(op: string, g: TypedArray, from: readonly number[], shape: readonly number[], dtype: DType): TypedArray {
  checkBroadcastable(op, shape, from);
  const out = dtype.alloc(sizeOf(shape));
  if (g.length === out.length) {
    out.set(g);
    return out;
  }
  if (out.length === 1) {
    let s = 0;
    for (let i = 0; i < g.length; i++) s += g[i];
    out[0] = s;
    return out;
  }
  const strides = broadcastStrides(shape, from);
  walk(from, strides, (i, dst) => (out[dst] += g[i]));
  return out;
}

/** Visits every flat index of `shape` with the matching offset under `strides`. */
function walk(shape: readonly number[], strides: readonly number[], visit: (flat: number, offset: number) => void): void {
  const n = sizeOf(shape);
  const ndim = shape.length;
  const index = new Array<number>(ndim).fill(0);
  let offset = 0;
  for (let i = 0; i < n; i++) {
    visit(i, offset);
    for (let d = ndim - 1; d >= 0; d--) {
      index[d]++;
      offset += strides[d];
      if (index[d] < shape[d]) break;
      offset -= strides[d] * shape[d];
      index[d] = 0;
    }
  }
}

function checkBroadcastable(op: string, shape: readonly number[], target: readonly number[]): void {
  const ok =
    shape.length <= target.length &&
    shape.every((d, i) => d === 1 || d === target[target.length - shape.length + i]);
  if (!ok) throw new RangeError(`${op}: shape ${fmt(shape)} cannot be broadcast to ${fmt(target)}`);
}
