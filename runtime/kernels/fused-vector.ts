// The run-time side of a framed run whose every box is one item (compiler/5-emit/fuse.ts):
// the slices it reads and the padSlices it writes are all of vectors, as in Rosenbrock's
// gradient. Such a run needs none of a Frame's general bookkeeping (shapes of any rank,
// boxes that must be one contiguous block), so the generated code checks its operands
// with these plain functions, keeps the offsets in locals and makes no Frame: for a loop
// of ten elements the Frame object and its Target were about 40% of the call.
//
// The functions are the methods of one object, `fused.vector`, so that a test can wrap them
// (fixtures/fuse/frames.ts counts the runs that take the loop and refuses them to get the
// ops' results), as it wraps `Frame.prototype.ready`.
//
// Each check answers -1 for anything the fast loop cannot take (a tensor that is not a
// float32 vector, a box outside it, a size that differs from the loop's); the generated
// code then runs the same statements as ops, which give the result or the op's error.
// What is written must be what the ops give, bit for bit: the rules for two pieces added
// into one array are the Frame's (see fused-frame.ts, top).

import { float32 } from '../dtype.js';
import { Tensor } from '../tensor.js';
import { allocFloat32, float32Of } from '../storage.js';
import { sumAll } from './reduce.js';

/** A non-negative integer that can index an array. */
const isIndex = (v: unknown): v is number => typeof v === 'number' && v >= 0 && (v | 0) === v;

/** x's length when it is a float32 vector (a rank-1 Tensor), else -1. */
function vectorLength(x: unknown): number {
  return x instanceof Tensor && x.dtype === float32 && x.shape.length === 1 ? x.shape[0] : -1;
}

/**
 * The number of elements of `ops.slice(x, [at], [size])` (size -1: to the end) for x of
 * `length` (vectorLength: -1 when x is not a float32 vector) when the box lies inside it,
 * else -1. The generated code passes the box's one item, not the one-item arrays
 * ops.slice takes, and each tensor's length once: making the arrays and checking the same
 * tensor again for each box cost more than the loop over ten elements.
 */
function windowExtent(length: number, at: number, size: number): number {
  if (length < 0) return -1;
  const extent = size === -1 ? length - at : size;
  return isIndex(at) && isIndex(extent) && at + extent <= length ? extent : -1;
}

/** Where `ops.slice(x, [at], [size])` starts in x's data (x of `length`) when it is a window of `count` elements (see windowExtent), else -1. */
function vectorWindow(length: number, at: number, size: number, count: number): number {
  return count >= 0 && windowExtent(length, at, size) === count ? at : -1;
}

/** Where `ops.padSlice(g, like, [at])` of a loop value g of `count` elements starts, for like a vector of `length` (-1: not a vector), else -1. */
function pieceIn(length: number, at: number, count: number): number {
  return length >= 0 && count >= 0 && isIndex(at) && at + count <= length ? at : -1;
}

/** pieceIn for a `like` of any dtype, checked here. */
function vectorPiece(like: unknown, at: number, count: number): number {
  return pieceIn(like instanceof Tensor && like.shape.length === 1 ? like.shape[0] : -1, at, count);
}

/**
 * A new float32 vector of zeros as long as `like` (a vector that vectorPiece took), for
 * padSlices to be written into: cut from the shared block where it is of middling size,
 * as op results are (runtime/storage.ts; a store of its own cost about 0.9 µs at 4 KB,
 * a third of Rosenbrock's gradient at n = 1000). It shares like's shape array: shapes
 * are never written.
 */
function vectorTarget(like: Tensor): Tensor {
  return Tensor.fromData(allocFloat32(like.shape[0]), like.shape, float32);
}

/** A float32 vector tensor of `data`, a loop output. */
function vectorTensor(data: Float32Array): Tensor {
  return Tensor.fromData(data, [data.length], float32);
}

/** A 0-d float32 tensor of the sum of `summands`, added in the order of ops.sum's kernel. */
function sumTensor(summands: Float32Array): Tensor {
  return Tensor.fromData(float32Of(sumAll(summands)), [], float32);
}

/** A 0-d float32 tensor of `total`: a sum a loop added in the order of ops.sum's kernel (sumAll's four partial sums). */
function totalTensor(total: number): Tensor {
  return Tensor.fromData(float32Of(total), [], float32);
}

/**
 * Before a loop that adds two pieces of `count` elements at `first` and `second` into
 * `data` (zeros): −0 where both pieces lie, so that −0 + g + h is exactly g + h while the
 * elements one piece alone covers get the op's +0 padding added (+0 + g normalises −0).
 */
function fillInside(data: Float32Array, first: number, second: number, count: number): void {
  const to = Math.min(first, second) + count;
  for (let i = Math.max(first, second); i < to; i++) data[i] = -0;
}

/**
 * After a loop that stored (`=`) the piece at `first` and added the one at `second`
 * (which starts no later): the +0 padding added to the elements the stored piece alone
 * covers. Only for two pieces: a lone stored piece is the op's result as it is (its −0 stays).
 */
function padAlone(data: Float32Array, first: number, second: number, count: number): void {
  for (let i = Math.max(first, second + count); i < first + count; i++) data[i] += 0;
}

/** The checks and constructors of framed runs over vectors, as the generated code calls them: `fused.vector.window(…)`. */
export const vector = {
  length: vectorLength,
  extent: windowExtent,
  window: vectorWindow,
  piece: vectorPiece,
  pieceIn,
  target: vectorTarget,
  tensor: vectorTensor,
  sum: sumTensor,
  total: totalTensor,
  fillInside,
  padAlone,
};
