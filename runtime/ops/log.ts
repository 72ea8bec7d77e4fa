// Elementwise natural log; a float result. log 0 = -Infinity, log of a negative is NaN.
import { Tensor, TensorLike } from '../tensor.js';
import { div } from './div.js';
import { unaryFloatOp } from './operands.js';
import { definePrimitive } from './primitive.js';

/**
 * ln x, elementwise.
 *
 * @example
 * ops.log(x)
 */
export const log = definePrimitive({
  name: 'log',
  math: 'out = ln x;  dx = dy / x',
  params: ['x'],
  shape: 'x',
  elementwise: true,
  kernel: (x: TensorLike): Tensor => unaryFloatOp('log', x, 'log'),
  number: { fn: Math.log, syntax: 'Math.log($0)' },
  vjp: { x: ({ x }, dy): Tensor => div(dy, x) },
  jvp: { x: ({ x }, dx): Tensor => div(dx, x) },
  save: ['x'],
  domain: { ranges: { x: [0.5, 3] }, cases: [{ x: [5] }, { x: [] }, { x: [2, 3] }] },
});
