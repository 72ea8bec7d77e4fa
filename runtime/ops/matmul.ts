// Matrix product with NumPy semantics for operands of rank ≥ 2: the last two axes
// multiply, leading (batch) axes broadcast. (Rank-1 operands: reshape them first.)
import { promote } from '../dtype.js';
import { Tensor, TensorLike } from '../tensor.js';
import { gemm } from '../kernels/matmul.js';
import { broadcastShapes, fmt, sizeOf, stridesOf } from '../shape.js';
import { matrixTranspose } from './matrixTranspose.js';
import { asTensor } from './operands.js';
import { definePrimitive } from './primitive.js';
import { sumToLike } from './sumToLike.js';

export const matmul = definePrimitive({
  name: 'matmul',
  math: 'out = a·b;  da = dy·bᵀ, db = aᵀ·dy (batch axes summed back)',
  params: ['a', 'b'],
  kernel: (a: TensorLike, b: TensorLike): Tensor => {
    const ta = asTensor('matmul', a);
    const tb = asTensor('matmul', b);
    if (ta.ndim < 2 || tb.ndim < 2) throw new RangeError(`matmul: expected operands of rank ≥ 2, got shapes ${fmt(ta.shape)} and ${fmt(tb.shape)}`);
    const [m, k] = ta.shape.slice(-2);
    const [k2, n] = tb.shape.slice(-2);
    if (k !== k2) throw new RangeError(`matmul: inner dimensions differ: ${fmt(ta.shape)} · ${fmt(tb.shape)} (${k} vs ${k2})`);
    const batch = broadcastShapes('matmul', ta.shape.slice(0, -2), tb.shape.slice(0, -2));
    const dtype = promote(ta.dtype, tb.dtype);
    const out = dtype.alloc(sizeOf(batch) * m * n);
    const aBatch = batchOffsets(ta.shape.slice(0, -2), batch, m * k);
    const bBatch = batchOffsets(tb.shape.slice(0, -2), batch, k * n);
    for (let i = 0; i < aBatch.length; i++) gemm(ta.data, aBatch[i], tb.data, bBatch[i], out, i * m * n, m, k, n);
    return Tensor.fromData(out, [...batch, m, n], dtype);
  },
  vjp: {
    a: ({ a, b }, dy): Tensor => sumToLike(matmul(dy, matrixTranspose(b)), a),
    b: ({ a, b }, dy): Tensor => sumToLike(matmul(matrixTranspose(a), dy), b),
  },
  jvp: {
    a: ({ b }, da): Tensor => matmul(da, b),
    b: ({ a }, db): Tensor => matmul(a, db),
  },
  save: ['a', 'b'],
  domain: { ranges: { a: [-1, 1], b: [-1, 1] }, cases: [{ a: [2, 3], b: [3, 4] }, { a: [2, 2, 3], b: [3, 2] }, { a: [1, 4], b: [4, 1] }] },
});

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
