// Moving blocks of data between shapes: a box of a tensor (slice), the same box written
// into zeros (its adjoint), blocks along one axis (concat and its pieces), and rows picked
// by index along one axis (gather) with its adjoint, a scatter that adds.

import { DType, TypedArray } from '../dtype.js';
import { sizeOf, stridesOf } from '../shape.js';

/**
 * Calls `run(boxOffset, tensorOffset, length)` for each contiguous row (last axis) of the
 * box `begin … begin+size` inside a tensor of `shape`; callers copy whole rows at once.
 */
function boxRows(shape: readonly number[], begin: readonly number[], size: readonly number[], run: (i: number, offset: number, length: number) => void): void {
  const n = sizeOf(size);
  if (n === 0) return;
  const nd = shape.length;
  if (nd === 0) {
    run(0, 0, 1);
    return;
  }
  const strides = stridesOf(shape);
  const rowLength = size[nd - 1];
  let offset = 0;
  for (let d = 0; d < nd; d++) offset += begin[d] * strides[d];
  const index = new Array<number>(nd).fill(0);
  for (let i = 0; i < n; i += rowLength) {
    run(i, offset, rowLength);
    for (let d = nd - 2; d >= 0; d--) {
      index[d]++;
      offset += strides[d];
      if (index[d] < size[d]) break;
      offset -= strides[d] * size[d];
      index[d] = 0;
    }
  }
}

/** The box `begin … begin+size` of `x` (of `shape`). */
export function sliceBox(x: TypedArray, shape: readonly number[], begin: readonly number[], size: readonly number[], dtype: DType): TypedArray {
  const start = contiguousStart(shape, begin, size);
  if (start >= 0) return copyRange(x, start, sizeOf(size), dtype);
  const out = dtype.alloc(sizeOf(size));
  boxRows(shape, begin, size, (i, off, len) => out.set(x.subarray(off, off + len), i));
  return out;
}

/**
 * Where the box starts in `x` when it is one contiguous run of `x`'s data (a range along
 * one axis, whole along the axes after it and of extent 1 along those before it: `x[2:7]`,
 * a row, a block of rows), or -1.
 */
export function contiguousStart(shape: readonly number[], begin: readonly number[], size: readonly number[]): number {
  const nd = shape.length;
  // The axes after the first axis of extent other than 1 must be whole.
  let d = 0;
  while (d < nd - 1 && size[d] === 1) d++;
  for (let e = d + 1; e < nd; e++) if (begin[e] !== 0 || size[e] !== shape[e]) return -1;
  let start = 0;
  let stride = 1;
  for (let e = nd - 1; e >= 0; e--) {
    start += begin[e] * stride;
    stride *= shape[e];
  }
  return start;
}

/** x[start … start+length) as a new array of `dtype` (the dtype of `x`). */
function copyRange(x: TypedArray, start: number, length: number, dtype: DType): TypedArray {
  const out = dtype.alloc(length);
  // An element loop beats building a subarray view for short runs.
  if (length < 64) for (let i = 0; i < length; i++) out[i] = x[start + i];
  else out.set(x.subarray(start, start + length));
  return out;
}

/** Zeros of `shape` with `g` (of shape `size`) written at `begin`. */
export function padBox(g: TypedArray, shape: readonly number[], begin: readonly number[], size: readonly number[], dtype: DType): TypedArray {
  const out = dtype.alloc(sizeOf(shape));
  boxRows(shape, begin, size, (i, off, len) => out.set(g.subarray(i, i + len), off));
  return out;
}

/** Rows `indices` of `x` along `axis`: shape x[:axis] ++ indexShape ++ x[axis+1:]. */
export function gatherRows(x: TypedArray, shape: readonly number[], indices: ArrayLike<number>, axis: number, dtype: DType): TypedArray {
  const outer = sizeOf(shape.slice(0, axis));
  const n = shape[axis];
  const inner = sizeOf(shape.slice(axis + 1));
  const out = dtype.alloc(outer * indices.length * inner);
  let o = 0;
  for (let a = 0; a < outer; a++) {
    for (let j = 0; j < indices.length; j++) {
      const src = (a * n + indices[j]) * inner;
      for (let k = 0; k < inner; k++) out[o++] = x[src + k];
    }
  }
  return out;
}

/** Zeros of `shape` with the rows of `g` added at `indices` along `axis` (repeats add up). */
export function scatterAddRows(g: TypedArray, shape: readonly number[], indices: ArrayLike<number>, axis: number, dtype: DType): TypedArray {
  const outer = sizeOf(shape.slice(0, axis));
  const n = shape[axis];
  const inner = sizeOf(shape.slice(axis + 1));
  const out = dtype.alloc(sizeOf(shape));
  let o = 0;
  for (let a = 0; a < outer; a++) {
    for (let j = 0; j < indices.length; j++) {
      const dst = (a * n + indices[j]) * inner;
      for (let k = 0; k < inner; k++) out[dst + k] += g[o++];
    }
  }
  return out;
}

/** Tensors of `shapes` (equal but for `axis`) joined along `axis`. */
export function concatBlocks(parts: readonly TypedArray[], shapes: readonly (readonly number[])[], axis: number, dtype: DType): TypedArray {
  const outer = sizeOf(shapes[0].slice(0, axis));
  const blocks = shapes.map((s) => sizeOf(s.slice(axis)));
  const total = blocks.reduce((a, b) => a + b, 0);
  const out = dtype.alloc(outer * total);
  let o = 0;
  for (let a = 0; a < outer; a++) {
    for (let p = 0; p < parts.length; p++) {
      const len = blocks[p];
      const src = parts[p];
      const start = a * len;
      for (let k = 0; k < len; k++) out[o++] = src[start + k];
    }
  }
  return out;
}
