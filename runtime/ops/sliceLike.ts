// The box of `g` at `begin` with `like`'s shape: the adjoint of padSlice.
import { sliceBox } from '../kernels/slice.js';
import { Tensor, TensorLike } from '../tensor.js';
import { asTensor } from './operands.js';
import { padSlice } from './padSlice.js';
import { definePrimitive } from './primitive.js';
import { sliceExtent } from './slice.js';

export const sliceLike = definePrimitive({
  name: 'sliceLike',
  math: 'out = g[begin : begin + shape(like)];  dg = padSlice(dy, g, begin)',
  params: ['g', 'begin', 'like'],
  kernel: (g: TensorLike, begin: readonly number[], like: TensorLike): Tensor => {
    const tg = asTensor('sliceLike', g);
    const extent = sliceExtent('sliceLike', tg.shape, begin, asTensor('sliceLike', like).shape);
    return Tensor.fromData(sliceBox(tg.data, tg.shape, begin, extent, tg.dtype), extent, tg.dtype);
  },
  vjp: { g: ({ g, begin }, dy): Tensor => padSlice(dy, g, begin) },
  jvp: { g: ({ begin, like }, dg): Tensor => sliceLike(dg, begin, like) },
  save: ['g'],
  domain: { ranges: { g: [-2, 2], like: [0, 1] }, cases: [{ g: [5], begin: [1], like: [2] }, { g: [3, 4], begin: [1, 1], like: [2, 3] }] },
});
