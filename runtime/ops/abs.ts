// Absolute value, keeping the dtype (bool counts as int32). The gradient at 0 is 0 (sign(0) = 0).
import { Tensor, TensorLike } from '../tensor.js';
import { mul } from './mul.js';
import { sign } from './sign.js';
import { unarySameOp } from './operands.js';
import { definePrimitive } from './primitive.js';

/**
 * |x|, elementwise.
 *
 * @example
 * ops.abs(x)
 */
export const abs = definePrimitive({
  name: 'abs',
  math: 'out = |x|;  dx = dy·sign(x)',
  params: ['x'],
  shape: 'x',
  elementwise: true,
  kernel: (x: TensorLike): Tensor => unarySameOp('abs', x, 'abs'),
  number: { fn: Math.abs, syntax: 'Math.abs($0)' },
  vjp: { x: ({ x }, dy): Tensor => mul(dy, sign(x)) },
  jvp: { x: ({ x }, dx): Tensor => mul(dx, sign(x)) },
  save: ['x'],
  domain: { ranges: { x: [0.2, 2] }, cases: [{ x: [5] }, { x: [] }, { x: [2, 3] }] },
});
