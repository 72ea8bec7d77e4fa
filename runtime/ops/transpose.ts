// Axes permuted by `perm` (a permutation of 0..ndim-1): out.shape[i] = x.shape[perm[i]].
import { Tensor, TensorLike } from '../tensor.js';
import { permute } from '../kernels/transpose.js';
import { fmt } from '../shape.js';
import { asTensor } from './operands.js';
import { definePrimitive } from './primitive.js';
import { transposeInverse } from './transposeInverse.js';

export function checkPerm(op: string, perm: readonly number[], ndim: number): void {
  const ok = perm.length === ndim && [...perm].sort((a, b) => a - b).every((p, i) => p === i);
  if (!ok) throw new RangeError(`${op}: expected a permutation of 0..${ndim - 1}, got ${fmt(perm)}`);
}

/** Permutes the axes of `x`: out.shape[i] = x.shape[perm[i]]. */
export const transpose = definePrimitive({
  name: 'transpose',
  math: 'out = x with axes permuted by perm;  dx = dy permuted by perm⁻¹',
  params: ['x', 'perm'],
  kernel: (x: TensorLike, perm: readonly number[]): Tensor => {
    const t = asTensor('transpose', x);
    checkPerm('transpose', perm, t.ndim);
    const { data, shape } = permute(t.data, t.shape, perm, t.dtype);
    return Tensor.fromData(data, shape, t.dtype);
  },
  vjp: { x: ({ perm }, dy): Tensor => transposeInverse(dy, perm) },
  jvp: { x: ({ perm }, dx): Tensor => transpose(dx, perm) },
  save: [],
  domain: { ranges: { x: [-2, 2] }, cases: [{ x: [2, 3], perm: [1, 0] }, { x: [2, 3, 4], perm: [2, 0, 1] }] },
});
