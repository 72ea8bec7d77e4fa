// Axes permuted by `perm` (a permutation of 0..ndim-1; all axes reversed when omitted, as
// NumPy): out.shape[i] = x.shape[perm[i]].
import { Tensor, TensorLike } from '../tensor.js';
import { permute } from '../kernels/transpose.js';
import { fmt } from '../shape.js';
import { transposeView } from '../views.js';
import { asTensor } from './operands.js';
import { definePrimitive } from './primitive.js';
import { transposeInverse } from './transposeInverse.js';

/** `perm`, or all axes reversed when it is undefined (NumPy's default), checked. */
export function resolvePerm(op: string, perm: readonly number[] | undefined | null, ndim: number): readonly number[] {
  const p = perm ?? Array.from({ length: ndim }, (_, i) => ndim - 1 - i);
  checkPerm(op, p, ndim);
  return p;
}

export function checkPerm(op: string, perm: readonly number[], ndim: number): void {
  const ok = perm.length === ndim && [...perm].sort((a, b) => a - b).every((p, i) => p === i);
  if (!ok) throw new RangeError(`${op}: expected a permutation of 0..${ndim - 1}, got ${fmt(perm)}`);
}

/**
 * Axes permuted by `perm`. The transpose of a float32 matrix of at least 1024 elements is
 * made when first read, and `matmul` reads the matrix in place instead (runtime/views.ts);
 * either way the result is the transposed values.
 *
 * @example
 * ops.transpose(ops.ones([2, 3]), [1, 0]).shape   // [3, 2]
 */
export const transpose = definePrimitive({
  name: 'transpose',
  math: 'out = x with axes permuted by perm;  dx = dy permuted by perm⁻¹',
  params: ['x', 'perm'],
  kernel: (x: TensorLike, perm?: readonly number[] | null): Tensor => {
    const t = asTensor('transpose', x);
    const p = resolvePerm('transpose', perm, t.ndim);
    // A float32 matrix: a view, made when read; a matrix product reads w in place (views.ts).
    if (p.length === 2 && p[0] === 1) {
      const view = transposeView(t);
      if (view !== undefined) return view;
    }
    const { data, shape } = permute(t.data, t.shape, p, t.dtype);
    return Tensor.fromData(data, shape, t.dtype);
  },
  vjp: { x: ({ perm }, dy): Tensor => transposeInverse(dy, perm) },
  jvp: { x: ({ perm }, dx): Tensor => transpose(dx, perm) },
  save: [],
  domain: { ranges: { x: [-2, 2] }, cases: [{ x: [2, 3], perm: [1, 0] }, { x: [2, 3, 4], perm: [2, 0, 1] }, { x: [2, 3, 4] }] },
});
