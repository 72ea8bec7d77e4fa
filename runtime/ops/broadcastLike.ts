// A gradient broadcast up to the broadcast of its shape with `like`'s: the reverse of sumToLike.
import { Tensor, TensorLike } from '../tensor.js';
import { expandTo } from '../kernels/broadcast.js';
import { broadcastShapes, sameShape } from '../shape.js';
import { asTensor } from './operands.js';
import { definePrimitive } from './primitive.js';
import { sumToLike } from './sumToLike.js';

/** Broadcasts `g` to the broadcast of its shape with `like`'s shape. */
export const broadcastLike = definePrimitive({
  name: 'broadcastLike',
  math: 'out = g repeated to broadcast(shape(g), shape(like));  dg = sumToLike(dy, g)',
  params: ['g', 'like'],
  shape: ['g', 'like'],
  kernel: (g: TensorLike, like: TensorLike): Tensor => {
    const tg = asTensor('broadcastLike', g);
    const likeShape = like instanceof Tensor ? like.shape : [];
    const shape = broadcastShapes('broadcastLike', tg.shape, likeShape);
    if (sameShape(tg.shape, shape)) return tg;
    return Tensor.fromData(expandTo('broadcastLike', tg.data, tg.shape, shape, tg.dtype), shape, tg.dtype);
  },
  number: { fn: (g) => g, syntax: '$0' },
  vjp: { g: ({ g }, dy): Tensor => sumToLike(dy, g) },
  jvp: { g: ({ like }, dg): Tensor => broadcastLike(dg, like) },
  save: ['g'],
  domain: { ranges: { g: [-2, 2], like: [-1, 1] }, cases: [{ g: [3], like: [2, 3] }, { g: [4, 1], like: [4, 3] }, { g: [], like: [2] }] },
});
