// Slices around fused loops without copies: a slice read only by fused loops can be a view
// of its source (the loop copies what it reads anyway), and the adjoint of several slices
// of one tensor, a sum of padSlices, is written into one array instead of one per slice.
// Both are used only by the fused form of generated code (compiler/5-emit/fuse.ts), which
// the compiler has checked reads the view nowhere else; anything that is not float32 or
// whose box is not one contiguous block runs the ops.

import { float32 } from '../dtype.js';
import { Tensor } from '../tensor.js';
import { allocFloat32 } from '../storage.js';
import { add } from '../ops/add.js';
import { padSlice } from '../ops/padSlice.js';
import { slice as sliceOp, sliceExtent } from '../ops/slice.js';
import { wasmUnaryMinLength } from './wasm/index.js';
import { contiguousBlock as block } from './fused-frame.js';

/** Views handed out by `slice`, which `owned` copies before they can escape. */
const views = new WeakSet<Tensor>();

/** `ops.slice(x, begin, size)`, as a view of x's data when that is float32, the box contiguous and loop-sized. */
export function slice(x: Tensor, begin: readonly number[], size: readonly number[]): Tensor {
  if (x instanceof Tensor && x.dtype === float32) {
    const extent = sliceExtent('slice', x.shape, begin, size);
    const at = block(x.shape, begin, extent);
    // A loop takes at least wasmUnaryMinLength elements: a smaller slice goes to the ops anyway.
    if (at && at[1] >= wasmUnaryMinLength) {
      const view = Tensor.fromData(x.data.subarray(at[0], at[0] + at[1]), extent, float32);
      views.add(view);
      return view;
    }
  }
  return sliceOp(x, begin, size);
}

/** `t` itself, or a copy when it is a view from `slice` (for code that may return it). */
export function owned(t: Tensor): Tensor {
  return views.has(t) ? Tensor.fromData(t.data.slice(), [...t.shape], t.dtype) : t;
}

/**
 * `ops.add(ops.padSlice(g0, like, begin0), ops.padSlice(g1, like, begin1), …)` (added left
 * to right), written into one array when every piece is float32 and a contiguous block.
 */
export function padSlices(like: Tensor, ...pieces: [Tensor, readonly number[]][]): Tensor {
  const blocks = like instanceof Tensor
    ? pieces.map(([g, begin]) => (g instanceof Tensor && g.dtype === float32 ? (sliceExtent('padSlice', like.shape, begin, g.shape), block(like.shape, begin, g.shape)) : undefined))
    : [];
  if (pieces.length === 0 || blocks.length !== pieces.length || blocks.some((b) => b === undefined)) {
    return pieces.map(([g, begin]) => padSlice(g, like, begin)).reduce((a, b) => add(a, b));
  }
  const out = allocFloat32(like.size);
  for (let k = 0; k < pieces.length; k++) {
    const [at] = blocks[k]!;
    addInto(out, at, pieces[k][0].data as Float32Array);
  }
  return Tensor.fromData(out, [...like.shape], float32);
}

/** out[at + i] += g[i], rounded to float32 as add's kernel stores it (0 + -0 is +0 there too). */
function addInto(out: Float32Array, at: number, g: Float32Array): void {
  for (let i = 0; i < g.length; i++) out[at + i] += g[i];
}
