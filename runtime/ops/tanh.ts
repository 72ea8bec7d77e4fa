// Elementwise hyperbolic tangent; a float result.
import { Tensor, TensorLike } from '../tensor.js';
import { mul } from './mul.js';
import { sub } from './sub.js';
import { square } from './square.js';
import { unaryFloatOp } from './operands.js';
import { definePrimitive } from './primitive.js';

/**
 * tanh x, elementwise.
 *
 * @example
 * ops.tanh(x)
 */
export const tanh = definePrimitive({
  name: 'tanh',
  math: 'out = tanh x;  dx = dy·(1 − out²)',
  params: ['x'],
  shape: 'x',
  elementwise: true,
  kernel: (x: TensorLike): Tensor => unaryFloatOp('tanh', x, 'tanh'),
  number: { fn: Math.tanh, syntax: 'Math.tanh($0)' },
  vjp: { x: ({ out }, dy): Tensor => mul(dy, sub(1, square(out))) },
  jvp: { x: ({ out }, dx): Tensor => mul(dx, sub(1, square(out))) },
  save: ['out'],
  domain: { ranges: { x: [-2, 2] }, cases: [{ x: [5] }, { x: [] }, { x: [2, 3] }] },
});
