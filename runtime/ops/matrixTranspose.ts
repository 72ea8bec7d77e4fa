// Swaps the last two axes (a batched matrix transpose); used by matmul's rules.
import { Tensor, TensorLike } from '../tensor.js';
import { permute } from '../kernels/transpose.js';
import { asTensor } from './operands.js';
import { definePrimitive } from './primitive.js';

/** Swaps the last two axes (batched matrix transpose). */
export const matrixTranspose = definePrimitive({
  name: 'matrixTranspose',
  math: 'out = xᵀ over the last two axes;  dx = dyᵀ',
  params: ['x'],
  kernel: (x: TensorLike): Tensor => {
    const t = asTensor('matrixTranspose', x);
    const perm = t.shape.map((_, i) => i);
    [perm[t.ndim - 1], perm[t.ndim - 2]] = [perm[t.ndim - 2], perm[t.ndim - 1]];
    const { data, shape } = permute(t.data, t.shape, perm, t.dtype);
    return Tensor.fromData(data, shape, t.dtype);
  },
  vjp: { x: (_p, dy): Tensor => matrixTranspose(dy) },
  jvp: { x: (_p, dx): Tensor => matrixTranspose(dx) },
  save: [],
  domain: { ranges: { x: [-2, 2] }, cases: [{ x: [2, 3] }, { x: [2, 3, 4] }] },
});
