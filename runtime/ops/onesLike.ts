// Ones with the shape and dtype of x. Its value does not depend on x: zero gradient.
import { Tensor, TensorLike } from '../tensor.js';
import { asTensor } from './operands.js';
import { definePrimitive } from './primitive.js';

/**
 * Ones with x's shape and dtype.
 *
 * @example
 * ops.onesLike(x)
 */
export const onesLike = definePrimitive({
  name: 'onesLike',
  math: 'out = 1 (shape and dtype of x);  no gradient flows to x',
  params: ['x'],
  shape: 'x',
  kernel: (x: TensorLike): Tensor => {
    const t = asTensor('onesLike', x);
    const data = t.dtype.alloc(t.size);
    data.fill(1);
    return Tensor.fromData(data, [...t.shape], t.dtype);
  },
  number: { fn: () => 1, syntax: '1' },
  vjp: {},
  jvp: {},
  save: [],
});
