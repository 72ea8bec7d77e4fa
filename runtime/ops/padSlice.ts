// Zeros shaped like `like` with `g` written at `begin`: the adjoint of slice.
import { padBox } from '../kernels/slice.js';
import { Tensor, TensorLike } from '../tensor.js';
import { asTensor } from './operands.js';
import { definePrimitive } from './primitive.js';
import { sliceExtent } from './slice.js';
import { sliceLike } from './sliceLike.js';

export const padSlice = definePrimitive({
  name: 'padSlice',
  math: 'out = zeros like `like` with g at begin;  dg = sliceLike(dy, begin, g)',
  shape: 'like',
  params: ['g', 'like', 'begin'],
  kernel: (g: TensorLike, like: TensorLike, begin: readonly number[]): Tensor => {
    const tg = asTensor('padSlice', g);
    const shape = asTensor('padSlice', like).shape;
    sliceExtent('padSlice', shape, begin, tg.shape);
    return Tensor.fromData(padBox(tg.data, shape, begin, tg.shape, tg.dtype), [...shape], tg.dtype);
  },
  vjp: { g: ({ g, begin }, dy): Tensor => sliceLike(dy, begin, g) },
  jvp: { g: ({ like, begin }, dg): Tensor => padSlice(dg, like, begin) },
  save: ['g'],
  domain: { ranges: { g: [-2, 2], like: [0, 1] }, cases: [{ g: [2], like: [5], begin: [1] }, { g: [2, 3], like: [3, 4], begin: [1, 1] }] },
});
