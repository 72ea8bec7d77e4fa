// `g` with `like`'s shape (same size), sharing the data: the adjoint of every reshape.
import { Tensor, TensorLike } from '../tensor.js';
import { fmt } from '../shape.js';
import { asTensor } from './operands.js';
import { definePrimitive } from './primitive.js';

/** `g` with `like`'s shape (same number of elements): the adjoint of every reshape. */
export const reshapeLike = definePrimitive({
  name: 'reshapeLike',
  math: 'out = g with the shape of like;  dg = reshapeLike(dy, g)',
  params: ['g', 'like'],
  shape: 'like',
  kernel: (g: TensorLike, like: TensorLike): Tensor => {
    const tg = asTensor('reshapeLike', g);
    const shape = like instanceof Tensor ? like.shape : [];
    const size = shape.reduce((a, b) => a * b, 1);
    if (size !== tg.size) throw new RangeError(`reshapeLike: cannot reshape ${fmt(tg.shape)} (${tg.size} elements) to ${fmt(shape)} (${size} elements)`);
    return Tensor.fromData(tg.data, [...shape], tg.dtype);
  },
  vjp: { g: ({ g }, dy): Tensor => reshapeLike(dy, g) },
  jvp: { g: ({ like }, dg): Tensor => reshapeLike(dg, like) },
  save: ['g'],
  domain: { ranges: { g: [-2, 2], like: [0, 1] }, cases: [{ g: [2, 3], like: [6] }, { g: [6], like: [3, 2] }] },
});
