// A gradient summed over the axes along which `like` was broadcast: the reverse of broadcasting.
import { Tensor, TensorLike } from '../tensor.js';
import { sumTo } from '../kernels/broadcast.js';
import { sameShape } from '../shape.js';
import { broadcastLike } from './broadcastLike.js';
import { asTensor } from './operands.js';
import { definePrimitive } from './primitive.js';

/**
 * Sums a gradient over the dimensions along which `like` was broadcast, giving it
 * `like`'s shape. The reverse of broadcasting; every broadcasting op's rule uses it.
 */
export const sumToLike = definePrimitive({
  name: 'sumToLike',
  math: 'out = Σ over broadcast dims of g (shape of like);  dg = broadcastLike(dy, g)',
  params: ['g', 'like'],
  shape: 'like',
  kernel: (g: TensorLike, like: TensorLike): Tensor => {
    const tg = asTensor('sumToLike', g);
    const shape = like instanceof Tensor ? like.shape : [];
    if (sameShape(tg.shape, shape)) return tg;
    return Tensor.fromData(sumTo('sumToLike', tg.data, tg.shape, shape, tg.dtype), [...shape], tg.dtype);
  },
  number: { fn: (g) => g, syntax: '$0' },
  vjp: { g: ({ g }, dy): Tensor => broadcastLike(dy, g) },
  jvp: { g: ({ like }, dg): Tensor => sumToLike(dg, like) },
  save: ['g'],
  domain: { ranges: { g: [-2, 2], like: [-1, 1] }, cases: [{ g: [2, 3], like: [3] }, { g: [4, 3], like: [4, 1] }, { g: [3], like: [3] }] },
});
