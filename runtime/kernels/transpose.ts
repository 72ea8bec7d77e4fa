// Permuting axes: out[i_perm] = x[i]. A swap of the last two axes (a matrix transpose,
// batched or not: what `transpose(w, [1, 0])` and matmul's rules ask for) runs in square
// tiles, so that both the reads and the writes of a tile stay in cache; a 784×128 float32
// transpose went from a strided read per element to a copy about as fast as a memcpy over
// the tiles. Float32 arrays get their own copy of the tile loop so that its element
// accesses stay monomorphic; other arrays share the generic one.
import { DType, TypedArray } from '../dtype.js';
import { stridesOf } from '../shape.js';

export function permute(x: TypedArray, shape: readonly number[], perm: readonly number[], dtype: DType): { data: TypedArray; shape: number[] } {
  const outShape = perm.map((p) => shape[p]);
  const out = dtype.alloc(x.length);
  const ndim = outShape.length;
  if (ndim >= 2 && swapsLastTwo(perm)) {
    const rows = shape[ndim - 2];
    const cols = shape[ndim - 1];
    const size = rows * cols;
    for (let at = 0; size > 0 && at < x.length; at += size) {
      if (x instanceof Float32Array && out instanceof Float32Array) transposeTilesF32(x, out, at, rows, cols);
      else transposeTiles(x, out, at, rows, cols);
    }
    return { data: out, shape: outShape };
  }
  const inStrides = stridesOf(shape);
  const strides = perm.map((p) => inStrides[p]);
  const index = new Array<number>(ndim).fill(0);
  let src = 0;
  for (let o = 0; o < out.length; o++) {
    out[o] = x[src];
    for (let d = ndim - 1; d >= 0; d--) {
      index[d]++;
      src += strides[d];
      if (index[d] < outShape[d]) break;
      src -= strides[d] * outShape[d];
      index[d] = 0;
    }
  }
  return { data: out, shape: outShape };
}

/** True when `perm` keeps the leading axes and swaps the last two. */
function swapsLastTwo(perm: readonly number[]): boolean {
  const n = perm.length;
  for (let i = 0; i < n - 2; i++) if (perm[i] !== i) return false;
  return perm[n - 2] === n - 1 && perm[n - 1] === n - 2;
}

const TILE = 32;

/** out[at + j·rows + i] = x[at + i·cols + j] for the rows×cols matrix at offset `at`, tile by tile. */
function transposeTilesF32(x: Float32Array, out: Float32Array, at: number, rows: number, cols: number): void {
  for (let i0 = 0; i0 < rows; i0 += TILE) {
    const i1 = Math.min(i0 + TILE, rows);
    for (let j0 = 0; j0 < cols; j0 += TILE) {
      const j1 = Math.min(j0 + TILE, cols);
      for (let i = i0; i < i1; i++) {
        const src = at + i * cols;
        for (let j = j0; j < j1; j++) out[at + j * rows + i] = x[src + j];
      }
    }
  }
}

/** The same loop for the other element types (kept apart so the float32 one stays monomorphic). */
function transposeTiles(x: TypedArray, out: TypedArray, at: number, rows: number, cols: number): void {
  for (let i0 = 0; i0 < rows; i0 += TILE) {
    const i1 = Math.min(i0 + TILE, rows);
    for (let j0 = 0; j0 < cols; j0 += TILE) {
      const j1 = Math.min(j0 + TILE, cols);
      for (let i = i0; i < i1; i++) {
        const src = at + i * cols;
        for (let j = j0; j < j1; j++) out[at + j * rows + i] = x[src + j];
      }
    }
  }
}
