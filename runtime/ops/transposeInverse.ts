// Undoes transpose(·, perm): the adjoint of a transpose.
import { Tensor, TensorLike } from '../tensor.js';
import { asTensor } from './operands.js';
import { definePrimitive } from './primitive.js';
import { resolvePerm, transpose } from './transpose.js';

/** Undoes `transpose(·, perm)`: the adjoint of a transpose. */
export const transposeInverse = definePrimitive({
  name: 'transposeInverse',
  math: 'out = x permuted by perm⁻¹;  dx = transpose(dy, perm)',
  params: ['x', 'perm'],
  kernel: (x: TensorLike, perm?: readonly number[] | null): Tensor => {
    const t = asTensor('transposeInverse', x);
    const forward = resolvePerm('transposeInverse', perm, t.ndim);
    const inverse = new Array<number>(forward.length);
    forward.forEach((p, i) => (inverse[p] = i));
    return transpose.spec.kernel(t, inverse) as Tensor;
  },
  vjp: { x: ({ perm }, dy): Tensor => transpose(dy, perm) },
  jvp: { x: ({ perm }, dx): Tensor => transposeInverse(dx, perm) },
  save: [],
  domain: { ranges: { x: [-2, 2] }, cases: [{ x: [3, 2], perm: [1, 0] }, { x: [4, 2, 3], perm: [2, 0, 1] }] },
});
