// Matrix product with NumPy semantics: the last two axes multiply and leading (batch) axes
// broadcast; a 1-D left operand is a row vector and a 1-D right operand a column vector,
// and the axis they add is dropped from the result. int32 · int32 stays int32.
import { float32, promote } from '../dtype.js';
import { kernels } from '../kernels/index.js';
import { broadcastShapes, fmt, sizeOf, stridesOf } from '../shape.js';
import { Tensor, TensorLike } from '../tensor.js';
import { unreadTransposeSource } from '../views.js';
import { matmulCotangent } from './matmulCotangent.js';
import { matmulOperand } from './matmulOperand.js';
import { matrixTranspose } from './matrixTranspose.js';
import { asTensor } from './operands.js';
import { definePrimitive } from './primitive.js';
import { reshapeLike } from './reshapeLike.js';
import { sumToLike } from './sumToLike.js';

/**
 * Matrix product, NumPy semantics (vectors, batches).
 *
 * @example
 * ops.matmul(ops.ones([4, 2, 3]), ops.ones([3, 5])).shape   // [4, 2, 5]
 */
export const matmul = definePrimitive({
  name: 'matmul',
  math: 'out = a·b;  da = dy·bᵀ, db = aᵀ·dy (batch axes summed back, vector axes dropped)',
  params: ['a', 'b'],
  kernel: (a: TensorLike, b: TensorLike): Tensor => {
    const ta = asTensor('matmul', a);
    const tb = asTensor('matmul', b, ta.dtype);
    if (ta.ndim === 0 || tb.ndim === 0) {
      throw new RangeError(`matmul: expected operands of rank ≥ 1, got shapes ${fmt(ta.shape)} and ${fmt(tb.shape)}`);
    }
    const fromView = transposedProduct(ta, tb);
    if (fromView !== undefined) return fromView;
    const aShape = ta.ndim === 1 ? [1, ta.shape[0]] : ta.shape;
    const bShape = tb.ndim === 1 ? [tb.shape[0], 1] : tb.shape;
    const [m, k] = aShape.slice(-2);
    const [k2, n] = bShape.slice(-2);
    if (k !== k2) {
      throw new RangeError(`matmul: inner dimensions differ: shapes ${fmt(ta.shape)} and ${fmt(tb.shape)} (${k} vs ${k2})`);
    }
    const batch = broadcastShapes('matmul', aShape.slice(0, -2), bShape.slice(0, -2));
    const dtype = promote(ta.dtype, tb.dtype);
    const out = dtype.alloc(sizeOf(batch) * m * n);
    const aData = ta.dtype === dtype ? ta.data : convert(ta, dtype);
    const bData = tb.dtype === dtype ? tb.data : convert(tb, dtype);
    kernels.matmul(aData, batchOffsets(aShape.slice(0, -2), batch, m * k), bData, batchOffsets(bShape.slice(0, -2), batch, k * n), out, m, k, n);
    const shape = [...batch, ...(ta.ndim === 1 ? [] : [m]), ...(tb.ndim === 1 ? [] : [n])];
    return Tensor.fromData(out, shape, dtype);
  },
  vjp: {
    a: ({ a, b }, dy): Tensor =>
      reshapeLike(sumToLike(matmul(matmulCotangent(dy, a, b), matrixTranspose(matmulOperand(b, 'right'))), matmulOperand(a, 'left')), a),
    b: ({ a, b }, dy): Tensor =>
      reshapeLike(sumToLike(matmul(matrixTranspose(matmulOperand(a, 'left')), matmulCotangent(dy, a, b)), matmulOperand(b, 'right')), b),
  },
  jvp: {
    a: ({ b }, da): Tensor => matmul(da, b),
    b: ({ a }, db): Tensor => matmul(a, db),
  },
  save: ['a', 'b'],
  domain: {
    ranges: { a: [-1, 1], b: [-1, 1] },
    cases: [
      { a: [2, 3], b: [3, 4] },
      { a: [2, 2, 3], b: [3, 2] },
      { a: [2, 1, 2, 3], b: [3, 3, 2] },
      { a: [3], b: [3, 2] },
      { a: [2, 3], b: [3] },
      { a: [4], b: [4] },
      { a: [2, 4], b: [2, 4, 3] },
    ],
  },
});

/**
 * A product of float32 matrices of which one or both are unread transposed views
 * (`matmul(x, transpose(w, [1, 0]))`): the kernel reads the view's source with the
 * transpose folded into its packing, and the view is never made. Undefined when the
 * kernel does not take it (no WebAssembly, a small product: see worthWasm); the caller
 * then multiplies as usual, making the view.
 */
function transposedProduct(ta: Tensor, tb: Tensor): Tensor | undefined {
  if (ta.ndim !== 2 || tb.ndim !== 2 || ta.dtype !== float32 || tb.dtype !== float32) return undefined;
  const aSource = unreadTransposeSource(ta);
  const bSource = unreadTransposeSource(tb);
  if (aSource === undefined && bSource === undefined) return undefined;
  const [m, k] = ta.shape;
  const [k2, n] = tb.shape;
  if (k !== k2) return undefined;
  const out = float32.alloc(m * n);
  const done = kernels.matmulTransposed(aSource ?? ta.data, bSource ?? tb.data, out, m, k, n, aSource !== undefined, bSource !== undefined);
  return done ? Tensor.fromData(out, [m, n], float32) : undefined;
}

function convert(t: Tensor, dtype: typeof t.dtype): Tensor['data'] {
  const out = dtype.alloc(t.size);
  out.set(t.data);
  return out;
}

/** Element offsets of each matrix of an operand with batch shape `own`, in `batch` order. */
function batchOffsets(own: readonly number[], batch: readonly number[], matrixSize: number): number[] {
  const count = sizeOf(batch);
  if (own.length === 0) return new Array<number>(count).fill(0);
  const ownStrides = stridesOf(own);
  const offset = batch.length - own.length;
  const out = new Array<number>(count);
  for (let i = 0; i < count; i++) {
    let rem = i;
    let off = 0;
    for (let d = batch.length - 1; d >= 0; d--) {
      const idx = rem % batch[d];
      rem = Math.floor(rem / batch[d]);
      const od = d - offset;
      if (od >= 0 && own[od] !== 1) off += idx * ownStrides[od];
    }
    out[i] = off * matrixSize;
  }
  return out;
}
