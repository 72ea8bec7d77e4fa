// Moving data between a shape and its broadcast: expanding to it (a strided copy whose
// innermost axis is a plain loop), and summing back (a reduction over the broadcast axes).

import { DType, TypedArray } from '../dtype.js';
import { fmt, sizeOf } from '../shape.js';
import { broadcastStrides, compileBinary } from './elementwise.js';
import { sumAxes } from './reduce.js';

const copyLoops = compileBinary('x');
const nothing = new Float64Array(1);

/** `x` (of `shape`) repeated to `target`, which must be a broadcast of `shape`. */
export function expandTo(op: string, x: TypedArray, shape: readonly number[], target: readonly number[], dtype: DType): TypedArray {
  checkBroadcastable(op, shape, target);
  const out = dtype.alloc(sizeOf(target));
  if (out.length === 0) return out;
  if (x.length === out.length) {
    out.set(x);
    return out;
  }
  if (x.length === 1) {
    out.fill(x[0]);
    return out;
  }
  copyLoops.strided(x, broadcastStrides(shape, target), nothing, target.map(() => 0), out, target);
  return out;
}

/** Sums `g` (of the broadcast shape `from`) back down to `shape`. */
export function sumTo(op: string, g: TypedArray, from: readonly number[], shape: readonly number[], dtype: DType): TypedArray {
  checkBroadcastable(op, shape, from);
  if (g.length === sizeOf(shape)) {
    const out = dtype.alloc(g.length);
    out.set(g);
    return out;
  }
  const offset = from.length - shape.length;
  const axes = from.map((_, i) => i).filter((i) => i < offset || (shape[i - offset] === 1 && from[i] !== 1));
  return sumAxes(g, from, axes, dtype).data;
}

function checkBroadcastable(op: string, shape: readonly number[], target: readonly number[]): void {
  const ok =
    shape.length <= target.length &&
    shape.every((d, i) => d === 1 || d === target[target.length - shape.length + i]);
  if (!ok) throw new RangeError(`${op}: shape ${fmt(shape)} cannot be broadcast to ${fmt(target)}`);
}
