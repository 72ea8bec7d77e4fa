// `x` unchanged forward; nothing flows back (MindSpore's stop_gradient).
import { Tensor, TensorLike } from '../tensor.js';
import { asTensor } from './operands.js';
import { definePrimitive } from './primitive.js';

/**
 * `x` forward, no gradient backward.
 *
 * @example
 * ops.stopGradient(x)
 */
export const stopGradient = definePrimitive({
  name: 'stopGradient',
  math: 'out = x;  no gradient flows back to x',
  params: ['x'],
  shape: 'x',
  elementwise: true,
  kernel: (x: TensorLike): Tensor => asTensor('stopGradient', x),
  number: { fn: (v) => v, syntax: '$0' },
  vjp: {},
  jvp: {},
  save: [],
});
