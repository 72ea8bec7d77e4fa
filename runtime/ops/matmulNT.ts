// a·bᵀ with b a stack of matrices: what `matmul(a, transpose(w, [1, 0]))` (nn.Dense's
// x·Wᵀ) becomes at compile time, so that no transposed copy of w is made: the kernel
// reads b transposed while it packs it (WebAssembly SIMD, float32). Same NumPy semantics
// as matmul(a, matrixTranspose(b)), which is also what runs where the fast kernel does not
// apply (other dtypes, a batched b, small products).
import { kernels } from '../kernels/index.js';
import { Tensor, TensorLike } from '../tensor.js';
import { matmul } from './matmul.js';
import { matmulCotangent } from './matmulCotangent.js';
import { matmulOperand } from './matmulOperand.js';
import { matmulTN } from './matmulTN.js';
import { matrixTranspose } from './matrixTranspose.js';
import { asTensor } from './operands.js';
import { definePrimitive } from './primitive.js';
import { reshapeLike } from './reshapeLike.js';
import { sumToLike } from './sumToLike.js';

/**
 * a·bᵀ over the last two axes of b (rank ≥ 2), NumPy semantics otherwise.
 *
 * @example
 * ops.matmulNT(ops.ones([2, 3]), ops.ones([4, 3])).shape   // [2, 4]
 */
export const matmulNT = definePrimitive({
  name: 'matmulNT',
  math: 'out = a·bᵀ;  da = dy·b, db = dyᵀ·a (batch axes summed back, vector axes dropped)',
  params: ['a', 'b'],
  kernel: (a: TensorLike, b: TensorLike): Tensor => {
    const ta = asTensor('matmulNT', a);
    const tb = asTensor('matmulNT', b, ta.dtype);
    // A single matrix b: every leading axis of a is one more row of one m×k product.
    if (tb.ndim === 2 && ta.ndim >= 1 && ta.dtype === tb.dtype) {
      const k = ta.shape[ta.ndim - 1];
      const [n, kb] = tb.shape;
      const m = k > 0 ? ta.size / k : 0;
      if (k === kb && m > 0) {
        const out = ta.dtype.alloc(m * n);
        if (kernels.matmulTransposed(ta.data, tb.data, out, m, k, n, false, true)) {
          return Tensor.fromData(out, [...ta.shape.slice(0, -1), n], ta.dtype);
        }
      }
    }
    return matmul.spec.kernel(ta, matrixTranspose.spec.kernel(tb));
  },
  vjp: {
    a: ({ a, b }, dy): Tensor => reshapeLike(sumToLike(matmul(matmulCotangent(dy, a, b), b), matmulOperand(a, 'left')), a),
    b: ({ a, b }, dy): Tensor => sumToLike(matmulTN(matmulCotangent(dy, a, b), matmulOperand(a, 'left')), b),
  },
  jvp: {
    a: ({ b }, da): Tensor => matmulNT(da, b),
    b: ({ a }, db): Tensor => matmulNT(a, db),
  },
  save: ['a', 'b'],
  domain: {
    ranges: { a: [-1, 1], b: [-1, 1] },
    cases: [
      { a: [2, 3], b: [4, 3] },
      { a: [3], b: [4, 3] },
      { a: [2, 2, 3], b: [4, 3] },
      { a: [2, 3], b: [2, 4, 3] },
    ],
  },
});
