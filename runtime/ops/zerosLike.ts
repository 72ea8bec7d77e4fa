// Zeros with the shape and dtype of x. Its value does not depend on x: zero gradient.
import { Tensor, TensorLike } from '../tensor.js';
import { asTensor } from './operands.js';
import { definePrimitive } from './primitive.js';

/**
 * Zeros with x's shape and dtype.
 *
 * @example
 * ops.zerosLike(x)
 */
export const zerosLike = definePrimitive({
  name: 'zerosLike',
  math: 'out = 0 (shape and dtype of x);  no gradient flows to x',
  params: ['x'],
  kernel: (x: TensorLike): Tensor => {
    const t = asTensor('zerosLike', x);
    return Tensor.fromData(t.dtype.alloc(t.size), [...t.shape], t.dtype);
  },
  number: { fn: () => 0, syntax: '0' },
  vjp: {},
  jvp: {},
  save: [],
});
