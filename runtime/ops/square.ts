// Elementwise x², keeping the dtype (bool counts as int32).
import { Tensor, TensorLike } from '../tensor.js';
import { mul } from './mul.js';
import { unarySameOp } from './operands.js';
import { definePrimitive } from './primitive.js';

/**
 * x², elementwise.
 *
 * @example
 * ops.square(x)
 */
export const square = definePrimitive({
  name: 'square',
  math: 'out = x²;  dx = 2·x·dy',
  params: ['x'],
  shape: 'x',
  elementwise: true,
  kernel: (x: TensorLike): Tensor => unarySameOp('square', x, 'square'),
  number: { fn: (v) => v * v, syntax: '$0 * $0' },
  vjp: { x: ({ x }, dy): Tensor => mul(dy, mul(x, 2)) },
  jvp: { x: ({ x }, dx): Tensor => mul(dx, mul(x, 2)) },
  save: ['x'],
  domain: { ranges: { x: [-2, 2] }, cases: [{ x: [5] }, { x: [] }, { x: [2, 3] }] },
});
