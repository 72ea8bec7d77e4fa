// aᵀ·b with a a stack of matrices: what `matmul(matrixTranspose(a), b)` becomes at compile
// time (the weight gradient xᵀ·dy of a dense layer), so that no transposed copy of a is
// made: the kernel reads a transposed while it packs it (WebAssembly SIMD, float32). Same
// NumPy semantics as matmul(matrixTranspose(a), b), which is also what runs where the fast
// kernel does not apply (other dtypes, batches, small products).
import { kernels } from '../kernels/index.js';
import { Tensor, TensorLike } from '../tensor.js';
import { matmul } from './matmul.js';
import { matmulCotangent } from './matmulCotangent.js';
import { matmulNT } from './matmulNT.js';
import { matmulOperand } from './matmulOperand.js';
import { matrixTranspose } from './matrixTranspose.js';
import { asTensor } from './operands.js';
import { definePrimitive } from './primitive.js';
import { reshapeLike } from './reshapeLike.js';
import { sumToLike } from './sumToLike.js';

/**
 * aᵀ·b over the last two axes of a (rank ≥ 2), NumPy semantics otherwise.
 *
 * @example
 * ops.matmulTN(ops.ones([3, 2]), ops.ones([3, 4])).shape   // [2, 4]
 */
export const matmulTN = definePrimitive({
  name: 'matmulTN',
  math: 'out = aᵀ·b;  da = b·dyᵀ, db = a·dy (batch axes summed back, vector axes dropped)',
  params: ['a', 'b'],
  kernel: (a: TensorLike, b: TensorLike): Tensor => {
    const ta = asTensor('matmulTN', a);
    const tb = asTensor('matmulTN', b, ta.dtype);
    if (ta.ndim === 2 && tb.ndim === 2 && ta.dtype === tb.dtype && ta.shape[0] === tb.shape[0]) {
      const [k, m] = ta.shape;
      const n = tb.shape[1];
      const out = ta.dtype.alloc(m * n);
      if (m * n > 0 && kernels.matmulTransposed(ta.data, tb.data, out, m, k, n, true, false)) {
        return Tensor.fromData(out, [m, n], ta.dtype);
      }
    }
    return matmul.spec.kernel(matrixTranspose.spec.kernel(ta), tb);
  },
  vjp: {
    a: ({ a, b }, dy): Tensor => sumToLike(matmulNT(matmulOperand(b, 'right'), matmulCotangent(dy, a, b)), a),
    b: ({ a, b }, dy): Tensor => reshapeLike(sumToLike(matmul(a, matmulCotangent(dy, a, b)), matmulOperand(b, 'right')), b),
  },
  jvp: {
    a: ({ b }, da): Tensor => matmulTN(da, b),
    b: ({ a }, db): Tensor => matmulTN(a, db),
  },
  save: ['a', 'b'],
  domain: {
    ranges: { a: [-1, 1], b: [-1, 1] },
    cases: [
      { a: [3, 2], b: [3, 4] },
      { a: [3, 2], b: [3] },
      { a: [2, 3, 2], b: [3, 4] },
      { a: [3, 2], b: [2, 3, 4] },
    ],
  },
});
