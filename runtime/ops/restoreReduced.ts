// A reduction's output given back the reduced axes of `x` as size 1: the bridge every
// reduction's rule uses to broadcast against `x`.
import { Tensor, TensorLike } from '../tensor.js';
import { normAxes } from '../shape.js';
import { asTensor } from './operands.js';
import { definePrimitive } from './primitive.js';
import { reshapeLike } from './reshapeLike.js';
import type { Axis } from './sum.js';

/**
 * Gives a reduction's output `g` back the reduced axes of `x` as size-1 dimensions (a
 * no-op with keepDims), so that it broadcasts against `x`.
 */
export const restoreReduced = definePrimitive({
  name: 'restoreReduced',
  math: 'out = g reshaped to x\'s rank with reduced axes of size 1;  dg = reshapeLike(dy, g)',
  params: ['g', 'x', 'axis', 'keepDims'],
  kernel: (g: TensorLike, x: TensorLike, axis?: Axis, keepDims = false): Tensor => {
    const tg = asTensor('restoreReduced', g);
    if (keepDims) return tg;
    const tx = asTensor('restoreReduced', x);
    const axes = normAxes('restoreReduced', axis, tx.ndim);
    return Tensor.fromData(tg.data, tx.shape.map((d, i) => (axes.includes(i) ? 1 : d)), tg.dtype);
  },
  vjp: { g: ({ g }, dy): Tensor => reshapeLike(dy, g) },
  jvp: { g: ({ x, axis, keepDims }, dg): Tensor => restoreReduced(dg, x, axis, keepDims) },
  save: ['g'],
  domain: {
    ranges: { g: [-2, 2], x: [0, 1] },
    cases: [{ g: [2], x: [2, 3], axis: 1 }, { g: [], x: [2, 3] }, { g: [2, 1], x: [2, 3], axis: 1, keepDims: true }, { g: [3], x: [2, 3, 1], axis: [0, 2] }],
  },
});
