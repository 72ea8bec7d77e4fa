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
  shape: 'x',
  kernel: (x: TensorLike): Tensor => {
    // Generated code asks for zeros of every weight a network might read; a missing
    // optional Parameter (Dense without bias: null) gets a 0-d zero, never requested.
    if (x === null || x === undefined) return Tensor.fromData(new Float32Array(1), [], undefined);
    const t = asTensor('zerosLike', x);
    return Tensor.fromData(t.dtype.alloc(t.size), [...t.shape], t.dtype);
  },
  number: { fn: () => 0, syntax: '0' },
  vjp: {},
  jvp: {},
  save: [],
});
